"""Registration rules, straight on the services (no bot, no HTTP): first contact, applying to
a building, who is asked, approval and rejection within a chief's area."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from linli.models import AuditLog, Resident, ResidentStatus, Role
from linli.services import people, residents
from linli.services.errors import InvalidState, PermissionDenied, StaleAction, ValidationFailed
from linli.services.structure import import_structure, parse_structure_csv
from tests.support import ADMIN_ID, B1_CHIEF, B4_CHIEF, GRID1_CHIEF, GRID2_CHIEF
from tests.support_services import admin, applicant, building, resident, verified

Db = async_sessionmaker[AsyncSession]


async def test_building_chief_approves_only_their_building(db: Db) -> None:
    """One session per call, as the bot has one per update (a refused change rolls back and
    expires what the session loaded)."""
    async with db() as session:
        applicant_id = (await applicant(session, 5001, "第一网格", "1号楼")).id

    async with db() as session:
        with pytest.raises(PermissionDenied):
            await residents.approve(session, await resident(session, B4_CHIEF), applicant_id)
    async with db() as session:
        assert (await residents.get(session, applicant_id)).status == ResidentStatus.PENDING

    async with db() as session:
        decision = await residents.approve(session, await resident(session, B1_CHIEF), applicant_id)
        assert decision.approved and decision.resident.status == ResidentStatus.VERIFIED
        assert (decision.grid.name, decision.building.name) == ("第一网格", "1号楼")
    async with db() as session:
        with pytest.raises(StaleAction):  # a second press on the same application
            await residents.approve(session, await resident(session, B1_CHIEF), applicant_id)
        audits = await session.scalar(
            select(func.count()).select_from(AuditLog).where(AuditLog.action == "resident.approve")
        )
        assert audits == 1


async def test_grid_chief_decides_in_their_grid_only(db: Db) -> None:
    async with db() as session:
        in_grid2 = (await applicant(session, 5002, "第二网格", "5号楼")).id
    async with db() as session:
        with pytest.raises(PermissionDenied):
            await residents.approve(session, await resident(session, GRID1_CHIEF), in_grid2)
    async with db() as session:
        decision = await residents.approve(session, await resident(session, GRID2_CHIEF), in_grid2)
        assert decision.resident.status == ResidentStatus.VERIFIED


async def test_residents_and_pending_applicants_approve_nobody(db: Db) -> None:
    async with db() as session:
        target = (await applicant(session, 5003, "第一网格", "1号楼")).id
        neighbour = await verified(session, 5004, "第一网格", "1号楼")
    async with db() as session:
        with pytest.raises(PermissionDenied):
            await residents.approve(session, await resident(session, neighbour.telegram_id), target)
    async with db() as session:
        other = await applicant(session, 5005, "第一网格", "1号楼")
        with pytest.raises(PermissionDenied):  # an applicant cannot approve themselves
            await residents.approve(session, other, other.id)


async def test_a_rejected_applicant_chooses_again(db: Db) -> None:
    async with db() as session:
        applicant_id = (await applicant(session, 5006, "第一网格", "1号楼")).id
    async with db() as session:
        decision = await residents.reject(session, await resident(session, B1_CHIEF), applicant_id)
        assert not decision.approved and decision.building.name == "1号楼"
    async with db() as session:
        again = await residents.get(session, applicant_id)
        assert again.status == ResidentStatus.PENDING and again.building_id is None
        with pytest.raises(StaleAction):  # the other chief's card is stale now
            await residents.reject(session, await resident(session, GRID1_CHIEF), applicant_id)
    async with db() as session:
        application = await residents.apply(
            session,
            await residents.get(session, applicant_id),
            (await building(session, "第二网格", "4号楼")).id,
        )
        assert sorted(chief.telegram_id for chief in application.approvers) == [
            GRID2_CHIEF,
            B4_CHIEF,
        ]


async def test_who_is_asked_to_approve(db: Db) -> None:
    async with db() as session:
        in_b1 = await residents.apply(
            session, await _new(session, 5010), (await building(session, "第一网格", "1号楼")).id
        )
        assert sorted(c.telegram_id for c in in_b1.approvers) == [GRID1_CHIEF, B1_CHIEF]
        # 2号楼 has no building chief: its grid chief is asked
        in_b2 = await residents.apply(
            session, await _new(session, 5011), (await building(session, "第一网格", "2号楼")).id
        )
        assert [c.telegram_id for c in in_b2.approvers] == [GRID1_CHIEF]
        # a grid with no chiefs at all: the community's admins
        await admin(session)
        await import_structure(
            session, parse_structure_csv("community,grid,building\n阳光社区,新网格,1栋\n")
        )
        in_new = await residents.apply(
            session, await _new(session, 5012), (await building(session, "新网格", "1栋")).id
        )
        assert [c.telegram_id for c in in_new.approvers] == [ADMIN_ID]


async def _new(session: AsyncSession, telegram_id: int) -> Resident:
    profile = residents.TelegramProfile(telegram_id, "新居民", None)
    found = await residents.load(session, profile, create=True)
    assert found is not None
    return found


async def test_verified_or_blocked_residents_cannot_apply(db: Db) -> None:
    async with db() as session:
        target = (await building(session, "第一网格", "2号楼")).id
        with pytest.raises(InvalidState):
            await residents.apply(
                session, await verified(session, 5020, "第一网格", "1号楼"), target
            )
    async with db() as session:
        blocked = await _new(session, 5021)
        blocked.status = ResidentStatus.BLOCKED
        await session.commit()
        with pytest.raises(PermissionDenied):
            await residents.apply(session, blocked, target)
        assert (await residents.get(session, blocked.id)).building_id is None


async def test_pending_list_shows_the_chiefs_area_only(db: Db) -> None:
    async with db() as session:
        for telegram_id, grid, home in (
            (5030, "第一网格", "1号楼"),
            (5031, "第一网格", "2号楼"),
            (5032, "第二网格", "4号楼"),
        ):
            await applicant(session, telegram_id, grid, home)
    async with db() as session:
        found = await people.people(session, await resident(session, B1_CHIEF), status="pending")
        assert found.total == 1 and [p.resident.telegram_id for p in found.people] == [5030]
        found = await people.people(session, await resident(session, GRID1_CHIEF), status="pending")
        assert found.total == 2 and [p.building.name for p in found.people] == ["1号楼", "2号楼"]
        found = await people.people(
            session, await resident(session, GRID1_CHIEF), status="pending", limit=1
        )
        assert found.total == 2 and len(found.people) == 1
        found = await people.people(session, await admin(session), status="pending")
        assert found.total == 3
        with pytest.raises(PermissionDenied):
            await people.people(session, await verified(session, 5033, "第一网格", "1号楼"))


async def test_everyone_of_the_area_with_filters_and_a_search(db: Db) -> None:
    """Chiefs see who lives in their area and the chiefs of its units; the admin sees the
    community without themself when picking; the search word is no pattern."""
    async with db() as session:
        await applicant(session, 5040, "第一网格", "2号楼")
        await verified(session, 5041, "第一网格", "1号楼", display_name="周大妈", username="zhou_x")
        await verified(session, 5042, "第一网格", "3号楼", display_name="100%好人")
        await verified(session, 5043, "第二网格", "4号楼", display_name="外网格")
        b1 = await building(session, "第一网格", "1号楼")
        b4 = await building(session, "第二网格", "4号楼")
    async with db() as session:
        chief = await resident(session, GRID1_CHIEF)
        everyone = await people.people(session, chief, limit=50)
        names = [p.resident.display_name for p in everyone.people]
        # the applicant first; the grid's chiefs (the grid chief has no building) too
        assert names[0] == "小明" and "王秀英" in names and "李建国" in names
        assert "外网格" not in names and (everyone.pending, everyone.verified) == (1, 5)
        verified_only = await people.people(session, chief, status="verified", limit=50)
        assert verified_only.total == 5 and "小明" not in {
            p.resident.display_name for p in verified_only.people
        }
        in_b1 = await people.people(session, chief, building_id=b1.id, limit=50)
        assert {p.resident.display_name for p in in_b1.people} == {"周大妈", "李建国"}
        for word, expected in (
            ("周", {"周大妈"}),
            ("@ZHOU_X", {"周大妈"}),
            ("3号楼", {"100%好人", "张桂兰"}),
            ("%", {"100%好人"}),
            ("_", {"周大妈"}),
        ):
            found = await people.people(session, chief, search=word, limit=50)
            assert {p.resident.display_name for p in found.people} == expected, word
        with pytest.raises(PermissionDenied):  # a building of another grid
            await people.people(session, chief, building_id=b4.id)
        with pytest.raises(ValidationFailed):
            await people.people(session, chief, status="blocked")
        boss = await admin(session)
        picking = await people.people(session, boss, limit=100, exclude_self=True)
        assert boss.id not in {p.resident.id for p in picking.people}
        assert "外网格" in {p.resident.display_name for p in picking.people}
        # one person: inside the area, or refused
        outsider = await resident(session, 5043)
        with pytest.raises(PermissionDenied):
            await people.person(session, chief, outsider.id)
        assert (await people.person(session, chief, (await resident(session, 5041)).id)).building


async def test_first_contact(db: Db) -> None:
    """A row is made on the first private message only; ADMIN_IDS become verified admins;
    a changed Telegram name is kept."""
    async with db() as session:
        stranger = residents.TelegramProfile(5040, "路人", None)
        assert await residents.load(session, stranger, create=False) is None
        created = await residents.load(session, stranger, create=True)
        assert created is not None and created.status == ResidentStatus.PENDING
        renamed = residents.TelegramProfile(5040, "路人甲", "passer")
        again = await residents.load(session, renamed, create=False)
        assert again is not None and again.id == created.id
        assert (again.display_name, again.username) == ("路人甲", "passer")
        boss = await admin(session)
        assert boss.role == Role.ADMIN and boss.is_verified and boss.community_id is not None
