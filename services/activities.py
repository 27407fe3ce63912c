"""Volunteer activities (志愿活动): sign-up with a waiting list, reminders, check-in and
crediting service points once.

Capacity is enforced by the database: `seats_taken` moves only through conditional UPDATEs
and a CHECK keeps it within `capacity`; sign-ups of one activity are serialised by locking
its row (PostgreSQL) or by BEGIN IMMEDIATE (SQLite).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from linli.config.points import PointsSettings
from linli.models import Building, Resident, Role
from linli.models.base import UTCDateTime
from linli.models.db import write_transaction
from linli.models.points import (
    Activity,
    ActivitySignup,
    ActivityState,
    CheckinAttempt,
    LedgerKind,
    SignupStatus,
)
from linli.services import audit, ledger
from linli.services.authz import require_role, require_verified, serves_community
from linli.services.errors import (
    DomainError,
    InvalidState,
    NotFound,
    PermissionDenied,
    StaleAction,
    ValidationFailed,
)
from linli.services.parsing import parse_int
from linli.services.rewards import community_of

CODE_RE = re.compile(r"^[0-9]{6}$")
ACTIVE = (SignupStatus.GOING, SignupStatus.WAITING, SignupStatus.WALK_IN)
SEATED = (SignupStatus.GOING, SignupStatus.WALK_IN)
CAPACITY_MAX = 10_000
WRONG_CODE_WINDOW = timedelta(hours=1)


def points_for(activity: Activity) -> int:
    """Points one attendee earns: flat, or per hour of the activity's length."""
    if not activity.per_hour:
        return activity.points
    hours = (activity.ends_at - activity.starts_at).total_seconds() / 3600
    return max(0, round(activity.points * hours))


def manages(actor: Resident, activity: Activity) -> bool:
    """Whether `actor` manages `activity` now: an admin of its community, or the grid chief
    of its grid. Only the actor's current role and area count, never who created it (a
    chief who loses the role or moves loses their activities with it)."""
    if not actor.is_verified:
        return False
    if actor.role == Role.ADMIN:
        return actor.community_id in (None, activity.community_id)
    return (
        actor.role == Role.GRID_CHIEF
        and activity.grid_id is not None
        and activity.grid_id == actor.chief_grid_id
    )


async def _grid_id_of(session: AsyncSession, resident: Resident) -> int | None:
    if resident.building_id is None:
        return None
    building = await session.get(Building, resident.building_id)
    return building.grid_id if building is not None else None


# --- what may happen next --------------------------------------------------------------------


class ActivityAction(StrEnum):
    """What a resident may do with an activity. The managers' values are also the actions
    of the activity card's manager buttons."""

    JOIN = "join"
    LEAVE = "leave"
    CODE = "code"  # show the check-in code and link
    QR = "qr"  # the check-in link as a QR image, for a printed sheet at the door
    PEOPLE = "people"  # see the attendance list
    MARK = "mark"  # mark someone present or absent
    CONFIRM = "confirm"  # confirm the hours: credit the attendees, close the activity
    STOP = "stop"  # call the activity off


@dataclass(frozen=True)
class Participation:
    """What the rules need to know of the actor besides their role: their sign-up and
    whether the activity is for their area."""

    status: SignupStatus | None
    in_area: bool


Rule = Callable[[Activity, Resident, Participation, datetime], DomainError | None]


def _before_start(activity: Activity, now: datetime) -> DomainError | None:
    if activity.state != ActivityState.OPEN or activity.starts_at <= now:
        return StaleAction("activities-error-closed")
    return None


def _may_join(
    activity: Activity, actor: Resident, me: Participation, now: datetime
) -> DomainError | None:
    """Open, not started, in the resident's area, not signed up (or checked in) already."""
    if not me.in_area:
        return PermissionDenied("error-outside-area")
    if closed := _before_start(activity, now):
        return closed
    if me.status in ACTIVE:
        return InvalidState("activities-error-already-signed")
    return None


def _may_leave(
    activity: Activity, actor: Resident, me: Participation, now: datetime
) -> DomainError | None:
    """Open, not started, and the resident has a seat or a waiting place."""
    if closed := _before_start(activity, now):
        return closed
    if me.status not in (SignupStatus.GOING, SignupStatus.WAITING):
        return StaleAction("activities-error-not-signed")
    return None


def _may_manage(
    activity: Activity, actor: Resident, me: Participation, now: datetime
) -> DomainError | None:
    """The activity's grid chief, its creator or an admin, while it is open."""
    if not manages(actor, activity):
        return PermissionDenied("error-outside-area")
    if activity.state != ActivityState.OPEN:
        return StaleAction("activities-error-closed")
    return None


def _may_confirm(
    activity: Activity, actor: Resident, me: Participation, now: datetime
) -> DomainError | None:
    """A manager, once the activity has started."""
    if refused := _may_manage(activity, actor, me, now):
        return refused
    if now < activity.starts_at:
        return InvalidState("activities-error-not-started")
    return None


RULES: dict[ActivityAction, Rule] = {
    ActivityAction.JOIN: _may_join,
    ActivityAction.LEAVE: _may_leave,
    ActivityAction.CODE: _may_manage,
    ActivityAction.QR: _may_manage,
    ActivityAction.PEOPLE: _may_manage,
    ActivityAction.MARK: _may_manage,
    ActivityAction.CONFIRM: _may_confirm,
    ActivityAction.STOP: _may_manage,
}


def allowed_actions(
    activity: Activity, actor: Resident, me: Participation, now: datetime
) -> list[ActivityAction]:
    """The actions `actor` may take on `activity` now (the buttons their card shows)."""
    if not actor.is_verified:
        return []
    return [action for action, rule in RULES.items() if rule(activity, actor, me, now) is None]


def require(
    action: ActivityAction,
    activity: Activity,
    actor: Resident,
    me: Participation,
    now: datetime,
) -> None:
    """Raise the reason `action` is not allowed (the same rule as `allowed_actions`)."""
    require_verified(actor)
    refused = RULES[action](activity, actor, me, now)
    if refused is not None:
        raise refused


async def _signup(
    session: AsyncSession, activity_id: int, resident_id: int
) -> ActivitySignup | None:
    return await session.scalar(
        select(ActivitySignup)
        .where(
            ActivitySignup.activity_id == activity_id,
            ActivitySignup.resident_id == resident_id,
        )
        .execution_options(populate_existing=True)
    )


async def participation(
    session: AsyncSession, resident: Resident, activity: Activity
) -> Participation:
    signup = await _signup(session, activity.id, resident.id)
    return Participation(
        status=signup.status if signup is not None else None,
        in_area=await _in_area(session, resident, activity),
    )


# --- creating and listing -------------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    title: str
    place: str
    starts_at: datetime
    hours: float
    capacity: int
    points: int
    per_hour: bool


def parse_hours(text: str | None, most: int) -> float | None:
    """An activity's length in hours (`2`, `1.5`, `0.25`: ASCII digits, at most two
    decimals; more than 0, at most `most`), or None."""
    whole, dot, fraction = (text or "").strip().partition(".")
    hours = parse_int(whole, low=0, high=most)
    if hours is None or (dot and (not 0 < len(fraction) <= 2)):
        return None
    part = parse_int(fraction, low=0) if dot else 0
    if part is None:
        return None
    value = hours + part / 10 ** len(fraction) if dot else float(hours)
    return value if 0 < value <= most else None


def check_draft(draft: Draft, now: datetime, settings: PointsSettings) -> None:
    """The bounds of an activity (each refusal states its limit)."""
    if not draft.title.strip() or len(draft.title) > 100 or len(draft.place) > 200:
        raise ValidationFailed("activities-error-title", title=100, place=200)
    if draft.starts_at <= now:
        raise ValidationFailed("activities-error-past")
    if not 0 < draft.hours <= settings.activity_max_hours:
        raise ValidationFailed("activities-error-hours", max=settings.activity_max_hours)
    if not 0 < draft.capacity <= CAPACITY_MAX:
        raise ValidationFailed("activities-error-capacity", max=CAPACITY_MAX)
    if not 0 <= draft.points <= settings.activity_max_points:
        raise ValidationFailed("activities-error-points", max=settings.activity_max_points)


async def create(
    session: AsyncSession,
    actor: Resident,
    draft: Draft,
    *,
    now: datetime,
    settings: PointsSettings | None = None,
) -> Activity:
    """Grid chiefs create activities for their grid, admins for the whole community, within
    the bounds of `settings` (the environment's POINTS_* when not given)."""
    require_role(actor, Role.GRID_CHIEF)
    check_draft(draft, now, settings or PointsSettings())
    community_id = await community_of(session, actor)
    grid_id = actor.chief_grid_id if actor.role == Role.GRID_CHIEF else None
    for attempt in range(5):
        if attempt:
            await session.refresh(actor)  # the failed attempt's rollback expired it
        try:
            async with write_transaction(session):
                activity = Activity(
                    community_id=community_id,
                    grid_id=grid_id,
                    title=draft.title.strip(),
                    place=draft.place.strip(),
                    starts_at=draft.starts_at,
                    ends_at=draft.starts_at + timedelta(hours=draft.hours),
                    capacity=draft.capacity,
                    seats_taken=0,
                    points=draft.points,
                    per_hour=draft.per_hour,
                    checkin_code=f"{secrets.randbelow(1_000_000):06d}",
                    state=ActivityState.OPEN,
                    created_by_id=actor.id,
                )
                session.add(activity)
                await session.flush()
                await audit.record(session, actor, "activity.create", "activity", activity.id)
            return activity
        except IntegrityError:
            continue  # check-in code collision: draw another
    raise InvalidState()


@dataclass(frozen=True)
class Listed:
    activity: Activity
    status: SignupStatus | None
    attended: bool
    waiting: int


async def upcoming(session: AsyncSession, resident: Resident, now: datetime) -> list[Listed]:
    """Open activities not yet over, in the resident's grid or the whole community (and,
    for chiefs, the ones they manage), soonest first, with the resident's own status."""
    require_verified(resident)
    community_id = await community_of(session, resident)
    grid_ids = {g for g in (await _grid_id_of(session, resident), resident.chief_grid_id) if g}
    stmt = select(Activity).where(
        Activity.community_id == community_id,
        Activity.state == ActivityState.OPEN,
        Activity.ends_at > now,
    )
    if not resident.is_admin and not serves_community(resident):
        stmt = stmt.where(
            or_(
                Activity.grid_id.is_(None),
                Activity.grid_id.in_(grid_ids),
                Activity.created_by_id == resident.id,
            )
        )
    activities = list((await session.scalars(stmt.order_by(Activity.starts_at).limit(20))).all())
    ids = [a.id for a in activities]
    mine = {
        s.activity_id: s
        for s in (
            await session.scalars(
                select(ActivitySignup).where(
                    ActivitySignup.activity_id.in_(ids),
                    ActivitySignup.resident_id == resident.id,
                )
            )
        ).all()
    }
    waiting = dict(
        (
            await session.execute(
                select(ActivitySignup.activity_id, func.count())
                .where(
                    ActivitySignup.activity_id.in_(ids),
                    ActivitySignup.status == SignupStatus.WAITING,
                )
                .group_by(ActivitySignup.activity_id)
            )
        ).all()
    )
    return [
        Listed(
            activity=a,
            status=mine[a.id].status if a.id in mine else None,
            attended=a.id in mine and mine[a.id].attended_at is not None,
            waiting=int(waiting.get(a.id, 0)),
        )
        for a in activities
    ]


async def get(session: AsyncSession, resident: Resident, activity_id: int) -> Activity:
    require_verified(resident)
    activity = await session.get(Activity, ledger.row_id(activity_id), populate_existing=True)
    if activity is None or activity.community_id != await community_of(session, resident):
        raise NotFound()
    return activity


async def _lock(session: AsyncSession, activity_id: int) -> Activity:
    activity = await session.scalar(
        select(Activity)
        .where(Activity.id == ledger.row_id(activity_id))
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if activity is None:
        raise StaleAction()
    return activity


async def _in_area(session: AsyncSession, resident: Resident, activity: Activity) -> bool:
    """The activity's grid is the resident's. Partner and mobile members serve the whole
    community, so any of its activities is theirs."""
    if activity.grid_id is None or serves_community(resident):
        return True
    return activity.grid_id == await _grid_id_of(session, resident) or manages(resident, activity)


async def _waiting(session: AsyncSession, activity_id: int) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(ActivitySignup)
        .where(
            ActivitySignup.activity_id == activity_id,
            ActivitySignup.status == SignupStatus.WAITING,
        )
    )
    return int(count or 0)


@dataclass(frozen=True)
class Card:
    """An activity as one resident sees it: their sign-up, the waiting list's length and
    what they may do now."""

    activity: Activity
    status: SignupStatus | None
    waiting: int
    actions: list[ActivityAction]


async def card(
    session: AsyncSession, resident: Resident, activity_id: int, *, now: datetime
) -> Card:
    activity = await get(session, resident, activity_id)
    me = await participation(session, resident, activity)
    return Card(
        activity=activity,
        status=me.status,
        waiting=await _waiting(session, activity.id),
        actions=allowed_actions(activity, resident, me, now),
    )


# --- sign-up -----------------------------------------------------------------------------------


async def sign_up(
    session: AsyncSession, resident: Resident, activity_id: int, *, now: datetime
) -> SignupStatus:
    """A seat when one is free, else a place on the waiting list."""
    activity = await get(session, resident, activity_id)
    in_area = await _in_area(session, resident, activity)
    async with write_transaction(session):
        activity = await _lock(session, activity_id)
        signup = await _signup(session, activity.id, resident.id)
        me = Participation(signup.status if signup is not None else None, in_area)
        require(ActivityAction.JOIN, activity, resident, me, now)
        took = await session.execute(
            update(Activity)
            .where(Activity.id == activity.id, Activity.seats_taken < Activity.capacity)
            .values(seats_taken=Activity.seats_taken + 1)
            .execution_options(synchronize_session=False)
        )
        status = SignupStatus.GOING if took.rowcount == 1 else SignupStatus.WAITING  # type: ignore[attr-defined]
        if signup is None:
            session.add(
                ActivitySignup(
                    activity_id=activity.id, resident_id=resident.id, status=status, queued_at=now
                )
            )
        else:
            signup.status = status
            signup.queued_at = now
        await session.flush()
    return status


async def cancel_signup(
    session: AsyncSession, resident: Resident, activity_id: int, *, now: datetime
) -> Resident | None:
    """Give up a seat or a waiting place; returns the resident who moved up, if any."""
    activity = await get(session, resident, activity_id)
    in_area = await _in_area(session, resident, activity)
    async with write_transaction(session):
        activity = await _lock(session, activity_id)
        signup = await _signup(session, activity.id, resident.id)
        me = Participation(signup.status if signup is not None else None, in_area)
        require(ActivityAction.LEAVE, activity, resident, me, now)
        assert signup is not None
        was_going = signup.status == SignupStatus.GOING
        signup.status = SignupStatus.CANCELLED
        await session.flush()
        if not was_going:
            return None
        nxt = await session.scalar(
            select(ActivitySignup)
            .where(
                ActivitySignup.activity_id == activity.id,
                ActivitySignup.status == SignupStatus.WAITING,
            )
            .order_by(ActivitySignup.queued_at, ActivitySignup.id)
            .limit(1)
        )
        if nxt is None:
            await session.execute(
                update(Activity)
                .where(Activity.id == activity.id, Activity.seats_taken > 0)
                .values(seats_taken=Activity.seats_taken - 1)
                .execution_options(synchronize_session=False)
            )
            return None
        nxt.status = SignupStatus.GOING  # the seat passes on; seats_taken stays
        await session.flush()
        promoted = await session.get(Resident, nxt.resident_id)
    return promoted


# --- check-in and attendance ----------------------------------------------------------------


class TooManyWrongCodes(ValidationFailed):
    key = "activities-error-code-locked"


async def _wrong_codes_since(
    session: AsyncSession, resident_id: int, since: datetime
) -> list[datetime]:
    rows = await session.scalars(
        select(CheckinAttempt.at)
        .where(CheckinAttempt.resident_id == resident_id, CheckinAttempt.at > since)
        .order_by(CheckinAttempt.at)
    )
    return list(rows.all())


async def _wrong_code(session: AsyncSession, resident: Resident, now: datetime) -> ValidationFailed:
    """Record a wrong (or untimely) code; the error to raise is the same for both, so that
    a code cannot be told apart before its time."""
    async with write_transaction(session):
        session.add(CheckinAttempt(resident_id=resident.id, at=now))
    return ValidationFailed("activities-error-code")


async def check_in(
    session: AsyncSession,
    resident: Resident,
    code: str,
    *,
    now: datetime,
    settings: PointsSettings,
) -> Activity:
    """Check in with the code shown at the activity, while its window is open (from
    `checkin_early_minutes` before the start to `checkin_late_minutes` after the end).

    A wrong code and a right code outside the window get the same answer, and a resident
    may send at most `checkin_max_wrong` of them an hour (six digits that are not a code
    now count; other text cannot be a guess and gets the same answer uncounted). Only
    residents of the activity's scope check in, and only into a seat: their own, or a free
    one (a waiting place moves up while seats remain; a full activity has none for
    walk-ins)."""
    require_verified(resident)
    recent = await _wrong_codes_since(session, resident.id, now - WRONG_CODE_WINDOW)
    if len(recent) >= settings.checkin_max_wrong:
        wait = recent[-settings.checkin_max_wrong] + WRONG_CODE_WINDOW - now
        raise TooManyWrongCodes(
            minutes=max(1, -(-int(wait.total_seconds()) // 60)),
            max=settings.checkin_max_wrong,
        )
    code = code.strip()
    if not CODE_RE.match(code):
        raise ValidationFailed("activities-error-code")  # not a guess: not counted
    community_id = await community_of(session, resident)
    activity = await session.scalar(
        select(Activity).where(
            Activity.checkin_code == code,
            Activity.community_id == community_id,
            Activity.state == ActivityState.OPEN,
        )
    )
    if activity is None or not (
        activity.starts_at - timedelta(minutes=settings.checkin_early_minutes)
        <= now
        <= activity.ends_at + timedelta(minutes=settings.checkin_late_minutes)
    ):
        raise await _wrong_code(session, resident, now)
    in_area = await _in_area(session, resident, activity)
    async with write_transaction(session):
        activity = await _lock(session, activity.id)
        signup = await _signup(session, activity.id, resident.id)
        if signup is not None and signup.attended_at is not None:
            raise InvalidState("activities-error-checked-in")
        if signup is None or signup.status != SignupStatus.GOING:
            if not in_area:
                raise PermissionDenied("activities-error-checkin-scope")
            took = await session.execute(
                update(Activity)
                .where(Activity.id == activity.id, Activity.seats_taken < Activity.capacity)
                .values(seats_taken=Activity.seats_taken + 1)
                .execution_options(synchronize_session=False)
            )
            if took.rowcount != 1:  # type: ignore[attr-defined]
                raise InvalidState("activities-error-full")
        status = (
            SignupStatus.GOING
            if signup is not None and signup.status in (SignupStatus.GOING, SignupStatus.WAITING)
            else SignupStatus.WALK_IN
        )
        if signup is None:
            session.add(
                ActivitySignup(
                    activity_id=activity.id,
                    resident_id=resident.id,
                    status=status,
                    queued_at=now,
                    attended_at=now,
                )
            )
        else:
            signup.status = status
            signup.attended_at = now
        await session.flush()
    return activity


async def purge_checkin_attempts(session: AsyncSession, now: datetime) -> int:
    """Forget wrong check-in codes older than a day."""
    async with write_transaction(session):
        result = await session.execute(
            delete(CheckinAttempt).where(CheckinAttempt.at < now - timedelta(days=1))
        )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Attendee:
    resident: Resident
    status: SignupStatus
    present: bool


async def managed(
    session: AsyncSession,
    actor: Resident,
    activity_id: int,
    action: ActivityAction,
    *,
    now: datetime,
) -> Activity:
    """The activity, when `actor` may take the manager's `action` on it now."""
    activity = await get(session, actor, activity_id)
    require(action, activity, actor, await participation(session, actor, activity), now)
    return activity


@dataclass(frozen=True)
class Attendance:
    activity: Activity
    people: list[Attendee]
    actions: list[ActivityAction]
    """What the manager may do now (e.g. confirm the hours once it has started)."""

    @property
    def present(self) -> int:
        return sum(1 for person in self.people if person.present)


async def attendance(
    session: AsyncSession,
    actor: Resident,
    activity_id: int,
    *,
    now: datetime,
    action: ActivityAction = ActivityAction.PEOPLE,
) -> Attendance:
    """Who has a seat or checked in, for a manager allowed `action` (seeing the list, or
    confirming the hours)."""
    activity = await get(session, actor, activity_id)
    me = await participation(session, actor, activity)
    require(action, activity, actor, me, now)
    rows = await session.execute(
        select(ActivitySignup, Resident)
        .join(Resident, ActivitySignup.resident_id == Resident.id)
        .where(
            ActivitySignup.activity_id == activity_id,
            ActivitySignup.status.in_([SignupStatus.GOING, SignupStatus.WALK_IN]),
        )
        .order_by(ActivitySignup.queued_at, ActivitySignup.id)
    )
    return Attendance(
        activity=activity,
        people=[Attendee(r, s.status, s.attended_at is not None) for s, r in rows.all()],
        actions=allowed_actions(activity, actor, me, now),
    )


async def set_present(
    session: AsyncSession,
    actor: Resident,
    activity_id: int,
    resident_id: int,
    present: bool,
    *,
    now: datetime,
) -> None:
    """A manager marks attendance by hand (only before the hours are confirmed), never
    their own: another chief or an admin does that."""
    activity = await get(session, actor, activity_id)
    ledger.row_id(resident_id)
    if resident_id == actor.id:
        raise PermissionDenied("activities-error-own-attendance")
    in_area = await _in_area(session, actor, activity)
    async with write_transaction(session):
        activity = await _lock(session, activity_id)
        mine = await _signup(session, activity_id, actor.id)
        me = Participation(mine.status if mine is not None else None, in_area)
        require(ActivityAction.MARK, activity, actor, me, now)
        signup = await session.scalar(
            select(ActivitySignup)
            .where(
                ActivitySignup.activity_id == activity_id,
                ActivitySignup.resident_id == resident_id,
                ActivitySignup.status.in_([SignupStatus.GOING, SignupStatus.WALK_IN]),
            )
            .execution_options(populate_existing=True)
        )
        if signup is None:
            raise StaleAction()
        signup.attended_at = now if present else None
        await audit.record(
            session,
            actor,
            "activity.attendance",
            "activity",
            activity_id,
            resident_id=resident_id,
            present=present,
        )


@dataclass(frozen=True)
class Credited:
    """An attendee and what the confirmation credited them (within the monthly cap)."""

    resident: Resident
    credit: ledger.Credit


async def confirm(
    session: AsyncSession,
    actor: Resident,
    activity_id: int,
    *,
    now: datetime,
    caps: ledger.Caps,
) -> tuple[Activity, list[Credited]]:
    """Close the activity and credit each attendee once (`activity:<id>:<resident>`),
    within the monthly cap. A manager who was present does not confirm (another chief or
    an admin does). Returns the activity and who was credited what."""
    activity = await managed(session, actor, activity_id, ActivityAction.CONFIRM, now=now)
    credited: list[Credited] = []
    async with write_transaction(session):
        present = await session.scalar(
            select(ActivitySignup.id).where(
                ActivitySignup.activity_id == activity_id,
                ActivitySignup.resident_id == actor.id,
                ActivitySignup.attended_at.is_not(None),
            )
        )
        if present is not None:
            raise PermissionDenied("activities-error-own-confirm")
        closed = await session.execute(
            update(Activity)
            .where(Activity.id == activity_id, Activity.state == ActivityState.OPEN)
            .values(state=ActivityState.COMPLETED, completed_at=now)
            .execution_options(synchronize_session=False)
        )
        if closed.rowcount != 1:  # type: ignore[attr-defined]
            raise StaleAction("activities-error-closed")
        points = points_for(activity)
        rows = await session.execute(
            select(ActivitySignup, Resident)
            .join(Resident, ActivitySignup.resident_id == Resident.id)
            .where(
                ActivitySignup.activity_id == activity_id,
                ActivitySignup.attended_at.is_not(None),
            )
            .order_by(Resident.id)
        )
        for _signup, attendee in rows.all():
            credit = await ledger.capped_credit(
                session,
                resident_id=attendee.id,
                points=points,
                kind=LedgerKind.ACTIVITY,
                idempotency_key=f"activity:{activity_id}:{attendee.id}",
                reference=f"A{activity_id}",
                reason=activity.title,
                actor_id=actor.id,
                caps=caps,
                now=now,
            )
            if credit.created:
                credited.append(Credited(attendee, credit))
        await audit.record(
            session, actor, "activity.confirm", "activity", activity_id, attendees=len(credited)
        )
    await session.refresh(activity)
    return activity, credited


async def cancel_activity(
    session: AsyncSession, actor: Resident, activity_id: int, *, now: datetime
) -> tuple[Activity, list[Resident]]:
    """Call an activity off; returns it and who had signed up (to tell them)."""
    activity = await managed(session, actor, activity_id, ActivityAction.STOP, now=now)
    async with write_transaction(session):
        closed = await session.execute(
            update(Activity)
            .where(Activity.id == activity_id, Activity.state == ActivityState.OPEN)
            .values(state=ActivityState.CANCELLED, completed_at=now)
            .execution_options(synchronize_session=False)
        )
        if closed.rowcount != 1:  # type: ignore[attr-defined]
            raise StaleAction("activities-error-closed")
        await audit.record(session, actor, "activity.cancel", "activity", activity_id)
    await session.refresh(activity)
    rows = await session.scalars(
        select(Resident)
        .join(ActivitySignup, ActivitySignup.resident_id == Resident.id)
        .where(
            ActivitySignup.activity_id == activity_id,
            ActivitySignup.status.in_([SignupStatus.GOING, SignupStatus.WAITING]),
        )
    )
    return activity, list(rows.all())


# --- reminders -------------------------------------------------------------------------------


def evening_before(activity: Activity, tz: ZoneInfo, hour: int) -> datetime:
    local = activity.starts_at.astimezone(tz)
    return (local - timedelta(days=1)).replace(hour=hour, minute=0, second=0, microsecond=0)


async def claim_reminders(
    session: AsyncSession, now: datetime, *, tz: ZoneInfo, evening_hour: int
) -> list[tuple[Activity, str, list[Resident]]]:
    """Claim the reminders due now ("eve": the evening before; "hour": one hour before)
    with conditional UPDATEs, and return who to remind. A reminder whose time has passed
    (the hour reminder is due) is marked without being sent."""
    candidates = (
        await session.scalars(
            select(Activity).where(
                Activity.state == ActivityState.OPEN,
                Activity.starts_at > now,
                Activity.starts_at <= now + timedelta(days=2),
                or_(Activity.eve_reminded_at.is_(None), Activity.hour_reminded_at.is_(None)),
            )
        )
    ).all()
    due: list[tuple[Activity, str]] = []
    for activity in candidates:
        if now >= activity.starts_at - timedelta(hours=1):
            stmt = (
                update(Activity)
                .where(Activity.id == activity.id, Activity.hour_reminded_at.is_(None))
                .values(
                    hour_reminded_at=now,
                    eve_reminded_at=func.coalesce(
                        Activity.eve_reminded_at, bindparam(None, now, type_=UTCDateTime())
                    ),
                )
            )
            kind = "hour"
        elif now >= evening_before(activity, tz, evening_hour):
            stmt = (
                update(Activity)
                .where(Activity.id == activity.id, Activity.eve_reminded_at.is_(None))
                .values(eve_reminded_at=now)
            )
            kind = "eve"
        else:
            continue
        async with write_transaction(session):
            claimed = await session.execute(stmt.execution_options(synchronize_session=False))
        if claimed.rowcount == 1:  # type: ignore[attr-defined]
            due.append((activity, kind))
    result: list[tuple[Activity, str, list[Resident]]] = []
    for activity, kind in due:
        going = await session.scalars(
            select(Resident)
            .join(ActivitySignup, ActivitySignup.resident_id == Resident.id)
            .where(
                ActivitySignup.activity_id == activity.id,
                ActivitySignup.status == SignupStatus.GOING,
            )
        )
        result.append((activity, kind, list(going.all())))
    return result
