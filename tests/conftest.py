"""Fixtures: a fresh database per test and the real bot on the Bot API emulator."""

from __future__ import annotations

import asyncio
import logging
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from linli.config import Settings
from linli.config.notices import NoticeSettings
from linli.emulator import BotAPIEmulator
from linli.models import Base
from linli.models.db import create_engine, create_sessionmaker
from linli.models.migrate import upgrade
from tests.support import (
    ADMIN_ID,
    B1_CHIEF,
    B4_CHIEF,
    GRID1_CHIEF,
    GRID2_CHIEF,
    TEST_DATABASE_URL,
    TEST_REDIS_URL,
    TOKEN,
    ErrorRecords,
    Harness,
    refused_requests,
    seed_example,
)


async def _migrate_fresh(url: str) -> None:
    engine = create_engine(url)
    if not url.startswith("sqlite"):
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
    await upgrade(engine, "heads")
    await engine.dispose()


async def _empty_postgresql(url: str) -> None:
    """Empty the test database for the next test: TRUNCATE only the tables that hold rows (a
    TRUNCATE of all ~55 tables took 0.2 s a test), and start every id sequence again at 1
    (a rolled-back insert moves a sequence on an empty table too)."""
    names = [t.name for t in Base.metadata.sorted_tables]
    probe = " UNION ALL ".join(
        f"SELECT '{name}' WHERE EXISTS (SELECT 1 FROM {name})" for name in names
    )
    engine = create_engine(url)
    async with engine.begin() as conn:
        filled = list((await conn.execute(text(probe))).scalars())
        if filled:
            await conn.execute(text(f"TRUNCATE {', '.join(filled)} CASCADE"))
        await conn.execute(
            text(
                "SELECT setval(c.oid, 1, false) FROM pg_class c JOIN pg_namespace n"
                " ON n.oid = c.relnamespace WHERE c.relkind = 'S' AND n.nspname = 'public'"
            )
        )
    await engine.dispose()


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """Run the migrations once: into a SQLite file that each test copies, or into the
    PostgreSQL test database that each test truncates."""
    if TEST_DATABASE_URL:
        asyncio.run(_migrate_fresh(TEST_DATABASE_URL))
        return None
    path = tmp_path_factory.mktemp("template") / "linli.db"
    asyncio.run(_migrate_fresh(f"sqlite+aiosqlite:///{path}"))
    return path


@pytest.fixture
async def database_url(migrated_template: Path | None, tmp_path: Path) -> str:
    if TEST_DATABASE_URL:
        await _empty_postgresql(TEST_DATABASE_URL)
        return TEST_DATABASE_URL
    assert migrated_template is not None
    target = tmp_path / "linli.db"
    shutil.copy(migrated_template, target)
    return f"sqlite+aiosqlite:///{target}"


@pytest.fixture
async def redis_url() -> AsyncIterator[str | None]:
    if not TEST_REDIS_URL:
        yield None
        return
    from redis.asyncio import Redis

    client = Redis.from_url(TEST_REDIS_URL)
    await client.flushdb()
    await client.aclose()
    yield TEST_REDIS_URL


@pytest.fixture
async def emu(request: pytest.FixtureRequest) -> AsyncIterator[BotAPIEmulator]:
    """The Bot API emulator. A conversation test fails when the bot logged an ERROR or the
    emulator refused one of its requests (a crash hidden behind the error router's "something
    went wrong" answer, a malformed call), unless the test is marked `expect_errors` or
    `expect_refusals` because it provokes them on purpose and checks them itself."""
    emulator = BotAPIEmulator()
    errors = ErrorRecords()
    root = logging.getLogger()
    root.addHandler(errors)
    await emulator.start()
    try:
        yield emulator
    finally:
        await emulator.stop()
        root.removeHandler(errors)
    if request.node.get_closest_marker("expect_errors") is None:
        assert not errors.records, "the bot logged errors:\n" + errors.describe()
    if request.node.get_closest_marker("expect_refusals") is None:
        refused = refused_requests(emulator)
        assert not refused, f"the emulator refused requests: {refused[:5]}"


# Telegram's pacing (1 message/s per chat...) and flood control would slow down or drop a
# scripted conversation; the tests about pacing and throttling set their own limits.
FAST_SENDS = NoticeSettings(
    global_rate=10_000,
    chat_rate=10_000,
    chat_burst=1_000,
    group_per_minute=1_000_000,
    sender_poll_seconds=0.1,
    _env_file=None,
)


@pytest.fixture
def settings(emu: BotAPIEmulator, database_url: str, redis_url: str | None) -> Settings:
    return Settings(
        bot_token=TOKEN,
        database_url=database_url,
        telegram_api_url=emu.base_url,
        redis_url=redis_url,
        admin_ids=[ADMIN_ID],
        polling_timeout=1,
        scheduler_enabled=False,
        notices=FAST_SENDS,
        throttle_rate=1_000,
        _env_file=None,
    )


@pytest.fixture
async def bare_harness(emu: BotAPIEmulator, settings: Settings) -> AsyncIterator[Harness]:
    """The running bot on an empty (migrated) database."""
    harness = Harness(emu, settings)
    await harness.start()
    try:
        yield harness
    finally:
        await harness.stop()


@pytest.fixture
async def h(emu: BotAPIEmulator, settings: Settings) -> AsyncIterator[Harness]:
    """The running bot on the example community (examples/community.csv)."""
    engine = create_engine(settings.database_url)
    await seed_example(create_sessionmaker(engine))
    await engine.dispose()
    emu.add_user(ADMIN_ID, "管理员", username="admin")
    for chief, name in (
        (GRID1_CHIEF, "王秀英"),
        (GRID2_CHIEF, "刘伟"),
        (B1_CHIEF, "李建国"),
        (B4_CHIEF, "陈淑珍"),
    ):
        emu.add_user(chief, name)
    harness = Harness(emu, settings)
    await harness.start()
    try:
        yield harness
    finally:
        await harness.stop()


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """The example community in a fresh database, with no bot and no HTTP: the fast tier of
    service tests (`tests/services/`) calls the services directly."""
    engine = create_engine(database_url)
    sessionmaker = create_sessionmaker(engine)
    await seed_example(sessionmaker)
    try:
        yield sessionmaker
    finally:
        await engine.dispose()
