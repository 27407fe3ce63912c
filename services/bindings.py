"""Group chats bound to a grid or a building."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from linli.models import ChatBinding, Grid, Resident, Role
from linli.models.db import write_transaction
from linli.services import audit, structure
from linli.services.authz import manages_grid, require_role
from linli.services.errors import PermissionDenied, StaleAction

UnitKind = Literal["grid", "building"]


@dataclass(frozen=True)
class Unit:
    kind: UnitKind
    id: int
    name: str
    grid_name: str

    @property
    def label(self) -> str:
        return self.name if self.kind == "grid" else f"{self.grid_name} · {self.name}"


async def bindable_units(session: AsyncSession, actor: Resident) -> list[Unit]:
    """The grids and buildings whose group the actor may bind, the actor's own unit first."""
    require_role(actor, Role.BUILDING_CHIEF)
    if actor.role == Role.BUILDING_CHIEF:
        building, grid = await structure.get_building(session, actor.chief_building_id or 0)
        return [Unit("building", building.id, building.name, grid.name)]
    if actor.role == Role.GRID_CHIEF:
        grids = [await structure.get_grid(session, actor.chief_grid_id or 0)]
    else:
        grids = await structure.list_grids(session, actor.community_id)
    units: list[Unit] = []
    for grid in grids:
        units.append(Unit("grid", grid.id, grid.name, grid.name))
        units.extend(
            Unit("building", b.id, b.name, grid.name)
            for b in await structure.list_buildings(session, grid.id)
        )
    return units


async def binding_for_chat(session: AsyncSession, chat_id: int) -> ChatBinding | None:
    return await session.scalar(
        select(ChatBinding).where(ChatBinding.chat_id == chat_id, ChatBinding.active)
    )


async def _bound_unit(session: AsyncSession, binding: ChatBinding) -> Unit:
    if binding.grid_id is not None:
        grid = await structure.get_grid(session, binding.grid_id)
        return Unit("grid", grid.id, grid.name, grid.name)
    building, grid = await structure.get_building(session, binding.building_id or 0)
    return Unit("building", building.id, building.name, grid.name)


async def current_unit(session: AsyncSession, actor: Resident, chat_id: int) -> Unit | None:
    """The unit the group is bound to now (None: not bound), when the actor may move the
    group away from it: a group bound to a unit the actor does not manage stays with it
    until one of its chiefs rebinds or unbinds it (PermissionDenied "error-bind-taken")."""
    binding = await binding_for_chat(session, chat_id)
    if binding is None:
        return None
    unit = await _bound_unit(session, binding)
    try:
        await _check_unit(session, actor, unit.kind, unit.id)
    except PermissionDenied:
        raise PermissionDenied("error-bind-taken", unit=unit.label) from None
    return unit


async def _check_unit(session: AsyncSession, actor: Resident, kind: UnitKind, unit_id: int) -> Unit:
    if kind == "grid":
        grid = await structure.get_grid(session, unit_id)
        if not manages_grid(actor, grid):
            raise PermissionDenied("error-outside-area")
        return Unit("grid", grid.id, grid.name, grid.name)
    building, grid = await structure.managed_building(session, actor, unit_id)
    return Unit("building", building.id, building.name, grid.name)


async def bind(
    session: AsyncSession,
    actor: Resident,
    *,
    chat_id: int,
    title: str,
    kind: UnitKind,
    unit_id: int,
    is_group_admin: bool,
) -> Unit:
    """Bind a group to a unit the actor manages; the actor must administer the group. A
    group bound to another unit moves only when the actor manages that unit too
    (`current_unit`)."""
    require_role(actor, Role.BUILDING_CHIEF)
    if not is_group_admin:
        raise PermissionDenied("error-bind-not-group-admin")
    unit = await _check_unit(session, actor, kind, unit_id)
    async with write_transaction(session):
        await current_unit(session, actor, chat_id)
        binding = await session.scalar(select(ChatBinding).where(ChatBinding.chat_id == chat_id))
        if binding is None:
            binding = ChatBinding(chat_id=chat_id)
            session.add(binding)
        binding.title = title[:255]
        binding.grid_id = unit.id if kind == "grid" else None
        binding.building_id = unit.id if kind == "building" else None
        binding.active = True
        binding.bound_by_id = actor.id
        await session.flush()
        await audit.record(session, actor, "chat.bind", "chat", chat_id, kind=kind, unit_id=unit.id)
    return unit


async def unbind(
    session: AsyncSession, actor: Resident, *, chat_id: int, is_group_admin: bool
) -> Unit:
    require_role(actor, Role.BUILDING_CHIEF)
    if not is_group_admin:
        raise PermissionDenied("error-bind-not-group-admin")
    binding = await binding_for_chat(session, chat_id)
    if binding is None:
        raise StaleAction("error-not-bound")
    unit = await _bound_unit(session, binding)
    await _check_unit(session, actor, unit.kind, unit.id)
    async with write_transaction(session):
        current = await session.get(ChatBinding, binding.id, populate_existing=True)
        if current is None or not current.active:
            raise StaleAction("error-not-bound")
        current.active = False
        await audit.record(session, actor, "chat.unbind", "chat", chat_id)
    return unit


async def deactivate(session: AsyncSession, chat_id: int, reason: str) -> bool:
    """Mark a binding inactive (the bot left the group, or Telegram refuses to send there)."""
    async with write_transaction(session):
        binding = await session.scalar(
            select(ChatBinding).where(ChatBinding.chat_id == chat_id, ChatBinding.active)
        )
        if binding is None:
            return False
        binding.active = False
        await audit.record(session, None, "chat.deactivate", "chat", chat_id, reason=reason)
    return True


async def chats_for_building(session: AsyncSession, building_id: int) -> list[int]:
    """Active groups of a building and of its grid."""
    building, grid = await structure.get_building(session, building_id)
    rows = await session.scalars(
        select(ChatBinding.chat_id).where(
            ChatBinding.active,
            or_(ChatBinding.building_id == building.id, ChatBinding.grid_id == grid.id),
        )
    )
    return list(rows.all())


async def chats_for_grid(session: AsyncSession, grid_id: int) -> list[int]:
    rows = await session.scalars(
        select(ChatBinding.chat_id).where(ChatBinding.active, ChatBinding.grid_id == grid_id)
    )
    return list(rows.all())


async def grid_of_chat(session: AsyncSession, binding: ChatBinding) -> Grid:
    if binding.grid_id is not None:
        return await structure.get_grid(session, binding.grid_id)
    _building, grid = await structure.get_building(session, binding.building_id or 0)
    return grid
