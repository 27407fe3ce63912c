"""Volunteer points rules, straight on the services (no bot, no HTTP): what each resident
may do with an activity or a redemption in each state, refusals outside the area (and
that they change nothing), idempotency, strict parsing and inert CSV exports.

One session per call, as the bot has one per update."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from linli.config.points import PointsSettings
from linli.models import Resident, ResidentStatus, Role
from linli.models.points import (
    Activity,
    ActivitySignup,
    ActivityState,
    LedgerEntry,
    LedgerKind,
    Redemption,
    RedemptionState,
    RewardItem,
    SignupStatus,
)
from linli.services import activities, gifts, ledger, rewards
from linli.services import leaderboard as board_service
from linli.services.activities import ActivityAction
from linli.services.errors import InvalidState, PermissionDenied, StaleAction, ValidationFailed
from linli.services.rewards import RedemptionAction
from tests.support import B1_CHIEF, GRID1_CHIEF, GRID2_CHIEF
from tests.support_points import (
    db_activity,
    db_credit,
    db_item,
    db_resident,
    resident_by_telegram_id,
)

Db = async_sessionmaker[AsyncSession]
A, B = 6101, 6102  # residents of 第一网格 (1号楼, 2号楼)
OTHER = 6201  # a resident of 第二网格
ADMIN = 6001

NOW = datetime.now(UTC).replace(microsecond=0)
J = ActivityAction.JOIN
L = ActivityAction.LEAVE
CODE, PEOPLE, MARK = ActivityAction.CODE, ActivityAction.PEOPLE, ActivityAction.MARK
QR = ActivityAction.QR
SETTINGS = PointsSettings()
CAPS = ledger.Caps(monthly=SETTINGS.monthly_cap, pair=SETTINGS.pair_monthly_max, tz=UTC)
CONFIRM, STOP = ActivityAction.CONFIRM, ActivityAction.STOP


@pytest.fixture
async def people(db: Db) -> Db:
    async with db() as session:
        await db_resident(session, A, "第一网格", "1号楼")
        await db_resident(session, B, "第一网格", "2号楼")
        await db_resident(session, OTHER, "第二网格", "4号楼")
        await db_resident(session, ADMIN, "第一网格", "3号楼", role=Role.ADMIN)
    return db


async def _actions(db: Db, telegram_id: int, activity_id: int, now: datetime = NOW) -> set[str]:
    async with db() as session:
        actor = await resident_by_telegram_id(session, telegram_id)
        card = await activities.card(session, actor, activity_id, now=now)
        return set(card.actions)


async def _state(db: Db, activity_id: int) -> tuple[ActivityState, int, int]:
    """The activity's state, seats taken and sign-up rows."""
    async with db() as session:
        activity = await session.get(Activity, activity_id)
        assert activity is not None
        signups = await session.scalar(
            select(func.count())
            .select_from(ActivitySignup)
            .where(ActivitySignup.activity_id == activity_id)
        )
        return activity.state, activity.seats_taken, int(signups or 0)


# --- activities --------------------------------------------------------------------------------


async def test_activity_actions_by_role_and_area_before_the_start(people: Db) -> None:
    async with people() as session:
        activity_id = await db_activity(session, starts_at=NOW + timedelta(days=2))
    assert await _actions(people, A, activity_id) == {J}
    assert await _actions(people, OTHER, activity_id) == set()
    manager = {J, CODE, QR, PEOPLE, MARK, STOP}  # confirming the hours waits for the start
    assert await _actions(people, GRID1_CHIEF, activity_id) == manager
    assert await _actions(people, ADMIN, activity_id) == manager
    assert await _actions(people, GRID2_CHIEF, activity_id) == set()
    assert await _actions(people, B1_CHIEF, activity_id) == {J}

    async with people() as session:
        status = await activities.sign_up(
            session, await resident_by_telegram_id(session, A), activity_id, now=NOW
        )
    assert status == SignupStatus.GOING
    assert await _actions(people, A, activity_id) == {L}


async def test_activity_refusals_outside_the_area_change_nothing(people: Db) -> None:
    async with people() as session:
        activity_id = await db_activity(session, starts_at=NOW - timedelta(minutes=5))
    before = await _state(people, activity_id)
    calls = [
        (OTHER, lambda s, r: activities.sign_up(s, r, activity_id, now=NOW)),
        (GRID2_CHIEF, lambda s, r: activities.confirm(s, r, activity_id, now=NOW, caps=CAPS)),
        (GRID2_CHIEF, lambda s, r: activities.cancel_activity(s, r, activity_id, now=NOW)),
        (GRID2_CHIEF, lambda s, r: activities.attendance(s, r, activity_id, now=NOW)),
        (A, lambda s, r: activities.confirm(s, r, activity_id, now=NOW, caps=CAPS)),
        (
            GRID2_CHIEF,
            lambda s, r: activities.managed(s, r, activity_id, ActivityAction.CODE, now=NOW),
        ),
    ]
    for telegram_id, call in calls:
        async with people() as session:
            with pytest.raises(PermissionDenied):
                await call(session, await resident_by_telegram_id(session, telegram_id))
    assert await _state(people, activity_id) == before


async def test_activity_after_the_start_and_once_closed(people: Db) -> None:
    async with people() as session:
        activity_id = await db_activity(session, starts_at=NOW - timedelta(minutes=10), points=7)
    # under way: nobody signs up or leaves any more; the chief may confirm the hours
    assert await _actions(people, A, activity_id) == set()
    manager = {CODE, QR, PEOPLE, MARK, CONFIRM, STOP}
    assert await _actions(people, GRID1_CHIEF, activity_id) == manager
    async with people() as session:
        with pytest.raises(StaleAction):
            await activities.sign_up(
                session, await resident_by_telegram_id(session, A), activity_id, now=NOW
            )
        await activities.check_in(
            session,
            await resident_by_telegram_id(session, A),
            "246810",
            now=NOW,
            settings=SETTINGS,
        )
    async with people() as session:
        chief = await resident_by_telegram_id(session, GRID1_CHIEF)
        activity, credited = await activities.confirm(
            session, chief, activity_id, now=NOW, caps=CAPS
        )
        assert activity.state == ActivityState.COMPLETED
        assert [(c.resident.telegram_id, c.credit.credited) for c in credited] == [(A, 7)]
    async with people() as session:  # a second confirmation is refused, credits nothing
        chief = await resident_by_telegram_id(session, GRID1_CHIEF)
        with pytest.raises(StaleAction):
            await activities.confirm(session, chief, activity_id, now=NOW, caps=CAPS)
    async with people() as session:
        entries = await session.scalar(
            select(func.count()).select_from(LedgerEntry).where(LedgerEntry.kind == "activity")
        )
    assert entries == 1
    # closed: no actions for anyone, and calling it off is refused
    for telegram_id in (A, B, GRID1_CHIEF, ADMIN):
        assert await _actions(people, telegram_id, activity_id) == set()
    async with people() as session:
        with pytest.raises(StaleAction):
            await activities.cancel_activity(
                session, await resident_by_telegram_id(session, GRID1_CHIEF), activity_id, now=NOW
            )


async def test_confirming_before_the_start_is_refused(people: Db) -> None:
    async with people() as session:
        activity_id = await db_activity(session, starts_at=NOW + timedelta(hours=3))
    async with people() as session:
        with pytest.raises(InvalidState) as refused:
            await activities.confirm(
                session,
                await resident_by_telegram_id(session, GRID1_CHIEF),
                activity_id,
                now=NOW,
                caps=CAPS,
            )
    assert refused.value.key == "activities-error-not-started"
    assert (await _state(people, activity_id))[0] == ActivityState.OPEN


async def test_waiting_list_moves_up_and_twice_is_refused(people: Db) -> None:
    async with people() as session:
        activity_id = await db_activity(session, starts_at=NOW + timedelta(days=1), capacity=1)
    for telegram_id, expected in ((A, SignupStatus.GOING), (B, SignupStatus.WAITING)):
        async with people() as session:
            resident = await resident_by_telegram_id(session, telegram_id)
            assert await activities.sign_up(session, resident, activity_id, now=NOW) == expected
    async with people() as session:
        with pytest.raises(InvalidState):
            await activities.sign_up(
                session, await resident_by_telegram_id(session, B), activity_id, now=NOW
            )
    async with people() as session:
        promoted = await activities.cancel_signup(
            session, await resident_by_telegram_id(session, A), activity_id, now=NOW
        )
        assert promoted is not None and promoted.telegram_id == B
    assert await _actions(people, A, activity_id) == {J}
    assert await _actions(people, B, activity_id) == {L}
    assert await _state(people, activity_id) == (ActivityState.OPEN, 1, 2)
    async with people() as session:
        with pytest.raises(StaleAction):  # leaving twice
            await activities.cancel_signup(
                session, await resident_by_telegram_id(session, A), activity_id, now=NOW
            )


# --- redemptions -------------------------------------------------------------------------------


async def _redeem(db: Db, telegram_id: int, item_id: int, token: str = "tap1") -> int:
    async with db() as session:
        result = await rewards.redeem(
            session,
            await resident_by_telegram_id(session, telegram_id),
            item_id,
            token,
            now=NOW,
            days=14,
        )
        return result.redemption.id


async def _redemption_actions(db: Db, telegram_id: int, redemption_id: int) -> set[str]:
    async with db() as session:
        actor = await resident_by_telegram_id(session, telegram_id)
        return set((await rewards.redemption_card(session, actor, redemption_id)).actions)


async def _redemption(db: Db, redemption_id: int) -> tuple[RedemptionState, int, int, int]:
    """State, the item's stock, the owner's balance and how many refunds there are."""
    async with db() as session:
        redemption = await session.get(Redemption, redemption_id)
        assert redemption is not None
        item = await session.get(RewardItem, redemption.item_id)
        assert item is not None
        refunds = await session.scalar(
            select(func.count()).select_from(LedgerEntry).where(LedgerEntry.kind == "refund")
        )
        balance = await ledger.cached_balance(session, redemption.resident_id)
        return redemption.state, item.stock, balance, int(refunds or 0)


HAND, CANCEL = RedemptionAction.HAND_OVER, RedemptionAction.CANCEL


async def test_redemption_actions_by_role_and_area(people: Db) -> None:
    async with people() as session:
        await db_credit(session, A, 30)
        item_id = await db_item(session, cost=10, stock=3)
    redemption_id = await _redeem(people, A, item_id)
    assert await _redemption_actions(people, A, redemption_id) == {CANCEL}
    assert await _redemption_actions(people, GRID1_CHIEF, redemption_id) == {HAND, CANCEL}
    assert await _redemption_actions(people, B1_CHIEF, redemption_id) == {HAND, CANCEL}
    assert await _redemption_actions(people, ADMIN, redemption_id) == {HAND, CANCEL}
    for outsider in (GRID2_CHIEF, OTHER, B):
        async with people() as session:
            with pytest.raises(PermissionDenied):
                await rewards.redemption_card(
                    session, await resident_by_telegram_id(session, outsider), redemption_id
                )
    async with people() as session:
        cards, total = await rewards.pending(
            session, await resident_by_telegram_id(session, GRID1_CHIEF)
        )
    assert total == 1 and set(cards[0].actions) == {HAND, CANCEL}


async def test_refused_hand_overs_change_nothing(people: Db) -> None:
    async with people() as session:
        await db_credit(session, A, 30)
        await db_credit(session, B1_CHIEF, 30)
        item_id = await db_item(session, cost=10, stock=3)
    redemption_id = await _redeem(people, A, item_id)
    own = await _redemption(people, redemption_id)
    for telegram_id, error in ((A, "error-role-required"), (GRID2_CHIEF, "error-outside-area")):
        async with people() as session:
            with pytest.raises(PermissionDenied) as refused:
                await rewards.hand_over(
                    session,
                    await resident_by_telegram_id(session, telegram_id),
                    redemption_id,
                    now=NOW,
                )
        assert refused.value.key == error
    assert await _redemption(people, redemption_id) == own
    # a building chief never hands over their own redemption (only cancels it)
    chiefs = await _redeem(people, B1_CHIEF, item_id)
    assert await _redemption_actions(people, B1_CHIEF, chiefs) == {CANCEL}
    async with people() as session:
        with pytest.raises(PermissionDenied):
            await rewards.hand_over(
                session, await resident_by_telegram_id(session, B1_CHIEF), chiefs, now=NOW
            )
    assert (await _redemption(people, chiefs))[0] == RedemptionState.RESERVED


async def test_a_closed_redemption_allows_nothing(people: Db) -> None:
    async with people() as session:
        await db_credit(session, A, 10)
        item_id = await db_item(session, cost=10, stock=1)
    redemption_id = await _redeem(people, A, item_id)
    async with people() as session:
        card = await rewards.hand_over(
            session, await resident_by_telegram_id(session, GRID1_CHIEF), redemption_id, now=NOW
        )
        assert card.redemption.state == RedemptionState.HANDED_OVER and card.actions == []
    handed = await _redemption(people, redemption_id)
    assert handed == (RedemptionState.HANDED_OVER, 0, 0, 0)
    for telegram_id in (A, GRID1_CHIEF, ADMIN):
        assert await _redemption_actions(people, telegram_id, redemption_id) == set()
    for telegram_id, act in ((GRID1_CHIEF, rewards.hand_over), (A, rewards.cancel)):
        async with people() as session:
            with pytest.raises(StaleAction):
                await act(
                    session,
                    await resident_by_telegram_id(session, telegram_id),
                    redemption_id,
                    now=NOW,
                )
    assert await _redemption(people, redemption_id) == handed


async def test_cancel_refunds_once(people: Db) -> None:
    async with people() as session:
        await db_credit(session, A, 10)
        item_id = await db_item(session, cost=10, stock=1)
    redemption_id = await _redeem(people, A, item_id)
    assert await _redemption(people, redemption_id) == (RedemptionState.RESERVED, 0, 0, 0)
    async with people() as session:
        await rewards.cancel(
            session, await resident_by_telegram_id(session, A), redemption_id, now=NOW
        )
    async with people() as session:
        with pytest.raises(StaleAction):
            await rewards.cancel(
                session,
                await resident_by_telegram_id(session, GRID1_CHIEF),
                redemption_id,
                now=NOW,
            )
    assert await _redemption(people, redemption_id) == (RedemptionState.CANCELLED, 1, 10, 1)


async def test_one_confirmation_redeems_and_gives_once(people: Db) -> None:
    async with people() as session:
        await db_credit(session, A, 30)
        item_id = await db_item(session, cost=10, stock=5)
    first = await _redeem(people, A, item_id, token="same")
    again = await _redeem(people, A, item_id, token="same")
    assert first == again
    async with people() as session:
        resident = await resident_by_telegram_id(session, A)
        fund = (await gifts.recipients(session, resident))[0]
    made = []
    for _ in range(2):
        async with people() as session:
            resident = await resident_by_telegram_id(session, A)
            made.append((await gifts.give(session, resident, fund.id, "5", "g1")).created)
    assert made == [True, False]
    async with people() as session:
        resident = await resident_by_telegram_id(session, A)
        assert await ledger.balance(session, resident.id) == 15
        assert await ledger.cached_balance(session, resident.id) == 15
        assert await session.scalar(select(func.count()).select_from(Redemption)) == 1


async def test_gifts_and_the_shop_refuse_before_confirming(people: Db) -> None:
    async with people() as session:
        await db_credit(session, A, 5)
        item_id = await db_item(session, cost=10, stock=1)
        empty = await db_item(session, name="雨伞", cost=1, stock=0)
    async with people() as session:
        resident = await resident_by_telegram_id(session, A)
        with pytest.raises(ledger.NotEnoughPoints):
            await rewards.offer(session, resident, item_id)
        with pytest.raises(rewards.OutOfStock):
            await rewards.offer(session, resident, empty)
        fund = (await gifts.recipients(session, resident))[0]
        assert (await gifts.offer(session, resident, fund.id, 5)).balance == 5
        with pytest.raises(ledger.NotEnoughPoints):
            await gifts.offer(session, resident, fund.id, 6)


# --- leaderboards -------------------------------------------------------------------------------


async def test_boards_per_reader(people: Db) -> None:
    async with people() as session:
        await db_credit(session, A, 20)
        await db_credit(session, OTHER, 50)
    async with people() as session:
        resident = await resident_by_telegram_id(session, A)
        grid = await board_service.for_resident(
            session,
            resident,
            period=board_service.Period.MONTH,
            scope=board_service.Scope.GRID,
            now=NOW,
            tz=UTC,
            size=10,
        )
        community = await board_service.for_resident(
            session,
            resident,
            period=board_service.Period.ALL,
            scope=board_service.Scope.COMMUNITY,
            now=NOW,
            tz=UTC,
            size=10,
        )
        unbound = await board_service.for_chat(
            session, -1, period=board_service.Period.MONTH, now=NOW, tz=UTC, size=10
        )
    assert grid.grid is not None and grid.grid.name == "第一网格"
    assert [row.points for row in grid.top] == [20]
    assert grid.mine is not None and grid.mine.rank == 1
    assert community.grid is None and [row.points for row in community.top] == [50, 20]
    assert community.mine is not None and community.mine.rank == 2
    assert unbound is None
    with pytest.raises(StaleAction):
        board_service.parse_choice("x", "g")


# --- parsing and exports -----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["１０", "1_0", "²", "1e3", "10.0", " ", "--5", "0"])
def test_amounts_are_ascii_whole_numbers(text: str) -> None:
    with pytest.raises(ValidationFailed):
        ledger.parse_amount(text)


def test_numbers_parse_strictly() -> None:
    assert ledger.parse_amount(" +10 ") == 10
    assert ledger.parse_amount("-20", allow_negative=True) == -20
    assert ledger.parse_amount("50", limit=50) == 50
    for text in ("51", "+51"):
        with pytest.raises(ValidationFailed) as refused:
            ledger.parse_amount(text, limit=50)
        assert refused.value.params["max"] == 50
    assert activities.parse_hours("1.5", 8) == 1.5
    assert activities.parse_hours("0.25", 8) == 0.25
    assert activities.parse_hours("8", 8) == 8
    hours = ("0", "9", "25", "inf", "nan", "２", "1e1", "1.", ".5", "1.234", "1.+5", "-1")
    assert [activities.parse_hours(t, 8) for t in hours] == [None] * len(hours)
    assert rewards.parse_ref(" r8 ", "R") == 8
    assert rewards.parse_ref("#8", "R") == 8
    for ref in ("R²", "R-1", "R", "R1_0", "W8", "R99999999999999999999"):
        with pytest.raises(ValidationFailed):
            rewards.parse_ref(ref, "R")
    assert ledger.parse_period("2026-3", NOW, UTC)[2] == "2026-03"
    assert ledger.parse_period("全部", NOW, UTC)[2] == "all"
    for period in ("26-11", "2026-13", "2026-1-1", "２０２６", "2026-", "2026-+1", "+2026"):
        with pytest.raises(ValidationFailed):
            ledger.parse_period(period, NOW, UTC)


def test_csv_text_cells_are_inert() -> None:
    entry = LedgerEntry(
        id=1,
        resident_id=1,
        delta=-20,
        kind=LedgerKind.CORRECTION,
        reference="+R1",
        reason='=HYPERLINK("http://x")',
        actor_id=2,
        idempotency_key="k",
        created_at=NOW,
    )
    row = ledger.ExportRow(entry, telegram_id=5, name="@张三", grid="-网格", building="1号楼")
    rows = list(csv.reader(io.StringIO(ledger.export_csv([row], UTC).decode("utf-8-sig"))))
    assert rows[1][3:10] == ["'@张三", "'-网格", "1号楼", "-20", "correction", "'+R1", rows[1][9]]
    assert rows[1][9] == '\'=HYPERLINK("http://x")'


async def test_unverified_residents_have_no_actions(people: Db) -> None:
    async with people() as session:
        activity_id = await db_activity(session, starts_at=NOW + timedelta(days=2))
        pending = await db_resident(session, 6301, "第一网格", "1号楼")
        pending.status = ResidentStatus.PENDING
        await session.commit()
    async with people() as session:
        resident = await session.get(Resident, pending.id)
        activity = await session.get(Activity, activity_id)
        assert resident is not None and activity is not None
        me = await activities.participation(session, resident, activity)
        assert activities.allowed_actions(activity, resident, me, NOW) == []
        with pytest.raises(PermissionDenied):
            await activities.sign_up(session, resident, activity_id, now=NOW)
