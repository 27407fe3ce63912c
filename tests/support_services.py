"""Helpers for the service tests (tests/services/): the example community of
examples/community.csv, straight in the database, no bot and no HTTP.

The tests open one session per service call, as the bot has one per update: a refused change
rolls back and expires what its session loaded."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from linli.models import Building, Grid, Resident, ResidentStatus
from linli.services import residents
from tests.support import ADMIN_ID


async def building(session: AsyncSession, grid: str, name: str) -> Building:
    found = await session.scalar(
        select(Building).join(Grid).where(Grid.name == grid, Building.name == name)
    )
    assert found is not None, (grid, name)
    return found


async def grid(session: AsyncSession, name: str) -> Grid:
    found = await session.scalar(select(Grid).where(Grid.name == name))
    assert found is not None, name
    return found


async def resident(session: AsyncSession, telegram_id: int) -> Resident:
    found = await residents.get_by_telegram_id(session, telegram_id)
    assert found is not None, telegram_id
    return found


async def admin(session: AsyncSession) -> Resident:
    """The community admin of ADMIN_IDS, created as on their first private message."""
    profile = residents.TelegramProfile(ADMIN_ID, "管理员", "admin")
    found = await residents.load(session, profile, create=True, admin_ids=[ADMIN_ID])
    assert found is not None and found.is_admin
    return found


async def applicant(
    session: AsyncSession, telegram_id: int, grid_name: str, building_name: str, **fields: object
) -> Resident:
    """A resident who registered and asked to join a building (pending)."""
    new = Resident(telegram_id=telegram_id, display_name="小明", **fields)
    session.add(new)
    await session.commit()
    await residents.apply(session, new, (await building(session, grid_name, building_name)).id)
    return new


async def verified(
    session: AsyncSession, telegram_id: int, grid_name: str, building_name: str, **fields: object
) -> Resident:
    """A verified resident of a building."""
    home = await building(session, grid_name, building_name)
    community_id = (await session.get(Grid, home.grid_id)).community_id  # type: ignore[union-attr]
    new = Resident(
        telegram_id=telegram_id,
        display_name=str(fields.pop("display_name", "居民")),
        building_id=home.id,
        community_id=community_id,
        status=ResidentStatus.VERIFIED,
        **fields,
    )
    session.add(new)
    await session.commit()
    return new
