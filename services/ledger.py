"""The points ledger: the one place that credits or debits volunteer points.

Every change is an append-only `LedgerEntry` with a unique idempotency key, and the cached
`PointsBalance` row of the resident moves in the same transaction. A debit is a conditional
`UPDATE points_balances SET balance = balance + delta WHERE balance + delta >= 0`: on
PostgreSQL the UPDATE locks the row and re-checks the condition after a concurrent writer
commits, on SQLite writers are serialised by BEGIN IMMEDIATE, so no interleaving can take a
balance below zero (a CHECK constraint backs this up).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from linli.config import Settings
from linli.config.points import PointsSettings
from linli.models import Building, Grid, Resident, ResidentStatus, Role
from linli.models.db import write_transaction
from linli.models.points import (
    CapOverride,
    LedgerEntry,
    LedgerKind,
    PointsBalance,
    WithheldCredit,
    WithheldWhy,
)
from linli.services import audit, csv_export
from linli.services import residents as resident_service
from linli.services.authz import (
    buildings_in_area,
    manages_building,
    require_role,
    require_verified,
)
from linli.services.errors import InvalidState, PermissionDenied, StaleAction, ValidationFailed
from linli.services.parsing import parse_int
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


# --- credits from wishes and activities, within the monthly caps ------------------------------


@dataclass(frozen=True)
class Caps:
    """The monthly limits on points earned from micro-wishes and activities: per resident
    (`monthly`) and wish credits between the same two residents (`pair`), counted in
    calendar months of the community's time zone."""

    monthly: int
    pair: int
    tz: tzinfo

    @classmethod
    def of(cls, settings: Settings) -> Caps:
        return cls(settings.points.monthly_cap, settings.points.pair_monthly_max, settings.tz)

    @classmethod
    def from_environment(cls) -> Caps:
        """The caps configured in the environment (POINTS_MONTHLY_CAP, …, TIMEZONE), for a
        caller that was not given the app's settings."""
        return cls.of(Settings())


@dataclass(frozen=True)
class Credit:
    """What a capped credit did: `credited` of the `wanted` points; the rest was withheld
    (`why`: which cap), recorded as a `WithheldCredit` to tell the resident about."""

    wanted: int
    credited: int
    why: WithheldWhy | None = None
    created: bool = True

    @property
    def withheld(self) -> int:
        return self.wanted - self.credited


EARNED_KINDS = (LedgerKind.ACTIVITY, LedgerKind.WISH)
"""The kinds the monthly cap counts (awards have their own bound per chief)."""


def period_of(moment: datetime, tz: tzinfo) -> str:
    """`2026-12`: the calendar month of `moment` in the community's time zone."""
    return moment.astimezone(tz).strftime("%Y-%m")


async def _earned_in(session: AsyncSession, resident_id: int, start: datetime) -> int:
    total = await session.scalar(
        select(func.coalesce(func.sum(LedgerEntry.delta), 0)).where(
            LedgerEntry.resident_id == resident_id,
            LedgerEntry.delta > 0,
            LedgerEntry.kind.in_(EARNED_KINDS),
            LedgerEntry.created_at >= start,
        )
    )
    return int(total or 0)


async def _pair_credits(
    session: AsyncSession, resident_id: int, counterpart_id: int, start: datetime
) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(LedgerEntry)
        .where(
            LedgerEntry.resident_id == resident_id,
            LedgerEntry.actor_id == counterpart_id,
            LedgerEntry.kind == LedgerKind.WISH,
            LedgerEntry.delta > 0,
            LedgerEntry.created_at >= start,
        )
    )
    return int(count or 0)


async def capped_credit(
    session: AsyncSession,
    *,
    resident_id: int,
    points: int,
    kind: LedgerKind,
    idempotency_key: str,
    reference: str,
    reason: str,
    actor_id: int | None,
    caps: Caps,
    now: datetime,
    counterpart_id: int | None = None,
) -> Credit:
    """Credit earned points inside the caller's write transaction, within the caps: the
    resident's monthly cap and, for a wish (`counterpart_id`: its author), the credits
    between the same two residents. What goes beyond is withheld and recorded; an admin's
    override for the resident and month lifts both caps. Once per `idempotency_key`."""
    if points <= 0:
        return Credit(wanted=0, credited=0)
    if await session.scalar(
        select(LedgerEntry.id).where(LedgerEntry.idempotency_key == idempotency_key)
    ) is not None or await session.scalar(
        select(WithheldCredit.id).where(
            WithheldCredit.resident_id == resident_id,
            WithheldCredit.kind == kind,
            WithheldCredit.reference == reference,
        )
    ):
        return Credit(wanted=points, credited=0, created=False)
    # Serialise the credits of one resident (PostgreSQL; SQLite writers queue anyway), so
    # two at once cannot both fit under the cap.
    await session.execute(select(Resident.id).where(Resident.id == resident_id).with_for_update())
    period = period_of(now, caps.tz)
    start = month_start(now, caps.tz)
    credited, why = points, None
    lifted = await session.scalar(
        select(CapOverride.id).where(
            CapOverride.resident_id == resident_id, CapOverride.period == period
        )
    )
    if lifted is None:
        if counterpart_id is not None and (
            await _pair_credits(session, resident_id, counterpart_id, start) >= caps.pair
        ):
            credited, why = 0, WithheldWhy.PAIR
        room = max(0, caps.monthly - await _earned_in(session, resident_id, start))
        if credited > room:
            credited, why = room, why or WithheldWhy.MONTH
    if credited > 0:
        await post(
            session,
            resident_id=resident_id,
            delta=credited,
            kind=kind,
            idempotency_key=idempotency_key,
            reference=reference,
            reason=reason,
            actor_id=actor_id,
        )
    if why is not None:
        session.add(
            WithheldCredit(
                resident_id=resident_id,
                counterpart_id=counterpart_id,
                kind=kind,
                reference=reference,
                why=why,
                wanted=points,
                credited=credited,
                cap=caps.pair if why == WithheldWhy.PAIR else caps.monthly,
                period=period,
                created_at=now,
            )
        )
        await session.flush()
    return Credit(wanted=points, credited=credited, why=why)


async def credit_wish_fulfilment(
    session: AsyncSession,
    *,
    wish_id: int,
    claimer_id: int,
    author_id: int,
    points: int,
    caps: Caps | None = None,
    now: datetime | None = None,
) -> Credit:
    """Credit the claimer of a fulfilled micro-wish, once per wish, within the caps (the
    claimer's month, and credits from the same author). Called inside the fulfilment's
    write transaction by the wishes service (and only there). Nobody is credited for their
    own wish. Without `caps`, the environment's POINTS_* settings apply."""
    if points <= 0 or claimer_id == author_id:
        return Credit(wanted=0, credited=0)
    return await capped_credit(
        session,
        resident_id=claimer_id,
        points=points,
        kind=LedgerKind.WISH,
        idempotency_key=f"wish:{wish_id}",
        reference=f"W{wish_id}",
        reason="micro-wish fulfilled",
        actor_id=author_id,
        caps=caps or Caps.from_environment(),
        now=now or datetime.now(UTC),
        counterpart_id=author_id,
    )


@dataclass(frozen=True)
class Withheld:
    """A withheld credit to tell about: the resident, and for a wish its author."""

    row: WithheldCredit
    resident: Resident
    counterpart: Resident | None


async def claim_withheld_to_tell(session: AsyncSession, now: datetime) -> list[Withheld]:
    """Withheld credits nobody was told about yet, each claimed with a conditional UPDATE
    (so two runs never tell twice)."""
    rows = (
        await session.scalars(
            select(WithheldCredit)
            .where(WithheldCredit.told_at.is_(None))
            .order_by(WithheldCredit.id)
            .limit(200)
        )
    ).all()
    claimed: list[Withheld] = []
    for row in rows:
        async with write_transaction(session):
            result = await session.execute(
                update(WithheldCredit)
                .where(WithheldCredit.id == row.id, WithheldCredit.told_at.is_(None))
                .values(told_at=now)
                .execution_options(synchronize_session=False)
            )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            continue
        resident = await session.get(Resident, row.resident_id)
        counterpart = (
            await session.get(Resident, row.counterpart_id)
            if row.counterpart_id is not None
            else None
        )
        if resident is not None:
            claimed.append(Withheld(row, resident, counterpart))
    return claimed


@dataclass(frozen=True)
class Lifted:
    resident: Resident
    period: str
    released: int
    """Withheld points of the month credited now."""


async def withheld_in(session: AsyncSession, resident_id: int, period: str) -> int:
    """Points withheld from the resident in the month `period` and not released."""
    rows = (
        await session.scalars(
            select(WithheldCredit).where(
                WithheldCredit.resident_id == resident_id,
                WithheldCredit.period == period,
                WithheldCredit.released_at.is_(None),
            )
        )
    ).all()
    return sum(row.withheld for row in rows)


async def lift_cap(
    session: AsyncSession, actor: Resident, resident_id: int, *, now: datetime, tz: tzinfo
) -> Lifted:
    """An admin lifts a resident's monthly caps for this month: what was withheld this
    month is credited now, and later credits this month are not capped. Recorded in the
    audit log; once per resident and month."""
    require_role(actor, Role.ADMIN)
    target = await target_in_area(session, actor, resident_id)
    period = period_of(now, tz)
    async with write_transaction(session):
        if await session.scalar(
            select(CapOverride.id).where(
                CapOverride.resident_id == target.id, CapOverride.period == period
            )
        ):
            raise InvalidState("award-error-lifted", month=period)
        session.add(
            CapOverride(resident_id=target.id, period=period, admin_id=actor.id, created_at=now)
        )
        rows = (
            await session.scalars(
                select(WithheldCredit)
                .where(
                    WithheldCredit.resident_id == target.id,
                    WithheldCredit.period == period,
                    WithheldCredit.released_at.is_(None),
                )
                .order_by(WithheldCredit.id)
            )
        ).all()
        released = 0
        for row in rows:
            entry = await post(
                session,
                resident_id=target.id,
                delta=row.withheld,
                kind=row.kind,
                idempotency_key=f"withheld:{row.id}",
                reference=row.reference,
                reason="monthly cap lifted",
                actor_id=actor.id,
            )
            row.released_at = now
            released += entry.delta if entry is not None else 0
        await session.flush()
        await audit.record(
            session,
            actor,
            "points.cap_override",
            "resident",
            target.id,
            period=period,
            released=released,
        )
    return Lifted(target, period, released)


# --- periods ------------------------------------------------------------------------------


def month_start(moment: datetime, tz: tzinfo) -> datetime:
    """Start of the calendar month (community time) containing `moment`, as an aware time."""
    local = moment.astimezone(tz)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def next_month(start: datetime) -> datetime:
    return (start + timedelta(days=32)).replace(day=1)


def previous_month(moment: datetime, tz: tzinfo) -> tuple[datetime, datetime]:
    """[start, end) of the month before the one containing `moment`."""
    end = month_start(moment, tz)
    start = month_start(end - timedelta(days=1), tz)
    return start, end


def parse_period(text: str, now: datetime, tz: tzinfo) -> tuple[datetime, datetime, str]:
    """`2026-11` (a month), `2026` (a year), `month`/`this`/`本月` (this month),
    `last`/`上月` (last month), `all`/`全部` (everything). Returns [start, end) and a label
    for file names."""
    value = text.strip().lower()
    if value in ("", "month", "this", "本月"):
        start = month_start(now, tz)
        return start, next_month(start), start.strftime("%Y-%m")
    if value in ("last", "上月", "上个月"):
        start, end = previous_month(now, tz)
        return start, end, start.strftime("%Y-%m")
    if value in ("all", "全部"):
        return datetime(2000, 1, 1, tzinfo=tz), datetime(9999, 1, 1, tzinfo=tz), "all"
    year_text, dash, month_text = value.partition("-")
    year = parse_int(year_text, low=2000, high=9998) if len(year_text) == 4 else None
    month = parse_int(month_text, low=1, high=12) if len(month_text) <= 2 else None
    if year is None or (dash and month is None):
        raise ValidationFailed("points-error-period", period=text)
    if month is None:
        start = datetime(year, 1, 1, tzinfo=tz)
        return start, start.replace(year=year + 1), str(year)
    start = datetime(year, month, 1, tzinfo=tz)
    return start, next_month(start), start.strftime("%Y-%m")


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


async def summary(session: AsyncSession, resident: Resident, now: datetime, tz: tzinfo) -> Summary:
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
    total = await session.scalar(
        select(func.count()).select_from(LedgerEntry).where(LedgerEntry.resident_id == resident.id)
    )
    pages = max(1, -(-int(total or 0) // size))
    if page >= pages:  # before any query: a forged page may be past the databases' integers
        raise StaleAction()
    entries, _ = await history(session, resident.id, limit=size, offset=page * size)
    return entries, pages


# --- awards and corrections ----------------------------------------------------------------


def parse_amount(text: str, *, allow_negative: bool = False, limit: int = 1_000_000) -> int:
    """A whole number of points in ASCII digits (`10`, `+10`, and `-10` where allowed), not
    zero, at most `limit` either way; anything else is a clear ValidationFailed."""
    amount = parse_int(text, low=-limit, high=limit, signed=True)
    if amount is None or amount == 0 or (amount < 0 and not allow_negative):
        raise ValidationFailed(
            "points-error-signed-amount" if allow_negative else "points-error-amount",
            amount=text,
            max=limit,
        )
    return amount


async def _ambiguity(session: AsyncSession, ref: str) -> None:
    """Refuse an @username that more than one resident has (listing them with their
    Telegram ids, which are exact)."""
    ref = ref.strip()
    if not ref.startswith("@") or len(ref) < 2:
        return
    same = (
        await session.scalars(
            select(Resident)
            .where(func.lower(Resident.username) == ref[1:].lower())
            .order_by(Resident.id)
            .limit(10)
        )
    ).all()
    if len(same) > 1:
        raise ValidationFailed(
            "award-error-ambiguous",
            ref=ref,
            candidates="\n".join(f"· {r.telegram_id} {r.display_name or '-'}" for r in same),
        )


async def find_target(session: AsyncSession, actor: Resident, ref: str) -> Resident:
    """The resident a chief typed (a Telegram id, or an @username matched exactly ignoring
    case; an @username two residents share is refused with both ids), in the actor's area."""
    await _ambiguity(session, ref)
    target = await resident_service.find(session, ref)
    return await target_in_area(session, actor, target.id, ref=ref)


ROW_ID_MAX = 2**63 - 1
"""The largest id a row can have (the databases' 64-bit integers)."""


def row_id(value: int) -> int:
    """`value` when a row may have it as its id; a forged button's number beyond the
    databases' integers (SQLite cannot even bind it) is a stale button."""
    if not 0 < value <= ROW_ID_MAX:
        raise StaleAction()
    return value


async def target_in_area(
    session: AsyncSession, actor: Resident, resident_id: int, *, ref: str | None = None
) -> Resident:
    """A verified resident of a building in the actor's area, and never the actor."""
    target = await session.get(Resident, row_id(resident_id), populate_existing=True)
    if target is None:
        raise StaleAction()
    if target.id == actor.id:
        raise PermissionDenied("award-error-self")
    if not target.is_verified or target.building_id is None:
        raise ValidationFailed("points-error-not-resident", ref=ref or target.display_name)
    building = await session.get(Building, target.building_id)
    grid = await session.get(Grid, building.grid_id) if building is not None else None
    if building is None or grid is None or not manages_building(actor, building, grid):
        raise PermissionDenied("error-outside-area")
    return target


@dataclass(frozen=True)
class Candidate:
    """A resident a chief may award, with their building (for the people picker)."""

    id: int
    name: str
    building: str


async def awardable(
    session: AsyncSession, actor: Resident, word: str | None = None
) -> list[Candidate]:
    """Verified residents of the actor's area (never the actor), by building and name;
    with `word`, those whose name or building contains it (compared in Python, ignoring
    case: user text is never a LIKE pattern)."""
    require_role(actor, Role.GRID_CHIEF)
    rows = (
        await session.execute(
            select(Resident.id, Resident.display_name, Building.name)
            .join(Building, Resident.building_id == Building.id)
            .where(
                Resident.building_id.in_(buildings_in_area(actor)),
                Resident.status == ResidentStatus.VERIFIED,
                Resident.deleted_at.is_(None),
                Resident.id != actor.id,
            )
            .order_by(Building.id, Resident.display_name, Resident.id)
        )
    ).all()
    people = [Candidate(rid, name or "-", building) for rid, name, building in rows]
    needle = (word or "").strip().casefold()
    if not needle:
        return people
    return [p for p in people if needle in p.name.casefold() or needle in p.building.casefold()]


async def award(
    session: AsyncSession,
    actor: Resident,
    *,
    target_id: int,
    amount_text: str,
    reason: str,
    idempotency_key: str,
    settings: PointsSettings,
    now: datetime,
    tz: tzinfo,
) -> tuple[Resident, int, bool]:
    """A chief awards points to a resident of their area (never to themselves). Returns
    (resident, points, created); `created` is False when this very award was already
    recorded (a retry)."""
    require_role(actor, Role.GRID_CHIEF)
    typed = parse_int(amount_text, signed=True)
    if typed is not None and typed > settings.award_max:
        raise ValidationFailed("points-error-award-max", max=settings.award_max)
    points = parse_amount(amount_text, limit=settings.award_max)
    reason = check_reason(reason)
    target = await target_in_area(session, actor, target_id)
    async with write_transaction(session):
        # Lock the chief's row so two awards by the same chief cannot both pass the monthly
        # bound on PostgreSQL (SQLite writers are serialised anyway).
        await session.execute(select(Resident.id).where(Resident.id == actor.id).with_for_update())
        left = await awards_left(session, actor, settings, now=now, tz=tz)
        entry = await session.scalar(
            select(LedgerEntry.id).where(LedgerEntry.idempotency_key == idempotency_key)
        )
        if entry is not None:
            return target, points, False
        if points > left:
            raise ValidationFailed(
                "points-error-award-month", max=settings.award_monthly_max, left=left
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


async def awards_left(
    session: AsyncSession, actor: Resident, settings: PointsSettings, *, now: datetime, tz: tzinfo
) -> int:
    """Points the chief may still award this month (POINTS_AWARD_MONTHLY_MAX)."""
    given = await session.scalar(
        select(func.coalesce(func.sum(LedgerEntry.delta), 0)).where(
            LedgerEntry.kind == LedgerKind.AWARD,
            LedgerEntry.actor_id == actor.id,
            LedgerEntry.created_at >= month_start(now, tz),
        )
    )
    return max(0, settings.award_monthly_max - int(given or 0))


REASON_MAX = 200


def check_reason(reason: str) -> str:
    """The reason of an award or correction: one line, not empty, at most REASON_MAX."""
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationFailed("points-error-reason", max=REASON_MAX)
    if len(reason) > REASON_MAX:
        raise ValidationFailed("points-error-reason-long", max=REASON_MAX, length=len(reason))
    return reason


async def correct(
    session: AsyncSession,
    actor: Resident,
    *,
    target_id: int,
    amount_text: str,
    reason: str,
    idempotency_key: str,
) -> tuple[Resident, int, bool]:
    """An admin's correction: a new (usually reversing) entry with a reason."""
    require_role(actor, Role.ADMIN)
    delta = parse_amount(amount_text, allow_negative=True)
    reason = check_reason(reason)
    target = await target_in_area(session, actor, target_id)
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


# --- unusual credits (for /stats) -------------------------------------------------------------


@dataclass(frozen=True)
class UnusualPair:
    """Wish credits from one author to one claimer in the period."""

    claimer: str
    author: str
    credits: int
    points: int


@dataclass(frozen=True)
class UnusualResident:
    """A resident who earned much from wishes and activities, or whose credits a cap
    withheld."""

    name: str
    earned: int
    withheld: int


@dataclass(frozen=True)
class Unusual:
    pairs: list[UnusualPair]
    residents: list[UnusualResident]

    def __bool__(self) -> bool:
        return bool(self.pairs or self.residents)


def _name(resident: Resident | None) -> str:
    if resident is None:
        return "-"
    return resident.display_name or str(resident.telegram_id)


async def unusual_credits(
    session: AsyncSession,
    actor: Resident,
    start: datetime,
    end: datetime,
    settings: PointsSettings,
    *,
    limit: int = 5,
) -> Unusual:
    """What a chief should look at in their area for the period: pairs of residents with
    many wish credits between them (`POINTS_UNUSUAL_PAIR_CREDITS`), and residents who
    earned many points (`POINTS_UNUSUAL_RESIDENT_POINTS`) or had credits withheld."""
    require_role(actor, Role.BUILDING_CHIEF)
    area = select(Resident.id).where(Resident.building_id.in_(buildings_in_area(actor)))
    pairs = (
        await session.execute(
            select(
                LedgerEntry.resident_id,
                LedgerEntry.actor_id,
                func.count(),
                func.sum(LedgerEntry.delta),
            )
            .where(
                LedgerEntry.kind == LedgerKind.WISH,
                LedgerEntry.delta > 0,
                LedgerEntry.created_at >= start,
                LedgerEntry.created_at < end,
                LedgerEntry.resident_id.in_(area),
            )
            .group_by(LedgerEntry.resident_id, LedgerEntry.actor_id)
            .having(func.count() >= settings.unusual_pair_credits)
            .order_by(func.count().desc(), LedgerEntry.resident_id)
            .limit(limit)
        )
    ).all()
    earned = dict(
        (
            await session.execute(
                select(LedgerEntry.resident_id, func.sum(LedgerEntry.delta))
                .where(
                    LedgerEntry.kind.in_(EARNED_KINDS),
                    LedgerEntry.delta > 0,
                    LedgerEntry.created_at >= start,
                    LedgerEntry.created_at < end,
                    LedgerEntry.resident_id.in_(area),
                )
                .group_by(LedgerEntry.resident_id)
            )
        ).all()
    )
    withheld: dict[int, int] = {}
    for row in (
        await session.scalars(
            select(WithheldCredit).where(
                WithheldCredit.created_at >= start,
                WithheldCredit.created_at < end,
                WithheldCredit.resident_id.in_(area),
            )
        )
    ).all():
        withheld[row.resident_id] = withheld.get(row.resident_id, 0) + row.withheld
    flagged = sorted(
        {
            rid
            for rid, total in earned.items()
            if int(total or 0) >= settings.unusual_resident_points
        }
        | set(withheld),
        key=lambda rid: (-int(earned.get(rid) or 0), rid),
    )[:limit]
    people = {
        r.id: r
        for r in (
            await session.scalars(
                select(Resident).where(
                    Resident.id.in_(
                        {*flagged, *(p[0] for p in pairs), *(p[1] for p in pairs if p[1])}
                    )
                )
            )
        ).all()
    }
    return Unusual(
        pairs=[
            UnusualPair(
                claimer=_name(people.get(claimer)),
                author=_name(people.get(author) if author is not None else None),
                credits=int(count),
                points=int(total or 0),
            )
            for claimer, author, count, total in pairs
        ],
        residents=[
            UnusualResident(
                name=_name(people.get(rid)),
                earned=int(earned.get(rid) or 0),
                withheld=withheld.get(rid, 0),
            )
            for rid in flagged
        ],
    )


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


def export_csv(rows: list[ExportRow], tz: tzinfo) -> bytes:
    """The ledger entries as CSV (`services.csv_export`: UTF-8 with a BOM, inert cells)."""
    return csv_export.to_csv(
        CSV_HEADER,
        (
            (
                row.entry.id,
                row.entry.created_at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S"),
                row.telegram_id or "",
                row.name or "",
                row.grid,
                row.building,
                row.entry.delta,
                row.entry.kind.value,
                row.entry.reference or "",
                row.entry.reason,
                row.entry.actor_id or "",
            )
            for row in rows
        ),
    )


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
