"""Structure rules (services/structure.py): the CSV import is all or nothing and idempotent,
units are found by exact name, and a chief reaches only the buildings of their area."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from linli.models import Building, Community, Grid, Role
from linli.models.db import write_transaction
from linli.models.notices import Notice, NoticeKind, NoticeState, Repeat, TargetKind
from linli.services import structure
from linli.services.errors import NotFound, PermissionDenied, ValidationFailed
from linli.services.structure import StructureImportError, import_structure, parse_structure_csv
from tests.support import B1_CHIEF, EXAMPLE_CSV, GRID1_CHIEF, GRID2_CHIEF
from tests.support_services import admin, building, resident

Db = async_sessionmaker[AsyncSession]


async def _count(session: AsyncSession, model: type) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_importing_the_same_file_again_changes_nothing(db: Db) -> None:
    async with db() as session:
        grids, buildings = await _count(session, Grid), await _count(session, Building)
        rows = parse_structure_csv(EXAMPLE_CSV.read_text(encoding="utf-8-sig"))
        report = await import_structure(session, rows)
        assert report.changed == 0
        assert (await _count(session, Grid), await _count(session, Building)) == (grids, buildings)


def test_every_bad_line_is_reported_and_nothing_is_imported() -> None:
    text = (
        "community,grid,building,chief_telegram_id,chief_role\n"
        "阳光社区,,1号楼,,\n"  # line 2: no grid
        "阳光社区,第一网格,1号楼,١٢٣,building_chief\n"  # line 3: not ASCII digits
        "阳光社区,第一网格,1号楼,12,mayor\n"  # line 4: no such role
        "阳光社区,第一网格,,13,building_chief\n"  # line 5: a building chief needs a building
        "阳光社区,第一网格,2号楼,14,building_chief\n"
        "阳光社区,第二网格,,14,grid_chief\n"  # line 7: the same person, another role
        "阳光社区,第一网格,3号楼,15,\n"  # line 8: id without role
    )
    with pytest.raises(StructureImportError) as refused:
        parse_structure_csv(text)
    lines = [error.split(":")[0] for error in refused.value.errors]
    assert lines == ["line 2", "line 3", "line 4", "line 5", "line 7", "line 8"]
    with pytest.raises(StructureImportError):
        parse_structure_csv("name\nx\n")  # no grid column
    with pytest.raises(StructureImportError):
        parse_structure_csv("grid\n")  # no rows


async def test_imported_chiefs_hold_their_roles(db: Db) -> None:
    async with db() as session:
        rows = parse_structure_csv(
            "community,grid,building,chief_telegram_id,chief_role,chief_name\n"
            "阳光社区,第一网格,2号楼,700002,building_chief,周红\n"
        )
        report = await import_structure(session, rows)
        assert (report.buildings, report.chiefs) == (0, 1)
        chief = await resident(session, 700002)
        assert chief.role == Role.BUILDING_CHIEF and chief.is_verified
        assert chief.chief_building_id == (await building(session, "第一网格", "2号楼")).id


async def test_grid_choices_name_the_community_only_when_there_are_several(db: Db) -> None:
    """Registration's first question: the grids in order, with their community's name once a
    second community exists (even one without grids yet)."""
    async with db() as session:
        choices = await structure.grid_choices(session)
        assert [grid.id for grid, _ in choices] == sorted(
            g.id for g in await structure.list_grids(session)
        )
        assert {name for _, name in choices} == {None}
        async with write_transaction(session):
            session.add(Community(name="月光社区"))
        choices = await structure.grid_choices(session)
        communities = {c.id: c.name for c in await structure.list_communities(session)}
        assert [name for _, name in choices] == [communities[g.community_id] for g, _ in choices]


async def test_units_are_found_by_exact_name(db: Db) -> None:
    async with db() as session:
        assert isinstance(await structure.find_unit(session, "第一网格"), Grid)
        found = await structure.find_unit(session, " 第二网格 / 4号楼 ")
        assert isinstance(found, Building) and found.name == "4号楼"
        assert (await structure.find_unit(session, "4号楼")).id == found.id
        for ref in ("第一", "%", "第一网格/4号楼", "不存在"):
            with pytest.raises(NotFound):
                await structure.find_unit(session, ref)
        await import_structure(
            session, parse_structure_csv("community,grid,building\n阳光社区,第四网格,4号楼\n")
        )
        with pytest.raises(ValidationFailed):  # two grids have a 4号楼 now
            await structure.find_unit(session, "4号楼")
        boss = await admin(session)
        assert (
            await structure.find_unit(session, "第四网格/4号楼", boss.community_id)
        ).name == "4号楼"


async def test_a_chief_reaches_only_the_buildings_of_their_area(db: Db) -> None:
    async with db() as session:
        b1 = await building(session, "第一网格", "1号楼")
        b4 = await building(session, "第二网格", "4号楼")
        assert (
            await structure.managed_building(session, await resident(session, B1_CHIEF), b1.id)
        )[0].id == b1.id
        with pytest.raises(PermissionDenied):
            await structure.managed_building(session, await resident(session, B1_CHIEF), b4.id)
        names = [
            b.name
            for b in await structure.area_buildings(session, await resident(session, GRID2_CHIEF))
        ]
        assert names == ["4号楼", "5号楼", "6号楼"]
        with pytest.raises(NotFound):
            await structure.get_building(session, 10_000)


async def test_a_chief_the_file_moves_hands_over_their_notices(db: Db) -> None:
    """Importing a file that makes 1号楼's building chief the chief of 2号楼: the scheduled
    notice of 1号楼 passes to 第一网格's chief, as with /grant."""
    async with db() as session:
        chief = await resident(session, B1_CHIEF)
        b1 = await building(session, "第一网格", "1号楼")
        notice = Notice(
            community_id=chief.community_id,
            author_id=chief.id,
            kind=NoticeKind.MESSAGE,
            text="周一打扫楼道",
            target_kind=TargetKind.BUILDINGS,
            building_ids=[b1.id],
            area_grid_id=b1.grid_id,
            area_building_id=b1.id,
            repeat=Repeat.WEEKLY,
            at_time="09:00",
            weekdays="mon",
            state=NoticeState.SCHEDULED,
        )
        session.add(notice)
        await session.commit()
        notice_id = notice.id
    async with db() as session:
        await import_structure(
            session,
            parse_structure_csv(
                "community,grid,building,chief_telegram_id,chief_role\n"
                f"阳光社区,第一网格,2号楼,{B1_CHIEF},building_chief\n"
            ),
        )
    async with db() as session:
        moved = await session.get(Notice, notice_id)
        assert moved is not None
        assert moved.author_id == (await resident(session, GRID1_CHIEF)).id
