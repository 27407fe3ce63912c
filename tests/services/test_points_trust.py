"""Points nobody can mint (issue 12), straight on the services: the monthly caps and the
admin's override, credits between the same two residents, "unusual credits" for /stats,
managers by their current role, nobody marking or confirming themselves, the activity
bounds, check-in codes (one error, a rate limit, the scope, seats) and finding people for
an award (exactly, never oneself, with a search that is not a LIKE pattern).

One session per call, as the bot has one per update."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from linli.config.points import PointsSettings
from linli.models import AuditLog, Grid, Resident, Role
from linli.models.db import write_transaction
from linli.models.points import (
    ActivitySignup,
    CapOverride,
    CheckinAttempt,
    LedgerEntry,
    LedgerKind,
    SignupStatus,
    WithheldCredit,
    WithheldWhy,
)
from linli.services import activities, gifts, ledger, rewards
from linli.services.activities import ActivityAction
from linli.services.errors import (
    InvalidState,
    NotFound,
    PermissionDenied,
    StaleAction,
    ValidationFailed,
)
from tests.support import GRID1_CHIEF, GRID2_CHIEF
from tests.support_points import db_activity, db_resident, resident_by_telegram_id

Db = async_sessionmaker[AsyncSession]
A, B, C = 6401, 6402, 6403  # residents of 第一网格 (1号楼, 2号楼, 3号楼)
OTHER = 6501  # a resident of 第二网格
ADMIN = 6001

NOW = datetime(2026, 12, 15, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai
SETTINGS = PointsSettings(monthly_cap=30, pair_monthly_max=2)
CAPS = ledger.Caps(monthly=30, pair=2, tz=UTC)


@pytest.fixture
async def people(db: Db) -> Db:
    async with db() as session:
        await db_resident(session, A, "第一网格", "1号楼")
        await db_resident(session, B, "第一网格", "2号楼")
        await db_resident(session, C, "第一网格", "3号楼")
        await db_resident(session, OTHER, "第二网格", "4号楼")
        await db_resident(session, ADMIN, "第一网格", "3号楼", role=Role.ADMIN)
    return db


async def _id(db: Db, telegram_id: int) -> int:
    async with db() as session:
        return (await resident_by_telegram_id(session, telegram_id)).id


async def _wish(db: Db, wish_id: int, claimer: int, author: int, points: int = 10) -> int:
    """Credit the fulfilment of wish `wish_id`; returns the points credited."""
    claimer_id, author_id = await _id(db, claimer), await _id(db, author)
    async with db() as session, write_transaction(session):
        credit = await ledger.credit_wish_fulfilment(
            session,
            wish_id=wish_id,
            claimer_id=claimer_id,
            author_id=author_id,
            points=points,
            caps=CAPS,
            now=NOW,
        )
    return credit.credited


async def _activity_credit(db: Db, telegram_id: int, reference: str, points: int) -> int:
    resident_id = await _id(db, telegram_id)
    async with db() as session, write_transaction(session):
        credit = await ledger.capped_credit(
            session,
            resident_id=resident_id,
            points=points,
            kind=LedgerKind.ACTIVITY,
            idempotency_key=f"test:{reference}",
            reference=reference,
            reason="test",
            actor_id=None,
            caps=CAPS,
            now=NOW,
        )
    return credit.credited


async def _balance(db: Db, telegram_id: int) -> int:
    async with db() as session:
        return await ledger.balance(session, await _id(db, telegram_id))


# --- the monthly caps ---------------------------------------------------------------------------


async def test_monthly_cap_withholds_and_an_admin_lifts_it(people: Db) -> None:
    assert await _activity_credit(people, A, "A1", 20) == 20
    assert await _activity_credit(people, A, "A2", 20) == 10  # 30 a month
    assert await _activity_credit(people, A, "A3", 5) == 0
    assert await _activity_credit(people, A, "A3", 5) == 0  # once per reference
    assert await _balance(people, A) == 30
    async with people() as session:
        rows = (await session.scalars(select(WithheldCredit).order_by(WithheldCredit.id))).all()
        assert [(r.reference, r.wanted, r.credited, r.why) for r in rows] == [
            ("A2", 20, 10, WithheldWhy.MONTH),
            ("A3", 5, 0, WithheldWhy.MONTH),
        ]
        assert await ledger.withheld_in(session, await _id(people, A), "2026-12") == 15
    # the withheld credits are told once
    async with people() as session:
        told = await ledger.claim_withheld_to_tell(session, NOW)
        assert [t.row.reference for t in told] == ["A2", "A3"]
        assert await ledger.claim_withheld_to_tell(session, NOW) == []
    # a grid chief may not lift the cap; an admin may, once a month; it is audited
    async with people() as session:
        chief = await resident_by_telegram_id(session, GRID1_CHIEF)
        with pytest.raises(PermissionDenied):
            await ledger.lift_cap(session, chief, await _id(people, A), now=NOW, tz=UTC)
    async with people() as session:
        admin = await resident_by_telegram_id(session, ADMIN)
        lifted = await ledger.lift_cap(session, admin, await _id(people, A), now=NOW, tz=UTC)
    assert (lifted.period, lifted.released) == ("2026-12", 15)
    assert await _balance(people, A) == 45
    async with people() as session:
        admin = await resident_by_telegram_id(session, ADMIN)
        with pytest.raises(InvalidState):
            await ledger.lift_cap(session, admin, await _id(people, A), now=NOW, tz=UTC)
        audit = await session.scalar(
            select(func.count())
            .select_from(AuditLog)
            .where(AuditLog.action == "points.cap_override")
        )
        assert audit == 1
        assert await session.scalar(select(func.count()).select_from(CapOverride)) == 1
    # for the rest of the month A's credits are not capped; next month they are again
    assert await _activity_credit(people, A, "A4", 20) == 20
    a_id = await _id(people, A)
    async with people() as session, write_transaction(session):
        january = await ledger.capped_credit(
            session,
            resident_id=a_id,
            points=40,
            kind=LedgerKind.ACTIVITY,
            idempotency_key="test:A5",
            reference="A5",
            reason="test",
            actor_id=None,
            caps=CAPS,
            now=datetime(2027, 1, 2, tzinfo=UTC),
        )
    assert january.credited == 30


async def test_awards_do_not_count_towards_the_cap(people: Db) -> None:
    a_id = await _id(people, A)
    async with people() as session, write_transaction(session):
        await ledger.post(
            session,
            resident_id=a_id,
            delta=50,
            kind=LedgerKind.AWARD,
            idempotency_key="award:x",
        )
    assert await _activity_credit(people, A, "A1", 30) == 30


async def test_wish_credits_between_the_same_two_residents(people: Db) -> None:
    assert await _wish(people, 1, claimer=B, author=A) == 10
    assert await _wish(people, 2, claimer=B, author=A) == 10
    assert await _wish(people, 3, claimer=B, author=A) == 0  # at most 2 a month (this test)
    assert await _wish(people, 4, claimer=B, author=C) == 10  # another author
    assert await _wish(people, 5, claimer=A, author=B) == 10  # the other way round
    assert await _wish(people, 6, claimer=A, author=A) == 0  # never one's own wish
    async with people() as session:
        row = await session.scalar(select(WithheldCredit).where(WithheldCredit.reference == "W3"))
        assert row is not None and row.why == WithheldWhy.PAIR
        assert row.counterpart_id == await _id(people, A)
        # the wish's author is told too
        told = await ledger.claim_withheld_to_tell(session, NOW)
        assert [
            (t.resident.telegram_id, t.counterpart and t.counterpart.telegram_id) for t in told
        ] == [(B, A)]
    # B reached the monthly cap (30): the next wish credit is cut to what is left
    assert await _wish(people, 7, claimer=B, author=OTHER, points=10) == 0


async def test_unusual_credits_for_chiefs_of_the_area(people: Db) -> None:
    await _wish(people, 1, claimer=B, author=A)
    await _wish(people, 2, claimer=B, author=A)
    await _wish(people, 3, claimer=B, author=A)  # withheld
    await _activity_credit(people, C, "A1", 25)
    settings = PointsSettings(unusual_pair_credits=2, unusual_resident_points=25)
    start, end = datetime(2026, 12, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
    async with people() as session:
        chief = await resident_by_telegram_id(session, GRID1_CHIEF)
        unusual = await ledger.unusual_credits(session, chief, start, end, settings)
    assert [(p.claimer, p.author, p.credits, p.points) for p in unusual.pairs] == [
        (f"居民{B}", f"居民{A}", 2, 20)
    ]
    assert {(r.name, r.earned, r.withheld) for r in unusual.residents} == {
        (f"居民{C}", 25, 0),
        (f"居民{B}", 20, 10),
    }
    async with people() as session:  # another grid's chief sees nothing of it
        other = await resident_by_telegram_id(session, GRID2_CHIEF)
        assert not await ledger.unusual_credits(session, other, start, end, settings)
        resident = await resident_by_telegram_id(session, A)
        with pytest.raises(PermissionDenied):
            await ledger.unusual_credits(session, resident, start, end, settings)


# --- managing activities ------------------------------------------------------------------------


async def _update(db: Db, telegram_id: int, **values: object) -> None:
    async with db() as session:
        await session.execute(
            update(Resident).where(Resident.telegram_id == telegram_id).values(**values)
        )
        await session.commit()


@pytest.mark.parametrize("change", ["demoted", "moved"])
async def test_a_chief_who_loses_the_role_loses_their_activities(people: Db, change: str) -> None:
    async with people() as session:
        activity_id = await db_activity(session, starts_at=NOW - timedelta(minutes=10))
        chief = await resident_by_telegram_id(session, GRID1_CHIEF)
        activity = await activities.get(session, chief, activity_id)
        activity.created_by_id = chief.id  # the chief organised it
        other_grid = await session.scalar(select(Grid.id).where(Grid.name == "第二网格"))
        await session.commit()
    async with people() as session:
        resident = await resident_by_telegram_id(session, A)
        await activities.check_in(session, resident, "246810", now=NOW, settings=SETTINGS)
    if change == "demoted":
        await _update(people, GRID1_CHIEF, role=Role.RESIDENT, chief_grid_id=None)
    else:
        await _update(people, GRID1_CHIEF, chief_grid_id=other_grid)
    a_id = await _id(people, A)
    async with people() as session:
        former = await resident_by_telegram_id(session, GRID1_CHIEF)
        card = await activities.card(session, former, activity_id, now=NOW)
        assert not {ActivityAction.CODE, ActivityAction.CONFIRM} & set(card.actions)
    calls = (
        lambda s, r: activities.set_present(s, r, activity_id, a_id, False, now=NOW),
        lambda s, r: activities.confirm(s, r, activity_id, now=NOW, caps=CAPS),
        lambda s, r: activities.cancel_activity(s, r, activity_id, now=NOW),
        lambda s, r: activities.managed(s, r, activity_id, ActivityAction.CODE, now=NOW),
        lambda s, r: activities.attendance(s, r, activity_id, now=NOW),
    )
    for call in calls:
        async with people() as session:
            with pytest.raises(PermissionDenied):
                await call(session, await resident_by_telegram_id(session, GRID1_CHIEF))
    async with people() as session:
        assert await session.scalar(select(func.count()).select_from(LedgerEntry)) == 0
        signup = await session.scalar(select(ActivitySignup))
        assert signup is not None and signup.attended_at is not None


async def test_nobody_marks_or_confirms_their_own_attendance(people: Db) -> None:
    async with people() as session:
        activity_id = await db_activity(session, starts_at=NOW - timedelta(minutes=10), points=9)
    async with people() as session:
        chief = await resident_by_telegram_id(session, GRID1_CHIEF)
        await activities.check_in(session, chief, "246810", now=NOW, settings=SETTINGS)
    async with people() as session:
        chief = await resident_by_telegram_id(session, GRID1_CHIEF)
        with pytest.raises(PermissionDenied) as refused:
            await activities.set_present(session, chief, activity_id, chief.id, True, now=NOW)
        assert refused.value.key == "activities-error-own-attendance"
        with pytest.raises(PermissionDenied) as refused:
            await activities.confirm(session, chief, activity_id, now=NOW, caps=CAPS)
        assert refused.value.key == "activities-error-own-confirm"
    async with people() as session:
        admin = await resident_by_telegram_id(session, ADMIN)
        _, credited = await activities.confirm(session, admin, activity_id, now=NOW, caps=CAPS)
    assert [(c.resident.telegram_id, c.credit.credited) for c in credited] == [(GRID1_CHIEF, 9)]


async def test_activity_points_and_hours_are_bounded(people: Db) -> None:
    draft = activities.Draft(
        title="清扫楼道",
        place="1号楼",
        starts_at=NOW + timedelta(days=1),
        hours=8,
        capacity=5,
        points=20,
        per_hour=True,
    )
    settings = PointsSettings(activity_max_points=20, activity_max_hours=8)
    activities.check_draft(draft, NOW, settings)
    for change, key, limit in (
        ({"points": 1000}, "activities-error-points", 20),
        ({"hours": 24}, "activities-error-hours", 8),
        ({"capacity": 10_001}, "activities-error-capacity", 10_000),
    ):
        with pytest.raises(ValidationFailed) as refused:
            activities.check_draft(activities.Draft(**{**draft.__dict__, **change}), NOW, settings)
        assert (refused.value.key, refused.value.params["max"]) == (key, limit)
    async with people() as session:
        chief = await resident_by_telegram_id(session, GRID1_CHIEF)
        with pytest.raises(ValidationFailed):
            await activities.create(
                session,
                chief,
                activities.Draft(**{**draft.__dict__, "points": 1000, "hours": 24}),
                now=NOW,
                settings=settings,
            )


# --- check-in -----------------------------------------------------------------------------------


async def _check_in(db: Db, telegram_id: int, code: str, now: datetime = NOW) -> None:
    async with db() as session:
        resident = await resident_by_telegram_id(session, telegram_id)
        await activities.check_in(session, resident, code, now=now, settings=SETTINGS)


async def test_wrong_and_untimely_codes_get_one_error_and_a_limit(people: Db) -> None:
    async with people() as session:
        await db_activity(session, starts_at=NOW + timedelta(days=2), code="135790")
        await db_activity(session, starts_at=NOW - timedelta(minutes=5), code="246810")
    keys = []
    for code in ("111111", "135790", "abc", "１３５７９０", "333333", "444444"):
        with pytest.raises(ValidationFailed) as refused:
            await _check_in(people, A, code)
        keys.append((refused.value.key, refused.value.params))
    assert keys == [("activities-error-code", {})] * 6  # the same answer, counted or not
    with pytest.raises(ValidationFailed):
        await _check_in(people, A, "222222", NOW + timedelta(minutes=1))
    # five wrong codes this hour: even the right code now waits
    with pytest.raises(activities.TooManyWrongCodes) as locked:
        await _check_in(people, A, "246810", NOW + timedelta(minutes=10))
    assert locked.value.params == {"minutes": 50, "max": 5}
    # another resident is not affected; an hour after the first wrong code, A may again
    await _check_in(people, B, "246810")
    await _check_in(people, A, "246810", NOW + timedelta(minutes=60, seconds=1))
    async with people() as session:
        assert await session.scalar(select(func.count()).select_from(CheckinAttempt)) == 5
        assert await activities.purge_checkin_attempts(session, NOW + timedelta(days=2)) == 5


async def test_walk_ins_only_from_the_scope_and_only_into_a_seat(people: Db) -> None:
    async with people() as session:
        activity_id = await db_activity(
            session, starts_at=NOW + timedelta(minutes=20), capacity=1, code="246810"
        )
    async with people() as session:  # A takes the only seat, B waits
        for telegram_id in (A, B):
            resident = await resident_by_telegram_id(session, telegram_id)
            await activities.sign_up(session, resident, activity_id, now=NOW)
    with pytest.raises(PermissionDenied) as refused:
        await _check_in(people, OTHER, "246810")
    assert refused.value.key == "activities-error-checkin-scope"
    for telegram_id in (B, C):  # waiting, or walking in: no seat left
        with pytest.raises(InvalidState) as refused:
            await _check_in(people, telegram_id, "246810")
        assert refused.value.key == "activities-error-full"
    await _check_in(people, A, "246810")
    async with people() as session:
        rows = (
            await session.execute(
                select(ActivitySignup.status, ActivitySignup.attended_at.is_not(None)).order_by(
                    ActivitySignup.id
                )
            )
        ).all()
    assert [tuple(row) for row in rows] == [
        (SignupStatus.GOING, True),
        (SignupStatus.WAITING, False),
    ]


async def test_a_waiting_place_moves_up_at_check_in_while_seats_remain(people: Db) -> None:
    async with people() as session:
        activity_id = await db_activity(
            session, starts_at=NOW + timedelta(days=1), capacity=1, code="246810"
        )
    async with people() as session:
        for telegram_id in (A, B):
            resident = await resident_by_telegram_id(session, telegram_id)
            await activities.sign_up(session, resident, activity_id, now=NOW)
    async with people() as session:  # the capacity grows: a seat is free
        activity = await activities.get(
            session, await resident_by_telegram_id(session, A), activity_id
        )
        activity.capacity = 3
        await session.commit()
    start = NOW + timedelta(days=1)
    await _check_in(people, B, "246810", start)
    await _check_in(people, C, "246810", start)
    async with people() as session:
        statuses = dict(
            (
                await session.execute(
                    select(Resident.telegram_id, ActivitySignup.status).join(
                        Resident, ActivitySignup.resident_id == Resident.id
                    )
                )
            ).all()
        )
        activity = await activities.get(
            session, await resident_by_telegram_id(session, A), activity_id
        )
    assert statuses == {A: SignupStatus.GOING, B: SignupStatus.GOING, C: SignupStatus.WALK_IN}
    assert activity.seats_taken == 3


# --- finding people for an award ---------------------------------------------------------------


async def test_award_targets_exactly_and_never_oneself(people: Db) -> None:
    async with people() as session:
        await session.execute(
            update(Resident).where(Resident.telegram_id == A).values(username="ZhangSan")
        )
        await session.execute(
            update(Resident).where(Resident.telegram_id == B).values(username="zhangsan")
        )
        await session.execute(
            update(Resident).where(Resident.telegram_id == C).values(username="zhangxsan")
        )
        await session.commit()
    async with people() as session:
        chief = await resident_by_telegram_id(session, GRID1_CHIEF)
        with pytest.raises(ValidationFailed) as refused:
            await ledger.find_target(session, chief, "@ZHANGSAN")
        assert refused.value.key == "award-error-ambiguous"
        assert str(A) in refused.value.params["candidates"]
        assert str(B) in refused.value.params["candidates"]
        for pattern in ("@zhang_san", "@%", "@zhang%"):
            with pytest.raises(NotFound):
                await ledger.find_target(session, chief, pattern)
        assert (await ledger.find_target(session, chief, "@ZhangXSan")).telegram_id == C
        assert (await ledger.find_target(session, chief, str(A))).telegram_id == A
        with pytest.raises(PermissionDenied):
            await ledger.find_target(session, chief, str(OTHER))
        admin = await resident_by_telegram_id(session, ADMIN)
        with pytest.raises(PermissionDenied) as refused:
            await ledger.find_target(session, admin, str(ADMIN))
        assert refused.value.key == "award-error-self"


async def test_people_to_award_by_name_or_building(people: Db) -> None:
    async with people() as session:
        await session.execute(
            update(Resident).where(Resident.telegram_id == A).values(display_name="张%三")
        )
        await session.commit()
    async with people() as session:
        chief = await resident_by_telegram_id(session, GRID1_CHIEF)
        everyone = await ledger.awardable(session, chief)
        assert {"张%三", f"居民{B}", f"居民{C}", f"居民{ADMIN}"} <= {p.name for p in everyone}
        assert f"居民{OTHER}" not in {p.name for p in everyone}
        assert [p.name for p in await ledger.awardable(session, chief, "%")] == ["张%三"]
        assert [p.name for p in await ledger.awardable(session, chief, "_")] == []
        assert {p.name for p in await ledger.awardable(session, chief, "3号楼")} == {
            f"居民{C}",
            f"居民{ADMIN}",
            "张桂兰",  # the building chief of 3号楼
        }
        admin = await resident_by_telegram_id(session, ADMIN)
        names = {p.name for p in await ledger.awardable(session, admin)}
        assert f"居民{ADMIN}" not in names and f"居民{OTHER}" in names
        resident = await resident_by_telegram_id(session, A)
        with pytest.raises(PermissionDenied):
            await ledger.awardable(session, resident)


# --- ids no row can have ------------------------------------------------------------------------


@pytest.mark.parametrize("huge", [10**20, 2**63, -(10**20), 0])
async def test_ids_past_the_databases_integers_are_stale(people: Db, huge: int) -> None:
    """A forged button's number that SQLite cannot bind (OverflowError) or no row has: a
    stale button from every points lookup, never an exception of the driver."""
    async with people() as session:
        activity_id = await db_activity(session, starts_at=NOW - timedelta(minutes=10), points=9)
    cancel = rewards.RedemptionAction.CANCEL
    lookups: dict[
        str, Callable[[AsyncSession, Resident, Resident, Resident], Awaitable[object]]
    ] = {
        "activity": lambda s, r, c, a: activities.get(s, r, huge),
        "card": lambda s, r, c, a: activities.card(s, r, huge, now=NOW),
        "join": lambda s, r, c, a: activities.sign_up(s, r, huge, now=NOW),
        "leave": lambda s, r, c, a: activities.cancel_signup(s, r, huge, now=NOW),
        "manage": lambda s, r, c, a: activities.managed(s, c, huge, ActivityAction.CODE, now=NOW),
        "people": lambda s, r, c, a: activities.attendance(s, c, huge, now=NOW),
        "mark": lambda s, r, c, a: activities.set_present(s, c, activity_id, huge, True, now=NOW),
        "item": lambda s, r, c, a: rewards.get_item(s, r, huge),
        "redemption": lambda s, r, c, a: rewards.redemption_card(s, r, huge),
        "cancel": lambda s, r, c, a: rewards.act(s, a, huge, cancel, now=NOW),
        "recipient": lambda s, r, c, a: gifts.get_recipient(s, r, huge),
        "family off": lambda s, r, c, a: gifts.set_active(s, a, huge, False),
        "award to": lambda s, r, c, a: ledger.target_in_area(s, c, huge),
        "history": lambda s, r, c, a: ledger.history_page(s, r, huge, size=10),
    }
    if huge == 0:
        del lookups["history"]  # page 0 is the first page
    for name, lookup in lookups.items():
        async with people() as session:
            resident = await resident_by_telegram_id(session, A)
            chief = await resident_by_telegram_id(session, GRID1_CHIEF)
            admin = await resident_by_telegram_id(session, ADMIN)
            with pytest.raises(StaleAction):
                await lookup(session, resident, chief, admin)
                pytest.fail(name)
    async with people() as session:
        assert await session.scalar(select(func.count()).select_from(LedgerEntry)) == 0
