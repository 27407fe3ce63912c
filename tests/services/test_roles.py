"""Roles and areas (services/authz.py) and /grant (services/residents.grant): a chief's power
stops at the edge of their grid or building; only admins grant, within their community."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from linli.models import Building, Grid, Resident, ResidentStatus, Role
from linli.services import authz, residents
from linli.services.errors import NotFound, PermissionDenied, ValidationFailed
from linli.services.structure import import_structure, parse_structure_csv
from tests.support import B1_CHIEF, GRID1_CHIEF
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
        target = await residents.grant(
            session, await admin(session), "@xiaowang", "building_chief", "第一网格/2号楼"
        )
        assert target.role == Role.BUILDING_CHIEF and target.telegram_id == 6020
        assert target.chief_building_id == (await building(session, "第一网格", "2号楼")).id
    async with db() as session:
        back = await residents.grant(session, await admin(session), "6020", "resident", None)
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
        target = await residents.grant(
            session, await admin(session), "6040", "grid_chief", "第三网格"
        )
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
