"""Reports back to the units (双报告): each month, each unit's contact gets last month's
figures — members, how many took part, tasks, hours, micro-wishes fulfilled, projects led or
joined, residents' ratings — with a CSV of one line per member; admins get the yearly
evaluation table of units and members (`/export partners 2026`), the figures units are
assessed on, with the members who joined nothing in a quarter marked for a reminder (never
named in a group). Every CSV goes through `services.csv_export` (Excel-safe). Whether a member
is a party member in service appears in the admins' table only."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from linli.models import Grid, Resident
from linli.models.complaints import Complaint
from linli.models.db import write_transaction
from linli.models.partners import (
    HazardReport,
    MemberState,
    MobileMember,
    MobileState,
    PartnerMember,
    PartnerReport,
    PartnerUnit,
    Project,
    ProjectRating,
    ProjectResource,
    ProjectState,
    ProjectTask,
    Resource,
    UnitState,
    WishAdoption,
)
from linli.models.points import Activity, ActivitySignup
from linli.models.wishes import Wish, WishStatus
from linli.services import csv_export, ledger, parsing, partners
from linli.services.errors import ValidationFailed
from linli.services.partner_tasks import Contribution, contributions

YEAR_MIN, YEAR_MAX = 2000, 2100


@dataclass
class UnitFigures:
    """A unit's figures for a period, and each member's line."""

    unit: PartnerUnit
    period: str
    members: list[tuple[PartnerMember, Resident, Contribution]] = field(default_factory=list)
    wishes: int = 0
    projects_led: int = 0
    projects_joined: int = 0
    ratings: int = 0
    average: float | None = None
    resources: int = 0

    @property
    def active(self) -> int:
        return sum(1 for _m, _r, c in self.members if c.active)

    @property
    def tasks(self) -> int:
        return sum(c.tasks for _m, _r, c in self.members)

    @property
    def hours(self) -> float:
        return round(sum(c.hours for _m, _r, c in self.members), 1)


async def _members_during(
    session: AsyncSession, unit_id: int, start: datetime, end: datetime
) -> list[tuple[PartnerMember, Resident]]:
    """Approved members of the unit at some moment of [start, end)."""
    rows = await session.execute(
        select(PartnerMember, Resident)
        .join(Resident, Resident.id == PartnerMember.resident_id)
        .where(
            PartnerMember.unit_id == unit_id,
            PartnerMember.approved_at.is_not(None),
            PartnerMember.approved_at < end,
            or_(PartnerMember.left_at.is_(None), PartnerMember.left_at >= start),
            PartnerMember.state.in_((MemberState.ACTIVE, MemberState.LEFT)),
        )
        .order_by(PartnerMember.id)
    )
    return [(m, r) for m, r in rows.all()]


def _live_between(start: datetime, end: datetime) -> object:
    return (
        (Project.state != ProjectState.CANCELLED)
        & (Project.created_at < end)
        & or_(Project.done_at.is_(None), Project.done_at >= start)
    )


async def unit_figures(
    session: AsyncSession, unit: PartnerUnit, start: datetime, end: datetime, period: str
) -> UnitFigures:
    figures = UnitFigures(unit=unit, period=period)
    people = await _members_during(session, unit.id, start, end)
    lines = await contributions(session, [r.id for _m, r in people], start, end)
    figures.members = [(m, r, lines[r.id]) for m, r in people]
    figures.wishes = int(
        await session.scalar(
            select(func.count())
            .select_from(WishAdoption)
            .join(Wish, Wish.id == WishAdoption.wish_id)
            .where(
                WishAdoption.unit_id == unit.id,
                Wish.status == WishStatus.FULFILLED,
                Wish.claimer_id == WishAdoption.member_id,
                Wish.fulfilled_at >= start,
                Wish.fulfilled_at < end,
            )
        )
        or 0
    )
    live = _live_between(start, end)
    led = list(
        (
            await session.scalars(
                select(Project.id).where(Project.lead_unit_id == unit.id, live)  # type: ignore[arg-type]
            )
        ).all()
    )
    figures.projects_led = len(led)
    by_resources = (
        select(ProjectResource.project_id)
        .join(Resource, Resource.id == ProjectResource.resource_id)
        .where(Resource.unit_id == unit.id)
    )
    by_tasks = (
        select(ProjectTask.project_id)
        .join(ActivitySignup, ActivitySignup.activity_id == ProjectTask.activity_id)
        .join(Activity, Activity.id == ProjectTask.activity_id)
        .where(
            ActivitySignup.resident_id.in_([r.id for _m, r in people] or [0]),
            ActivitySignup.attended_at.is_not(None),
            Activity.starts_at >= start,
            Activity.starts_at < end,
        )
    )
    joined = await session.scalar(
        select(func.count())
        .select_from(Project)
        .where(
            live,  # type: ignore[arg-type]
            Project.lead_unit_id.is_distinct_from(unit.id),
            or_(Project.id.in_(by_resources), Project.id.in_(by_tasks)),
        )
    )
    figures.projects_joined = int(joined or 0)
    if led:
        count, average = (
            await session.execute(
                select(func.count(), func.avg(ProjectRating.stars)).where(
                    ProjectRating.project_id.in_(led),
                    ProjectRating.created_at >= start,
                    ProjectRating.created_at < end,
                )
            )
        ).one()
        figures.ratings = int(count or 0)
        figures.average = float(average) if average is not None else None
    figures.resources = int(
        await session.scalar(
            select(func.count())
            .select_from(Resource)
            .where(Resource.unit_id == unit.id, Resource.available)
        )
        or 0
    )
    return figures


def _hours(value: float) -> float:
    return round(value, 1)


def monthly_csv(figures: UnitFigures) -> bytes:
    """One line per member of the unit in the month (for its contact; no party membership)."""
    header = ["member", "tasks", "hours", "points", "wishes_fulfilled"]
    rows = [
        [person.display_name or "-", c.tasks, _hours(c.hours), c.points, c.wishes]
        for _m, person, c in figures.members
    ]
    return csv_export.to_csv(header, rows)


# --- the monthly reports ----------------------------------------------------------------------


@dataclass(frozen=True)
class MonthlyReport:
    report_id: int
    contact: Resident
    figures: UnitFigures


async def claim_monthly(session: AsyncSession, now: datetime, tz: ZoneInfo) -> list[MonthlyReport]:
    """Last month's report of every active unit with a contact, each claimed (one row per
    unit and month, a unique constraint) so that a second run sends nothing again."""
    start, end = ledger.previous_month(now, tz)
    period = start.astimezone(tz).strftime("%Y-%m")
    units = await session.scalars(
        select(PartnerUnit)
        .where(PartnerUnit.state == UnitState.ACTIVE, PartnerUnit.contact_id.is_not(None))
        .order_by(PartnerUnit.id)
    )
    out: list[MonthlyReport] = []
    for unit in list(units.all()):
        try:
            async with write_transaction(session):
                report = PartnerReport(unit_id=unit.id, period=period, created_at=now)
                session.add(report)
                await session.flush()
        except IntegrityError:
            continue
        contact = await session.get(Resident, unit.contact_id)
        if contact is None:
            continue
        figures = await unit_figures(session, unit, start, end, period)
        out.append(MonthlyReport(report.id, contact, figures))
    return out


async def mark_sent(session: AsyncSession, report_id: int, now: datetime) -> None:
    async with write_transaction(session):
        report = await session.get(PartnerReport, report_id)
        if report is not None:
            report.sent_at = now


# --- the yearly evaluation (admins) -----------------------------------------------------------


def parse_year(text: str | None, now: datetime, tz: ZoneInfo) -> int:
    """`2026`, or this year when nothing is given."""
    if not (text or "").strip():
        return now.astimezone(tz).year
    year = parsing.parse_int(text, low=YEAR_MIN, high=YEAR_MAX)
    if year is None:
        raise ValidationFailed("partner-export-year", low=str(YEAR_MIN), high=str(YEAR_MAX))
    return year


def _bounds(year: int, quarter: int | None, tz: ZoneInfo) -> tuple[datetime, datetime]:
    if quarter is None:
        return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)
    first = 3 * (quarter - 1) + 1
    start = datetime(year, first, 1, tzinfo=tz)
    end = datetime(year + (first + 3 > 12), (first + 3 - 1) % 12 + 1, 1, tzinfo=tz)
    return start, end


@dataclass(frozen=True)
class Evaluation:
    year: int
    units_csv: bytes
    members_csv: bytes
    units: int
    members: int
    to_remind: int
    """Members who joined nothing in a quarter of the year that has ended."""


async def yearly(
    session: AsyncSession, actor: Resident | None, year: int, now: datetime, tz: ZoneInfo
) -> Evaluation:
    """The yearly evaluation table of the admin's community: one line per unit, one per
    member with each quarter's hours."""
    _admin, community_id = await partners.require_admin(session, actor)
    start, end = _bounds(year, None, tz)
    units = list(
        (
            await session.scalars(
                select(PartnerUnit)
                .where(PartnerUnit.community_id == community_id, PartnerUnit.created_at < end)
                .order_by(PartnerUnit.id)
            )
        ).all()
    )
    unit_rows = []
    member_rows = []
    to_remind = 0
    for unit in units:
        figures = await unit_figures(session, unit, start, end, str(year))
        unit_rows.append(
            [
                unit.code,
                unit.name,
                unit.kind.value,
                unit.state.value,
                len(figures.members),
                figures.active,
                figures.tasks,
                figures.hours,
                figures.wishes,
                figures.projects_led,
                figures.projects_joined,
                figures.ratings,
                round(figures.average, 2) if figures.average is not None else None,
                figures.resources,
            ]
        )
        quarters = []
        for quarter in range(1, 5):
            q_start, q_end = _bounds(year, quarter, tz)
            quarters.append(
                (
                    q_end <= now,
                    await contributions(
                        session, [r.id for _m, r, _c in figures.members], q_start, q_end
                    ),
                )
            )
        for member, person, total in figures.members:
            idle = [
                f"Q{i + 1}"
                for i, (ended, lines) in enumerate(quarters)
                if ended and not lines[person.id].active and member.state == MemberState.ACTIVE
            ]
            to_remind += bool(idle)
            member_rows.append(
                [
                    unit.code,
                    unit.name,
                    person.display_name or "-",
                    "yes" if member.party_member else "no",
                    member.approved_at.astimezone(tz).date().isoformat()
                    if member.approved_at
                    else None,
                    member.left_at.astimezone(tz).date().isoformat() if member.left_at else None,
                    total.tasks,
                    _hours(total.hours),
                    total.points,
                    total.wishes,
                    *(_hours(lines[person.id].hours) for _ended, lines in quarters),
                    " ".join(idle),
                ]
            )
    units_csv = csv_export.to_csv(
        [
            "unit",
            "name",
            "kind",
            "state",
            "members",
            "members_active",
            "tasks",
            "hours",
            "wishes_fulfilled",
            "projects_led",
            "projects_joined",
            "ratings",
            "average_rating",
            "resources_listed",
        ],
        unit_rows,
    )
    members_csv = csv_export.to_csv(
        [
            "unit",
            "unit_name",
            "member",
            "party_member_in_service",
            "reported_in",
            "left",
            "tasks",
            "hours",
            "points",
            "wishes_fulfilled",
            "q1_hours",
            "q2_hours",
            "q3_hours",
            "q4_hours",
            "quarters_without_activity",
        ],
        member_rows,
    )
    return Evaluation(year, units_csv, members_csv, len(units), len(member_rows), to_remind)


# --- the cockpit -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CockpitFigures:
    """共驻共建 in the community's cockpit: units, members and mobile grid members now;
    tasks, hours, projects and hazard reports in the period (counts only: a report's
    reporter is never named here)."""

    units: int
    members: int
    members_active: int
    tasks: int
    hours: float
    projects_live: int
    projects_done: int
    mobile_members: int
    hazard_reports: int


async def cockpit_figures(
    session: AsyncSession, community_id: int, start: datetime, end: datetime
) -> CockpitFigures:
    units = list(
        (
            await session.scalars(
                select(PartnerUnit.id).where(
                    PartnerUnit.community_id == community_id,
                    PartnerUnit.state == UnitState.ACTIVE,
                )
            )
        ).all()
    )
    people = list(
        (
            await session.scalars(
                select(PartnerMember.resident_id).where(
                    PartnerMember.unit_id.in_(units or [0]),
                    PartnerMember.state == MemberState.ACTIVE,
                )
            )
        ).all()
    )
    lines = await contributions(session, people, start, end)
    live = await session.scalar(
        select(func.count())
        .select_from(Project)
        .where(
            Project.community_id == community_id,
            Project.state.in_((ProjectState.PLANNED, ProjectState.ACTIVE)),
        )
    )
    done = await session.scalar(
        select(func.count())
        .select_from(Project)
        .where(
            Project.community_id == community_id,
            Project.state == ProjectState.DONE,
            Project.done_at >= start,
            Project.done_at < end,
        )
    )
    mobile = await session.scalar(
        select(func.count())
        .select_from(MobileMember)
        .where(
            MobileMember.community_id == community_id,
            MobileMember.state == MobileState.ACTIVE,
        )
    )
    hazards = await session.scalar(
        select(func.count())
        .select_from(HazardReport)
        .join(Complaint, Complaint.id == HazardReport.complaint_id)
        .join(Grid, Grid.id == Complaint.grid_id)
        .where(
            Grid.community_id == community_id,
            HazardReport.created_at >= start,
            HazardReport.created_at < end,
        )
    )
    return CockpitFigures(
        units=len(units),
        members=len(people),
        members_active=sum(1 for c in lines.values() if c.active),
        tasks=sum(c.tasks for c in lines.values()),
        hours=round(sum(c.hours for c in lines.values()), 1),
        projects_live=int(live or 0),
        projects_done=int(done or 0),
        mobile_members=int(mobile or 0),
        hazard_reports=int(hazards or 0),
    )
