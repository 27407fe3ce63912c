"""Roles and areas (services/authz.py) and /grant (services/residents.grant): a chief's power
stops at the edge of their grid or building; only admins grant, within their community."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from linli.models import AuditLog, Building, Grid, Resident, ResidentStatus, Role
from linli.services import authz, residents
from linli.services.errors import NotFound, PermissionDenied, StaleAction, ValidationFailed
from linli.services.structure import import_structure, parse_structure_csv
from tests.support import ADMIN_ID, B1_CHIEF, GRID1_CHIEF, GRID2_CHIEF
from tests.support_services import admin, applicant, building, grid, resident, verified

Db = async_sessionmaker[AsyncSession]


async def _area(session: AsyncSession, actor: Resident) -> list[str]:
    names = await session.scalars(
        select(Building.name)
        .where(Building.id.in_(authz.buildings_in_area(actor)))
        .order_by(Building.id)
    )
    return list(names.all())


async def test_areas(db: Db) -> None:
    async with db() as session:
        assert await _area(session, await resident(session, B1_CHIEF)) == ["1号楼"]
        assert await _area(session, await resident(session, GRID1_CHIEF)) == [
            "1号楼",
            "2号楼",
            "3号楼",
        ]
        assert len(await _area(session, await admin(session))) == 10
        assert await _area(session, await verified(session, 6001, "第一网格", "1号楼")) == []
        pending_chief = await resident(session, B1_CHIEF)
        pending_chief.status = ResidentStatus.PENDING
        assert await _area(session, pending_chief) == []
        assert authz.role_rank(pending_chief) == -1 and authz.role_rank(None) == -1


async def test_who_manages_what(db: Db) -> None:
    async with db() as session:
        b1 = await building(session, "第一网格", "1号楼")
        b4 = await building(session, "第二网格", "4号楼")
        g1, g2 = await grid(session, "第一网格"), await grid(session, "第二网格")
        building_chief = await resident(session, B1_CHIEF)
        grid_chief = await resident(session, GRID1_CHIEF)
        boss = await admin(session)
        assert authz.manages_building(building_chief, b1, g1)
        assert not authz.manages_building(building_chief, b4, g2)
        assert not authz.manages_grid(building_chief, g1)  # a building is not its grid
        assert authz.manages_building(grid_chief, b1, g1) and authz.manages_grid(grid_chief, g1)
        assert not authz.manages_building(grid_chief, b4, g2)
        assert authz.manages_grid(boss, g2) and authz.manages_building(boss, b4, g2)
        assert not authz.manages_building(None, b1, g1)
        with pytest.raises(PermissionDenied):
            authz.require_role(grid_chief, Role.ADMIN)
        assert authz.require_role(boss, Role.GRID_CHIEF) is boss


async def test_only_admins_grant(db: Db) -> None:
    async with db() as session:
        await verified(session, 6010, "第一网格", "1号楼", username="xiaoli")
    async with db() as session:
        with pytest.raises(PermissionDenied):
            await residents.grant(
                session, await resident(session, GRID1_CHIEF), "@xiaoli", "building_chief", "1号楼"
            )
    async with db() as session:
        assert (await resident(session, 6010)).role == Role.RESIDENT


async def test_admin_grants_chief_roles_with_a_unit_of_their_level(db: Db) -> None:
    async with db() as session:
        await admin(session)
        await verified(session, 6020, "第一网格", "2号楼", username="XiaoWang")
    for role, unit, error in (
        ("building_chief", None, "error-grant-needs-unit"),
        ("building_chief", "第一网格", "error-grant-needs-building"),
        ("grid_chief", "第一网格/2号楼", "error-grant-needs-grid"),
        ("mayor", "第一网格", "error-bad-role"),
    ):
        async with db() as session:
            with pytest.raises(ValidationFailed) as refused:
                await residents.grant(session, await admin(session), "6020", role, unit)
            assert refused.value.key == error
    async with db() as session:
        target = (
            await residents.grant(
                session, await admin(session), "@xiaowang", "building_chief", "第一网格/2号楼"
            )
        ).resident
        assert target.role == Role.BUILDING_CHIEF and target.telegram_id == 6020
        assert target.chief_building_id == (await building(session, "第一网格", "2号楼")).id
    async with db() as session:
        back = (
            await residents.grant(session, await admin(session), "6020", "resident", None)
        ).resident
        assert back.role == Role.RESIDENT and back.chief_building_id is None


async def test_grant_stays_in_the_admins_community(db: Db) -> None:
    async with db() as session:
        assert (await admin(session)).community_id is not None  # the only community then
        await import_structure(
            session, parse_structure_csv("community,grid,building\n月亮社区,东网格,1幢\n")
        )
        await applicant(session, 6030, "第一网格", "1号楼")
    async with db() as session:
        with pytest.raises(NotFound):  # units of another community are not found
            await residents.grant(session, await admin(session), "6030", "grid_chief", "东网格")
    async with db() as session:
        other = await session.scalar(select(Grid).where(Grid.name == "东网格"))
        assert other is not None
        assert (
            await session.scalar(select(Resident).where(Resident.chief_grid_id == other.id)) is None
        )


async def test_grant_to_someone_who_never_wrote_keeps_the_role_ready(db: Db) -> None:
    async with db() as session:
        target = (
            await residents.grant(session, await admin(session), "6040", "grid_chief", "第三网格")
        ).resident
        assert target.role == Role.GRID_CHIEF and target.status == ResidentStatus.VERIFIED
    async with db() as session:
        profile = residents.TelegramProfile(6040, "新网格长", None)
        arrived = await residents.load(session, profile, create=True)
        assert arrived is not None and arrived.role == Role.GRID_CHIEF


@pytest.mark.parametrize("ref", ["0", "١٢٣", "²", "12" * 20, "abc", "@", "-5"])
async def test_grant_refuses_what_is_not_a_telegram_id(db: Db, ref: str) -> None:
    async with db() as session:
        await admin(session)
        before = (await session.scalars(select(Resident.id).order_by(Resident.id))).all()
    async with db() as session:
        with pytest.raises(ValidationFailed):
            await residents.grant(session, await admin(session), ref, "resident", None)
    async with db() as session:
        assert (await session.scalars(select(Resident.id).order_by(Resident.id))).all() == before


async def test_people_are_looked_up_exactly(db: Db) -> None:
    """@names match whole (ignoring case, as Telegram does): `_` and `%` are no wildcards."""
    async with db() as session:
        await verified(session, 6051, "第一网格", "1号楼", username="liXming")
        await verified(session, 6050, "第一网格", "1号楼", username="li_ming")
    async with db() as session:
        assert (await residents.find(session, "@LI_MING")).telegram_id == 6050
        assert (await residents.find(session, " 6051 ")).username == "liXming"
        for ref in ("@li%", "@li_", "@li_min_", "@ming"):
            with pytest.raises(NotFound):
                await residents.find(session, ref)
        with pytest.raises(ValidationFailed):
            await residents.find(session, "li_ming")


async def test_an_ambiguous_username_picks_nobody(db: Db) -> None:
    """Two rows may hold one @username (Telegram names change hands; a row keeps the old
    one until its owner writes again): refused, listing both with their Telegram ids."""
    async with db() as session:
        await admin(session)
        await verified(session, 6061, "第一网格", "1号楼", username="Zhang_San")
        await verified(session, 6062, "第二网格", "4号楼", username="zhang_san")
    async with db() as session:
        with pytest.raises(residents.AmbiguousUser) as refused:
            await residents.grant(
                session, await admin(session), "@ZHANG_SAN", "building_chief", "第一网格/2号楼"
            )
        assert refused.value.key == "error-user-ambiguous"
        assert "6061" in refused.value.params["candidates"]
        assert "6062" in refused.value.params["candidates"]
        assert "4号楼" in refused.value.params["candidates"]
    async with db() as session:
        assert (await resident(session, 6061)).role == Role.RESIDENT
        assert (await resident(session, 6062)).role == Role.RESIDENT
        # the Telegram id picks exactly one
        change = await residents.grant(
            session, await admin(session), "6062", "building_chief", "第二网格/4号楼"
        )
        assert change.resident.telegram_id == 6062 and change.unit == "第二网格 · 4号楼"


async def _second_community(session: AsyncSession) -> Resident:
    """月亮社区 with a grid chief of its own (imported like the example community)."""
    await import_structure(
        session,
        parse_structure_csv(
            "community,grid,building,chief_telegram_id,chief_role\n"
            "月亮社区,东网格,,6101,grid_chief\n"
            "月亮社区,东网格,1幢,,\n"
            "月亮社区,东网格,,6102,admin\n"
        ),
    )
    return await resident(session, 6101)


async def test_admins_change_roles_in_their_own_community_only(db: Db) -> None:
    """An admin of 阳光社区 can neither demote nor move the chief or the admin of 月亮社区
    (their community is checked, not only the unit's)."""
    async with db() as session:
        await admin(session)
        await _second_community(session)
    for ref, role, unit in (
        ("6101", "resident", None),  # demote their grid chief
        ("6101", "grid_chief", "第一网格"),  # move them into our grid
        ("6102", "resident", None),  # demote their admin
        ("6102", "admin", None),
    ):
        async with db() as session:
            with pytest.raises(PermissionDenied) as refused:
                await residents.grant(session, await admin(session), ref, role, unit)
            assert refused.value.key == "error-outside-area", (ref, role)
    async with db() as session:
        other = await resident(session, 6101)
        assert other.role == Role.GRID_CHIEF and other.chief_grid_id is not None
        assert (await resident(session, 6102)).role == Role.ADMIN
        assert (
            await session.scalar(
                select(func.count())
                .select_from(AuditLog)
                .where(AuditLog.action == "resident.grant")
            )
            == 0
        )
    # and their admin cannot reach into ours, by name or by picked ids
    async with db() as session:
        theirs = await resident(session, 6102)
        with pytest.raises(PermissionDenied):
            await residents.grant(session, theirs, str(GRID1_CHIEF), "resident", None)
    async with db() as session:
        theirs = await resident(session, 6102)
        our_grid_id = (await grid(session, "第一网格")).id
        mine_id = (await verified(session, 6103, "第二网格", "4号楼")).id
        with pytest.raises(PermissionDenied):
            await residents.set_role(
                session, theirs, (await resident(session, GRID2_CHIEF)).id, Role.RESIDENT
            )
    async with db() as session:
        theirs = await resident(session, 6102)
        with pytest.raises(PermissionDenied):
            await residents.set_role(session, theirs, mine_id, Role.GRID_CHIEF, grid_id=our_grid_id)
    async with db() as session:
        assert (await resident(session, GRID1_CHIEF)).role == Role.GRID_CHIEF
        assert (await resident(session, 6103)).role == Role.RESIDENT


async def test_nobody_changes_their_own_role(db: Db) -> None:
    async with db() as session:
        boss = await admin(session)
        with pytest.raises(PermissionDenied) as refused:
            await residents.grant(session, boss, str(ADMIN_ID), "grid_chief", "第一网格")
        assert refused.value.key == "error-grant-self"
    async with db() as session:
        assert (await admin(session)).role == Role.ADMIN


async def test_picked_people_and_units(db: Db) -> None:
    async with db() as session:
        await admin(session)
        target = await verified(session, 6110, "第一网格", "2号楼", display_name="小周")
        b2 = await building(session, "第一网格", "2号楼")
    async with db() as session:
        change = await residents.set_role(
            session, await admin(session), target.id, Role.BUILDING_CHIEF, building_id=b2.id
        )
        assert change.resident.chief_building_id == b2.id and change.unit == "第一网格 · 2号楼"
    async with db() as session:
        with pytest.raises(ValidationFailed) as refused:  # a grid chief needs a grid
            await residents.set_role(
                session, await admin(session), target.id, Role.GRID_CHIEF, building_id=b2.id
            )
        assert refused.value.key == "error-grant-needs-grid"
    async with db() as session:
        with pytest.raises(StaleAction):  # someone who is gone
            await residents.set_role(session, await admin(session), 999_999, Role.ADMIN)
