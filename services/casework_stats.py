"""`/stats` for chiefs: complaints and wishes of their area in a period, from the history
rows (`complaint_events`, `wish_events`), never from mutable columns."""

from __future__ import annotations

import re
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

_MONTH = re.compile(r"([0-9]{1,4})\s*[-/]\s*([0-9]{1,2})")


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
        match = _MONTH.fullmatch(arg.strip())
        if match is None:
            raise ValidationFailed("casework-stats-usage")
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12 or not 2000 <= year <= 2100:
            raise ValidationFailed("casework-stats-usage")
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
) -> CaseworkStats:
    """Complaints received in [start, end) in the actor's area: how many were accepted
    within their category's target, median hours to accept and to resolve, the share
    resolved, the average rating; and wishes posted and fulfilled in the period.
    `area` (a SELECT of building ids) narrows it to a part of the actor's area (the web
    cockpit's grid and building pages); it never reaches beyond the actor's area."""
    require_role(actor, Role.BUILDING_CHIEF)
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
            if event.from_status == "submitted" and event.to_status in ("accepted", "in_progress"):
                first_accept.setdefault(cid, event.at)
            if event.to_status == "resolved":
                first_resolve.setdefault(cid, event.at)
            if event.action == "rated" and event.rating is not None:
                ratings.append(event.rating)
    accept_hours = [_hours(received[c][0], at) for c, at in first_accept.items()]
    resolve_hours = [_hours(received[c][0], at) for c, at in first_resolve.items()]
    in_time = sum(
        1
        for c, at in first_accept.items()
        if at - received[c][0] <= cfg.accept_target(received[c][1])
    )

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
        accepted_in_time_pct=_pct(in_time, len(received)),
        median_accept_hours=statistics.median(accept_hours) if accept_hours else None,
        median_resolve_hours=statistics.median(resolve_hours) if resolve_hours else None,
        resolved_pct=_pct(len(first_resolve), len(received)),
        average_rating=statistics.fmean(ratings) if ratings else None,
        ratings=len(ratings),
        wishes_posted=await wish_count("open"),
        wishes_fulfilled=await wish_count("fulfilled"),
    )
