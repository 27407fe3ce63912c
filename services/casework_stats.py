"""`/stats` for chiefs: complaints and wishes of their area in a period, from the history
rows (`complaint_events`, `wish_events`), never from mutable columns.

"Accepted on time" is the share of requests acted on within their category's acceptance
target among those whose outcome is known: a request is on time when its first decision
(accepted, assigned, rejected or merged) came within the target; late when that decision
came after it, or when it is still waiting past its target; a request still inside its
window with no decision is not counted yet.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from linli.config.casework import CaseworkSettings
from linli.models import Building, Resident, Role
from linli.models.complaints import Complaint, ComplaintEvent
from linli.models.wishes import Wish, WishEvent
from linli.services.authz import buildings_in_area, require_role
from linli.services.errors import ValidationFailed
from linli.services.parsing import parse_int

FIRST_DECISIONS = ("accepted", "in_progress", "rejected", "merged")
"""Where a request can go from `submitted` when a chief acts on it."""


@dataclass(frozen=True)
class CaseworkStats:
    received: int
    accepted_in_time_pct: float | None
    median_accept_hours: float | None
    median_resolve_hours: float | None
    resolved_pct: float | None
    average_rating: float | None
    ratings: int
    wishes_posted: int
    wishes_fulfilled: int


def month_bounds(arg: str, now: datetime, tz: ZoneInfo) -> tuple[datetime, datetime, str]:
    """`YYYY-MM` or `YYYY/MM` (or this month in the community's time zone when empty) →
    [start, end) in UTC and the label; ASCII digits only."""
    local = now.astimezone(tz)
    year, month = local.year, local.month
    if arg:
        year_text, _, month_text = arg.strip().replace("/", "-").partition("-")
        typed_year = parse_int(year_text, low=2000, high=2100)
        typed_month = parse_int(month_text, low=1, high=12)
        if typed_year is None or typed_month is None:
            raise ValidationFailed("casework-stats-usage")
        year, month = typed_year, typed_month
    start = datetime(year, month, 1, tzinfo=tz)
    end = (start + timedelta(days=32)).replace(day=1)
    return start.astimezone(UTC), end.astimezone(UTC), f"{year}-{month:02d}"


def _pct(part: int, whole: int) -> float | None:
    return None if whole == 0 else 100.0 * part / whole


def _hours(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 3600


async def compute(
    session: AsyncSession,
    actor: Resident,
    start: datetime,
    end: datetime,
    cfg: CaseworkSettings,
    *,
    area: Select[tuple[int]] | None = None,
    now: datetime | None = None,
) -> CaseworkStats:
    """Complaints received in [start, end) in the actor's area: the share acted on within
    their category's target (see the module's docstring; `now` decides which are still
    inside their window), median hours to accept and to resolve, the share resolved, the
    average rating; and wishes posted and fulfilled in the period.
    `area` (a SELECT of building ids) narrows it to a part of the actor's area (the web
    cockpit's grid and building pages); it never reaches beyond the actor's area."""
    require_role(actor, Role.BUILDING_CHIEF)
    now = now or datetime.now(UTC)
    own = buildings_in_area(actor)
    area = own if area is None else own.where(Building.id.in_(area))
    submitted = (
        await session.execute(
            select(ComplaintEvent.complaint_id, ComplaintEvent.at, Complaint.category)
            .join(Complaint, Complaint.id == ComplaintEvent.complaint_id)
            .where(
                ComplaintEvent.action == "submitted",
                ComplaintEvent.at >= start,
                ComplaintEvent.at < end,
                Complaint.building_id.in_(area),
            )
        )
    ).all()
    received = {cid: (at, category.value) for cid, at, category in submitted}
    first_accept: dict[int, datetime] = {}
    first_decision: dict[int, datetime] = {}
    first_resolve: dict[int, datetime] = {}
    ratings: list[int] = []
    if received:
        events = (
            await session.execute(
                select(
                    ComplaintEvent.complaint_id,
                    ComplaintEvent.at,
                    ComplaintEvent.action,
                    ComplaintEvent.from_status,
                    ComplaintEvent.to_status,
                    ComplaintEvent.rating,
                )
                .where(ComplaintEvent.complaint_id.in_(list(received)))
                .order_by(ComplaintEvent.at, ComplaintEvent.id)
            )
        ).all()
        for event in events:
            cid = event.complaint_id
            if event.from_status == "submitted" and event.to_status in FIRST_DECISIONS:
                first_decision.setdefault(cid, event.at)
            if event.from_status == "submitted" and event.to_status in ("accepted", "in_progress"):
                first_accept.setdefault(cid, event.at)
            if event.to_status == "resolved":
                first_resolve.setdefault(cid, event.at)
            if event.action == "rated" and event.rating is not None:
                ratings.append(event.rating)
    accept_hours = [_hours(received[c][0], at) for c, at in first_accept.items()]
    resolve_hours = [_hours(received[c][0], at) for c, at in first_resolve.items()]
    on_time = late = 0
    for cid, (at, category) in received.items():
        due = at + cfg.accept_target(category)
        decided = first_decision.get(cid)
        if decided is not None:
            on_time, late = (on_time + 1, late) if decided <= due else (on_time, late + 1)
        elif now > due:
            late += 1

    async def wish_count(to_status: str) -> int:
        rows = await session.execute(
            select(WishEvent.id)
            .join(Wish, Wish.id == WishEvent.wish_id)
            .where(
                WishEvent.to_status == to_status,
                WishEvent.action == ("posted" if to_status == "open" else to_status),
                WishEvent.at >= start,
                WishEvent.at < end,
                Wish.building_id.in_(area),
            )
        )
        return len(rows.all())

    return CaseworkStats(
        received=len(received),
        accepted_in_time_pct=_pct(on_time, on_time + late),
        median_accept_hours=statistics.median(accept_hours) if accept_hours else None,
        median_resolve_hours=statistics.median(resolve_hours) if resolve_hours else None,
        resolved_pct=_pct(len(first_resolve), len(received)),
        average_rating=statistics.fmean(ratings) if ratings else None,
        ratings=len(ratings),
        wishes_posted=await wish_count("open"),
        wishes_fulfilled=await wish_count("fulfilled"),
    )
