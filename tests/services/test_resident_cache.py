"""The resident cache without the bot (services/resident_cache.py): what invalidates an
entry, the race between a load and a change, and the Redis versions that tell the other
processes (those tests need LINLI_TEST_REDIS_URL)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from linli.models import Resident, Role
from linli.models.db import write_transaction
from linli.services import resident_cache, residents
from linli.services.resident_cache import ResidentCache
from tests.support import B1_CHIEF

PROFILE = residents.TelegramProfile(telegram_id=B1_CHIEF, display_name="李建国", username=None)


async def _load(session: AsyncSession) -> Resident:
    found = await residents.load(session, PROFILE, create=False)
    assert found is not None
    return found


async def _cached(db: async_sessionmaker[AsyncSession], cache: ResidentCache) -> Resident:
    """Load the chief (renaming them once to the profile's name) and keep them in `cache`."""
    async with db() as session:
        await _load(session)
    async with db() as session:
        generation = cache.generation(B1_CHIEF)
        versions = await cache.versions(B1_CHIEF)
        resident = await _load(session)
        cache.store(resident, generation, versions)
    assert B1_CHIEF in cache
    return resident


async def test_an_entry_is_a_fresh_attached_copy(db: async_sessionmaker[AsyncSession]) -> None:
    cache = ResidentCache(ttl=60)
    loaded = await _cached(db, cache)
    snapshot = cache.get(B1_CHIEF)
    assert snapshot is not None
    async with db() as session:
        copy = resident_cache.attach(session, snapshot)
        assert copy is not loaded and copy in session
        assert (copy.id, copy.role, copy.chief_building_id) == (
            loaded.id,
            loaded.role,
            loaded.chief_building_id,
        )
        assert copy.chief_building is not None and copy.chief_building.name == "1号楼"
        await session.refresh(copy)  # behaves as a loaded row
        copy.display_name = "改了名"  # a handler's change never reaches the cache
    again = cache.get(B1_CHIEF)
    assert again is not None and again.resident["display_name"] == "李建国"


async def test_orm_and_bulk_changes_invalidate_on_commit_only(
    db: async_sessionmaker[AsyncSession],
) -> None:
    cache = ResidentCache(ttl=60)
    resident = await _cached(db, cache)
    async with db() as session:
        with pytest.raises(RuntimeError):
            async with write_transaction(session):
                row = await session.get(Resident, resident.id)
                assert row is not None
                row.role = Role.RESIDENT
                await session.flush()
                raise RuntimeError("rolled back")
    assert B1_CHIEF in cache  # nothing changed
    async with db() as session, write_transaction(session):
        row = await session.get(Resident, resident.id)
        assert row is not None
        row.language = "en"
    assert B1_CHIEF not in cache
    await _cached(db, cache)
    async with db() as session, write_transaction(session):
        await session.execute(update(Resident).where(Resident.id == -1).values(language="zh"))
    assert B1_CHIEF not in cache  # a bulk statement forgets everyone


async def test_a_load_racing_a_change_is_not_stored(db: async_sessionmaker[AsyncSession]) -> None:
    cache = ResidentCache(ttl=60)
    async with db() as session:
        generation = cache.generation(B1_CHIEF)
        resident = await _load(session)
        resident_cache.invalidate([B1_CHIEF])  # a change committed meanwhile
        cache.store(resident, generation)
    assert B1_CHIEF not in cache


@pytest.fixture
async def redis(redis_url: str | None) -> AsyncIterator[Any]:
    if not redis_url:
        pytest.skip("needs Redis (LINLI_TEST_REDIS_URL)")
    from redis.asyncio import Redis

    client = Redis.from_url(redis_url)
    try:
        yield client
    finally:
        await client.aclose()


async def test_another_process_change_reaches_the_next_update(
    db: async_sessionmaker[AsyncSession], redis: Any
) -> None:
    here = ResidentCache(ttl=60, redis=redis)
    await _cached(db, here)
    assert here.get(B1_CHIEF, await here.versions(B1_CHIEF)) is not None
    # Another process committed a change of this resident: only Redis hears of it.
    elsewhere = ResidentCache(ttl=60, redis=redis)
    await elsewhere.publish([B1_CHIEF])
    assert B1_CHIEF in here
    assert here.get(B1_CHIEF, await here.versions(B1_CHIEF)) is None
    # ... or a bulk change of every resident.
    await _cached(db, here)
    await elsewhere.publish([resident_cache.ALL])
    assert here.get(B1_CHIEF, await here.versions(B1_CHIEF)) is None


async def test_a_commit_bumps_the_redis_version(
    db: async_sessionmaker[AsyncSession], redis: Any
) -> None:
    cache = ResidentCache(ttl=60, redis=redis)
    resident = await _cached(db, cache)
    before = await cache.versions(B1_CHIEF)
    async with db() as session, write_transaction(session):
        row = await session.get(Resident, resident.id)
        assert row is not None
        row.language = "en"
    for _ in range(50):
        if await cache.versions(B1_CHIEF) != before:
            break
        await asyncio.sleep(0.01)
    own, every = await cache.versions(B1_CHIEF)
    assert (own, every) == (before[0] + 1, before[1])
