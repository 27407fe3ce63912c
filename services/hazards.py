"""Mobile grid members (移动网格员) and snap-and-report (随手拍).

A grid chief (for their grid) or an admin (for a grid or the whole community) invites delivery
riders, couriers, property or sanitation staff with a single-use link; once accepted they may
report hazards in that area, and nothing else. A report is a photo, the place (a building
picked with buttons, or the nearest building with coordinates to a location sent), an
optional line or voice note, and whether their name is hidden from the chiefs (树洞): it is
filed as a request of category "safety" through the complaints service, so it reaches the
building and grid chiefs of the place and follows the closed loop. Once a chief accepts it
(it was real), the reporter earns points, at most PARTNERS_HAZARD_MONTHLY_MAX a month.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from linli.models import Building, Grid, Resident, Role
from linli.models.complaints import Complaint, ComplaintStatus
from linli.models.db import write_transaction
from linli.models.partners import (
    HazardReport,
    HazardState,
    InviteKind,
    MobileKind,
    MobileMember,
    MobileState,
)
from linli.models.points import LedgerEntry, LedgerKind
from linli.services import audit, complaints, ledger, partners, structure
from linli.services.authz import require_role
from linli.services.errors import PermissionDenied, StaleAction, ValidationFailed
from linli.services.partner_invites import Invitation, new_invite
from linli.services.rewards import community_of

CONFIRMED = (
    ComplaintStatus.ACCEPTED,
    ComplaintStatus.IN_PROGRESS,
    ComplaintStatus.RESOLVED,
    ComplaintStatus.CLOSED,
)
"""A chief took the report on: it was real."""
NOT_CONFIRMED = (ComplaintStatus.REJECTED, ComplaintStatus.MERGED)
EARTH_RADIUS_M = 6_371_000
REFERENCE_PREFIX = "hazard:"
"""Idempotency keys of hazard points in the ledger: `hazard:<report id>`."""


# --- mobile grid members -------------------------------------------------------------------------


async def _grids_for(
    session: AsyncSession, actor: Resident | None
) -> tuple[Resident, int, list[Grid]]:
    chief = require_role(actor, Role.GRID_CHIEF)
    community_id = await community_of(session, chief)
    if chief.role == Role.ADMIN:
        return chief, community_id, await structure.list_grids(session, community_id)
    return chief, community_id, [await structure.get_grid(session, chief.chief_grid_id or 0)]


async def grid_choices(session: AsyncSession, actor: Resident | None) -> list[tuple[int, str]]:
    """Where a chief may register mobile grid members: their grid; admins any grid or the
    whole community (0)."""
    chief, _community, grids = await _grids_for(session, actor)
    out = [(g.id, g.name) for g in grids]
    return ([(0, "")] if chief.role == Role.ADMIN else []) + out


async def invite_mobile(
    session: AsyncSession,
    actor: Resident | None,
    kind: str,
    grid_id: int,
    now: datetime,
    days: int,
) -> Invitation:
    """A single-use invitation for one mobile grid member of `grid_id` (0: the community)."""
    try:
        mobile_kind = MobileKind(kind)
    except ValueError:
        raise ValidationFailed() from None
    chief, community_id, _grids = await _grids_for(session, actor)
    if grid_id not in {g for g, _name in await grid_choices(session, chief)}:
        raise PermissionDenied("error-outside-area")
    async with write_transaction(session):
        invitation = await new_invite(
            session,
            chief,
            InviteKind.MOBILE,
            community_id,
            now,
            days,
            grid_id=grid_id or None,
            mobile_kind=mobile_kind,
        )
        await audit.record(session, chief, "partner.mobile_invite", "grid", grid_id or None)
    return invitation


@dataclass(frozen=True)
class MobileRow:
    mobile: MobileMember
    resident: Resident
    grid: str


async def mobile_members(session: AsyncSession, actor: Resident | None) -> list[MobileRow]:
    """The active mobile grid members a chief manages: of their grid (admins: all)."""
    chief, community_id, grids = await _grids_for(session, actor)
    names = {g.id: g.name for g in grids}
    stmt = (
        select(MobileMember, Resident)
        .join(Resident, Resident.id == MobileMember.resident_id)
        .where(MobileMember.community_id == community_id, MobileMember.state == MobileState.ACTIVE)
        .order_by(MobileMember.id)
    )
    if chief.role != Role.ADMIN:
        stmt = stmt.where(MobileMember.grid_id == chief.chief_grid_id)
    rows = (await session.execute(stmt)).all()
    return [MobileRow(m, r, names.get(m.grid_id or 0, "")) for m, r in rows]


async def remove_mobile(
    session: AsyncSession, actor: Resident | None, mobile_id: int, now: datetime
) -> Resident:
    """A chief ends someone's registration as a mobile grid member of their area."""
    async with write_transaction(session):
        managed = {row.mobile.id: row for row in await mobile_members(session, actor)}
        row = managed.get(mobile_id)
        if row is None:
            raise StaleAction("partner-error-handled")
        row.mobile.state = MobileState.REMOVED
        row.mobile.removed_at = now
        person = await session.get(Resident, row.resident.id, populate_existing=True)
        assert person is not None
        await partners.release_standing(session, person)
        await audit.record(session, actor, "partner.mobile_remove", "resident", person.id)
    return person


# --- where a report is ---------------------------------------------------------------------------


async def require_mobile(session: AsyncSession, resident: Resident | None) -> MobileMember:
    """The registration of an active mobile grid member; else PermissionDenied."""
    if resident is None:
        raise PermissionDenied("snap-error-not-mobile")
    mine = await partners.standing(session, resident)
    if not mine.is_mobile or mine.mobile is None:
        raise PermissionDenied("snap-error-not-mobile")
    return mine.mobile


async def places(session: AsyncSession, resident: Resident | None) -> list[tuple[Building, Grid]]:
    """The buildings a mobile grid member may report in: of their grid, or the community."""
    mobile = await require_mobile(session, resident)
    stmt = select(Building, Grid).join(Grid, Grid.id == Building.grid_id)
    if mobile.grid_id is not None:
        stmt = stmt.where(Grid.id == mobile.grid_id)
    else:
        stmt = stmt.where(Grid.community_id == mobile.community_id)
    rows = await session.execute(stmt.order_by(Grid.id, Building.id))
    return [(b, g) for b, g in rows.all()]


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


async def nearest(
    session: AsyncSession, resident: Resident | None, lat: float, lon: float, max_m: float
) -> tuple[Building, Grid, float] | None:
    """The building with coordinates nearest to a location, within `max_m` metres, among
    those the reporter may report in."""
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    best: tuple[Building, Grid, float] | None = None
    for building, grid in await places(session, resident):
        if building.lat is None or building.lon is None:
            continue
        meters = distance_m(lat, lon, building.lat, building.lon)
        if meters <= max_m and (best is None or meters < best[2]):
            best = (building, grid, meters)
    return best


# --- filing ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HazardDraft:
    building_id: int
    text: str
    photo_file_ids: list[str]
    voice_file_id: str | None
    lat: float | None
    lon: float | None
    anonymous: bool


async def report(
    session: AsyncSession, resident: Resident | None, draft: HazardDraft, now: datetime
) -> complaints.Change:
    """File a hazard report: a request of category "safety" in the building, to its chiefs."""
    if draft.building_id not in {b.id for b, _g in await places(session, resident)}:
        raise PermissionDenied("error-outside-area")
    assert resident is not None
    if not draft.photo_file_ids:
        raise ValidationFailed("snap-error-photo")
    text = draft.text.strip() or "随手拍"
    async with write_transaction(session):
        change = await complaints.create(
            session,
            resident,
            category="safety",
            text=text,
            voice_file_id=draft.voice_file_id,
            photo_file_ids=draft.photo_file_ids,
            latitude=draft.lat,
            longitude=draft.lon,
            location_text=None,
            anonymous=draft.anonymous,
            now=now,
            place_building_id=draft.building_id,
        )
        session.add(
            HazardReport(
                complaint_id=change.complaint.id,
                reporter_id=resident.id,
                state=HazardState.PENDING,
                points=0,
                created_at=now,
            )
        )
    return change


async def my_reports(
    session: AsyncSession, resident: Resident | None
) -> list[tuple[HazardReport, Complaint]]:
    await require_mobile(session, resident)
    assert resident is not None
    rows = await session.execute(
        select(HazardReport, Complaint)
        .join(Complaint, Complaint.id == HazardReport.complaint_id)
        .where(HazardReport.reporter_id == resident.id)
        .order_by(HazardReport.id.desc())
        .limit(10)
    )
    return [(h, c) for h, c in rows.all()]


# --- points for confirmed reports ----------------------------------------------------------------


@dataclass(frozen=True)
class Settled:
    report: HazardReport
    reporter: Resident
    code: str


async def settle(
    session: AsyncSession, now: datetime, *, points: int, monthly_max: int, tz: ZoneInfo
) -> list[Settled]:
    """Reports a chief took on earn their reporter `points`, within `monthly_max` a calendar
    month; reports turned down earn nothing. Each report is claimed with a conditional UPDATE
    and credited with a keyed ledger entry in one transaction, so a run twice credits once."""
    rows = await session.execute(
        select(HazardReport.id, Complaint.status)
        .join(Complaint, Complaint.id == HazardReport.complaint_id)
        .where(
            HazardReport.state == HazardState.PENDING,
            Complaint.status.in_(CONFIRMED + NOT_CONFIRMED),
        )
        .order_by(HazardReport.id)
    )
    settled: list[Settled] = []
    start = ledger.month_start(now, tz)
    for report_id, status in rows.all():
        async with write_transaction(session):
            found = await session.get(HazardReport, report_id, populate_existing=True)
            if found is None or found.state != HazardState.PENDING:
                continue
            reporter = await session.get(Resident, found.reporter_id)
            assert reporter is not None
            if status in NOT_CONFIRMED:
                state, amount = HazardState.UNCONFIRMED, 0
            else:
                earned = await session.scalar(
                    select(func.coalesce(func.sum(LedgerEntry.delta), 0)).where(
                        LedgerEntry.resident_id == reporter.id,
                        LedgerEntry.idempotency_key.like(f"{REFERENCE_PREFIX}%"),
                        LedgerEntry.created_at >= start,
                    )
                )
                amount = max(0, min(points, monthly_max - int(earned or 0)))
                state = HazardState.CREDITED if amount > 0 else HazardState.CAPPED
            claimed = await session.execute(
                update(HazardReport)
                .where(HazardReport.id == report_id, HazardReport.state == HazardState.PENDING)
                .values(state=state, points=amount, settled_at=now)
                .execution_options(synchronize_session=False)
            )
            if claimed.rowcount != 1:  # type: ignore[attr-defined]
                continue
            if amount > 0:
                await ledger.post(
                    session,
                    resident_id=reporter.id,
                    delta=amount,
                    kind=LedgerKind.AWARD,
                    idempotency_key=f"{REFERENCE_PREFIX}{report_id}",
                    reference=f"C{found.complaint_id}",
                    reason="hazard report confirmed",
                )
        await session.refresh(found)
        settled.append(Settled(found, reporter, f"C{found.complaint_id}"))
    return settled
