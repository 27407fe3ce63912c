"""Group chats bound to a grid or a building (services/bindings.py): chiefs bind the groups
they administer to units of their area; unbinding and the bot leaving deactivate."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from linli.models import AuditLog, ChatBinding
from linli.services import bindings
from linli.services.errors import PermissionDenied, StaleAction
from tests.support import B1_CHIEF, B4_CHIEF, GRID1_CHIEF
from tests.support_services import admin, building, grid, resident, verified

Db = async_sessionmaker[AsyncSession]
GROUP = -100_500


async def _bind(
    session: AsyncSession, chief_id: int, kind: str, unit_id: int, *, admin_here: bool = True
) -> bindings.Unit:
    return await bindings.bind(
        session,
        await resident(session, chief_id),
        chat_id=GROUP,
        title="楼道群",
        kind=kind,  # type: ignore[arg-type]
        unit_id=unit_id,
        is_group_admin=admin_here,
    )


async def test_what_each_chief_may_bind(db: Db) -> None:
    async with db() as session:
        own = await bindings.bindable_units(session, await resident(session, B1_CHIEF))
        assert [(u.kind, u.label) for u in own] == [("building", "第一网格 · 1号楼")]
        grid_units = await bindings.bindable_units(session, await resident(session, GRID1_CHIEF))
        assert [u.label for u in grid_units] == [
            "第一网格",
            "第一网格 · 1号楼",
            "第一网格 · 2号楼",
            "第一网格 · 3号楼",
        ]
        assert len(await bindings.bindable_units(session, await admin(session))) == 3 + 10
        with pytest.raises(PermissionDenied):
            await bindings.bindable_units(
                session, await verified(session, 7001, "第一网格", "1号楼")
            )


async def test_bind_within_the_area_as_group_admin(db: Db) -> None:
    async with db() as session:
        b1 = (await building(session, "第一网格", "1号楼")).id
        b4 = (await building(session, "第二网格", "4号楼")).id
    async with db() as session:
        with pytest.raises(PermissionDenied) as refused:
            await _bind(session, B1_CHIEF, "building", b1, admin_here=False)
        assert refused.value.key == "error-bind-not-group-admin"
    async with db() as session:
        with pytest.raises(PermissionDenied):  # another grid's building
            await _bind(session, B1_CHIEF, "building", b4)
    async with db() as session:
        with pytest.raises(PermissionDenied):  # a building chief cannot bind the grid's group
            await _bind(session, B1_CHIEF, "grid", (await grid(session, "第一网格")).id)
    async with db() as session:
        assert await bindings.binding_for_chat(session, GROUP) is None
        unit = await _bind(session, B1_CHIEF, "building", b1)
        assert unit.label == "第一网格 · 1号楼"
    async with db() as session:
        bound = await bindings.binding_for_chat(session, GROUP)
        assert bound is not None and bound.building_id == b1 and bound.grid_id is None
        assert await bindings.chats_for_building(session, b1) == [GROUP]
        assert await bindings.chats_for_building(session, b4) == []


async def test_rebinding_moves_the_group_and_the_grid_group_reaches_its_buildings(db: Db) -> None:
    async with db() as session:
        g1 = (await grid(session, "第一网格")).id
        b1 = (await building(session, "第一网格", "1号楼")).id
        b2 = (await building(session, "第一网格", "2号楼")).id
        await _bind(session, B1_CHIEF, "building", b1)
    async with db() as session:
        await _bind(session, GRID1_CHIEF, "grid", g1)
    async with db() as session:
        assert await session.scalar(select(func.count()).select_from(ChatBinding)) == 1
        assert await bindings.chats_for_grid(session, g1) == [GROUP]
        assert await bindings.chats_for_building(session, b2) == [GROUP]
        bound = await bindings.binding_for_chat(session, GROUP)
        assert bound is not None
        assert (await bindings.grid_of_chat(session, bound)).id == g1


async def test_unbind_by_a_chief_of_the_unit_only_and_once(db: Db) -> None:
    async with db() as session:
        await _bind(
            session, B1_CHIEF, "building", (await building(session, "第一网格", "1号楼")).id
        )
    async with db() as session:
        with pytest.raises(PermissionDenied):
            await bindings.unbind(
                session, await resident(session, B4_CHIEF), chat_id=GROUP, is_group_admin=True
            )
    async with db() as session:
        unit = await bindings.unbind(
            session, await resident(session, GRID1_CHIEF), chat_id=GROUP, is_group_admin=True
        )
        assert unit.name == "1号楼"
    async with db() as session:
        assert await bindings.binding_for_chat(session, GROUP) is None
        with pytest.raises(StaleAction):
            await bindings.unbind(
                session, await resident(session, B1_CHIEF), chat_id=GROUP, is_group_admin=True
            )
        actions = (await session.scalars(select(AuditLog.action).order_by(AuditLog.id))).all()
        assert [a for a in actions if a.startswith("chat.")] == ["chat.bind", "chat.unbind"]


async def test_the_bot_leaving_deactivates_the_binding(db: Db) -> None:
    async with db() as session:
        await _bind(
            session, B1_CHIEF, "building", (await building(session, "第一网格", "1号楼")).id
        )
    async with db() as session:
        assert await bindings.deactivate(session, GROUP, reason="kicked")
        assert not await bindings.deactivate(session, GROUP, reason="kicked")
        assert await bindings.binding_for_chat(session, GROUP) is None


async def test_a_bound_group_moves_only_with_a_chief_of_its_unit(db: Db) -> None:
    """The chief of 4号楼, group admin there too, cannot take over the group of 1号楼: a
    chief of 1号楼 (or its grid) must rebind or /unbind it first."""
    async with db() as session:
        b1 = (await building(session, "第一网格", "1号楼")).id
        b4 = (await building(session, "第二网格", "4号楼")).id
        await _bind(session, B1_CHIEF, "building", b1)
    async with db() as session:
        with pytest.raises(PermissionDenied) as refused:
            await bindings.current_unit(session, await resident(session, B4_CHIEF), GROUP)
        assert refused.value.key == "error-bind-taken"
        assert refused.value.params["unit"] == "第一网格 · 1号楼"
    async with db() as session:
        with pytest.raises(PermissionDenied) as refused:
            await _bind(session, B4_CHIEF, "building", b4)
        assert refused.value.key == "error-bind-taken"
    async with db() as session:
        bound = await bindings.binding_for_chat(session, GROUP)
        assert bound is not None and bound.building_id == b1
        unit = await bindings.current_unit(session, await resident(session, GRID1_CHIEF), GROUP)
        assert unit is not None and unit.label == "第一网格 · 1号楼"
    async with db() as session:
        await bindings.unbind(
            session, await resident(session, B1_CHIEF), chat_id=GROUP, is_group_admin=True
        )
    async with db() as session:
        assert (
            await bindings.current_unit(session, await resident(session, B4_CHIEF), GROUP) is None
        )
        await _bind(session, B4_CHIEF, "building", b4)
    async with db() as session:
        bound = await bindings.binding_for_chat(session, GROUP)
        assert bound is not None and bound.building_id == b4
