"""Who may act where. A chief's power stops at the edge of their grid or building."""

from __future__ import annotations

from sqlalchemy import Select, select

from linli.models import Building, Grid, Resident, Role
from linli.services.errors import PermissionDenied


def serves_community(resident: Resident) -> bool:
    """A partner member or a mobile grid member (services/partners.py): verified, without a
    home here and without a role. They serve the whole community."""
    return resident.is_verified and resident.role == Role.RESIDENT and resident.building_id is None


def role_rank(resident: Resident | None) -> int:
    """-1 for strangers, unverified residents and people without a building who hold no
    role; else the rank of the role."""
    if resident is None or not resident.is_verified:
        return -1
    if serves_community(resident):
        # Their own menus check their standing; nothing meant for residents of a building
        # is theirs.
        return -1
    return resident.role.rank


def require_verified(resident: Resident | None) -> Resident:
    if resident is None or not resident.is_verified:
        raise PermissionDenied("error-not-verified")
    return resident


def require_role(resident: Resident | None, role: Role) -> Resident:
    resident = require_verified(resident)
    if resident.role.rank < role.rank:
        raise PermissionDenied("error-role-required", role=role.value)
    return resident


def manages_grid(actor: Resident | None, grid: Grid) -> bool:
    if actor is None or not actor.is_verified:
        return False
    if actor.role == Role.ADMIN:
        return actor.community_id in (None, grid.community_id)
    return actor.role == Role.GRID_CHIEF and actor.chief_grid_id == grid.id


def manages_building(actor: Resident | None, building: Building, grid: Grid) -> bool:
    """`grid` must be `building`'s grid (passed to avoid a lazy load)."""
    if actor is None or not actor.is_verified:
        return False
    if actor.role == Role.BUILDING_CHIEF:
        return actor.chief_building_id == building.id
    return manages_grid(actor, grid)


def buildings_in_area(actor: Resident) -> Select[tuple[int]]:
    """SELECT of the building ids the actor may manage (empty for non-chiefs)."""
    stmt = select(Building.id)
    if not actor.is_verified:
        return stmt.where(False)
    if actor.role == Role.ADMIN:
        if actor.community_id is None:
            return stmt
        return stmt.join(Grid).where(Grid.community_id == actor.community_id)
    if actor.role == Role.GRID_CHIEF:
        return stmt.where(Building.grid_id == actor.chief_grid_id)
    if actor.role == Role.BUILDING_CHIEF:
        return stmt.where(Building.id == actor.chief_building_id)
    return stmt.where(False)
