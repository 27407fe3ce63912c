"""The needs list (需求清单): residents' needs, entered by a chief directly or made from a
micro-wish, a request or a topic (the need links back to its source; at most one need per
source), with a title, a category, a scope (a building, a grid, the community), who benefits
and how urgent it is. Residents of the scope support a need (+1, once).

State machine: `open → matched` (a project takes it up, services/projects.py) `→ in_progress`
(the project starts) `→ met` (the project is done); `matched|in_progress → open` when the
project is called off; `open|matched → declined` by a chief of its scope, with a reason.
`allowed_actions` says what a reader may do now; every change checks it again and is a
conditional UPDATE on `state` plus a `partner_events` row.

Who sees a need: chiefs, the needs of their area and of the whole community; residents, the
needs whose scope covers their building; partner members, every need of their community that
is still to be met (what is open to them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from linli.models import Building, Grid, Resident, Role
from linli.models.db import write_transaction
from linli.models.partners import (
    Need,
    NeedCategory,
    NeedState,
    NeedSupport,
    Project,
    ProjectNeed,
    Scope,
    SourceKind,
    Urgency,
)
from linli.services import complaints, partners, structure, topics, wishes
from linli.services.authz import manages_building, manages_grid, require_role
from linli.services.errors import (
    InvalidState,
    NotFound,
    PermissionDenied,
    StaleAction,
    ValidationFailed,
)
from linli.services.rewards import community_of

TITLE_MAX = 100
BENEFICIARIES_MAX = 100
REASON_MAX = 300
LIST_MAX = 20
SOURCE_LIST_MAX = 10
TO_MEET = (NeedState.OPEN, NeedState.MATCHED, NeedState.IN_PROGRESS)
LETTERS = {"W": SourceKind.WISH, "C": SourceKind.COMPLAINT, "T": SourceKind.TOPIC}


class NeedAction(StrEnum):
    SUPPORT = "support"
    DECLINE = "decline"


# --- places --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """A need's (or a project's) scope: a building, a grid, the whole community."""

    scope: Scope
    community_id: int
    grid_id: int | None = None
    building_id: int | None = None
    label: str = ""

    @property
    def value(self) -> str:
        """As a button's value: `building-<id>`, `grid-<id>`, `community`."""
        if self.scope == Scope.BUILDING:
            return f"building-{self.building_id}"
        if self.scope == Scope.GRID:
            return f"grid-{self.grid_id}"
        return "community"


def place_manager(
    actor: Resident, place: Place, building: Building | None, grid: Grid | None
) -> bool:
    if place.scope == Scope.BUILDING and building is not None and grid is not None:
        return manages_building(actor, building, grid)
    if place.scope == Scope.GRID and grid is not None:
        return manages_grid(actor, grid)
    return actor.is_admin and actor.community_id in (None, place.community_id)


async def place_of(session: AsyncSession, need: Need) -> tuple[Place, Building | None, Grid | None]:
    building = grid = None
    if need.building_id is not None:
        building, grid = await structure.get_building(session, need.building_id)
        label = f"{grid.name} · {building.name}"
    elif need.grid_id is not None:
        grid = await structure.get_grid(session, need.grid_id)
        label = grid.name
    else:
        label = ""
    place = Place(need.scope, need.community_id, need.grid_id, need.building_id, label)
    return place, building, grid


async def places_for(session: AsyncSession, actor: Resident | None) -> list[Place]:
    """The scopes a chief may give a need: their building; their grid and its buildings; for
    admins the whole community and each grid."""
    chief = require_role(actor, Role.BUILDING_CHIEF)
    community_id = await community_of(session, chief)
    out: list[Place] = []
    if chief.role == Role.ADMIN:
        out.append(Place(Scope.COMMUNITY, community_id))
        for grid in await structure.list_grids(session, community_id):
            out.append(Place(Scope.GRID, community_id, grid.id, label=grid.name))
        return out
    if chief.role == Role.GRID_CHIEF and chief.chief_grid_id is not None:
        grid = await structure.get_grid(session, chief.chief_grid_id)
        out.append(Place(Scope.GRID, community_id, grid.id, label=grid.name))
    for building in await structure.area_buildings(session, chief):
        b, g = await structure.get_building(session, building.id)
        out.append(Place(Scope.BUILDING, community_id, g.id, b.id, f"{g.name} · {b.name}"))
    return out


async def parse_place(session: AsyncSession, actor: Resident | None, value: str) -> Place:
    """A scope from a button's value, when the chief may use it."""
    for place in await places_for(session, actor):
        if place.value == value:
            return place
    raise PermissionDenied("error-outside-area")


# --- sources -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """A micro-wish, request or topic a chief may make a need from: its code, where it is,
    and a title to suggest (a wish's or topic's public text; never a request's words)."""

    kind: SourceKind
    item_id: int
    code: str
    place: Place
    suggestion: str


async def sources(session: AsyncSession, actor: Resident | None, letter: str) -> list[Source]:
    """The chief's recent open wishes, requests or topics (`letter` W, C, T) without a need."""
    chief = require_role(actor, Role.BUILDING_CHIEF)
    if letter == "W":
        ids = [w.id for w in await wishes.open_in_area(session, chief)]
    elif letter == "C":
        ids = sorted(c.id for c in await complaints.open_in_area(session, chief))
    elif letter == "T":
        ids = [t.id for t in await topics.pool(session, chief)]
    else:
        raise StaleAction()
    taken = set(
        (
            await session.scalars(select(Need.source_id).where(Need.source_kind == LETTERS[letter]))
        ).all()
    )
    out: list[Source] = []
    for item_id in reversed(ids):
        if item_id in taken:
            continue
        out.append(await source(session, chief, letter, item_id))
        if len(out) >= SOURCE_LIST_MAX:
            break
    return out


async def source(
    session: AsyncSession, actor: Resident | None, letter: str, item_id: int
) -> Source:
    """A wish, request or topic the chief manages, as a need's source."""
    chief = require_role(actor, Role.BUILDING_CHIEF)
    if letter == "W":
        data = await wishes.info(session, item_id)
        if not manages_building(chief, data.building, data.grid):
            raise PermissionDenied("error-outside-area")
        place = Place(
            Scope.BUILDING,
            data.grid.community_id,
            data.grid.id,
            data.building.id,
            f"{data.grid.name} · {data.building.name}",
        )
        return Source(SourceKind.WISH, item_id, data.wish.code, place, data.wish.text[:TITLE_MAX])
    if letter == "C":
        info = await complaints.for_chief(session, chief, item_id)
        place = Place(
            Scope.BUILDING,
            info.grid.community_id,
            info.grid.id,
            info.building.id,
            f"{info.grid.name} · {info.building.name}",
        )
        return Source(SourceKind.COMPLAINT, item_id, info.complaint.code, place, "")
    if letter == "T":
        topic = await topics.get(session, item_id)
        await topics.require_manager(session, chief, topic)
        _scope, label = await topics.unit_label(session, topic)
        place = Place(
            Scope(topic.scope.value), topic.community_id, topic.grid_id, topic.building_id, label
        )
        return Source(SourceKind.TOPIC, item_id, topic.ref, place, topic.title[:TITLE_MAX])
    raise StaleAction()


# --- making a need -------------------------------------------------------------------------------


@dataclass(frozen=True)
class NeedDraft:
    title: str
    category: str
    place_value: str
    beneficiaries: str
    urgency: str
    source_letter: str = ""
    source_id: int = 0


async def create(
    session: AsyncSession, actor: Resident | None, draft: NeedDraft, now: datetime
) -> Need:
    """A chief adds a need to the list, directly (a scope of their area) or from a wish,
    request or topic they manage (its place is the need's scope)."""
    chief = require_role(actor, Role.BUILDING_CHIEF)
    title = partners.check_text(draft.title, TITLE_MAX)
    beneficiaries = partners.check_text(draft.beneficiaries, BENEFICIARIES_MAX, empty_ok=True)
    try:
        category, urgency = NeedCategory(draft.category), Urgency(draft.urgency)
    except ValueError:
        raise ValidationFailed() from None
    found: Source | None = None
    if draft.source_letter:
        found = await source(session, chief, draft.source_letter, draft.source_id)
        place = found.place
    else:
        place = await parse_place(session, chief, draft.place_value)
    try:
        async with write_transaction(session):
            need = Need(
                community_id=place.community_id,
                scope=place.scope,
                grid_id=place.grid_id,
                building_id=place.building_id,
                title=title,
                category=category,
                beneficiaries=beneficiaries,
                urgency=urgency,
                source_kind=found.kind if found else None,
                source_id=found.item_id if found else None,
                state=NeedState.OPEN,
                support_count=0,
                created_by_id=chief.id,
                created_at=now,
                updated_at=now,
            )
            session.add(need)
            await session.flush()
            note = found.code if found else ""
            session.add(
                partners.event("need", need.id, chief, "added", None, NeedState.OPEN, now, note)
            )
    except IntegrityError:
        code = found.code if found else "-"
        raise InvalidState("need-error-source-taken", code=code) from None
    return need


# --- reading -------------------------------------------------------------------------------------


async def get(session: AsyncSession, need_id: int) -> Need:
    need = await session.get(Need, need_id, populate_existing=True)
    if need is None:
        raise NotFound("need-error-not-found", code=f"N{need_id}")
    return need


async def _home(session: AsyncSession, resident: Resident) -> tuple[int | None, int | None]:
    """The resident's building and its grid."""
    if resident.building_id is None:
        return None, None
    building, grid = await structure.get_building(session, resident.building_id)
    return building.id, grid.id


def _covers(need: Need, building_id: int | None, grid_id: int | None) -> bool:
    if need.scope == Scope.BUILDING:
        return building_id is not None and need.building_id == building_id
    if need.scope == Scope.GRID:
        return grid_id is not None and need.grid_id == grid_id
    return building_id is not None


@dataclass(frozen=True)
class Reader:
    """What decides what a reader sees and may do: their community, home, whether they are
    a partner member."""

    resident: Resident
    community_id: int
    building_id: int | None
    grid_id: int | None
    member: bool


async def reader(session: AsyncSession, resident: Resident | None) -> Reader:
    mine = await partners.require_section(session, resident, partners.Section.NEEDS)
    assert resident is not None
    building_id, grid_id = await _home(session, resident)
    if mine.unit is not None and mine.is_member:
        community_id = mine.unit.community_id
    else:
        community_id = await community_of(session, resident)
    return Reader(resident, community_id, building_id, grid_id, mine.is_member)


async def _manages(session: AsyncSession, actor: Resident, need: Need) -> bool:
    if not actor.is_chief:
        return False
    place, building, grid = await place_of(session, need)
    return place_manager(actor, place, building, grid)


async def visible(session: AsyncSession, me: Reader, need: Need) -> bool:
    if need.community_id != me.community_id:
        return False
    if await _manages(session, me.resident, need):
        return True
    if need.state == NeedState.DECLINED:
        return need.created_by_id == me.resident.id
    if me.member and need.state in TO_MEET:
        return True
    if me.resident.is_chief and need.scope == Scope.COMMUNITY:
        return True
    return _covers(need, me.building_id, me.grid_id)


async def listing(session: AsyncSession, resident: Resident | None) -> list[Need]:
    """The needs a reader sees, urgent and recent first (at most LIST_MAX)."""
    me = await reader(session, resident)
    rows = await session.scalars(
        select(Need).where(Need.community_id == me.community_id, Need.state.in_(TO_MEET))
    )
    out = [n for n in rows.all() if await visible(session, me, n)]
    out.sort(key=lambda n: (n.urgency != Urgency.HIGH, -n.id))
    return out[:LIST_MAX]


async def supported(session: AsyncSession, resident: Resident, need_id: int) -> bool:
    found = await session.scalar(
        select(NeedSupport.id).where(
            NeedSupport.need_id == need_id, NeedSupport.resident_id == resident.id
        )
    )
    return found is not None


def allowed_actions(
    need: Need, *, covers: bool, supported: bool, manages: bool
) -> list[NeedAction]:
    """Residents of its scope support a need still to be met, once; a chief of its scope
    declines it while no project took it up."""
    actions: list[NeedAction] = []
    if covers and not supported and need.state in TO_MEET:
        actions.append(NeedAction.SUPPORT)
    if manages and need.state == NeedState.OPEN:
        actions.append(NeedAction.DECLINE)
    return actions


@dataclass(frozen=True)
class NeedCard:
    need: Need
    place: Place
    actions: list[NeedAction]
    projects: list[str]
    supported: bool


async def card(session: AsyncSession, resident: Resident | None, need_id: int) -> NeedCard:
    me = await reader(session, resident)
    need = await get(session, need_id)
    if not await visible(session, me, need):
        raise PermissionDenied("need-error-not-visible")
    place, _building, _grid = await place_of(session, need)
    mine = await supported(session, me.resident, need.id)
    projects = await session.scalars(
        select(Project.id)
        .join(ProjectNeed, ProjectNeed.project_id == Project.id)
        .where(ProjectNeed.need_id == need.id)
        .order_by(Project.id)
    )
    actions = allowed_actions(
        need,
        covers=me.resident.is_verified and _covers(need, me.building_id, me.grid_id),
        supported=mine,
        manages=await _manages(session, me.resident, need),
    )
    return NeedCard(need, place, actions, [f"P{p}" for p in projects.all()], mine)


async def require_action(
    session: AsyncSession, resident: Resident | None, need_id: int, action: NeedAction
) -> NeedCard:
    """The need's card when `resident` may take `action` on it now; else why not."""
    found = await card(session, resident, need_id)
    if action in found.actions:
        return found
    if action == NeedAction.SUPPORT and found.supported:
        raise InvalidState("need-error-supported", code=found.need.code)
    if found.need.state not in TO_MEET:
        raise InvalidState("need-error-state", code=found.need.code, state=found.need.state.value)
    if action == NeedAction.SUPPORT:
        raise PermissionDenied("need-error-not-in-scope")
    if found.need.state != NeedState.OPEN:
        raise InvalidState("need-error-state", code=found.need.code, state=found.need.state.value)
    raise PermissionDenied("error-outside-area")


# --- changes -------------------------------------------------------------------------------------


async def support(
    session: AsyncSession, resident: Resident | None, need_id: int, now: datetime
) -> Need:
    """A resident of the need's scope supports it (+1, once: a unique constraint)."""
    try:
        async with write_transaction(session):
            await require_action(session, resident, need_id, NeedAction.SUPPORT)
            assert resident is not None
            session.add(NeedSupport(need_id=need_id, resident_id=resident.id, created_at=now))
            await session.flush()
            await session.execute(
                update(Need)
                .where(Need.id == need_id)
                .values(support_count=Need.support_count + 1)
                .execution_options(synchronize_session=False)
            )
    except IntegrityError:
        raise InvalidState("need-error-supported", code=f"N{need_id}") from None
    return await get(session, need_id)


async def move(
    session: AsyncSession,
    need: Need,
    actor: Resident | None,
    action: str,
    to: NeedState,
    now: datetime,
    *,
    reason: str = "",
) -> bool:
    """Inside the caller's transaction: `need` to `to` from the state it had, with a
    history row; False when another change came first."""
    old = need.state
    result = await session.execute(
        update(Need)
        .where(Need.id == need.id, Need.state == old)
        .values(state=to, updated_at=now, **({"reason": reason} if reason else {}))
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return False
    session.add(partners.event("need", need.id, actor, action, old.value, to.value, now, reason))
    return True


async def decline(
    session: AsyncSession, actor: Resident | None, need_id: int, reason: str, now: datetime
) -> Need:
    """A chief of the need's scope declines it, with a reason the residents see."""
    reason = partners.check_text(reason, REASON_MAX)
    async with write_transaction(session):
        found = await require_action(session, actor, need_id, NeedAction.DECLINE)
        moved = await move(
            session, found.need, actor, "declined", NeedState.DECLINED, now, reason=reason
        )
        if not moved:
            raise InvalidState("need-error-changed", code=found.need.code)
    return await get(session, need_id)
