"""The projects list (项目清单): a grid chief (for their grid) or an admin (for a grid or the
whole community) makes a project that meets needs of the needs list with resources of the
units, led by a unit; its tasks are volunteer activities (sign-up, check-in, hours and points
as they work for every activity); progress is posted to the groups concerned; when done, the
result is published (公示) and residents of its scope rate it, once each.

State machine: `planned → active → done`; `planned|active → cancelled`. Its needs follow:
`open → matched` when the project is made, `→ in_progress` when it starts, `→ met` when it is
done, back to `open` when it is called off. `allowed_actions` says what a reader may do now;
every change checks it again, is a conditional UPDATE on `state`, a `partner_events` row, and
the group post it causes in the outbox, in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from linli.config.points import PointsSettings
from linli.models import Building, ChatBinding, Grid, Resident, Role
from linli.models.db import write_transaction
from linli.models.partners import (
    Need,
    NeedState,
    PartnerUnit,
    Project,
    ProjectNeed,
    ProjectRating,
    ProjectResource,
    ProjectState,
    ProjectTask,
    Resource,
    UnitState,
)
from linli.models.points import Activity
from linli.services import activities, needs, outbox, partners, structure
from linli.services.authz import require_role
from linli.services.errors import (
    InvalidState,
    NotFound,
    PermissionDenied,
    StaleAction,
    ValidationFailed,
)
from linli.services.rewards import community_of

TITLE_MAX = 100
GOAL_MAX = 500
RESULT_MAX = 1000
PROGRESS_MAX = 500
LIST_MAX = 20
CHOICES_MAX = 20
POST_SOURCE = "project"
"""`outbox_messages.source` of a project's group posts (source id: the project)."""

Announce = Callable[[Project, str, str], tuple[str, dict[str, Any] | None]]
"""Renders a group post about a project: (project, what happened — "created", "started",
"progress", "done" —, a note) → the text and its inline keyboard as JSON."""


class ProjectAction(StrEnum):
    START = "start"
    PROGRESS = "progress"
    TASK = "task"
    DONE = "done"
    CANCEL = "cancel"
    RATE = "rate"


# --- making one ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choices:
    """What a chief may put in a project: the grids (0 = the whole community, admins only),
    the active units to lead it, the open needs they manage, the available resources."""

    grids: list[tuple[int, str]]
    units: list[PartnerUnit]
    needs: list[Need]
    resources: list[tuple[Resource, PartnerUnit]]


async def _community(session: AsyncSession, actor: Resident | None) -> tuple[Resident, int]:
    chief = require_role(actor, Role.GRID_CHIEF)
    return chief, await community_of(session, chief)


async def choices(session: AsyncSession, actor: Resident | None, grid_id: int) -> Choices:
    chief, community_id = await _community(session, actor)
    if chief.role == Role.ADMIN:
        grids = [(0, "")] + [
            (g.id, g.name) for g in await structure.list_grids(session, community_id)
        ]
    else:
        grid = await structure.get_grid(session, chief.chief_grid_id or 0)
        grids = [(grid.id, grid.name)]
    if grid_id not in {g for g, _name in grids}:
        raise PermissionDenied("error-outside-area")
    stmt = select(Need).where(Need.community_id == community_id, Need.state == NeedState.OPEN)
    if grid_id:
        stmt = stmt.where(Need.grid_id == grid_id)
    candidates = list((await session.scalars(stmt.order_by(Need.id.desc()))).all())
    reader = needs.Reader(chief, community_id, None, None, member=False)
    open_needs = []
    for need in candidates:
        if await needs.visible(session, reader, need) and await _manages_need(session, chief, need):
            open_needs.append(need)
    resources = await _available(session, community_id)
    return Choices(
        grids=grids,
        units=await partners.active_units(session, community_id),
        needs=open_needs[:CHOICES_MAX],
        resources=resources[:CHOICES_MAX],
    )


async def _manages_need(session: AsyncSession, actor: Resident, need: Need) -> bool:
    place, building, grid = await needs.place_of(session, need)
    return needs.place_manager(actor, place, building, grid)


async def _available(
    session: AsyncSession, community_id: int
) -> list[tuple[Resource, PartnerUnit]]:
    rows = await session.execute(
        select(Resource, PartnerUnit)
        .join(PartnerUnit, PartnerUnit.id == Resource.unit_id)
        .where(
            Resource.available,
            PartnerUnit.community_id == community_id,
            PartnerUnit.state == UnitState.ACTIVE,
        )
        .order_by(Resource.id)
    )
    return [(r, u) for r, u in rows.all()]


@dataclass(frozen=True)
class ProjectDraft:
    title: str
    goal: str
    grid_id: int  # 0: the whole community
    lead_unit_id: int
    need_ids: list[int]
    resource_ids: list[int]
    starts_at: datetime
    ends_at: datetime


async def create(
    session: AsyncSession,
    actor: Resident | None,
    draft: ProjectDraft,
    now: datetime,
    announce: Announce | None = None,
) -> Project:
    """Make a project; its needs are matched to it; its post goes to the groups of its scope."""
    title = partners.check_text(draft.title, TITLE_MAX)
    goal = partners.check_text(draft.goal, GOAL_MAX)
    if not now < draft.ends_at or not draft.starts_at < draft.ends_at:
        raise ValidationFailed("project-error-dates")
    chief, community_id = await _community(session, actor)
    offered = await choices(session, chief, draft.grid_id)
    units = {u.id: u for u in offered.units}
    if draft.lead_unit_id not in units:
        raise StaleAction("project-error-unit")
    need_rows = {n.id: n for n in offered.needs}
    for need_id in set(draft.need_ids) - set(need_rows):
        need = await session.get(Need, need_id)
        if need is None or not await _manages_need(session, chief, need):
            raise PermissionDenied("error-outside-area")
        raise StaleAction("project-error-changed")  # taken up or declined meanwhile
    if not set(draft.resource_ids) <= {r.id for r, _unit in offered.resources}:
        raise StaleAction("project-error-changed")
    if not draft.need_ids:
        raise ValidationFailed("project-error-no-needs")
    async with write_transaction(session):
        project = Project(
            community_id=community_id,
            grid_id=draft.grid_id or None,
            title=title,
            goal=goal,
            lead_unit_id=draft.lead_unit_id,
            state=ProjectState.PLANNED,
            result="",
            starts_at=draft.starts_at,
            ends_at=draft.ends_at,
            created_by_id=chief.id,
            created_at=now,
        )
        session.add(project)
        await session.flush()
        for need_id in sorted(set(draft.need_ids)):
            need = await needs.get(session, need_id)
            if not await needs.move(
                session, need, chief, "matched", NeedState.MATCHED, now, reason=""
            ):
                raise StaleAction("project-error-changed")
            session.add(ProjectNeed(project_id=project.id, need_id=need_id))
        for resource_id in sorted(set(draft.resource_ids)):
            session.add(ProjectResource(project_id=project.id, resource_id=resource_id))
        session.add(
            partners.event("project", project.id, chief, "created", None, ProjectState.PLANNED, now)
        )
        await _post(session, project, "created", units[draft.lead_unit_id].name, announce)
    return project


# --- reading -------------------------------------------------------------------------------------


async def get(session: AsyncSession, project_id: int) -> Project:
    project = await session.get(Project, project_id, populate_existing=True)
    if project is None:
        raise NotFound("project-error-not-found", code=f"P{project_id}")
    return project


def manages(actor: Resident | None, project: Project) -> bool:
    """Its grid's chief, or an admin of its community."""
    if actor is None or not actor.is_verified:
        return False
    if actor.role == Role.ADMIN:
        return actor.community_id in (None, project.community_id)
    return (
        actor.role == Role.GRID_CHIEF
        and project.grid_id is not None
        and actor.chief_grid_id == project.grid_id
    )


async def _home(session: AsyncSession, resident: Resident) -> tuple[int, int] | None:
    """The grid and community a verified resident lives in."""
    if not resident.is_verified or resident.building_id is None:
        return None
    _building, grid = await structure.get_building(session, resident.building_id)
    return grid.id, grid.community_id


def _covers(home: tuple[int, int] | None, project: Project) -> bool:
    """A home in the project's grid (or community)."""
    if home is None or home[1] != project.community_id:
        return False
    return project.grid_id is None or project.grid_id == home[0]


async def _in_scope(session: AsyncSession, resident: Resident, project: Project) -> bool:
    """A verified resident living in the project's grid (or community)."""
    return _covers(await _home(session, resident), project)


@dataclass(frozen=True)
class Viewer:
    resident: Resident
    manager: bool
    in_scope: bool
    member_of: PartnerUnit | None
    lead_contact: bool
    rated: bool


async def viewer(session: AsyncSession, resident: Resident | None, project: Project) -> Viewer:
    mine = await partners.require_section(session, resident, partners.Section.PROJECTS)
    assert resident is not None
    unit = mine.unit if mine.is_member else None
    rated = await session.scalar(
        select(ProjectRating.id).where(
            ProjectRating.project_id == project.id, ProjectRating.resident_id == resident.id
        )
    )
    return Viewer(
        resident=resident,
        manager=manages(resident, project),
        in_scope=await _in_scope(session, resident, project),
        member_of=unit,
        lead_contact=mine.is_contact and unit is not None and unit.id == project.lead_unit_id,
        rated=rated is not None,
    )


def visible(project: Project, me: Viewer) -> bool:
    if me.manager or me.in_scope:
        return True
    if me.member_of is not None and me.member_of.community_id == project.community_id:
        return project.state != ProjectState.CANCELLED
    return (
        me.resident.is_chief
        and project.state != ProjectState.CANCELLED
        and (me.resident.community_id in (None, project.community_id))
    )


def allowed_actions(project: Project, me: Viewer) -> list[ProjectAction]:
    state = project.state
    live = (ProjectState.PLANNED, ProjectState.ACTIVE)
    actions: list[ProjectAction] = []
    if me.manager and state == ProjectState.PLANNED:
        actions.append(ProjectAction.START)
    if (me.manager or me.lead_contact) and state == ProjectState.ACTIVE:
        actions.append(ProjectAction.PROGRESS)
    if me.manager and state in live:
        actions.append(ProjectAction.TASK)
    if me.manager and state == ProjectState.ACTIVE:
        actions.append(ProjectAction.DONE)
    if me.manager and state in live:
        actions.append(ProjectAction.CANCEL)
    if me.in_scope and state == ProjectState.DONE and not me.rated:
        actions.append(ProjectAction.RATE)
    return actions


@dataclass
class ProjectCard:
    project: Project
    lead: PartnerUnit | None
    place: str
    needs: list[Need]
    resources: list[tuple[Resource, PartnerUnit]]
    tasks: list[Activity]
    ratings: int
    average: float | None
    actions: list[ProjectAction] = field(default_factory=list)


async def rating_summary(session: AsyncSession, project_id: int) -> tuple[int, float | None]:
    count, average = (
        await session.execute(
            select(func.count(), func.avg(ProjectRating.stars)).where(
                ProjectRating.project_id == project_id
            )
        )
    ).one()
    return int(count or 0), float(average) if average is not None else None


async def card(session: AsyncSession, resident: Resident | None, project_id: int) -> ProjectCard:
    project = await get(session, project_id)
    me = await viewer(session, resident, project)
    if not visible(project, me):
        raise PermissionDenied("project-error-not-visible")
    return await details(session, project, allowed_actions(project, me))


async def details(
    session: AsyncSession, project: Project, actions: list[ProjectAction]
) -> ProjectCard:
    lead = await session.get(PartnerUnit, project.lead_unit_id) if project.lead_unit_id else None
    place = ""
    if project.grid_id is not None:
        place = (await structure.get_grid(session, project.grid_id)).name
    need_rows = await session.scalars(
        select(Need)
        .join(ProjectNeed, ProjectNeed.need_id == Need.id)
        .where(ProjectNeed.project_id == project.id)
        .order_by(Need.id)
    )
    resource_rows = await session.execute(
        select(Resource, PartnerUnit)
        .join(ProjectResource, ProjectResource.resource_id == Resource.id)
        .join(PartnerUnit, PartnerUnit.id == Resource.unit_id)
        .where(ProjectResource.project_id == project.id)
        .order_by(Resource.id)
    )
    tasks = await session.scalars(
        select(Activity)
        .join(ProjectTask, ProjectTask.activity_id == Activity.id)
        .where(ProjectTask.project_id == project.id)
        .order_by(Activity.starts_at)
    )
    count, average = await rating_summary(session, project.id)
    return ProjectCard(
        project=project,
        lead=lead,
        place=place,
        needs=list(need_rows.all()),
        resources=[(r, u) for r, u in resource_rows.all()],
        tasks=list(tasks.all()),
        ratings=count,
        average=average,
        actions=actions,
    )


async def listing(session: AsyncSession, resident: Resident | None) -> list[Project]:
    """The projects a reader sees, the live ones first (at most LIST_MAX)."""
    mine = await partners.require_section(session, resident, partners.Section.PROJECTS)
    assert resident is not None
    community_id = (
        mine.unit.community_id
        if mine.unit is not None and mine.is_member
        else await community_of(session, resident)
    )
    rows = await session.scalars(
        select(Project)
        .where(Project.community_id == community_id, Project.state != ProjectState.CANCELLED)
        .order_by(Project.id.desc())
        .limit(LIST_MAX * 3)
    )
    home = await _home(session, resident)
    unit = mine.unit if mine.is_member else None
    out = []
    for project in rows.all():
        me = Viewer(
            resident=resident,
            manager=manages(resident, project),
            in_scope=_covers(home, project),
            member_of=unit,
            lead_contact=False,
            rated=False,
        )
        if visible(project, me):
            out.append(project)
    out.sort(key=lambda p: (p.state == ProjectState.DONE, -p.id))
    return out[:LIST_MAX]


async def require_action(
    session: AsyncSession, resident: Resident | None, project_id: int, action: ProjectAction
) -> ProjectCard:
    """The project's card when `resident` may take `action` now; else why not."""
    found = await card(session, resident, project_id)
    if action in found.actions:
        return found
    project = found.project
    if action == ProjectAction.RATE and project.state == ProjectState.DONE:
        me = await viewer(session, resident, project)
        if me.rated:
            raise InvalidState("project-error-rated", code=project.code)
        raise PermissionDenied("project-error-not-in-scope")
    if manages(resident, project) or action == ProjectAction.PROGRESS:
        raise InvalidState("project-error-state", code=project.code, state=project.state.value)
    raise PermissionDenied("error-outside-area")


# --- changes -------------------------------------------------------------------------------------


async def scope_chats(session: AsyncSession, project: Project) -> list[int]:
    """Active groups of the project's grid and its buildings (or of the whole community)."""
    grids = (
        select(Grid.id).where(Grid.id == project.grid_id)
        if project.grid_id is not None
        else select(Grid.id).where(Grid.community_id == project.community_id)
    )
    rows = await session.scalars(
        select(ChatBinding.chat_id)
        .where(
            ChatBinding.active,
            or_(
                ChatBinding.grid_id.in_(grids),
                ChatBinding.building_id.in_(select(Building.id).where(Building.grid_id.in_(grids))),
            ),
        )
        .order_by(ChatBinding.id)
    )
    return list(rows.all())


async def _post(
    session: AsyncSession, project: Project, what: str, note: str, announce: Announce | None
) -> None:
    if announce is None:
        return
    chats = await scope_chats(session, project)
    if chats:
        text, markup = announce(project, what, note)
        await outbox.enqueue(
            session,
            chat_ids=chats,
            text=text,
            source=POST_SOURCE,
            source_id=project.id,
            reply_markup=markup,
        )


async def _transition(
    session: AsyncSession,
    actor: Resident | None,
    project_id: int,
    action: ProjectAction,
    to: ProjectState,
    now: datetime,
    *,
    needs_to: tuple[tuple[NeedState, ...], NeedState] | None = None,
    values: dict[str, Any] | None = None,
    note: str = "",
    announce: Announce | None = None,
) -> Project:
    async with write_transaction(session):
        found = await require_action(session, actor, project_id, action)
        project = found.project
        old = project.state
        moved = await session.execute(
            update(Project)
            .where(Project.id == project.id, Project.state == old)
            .values(state=to, **(values or {}))
            .execution_options(synchronize_session=False)
        )
        if moved.rowcount != 1:  # type: ignore[attr-defined]
            raise InvalidState("project-error-changed")
        if needs_to is not None:
            sources, target = needs_to
            for need in found.needs:
                if need.state in sources:
                    await needs.move(session, need, actor, action.value, target, now)
        session.add(partners.event("project", project.id, actor, action.value, old, to, now, note))
        await session.refresh(project)
        await _post(
            session,
            project,
            {"start": "started", "done": "done"}.get(action, action),
            note,
            announce,
        )
    return project


async def start(
    session: AsyncSession,
    actor: Resident | None,
    project_id: int,
    now: datetime,
    announce: Announce | None = None,
) -> Project:
    return await _transition(
        session,
        actor,
        project_id,
        ProjectAction.START,
        ProjectState.ACTIVE,
        now,
        needs_to=((NeedState.MATCHED,), NeedState.IN_PROGRESS),
        announce=announce,
    )


async def complete(
    session: AsyncSession,
    actor: Resident | None,
    project_id: int,
    result: str,
    now: datetime,
    announce: Announce | None = None,
) -> Project:
    """Done: the result is published to the groups of its scope (with the rating buttons)
    and its needs are met."""
    result = partners.check_text(result, RESULT_MAX)
    return await _transition(
        session,
        actor,
        project_id,
        ProjectAction.DONE,
        ProjectState.DONE,
        now,
        needs_to=((NeedState.MATCHED, NeedState.IN_PROGRESS), NeedState.MET),
        values={"result": result, "done_at": now},
        note=result,
        announce=announce,
    )


async def cancel(
    session: AsyncSession, actor: Resident | None, project_id: int, now: datetime
) -> Project:
    """Called off: its needs are open again for another project."""
    return await _transition(
        session,
        actor,
        project_id,
        ProjectAction.CANCEL,
        ProjectState.CANCELLED,
        now,
        needs_to=((NeedState.MATCHED, NeedState.IN_PROGRESS), NeedState.OPEN),
    )


async def progress(
    session: AsyncSession,
    actor: Resident | None,
    project_id: int,
    text: str,
    now: datetime,
    announce: Announce | None = None,
) -> Project:
    """A progress post to the groups of its scope (its manager or the lead unit's contact)."""
    text = partners.check_text(text, PROGRESS_MAX)
    async with write_transaction(session):
        found = await require_action(session, actor, project_id, ProjectAction.PROGRESS)
        project = found.project
        state = project.state.value
        session.add(
            partners.event("project", project.id, actor, "progress", state, state, now, text)
        )
        await _post(session, project, "progress", text, announce)
    return project


async def add_task(
    session: AsyncSession,
    actor: Resident | None,
    project_id: int,
    draft: activities.Draft,
    now: datetime,
    *,
    settings: PointsSettings | None = None,
) -> Activity:
    """A task of the project: a volunteer activity of the project's grid (or the whole
    community), so the project's grid chief manages it; partner members, who have no
    building, may join it like any activity of their community. Bounded like every
    activity by `settings` (the environment's POINTS_* when not given)."""
    async with write_transaction(session):
        found = await require_action(session, actor, project_id, ProjectAction.TASK)
        assert actor is not None
        activity = await activities.create(session, actor, draft, now=now, settings=settings)
        activity.grid_id = found.project.grid_id
        session.add(ProjectTask(project_id=found.project.id, activity_id=activity.id))
        session.add(
            partners.event(
                "project", found.project.id, actor, "task", None, None, now, f"A{activity.id}"
            )
        )
    return activity


async def rate(
    session: AsyncSession, resident: Resident | None, project_id: int, stars: int, now: datetime
) -> tuple[Project, int, float | None]:
    """A resident of the project's scope rates its published result, once."""
    if not 1 <= stars <= 5:
        raise StaleAction()
    project = await get(session, project_id)
    if resident is None or not await _in_scope(session, resident, project):
        raise PermissionDenied("project-error-not-in-scope")
    try:
        async with write_transaction(session):
            found = await require_action(session, resident, project_id, ProjectAction.RATE)
            assert resident is not None
            session.add(
                ProjectRating(
                    project_id=found.project.id,
                    resident_id=resident.id,
                    stars=stars,
                    created_at=now,
                )
            )
    except IntegrityError:
        raise InvalidState("project-error-rated", code=f"P{project_id}") from None
    count, average = await rating_summary(session, project_id)
    return found.project, count, average
