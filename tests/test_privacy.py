"""/privacy end to end: the summary, the JSON copy, the leaderboard choice, deleting an
account (and proof that nothing identifying remains), the retention job, and bad input."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import DBAPIError

from linli.bot.logging import setup_logging
from linli.models import AuditLog, Base, ChatBinding, Grid, Resident, ResidentStatus
from linli.models.complaints import (
    Complaint,
    ComplaintCategory,
    ComplaintEvent,
    ComplaintFollower,
    ComplaintStatus,
)
from linli.models.db import write_transaction
from linli.models.deliberation import (
    Scope,
    Topic,
    TopicComment,
    TopicState,
    TopicSupport,
    Vote,
    VoteBallot,
    VoteOption,
)
from linli.models.notices import OutboxMessage
from linli.models.points import (
    Activity,
    ActivitySignup,
    LedgerEntry,
    LedgerKind,
    PointsPrivacy,
    Redemption,
    RedemptionState,
    RewardItem,
    SignupStatus,
)
from linli.models.wishes import Wish, WishCategory, WishEvent, WishStatus
from linli.services import cockpit as cockpit_service
from linli.services import ledger
from linli.services import people as people_service
from linli.services import privacy as privacy_service
from linli.web.render import Texts
from tests.support import ADMIN_ID, B1_CHIEF, GRID1_CHIEF, Harness
from tests.support_casework import file_complaint
from tests.support_points import add_item, assert_ledger_consistent, balance_of

A, B = 5701, 5702
A_NAME, A_USER = "赵小六", "zhao6_test"
B_NAME, B_USER = "钱小七", "qian7_test"


# --- set-up -----------------------------------------------------------------------------------


async def rid_of(h: Harness, telegram_id: int) -> int:
    resident = await h.resident(telegram_id)
    assert resident is not None
    return resident.id


async def seed_world(h: Harness) -> dict[str, int]:
    """A and B with a bit of everything: wishes, complaints, a topic, a vote, points, a
    redemption, an activity, an audit entry with A's Telegram id, an award key made by A,
    a broadcast A followed and a group A bound."""
    await h.add_resident(A, "第一网格", "1号楼", name=A_NAME)
    await h.add_resident(B, "第一网格", "2号楼", name=B_NAME)
    h.emu.add_user(A, A_NAME, username=A_USER)
    h.emu.add_user(B, B_NAME, username=B_USER)
    a, b = await rid_of(h, A), await rid_of(h, B)
    item_id = await add_item(h, "大米一袋", cost=10, stock=5)
    target = await h.building("第一网格", "1号楼")
    grid_id, bid = target.grid_id, target.id
    now = datetime.now(UTC)
    async with h.db() as session:
        async with write_transaction(session):
            for rid, username in ((a, A_USER), (b, B_USER)):
                resident = await session.get(Resident, rid)
                assert resident is not None
                resident.username = username
            grid = await session.get(Grid, grid_id)
            assert grid is not None
            community_id = grid.community_id
            rice = await session.get(RewardItem, item_id)
            assert rice is not None
            rice.stock -= 1  # A's reservation below took one bag
            wish = Wish(
                grid_id=grid_id,
                building_id=bid,
                author_id=a,
                category=WishCategory.DAILY,
                text="想请人帮忙换灯泡",
                voice_file_id="AwWishVoice",
                photo_file_id="AgWishPhoto",
                show_name=True,
            )
            claimed = Wish(
                grid_id=grid_id,
                building_id=bid,
                author_id=b,
                category=WishCategory.DAILY,
                text="想学用智能手机",
                status=WishStatus.CLAIMED,
                claimer_id=a,
                claimed_at=now,
            )
            mine = Complaint(
                grid_id=grid_id,
                building_id=bid,
                author_id=a,
                category=ComplaintCategory.REPAIRS,
                text="楼道灯坏了",
                voice_file_id="AwComplaintVoice",
                photo_file_ids=["AgComplaintPhoto"],
                latitude=31.2,
                longitude=121.5,
                status=ComplaintStatus.IN_PROGRESS,
            )
            theirs = Complaint(
                grid_id=grid_id,
                building_id=bid,
                author_id=b,
                category=ComplaintCategory.NOISE,
                text="夜里施工太吵",
            )
            topic = Topic(
                community_id=community_id,
                scope=Scope.GRID,
                grid_id=grid_id,
                author_id=a,
                title="加装电梯",
                description="老人上下楼不方便",
                description_voice="AwTopicVoice",
                state=TopicState.VOTING,
                support_count=2,
            )
            session.add_all([wish, claimed, mine, theirs, topic])
            await session.flush()
            vote = Vote(topic_id=topic.id, question="是否同意?", deadline=now + timedelta(days=1))
            session.add(vote)
            await session.flush()
            session.add_all(
                [
                    WishEvent(wish_id=wish.id, actor_id=a, action="posted", to_status="open"),
                    ComplaintEvent(
                        complaint_id=mine.id, actor_id=a, action="submitted", to_status="submitted"
                    ),
                    ComplaintEvent(
                        complaint_id=mine.id,
                        actor_id=None,
                        action="progress",
                        from_status="accepted",
                        to_status="in_progress",
                        note="物业已派人",
                    ),
                    ComplaintFollower(complaint_id=mine.id, resident_id=a, kind="author"),
                    ComplaintFollower(complaint_id=theirs.id, resident_id=b, kind="author"),
                    ComplaintFollower(complaint_id=theirs.id, resident_id=a, kind="metoo"),
                    TopicSupport(topic_id=topic.id, resident_id=a),
                    TopicSupport(topic_id=topic.id, resident_id=b),
                    TopicComment(
                        topic_id=topic.id, resident_id=a, text="支持", voice_file_id="AwComment"
                    ),
                    VoteOption(vote_id=vote.id, position=0, label="同意", votes=2),
                    VoteOption(vote_id=vote.id, position=1, label="反对", votes=0),
                    VoteBallot(vote_id=vote.id, resident_id=a),
                    VoteBallot(vote_id=vote.id, resident_id=b),
                    Activity(
                        community_id=community_id,
                        grid_id=grid_id,
                        title="清扫楼道",
                        place="1号楼",
                        starts_at=now - timedelta(days=3),
                        ends_at=now - timedelta(days=3) + timedelta(hours=2),
                        capacity=5,
                        seats_taken=1,
                        points=5,
                        checkin_code="445566",
                    ),
                    AuditLog(
                        actor_id=a,
                        actor_telegram_id=A,
                        action="rewards.cancel",
                        target_type="redemption",
                        target_id=1,
                        details={},
                    ),
                    # A broadcast A was told about, finished: the outbox sender leaves it
                    # alone. (Unfinished, the sender's next pass would report to its
                    # progress message 7, which no chat has: "message to edit not found",
                    # whenever that pass came before the deletion.)
                    OutboxMessage(
                        source="notice",
                        text="停水通知",
                        notify_resident_id=a,
                        progress_chat_id=A,
                        progress_message_id=7,
                        finished_at=now,
                    ),
                    OutboxMessage(
                        source="leaderboard",
                        text=f"🏆 第一网格\n1. {A_NAME} — 30\n2. {B_NAME} — 20",
                        finished_at=now,
                    ),
                    ChatBinding(chat_id=-100977, title="1号楼群", building_id=bid, bound_by_id=a),
                    Redemption(
                        resident_id=a,
                        item_id=item_id,
                        cost=10,
                        pickup_code="1234",
                        idempotency_key=f"redeem:{a}:seed",
                        expires_at=now + timedelta(days=14),
                    ),
                ]
            )
            await session.flush()
            activity_id = await session.scalar(select(func.max(Activity.id)))
            session.add(
                ActivitySignup(activity_id=activity_id, resident_id=a, status=SignupStatus.GOING)
            )
            await ledger.post(
                session, resident_id=a, delta=30, kind=LedgerKind.AWARD, idempotency_key="t:1"
            )
            await ledger.post(
                session,
                resident_id=a,
                delta=-10,
                kind=LedgerKind.REDEMPTION,
                idempotency_key=f"redeem:{a}:seed",
            )
            # A was a chief once and awarded B: the key holds A's private chat id.
            await ledger.post(
                session,
                resident_id=b,
                delta=20,
                kind=LedgerKind.AWARD,
                idempotency_key=f"award:{A}:99",
                actor_id=a,
            )
        return {
            "a": a,
            "b": b,
            "vote": vote.id,
            "complaint": mine.id,
            "wish": wish.id,
            "claimed": claimed.id,
            "item": item_id,
        }


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return None


async def identifying(
    h: Harness, telegram_id: int, name: str, username: str
) -> list[tuple[str, str]]:
    """Every (table, column) of every table that holds the name, username or Telegram id,
    as a value or inside a text or JSON value."""
    found: list[tuple[str, str]] = []
    async with h.db() as session:
        for table in Base.metadata.sorted_tables:
            for row in (await session.execute(select(table))).all():
                for column, value in zip(table.columns, row, strict=True):
                    if value is None or isinstance(value, bool):
                        continue
                    if isinstance(value, int) and value == telegram_id:
                        found.append((table.name, column.name))
                        continue
                    text = _text(value)
                    if text and (name in text or username in text or str(telegram_id) in text):
                        found.append((table.name, column.name))
    return found


async def open_menu(h: Harness, uid: int) -> Any:
    menu = await h.ask(uid, "/privacy")
    assert any("删除" in text for row in menu.buttons for text, _ in row), menu.buttons
    return menu


# --- tests ------------------------------------------------------------------------------------


def test_every_reference_to_a_resident_is_handled() -> None:
    """A new table pointing to residents must say what the export and deletion do."""
    references = {
        (table.name, fk.parent.name)
        for table in Base.metadata.sorted_tables
        for fk in table.foreign_keys
        if fk.column.table.name == "residents"
    }
    assert references == set(privacy_service.REFERENCES)


async def test_summary_and_download(h: Harness) -> None:
    await seed_world(h)
    menu = await open_menu(h, A)
    assert A_NAME in menu.text and f"@{A_USER}" in menu.text and str(A) in menu.text
    assert "第一网格 · 1号楼" in menu.text
    assert "微心愿 1 个" in menu.text and "认领别人的微心愿 1 个" in menu.text
    assert "诉求 1 件" in menu.text and "投票 1 次" in menu.text
    assert "积分明细 2 条" in menu.text and "兑换 1 次" in menu.text
    pressed = await h.press(A, menu, "下载")
    assert pressed.alert == "已发送"
    document = pressed.messages[-1]
    assert document.document and document.data["document"]["file_name"].endswith(".json")
    raw = h.emu.file_bytes(document.file_id)
    data = json.loads(raw)
    assert data["format"] == "linli.personal-data" and data["version"] == 1
    assert data["profile"]["name"] == A_NAME and data["profile"]["telegram_id"] == A
    assert data["profile"]["username"] == A_USER
    assert data["points"]["balance"] == 20 and len(data["points"]["ledger"]) == 2
    assert [w["text"] for w in data["wishes"]] == ["想请人帮忙换灯泡"]
    assert [w["status"] for w in data["wishes_claimed"]] == ["claimed"]
    assert data["complaints"][0]["text"] == "楼道灯坏了"
    assert [e["action"] for e in data["complaints"][0]["history"]] == ["submitted", "progress"]
    assert data["complaints_followed"][-1]["kind"] == "metoo"
    assert data["topics"][0]["title"] == "加装电梯" and data["topic_comments"][0]["text"] == "支持"
    assert data["votes"][0]["voted"] is True and "choice" not in json.dumps(data["votes"])
    assert data["redemptions"][0]["item"] == "大米一袋"
    assert data["activities"][0]["title"] == "清扫楼道"
    assert data["chat_bindings"][0]["chat_title"] == "1号楼群"
    assert data["audit_log"][0]["action"] == "rewards.cancel"
    # nothing of B: not their name, username, Telegram id, nor their wish's or complaint's text
    body = raw.decode("utf-8")
    for other in (B_NAME, B_USER, str(B), "想学用智能手机", "夜里施工太吵"):
        assert other not in body, other


async def test_leaderboard_choice_in_the_menu(h: Harness) -> None:
    await seed_world(h)
    menu = await open_menu(h, A)
    await h.press(A, menu, "排行榜")
    assert A_NAME in menu.text
    await h.press(A, menu, "邻居")
    assert "1号楼的邻居" in menu.text
    async with h.db() as session:
        choice = await session.get(PointsPrivacy, await rid_of(h, A))
        assert choice is not None and choice.as_neighbour
    # an unverified resident has no leaderboard entry in the menu
    h.emu.add_user(5799, "新来的")
    fresh = await h.ask(5799, "/privacy")
    assert not any("排行榜" in text for row in fresh.buttons for text, _ in row)
    forged = await h.press_data(5799, fresh, "yv:lb")
    assert forged.alert
    assert await h.count(PointsPrivacy) == 1


async def test_cancel_keeps_everything(h: Harness) -> None:
    await seed_world(h)
    before = await identifying(h, A, A_NAME, A_USER)
    menu = await open_menu(h, A)
    await h.press(A, menu, "删除我的账号")
    assert "不能恢复" in menu.text
    await h.press(A, menu, "不删除")
    assert "没有任何变化" in menu.text and not menu.buttons
    resident = await h.resident(A)
    assert resident is not None and resident.display_name == A_NAME and not resident.is_deleted
    assert await identifying(h, A, A_NAME, A_USER) == before


async def test_delete_account_leaves_nothing_identifying(h: Harness) -> None:
    ids = await seed_world(h)
    before = await identifying(h, A, A_NAME, A_USER)
    assert {"residents", "audit_log", "ledger_entries", "outbox_messages"} <= {
        t for t, _ in before
    }, before
    async with h.db() as session:
        events_before = await session.scalar(select(func.count()).select_from(ComplaintEvent))
        options_before = list(
            (await session.scalars(select(VoteOption.votes).order_by(VoteOption.id))).all()
        )
    menu = await open_menu(h, A)
    await h.press(A, menu, "删除我的账号")
    confirm_data = next(data for row in menu.buttons for text, data in row if "永久删除" in text)
    pressed = await h.press(A, menu, "永久删除")
    assert not pressed.alert
    assert "已经删除" in menu.text and not menu.buttons

    # nothing anywhere holds A's name, username or Telegram id
    assert await identifying(h, A, A_NAME, A_USER) == []
    # B is untouched
    assert ("residents", "display_name") in await identifying(h, B, B_NAME, B_USER)
    async with h.db() as session:
        gone = await session.get(Resident, ids["a"])
        assert gone is not None and gone.is_deleted and gone.status == ResidentStatus.BLOCKED
        assert gone.telegram_id == privacy_service.deleted_telegram_id(ids["a"])
        assert gone.display_name == "" and gone.username is None and gone.language is None
        # sums, turnout, totals and histories add up: the reserved rice was cancelled
        # before the erasure, its 10 points refunded by a ledger entry, the bag back in stock
        assert await ledger.balance(session, ids["a"]) == 30
        assert await ledger.cached_balance(session, ids["a"]) == 30
        reservation = await session.scalar(select(Redemption))
        assert reservation is not None and reservation.state == RedemptionState.CANCELLED
        refund = await session.scalar(
            select(LedgerEntry).where(LedgerEntry.kind == LedgerKind.REFUND)
        )
        assert refund is not None and refund.delta == 10 and refund.reference == "R1"
        rice = await session.get(RewardItem, ids["item"])
        assert rice is not None and rice.stock == 5
        # the wish A had claimed waits for another volunteer; B, who made it, is told
        claimed = await session.get(Wish, ids["claimed"])
        assert claimed is not None and claimed.status == WishStatus.OPEN
        assert claimed.claimer_id is None
        assert await session.scalar(select(func.count()).select_from(VoteBallot)) == 2
        options = list(await session.scalars(select(VoteOption.votes).order_by(VoteOption.id)))
        assert options == options_before
        assert (
            await session.scalar(select(func.count()).select_from(ComplaintEvent)) == events_before
        )
        complaint = await session.get(Complaint, ids["complaint"])
        assert complaint is not None and complaint.author_id == ids["a"]
        assert complaint.text == "楼道灯坏了" and complaint.photo_file_ids == []
        assert complaint.voice_file_id is None and complaint.latitude is None
        wish = await session.get(Wish, ids["wish"])
        assert wish is not None and wish.status == WishStatus.WITHDRAWN
        assert wish.photo_file_id is None and wish.voice_file_id is None and not wish.show_name
        assert await session.scalar(
            select(func.count()).select_from(AuditLog).where(AuditLog.action == "privacy.delete")
        )
        award = await session.scalar(select(LedgerEntry).where(LedgerEntry.resident_id == ids["b"]))
        assert award is not None and award.idempotency_key == f"erased:{award.id}"
        assert award.delta == 20 and award.actor_id == ids["a"]
        post = await session.scalar(
            select(OutboxMessage.text).where(OutboxMessage.source == "leaderboard")
        )
        assert post is not None and privacy_service.ERASED_NAME in post and B_NAME in post
    assert await balance_of(h, B) == (20, 20)
    await assert_ledger_consistent(h)
    told = h.emu.last_message(B)
    assert told is not None and "注销" in told.text and "W" in told.text

    # the old confirmation button does nothing: A is a stranger now
    again = await h.press_data(A, menu, confirm_data)
    assert "失效" in again.alert
    assert await h.count(Resident, Resident.deleted_at.is_not(None)) == 1
    # a new /start is a fresh registration
    start = await h.ask(A, "/start")
    assert "网格" in start.text and any("第一网格" in t for row in start.buttons for t, _ in row)
    fresh = await h.resident(A)
    assert fresh is not None and fresh.id != ids["a"] and not fresh.is_verified
    # the deleted resident appears on leaderboards as a neighbour, never by name
    board = await h.ask(B, "/leaderboard")
    assert A_NAME not in board.text and "1号楼的邻居" in board.text


async def test_chiefs_and_admins_must_hand_over_first(h: Harness) -> None:
    for chief, expected in ((B1_CHIEF, "楼栋长或网格长"), (ADMIN_ID, "管理员")):
        menu = await h.ask(chief, "/privacy")
        pressed = await h.press(chief, menu, "删除我的账号")
        assert expected in pressed.alert
        rid = await rid_of(h, chief)
        minute = int(datetime.now(UTC).timestamp() // 60)
        forged = await h.press_data(chief, menu, f"yd:{rid}:{minute}:1")
        assert expected in forged.alert
        resident = await h.resident(chief)
        assert resident is not None and not resident.is_deleted and resident.display_name
    assert await h.count(Resident, Resident.deleted_at.is_not(None)) == 0
    # GRID1_CHIEF is untouched too
    assert (await h.resident(GRID1_CHIEF)) is not None


async def test_pending_resident_can_delete(h: Harness) -> None:
    h.emu.add_user(5798, "待审核的人", username="pending_x")
    await h.ask(5798, "/start")
    menu = await h.ask(5798, "/privacy")
    assert "待审核" in menu.text
    await h.press(5798, menu, "删除我的账号")
    await h.press(5798, menu, "永久删除")
    assert "已经删除" in menu.text
    assert await identifying(h, 5798, "待审核的人", "pending_x") == []


async def test_forged_stale_and_unknown_buttons(h: Harness) -> None:
    await seed_world(h)
    a = await rid_of(h, A)
    menu = await open_menu(h, A)
    await h.press(A, menu, "删除我的账号")
    minute = int(datetime.now(UTC).timestamp() // 60)
    # B presses a button made for A (or forges one with A's id)
    other = await h.press_data(B, menu, f"yd:{a}:{minute}:1")
    assert "失效" in other.alert
    # an old confirmation (older than PRIVACY_DELETE_CONFIRM_MINUTES) and one from the future
    for stale in (f"yd:{a}:{minute - 60}:1", f"yd:{a}:{minute + 5}:1"):
        pressed = await h.press_data(A, menu, stale)
        assert "失效" in pressed.alert, stale
    for unknown in ("yv:zzz", "yd:abc", "yd:1:2", "yv"):
        pressed = await h.press_data(A, menu, unknown)
        assert pressed.alert, unknown
    assert await h.count(Resident, Resident.deleted_at.is_not(None)) == 0
    resident = await h.resident(A)
    assert resident is not None and resident.display_name == A_NAME


async def _finished_complaint(
    h: Harness, *, anonymous: bool, closed_days_ago: int | None, status: ComplaintStatus
) -> int:
    building = await h.building("第一网格", "1号楼")
    now = datetime.now(UTC)
    async with h.db() as session:
        complaint = Complaint(
            grid_id=building.grid_id,
            building_id=building.id,
            category=ComplaintCategory.SAFETY,
            anonymous=anonymous,
            text="隔壁在楼道堆放煤气罐",
            voice_file_id="AwVoice",
            photo_file_ids=["AgPhoto1", "AgPhoto2"],
            location_text="3单元",
            rating_comment="处理得很好" if anonymous else None,
            status=status,
            closed_at=now - timedelta(days=closed_days_ago) if closed_days_ago else None,
        )
        session.add(complaint)
        await session.commit()
        return complaint.id


async def test_retention_job_purges_only_old_finished_complaints(h: Harness) -> None:
    days = h.settings.privacy.retention_days
    old_anonymous = await _finished_complaint(
        h, anonymous=True, closed_days_ago=days + 1, status=ComplaintStatus.CLOSED
    )
    old_named = await _finished_complaint(
        h, anonymous=False, closed_days_ago=days + 30, status=ComplaintStatus.REJECTED
    )
    recent = await _finished_complaint(
        h, anonymous=True, closed_days_ago=days - 1, status=ComplaintStatus.CLOSED
    )
    still_open = await _finished_complaint(
        h, anonymous=True, closed_days_ago=None, status=ComplaintStatus.IN_PROGRESS
    )
    now = datetime.now(UTC)
    assert await h.run_job("privacy.retention", now=now) == 2
    assert await h.run_job("privacy.retention", now=now) == 0
    async with h.db() as session:
        anon = await session.get(Complaint, old_anonymous)
        assert anon is not None and anon.text == privacy_service.RETENTION_MARKER
        assert anon.photo_file_ids == [] and anon.voice_file_id is None
        assert anon.rating_comment is None and anon.location_text is None
        named = await session.get(Complaint, old_named)
        assert named is not None and named.text == "隔壁在楼道堆放煤气罐"
        assert named.photo_file_ids == [] and named.voice_file_id is None
        assert named.location_text == "3单元"
        for kept_id in (recent, still_open):
            kept = await session.get(Complaint, kept_id)
            assert kept is not None and kept.text == "隔壁在楼道堆放煤气罐"
            assert kept.photo_file_ids == ["AgPhoto1", "AgPhoto2"] and kept.voice_file_id
        runs = list(
            (
                await session.scalars(
                    select(AuditLog).where(AuditLog.action == "privacy.retention")
                )
            ).all()
        )
        assert [run.details["complaints"] for run in runs] == [2]
    # later, the recent one is old enough too
    assert await h.run_job("privacy.retention", now=now + timedelta(days=2)) == 1


async def test_anonymous_complaint_text_is_not_logged(
    h: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    await h.add_resident(A, "第一网格", "1号楼", name=A_NAME)
    caplog.set_level(logging.INFO)
    secret = "三楼的王某每晚在楼道抽烟"
    await file_complaint(h, A, secret, anonymous=True)
    assert await h.count(Complaint, Complaint.text == secret) == 1
    assert secret not in caplog.text


def test_debug_logging_does_not_dump_sql_parameters() -> None:
    """At LOG_LEVEL=DEBUG aiosqlite/asyncpg/SQLAlchemy log statement parameters, i.e.
    complaint texts."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        setup_logging("DEBUG")
        for name in ("aiosqlite", "asyncpg", "sqlalchemy.engine"):
            assert not logging.getLogger(name).isEnabledFor(logging.DEBUG), name
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)


async def test_append_only_tables_allow_only_the_erasure(h: Harness) -> None:
    """Migration 0008: audit_log and ledger_entries still refuse every change but one."""
    await seed_world(h)
    forbidden = (
        update(AuditLog).values(action="forged"),
        update(AuditLog).values(actor_telegram_id=42),
        update(AuditLog).values(actor_telegram_id=None, action="forged"),
        update(LedgerEntry).values(delta=1000),
        update(LedgerEntry).values(idempotency_key="forged"),
        update(LedgerEntry).values(idempotency_key="erased:x", reason="forged"),
        delete(AuditLog),
        delete(LedgerEntry),
    )
    for statement in forbidden:
        async with h.db() as session:
            with pytest.raises(DBAPIError, match="append-only"):
                async with write_transaction(session):
                    await session.execute(statement)
    async with h.db() as session, write_transaction(session):
        await session.execute(update(AuditLog).values(actor_telegram_id=None))
        await session.execute(
            update(LedgerEntry)
            .where(LedgerEntry.idempotency_key == "t:1")
            .values(idempotency_key="erased:t1")
        )
    assert await h.count(AuditLog, AuditLog.actor_telegram_id.is_not(None)) == 0
    assert await h.count(LedgerEntry, LedgerEntry.idempotency_key == "erased:t1") == 1
    await assert_ledger_consistent(h)


async def test_double_tap_on_delete_deletes_once(h: Harness) -> None:
    await seed_world(h)
    menu = await open_menu(h, A)
    await h.press(A, menu, "删除我的账号")
    data = next(data for row in menu.buttons for text, data in row if "永久删除" in text)
    assert data is not None
    ups = [h.emu.push_callback(A, menu, data) for _ in range(5)]
    await asyncio.gather(*(h.wait_handled(u.update_id) for u in ups))
    assert await h.count(Resident, Resident.deleted_at.is_not(None)) == 1
    assert await h.count(AuditLog, AuditLog.action == "privacy.delete") == 1
    assert "已经删除" in menu.text
    await assert_ledger_consistent(h)


async def test_deletion_gives_upcoming_seats_to_the_waiting_list(h: Harness) -> None:
    from tests.support_points import create_activity, join_activity, signup_status

    waiting = 5797
    await h.add_resident(A, "第一网格", "1号楼", name="张三")
    await h.add_resident(waiting, "第一网格", "2号楼", name="等位的人")
    activity_id = await create_activity(h, capacity=1)
    await join_activity(h, A)
    await join_activity(h, waiting)
    assert await signup_status(h, activity_id, A) == SignupStatus.GOING
    assert await signup_status(h, activity_id, waiting) == SignupStatus.WAITING
    menu = await h.ask(A, "/privacy")
    await h.press(A, menu, "删除我的账号")
    await h.press(A, menu, "永久删除")
    assert "已经删除" in menu.text
    assert await signup_status(h, activity_id, waiting) == SignupStatus.GOING
    told = h.emu.last_message(waiting)
    assert told is not None and "清扫楼道" in (told.text or "")
    async with h.db() as session:
        activity = await session.get(Activity, activity_id)
        assert activity is not None and activity.seats_taken == 1


async def test_erased_people_appear_as_a_former_resident(h: Harness) -> None:
    """Where a card, a list or an export names a person, a deleted account reads "a former
    resident": never an empty name, and never the placeholder Telegram id its row keeps
    (a chief's lists used to show "-4611686018427387913")."""
    ids = await seed_world(h)
    building = await h.building("第一网格", "1号楼")
    async with h.db() as session, write_transaction(session):
        fulfilled = Wish(
            grid_id=building.grid_id,
            building_id=building.id,
            author_id=ids["b"],
            category=WishCategory.DAILY,
            text="想请人修一下门锁",
            status=WishStatus.FULFILLED,
            claimer_id=ids["a"],
            points=5,
        )
        session.add(fulfilled)
        await session.flush()
        fulfilled_code = fulfilled.code
    menu = await open_menu(h, A)
    await h.press(A, menu, "删除我的账号")
    await h.press(A, menu, "永久删除")
    placeholder = str(privacy_service.deleted_telegram_id(ids["a"]))

    # the chief's card of A's complaint
    queue = await h.ask(GRID1_CHIEF, "/queue")
    card = (await h.press(GRID1_CHIEF, queue, f"C{ids['complaint']}")).messages[-1]
    assert "一位前居民" in card.text and placeholder not in card.text
    # B's card of the wish A fulfilled
    listing = await h.ask(B, "/my")
    wish_card = (await h.press(B, listing, fulfilled_code)).messages[-1]
    assert "一位前居民" in wish_card.text and placeholder not in wish_card.text
    # the points export: a labelled row, no Telegram id at all
    export = await h.ask(GRID1_CHIEF, "/export points")
    assert export.document
    rows = h.emu.file_bytes(export.file_id).decode("utf-8-sig")
    assert people_service.FORMER_RESIDENT_LABEL in rows and placeholder not in rows
    assert "-46" not in rows and A_NAME not in rows
    # the cockpit
    async with h.db() as session:
        shown = await cockpit_service.people(session, [ids["a"], ids["b"]])
    assert h.app is not None
    texts = Texts(h.app.translator, "en", h.settings.tz)
    assert texts.person(shown[ids["a"]]) == "a former resident"
    assert texts.person(shown[ids["b"]]) == B_NAME


async def test_retention_leaves_no_copy_anywhere(h: Harness) -> None:
    """After the purge, no table holds the words of an old anonymous complaint (its text,
    its rating comment, also as copied into its history, a reopen reason) nor any photo of
    an old complaint, the chiefs' result photos included (found by scanning every column of
    every table)."""
    days = h.settings.privacy.retention_days
    secrets = ("隔壁在楼道堆放煤气罐", "处理得很好", "3单元", "又堆上了", "已清走煤气罐")
    media = ("AgPhoto1", "AgPhoto2", "AwVoice", "AgResult", "AgNamedResult")
    anonymous = await _finished_complaint(
        h, anonymous=True, closed_days_ago=days + 1, status=ComplaintStatus.CLOSED
    )
    named = await _finished_complaint(
        h, anonymous=False, closed_days_ago=days + 1, status=ComplaintStatus.CLOSED
    )
    async with h.db() as session, write_transaction(session):
        other = await session.get(Complaint, named)
        assert other is not None
        other.text, other.location_text = "东门路灯不亮", "东门"  # its words are kept
        session.add_all(
            [
                ComplaintEvent(complaint_id=anonymous, action="reopened", note="又堆上了"),
                ComplaintEvent(
                    complaint_id=anonymous,
                    action="resolved",
                    note="已清走煤气罐",
                    photo_file_id="AgResult",
                ),
                ComplaintEvent(complaint_id=anonymous, action="rated", rating=5),
                ComplaintEvent(complaint_id=anonymous, action="commented", note="处理得很好"),
                ComplaintEvent(
                    complaint_id=named,
                    action="resolved",
                    note="已修好",
                    photo_file_id="AgNamedResult",
                ),
            ]
        )
    assert await h.run_job("privacy.retention") == 2

    found: list[tuple[str, str, str]] = []
    async with h.db() as session:
        for table in Base.metadata.sorted_tables:
            for row in (await session.execute(select(table))).all():
                for column, value in zip(table.columns, row, strict=True):
                    text = _text(value)
                    found += [
                        (table.name, column.name, needle)
                        for needle in (*secrets, *media)
                        if text and needle in text
                    ]
    assert found == [], found
    async with h.db() as session:
        kept = await session.get(Complaint, named)
        assert kept is not None and (kept.text, kept.location_text) == ("东门路灯不亮", "东门")
        notes = (
            await session.execute(
                select(ComplaintEvent.action, ComplaintEvent.note)
                .where(ComplaintEvent.complaint_id.in_((anonymous, named)))
                .order_by(ComplaintEvent.id)
            )
        ).all()
        marker = privacy_service.RETENTION_MARKER
        assert [tuple(n) for n in notes] == [
            ("reopened", marker),
            ("resolved", marker),
            ("rated", ""),
            ("commented", marker),
            ("resolved", "已修好"),
        ]
