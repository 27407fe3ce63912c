"""The points ledger: the one place that credits or debits volunteer points.

Every change is an append-only `LedgerEntry` with a unique idempotency key, and the cached
`PointsBalance` row of the resident moves in the same transaction. A debit is a conditional
`UPDATE points_balances SET balance = balance + delta WHERE balance + delta >= 0`: on
PostgreSQL the UPDATE locks the row and re-checks the condition after a concurrent writer
commits, on SQLite writers are serialised by BEGIN IMMEDIATE, so no interleaving can take a
balance below zero (a CHECK constraint backs this up).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from linli.config.points import PointsSettings
from linli.models import Building, Grid, Resident, Role
from linli.models.db import write_transaction
from linli.models.points import LedgerEntry, LedgerKind, PointsBalance
from linli.services import audit
from linli.services import residents as resident_service
from linli.services.authz import manages_building, require_role, require_verified
from linli.services.errors import PermissionDenied, StaleAction, ValidationFailed
from linli.services.people import shown_name


class NotEnoughPoints(ValidationFailed):
    key = "points-error-not-enough"


async def post(
    session: AsyncSession,
    *,
    resident_id: int,
    delta: int,
    kind: LedgerKind,
    idempotency_key: str,
    reference: str | None = None,
    reason: str = "",
    actor_id: int | None = None,
) -> LedgerEntry | None:
    """Add an entry inside the caller's write transaction and move the cached balance.

    Returns None (and adds nothing) when an entry with the same `idempotency_key` exists.
    Uses a SAVEPOINT so a concurrent duplicate does not spoil the caller's transaction.
    Raises NotEnoughPoints when a debit would take the balance below zero (the caller's
    transaction must then be rolled back: the error propagates out of write_transaction).
    """
    existing = await session.scalar(
        select(LedgerEntry.id).where(LedgerEntry.idempotency_key == idempotency_key)
    )
    if existing is not None:
        return None
    entry = LedgerEntry(
        resident_id=resident_id,
        delta=delta,
        kind=kind,
        reference=reference,
        reason=reason[:500],
        actor_id=actor_id,
        idempotency_key=idempotency_key,
    )
    try:
        async with session.begin_nested():
            session.add(entry)
    except IntegrityError:
        return None
    await _move_balance(session, resident_id, delta)
    return entry


async def _move_balance(session: AsyncSession, resident_id: int, delta: int) -> None:
    if delta < 0:
        result = await session.execute(
            update(PointsBalance)
            .where(
                PointsBalance.resident_id == resident_id,
                PointsBalance.balance + delta >= 0,
            )
            .values(balance=PointsBalance.balance + delta)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            have = await cached_balance(session, resident_id)
            raise NotEnoughPoints(need=str(-delta), have=str(have))
        return
    if delta == 0:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(PointsBalance).values(resident_id=resident_id, balance=delta)
    stmt = stmt.on_conflict_do_update(
        index_elements=[PointsBalance.resident_id],
        set_={"balance": PointsBalance.balance + stmt.excluded.balance},
    )
    await session.execute(stmt)


async def balance(session: AsyncSession, resident_id: int) -> int:
    """The balance as the sum of the ledger (the source of truth)."""
    total = await session.scalar(
        select(func.coalesce(func.sum(LedgerEntry.delta), 0)).where(
            LedgerEntry.resident_id == resident_id
        )
    )
    return int(total or 0)


async def cached_balance(session: AsyncSession, resident_id: int) -> int:
    """The balance kept in `points_balances` (equal to `balance`; cheaper to read)."""
    value = await session.scalar(
        select(PointsBalance.balance).where(PointsBalance.resident_id == resident_id)
    )
    return int(value or 0)


async def credit_wish_fulfilment(
    session: AsyncSession, *, wish_id: int, claimer_id: int, author_id: int, points: int
) -> LedgerEntry | None:
    """Credit the claimer of a fulfilled micro-wish, once per wish. Called inside the
    fulfilment's write transaction by the wishes service (and only there)."""
    if points <= 0:
        return None
    return await post(
        session,
        resident_id=claimer_id,
        delta=points,
        kind=LedgerKind.WISH,
        idempotency_key=f"wish:{wish_id}",
        reference=f"W{wish_id}",
        reason="micro-wish fulfilled",
        actor_id=author_id,
    )


# --- periods ------------------------------------------------------------------------------


def month_start(moment: datetime, tz: ZoneInfo) -> datetime:
    """Start of the calendar month (community time) containing `moment`, as an aware time."""
    local = moment.astimezone(tz)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def next_month(start: datetime) -> datetime:
    return (start + timedelta(days=32)).replace(day=1)


def previous_month(moment: datetime, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """[start, end) of the month before the one containing `moment`."""
    end = month_start(moment, tz)
    start = month_start(end - timedelta(days=1), tz)
    return start, end


def parse_period(text: str, now: datetime, tz: ZoneInfo) -> tuple[datetime, datetime, str]:
    """`2026-11` (a month), `2026` (a year), `month`/`this` (this month), `last` (last month),
    `all` (everything). Returns [start, end) and a label for file names."""
    value = text.strip().lower()
    if value in ("", "month", "this"):
        start = month_start(now, tz)
        return start, next_month(start), start.strftime("%Y-%m")
    if value == "last":
        start, end = previous_month(now, tz)
        return start, end, start.strftime("%Y-%m")
    if value == "all":
        return datetime(2000, 1, 1, tzinfo=tz), datetime(9999, 1, 1, tzinfo=tz), "all"
    match = _PERIOD.fullmatch(value)
    if match is None:
        raise ValidationFailed("points-error-period", period=text)
    try:
        if match["month"] is None:
            start = datetime(int(match["year"]), 1, 1, tzinfo=tz)
            return start, start.replace(year=start.year + 1), value
        start = datetime(int(match["year"]), int(match["month"]), 1, tzinfo=tz)
    except ValueError:
        raise ValidationFailed("points-error-period", period=text) from None
    return start, next_month(start), start.strftime("%Y-%m")


_PERIOD = re.compile(r"(?P<year>[0-9]{4})(?:-(?P<month>[0-9]{1,2}))?")


# --- reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    balance: int
    month_earned: int


async def earned_between(
    session: AsyncSession, resident_id: int, start: datetime, end: datetime
) -> int:
    total = await session.scalar(
        select(func.coalesce(func.sum(LedgerEntry.delta), 0)).where(
            LedgerEntry.resident_id == resident_id,
            LedgerEntry.delta > 0,
            LedgerEntry.kind.in_([LedgerKind.ACTIVITY, LedgerKind.WISH, LedgerKind.AWARD]),
            LedgerEntry.created_at >= start,
            LedgerEntry.created_at < end,
        )
    )
    return int(total or 0)


async def summary(
    session: AsyncSession, resident: Resident, now: datetime, tz: ZoneInfo
) -> Summary:
    require_verified(resident)
    start = month_start(now, tz)
    return Summary(
        balance=await cached_balance(session, resident.id),
        month_earned=await earned_between(session, resident.id, start, next_month(start)),
    )


async def history(
    session: AsyncSession, resident_id: int, *, limit: int, offset: int = 0
) -> tuple[list[LedgerEntry], int]:
    """Newest first, and the total count."""
    rows = await session.scalars(
        select(LedgerEntry)
        .where(LedgerEntry.resident_id == resident_id)
        .order_by(LedgerEntry.created_at.desc(), LedgerEntry.id.desc())
        .limit(limit)
        .offset(offset)
    )
    total = await session.scalar(
        select(func.count()).select_from(LedgerEntry).where(LedgerEntry.resident_id == resident_id)
    )
    return list(rows.all()), int(total or 0)


async def history_page(
    session: AsyncSession, resident: Resident | None, page: int, *, size: int
) -> tuple[list[LedgerEntry], int]:
    """Page `page` (from 0) of the resident's whole ledger and the number of pages; a page
    that does not exist is a stale button."""
    if resident is None or not resident.is_verified or page < 0:
        raise StaleAction()
    entries, total = await history(session, resident.id, limit=size, offset=page * size)
    pages = max(1, -(-total // size))
    if page >= pages:
        raise StaleAction()
    return entries, pages


# --- awards and corrections ----------------------------------------------------------------


_AMOUNT = re.compile(r"[+-]?[0-9]{1,9}")


def parse_amount(text: str, *, allow_negative: bool = False) -> int:
    """A whole number of points in ASCII digits (`10`, `+10`, and `-10` where allowed);
    anything else is a clear ValidationFailed."""
    value = text.strip()
    if not _AMOUNT.fullmatch(value):
        raise ValidationFailed("points-error-amount", amount=text)
    amount = int(value)
    if amount == 0 or (amount < 0 and not allow_negative) or abs(amount) > 1_000_000:
        raise ValidationFailed("points-error-amount", amount=text)
    return amount


def parse_whole(text: str | None, low: int, high: int) -> int | None:
    """A whole number in ASCII digits within [low, high], or None."""
    value = (text or "").strip()
    if not _AMOUNT.fullmatch(value) or value[0] in "+-":
        return None
    number = int(value)
    return number if low <= number <= high else None


async def _target_in_area(session: AsyncSession, actor: Resident, target_ref: str) -> Resident:
    target = await resident_service.find(session, target_ref)
    if not target.is_verified or target.building_id is None:
        raise ValidationFailed("points-error-not-resident", ref=target_ref)
    building = await session.get(Building, target.building_id)
    grid = await session.get(Grid, building.grid_id) if building is not None else None
    if building is None or grid is None or not manages_building(actor, building, grid):
        raise PermissionDenied("error-outside-area")
    return target


async def award(
    session: AsyncSession,
    actor: Resident,
    *,
    target_ref: str,
    amount_text: str,
    reason: str,
    idempotency_key: str,
    settings: PointsSettings,
    now: datetime,
    tz: ZoneInfo,
) -> tuple[Resident, int, bool]:
    """A chief awards points to a resident of their area. Returns (resident, points,
    created); `created` is False when this very award was already recorded (a retry)."""
    require_role(actor, Role.GRID_CHIEF)
    points = parse_amount(amount_text)
    if points > settings.award_max:
        raise ValidationFailed("points-error-award-max", max=str(settings.award_max))
    reason = reason.strip()
    if not reason:
        raise ValidationFailed("points-error-reason")
    target = await _target_in_area(session, actor, target_ref)
    start = month_start(now, tz)
    async with write_transaction(session):
        # Lock the chief's row so two awards by the same chief cannot both pass the monthly
        # bound on PostgreSQL (SQLite writers are serialised anyway).
        await session.execute(select(Resident.id).where(Resident.id == actor.id).with_for_update())
        given = await session.scalar(
            select(func.coalesce(func.sum(LedgerEntry.delta), 0)).where(
                LedgerEntry.kind == LedgerKind.AWARD,
                LedgerEntry.actor_id == actor.id,
                LedgerEntry.created_at >= start,
            )
        )
        left = settings.award_monthly_max - int(given or 0)
        entry = await session.scalar(
            select(LedgerEntry.id).where(LedgerEntry.idempotency_key == idempotency_key)
        )
        if entry is not None:
            return target, points, False
        if points > left:
            raise ValidationFailed(
                "points-error-award-month",
                max=str(settings.award_monthly_max),
                left=str(max(left, 0)),
            )
        created = await post(
            session,
            resident_id=target.id,
            delta=points,
            kind=LedgerKind.AWARD,
            idempotency_key=idempotency_key,
            reason=reason,
            actor_id=actor.id,
        )
        if created is not None:
            await audit.record(
                session, actor, "points.award", "resident", target.id, points=points, reason=reason
            )
    return target, points, created is not None


async def correct(
    session: AsyncSession,
    actor: Resident,
    *,
    target_ref: str,
    amount_text: str,
    reason: str,
    idempotency_key: str,
) -> tuple[Resident, int, bool]:
    """An admin's correction: a new (usually reversing) entry with a reason."""
    require_role(actor, Role.ADMIN)
    delta = parse_amount(amount_text, allow_negative=True)
    reason = reason.strip()
    if not reason:
        raise ValidationFailed("points-error-reason")
    target = await _target_in_area(session, actor, target_ref)
    async with write_transaction(session):
        created = await post(
            session,
            resident_id=target.id,
            delta=delta,
            kind=LedgerKind.CORRECTION,
            idempotency_key=idempotency_key,
            reason=reason,
            actor_id=actor.id,
        )
        if created is not None:
            await audit.record(
                session, actor, "points.correct", "resident", target.id, delta=delta, reason=reason
            )
    return target, delta, created is not None


# --- export ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportRow:
    entry: LedgerEntry
    telegram_id: int | None
    name: str
    grid: str
    building: str


async def export_rows(
    session: AsyncSession, actor: Resident, start: datetime, end: datetime
) -> list[ExportRow]:
    """Every ledger entry of the period in the actor's area (grid chiefs: their grid;
    admins: their community), oldest first."""
    require_role(actor, Role.GRID_CHIEF)
    stmt = (
        select(LedgerEntry, Resident, Building, Grid)
        .join(Resident, LedgerEntry.resident_id == Resident.id)
        .outerjoin(Building, Resident.building_id == Building.id)
        .outerjoin(Grid, Building.grid_id == Grid.id)
        .where(LedgerEntry.created_at >= start, LedgerEntry.created_at < end)
        .order_by(LedgerEntry.created_at, LedgerEntry.id)
    )
    if actor.role == Role.GRID_CHIEF:
        stmt = stmt.where(Building.grid_id == actor.chief_grid_id)
    elif actor.community_id is not None:
        stmt = stmt.where(Resident.community_id == actor.community_id)
    rows = (await session.execute(stmt)).all()
    await audit_export(session, actor, start, end, len(rows))
    return [
        ExportRow(
            entry=entry,
            telegram_id=None if resident.is_deleted else resident.telegram_id,
            name=shown_name(None, resident, empty=""),
            grid=grid.name if grid is not None else "",
            building=building.name if building is not None else "",
        )
        for entry, resident, building, grid in rows
    ]


CSV_HEADER = (
    "entry_id",
    "time",
    "telegram_id",
    "name",
    "grid",
    "building",
    "delta",
    "kind",
    "reference",
    "reason",
    "actor_id",
)


def inert(text: str) -> str:
    """A text cell a spreadsheet will not run: a leading `=`, `+`, `-`, `@`, tab or
    carriage return gets a `'` in front."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_csv(rows: list[ExportRow], tz: ZoneInfo) -> bytes:
    """The ledger entries as CSV, UTF-8 with a BOM so that Excel opens Chinese text
    correctly; text cells are inert (`inert`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for row in rows:
        entry = row.entry
        writer.writerow(
            (
                entry.id,
                entry.created_at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S"),
                row.telegram_id or "",
                inert(row.name or ""),
                inert(row.grid),
                inert(row.building),
                entry.delta,
                entry.kind.value,
                inert(entry.reference or ""),
                inert(entry.reason),
                entry.actor_id or "",
            )
        )
    return buffer.getvalue().encode("utf-8-sig")


async def audit_export(
    session: AsyncSession, actor: Resident, start: datetime, end: datetime, count: int
) -> None:
    async with write_transaction(session):
        await audit.record(
            session,
            actor,
            "points.export",
            start=start.isoformat(),
            end=end.isoformat(),
            rows=count,
        )
