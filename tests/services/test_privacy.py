"""Erasure (services/privacy.py): deleting an account removes what identifies the resident in
one transaction, once; chiefs and admins must hand their role over first."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from linli.models import AuditLog, Resident, ResidentStatus
from linli.models.points import PointsPrivacy
from linli.services import privacy, residents
from linli.services.errors import PermissionDenied, StaleAction
from tests.support import B1_CHIEF
from tests.support_services import admin, resident, verified

Db = async_sessionmaker[AsyncSession]
NOW = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
TELEGRAM_ID = 8001


async def _resident_with_history(session: AsyncSession) -> int:
    someone = await verified(session, TELEGRAM_ID, "第一网格", "1号楼", display_name="王小明")
    someone.username = "xiaoming"
    session.add(
        AuditLog(actor_id=someone.id, actor_telegram_id=TELEGRAM_ID, action="test.something")
    )
    await session.commit()
    return someone.id


async def test_deleting_an_account_erases_who_they_were(db: Db) -> None:
    async with db() as session:
        resident_id = await _resident_with_history(session)
        document = await privacy.export(session, await residents.get(session, resident_id), NOW)
        assert "王小明" in privacy.export_json(document).decode()
    async with db() as session:
        assert await privacy.delete_account(session, resident_id, NOW) == []
    async with db() as session:
        gone = await session.get(Resident, resident_id)
        assert gone is not None and gone.deleted_at is not None
        assert gone.telegram_id == privacy.deleted_telegram_id(resident_id)
        assert (gone.display_name, gone.username, gone.status) == ("", None, ResidentStatus.BLOCKED)
        shown = await session.get(PointsPrivacy, resident_id)
        assert shown is not None and shown.as_neighbour
        logged = (
            await session.execute(
                select(AuditLog.action, AuditLog.actor_telegram_id).order_by(AuditLog.id)
            )
        ).all()
        assert ("test.something", None) in logged and ("privacy.delete", None) in logged
        assert all(telegram_id != TELEGRAM_ID for _action, telegram_id in logged)


async def test_a_second_deletion_is_stale_and_changes_nothing(db: Db) -> None:
    async with db() as session:
        resident_id = await _resident_with_history(session)
        await privacy.delete_account(session, resident_id, NOW)
    async with db() as session:
        with pytest.raises(StaleAction):
            await privacy.delete_account(session, resident_id, NOW)
    async with db() as session:
        deletions = await session.scalars(
            select(AuditLog.id).where(AuditLog.action == "privacy.delete")
        )
        assert len(deletions.all()) == 1


async def test_the_same_person_coming_back_is_someone_new(db: Db) -> None:
    async with db() as session:
        resident_id = await _resident_with_history(session)
        await privacy.delete_account(session, resident_id, NOW)
    async with db() as session:
        profile = residents.TelegramProfile(TELEGRAM_ID, "王小明", "xiaoming")
        back = await residents.load(session, profile, create=True)
        assert back is not None and back.id != resident_id
        assert back.status == ResidentStatus.PENDING and back.building_id is None


async def test_chiefs_and_admins_hand_their_role_over_first(db: Db) -> None:
    async with db() as session:
        chief_id = (await resident(session, B1_CHIEF)).id
        admin_id = (await admin(session)).id
    for resident_id, key in ((chief_id, "privacy-error-chief"), (admin_id, "privacy-error-admin")):
        async with db() as session:
            with pytest.raises(PermissionDenied) as refused:
                await privacy.delete_account(session, resident_id, NOW)
            assert refused.value.key == key
        async with db() as session:
            kept = await session.get(Resident, resident_id)
            assert kept is not None and kept.deleted_at is None and kept.telegram_id > 0
