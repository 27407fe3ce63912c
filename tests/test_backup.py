"""A backup taken while the bot writes restores to a consistent database."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import func, select, table

from linli.models import Resident
from linli.models.backup import backup, check, restore
from linli.models.db import create_engine, create_sessionmaker
from tests.support import TEST_DATABASE_URL, Harness

pytestmark = pytest.mark.skipif(
    TEST_DATABASE_URL is not None, reason="SQLite backup; PostgreSQL uses pg_dump"
)


async def test_backup_while_the_bot_writes_restores_consistently(
    h: Harness, tmp_path: Path
) -> None:
    users = list(range(8000, 8060))
    for user in users:
        h.emu.add_user(user, f"居民{user}")
    updates = [h.emu.push_message(u, u, "/start") for u in users]
    target = tmp_path / "backup.db"
    # take the backup while those updates are being handled
    await asyncio.sleep(0.05)
    await asyncio.to_thread(backup, h.settings.database_url, target)
    await asyncio.gather(*(h.wait_handled(u.update_id) for u in updates))
    assert check(target) == []

    restored_url = f"sqlite+aiosqlite:///{tmp_path / 'restored.db'}"
    await asyncio.to_thread(restore, restored_url, target)
    engine = create_engine(restored_url)
    async with create_sessionmaker(engine)() as session:
        in_backup = await session.scalar(select(func.count()).select_from(Resident))
        version = await session.scalar(select(func.count()).select_from(table("alembic_version")))
    await engine.dispose()
    assert version is not None and version >= 1
    live = await h.count(Resident)
    assert in_backup is not None and 0 < in_backup <= live


def test_backup_refuses_to_overwrite(tmp_path: Path) -> None:
    existing = tmp_path / "b.db"
    existing.write_bytes(b"")
    live = tmp_path / "live.db"
    live.write_bytes(b"")
    with pytest.raises(FileExistsError):
        backup(f"sqlite:///{live}", existing)
    with pytest.raises(ValueError):
        backup("postgresql+asyncpg://u:p@h/db", tmp_path / "x.db")
