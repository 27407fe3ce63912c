"""Figures of the web cockpit (驾驶舱): an area's overview for a period compared with the
previous one, weekly trends, breakdowns by grid, building and category, and lists of
requests, wishes and topics with their histories.

The request and wish figures that `/stats` shows come from `casework_stats.compute`, the
function the bot calls, so the page and the bot never disagree. Every function takes the
viewer and checks on each call that the area is theirs: an admin sees the community and
everything in it, a grid chief their grid and its buildings, a building chief their
building. Names follow each resident's leaderboard choice; anonymous requests never show
who filed them.
"""

from __future__ import annotations

import enum
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from linli.config.casework import CaseworkSettings
from linli.models import Building, Community, Grid, Resident, ResidentStatus, Role
from linli.models.complaints import (
    OPEN_STATUSES,
    Complaint,
    ComplaintCategory,
    ComplaintEvent,
    ComplaintStatus,
)
from linli.models.db import write_transaction
from linli.models.deliberation import Scope, Topic, TopicEvent, TopicState, Vote, VoteOption
from linli.models.deliberation import VoteState as _VoteState
from linli.models.notices import DeliveryState, Notice, OutboxDelivery, OutboxMessage
from linli.models.points import (
    EARNING_KINDS,
    Activity,
    ActivitySignup,
    ActivityState,
    LedgerEntry,
    LedgerKind,
    PointsPrivacy,
    Redemption,
    RedemptionState,
    RewardItem,
)
from linli.models.wishes import Wish, WishCategory, WishEvent, WishStatus
from linli.services import audit, casework_stats
from linli.services.casework_stats import CaseworkStats
from linli.services.cockpit_access import require_grant
from linli.services.complaints import deadline
from linli.services.errors import NotFound, PermissionDenied, ValidationFailed

PAGE_SIZE = 50
T = TypeVar("T")
TREND_WEEKS = 12
CUSTOM_DAYS_MAX = 366


# --- areas --------------------------------------------------------------------------------------


class AreaKind(enum.StrEnum):
    COMMUNITY = "c"
    GRID = "g"
    BUILDING = "b"


@dataclass(frozen=True)
class Area:
    """The community, a grid or a building. `ref` (`c1`, `g3`, `b12`) names it in URLs."""

    kind: AreaKind
    id: int
    name: str
    community_id: int
    grid_id: int | None = None
    grid_name: str | None = None

    @property
    def ref(self) -> str:
        return f"{self.kind.value}{self.id}"

    @property
    def label(self) -> str:
        if self.kind == AreaKind.BUILDING and self.grid_name:
            return f"{self.grid_name} · {self.name}"
        return self.name

    def buildings(self) -> Select[tuple[int]]:
        """SELECT of the area's building ids."""
        if self.kind == AreaKind.COMMUNITY:
            return select(Building.id).join(Grid).where(Grid.community_id == self.id)
        if self.kind == AreaKind.GRID:
            return select(Building.id).where(Building.grid_id == self.id)
        return select(Building.id).where(Building.id == self.id)

    def topics(self) -> ColumnElement[bool]:
        """Topics of the area (as chiefs manage them: a grid's are its grid and building
        topics, a building's its building topics)."""
        if self.kind == AreaKind.COMMUNITY:
            return Topic.community_id == self.id
        if self.kind == AreaKind.GRID:
            return and_(Topic.scope != Scope.COMMUNITY, Topic.grid_id == self.id)
        return and_(Topic.scope == Scope.BUILDING, Topic.building_id == self.id)

    def activities(self) -> ColumnElement[bool]:
        """Activities held for the area (a building's are its grid's)."""
        if self.kind == AreaKind.COMMUNITY:
            return Activity.community_id == self.id
        return Activity.grid_id == (self.id if self.kind == AreaKind.GRID else self.grid_id)

    def notices(self) -> ColumnElement[bool]:
        if self.kind == AreaKind.COMMUNITY:
            return Notice.community_id == self.id
        if self.kind == AreaKind.GRID:
            return or_(
                Notice.area_grid_id == self.id, Notice.area_building_id.in_(self.buildings())
            )
        return Notice.area_building_id == self.id


def parse_ref(ref: str) -> tuple[AreaKind, int]:
    """`c1` / `g3` / `b12` (ASCII digits only) → kind and id; NotFound otherwise."""
    if len(ref) < 2 or len(ref) > 19 or ref[0] not in "cgb":
        raise NotFound()
    digits = ref[1:]
    if not (digits.isascii() and digits.isdigit()) or digits.startswith("0"):
        raise NotFound()
    return AreaKind(ref[0]), int(digits)


async def load_area(session: AsyncSession, kind: AreaKind, area_id: int) -> Area | None:
    if kind == AreaKind.COMMUNITY:
        community = await session.get(Community, area_id)
        return None if community is None else Area(kind, community.id, community.name, community.id)
    if kind == AreaKind.GRID:
        grid = await session.get(Grid, area_id)
        return None if grid is None else Area(kind, grid.id, grid.name, grid.community_id)
    row = (
        await session.execute(
            select(Building, Grid)
            .join(Grid, Building.grid_id == Grid.id)
            .where(Building.id == area_id)
        )
    ).first()
    if row is None:
        return None
    building, grid = row
    return Area(kind, building.id, building.name, grid.community_id, grid.id, grid.name)


def may_view(viewer: Resident, area: Area) -> bool:
    """The scope rule, from the viewer's current role and area."""
    if not viewer.is_verified:
        return False
    if viewer.role == Role.ADMIN:
        return viewer.community_id in (None, area.community_id)
    if viewer.role == Role.GRID_CHIEF:
        if area.kind == AreaKind.GRID:
            return area.id == viewer.chief_grid_id
        return area.kind == AreaKind.BUILDING and area.grid_id == viewer.chief_grid_id
    if viewer.role == Role.BUILDING_CHIEF:
        return area.kind == AreaKind.BUILDING and area.id == viewer.chief_building_id
    return False


async def home_area(session: AsyncSession, viewer: Resident) -> Area:
    """The viewer's own area: their community, grid or building."""
    grant = require_grant(viewer)
    if grant.role == Role.ADMIN:
        community_id = grant.area_id or await session.scalar(select(func.min(Community.id)))
        area = await load_area(session, AreaKind.COMMUNITY, community_id or 0)
    elif grant.role == Role.GRID_CHIEF:
        area = await load_area(session, AreaKind.GRID, grant.area_id or 0)
    else:
        area = await load_area(session, AreaKind.BUILDING, grant.area_id or 0)
    if area is None:
        raise NotFound()
    return area


async def open_area(session: AsyncSession, viewer: Resident, ref: str) -> Area:
    """The area named by `ref`, if the viewer may see it (PermissionDenied otherwise)."""
    require_grant(viewer)
    kind, area_id = parse_ref(ref)
    area = await load_area(session, kind, area_id)
    if area is None:
        raise NotFound()
    if not may_view(viewer, area):
        raise PermissionDenied("cockpit-error-outside")
    return area


async def children(session: AsyncSession, area: Area) -> list[Area]:
    """The grids of a community, the buildings of a grid (none for a building)."""
    if area.kind == AreaKind.COMMUNITY:
        grids = await session.scalars(
            select(Grid).where(Grid.community_id == area.id).order_by(Grid.id)
        )
        return [Area(AreaKind.GRID, g.id, g.name, g.community_id) for g in grids.all()]
    if area.kind == AreaKind.GRID:
        buildings = await session.scalars(
            select(Building).where(Building.grid_id == area.id).order_by(Building.id)
        )
        return [
            Area(AreaKind.BUILDING, b.id, b.name, area.community_id, area.id, area.name)
            for b in buildings.all()
        ]
    return []


async def trail(session: AsyncSession, viewer: Resident, area: Area) -> list[Area]:
    """The areas above this one that the viewer may open (for the breadcrumb), top first."""
    above: list[Area] = []
    if area.kind != AreaKind.COMMUNITY:
        community = await load_area(session, AreaKind.COMMUNITY, area.community_id)
        if community is not None:
            above.append(community)
    if area.kind == AreaKind.BUILDING and area.grid_id is not None:
        grid = await load_area(session, AreaKind.GRID, area.grid_id)
        if grid is not None:
            above.append(grid)
    return [a for a in above if may_view(viewer, a)]


# --- periods ------------------------------------------------------------------------------------


class PeriodKind(enum.StrEnum):
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    CUSTOM = "custom"


@dataclass(frozen=True)
class Period:
    """[start, end) in UTC; `first` and `last` are the local calendar days it covers."""

    kind: PeriodKind
    first: date
    last: date
    tz: ZoneInfo

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, datetime.min.time(), self.tz).astimezone(UTC)

    @property
    def end(self) -> datetime:
        after = self.last + timedelta(days=1)
        return datetime.combine(after, datetime.min.time(), self.tz).astimezone(UTC)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def previous(self) -> Period:
        if self.kind == PeriodKind.MONTH:
            last = self.first - timedelta(days=1)
            return Period(self.kind, last.replace(day=1), last, self.tz)
        if self.kind == PeriodKind.QUARTER:
            last = self.first - timedelta(days=1)
            return Period(self.kind, _quarter_start(last), last, self.tz)
        length = timedelta(days=self.days)
        return Period(self.kind, self.first - length, self.first - timedelta(days=1), self.tz)


def _quarter_start(day: date) -> date:
    return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)


def _month_end(first: date) -> date:
    return (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def period_of(
    kind: PeriodKind,
    now: datetime,
    tz: ZoneInfo,
    first: date | None = None,
    last: date | None = None,
) -> Period:
    """This week (from Monday), this month, this quarter (all up to their end), or the
    custom days `first`..`last` (inclusive, at most a year)."""
    today = now.astimezone(tz).date()
    if kind == PeriodKind.WEEK:
        monday = today - timedelta(days=today.weekday())
        return Period(kind, monday, monday + timedelta(days=6), tz)
    if kind == PeriodKind.MONTH:
        start = today.replace(day=1)
        return Period(kind, start, _month_end(start), tz)
    if kind == PeriodKind.QUARTER:
        start = _quarter_start(today)
        end = _month_end(start.replace(month=start.month + 2))
        return Period(kind, start, end, tz)
    if first is None or last is None or last < first:
        raise ValidationFailed("cockpit-error-period")
    if (last - first).days + 1 > CUSTOM_DAYS_MAX:
        raise ValidationFailed("cockpit-error-period")
    return Period(kind, first, last, tz)


def parse_day(text: str) -> date | None:
    """`YYYY-MM-DD` in ASCII digits, or None."""
    parts = text.split("-")
    if len(parts) != 3 or not all(p.isascii() and p.isdigit() for p in parts):
        return None
    if (len(parts[0]), len(parts[1]), len(parts[2])) != (4, 2, 2):
        return None
    try:
        day = date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None
    return day if 2000 <= day.year <= 2100 else None


# --- figures ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """What happened in an area during a period. `casework` is exactly what `/stats`
    shows for the same area and period."""

    casework: CaseworkStats
    residents_new: int
    resolved: int
    reopened: int
    median_fulfil_hours: float | None
    topics_proposed: int
    votes_closed: int
    ballots: int
    eligible: int
    points_issued: int
    points_redeemed: int
    items_handed_over: int
    activities_held: int
    volunteers: int
    volunteer_hours: float
    notices_sent: int
    notices_failed: int

    @property
    def reopen_pct(self) -> float | None:
        return _pct(self.reopened, self.resolved)

    @property
    def turnout_pct(self) -> float | None:
        return _pct(self.ballots, self.eligible)


@dataclass(frozen=True)
class Snapshot:
    """The area now."""

    residents_verified: int
    residents_waiting: int
    requests_open: int
    requests_overdue: int
    wishes_open: int
    topics_by_stage: dict[TopicState, int]
    votes_open: int
    shop_items: int
    shop_stock: int


@dataclass(frozen=True)
class Overview:
    area: Area
    period: Period
    previous_period: Period
    current: Figures
    previous: Figures
    now: Snapshot


def _pct(part: int, whole: int) -> float | None:
    return None if whole == 0 else 100.0 * part / whole


def _hours(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 3600


async def _count(session: AsyncSession, stmt: Select[Any]) -> int:
    return int(await session.scalar(stmt) or 0)


async def figures(
    session: AsyncSession,
    viewer: Resident,
    area: Area,
    start: datetime,
    end: datetime,
    cfg: CaseworkSettings,
) -> Figures:
    """Everything the overview shows for [start, end)."""
    if not may_view(viewer, area):
        raise PermissionDenied("cockpit-error-outside")
    buildings = area.buildings()
    casework = await casework_stats.compute(session, viewer, start, end, cfg, area=buildings)

    def in_period(column: Any) -> ColumnElement[bool]:
        return and_(column >= start, column < end)

    residents_new = await _count(
        session,
        select(func.count(Resident.id)).where(
            Resident.building_id.in_(buildings),
            Resident.status == ResidentStatus.VERIFIED,
            Resident.deleted_at.is_(None),
            in_period(Resident.verified_at),
        ),
    )
    moves = await session.execute(
        select(ComplaintEvent.action, func.count(ComplaintEvent.id))
        .join(Complaint, Complaint.id == ComplaintEvent.complaint_id)
        .where(
            ComplaintEvent.action.in_(("resolved", "reopened")),
            in_period(ComplaintEvent.at),
            Complaint.building_id.in_(buildings),
        )
        .group_by(ComplaintEvent.action)
    )
    counted = dict(moves.all())
    fulfilled = await session.execute(
        select(WishEvent.at, Wish.created_at)
        .join(Wish, Wish.id == WishEvent.wish_id)
        .where(
            WishEvent.action == "fulfilled",
            in_period(WishEvent.at),
            Wish.building_id.in_(buildings),
        )
    )
    fulfil_hours = [_hours(created, at) for at, created in fulfilled.all()]
    topics_proposed = await _count(
        session,
        select(func.count(Topic.id)).where(area.topics(), in_period(Topic.created_at)),
    )
    votes = (
        await session.execute(
            select(
                func.count(Vote.id),
                func.coalesce(func.sum(Vote.turnout), 0),
                func.coalesce(func.sum(Vote.eligible_count), 0),
            )
            .join(Topic, Topic.id == Vote.topic_id)
            .where(
                area.topics(),
                Vote.state == _VoteState.CLOSED,
                in_period(Vote.closed_at),
            )
        )
    ).one()
    ledger = await session.execute(
        select(LedgerEntry.kind, func.sum(LedgerEntry.delta))
        .join(Resident, Resident.id == LedgerEntry.resident_id)
        .where(
            Resident.building_id.in_(buildings),
            in_period(LedgerEntry.created_at),
            or_(
                and_(LedgerEntry.kind.in_(EARNING_KINDS), LedgerEntry.delta > 0),
                LedgerEntry.kind.in_((LedgerKind.REDEMPTION, LedgerKind.REFUND)),
            ),
        )
        .group_by(LedgerEntry.kind)
    )
    by_kind = {kind: int(total or 0) for kind, total in ledger.all()}
    issued = sum(total for kind, total in by_kind.items() if kind in EARNING_KINDS)
    redeemed = -(by_kind.get(LedgerKind.REDEMPTION, 0) + by_kind.get(LedgerKind.REFUND, 0))
    handed_over = await _count(
        session,
        select(func.count(Redemption.id))
        .join(Resident, Resident.id == Redemption.resident_id)
        .where(
            Resident.building_id.in_(buildings),
            Redemption.state == RedemptionState.HANDED_OVER,
            in_period(Redemption.closed_at),
        ),
    )
    activities_held = await _count(
        session,
        select(func.count(Activity.id)).where(
            area.activities(),
            Activity.state == ActivityState.COMPLETED,
            in_period(Activity.ends_at),
        ),
    )
    attended = await session.execute(
        select(ActivitySignup.resident_id, Activity.starts_at, Activity.ends_at)
        .join(Activity, Activity.id == ActivitySignup.activity_id)
        .join(Resident, Resident.id == ActivitySignup.resident_id)
        .where(
            ActivitySignup.attended_at.is_not(None),
            Resident.building_id.in_(buildings),
            in_period(Activity.ends_at),
        )
    )
    attendance = attended.all()
    deliveries = await session.execute(
        select(OutboxDelivery.state, func.count(OutboxDelivery.id))
        .join(OutboxMessage, OutboxMessage.id == OutboxDelivery.message_id)
        .join(Notice, Notice.id == OutboxMessage.source_id)
        .where(
            OutboxMessage.source == "notice",
            in_period(OutboxMessage.created_at),
            area.notices(),
        )
        .group_by(OutboxDelivery.state)
    )
    delivered = dict(deliveries.all())
    return Figures(
        casework=casework,
        residents_new=residents_new,
        resolved=int(counted.get("resolved", 0)),
        reopened=int(counted.get("reopened", 0)),
        median_fulfil_hours=statistics.median(fulfil_hours) if fulfil_hours else None,
        topics_proposed=topics_proposed,
        votes_closed=int(votes[0] or 0),
        ballots=int(votes[1] or 0),
        eligible=int(votes[2] or 0),
        points_issued=issued,
        points_redeemed=redeemed,
        items_handed_over=handed_over,
        activities_held=activities_held,
        volunteers=len({resident_id for resident_id, _, _ in attendance}),
        volunteer_hours=round(sum(_hours(s, e) for _, s, e in attendance), 1),
        notices_sent=int(delivered.get(DeliveryState.SENT, 0)),
        notices_failed=int(delivered.get(DeliveryState.FAILED, 0)),
    )


def overdue_now(now: datetime, cfg: CaseworkSettings) -> ColumnElement[bool]:
    """Open requests past their stage's target, in SQL: the rule of
    `services.complaints.deadline` (acceptance while submitted, resolution after, both
    counted from the start of the stage), one pair of terms per category."""
    terms = []
    for category in ComplaintCategory:
        accept = now - cfg.accept_target(category.value)
        resolve = now - cfg.resolve_target(category.value)
        terms.append(
            and_(
                Complaint.category == category,
                or_(
                    and_(
                        Complaint.status == ComplaintStatus.SUBMITTED,
                        Complaint.stage_started_at < accept,
                    ),
                    and_(
                        Complaint.status.in_(
                            (ComplaintStatus.ACCEPTED, ComplaintStatus.IN_PROGRESS)
                        ),
                        Complaint.stage_started_at < resolve,
                    ),
                ),
            )
        )
    return or_(*terms)


async def _overdue_by(
    session: AsyncSession,
    buildings: Select[tuple[int]],
    now: datetime,
    cfg: CaseworkSettings,
    column: Any,
) -> dict[Any, int]:
    """How many requests are overdue now, per value of `column` (building, category)."""
    rows = await session.execute(
        select(column, func.count(Complaint.id))
        .where(Complaint.building_id.in_(buildings), overdue_now(now, cfg))
        .group_by(column)
    )
    return {key: int(n) for key, n in rows.all()}


async def snapshot(
    session: AsyncSession, viewer: Resident, area: Area, now: datetime, cfg: CaseworkSettings
) -> Snapshot:
    if not may_view(viewer, area):
        raise PermissionDenied("cockpit-error-outside")
    buildings = area.buildings()
    people = await session.execute(
        select(Resident.status, func.count(Resident.id))
        .where(
            Resident.building_id.in_(buildings),
            Resident.deleted_at.is_(None),
            or_(
                Resident.status == ResidentStatus.VERIFIED,
                and_(Resident.status == ResidentStatus.PENDING, Resident.applied_at.is_not(None)),
            ),
        )
        .group_by(Resident.status)
    )
    by_status = dict(people.all())
    requests_open = await _count(
        session,
        select(func.count(Complaint.id)).where(
            Complaint.status.in_(OPEN_STATUSES), Complaint.building_id.in_(buildings)
        ),
    )
    wishes_open = await _count(
        session,
        select(func.count(Wish.id)).where(
            Wish.status.in_((WishStatus.OPEN, WishStatus.CLAIMED)),
            Wish.building_id.in_(buildings),
        ),
    )
    stages = await session.execute(
        select(Topic.state, func.count(Topic.id)).where(area.topics()).group_by(Topic.state)
    )
    votes_open = await _count(
        session,
        select(func.count(Vote.id))
        .join(Topic, Topic.id == Vote.topic_id)
        .where(area.topics(), Vote.state == _VoteState.OPEN),
    )
    shop = (
        await session.execute(
            select(func.count(RewardItem.id), func.coalesce(func.sum(RewardItem.stock), 0)).where(
                RewardItem.community_id == area.community_id, RewardItem.active.is_(True)
            )
        )
    ).one()
    by_stage = {state: 0 for state in TopicState}
    by_stage.update(stages.all())
    return Snapshot(
        residents_verified=int(by_status.get(ResidentStatus.VERIFIED, 0)),
        residents_waiting=int(by_status.get(ResidentStatus.PENDING, 0)),
        requests_open=requests_open,
        requests_overdue=sum(
            (await _overdue_by(session, buildings, now, cfg, Complaint.grid_id)).values()
        ),
        wishes_open=wishes_open,
        topics_by_stage=by_stage,
        votes_open=votes_open,
        shop_items=int(shop[0] or 0),
        shop_stock=int(shop[1] or 0),
    )


async def overview(
    session: AsyncSession,
    viewer: Resident,
    area: Area,
    period: Period,
    now: datetime,
    cfg: CaseworkSettings,
) -> Overview:
    previous = period.previous()
    return Overview(
        area=area,
        period=period,
        previous_period=previous,
        current=await figures(session, viewer, area, period.start, period.end, cfg),
        previous=await figures(session, viewer, area, previous.start, previous.end, cfg),
        now=await snapshot(session, viewer, area, now, cfg),
    )


@dataclass(frozen=True)
class Week:
    period: Period
    figures: Figures


async def trends(
    session: AsyncSession,
    viewer: Resident,
    area: Area,
    now: datetime,
    tz: ZoneInfo,
    cfg: CaseworkSettings,
    weeks: int = TREND_WEEKS,
) -> list[Week]:
    """The same figures for each of the last `weeks` weeks (Monday to Sunday, this week
    last), oldest first."""
    this_week = period_of(PeriodKind.WEEK, now, tz)
    periods = [this_week]
    for _ in range(weeks - 1):
        periods.append(periods[-1].previous())
    return [
        Week(p, await figures(session, viewer, area, p.start, p.end, cfg))
        for p in reversed(periods)
    ]


# --- breakdowns ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaRow:
    """One grid or building in a breakdown."""

    area: Area
    casework: CaseworkStats
    requests_open: int
    requests_overdue: int
    residents_verified: int


@dataclass(frozen=True)
class CategoryRow:
    category: str
    received: int
    open: int
    overdue: int
    resolved: int
    median_resolve_hours: float | None
    average_rating: float | None


@dataclass(frozen=True)
class WishCategoryRow:
    category: str
    posted: int
    fulfilled: int
    open: int


@dataclass(frozen=True)
class Breakdown:
    areas: list[AreaRow]
    categories: list[CategoryRow]
    wish_categories: list[WishCategoryRow]


async def breakdown(
    session: AsyncSession,
    viewer: Resident,
    area: Area,
    period: Period,
    now: datetime,
    cfg: CaseworkSettings,
) -> Breakdown:
    """Per grid (of a community) or per building (of a grid), and per category."""
    if not may_view(viewer, area):
        raise PermissionDenied("cockpit-error-outside")
    rows: list[AreaRow] = []
    overdue = await _overdue_by(session, area.buildings(), now, cfg, Complaint.building_id)
    for child in await children(session, area):
        buildings = child.buildings()
        ids = set((await session.scalars(buildings)).all())
        casework = await casework_stats.compute(
            session, viewer, period.start, period.end, cfg, area=buildings
        )
        open_count = await _count(
            session,
            select(func.count(Complaint.id)).where(
                Complaint.status.in_(OPEN_STATUSES), Complaint.building_id.in_(buildings)
            ),
        )
        verified = await _count(
            session,
            select(func.count(Resident.id)).where(
                Resident.building_id.in_(buildings),
                Resident.status == ResidentStatus.VERIFIED,
                Resident.deleted_at.is_(None),
            ),
        )
        rows.append(
            AreaRow(
                area=child,
                casework=casework,
                requests_open=open_count,
                requests_overdue=sum(n for b, n in overdue.items() if b in ids),
                residents_verified=verified,
            )
        )
    return Breakdown(
        areas=rows,
        categories=await _categories(
            session,
            area,
            period,
            await _overdue_by(session, area.buildings(), now, cfg, Complaint.category),
        ),
        wish_categories=await _wish_categories(session, area, period),
    )


async def _categories(
    session: AsyncSession, area: Area, period: Period, overdue: dict[Any, int]
) -> list[CategoryRow]:
    buildings = area.buildings()
    received = await session.execute(
        select(ComplaintEvent.complaint_id, ComplaintEvent.at, Complaint.category)
        .join(Complaint, Complaint.id == ComplaintEvent.complaint_id)
        .where(
            ComplaintEvent.action == "submitted",
            ComplaintEvent.at >= period.start,
            ComplaintEvent.at < period.end,
            Complaint.building_id.in_(buildings),
        )
    )
    filed = {cid: (at, category) for cid, at, category in received.all()}
    resolve_hours: dict[str, list[float]] = defaultdict(list)
    ratings: dict[str, list[int]] = defaultdict(list)
    if filed:
        events = await session.scalars(
            select(ComplaintEvent)
            .where(ComplaintEvent.complaint_id.in_(list(filed)))
            .order_by(ComplaintEvent.at, ComplaintEvent.id)
        )
        first_resolve: dict[int, datetime] = {}
        for event in events.all():
            category = filed[event.complaint_id][1].value
            if event.to_status == "resolved" and event.complaint_id not in first_resolve:
                first_resolve[event.complaint_id] = event.at
                resolve_hours[category].append(_hours(filed[event.complaint_id][0], event.at))
            if event.action == "rated" and event.rating is not None:
                ratings[category].append(event.rating)
    opened = await session.execute(
        select(Complaint.category, func.count(Complaint.id))
        .where(Complaint.status.in_(OPEN_STATUSES), Complaint.building_id.in_(buildings))
        .group_by(Complaint.category)
    )
    open_by = {c.value: int(n) for c, n in opened.all()}
    received_by = Counter(category.value for _, category in filed.values())
    overdue_by = Counter({c.value: n for c, n in overdue.items()})
    return [
        CategoryRow(
            category=c.value,
            received=received_by[c.value],
            open=open_by.get(c.value, 0),
            overdue=overdue_by[c.value],
            resolved=len(resolve_hours[c.value]),
            median_resolve_hours=(
                statistics.median(resolve_hours[c.value]) if resolve_hours[c.value] else None
            ),
            average_rating=statistics.fmean(ratings[c.value]) if ratings[c.value] else None,
        )
        for c in ComplaintCategory
    ]


async def _wish_categories(
    session: AsyncSession, area: Area, period: Period
) -> list[WishCategoryRow]:
    buildings = area.buildings()
    moved = await session.execute(
        select(Wish.category, WishEvent.action, func.count(WishEvent.id))
        .join(Wish, Wish.id == WishEvent.wish_id)
        .where(
            WishEvent.action.in_(("posted", "fulfilled")),
            WishEvent.at >= period.start,
            WishEvent.at < period.end,
            Wish.building_id.in_(buildings),
        )
        .group_by(Wish.category, WishEvent.action)
    )
    counts = {(c.value, action): int(n) for c, action, n in moved.all()}
    opened = await session.execute(
        select(Wish.category, func.count(Wish.id))
        .where(
            Wish.status.in_((WishStatus.OPEN, WishStatus.CLAIMED)),
            Wish.building_id.in_(buildings),
        )
        .group_by(Wish.category)
    )
    open_by = {c.value: int(n) for c, n in opened.all()}
    return [
        WishCategoryRow(
            category=c.value,
            posted=counts.get((c.value, "posted"), 0),
            fulfilled=counts.get((c.value, "fulfilled"), 0),
            open=open_by.get(c.value, 0),
        )
        for c in WishCategory
    ]


# --- names --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """How a resident is shown: by name, or as a neighbour of their building (their
    leaderboard choice), or as a former resident (they deleted their account). `name` is
    empty unless shown by name."""

    name: str
    building: str
    as_neighbour: bool
    former: bool = False


async def people(session: AsyncSession, resident_ids: Iterable[int | None]) -> dict[int, Person]:
    ids = {rid for rid in resident_ids if rid is not None}
    if not ids:
        return {}
    rows = await session.execute(
        select(
            Resident.id,
            Resident.display_name,
            Building.name,
            PointsPrivacy.as_neighbour,
            Resident.deleted_at.is_not(None),
        )
        .outerjoin(Building, Building.id == Resident.building_id)
        .outerjoin(PointsPrivacy, PointsPrivacy.resident_id == Resident.id)
        .where(Resident.id.in_(ids))
    )
    found: dict[int, Person] = {}
    for rid, name, building, as_neighbour, former in rows.all():
        hidden = bool(as_neighbour) or not name or former
        found[rid] = Person("" if hidden else name, building or "", hidden, bool(former))
    return found


# --- lists --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    state: str = ""
    category: str = ""
    building_id: int | None = None
    overdue: bool = False
    page: int = 1


@dataclass(frozen=True)
class RequestRow:
    complaint: Complaint
    building: str
    grid: str
    author: Person | None
    """None: anonymous, or entered for someone offline (`offline_author`)."""
    offline_author: str | None
    overdue: bool
    due: datetime | None


@dataclass(frozen=True)
class WishRow:
    wish: Wish
    building: str
    grid: str
    author: Person | None
    offline_author: str | None
    claimer: Person | None


@dataclass(frozen=True)
class TopicRow:
    topic: Topic
    unit: str
    author: Person | None


@dataclass(frozen=True)
class Page(Generic[T]):
    rows: list[T]
    total: int
    page: int
    pages: int


def _building_filter(area: Area, filters: Filters, column: Any) -> ColumnElement[bool]:
    buildings = area.buildings()
    if filters.building_id is None:
        return column.in_(buildings)
    return and_(column == filters.building_id, column.in_(buildings))


async def _paginate(
    session: AsyncSession, stmt: Select[Any], page: int, size: int | None
) -> Page[Any]:
    """One page of the statement's rows (LIMIT/OFFSET), with the total; all rows when
    `size` is None."""
    if size is None:
        rows = list((await session.execute(stmt)).all())
        return Page(rows, len(rows), 1, 1)
    total = await _count(session, select(func.count()).select_from(stmt.order_by(None).subquery()))
    pages = max(1, -(-total // size))
    page = min(max(page, 1), pages)
    rows = list((await session.execute(stmt.limit(size).offset((page - 1) * size))).all())
    return Page(rows, total, page, pages)


async def requests(
    session: AsyncSession,
    viewer: Resident,
    area: Area,
    filters: Filters,
    now: datetime,
    cfg: CaseworkSettings,
    page_size: int | None = PAGE_SIZE,
) -> Page[RequestRow]:
    """Requests of the area, newest first. `state` is a status or "active" (any open
    one); `overdue` keeps the open ones past their stage's target. `page_size=None`: all
    (for CSV)."""
    if not may_view(viewer, area):
        raise PermissionDenied("cockpit-error-outside")
    stmt = (
        select(Complaint, Building.name, Grid.name)
        .join(Building, Building.id == Complaint.building_id)
        .join(Grid, Grid.id == Complaint.grid_id)
        .where(_building_filter(area, filters, Complaint.building_id))
        .order_by(Complaint.created_at.desc(), Complaint.id.desc())
    )
    if filters.overdue:
        stmt = stmt.where(overdue_now(now, cfg))
    if filters.state == "active":
        stmt = stmt.where(Complaint.status.in_(OPEN_STATUSES))
    elif filters.state:
        stmt = stmt.where(Complaint.status == ComplaintStatus(filters.state))
    if filters.category:
        stmt = stmt.where(Complaint.category == ComplaintCategory(filters.category))
    found = await _paginate(session, stmt, filters.page, page_size)
    page = Page(
        [
            (c, building, grid, due, due is not None and due < now)
            for c, building, grid in found.rows
            for due in (deadline(c, cfg),)
        ],
        found.total,
        found.page,
        found.pages,
    )
    names = await people(session, (c.author_id for c, *_ in page.rows if not c.anonymous))
    return Page(
        [
            RequestRow(
                complaint=c,
                building=building,
                grid=grid,
                author=None if c.anonymous or c.author_id is None else names.get(c.author_id),
                offline_author=None if c.anonymous else c.offline_author,
                overdue=late,
                due=due,
            )
            for c, building, grid, due, late in page.rows
        ],
        page.total,
        page.page,
        page.pages,
    )


async def wishes(
    session: AsyncSession,
    viewer: Resident,
    area: Area,
    filters: Filters,
    page_size: int | None = PAGE_SIZE,
) -> Page[WishRow]:
    if not may_view(viewer, area):
        raise PermissionDenied("cockpit-error-outside")
    stmt = (
        select(Wish, Building.name, Grid.name)
        .join(Building, Building.id == Wish.building_id)
        .join(Grid, Grid.id == Wish.grid_id)
        .where(_building_filter(area, filters, Wish.building_id))
        .order_by(Wish.created_at.desc(), Wish.id.desc())
    )
    if filters.state == "active":
        stmt = stmt.where(Wish.status.in_((WishStatus.OPEN, WishStatus.CLAIMED)))
    elif filters.state:
        stmt = stmt.where(Wish.status == WishStatus(filters.state))
    if filters.category:
        stmt = stmt.where(Wish.category == WishCategory(filters.category))
    page = await _paginate(session, stmt, filters.page, page_size)
    names = await people(
        session, [w.author_id for w, *_ in page.rows] + [w.claimer_id for w, *_ in page.rows]
    )
    return Page(
        [
            WishRow(
                wish=w,
                building=building,
                grid=grid,
                author=names.get(w.author_id) if w.author_id else None,
                offline_author=w.offline_author,
                claimer=names.get(w.claimer_id) if w.claimer_id else None,
            )
            for w, building, grid in page.rows
        ],
        page.total,
        page.page,
        page.pages,
    )


async def topics(
    session: AsyncSession,
    viewer: Resident,
    area: Area,
    filters: Filters,
    page_size: int | None = PAGE_SIZE,
) -> Page[TopicRow]:
    if not may_view(viewer, area):
        raise PermissionDenied("cockpit-error-outside")
    stmt = (
        select(Topic, Grid.name, Building.name, Community.name)
        .join(Community, Community.id == Topic.community_id)
        .outerjoin(Grid, Grid.id == Topic.grid_id)
        .outerjoin(Building, Building.id == Topic.building_id)
        .where(area.topics())
        .order_by(Topic.created_at.desc(), Topic.id.desc())
    )
    if filters.state:
        stmt = stmt.where(Topic.state == TopicState(filters.state))
    if filters.building_id is not None:
        stmt = stmt.where(
            Topic.building_id == filters.building_id,
            Topic.building_id.in_(area.buildings()),
        )
    page = await _paginate(session, stmt, filters.page, page_size)
    names = await people(session, (t.author_id for t, *_ in page.rows))
    rows = []
    for t, grid, building, community in page.rows:
        if t.scope == Scope.BUILDING:
            unit = f"{grid} · {building}"
        elif t.scope == Scope.GRID:
            unit = grid or ""
        else:
            unit = community
        rows.append(TopicRow(t, unit, names.get(t.author_id) if t.author_id else None))
    return Page(rows, page.total, page.page, page.pages)


# --- one item and its history -------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One history row: when, who (None: the anonymous author, or the system), what."""

    at: datetime
    actor: Person | None
    action: str
    from_status: str | None
    to_status: str | None
    note: str
    rating: int | None = None


@dataclass(frozen=True)
class RequestDetail:
    row: RequestRow
    steps: list[Step]


@dataclass(frozen=True)
class WishDetail:
    row: WishRow
    steps: list[Step]


@dataclass(frozen=True)
class VoteSummary:
    vote: Vote
    options: list[tuple[str, int]] | None
    """Totals, only once the vote is closed (or it shows live totals): ballots are secret."""
    ballots: int | None


@dataclass(frozen=True)
class TopicDetail:
    row: TopicRow
    steps: list[Step]
    votes: list[VoteSummary] = field(default_factory=list)


async def _actors(session: AsyncSession, ids: Iterable[int | None]) -> dict[int, Person]:
    return await people(session, ids)


async def request_detail(
    session: AsyncSession,
    viewer: Resident,
    area: Area,
    complaint_id: int,
    now: datetime,
    cfg: CaseworkSettings,
) -> RequestDetail:
    if not may_view(viewer, area):
        raise PermissionDenied("cockpit-error-outside")
    found = (
        await session.execute(
            select(Complaint, Building.name, Grid.name)
            .join(Building, Building.id == Complaint.building_id)
            .join(Grid, Grid.id == Complaint.grid_id)
            .where(Complaint.id == complaint_id, Complaint.building_id.in_(area.buildings()))
        )
    ).first()
    if found is None:
        raise NotFound()
    complaint, building, grid = found
    events = (
        await session.scalars(
            select(ComplaintEvent)
            .where(ComplaintEvent.complaint_id == complaint.id)
            .order_by(ComplaintEvent.at, ComplaintEvent.id)
        )
    ).all()
    hidden = {complaint.author_id} if complaint.anonymous else set()
    names = await _actors(
        session,
        [e.actor_id for e in events if e.actor_id not in hidden]
        + ([complaint.author_id] if not complaint.anonymous else []),
    )
    due = deadline(complaint, cfg)
    row = RequestRow(
        complaint=complaint,
        building=building,
        grid=grid,
        author=None
        if complaint.anonymous or complaint.author_id is None
        else names.get(complaint.author_id),
        offline_author=None if complaint.anonymous else complaint.offline_author,
        overdue=due is not None and due < now,
        due=due,
    )
    steps = [
        Step(
            at=e.at,
            actor=None if e.actor_id is None or e.actor_id in hidden else names.get(e.actor_id),
            action=e.action,
            from_status=e.from_status,
            to_status=e.to_status,
            note=e.note,
            rating=e.rating,
        )
        for e in events
    ]
    return RequestDetail(row, steps)


async def wish_detail(
    session: AsyncSession, viewer: Resident, area: Area, wish_id: int
) -> WishDetail:
    if not may_view(viewer, area):
        raise PermissionDenied("cockpit-error-outside")
    found = (
        await session.execute(
            select(Wish, Building.name, Grid.name)
            .join(Building, Building.id == Wish.building_id)
            .join(Grid, Grid.id == Wish.grid_id)
            .where(Wish.id == wish_id, Wish.building_id.in_(area.buildings()))
        )
    ).first()
    if found is None:
        raise NotFound()
    wish, building, grid = found
    events = (
        await session.scalars(
            select(WishEvent)
            .where(WishEvent.wish_id == wish.id)
            .order_by(WishEvent.at, WishEvent.id)
        )
    ).all()
    names = await _actors(session, [e.actor_id for e in events] + [wish.author_id, wish.claimer_id])
    row = WishRow(
        wish=wish,
        building=building,
        grid=grid,
        author=names.get(wish.author_id) if wish.author_id else None,
        offline_author=wish.offline_author,
        claimer=names.get(wish.claimer_id) if wish.claimer_id else None,
    )
    steps = [
        Step(
            at=e.at,
            actor=names.get(e.actor_id) if e.actor_id is not None else None,
            action=e.action,
            from_status=e.from_status,
            to_status=e.to_status,
            note=e.note,
        )
        for e in events
    ]
    return WishDetail(row, steps)


async def topic_detail(
    session: AsyncSession, viewer: Resident, area: Area, topic_id: int
) -> TopicDetail:
    if not may_view(viewer, area):
        raise PermissionDenied("cockpit-error-outside")
    page = await topics(session, viewer, area, Filters(), page_size=None)
    row = next((r for r in page.rows if r.topic.id == topic_id), None)
    if row is None:
        raise NotFound()
    events = (
        await session.scalars(
            select(TopicEvent)
            .where(TopicEvent.topic_id == topic_id)
            .order_by(TopicEvent.at, TopicEvent.id)
        )
    ).all()
    names = await _actors(session, [e.actor_id for e in events])
    steps = [
        Step(
            at=e.at,
            actor=names.get(e.actor_id) if e.actor_id is not None else None,
            action="state",
            from_status=None,
            to_status=e.state.value,
            note=e.note,
        )
        for e in events
    ]
    summaries: list[VoteSummary] = []
    for vote in (
        await session.scalars(select(Vote).where(Vote.topic_id == topic_id).order_by(Vote.id))
    ).all():
        visible = vote.state == _VoteState.CLOSED or vote.show_live
        options = None
        if visible:
            rows = await session.execute(
                select(VoteOption.label, VoteOption.votes)
                .where(VoteOption.vote_id == vote.id)
                .order_by(VoteOption.position)
            )
            options = [(label, int(n)) for label, n in rows.all()]
        summaries.append(VoteSummary(vote, options, vote.turnout))
    return TopicDetail(row, steps, summaries)


async def record_export(
    session: AsyncSession, viewer: Resident, area: Area, what: str, rows: int
) -> None:
    """Audit a CSV export (as the bot's exports are)."""
    if not may_view(viewer, area):
        raise PermissionDenied("cockpit-error-outside")
    async with write_transaction(session):
        await audit.record(session, viewer, "cockpit.export", area=area.ref, list=what, rows=rows)
