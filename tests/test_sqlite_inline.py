"""SQLite on the event loop's thread (models/sqlite_inline.py) behaves as aiosqlite did:
the same errors, transactions and locking, without a thread per connection."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import aiosqlite
import pytest
from sqlalchemy import exc, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from linli.models import Community
from linli.models import sqlite_inline as sqlite_inline_driver
from linli.models.db import create_engine, create_sessionmaker, write_transaction
from tests.support import TEST_DATABASE_URL

pytestmark = pytest.mark.skipif(
    (TEST_DATABASE_URL or "").startswith("postgresql"), reason="SQLite's driver"
)


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


async def _driver_connection(engine: AsyncEngine) -> object:
    async with engine.connect() as conn:
        raw = await conn.get_raw_connection()
        return raw.driver_connection


async def test_a_file_database_is_used_without_a_thread(engine: AsyncEngine) -> None:
    threads = threading.active_count()
    async with engine.connect() as conn:
        assert (await conn.execute(text("select 41 + 1"))).scalar_one() == 42
        assert threading.active_count() == threads
    assert isinstance(await _driver_connection(engine), sqlite_inline_driver.Connection)


async def test_sqlite_inline_false_keeps_aiosqlite(database_url: str) -> None:
    engine = create_engine(database_url, sqlite_inline=False)
    try:
        assert isinstance(await _driver_connection(engine), aiosqlite.Connection)
    finally:
        await engine.dispose()


async def test_a_constraint_violation_is_an_integrity_error_and_rolls_back(
    engine: AsyncEngine,
) -> None:
    sessionmaker = create_sessionmaker(engine)
    async with sessionmaker() as session, write_transaction(session):
        session.add(Community(name="东湖社区"))
    with pytest.raises(exc.IntegrityError):
        async with sessionmaker() as session, write_transaction(session):
            session.add(Community(name="西湖社区"))
            await session.flush()
            session.add(Community(name="东湖社区"))
    async with sessionmaker() as session:
        names = (await session.scalars(select(Community.name))).all()
    assert names == ["东湖社区"]


async def test_writes_take_the_write_lock_at_begin_and_readers_do_not_wait(
    engine: AsyncEngine, database_url: str
) -> None:
    """A write transaction starts with BEGIN IMMEDIATE: a second process's writer is refused
    at once (busy timeout 0) while it is open, and its readers still read."""
    sessionmaker = create_sessionmaker(engine)
    other = create_engine(database_url, busy_timeout_ms=0)
    try:
        async with sessionmaker() as session, write_transaction(session):
            await session.execute(text("select 1"))
            async with other.connect() as conn:
                assert (await conn.execute(select(Community.id))).all() == []
            with pytest.raises(exc.OperationalError, match="locked"):
                async with other.begin() as conn:
                    await conn.execute(text("insert into communities (name) values ('x')"))
    finally:
        await other.dispose()


async def test_many_concurrent_sessions_share_the_pool(engine: AsyncEngine) -> None:
    sessionmaker = create_sessionmaker(engine)

    async def add(i: int) -> None:
        async with sessionmaker() as session, write_transaction(session):
            session.add(Community(name=f"社区{i}"))

    await asyncio.gather(*(add(i) for i in range(40)))
    async with sessionmaker() as session:
        assert len((await session.scalars(select(Community.id))).all()) == 40


async def test_a_closed_connection_refuses_like_aiosqlite(tmp_path: Path) -> None:
    connection = await sqlite_inline_driver.connect(str(tmp_path / "x.db"))
    cursor = await connection.execute("select 1")
    assert await cursor.fetchall() == [(1,)]
    await connection.close()
    await connection.close()
    with pytest.raises(ValueError, match="no active connection"):
        connection.cursor()
