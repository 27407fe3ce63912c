"""What partner members do: the tasks of projects open to them (volunteer activities of the
community's live projects), and their contribution — tasks attended, hours, points earned,
wishes fulfilled for their unit — the figure the monthly reports and the yearly evaluation
add up (services/partner_reports.py)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from linli.models import Resident
from linli.models.partners import Project, ProjectState, ProjectTask, WishAdoption
from linli.models.points import (
    EARNING_KINDS,
    Activity,
    ActivitySignup,
    ActivityState,
    LedgerEntry,
    SignupStatus,
)
from linli.models.wishes import Wish, WishStatus
from linli.services import ledger, partners

LIST_MAX = 20


async def open_tasks(
    session: AsyncSession, resident: Resident | None, now: datetime
) -> list[tuple[Activity, Project]]:
    """Tasks of the live projects of a member's community not over yet, soonest first."""
    mine = await partners.require_section(session, resident, partners.Section.TASKS)
    assert mine.unit is not None
    rows = await session.execute(
        select(Activity, Project)
        .join(ProjectTask, ProjectTask.activity_id == Activity.id)
        .join(Project, Project.id == ProjectTask.project_id)
        .where(
            Project.community_id == mine.unit.community_id,
            Project.state.in_((ProjectState.PLANNED, ProjectState.ACTIVE)),
            Activity.state == ActivityState.OPEN,
            Activity.ends_at > now,
        )
        .order_by(Activity.starts_at)
        .limit(LIST_MAX)
    )
    return [(a, p) for a, p in rows.all()]


async def project_of_task(session: AsyncSession, activity_id: int) -> Project | None:
    return await session.scalar(
        select(Project)
        .join(ProjectTask, ProjectTask.project_id == Project.id)
        .where(ProjectTask.activity_id == activity_id)
    )


@dataclass
class Contribution:
    """One person's contribution in a period."""

    tasks: int = 0
    hours: float = 0.0
    points: int = 0
    wishes: int = 0

    @property
    def active(self) -> bool:
        return bool(self.tasks or self.wishes)


async def contributions(
    session: AsyncSession, resident_ids: Iterable[int], start: datetime, end: datetime
) -> dict[int, Contribution]:
    """Per person, in [start, end): volunteer activities attended whose hours were confirmed
    (by the activity's start), their hours, points earned (credits of the ledger) and
    micro-wishes they fulfilled for a unit."""
    ids = list(dict.fromkeys(resident_ids))
    out = {rid: Contribution() for rid in ids}
    if not ids:
        return out
    attended = await session.execute(
        select(ActivitySignup.resident_id, Activity.starts_at, Activity.ends_at)
        .join(Activity, Activity.id == ActivitySignup.activity_id)
        .where(
            ActivitySignup.resident_id.in_(ids),
            ActivitySignup.attended_at.is_not(None),
            Activity.state == ActivityState.COMPLETED,
            Activity.starts_at >= start,
            Activity.starts_at < end,
        )
    )
    for rid, starts, ends in attended.all():
        out[rid].tasks += 1
        out[rid].hours += (ends - starts).total_seconds() / 3600
    earned = await session.execute(
        select(LedgerEntry.resident_id, func.coalesce(func.sum(LedgerEntry.delta), 0))
        .where(
            LedgerEntry.resident_id.in_(ids),
            LedgerEntry.kind.in_(EARNING_KINDS),
            LedgerEntry.delta > 0,
            LedgerEntry.created_at >= start,
            LedgerEntry.created_at < end,
        )
        .group_by(LedgerEntry.resident_id)
    )
    for rid, total in earned.all():
        out[rid].points = int(total or 0)
    wishes = await session.execute(
        select(WishAdoption.member_id, func.count())
        .join(Wish, Wish.id == WishAdoption.wish_id)
        .where(
            WishAdoption.member_id.in_(ids),
            Wish.status == WishStatus.FULFILLED,
            Wish.claimer_id == WishAdoption.member_id,
            Wish.fulfilled_at >= start,
            Wish.fulfilled_at < end,
        )
        .group_by(WishAdoption.member_id)
    )
    for rid, count in wishes.all():
        out[rid].wishes = int(count or 0)
    return out


@dataclass(frozen=True)
class MySummary:
    month: Contribution
    year: Contribution
    balance: int


async def my_summary(
    session: AsyncSession,
    resident: Resident | None,
    month: tuple[datetime, datetime],
    year: tuple[datetime, datetime],
) -> MySummary:
    """A member's own hours and points: this month, this year, their balance."""
    await partners.require_section(session, resident, partners.Section.HOURS)
    assert resident is not None
    this_month = (await contributions(session, [resident.id], *month))[resident.id]
    this_year = (await contributions(session, [resident.id], *year))[resident.id]
    return MySummary(this_month, this_year, await ledger.cached_balance(session, resident.id))


async def signed_up(
    session: AsyncSession, resident: Resident, activity_ids: Iterable[int]
) -> set[int]:
    """Which of the activities the resident has a seat or a waiting place at."""
    ids = list(activity_ids)
    if not ids:
        return set()
    rows = await session.scalars(
        select(ActivitySignup.activity_id).where(
            ActivitySignup.resident_id == resident.id,
            ActivitySignup.activity_id.in_(ids),
            ActivitySignup.status.in_((SignupStatus.GOING, SignupStatus.WAITING)),
        )
    )
    return set(rows.all())
