"""Registration rules, straight on the services (no bot, no HTTP)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from linli.models import Building, Grid, Resident, ResidentStatus
from linli.services import residents
from linli.services.errors import PermissionDenied, StaleAction
from tests.support import B1_CHIEF, B4_CHIEF


async def _building(session: AsyncSession, grid: str, name: str) -> Building:
    building = await session.scalar(
        select(Building).join(Grid).where(Grid.name == grid, Building.name == name)
    )
    assert building is not None
    return building


async def _applicant(session: AsyncSession, telegram_id: int, building: Building) -> Resident:
    applicant = Resident(telegram_id=telegram_id, display_name="小明")
    session.add(applicant)
    await session.commit()
    await residents.apply(session, applicant, building.id)
    return applicant


async def _by_telegram_id(session: AsyncSession, telegram_id: int) -> Resident:
    resident = await residents.get_by_telegram_id(session, telegram_id)
    assert resident is not None
    return resident


async def test_building_chief_approves_only_their_building(
    db: async_sessionmaker[AsyncSession],
) -> None:
    """One session per call, as the bot has one per update (a refused change rolls back and
    expires what the session loaded)."""
    async with db() as session:
        b1 = await _building(session, "第一网格", "1号楼")
        applicant_id = (await _applicant(session, 5001, b1)).id

    async with db() as session:
        with pytest.raises(PermissionDenied):
            await residents.approve(session, await _by_telegram_id(session, B4_CHIEF), applicant_id)
    async with db() as session:
        assert (await residents.get(session, applicant_id)).status == ResidentStatus.PENDING

    async with db() as session:
        chief = await _by_telegram_id(session, B1_CHIEF)
        decision = await residents.approve(session, chief, applicant_id)
        assert decision.approved and decision.resident.status == ResidentStatus.VERIFIED
    async with db() as session:
        with pytest.raises(StaleAction):  # a second press on the same application
            await residents.approve(session, await _by_telegram_id(session, B1_CHIEF), applicant_id)
