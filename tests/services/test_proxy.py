"""Filing for a resident without a phone (services.proxy), for complaints and wishes
alike: only a chief, only in their area, one name limit."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from linli.models.complaints import Complaint
from linli.models.wishes import Wish
from linli.services import proxy
from linli.services.errors import PermissionDenied, ValidationFailed
from tests.support import B1_CHIEF, GRID1_CHIEF
from tests.support_casework import neighbour, new_complaint, new_wish, person, place

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
RESIDENT = 5001
Db = async_sessionmaker[AsyncSession]
FILE = {"complaint": new_complaint, "wish": new_wish}


@pytest.mark.parametrize("kind", sorted(FILE))
async def test_only_a_chief_of_the_area_files_for_someone(db: Db, kind: str) -> None:
    create = FILE[kind]
    async with db() as session:
        await neighbour(session, RESIDENT)
        home = (await place(session, "第一网格", "1号楼")).id
        elsewhere = (await place(session, "第二网格", "4号楼")).id
    cases = [
        (RESIDENT, "王奶奶", home, PermissionDenied, "error-role-required"),
        (B1_CHIEF, "王奶奶", elsewhere, PermissionDenied, "error-outside-area"),
        (B1_CHIEF, "长" * (proxy.NAME_MAX + 1), home, ValidationFailed, None),
        (B1_CHIEF, "   ", home, ValidationFailed, None),
    ]
    for telegram_id, name, building_id, error, key in cases:
        async with db() as session:
            actor = await person(session, telegram_id)
            with pytest.raises(error) as refused:
                await create(session, actor, NOW, offline_author=name, building_id=building_id)
        assert refused.value.key == (key or "casework-offline-name-length")
    async with db() as session:
        chief = await person(session, B1_CHIEF)
        stored_id = await create(
            session, chief, NOW, offline_author="  王奶奶 3单元201 ", building_id=home
        )
    async with db() as session:
        stored = await session.get(Complaint if kind == "complaint" else Wish, stored_id)
        assert stored is not None
        assert stored.offline_author == "王奶奶 3单元201" and stored.author_id is None
        assert stored.entered_by_id == chief.id and stored.building_id == home


async def test_the_buildings_a_chief_may_file_for(db: Db) -> None:
    async with db() as session:
        await neighbour(session, RESIDENT)
    async with db() as session:
        names = [b.name for b in await proxy.buildings(session, await person(session, B1_CHIEF))]
        assert names == ["1号楼"]
        grid = await proxy.buildings(session, await person(session, GRID1_CHIEF))
        assert [b.name for b in grid] == ["1号楼", "2号楼", "3号楼"]
    async with db() as session:
        with pytest.raises(PermissionDenied):
            await proxy.buildings(session, await person(session, RESIDENT))


def test_the_public_name_never_holds_the_door_number() -> None:
    """Issue 12: /wish_for posted "王奶奶 3单元201" in the group. Only the name may be posted
    (and only with the resident's consent); None when no name comes first."""
    cases = {
        "王奶奶 3单元201": "王奶奶",
        "王奶奶3单元201": "王奶奶",
        "王奶奶（3-201）": "王奶奶",
        "王奶奶 三单元二零一": "王奶奶",
        "李爷爷": "李爷爷",
        "Granny Wang, unit 3, 201": "Granny Wang",
        "Granny Wang flat 201": "Granny Wang",
        "3单元201 王奶奶": None,
        "#201": None,
        "": None,
    }
    for written, public in cases.items():
        assert proxy.public_name(written) == public, written
        assert not any(ch.isdigit() for ch in proxy.public_name(written) or "")


def test_a_name_needs_words() -> None:
    for text in ("🙂", "……", "  "):
        with pytest.raises(ValidationFailed):
            proxy.check_name(text)
    assert proxy.check_name("  王奶奶   3单元201 ") == "王奶奶 3单元201"
