"""Communities, grids and buildings; the CSV structure import."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from linli.models import Building, Community, Grid, Resident, ResidentStatus, Role, utcnow
from linli.models.db import write_transaction
from linli.services import audit, handover
from linli.services.authz import buildings_in_area, manages_building
from linli.services.errors import NotFound, PermissionDenied, ValidationFailed

DEFAULT_COMMUNITY = "邻里社区"
CHIEF_ROLES = {
    "grid_chief": Role.GRID_CHIEF,
    "building_chief": Role.BUILDING_CHIEF,
    "admin": Role.ADMIN,
}


async def list_communities(session: AsyncSession) -> list[Community]:
    return list((await session.scalars(select(Community).order_by(Community.id))).all())


async def list_grids(session: AsyncSession, community_id: int | None = None) -> list[Grid]:
    stmt = select(Grid).order_by(Grid.id)
    if community_id is not None:
        stmt = stmt.where(Grid.community_id == community_id)
    return list((await session.scalars(stmt)).all())


async def grid_choices(session: AsyncSession) -> list[tuple[Grid, str | None]]:
    """Every grid with its community's name, or None when there is only one community (the
    first question of registration, asked of every newcomer: one statement)."""
    rows = (await session.execute(_GRID_CHOICES)).all()
    return [(grid, name if communities > 1 else None) for grid, name, communities in rows]


_GRID_CHOICES = (
    select(Grid, Community.name, select(func.count()).select_from(Community).scalar_subquery())
    .join(Community, Community.id == Grid.community_id)
    .order_by(Grid.id)
)


async def list_buildings(session: AsyncSession, grid_id: int) -> list[Building]:
    stmt = select(Building).where(Building.grid_id == grid_id).order_by(Building.id)
    return list((await session.scalars(stmt)).all())


async def get_grid(session: AsyncSession, grid_id: int) -> Grid:
    grid = await session.get(Grid, grid_id)
    if grid is None:
        raise NotFound()
    return grid


async def get_building(session: AsyncSession, building_id: int) -> tuple[Building, Grid]:
    row = (
        await session.execute(select(Building, Grid).join(Grid).where(Building.id == building_id))
    ).first()
    if row is None:
        raise NotFound()
    return row[0], row[1]


async def managed_building(
    session: AsyncSession, actor: Resident, building_id: int
) -> tuple[Building, Grid]:
    """A building (and its grid) in the actor's area; PermissionDenied outside it."""
    building, grid = await get_building(session, building_id)
    if not manages_building(actor, building, grid):
        raise PermissionDenied("error-outside-area")
    return building, grid


async def area_buildings(session: AsyncSession, actor: Resident) -> list[Building]:
    """The buildings the actor manages, in id order (empty for non-chiefs)."""
    stmt = select(Building).where(Building.id.in_(buildings_in_area(actor))).order_by(Building.id)
    return list((await session.scalars(stmt)).all())


async def find_unit(
    session: AsyncSession, ref: str, community_id: int | None = None
) -> Grid | Building:
    """A grid by name, or a building by "grid/building" or by a name unique in the community."""
    ref = ref.strip()
    grid_name, sep, building_name = ref.partition("/")
    grids = select(Grid)
    if community_id is not None:
        grids = grids.where(Grid.community_id == community_id)
    if sep:
        stmt = (
            select(Building)
            .join(Grid)
            .where(Grid.name == grid_name.strip(), Building.name == building_name.strip())
        )
        if community_id is not None:
            stmt = stmt.where(Grid.community_id == community_id)
        building = (await session.scalars(stmt)).first()
        if building is None:
            raise NotFound("error-unit-not-found", ref=ref)
        return building
    grid = (await session.scalars(grids.where(Grid.name == ref))).first()
    if grid is not None:
        return grid
    stmt = select(Building).join(Grid).where(Building.name == ref)
    if community_id is not None:
        stmt = stmt.where(Grid.community_id == community_id)
    found = list((await session.scalars(stmt.limit(2))).all())
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise ValidationFailed("error-unit-ambiguous", ref=ref)
    raise NotFound("error-unit-not-found", ref=ref)


# --- CSV import ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StructureRow:
    line: int
    community: str
    grid: str
    building: str
    chief_telegram_id: int | None
    chief_role: Role | None
    chief_name: str
    # Optional `lat`,`lon` columns: where a building stands (a location sent with a hazard
    # report finds the nearest building, services/hazards.py).
    lat: float | None = None
    lon: float | None = None


@dataclass
class ImportReport:
    communities: int = 0
    grids: int = 0
    buildings: int = 0
    chiefs: int = 0
    errors: list[str] = field(default_factory=list)
    located: int = 0  # buildings whose coordinates were set or changed

    @property
    def changed(self) -> int:
        return self.communities + self.grids + self.buildings + self.chiefs + self.located


class StructureImportError(ValidationFailed):
    """Every malformed row, each prefixed with its line number; nothing was imported."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("error-structure-import", errors="\n".join(errors))
        self.errors = errors


def parse_structure_csv(
    text: str, default_community: str = DEFAULT_COMMUNITY
) -> list[StructureRow]:
    """Parse and validate the whole file; raise StructureImportError listing bad lines."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    fields = {(name or "").strip().lower() for name in reader.fieldnames or []}
    if "grid" not in fields:
        raise StructureImportError(["line 1: missing column 'grid'"])
    rows: list[StructureRow] = []
    errors: list[str] = []
    chiefs: dict[int, tuple[Role, str, str, int]] = {}
    for raw in reader:
        line = reader.line_num
        rec = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        if None in raw:
            errors.append(f"line {line}: too many fields")
            continue
        if not any(rec.values()):
            continue
        community = rec.get("community") or default_community
        grid = rec.get("grid", "")
        building = rec.get("building", "")
        tg_raw = rec.get("chief_telegram_id", "")
        role_raw = rec.get("chief_role", "").lower()
        problems: list[str] = []
        if not grid:
            problems.append("grid is empty")
        for label, value in (("community", community), ("grid", grid), ("building", building)):
            if len(value) > 100:
                problems.append(f"{label} is longer than 100 characters")
        tg_id: int | None = None
        role: Role | None = None
        if tg_raw:
            if not (tg_raw.isascii() and tg_raw.isdigit()) or not 0 < int(tg_raw) < 2**53:
                problems.append(f"chief_telegram_id {tg_raw!r} is not a Telegram user id")
            else:
                tg_id = int(tg_raw)
        if role_raw:
            role = CHIEF_ROLES.get(role_raw)
            if role is None:
                problems.append(
                    f"chief_role {role_raw!r} is not one of {', '.join(sorted(CHIEF_ROLES))}"
                )
        if (tg_id is None) != (role is None) and not problems:
            problems.append("chief_telegram_id and chief_role go together")
        if role == Role.BUILDING_CHIEF and not building:
            problems.append("a building_chief needs a building")
        if tg_id is not None and role is not None and not problems:
            unit = building if role == Role.BUILDING_CHIEF else grid
            previous = chiefs.get(tg_id)
            if previous and previous[:3] != (role, community, unit if role != Role.ADMIN else ""):
                problems.append(f"chief {tg_id} already has another role on line {previous[3]}")
            chiefs[tg_id] = (role, community, unit if role != Role.ADMIN else "", line)
        lat, lon = _coordinates(rec.get("lat", ""), rec.get("lon", ""), building, problems)
        if problems:
            errors.append(f"line {line}: {'; '.join(problems)}")
            continue
        rows.append(
            StructureRow(
                line=line,
                community=community,
                grid=grid,
                building=building,
                chief_telegram_id=tg_id,
                chief_role=role,
                chief_name=rec.get("chief_name", ""),
                lat=lat,
                lon=lon,
            )
        )
    if errors:
        raise StructureImportError(errors)
    if not rows:
        raise StructureImportError(["the file has no rows"])
    return rows


_DEGREES = re.compile(r"^-?[0-9]{1,3}(?:\.[0-9]{1,10})?$")


def _coordinates(
    lat_raw: str, lon_raw: str, building: str, problems: list[str]
) -> tuple[float | None, float | None]:
    """The optional `lat`,`lon` of a building row (decimal degrees, ASCII digits)."""
    if not lat_raw and not lon_raw:
        return None, None
    if not (lat_raw and lon_raw):
        problems.append("lat and lon go together")
        return None, None
    if not building:
        problems.append("lat and lon belong to a building")
        return None, None
    if not (_DEGREES.match(lat_raw) and _DEGREES.match(lon_raw)):
        problems.append(f"lat/lon {lat_raw!r},{lon_raw!r} are not decimal degrees")
        return None, None
    lat, lon = float(lat_raw), float(lon_raw)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        problems.append(f"lat/lon {lat_raw},{lon_raw} are out of range")
        return None, None
    return lat, lon


async def import_structure(session: AsyncSession, rows: list[StructureRow]) -> ImportReport:
    """Create what is missing, in one transaction. Importing the same rows twice changes
    nothing the second time."""
    report = ImportReport()
    async with write_transaction(session):
        communities: dict[str, Community] = {}
        grids: dict[tuple[int, str], Grid] = {}
        buildings: dict[tuple[int, str], Building] = {}
        for row in rows:
            community = communities.get(row.community)
            if community is None:
                community = await session.scalar(
                    select(Community).where(Community.name == row.community)
                )
                if community is None:
                    community = Community(name=row.community)
                    session.add(community)
                    await session.flush()
                    report.communities += 1
                communities[row.community] = community
            grid = grids.get((community.id, row.grid))
            if grid is None:
                grid = await session.scalar(
                    select(Grid).where(Grid.community_id == community.id, Grid.name == row.grid)
                )
                if grid is None:
                    grid = Grid(community_id=community.id, name=row.grid)
                    session.add(grid)
                    await session.flush()
                    report.grids += 1
                grids[(community.id, row.grid)] = grid
            building: Building | None = None
            if row.building:
                building = buildings.get((grid.id, row.building))
                if building is None:
                    building = await session.scalar(
                        select(Building).where(
                            Building.grid_id == grid.id, Building.name == row.building
                        )
                    )
                    if building is None:
                        building = Building(grid_id=grid.id, name=row.building)
                        session.add(building)
                        await session.flush()
                        report.buildings += 1
                    buildings[(grid.id, row.building)] = building
                if row.lat is not None and (building.lat, building.lon) != (row.lat, row.lon):
                    building.lat, building.lon = row.lat, row.lon
                    report.located += 1
            if row.chief_role is not None and await _apply_chief(
                session, row, community, grid, building
            ):
                report.chiefs += 1
        if report.changed:
            await audit.record(
                session,
                None,
                "structure.import",
                communities=report.communities,
                grids=report.grids,
                buildings=report.buildings,
                chiefs=report.chiefs,
            )
    return report


async def _apply_chief(
    session: AsyncSession,
    row: StructureRow,
    community: Community,
    grid: Grid,
    building: Building | None,
) -> bool:
    """Make the row's chief hold its role; True when something changed. A chief the file
    moves elsewhere hands over what they ran, as with /grant (`services.handover`)."""
    assert row.chief_telegram_id is not None and row.chief_role is not None
    resident = await session.scalar(
        select(Resident).where(Resident.telegram_id == row.chief_telegram_id)
    )
    if resident is None:
        resident = Resident(
            telegram_id=row.chief_telegram_id,
            display_name=row.chief_name,
            status=ResidentStatus.PENDING,
            role=Role.RESIDENT,
        )
        session.add(resident)
    wanted = {
        "role": row.chief_role,
        "community_id": community.id,
        "chief_grid_id": grid.id if row.chief_role == Role.GRID_CHIEF else None,
        "chief_building_id": building.id if row.chief_role == Role.BUILDING_CHIEF else None,
        "status": ResidentStatus.VERIFIED,
    }
    if row.chief_role == Role.BUILDING_CHIEF and resident.building_id is None:
        wanted["building_id"] = building.id if building else None
    if row.chief_name and not resident.display_name:
        wanted["display_name"] = row.chief_name
    changed = resident.id is None or any(
        getattr(resident, key) != value for key, value in wanted.items()
    )
    before = (resident.role, resident.chief_grid_id, resident.chief_building_id)
    for key, value in wanted.items():
        setattr(resident, key, value)
    if resident.verified_at is None:
        resident.verified_at = utcnow()
    await session.flush()
    if before[0] not in (None, Role.RESIDENT) and before != (
        resident.role,
        resident.chief_grid_id,
        resident.chief_building_id,
    ):
        await handover.after_role_change(session, None, resident)
    return changed
