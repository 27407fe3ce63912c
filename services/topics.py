"""Topics of the four-step deliberation: proposal and support, selection, discussion,
decision and carrying it out, outcome ratings. Votes are in services/votes.py."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from enum import StrEnum

from sqlalchemy import Select, and_, bindparam, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from linli.models import Building, ChatBinding, Grid, Resident, ResidentStatus, Role
from linli.models.db import write_transaction
from linli.models.deliberation import (
    CommentLabel,
    PostKind,
    Scope,
    Topic,
    TopicComment,
    TopicEvent,
    TopicRating,
    TopicState,
    TopicSupport,
    Vote,
    VoteState,
)
from linli.services import audit, outbox, parsing
from linli.services.authz import require_role, require_verified
from linli.services.errors import (
    DomainError,
    InvalidState,
    NotFound,
    PermissionDenied,
    StaleAction,
    ValidationFailed,
)

TITLE_MAX = 80
TEXT_MAX = 1000
REASON_MAX = 500
PLACE_MAX = 200
AHEAD_MAX_DAYS = 90
"""A discussion's end, a meeting and a vote's deadline lie at most this many days ahead."""
CRITERIA = ("importance", "urgency", "feasibility")
# States a chief sees in /pool, and where residents may still add support.
POOL_STATES = (TopicState.PROPOSED, TopicState.SHORTLISTED)
SUPPORT_STATES = (TopicState.PROPOSED, TopicState.SHORTLISTED, TopicState.DISCUSSING)
OPEN_STATES = (
    TopicState.PROPOSED,
    TopicState.SHORTLISTED,
    TopicState.DISCUSSING,
    TopicState.VOTING,
    TopicState.DECIDED,
    TopicState.IMPLEMENTING,
)

Announce = Callable[[AsyncSession, Topic], Awaitable[object]]
"""Enqueues a step's group post (in the outbox, with the session given): services call it
inside the step's write transaction, so the step and its post are stored together or not
at all (the delivery layer provides it)."""


@dataclass(frozen=True)
class Unit:
    """Where a topic lives: one building, one grid or the community."""

    scope: Scope
    community_id: int
    grid_id: int | None = None
    building_id: int | None = None


def parse_ref(text: str) -> int:
    """`T5`, `t5`, `#5` or `5` → 5 (ASCII digits only)."""
    topic_id = parsing.parse_ref(text, "T")
    if topic_id is None:
        raise ValidationFailed("topic-error-bad-ref", ref=text.strip()[:20])
    return topic_id


def clean_text(text: str | None, limit: int, *, key: str) -> str:
    value = (text or "").strip()
    if not value:
        raise ValidationFailed(key, limit=limit)
    if len(value) > limit:
        raise ValidationFailed("topic-error-too-long", limit=limit, length=len(value))
    return value


def check_moment(moment: datetime, now: datetime) -> datetime:
    """A chosen date and time (a discussion's end, a meeting, a vote's deadline): in the
    future and at most `AHEAD_MAX_DAYS` ahead."""
    if moment <= now:
        raise ValidationFailed("topic-error-past-date")
    if moment > now + timedelta(days=AHEAD_MAX_DAYS):
        raise ValidationFailed("topic-error-too-far", days=AHEAD_MAX_DAYS)
    return moment


def parse_moment(text: str | None, now: datetime, tz: tzinfo) -> datetime:
    """A date and time typed in one of the common forms (`12月8日 9点`, `12-08 09:00`,
    `明天下午3点`, `周五 9点`, `2026-12-08 09:00`) in the community's time zone, checked by
    `check_moment`."""
    moment = parsing.parse_when(text, now, tz)
    if moment is None:
        raise ValidationFailed("topic-error-bad-date")
    return check_moment(moment, now)


async def get(session: AsyncSession, topic_id: int, *, fresh: bool = False) -> Topic:
    topic = await session.get(Topic, topic_id, populate_existing=fresh)
    if topic is None:
        raise NotFound("topic-error-not-found", ref=f"T{topic_id}")
    return topic


# --- scope and permissions --------------------------------------------------------------


async def home_units(session: AsyncSession, resident: Resident) -> dict[Scope, Unit]:
    """The units a resident may propose to: their building, its grid, their community."""
    require_verified(resident)
    units: dict[Scope, Unit] = {}
    if resident.building_id is not None:
        building = await session.get(Building, resident.building_id)
        grid = await session.get(Grid, building.grid_id) if building else None
        if building is not None and grid is not None:
            units[Scope.BUILDING] = Unit(Scope.BUILDING, grid.community_id, grid.id, building.id)
            units[Scope.GRID] = Unit(Scope.GRID, grid.community_id, grid.id)
            units[Scope.COMMUNITY] = Unit(Scope.COMMUNITY, grid.community_id)
            return units
    if resident.community_id is not None:
        units[Scope.COMMUNITY] = Unit(Scope.COMMUNITY, resident.community_id)
    return units


def scope_buildings(topic: Topic) -> Select[tuple[int]]:
    """SELECT of the building ids in a topic's scope."""
    if topic.scope == Scope.BUILDING:
        return select(Building.id).where(Building.id == topic.building_id)
    if topic.scope == Scope.GRID:
        return select(Building.id).where(Building.grid_id == topic.grid_id)
    return (
        select(Building.id)
        .join(Grid, Building.grid_id == Grid.id)
        .where(Grid.community_id == topic.community_id)
    )


def eligible_residents(topic: Topic) -> Select[tuple[Resident]]:
    """Verified residents living in the topic's scope: who may support, vote and rate."""
    return select(Resident).where(
        Resident.status == ResidentStatus.VERIFIED,
        Resident.building_id.in_(scope_buildings(topic)),
    )


async def eligible_count(session: AsyncSession, topic: Topic) -> int:
    stmt = select(func.count()).select_from(
        eligible_residents(topic).with_only_columns(Resident.id).subquery()
    )
    return int(await session.scalar(stmt) or 0)


# The grid and community of a resident's building: `(grid id, community id)`.
Area = tuple[int | None, int | None]

_AREA_OF_BUILDING = (
    select(Building.grid_id, Grid.community_id)
    .join(Grid, Building.grid_id == Grid.id)
    .where(Building.id == bindparam("building_id"))
)


async def in_scope(
    session: AsyncSession, resident: Resident | None, topic: Topic, *, area: Area | None = None
) -> bool:
    """Whether the topic's area covers the resident's home; `area` is the home's grid and
    community when the caller read them already (the ballot reads them with the vote)."""
    if resident is None or not resident.is_verified or resident.building_id is None:
        return False
    if topic.scope == Scope.BUILDING:
        return resident.building_id == topic.building_id
    if area is None:
        params = {"building_id": resident.building_id}
        grid_id, community_id = (await session.execute(_AREA_OF_BUILDING, params)).one()
    else:
        grid_id, community_id = area
    if topic.scope == Scope.GRID:
        return grid_id == topic.grid_id
    return community_id == topic.community_id


async def manages(session: AsyncSession, actor: Resident | None, topic: Topic) -> bool:
    """Chiefs manage topics of their area; community topics belong to the admins."""
    if actor is None or not actor.is_chief:
        return False
    if actor.role == Role.ADMIN:
        return actor.community_id in (None, topic.community_id)
    if topic.scope == Scope.COMMUNITY:
        return False
    if actor.role == Role.GRID_CHIEF:
        return topic.grid_id == actor.chief_grid_id
    return topic.scope == Scope.BUILDING and topic.building_id == actor.chief_building_id


async def require_manager(session: AsyncSession, actor: Resident | None, topic: Topic) -> None:
    require_role(actor, Role.BUILDING_CHIEF)
    if not await manages(session, actor, topic):
        raise PermissionDenied("error-outside-area")


# --- the state machine: who may do what to a topic, and when --------------------------------


class TopicAction(StrEnum):
    """A step a resident may take on a topic (the buttons of its card, in this order)."""

    SUPPORT = "support"
    COMMENT = "comment"
    RATE = "rate"
    SCORE = "score"
    SHORTLIST = "short"
    DECLINE = "decline"
    DISCUSS = "discuss"
    VOTE = "vote"
    DECIDE = "decide"
    PROGRESS = "progress"
    DONE = "done"


class Who(StrEnum):
    MEMBER = "member"  # a verified resident living in the topic's scope
    MANAGER = "manager"  # a chief of the topic's area
    EITHER = "either"


@dataclass(frozen=True)
class Standing:
    """How a resident stands to one topic."""

    member: bool = False
    manager: bool = False

    def fits(self, who: Who) -> bool:
        if who == Who.MEMBER:
            return self.member
        if who == Who.MANAGER:
            return self.manager
        return self.member or self.manager


def _wrong_state(topic: Topic) -> DomainError:
    return StaleAction("topic-error-wrong-state")


@dataclass(frozen=True)
class Rule:
    """From which states an action is allowed, to whom, and what a press in another state
    is told."""

    states: tuple[TopicState, ...]
    who: Who
    refusal: Callable[[Topic], DomainError] = _wrong_state


RULES: dict[TopicAction, Rule] = {
    TopicAction.SUPPORT: Rule(
        SUPPORT_STATES, Who.MEMBER, lambda t: StaleAction("topic-error-support-closed")
    ),
    TopicAction.COMMENT: Rule(
        (TopicState.DISCUSSING,),
        Who.EITHER,
        lambda t: InvalidState("topic-error-not-discussing", ref=t.ref),
    ),
    TopicAction.RATE: Rule(
        (TopicState.DONE,), Who.MEMBER, lambda t: InvalidState("topic-error-not-done", ref=t.ref)
    ),
    TopicAction.SCORE: Rule(POOL_STATES, Who.MANAGER),
    TopicAction.SHORTLIST: Rule((TopicState.PROPOSED,), Who.MANAGER),
    TopicAction.DECLINE: Rule(POOL_STATES, Who.MANAGER),
    TopicAction.DISCUSS: Rule((TopicState.SHORTLISTED,), Who.MANAGER),
    TopicAction.VOTE: Rule(
        (TopicState.DISCUSSING,),
        Who.MANAGER,
        lambda t: InvalidState("vote-error-topic-state", ref=t.ref),
    ),
    # ...and only once no vote on the topic is still open.
    TopicAction.DECIDE: Rule((TopicState.VOTING,), Who.MANAGER),
    TopicAction.PROGRESS: Rule((TopicState.DECIDED, TopicState.IMPLEMENTING), Who.MANAGER),
    TopicAction.DONE: Rule((TopicState.DECIDED, TopicState.IMPLEMENTING), Who.MANAGER),
}
# The steps of a /pool card, in their order there.
POOL_ACTIONS = (TopicAction.SHORTLIST, TopicAction.DISCUSS, TopicAction.DECLINE)


def allowed_actions(
    topic: Topic, standing: Standing, *, vote_open: bool = False
) -> list[TopicAction]:
    """What a resident of this `standing` may do to `topic` now (`vote_open`: a vote on it
    is still open)."""
    return [
        action
        for action, rule in RULES.items()
        if topic.state in rule.states
        and standing.fits(rule.who)
        and not (action == TopicAction.DECIDE and vote_open)
    ]


def pool_actions(topic: Topic) -> list[TopicAction]:
    """The steps on a /pool card (shown to a chief who manages the topic)."""
    allowed = allowed_actions(topic, Standing(manager=True))
    return [action for action in POOL_ACTIONS if action in allowed]


def collects_support(topic: Topic) -> bool:
    """Whether the topic's group post still offers the Support button."""
    return topic.state in RULES[TopicAction.SUPPORT].states


async def standing(session: AsyncSession, actor: Resident | None, topic: Topic) -> Standing:
    return Standing(
        member=await in_scope(session, actor, topic), manager=await manages(session, actor, topic)
    )


async def vote_open(session: AsyncSession, topic_id: int) -> bool:
    return bool(
        await session.scalar(
            select(exists().where(Vote.topic_id == topic_id, Vote.state == VoteState.OPEN))
        )
    )


COUNTED = "counted"
"""The stage of a topic in `voting` whose vote has closed: the result is out, the decision
is still to be recorded."""


def stage(topic: Topic, *, vote_open: bool) -> str:
    """What a topic's card, list line and group post call its state: its `TopicState`,
    except `counted` once its vote has closed and no decision is recorded yet."""
    if topic.state == TopicState.VOTING and not vote_open:
        return COUNTED
    return topic.state.value


async def stages(session: AsyncSession, rows: Sequence[Topic]) -> dict[int, str]:
    """`stage` of each topic (one query for the open votes)."""
    voting = [t.id for t in rows if t.state == TopicState.VOTING]
    open_ids: set[int] = set()
    if voting:
        open_ids = set(
            (
                await session.scalars(
                    select(Vote.topic_id).where(
                        Vote.topic_id.in_(voting), Vote.state == VoteState.OPEN
                    )
                )
            ).all()
        )
    return {t.id: stage(t, vote_open=t.id in open_ids) for t in rows}


async def require_action(
    session: AsyncSession, actor: Resident | None, topic: Topic, action: TopicAction
) -> None:
    """Raise what `actor` is told when `action` on `topic` is not allowed now: the role
    and area first (a chief's step), the state next, then the scope (a resident's step)."""
    rule = RULES[action]
    if rule.who == Who.MANAGER:
        await require_manager(session, actor, topic)
    else:
        require_verified(actor)
    if topic.state not in rule.states:
        raise rule.refusal(topic)
    if rule.who != Who.MANAGER and not (await standing(session, actor, topic)).fits(rule.who):
        raise PermissionDenied("topic-error-not-in-scope", ref=topic.ref)
    if action == TopicAction.DECIDE and await vote_open(session, topic.id):
        raise InvalidState("topic-error-vote-open")


def _managed_filter(actor: Resident) -> object:
    if actor.role == Role.ADMIN:
        if actor.community_id is None:
            return True
        return Topic.community_id == actor.community_id
    if actor.role == Role.GRID_CHIEF:
        return and_(Topic.scope != Scope.COMMUNITY, Topic.grid_id == actor.chief_grid_id)
    return and_(Topic.scope == Scope.BUILDING, Topic.building_id == actor.chief_building_id)


async def unit_label(session: AsyncSession, topic: Topic) -> tuple[Scope, str]:
    """The scope and the name of its unit (building "grid · building", grid, community)."""
    if topic.scope == Scope.BUILDING:
        row = (
            await session.execute(
                select(Building.name, Grid.name)
                .join(Grid, Building.grid_id == Grid.id)
                .where(Building.id == topic.building_id)
            )
        ).one()
        return topic.scope, f"{row[1]} · {row[0]}"
    if topic.scope == Scope.GRID:
        grid = await session.get(Grid, topic.grid_id)
        return topic.scope, grid.name if grid else "-"
    from linli.models import Community

    community = await session.get(Community, topic.community_id)
    return topic.scope, community.name if community else "-"


# --- history ------------------------------------------------------------------------------


def new_event(
    topic: Topic, actor: Resident | None, state: TopicState, note: str = ""
) -> TopicEvent:
    return TopicEvent(
        topic_id=topic.id, actor_id=actor.id if actor else None, state=state, note=note[:TEXT_MAX]
    )


async def history(session: AsyncSession, topic_id: int) -> list[TopicEvent]:
    rows = await session.scalars(
        select(TopicEvent)
        .where(TopicEvent.topic_id == topic_id)
        .order_by(TopicEvent.at, TopicEvent.id)
    )
    return list(rows.all())


async def transition(
    session: AsyncSession,
    topic_id: int,
    action: TopicAction,
    new_state: TopicState,
    **values: object,
) -> Topic:
    """Move the topic to `new_state` by `action` (a conditional UPDATE from the states the
    action's rule allows: a concurrent or stale action finds no row and changes nothing)."""
    result = await session.execute(
        update(Topic)
        .where(Topic.id == topic_id, Topic.state.in_(RULES[action].states))
        .values(state=new_state, **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise StaleAction("topic-error-wrong-state")
    return await get(session, topic_id, fresh=True)


# --- step 1: proposal and support ---------------------------------------------------------


async def propose(
    session: AsyncSession,
    resident: Resident,
    *,
    title: str,
    description: str,
    voice: str | None,
    scope: Scope,
    announce: Announce | None = None,
) -> Topic:
    """A new topic in the pool; `announce` enqueues its group post in the same
    transaction."""
    title = clean_text(title, TITLE_MAX, key="topic-error-empty")
    description = (description or "").strip()
    if len(description) > TEXT_MAX:
        raise ValidationFailed("topic-error-too-long", limit=TEXT_MAX, length=len(description))
    if not description and not voice:
        raise ValidationFailed("topic-error-empty", limit=TEXT_MAX)
    units = await home_units(session, resident)
    unit = units.get(scope)
    if unit is None:
        raise PermissionDenied("topic-error-no-scope")
    async with write_transaction(session):
        topic = Topic(
            community_id=unit.community_id,
            scope=unit.scope,
            grid_id=unit.grid_id,
            building_id=unit.building_id,
            author_id=resident.id,
            title=title,
            description=description,
            description_voice=voice,
            state=TopicState.PROPOSED,
            support_count=0,
        )
        session.add(topic)
        await session.flush()
        session.add(new_event(topic, resident, TopicState.PROPOSED))
        if announce is not None:
            await announce(session, topic)
    return topic


async def support(session: AsyncSession, resident: Resident | None, topic_id: int) -> int:
    """+1 from an eligible resident, once (a unique constraint); returns the new count."""
    resident = require_verified(resident)
    async with write_transaction(session):
        topic = await get(session, topic_id, fresh=True)
        await require_action(session, resident, topic, TopicAction.SUPPORT)
        try:
            async with session.begin_nested():
                session.add(TopicSupport(topic_id=topic.id, resident_id=resident.id))
        except IntegrityError:
            raise InvalidState("topic-error-already-supported") from None
        await session.execute(
            update(Topic)
            .where(Topic.id == topic.id)
            .values(support_count=Topic.support_count + 1)
            .execution_options(synchronize_session=False)
        )
        count = await session.scalar(select(Topic.support_count).where(Topic.id == topic.id))
    return int(count or 0)


async def visible(session: AsyncSession, resident: Resident) -> object:
    """Filter of the topics a resident sees: their scopes, plus the area they manage."""
    units = await home_units(session, resident)
    clauses: list[object] = []
    if Scope.BUILDING in units:
        unit = units[Scope.BUILDING]
        clauses.append(and_(Topic.scope == Scope.BUILDING, Topic.building_id == unit.building_id))
        clauses.append(and_(Topic.scope == Scope.GRID, Topic.grid_id == unit.grid_id))
    if Scope.COMMUNITY in units:
        clauses.append(
            and_(
                Topic.scope == Scope.COMMUNITY,
                Topic.community_id == units[Scope.COMMUNITY].community_id,
            )
        )
    if resident.is_chief:
        clauses.append(_managed_filter(resident))
    return or_(*clauses) if clauses else False


_STATE_ORDER = {state: i for i, state in enumerate(TopicState)}


async def list_visible(
    session: AsyncSession, resident: Resident, *, offset: int = 0, limit: int = 8
) -> tuple[list[Topic], int]:
    """Topics in the caller's scope, by state (open steps first), newest first in a state."""
    where = await visible(session, resident)
    rows = list((await session.scalars(select(Topic).where(where))).all())  # type: ignore[arg-type]
    rows.sort(
        key=lambda t: (_STATE_ORDER[t.state] if t.state != TopicState.DECLINED else 99, -t.id)
    )
    return rows[offset : offset + limit], len(rows)


async def list_for_binding(session: AsyncSession, binding: ChatBinding, limit: int) -> list[Topic]:
    """Topics of a group's unit (a building group also sees its grid and community)."""
    if binding.building_id is not None:
        building, grid_id = binding.building_id, None
        row = (
            await session.execute(
                select(Building.grid_id, Grid.community_id)
                .join(Grid, Building.grid_id == Grid.id)
                .where(Building.id == building)
            )
        ).one()
        grid_id, community_id = row
        where = or_(
            and_(Topic.scope == Scope.BUILDING, Topic.building_id == building),
            and_(Topic.scope == Scope.GRID, Topic.grid_id == grid_id),
            and_(Topic.scope == Scope.COMMUNITY, Topic.community_id == community_id),
        )
    else:
        grid = await session.get(Grid, binding.grid_id)
        if grid is None:
            return []
        where = or_(
            Topic.grid_id == grid.id,
            and_(Topic.scope == Scope.COMMUNITY, Topic.community_id == grid.community_id),
        )
    rows = await session.scalars(
        select(Topic).where(where, Topic.state.in_(OPEN_STATES)).order_by(Topic.id.desc())
    )
    topics = list(rows.all())
    topics.sort(key=lambda t: _STATE_ORDER[t.state])
    return topics[:limit]


# --- step 2: selection --------------------------------------------------------------------


async def pool(session: AsyncSession, actor: Resident) -> list[Topic]:
    """Proposed and shortlisted topics of the chief's area, by total score, then support."""
    require_role(actor, Role.BUILDING_CHIEF)
    rows = await session.scalars(
        select(Topic).where(_managed_filter(actor), Topic.state.in_(POOL_STATES))  # type: ignore[arg-type]
    )
    topics = list(rows.all())
    topics.sort(key=lambda t: (-t.score, -t.support_count, t.id))
    return topics


async def ready_for_vote(session: AsyncSession, actor: Resident) -> list[Topic]:
    """Topics in discussion of the chief's area, on which they may open a vote."""
    require_role(actor, Role.BUILDING_CHIEF)
    rows = await session.scalars(
        select(Topic)
        .where(_managed_filter(actor), Topic.state == TopicState.DISCUSSING)  # type: ignore[arg-type]
        .order_by(Topic.id)
    )
    return list(rows.all())


async def set_score(
    session: AsyncSession, actor: Resident, topic_id: int, criterion: str, value: int
) -> Topic:
    if criterion not in CRITERIA or not 1 <= value <= 5:
        raise StaleAction()
    async with write_transaction(session):
        topic = await get(session, topic_id, fresh=True)
        await require_action(session, actor, topic, TopicAction.SCORE)
        setattr(topic, criterion, value)
        await audit.record(
            session, actor, "topic.score", "topic", topic.id, criterion=criterion, value=value
        )
    return topic


async def _step(
    session: AsyncSession,
    actor: Resident,
    topic_id: int,
    action: TopicAction,
    new_state: TopicState,
    *,
    note: str = "",
    audit_action: str | None = None,
    announce: Announce | None = None,
    **values: object,
) -> Topic:
    """A chief's step on a topic, checked against its rule: the new state, a history row,
    an audit entry and the step's group post (`announce`), in one transaction."""
    async with write_transaction(session):
        await require_action(session, actor, await get(session, topic_id, fresh=True), action)
        topic = await transition(session, topic_id, action, new_state, **values)
        session.add(new_event(topic, actor, new_state, note))
        await audit.record(
            session, actor, f"topic.{audit_action or action.value}", "topic", topic.id
        )
        if announce is not None:
            await announce(session, topic)
    return topic


async def shortlist(session: AsyncSession, actor: Resident, topic_id: int) -> Topic:
    score = (await get(session, topic_id)).score
    return await _step(
        session,
        actor,
        topic_id,
        TopicAction.SHORTLIST,
        TopicState.SHORTLISTED,
        note=f"score {score}",
        audit_action="shortlist",
    )


async def decline(
    session: AsyncSession,
    actor: Resident,
    topic_id: int,
    reason: str,
    announce: Announce | None = None,
) -> Topic:
    reason = clean_text(reason, REASON_MAX, key="topic-error-empty")
    return await _step(
        session,
        actor,
        topic_id,
        TopicAction.DECLINE,
        TopicState.DECLINED,
        note=reason,
        announce=announce,
        decline_reason=reason,
    )


# --- step 3: discussion -------------------------------------------------------------------


async def open_discussion(
    session: AsyncSession,
    actor: Resident,
    topic_id: int,
    *,
    ends_at: datetime,
    meeting_at: datetime | None,
    meeting_place: str | None,
    now: datetime,
    announce: Announce | None = None,
) -> Topic:
    """Open the discussion (until `ends_at`, with an optional meeting); `announce`
    enqueues the discussion's group post in the same transaction."""
    check_moment(ends_at, now)
    if meeting_at is not None:
        check_moment(meeting_at, now)
    place = (meeting_place or "").strip()[:PLACE_MAX] or None
    values: dict[str, object] = {
        "discussion_ends_at": ends_at,
        "meeting_at": meeting_at,
        "meeting_place": place,
        # Reminders that would already be due at creation are not sent late.
        "meeting_reminded_day_at": now
        if meeting_at is not None and meeting_at - now <= timedelta(days=1)
        else None,
        "meeting_reminded_hour_at": now
        if meeting_at is not None and meeting_at - now <= timedelta(hours=1)
        else None,
    }
    return await _step(
        session,
        actor,
        topic_id,
        TopicAction.DISCUSS,
        TopicState.DISCUSSING,
        announce=announce,
        **values,
    )


async def comment_start(
    session: AsyncSession, actor: Resident, topic_id: int
) -> tuple[Topic, list[str]]:
    """The topic `actor` may comment on now, and the labels they may comment under: chiefs
    of the topic may add the property company's and the owners' committee's views."""
    topic = await get(session, topic_id)
    await require_action(session, actor, topic, TopicAction.COMMENT)
    labels = [CommentLabel.RESIDENT.value]
    if await manages(session, actor, topic):
        labels += [CommentLabel.PROPERTY.value, CommentLabel.COMMITTEE.value]
    return topic, labels


async def comment(
    session: AsyncSession,
    resident: Resident,
    topic_id: int,
    *,
    text: str,
    voice: str | None,
    label: str = CommentLabel.RESIDENT.value,
) -> bool:
    """Add or replace the resident's comment (under `label`); True when it was new."""
    require_verified(resident)
    text = (text or "").strip()
    if len(text) > TEXT_MAX:
        raise ValidationFailed("topic-error-too-long", limit=TEXT_MAX, length=len(text))
    if not text and not voice:
        raise ValidationFailed("topic-error-empty", limit=TEXT_MAX)
    try:
        kind = CommentLabel(label)
    except ValueError:
        raise StaleAction() from None
    async with write_transaction(session):
        topic = await get(session, topic_id, fresh=True)
        await require_action(session, resident, topic, TopicAction.COMMENT)
        if kind != CommentLabel.RESIDENT:  # the property company's or the committee's view
            await require_manager(session, resident, topic)
        existing = await session.scalar(
            select(TopicComment)
            .where(
                TopicComment.topic_id == topic.id,
                TopicComment.resident_id == resident.id,
                TopicComment.label == kind,
            )
            .with_for_update()
        )
        if existing is not None:
            existing.text, existing.voice_file_id = text, voice
            return False
        try:
            async with session.begin_nested():
                session.add(
                    TopicComment(
                        topic_id=topic.id,
                        resident_id=resident.id,
                        label=kind,
                        text=text,
                        voice_file_id=voice,
                    )
                )
        except IntegrityError:
            raise StaleAction() from None
    return True


async def comments(session: AsyncSession, topic_id: int) -> list[tuple[TopicComment, Resident]]:
    rows = await session.execute(
        select(TopicComment, Resident)
        .join(Resident, TopicComment.resident_id == Resident.id)
        .where(TopicComment.topic_id == topic_id)
        .order_by(TopicComment.label, TopicComment.created_at, TopicComment.id)
    )
    return [(c, r) for c, r in rows.all()]


async def open_for_comment(session: AsyncSession, resident: Resident | None) -> list[Topic]:
    """The topics `resident` may comment on now (in discussion, in their scope or their
    area), oldest first; none for someone who is not verified."""
    if resident is None or not resident.is_verified:
        return []
    where = await visible(session, resident)
    rows = await session.scalars(
        select(Topic).where(where, Topic.state == TopicState.DISCUSSING).order_by(Topic.id)  # type: ignore[arg-type]
    )
    return [
        topic
        for topic in rows.all()
        if (await standing(session, resident, topic)).fits(RULES[TopicAction.COMMENT].who)
    ]


MEETING_REMINDERS = (
    ("hour", Topic.meeting_reminded_hour_at, timedelta(hours=1)),
    ("day", Topic.meeting_reminded_day_at, timedelta(days=1)),
)


async def due_meeting_reminders(session: AsyncSession, now: datetime) -> list[tuple[int, str]]:
    """The meeting reminders due now (a day and an hour before), not claimed yet."""
    due: list[tuple[int, str]] = []
    for kind, column, before in MEETING_REMINDERS:
        ids = (
            await session.scalars(
                select(Topic.id)
                .where(
                    Topic.meeting_at.is_not(None),
                    Topic.meeting_at > now,
                    Topic.meeting_at <= now + before,
                    column.is_(None),
                    Topic.state.in_(OPEN_STATES),
                )
                .order_by(Topic.id)
            )
        ).all()
        due += [(topic_id, kind) for topic_id in ids if (topic_id, "hour") not in due]
    await session.commit()
    return due


async def claim_meeting_reminder(
    session: AsyncSession, topic_id: int, kind: str, now: datetime
) -> bool:
    """Claim one meeting reminder (conditional UPDATE): True for exactly one caller. Call it
    in the write transaction that also enqueues the reminder."""
    column = next(c for k, c, _ in MEETING_REMINDERS if k == kind)
    values: dict[str, object] = {column.key: now}
    if kind == "hour":  # a day reminder not sent yet is no longer useful
        values["meeting_reminded_day_at"] = func.coalesce(Topic.meeting_reminded_day_at, now)
    async with write_transaction(session):
        result = await session.execute(
            update(Topic)
            .where(Topic.id == topic_id, column.is_(None))
            .values(**values)
            .execution_options(synchronize_session=False)
        )
    return result.rowcount == 1  # type: ignore[attr-defined]


# --- step 4: decision and carrying it out -------------------------------------------------


async def record_decision(
    session: AsyncSession,
    actor: Resident,
    topic_id: int,
    text: str,
    announce: Announce | None = None,
) -> Topic:
    text = clean_text(text, TEXT_MAX, key="topic-error-empty")
    return await _step(
        session,
        actor,
        topic_id,
        TopicAction.DECIDE,
        TopicState.DECIDED,
        note=text,
        announce=announce,
        decision=text,
    )


async def add_progress(
    session: AsyncSession,
    actor: Resident,
    topic_id: int,
    text: str,
    announce: Announce | None = None,
) -> Topic:
    text = clean_text(text, TEXT_MAX, key="topic-error-empty")
    return await _step(
        session,
        actor,
        topic_id,
        TopicAction.PROGRESS,
        TopicState.IMPLEMENTING,
        note=text,
        announce=announce,
    )


async def mark_done(
    session: AsyncSession,
    actor: Resident,
    topic_id: int,
    note: str = "",
    announce: Announce | None = None,
) -> Topic:
    return await _step(
        session,
        actor,
        topic_id,
        TopicAction.DONE,
        TopicState.DONE,
        note=note.strip()[:TEXT_MAX],
        announce=announce,
    )


async def rate(session: AsyncSession, resident: Resident | None, topic_id: int, stars: int) -> None:
    resident = require_verified(resident)
    if not 1 <= stars <= 5:
        raise StaleAction()
    async with write_transaction(session):
        topic = await get(session, topic_id, fresh=True)
        await require_action(session, resident, topic, TopicAction.RATE)
        try:
            async with session.begin_nested():
                session.add(TopicRating(topic_id=topic.id, resident_id=resident.id, stars=stars))
        except IntegrityError:
            raise InvalidState("topic-error-already-rated") from None


async def rating_summary(session: AsyncSession, topic_id: int) -> tuple[int, float]:
    count, average = (
        await session.execute(
            select(func.count(TopicRating.id), func.avg(TopicRating.stars)).where(
                TopicRating.topic_id == topic_id
            )
        )
    ).one()
    return int(count or 0), float(average or 0.0)


async def author(session: AsyncSession, topic: Topic) -> Resident | None:
    """The proposer (None once their account is gone)."""
    return await session.get(Resident, topic.author_id) if topic.author_id else None


async def followers(session: AsyncSession, topic: Topic) -> list[Resident]:
    """The proposer and everyone who supported or commented: they get every update."""
    ids = (
        select(TopicSupport.resident_id)
        .where(TopicSupport.topic_id == topic.id)
        .union(select(TopicComment.resident_id).where(TopicComment.topic_id == topic.id))
    )
    rows = await session.scalars(
        select(Resident).where(
            or_(Resident.id == topic.author_id, Resident.id.in_(ids)),
            Resident.status == ResidentStatus.VERIFIED,
        )
    )
    return list(rows.all())


# --- group posts ----------------------------------------------------------------------------


async def scope_chats(session: AsyncSession, topic: Topic) -> list[int]:
    """Active groups bound to the topic's unit or to a unit inside it (building topics also
    go to their grid's group)."""
    if topic.scope == Scope.BUILDING:
        where = or_(
            ChatBinding.building_id == topic.building_id, ChatBinding.grid_id == topic.grid_id
        )
    elif topic.scope == Scope.GRID:
        where = or_(
            ChatBinding.grid_id == topic.grid_id,
            ChatBinding.building_id.in_(
                select(Building.id).where(Building.grid_id == topic.grid_id)
            ),
        )
    else:
        grids = select(Grid.id).where(Grid.community_id == topic.community_id)
        where = or_(
            ChatBinding.grid_id.in_(grids),
            ChatBinding.building_id.in_(select(Building.id).where(Building.grid_id.in_(grids))),
        )
    rows = await session.scalars(
        select(ChatBinding.chat_id).where(ChatBinding.active, where).order_by(ChatBinding.id)
    )
    return list(rows.all())


# Outbox sources of the posts that are edited later (`outbox_messages.source`): a topic's
# proposal post and its discussion post (source id: the topic) and a vote's ballot post
# (source id: the vote).
POST_SOURCES = {
    PostKind.TOPIC: "topic",
    PostKind.DISCUSSION: "topic.discussion",
    PostKind.VOTE: "vote",
}


async def group_posts(session: AsyncSession, kind: PostKind, item_id: int) -> list[outbox.SentPost]:
    """The group posts of a topic (`PostKind.TOPIC` and `PostKind.DISCUSSION`, topic id) or
    a vote (`PostKind.VOTE`, vote id) that Telegram accepted, with the text and buttons each
    was sent with."""
    return await outbox.sent_posts_as_sent(session, POST_SOURCES[kind], item_id)
