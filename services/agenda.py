"""Agenda digests (议程): a registry of section providers, composed at send time.

A section is an async function `(session, scope) -> list[AgendaItem]` registered with
`@section(...)`. The digest of a grid or building group lists every non-empty section in
`order`; an agenda with no items is not sent.

Adding a section from another feature (in that feature's services module, which the bot
imports at start-up through its handlers)::

    from linli.services.agenda import AgendaItem, AgendaScope, section

    @section("repairs", title_key="agenda-section-repairs", command="queue", order=50)
    async def repairs_this_week(session, scope: AgendaScope) -> list[AgendaItem]:
        rows = ...  # query your tables for scope.grid_id / scope.building_id
        return [AgendaItem(text=row.title, when=row.starts_at) for row in rows]

`title_key` is an i18n id in your own .ftl files; `command` is the private command the
section's "open" button deep-links to (`t.me/<bot>?start=<command>`). Item texts are plain
text (escaped when the digest is rendered). Keep each provider to one or two queries and
at most ~10 items. A provider that raises is logged and left out; the rest still go out.

The sections below read the other features' tables when their models exist.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from linli.models.notices import TargetKind
from linli.services import notices as notice_service
from linli.services import structure

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AgendaScope:
    """The unit a digest is for: a grid (building_id None) or one building of it."""

    community_id: int | None
    grid_id: int
    building_id: int | None
    now: datetime
    until: datetime


@dataclass(frozen=True)
class AgendaItem:
    """One line: plain `text`, an optional time, an optional i18n detail."""

    text: str
    when: datetime | None = None
    detail_key: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)


Provider = Callable[[AsyncSession, AgendaScope], Awaitable[list[AgendaItem]]]


@dataclass(frozen=True)
class Section:
    key: str
    title_key: str
    provider: Provider
    command: str | None = None
    order: int = 100


SECTIONS: dict[str, Section] = {}
MAX_ITEMS = 10


def section(
    key: str, *, title_key: str, command: str | None = None, order: int = 100
) -> Callable[[Provider], Provider]:
    """Register an agenda section (a second registration under `key` replaces the first)."""

    def register(provider: Provider) -> Provider:
        SECTIONS[key] = Section(key, title_key, provider, command, order)
        return provider

    return register


@dataclass(frozen=True)
class ComposedSection:
    section: Section
    items: list[AgendaItem]


async def compose(session: AsyncSession, scope: AgendaScope) -> list[ComposedSection]:
    """The non-empty sections for `scope`, in order (empty list: nothing to send)."""
    composed: list[ComposedSection] = []
    for spec in sorted(SECTIONS.values(), key=lambda s: (s.order, s.key)):
        try:
            items = await spec.provider(session, scope)
        except Exception:
            log.exception("agenda section %s failed", spec.key)
            await session.rollback()
            continue
        if items:
            composed.append(ComposedSection(spec, items[:MAX_ITEMS]))
    return composed


async def scope_for(
    session: AsyncSession, target: notice_service.Target, now: datetime, days: int
) -> AgendaScope:
    """The scope of an agenda for `target` (a grid's group, or one building's)."""
    until = now + timedelta(days=days)
    if target.kind == TargetKind.GRID and target.grid_id is not None:
        grid = await structure.get_grid(session, target.grid_id)
        return AgendaScope(grid.community_id, grid.id, None, now, until)
    building, grid = await structure.get_building(session, (target.building_ids or (0,))[0])
    return AgendaScope(grid.community_id, grid.id, building.id, now, until)


# --------------------------------------------------------------------------------------------
# Sections
# --------------------------------------------------------------------------------------------


@section("notices", title_key="agenda-section-notices", order=90)
async def upcoming_notices(session: AsyncSession, scope: AgendaScope) -> list[AgendaItem]:
    """One-off notices scheduled for this grid or building in the coming days."""
    rows = await notice_service.upcoming_in_scope(
        session,
        grid_id=scope.grid_id,
        building_id=scope.building_id,
        now=scope.now,
        until=scope.until,
    )
    items = []
    for notice in rows:
        shown = notice_service.visible_text(notice.text) if notice.text else ""
        first_line = (shown.splitlines() or [""])[0][:60]
        items.append(AgendaItem(text=first_line or f"N{notice.id}", when=notice.next_run_at))
    return items


def _unit_filter(model: Any, scope: AgendaScope) -> Any:
    """Rows of a model with a `scope` column (building / grid / community) that concern the
    digest's unit: the community, the grid, and (for a building digest) the building."""
    conditions = [
        and_(model.scope == "community", model.community_id == scope.community_id),
        and_(model.scope == "grid", model.grid_id == scope.grid_id),
    ]
    if scope.building_id is not None:
        conditions.append(and_(model.scope == "building", model.building_id == scope.building_id))
    return or_(*conditions)


try:
    from linli.models.deliberation import Topic, TopicState, Vote, VoteState
except ImportError:  # the deliberation feature is not installed
    pass
else:

    @section("votes", title_key="agenda-section-votes", command="topics", order=10)
    async def votes_closing(session: AsyncSession, scope: AgendaScope) -> list[AgendaItem]:
        """Votes closing and meetings held in the coming days."""
        votes = (
            await session.execute(
                select(Vote, Topic)
                .join(Topic, Topic.id == Vote.topic_id)
                .where(
                    Vote.state == VoteState.OPEN,
                    Vote.deadline > scope.now,
                    Vote.deadline <= scope.until,
                    _unit_filter(Topic, scope),
                )
                .order_by(Vote.deadline)
                .limit(MAX_ITEMS)
            )
        ).all()
        items = [
            AgendaItem(
                text=f"T{topic.id} {vote.question}",
                when=vote.deadline,
                detail_key="agenda-detail-vote-closes",
            )
            for vote, topic in votes
        ]
        meetings = (
            await session.scalars(
                select(Topic)
                .where(
                    Topic.meeting_at > scope.now,
                    Topic.meeting_at <= scope.until,
                    _unit_filter(Topic, scope),
                )
                .order_by(Topic.meeting_at)
                .limit(MAX_ITEMS)
            )
        ).all()
        items += [
            AgendaItem(
                text=f"T{topic.id} {topic.title}",
                when=topic.meeting_at,
                detail_key="agenda-detail-meeting",
                detail={"place": topic.meeting_place or "-"},
            )
            for topic in meetings
        ]
        return items

    @section("topics", title_key="agenda-section-topics", command="topics", order=20)
    async def topics_discussing(session: AsyncSession, scope: AgendaScope) -> list[AgendaItem]:
        """Topics under discussion."""
        rows = (
            await session.scalars(
                select(Topic)
                .where(Topic.state == TopicState.DISCUSSING, _unit_filter(Topic, scope))
                .order_by(Topic.discussion_ends_at, Topic.id)
                .limit(MAX_ITEMS)
            )
        ).all()
        return [
            AgendaItem(
                text=f"T{topic.id} {topic.title}",
                detail_key="agenda-detail-supports",
                detail={"count": topic.support_count},
            )
            for topic in rows
        ]


try:
    from linli.models.points import Activity, ActivityState
except ImportError:  # the points feature is not installed
    pass
else:

    @section("activities", title_key="agenda-section-activities", command="activities", order=30)
    async def activities_with_places(session: AsyncSession, scope: AgendaScope) -> list[AgendaItem]:
        """Upcoming volunteer activities that still have free places."""
        rows = (
            await session.scalars(
                select(Activity)
                .where(
                    Activity.state == ActivityState.OPEN,
                    Activity.starts_at > scope.now,
                    Activity.starts_at <= scope.until,
                    Activity.seats_taken < Activity.capacity,
                    Activity.community_id == scope.community_id,
                    or_(Activity.grid_id.is_(None), Activity.grid_id == scope.grid_id),
                )
                .order_by(Activity.starts_at)
                .limit(MAX_ITEMS)
            )
        ).all()
        return [
            AgendaItem(
                text=activity.title,
                when=activity.starts_at,
                detail_key="agenda-detail-places",
                detail={"count": activity.capacity - activity.seats_taken},
            )
            for activity in rows
        ]


try:
    from linli.models.wishes import Wish, WishStatus
except ImportError:  # the wishes feature is not installed
    pass
else:

    @section("wishes", title_key="agenda-section-wishes", command="claim", order=40)
    async def open_wishes(session: AsyncSession, scope: AgendaScope) -> list[AgendaItem]:
        """Micro-wishes still waiting for someone to claim them."""
        stmt = select(Wish).where(Wish.status == WishStatus.OPEN, Wish.grid_id == scope.grid_id)
        if scope.building_id is not None:
            stmt = stmt.where(Wish.building_id == scope.building_id)
        rows = (await session.scalars(stmt.order_by(Wish.created_at).limit(MAX_ITEMS))).all()
        return [AgendaItem(text=f"W{wish.id} {(wish.text or '')[:40]}".strip()) for wish in rows]
