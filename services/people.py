"""People as chiefs see them: how a person is named everywhere (`shown_name`), and the
people of a chief's area with filters, pages and a one-word search (`/residents` and the
`/grant` picker)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from linli.models import Building, Grid, Resident, ResidentStatus, Role
from linli.services import structure
from linli.services.authz import buildings_in_area, require_role
from linli.services.errors import PermissionDenied, StaleAction, ValidationFailed

# --- how people are named ---------------------------------------------------------------------

Translate = Callable[..., str]
FORMER_RESIDENT = "person-former"
"""The i18n id of what an erased person is called in chats and the cockpit."""
FORMER_RESIDENT_LABEL = "〔前居民 · a former resident〕"
"""The same in data files that have no reader's language (CSV exports)."""


def shown_name(t: Translate | None, resident: Resident | None, *, empty: str = "-") -> str:
    """How a person is named to others, everywhere (cards, lists, exports): "a former
    resident" once they deleted their account — never the internal or placeholder Telegram
    id their row keeps — else their name, else their @username, else `empty`. `t` is a
    translate function (`i18n.get`); None gives `FORMER_RESIDENT_LABEL`."""
    if resident is None:
        return empty
    if resident.is_deleted:
        return t(FORMER_RESIDENT) if t is not None else FORMER_RESIDENT_LABEL
    if resident.display_name:
        return resident.display_name
    return f"@{resident.username}" if resident.username else empty


# --- people of an area (/residents and the /grant picker) ---------------------------------------


async def area_label(session: AsyncSession, actor: Resident) -> str:
    """The actor's area by name: their building (with its grid), their grid, or their
    community."""
    if actor.role == Role.BUILDING_CHIEF and actor.chief_building_id is not None:
        building, grid = await structure.get_building(session, actor.chief_building_id)
        return f"{grid.name} · {building.name}"
    if actor.role == Role.GRID_CHIEF and actor.chief_grid_id is not None:
        return (await structure.get_grid(session, actor.chief_grid_id)).name
    communities = {c.id: c.name for c in await structure.list_communities(session)}
    if actor.community_id in communities:
        return communities[actor.community_id]
    return " · ".join(communities.values())


async def area_buildings(session: AsyncSession, actor: Resident) -> list[tuple[Building, Grid]]:
    """The buildings of the actor's area with their grids (the building filter)."""
    require_role(actor, Role.BUILDING_CHIEF)
    rows = await session.execute(
        select(Building, Grid)
        .join(Grid, Grid.id == Building.grid_id)
        .where(Building.id.in_(buildings_in_area(actor)))
        .order_by(Grid.id, Building.id)
    )
    return [(b, g) for b, g in rows.all()]


async def community_units(
    session: AsyncSession, actor: Resident
) -> tuple[list[Grid], list[tuple[Building, Grid]]]:
    """The grids and the buildings an admin may give chiefs for (their community)."""
    require_role(actor, Role.ADMIN)
    grids = await structure.list_grids(session, actor.community_id)
    buildings = [(b, g) for g in grids for b in await structure.list_buildings(session, g.id)]
    return grids, buildings


PEOPLE_STATUSES = ("pending", "verified")


@dataclass(frozen=True)
class Person:
    resident: Resident
    building: Building | None
    grid: Grid | None


@dataclass(frozen=True)
class People:
    """One page of the people matching a filter, how many match, and how many of them are
    pending and verified (for the filter buttons)."""

    people: list[Person]
    total: int
    pending: int
    verified: int


def _in_area(actor: Resident) -> object:
    """Who belongs to the actor's area: living in one of its buildings, or a chief of one of
    its units; an admin's area is the whole community, chiefs without a building included."""
    area = buildings_in_area(actor)
    grids = select(Building.grid_id).where(Building.id.in_(area))
    clauses = [
        Resident.building_id.in_(area),
        Resident.chief_building_id.in_(area),
        Resident.chief_grid_id.in_(grids),
    ]
    if actor.role == Role.ADMIN:
        clauses.append(
            Resident.community_id.is_not(None)
            if actor.community_id is None
            else Resident.community_id == actor.community_id
        )
    return or_(*clauses)


def _matches(person: Person, word: str) -> bool:
    """One typed word against the name, the @username and the building (plain substring
    matching in Python: the word is never a pattern)."""
    word = word.casefold().lstrip("@")
    resident = person.resident
    return any(
        word in value.casefold()
        for value in (
            resident.display_name,
            resident.username or "",
            person.building.name if person.building is not None else "",
        )
        if value
    )


async def people(
    session: AsyncSession,
    actor: Resident,
    *,
    status: str = "",
    building_id: int | None = None,
    search: str = "",
    limit: int = 8,
    offset: int = 0,
    exclude_self: bool = False,
) -> People:
    """The people of the actor's area (chiefs: their building or grid; admins: the
    community): pending applicants first, then by building. `status` is "pending",
    "verified" or "" (both); `building_id` must be in the area; `search` is one word;
    `exclude_self` leaves the actor out (nobody picks themself for a role)."""
    require_role(actor, Role.BUILDING_CHIEF)
    if status not in ("", *PEOPLE_STATUSES):
        raise ValidationFailed()
    if building_id is not None:
        await structure.managed_building(session, actor, building_id)
    where: list[object] = [
        _in_area(actor),
        Resident.deleted_at.is_(None),
        or_(
            Resident.status == ResidentStatus.VERIFIED,
            (Resident.status == ResidentStatus.PENDING) & Resident.building_id.is_not(None),
        ),
    ]
    if building_id is not None:
        where.append(
            or_(Resident.building_id == building_id, Resident.chief_building_id == building_id)
        )
    if exclude_self:
        where.append(Resident.id != actor.id)
    stmt = (
        select(Resident, Building, Grid)
        .outerjoin(Building, Building.id == Resident.building_id)
        .outerjoin(Grid, Grid.id == Building.grid_id)
        .where(*where)
        .order_by(
            case((Resident.status == ResidentStatus.PENDING, 0), else_=1),
            Resident.building_id.is_not(None),
            Resident.building_id,
            Resident.id,
        )
    )
    if search.strip():
        # One typed word: matched in Python over the area (never as a SQL pattern).
        found = [Person(r, b, g) for r, b, g in (await session.execute(stmt)).all()]
        found = [p for p in found if _matches(p, search.strip())]
        pending = sum(1 for p in found if p.resident.status == ResidentStatus.PENDING)
        if status:
            found = [p for p in found if p.resident.status == ResidentStatus(status)]
        return People(found[offset : offset + limit], len(found), pending, len(found) - pending)
    counts = dict(
        (
            await session.execute(
                select(Resident.status, func.count()).where(*where).group_by(Resident.status)
            )
        ).all()
    )
    pending = counts.get(ResidentStatus.PENDING, 0)
    verified = counts.get(ResidentStatus.VERIFIED, 0)
    if status:
        stmt = stmt.where(Resident.status == ResidentStatus(status))
    page = (await session.execute(stmt.limit(limit).offset(offset))).all()
    total = {"pending": pending, "verified": verified}.get(status, pending + verified)
    return People([Person(r, b, g) for r, b, g in page], total, pending, verified)


async def person(session: AsyncSession, actor: Resident, resident_id: int) -> Person:
    """One person of the actor's area (a forged id from elsewhere is refused)."""
    require_role(actor, Role.BUILDING_CHIEF)
    row = (
        await session.execute(
            select(Resident, Building, Grid)
            .outerjoin(Building, Building.id == Resident.building_id)
            .outerjoin(Grid, Grid.id == Building.grid_id)
            .where(Resident.id == resident_id, Resident.deleted_at.is_(None))
            .execution_options(populate_existing=True)
        )
    ).first()
    if row is None:
        raise StaleAction()
    inside = await session.scalar(
        select(Resident.id).where(Resident.id == resident_id, _in_area(actor))
    )
    if inside is None:
        raise PermissionDenied("error-outside-area")
    return Person(row[0], row[1], row[2])
