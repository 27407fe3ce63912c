"""Entering something for a resident without a phone (代录).

A chief writes the resident's name (and flat) and picks a building of their area; the
record keeps that name (`offline_author`) and the chief as the one who entered it. Used by
`/complain_for` and `/wish_for`, and by any later flow that files on someone's behalf: the
rules live here once, and `entry` checks them again when the record is stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from linli.models import Building, Grid, Resident, Role
from linli.services import structure
from linli.services.authz import require_role
from linli.services.errors import PermissionDenied, ValidationFailed

NAME_MAX = 100
"""Characters of the resident's name and flat (the `offline_author` columns)."""


@dataclass(frozen=True)
class ProxyEntry:
    """Who a chief files for, and where."""

    name: str
    building: Building
    grid: Grid


def check_name(text: str) -> str:
    name = text.strip()
    if not name or len(name) > NAME_MAX:
        raise ValidationFailed("casework-offline-name-length", limit=str(NAME_MAX))
    return name


async def buildings(session: AsyncSession, actor: Resident | None) -> list[Building]:
    """The buildings a chief may file for (their area, in id order)."""
    chief = require_role(actor, Role.BUILDING_CHIEF)
    return await structure.area_buildings(session, chief)


async def building(
    session: AsyncSession, actor: Resident | None, building_id: int
) -> tuple[Building, Grid]:
    """A building the chief may file for; PermissionDenied outside their area."""
    chief = require_role(actor, Role.BUILDING_CHIEF)
    return await structure.managed_building(session, chief, building_id)


async def filing_place(
    session: AsyncSession, actor: Resident, offline_author: str | None, building_id: int | None
) -> tuple[str | None, Building, Grid]:
    """For whom and where a record is filed: for the resident named by `offline_author` in
    `building_id` (a chief of that building's area), else for the actor in their building."""
    if offline_author is not None:
        proxy = await entry(session, actor, offline_author, building_id)
        return proxy.name, proxy.building, proxy.grid
    if actor.building_id is None:
        raise PermissionDenied("error-not-verified")
    building, grid = await structure.get_building(session, actor.building_id)
    return None, building, grid


async def entry(
    session: AsyncSession, actor: Resident | None, name: str, building_id: int | None
) -> ProxyEntry:
    """Checks the whole step again when the record is stored: a chief, a name that fits,
    a building of their area."""
    require_role(actor, Role.BUILDING_CHIEF)
    name = check_name(name)
    if building_id is None:
        raise ValidationFailed()
    found, grid = await building(session, actor, building_id)
    return ProxyEntry(name=name, building=found, grid=grid)
