"""Engine, sessions and write transactions.

SQLite: WAL, foreign keys, a busy timeout, and write transactions opened with
``BEGIN IMMEDIATE`` so that two writers queue on the lock instead of failing with
"database is locked" when a read transaction tries to upgrade. Read-only work runs in plain
(deferred) transactions so readers never wait for writers.
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from typing import Any

from sqlalchemy import event, make_url
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from linli.models import sqlite_inline as sqlite_inline_driver

_WRITE_OPTION = "linli_write"
_IN_WRITE = "linli_in_write"
_WRITER_WAIT_SECONDS = 30.0

# SQLite has one writer at a time. Writers of this process queue on an asyncio lock first:
# SQLite's own busy handler polls with sleeps of up to 100 ms, which under load adds
# hundreds of milliseconds to a write that would take one (docs/benchmarks.md).
_SQLITE_WRITERS: weakref.WeakKeyDictionary[
    Engine, weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock]
] = weakref.WeakKeyDictionary()


def create_engine(
    database_url: str,
    *,
    busy_timeout_ms: int = 30_000,
    statement_timeout: float | None = None,
    sqlite_inline: bool = True,
    **kwargs: Any,
) -> AsyncEngine:
    """The engine. Statement parameters (complaint texts, names, ids) never appear in logs
    or in the text of a database error (`hide_parameters`). `statement_timeout` (seconds,
    PostgreSQL; SQLite has its busy timeout) bounds every statement, a new connection and
    the wait for a pooled one, so a database that stops answering without closing the
    connection (a network partition) fails the update instead of hanging it
    (docs/resilience.md). A SQLite file is used on the event loop's thread
    (`models.sqlite_inline`) unless `sqlite_inline` is False."""
    kwargs.setdefault("hide_parameters", True)
    if database_url.startswith("sqlite"):
        url = make_url(database_url)
        path = url.database
        if sqlite_inline and path and path != ":memory:" and not url.query:
            # No `isolation_level` here: it is None from the start (see `_on_connect`).
            kwargs["async_creator"] = partial(
                sqlite_inline_driver.connect,
                path,
                timeout=busy_timeout_ms / 1000,
                isolation_level=None,
            )
        engine = create_async_engine(
            database_url,
            connect_args={"timeout": busy_timeout_ms / 1000},
            pool_size=kwargs.pop("pool_size", 8),
            max_overflow=kwargs.pop("max_overflow", 8),
            **kwargs,
        )
        _configure_sqlite(engine, busy_timeout_ms)
        return engine
    # PostgreSQL going away (docs/resilience.md): `pool_pre_ping` replaces a pooled connection
    # that died meanwhile, so the bot works again without a restart once the server is back;
    # a server that does not answer fails a new connection after 10 s (asyncpg: 60 s), or
    # after `statement_timeout`. asyncpg's `command_timeout` applies to every statement,
    # including the pre-ping and the ROLLBACK after a failure.
    # SQLAlchemy's asyncpg adapter prepares each statement once per connection and keeps it
    # (default 100 per connection): room for every statement the bot runs.
    connect_args: dict[str, Any] = {"timeout": 10, "prepared_statement_cache_size": 500}
    if statement_timeout is not None:
        connect_args.update(timeout=statement_timeout, command_timeout=statement_timeout)
        kwargs.setdefault("pool_timeout", statement_timeout)
    connect_args.update(kwargs.pop("connect_args", {}))
    return create_async_engine(
        database_url,
        pool_size=kwargs.pop("pool_size", 10),
        max_overflow=kwargs.pop("max_overflow", 20),
        pool_pre_ping=True,
        connect_args=connect_args,
        **kwargs,
    )


def _configure_sqlite(engine: AsyncEngine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take BEGIN into our own hands (see the "begin" listener below).
        if dbapi_connection.isolation_level is not None:
            dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get(_WRITE_OPTION):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=True)


@asynccontextmanager
async def write_transaction(session: AsyncSession) -> AsyncIterator[AsyncSession]:
    """One state change = one write transaction, committed when the block ends.

    A read transaction already open on the session is ended first on SQLite and continued on
    PostgreSQL (nothing is pending in it by convention: all writes happen inside this block).
    Nested blocks join the outer one.
    Any exception rolls the whole change back.
    """
    if session.info.get(_IN_WRITE):
        yield session
        return
    # PostgreSQL: a read transaction already open simply goes on as the write transaction
    # (READ COMMITTED: each statement sees what is committed), saving its COMMIT, a pool
    # checkout with its ping, and a BEGIN. SQLite must start over with BEGIN IMMEDIATE.
    if session.in_transaction() and _is_sqlite(session):
        await session.commit()
    async with _sqlite_writer_turn(session):
        session.info[_IN_WRITE] = True
        try:
            if not session.in_transaction():
                await session.connection(execution_options={_WRITE_OPTION: True})
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise
        finally:
            session.info[_IN_WRITE] = False


def _is_sqlite(session: AsyncSession) -> bool:
    # The sync session's bind: `AsyncSession.bind` builds a translation map per session.
    bind = session.sync_session.bind
    return not isinstance(bind, Engine) or bind.dialect.name == "sqlite"


@asynccontextmanager
async def _sqlite_writer_turn(session: AsyncSession) -> AsyncIterator[None]:
    """On SQLite, wait for this process's other writers in line (an asyncio lock per engine
    and event loop). If the lock is not free within the busy timeout — a write transaction
    opened inside another one on a second session would otherwise wait forever — go on
    and let SQLite's busy timeout decide, as without the lock."""
    bind = session.sync_session.bind
    if not isinstance(bind, Engine) or bind.dialect.name != "sqlite":
        yield
        return
    locks = _SQLITE_WRITERS.setdefault(bind, weakref.WeakKeyDictionary())
    lock = locks.setdefault(asyncio.get_running_loop(), asyncio.Lock())
    acquired = False
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(_WRITER_WAIT_SECONDS):
            acquired = await lock.acquire()
    try:
        yield
    finally:
        if acquired:
            lock.release()
