"""/points, /award, /gift, /privacy, /leaderboard, the monthly posting and /export."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from linli.bot.i18n import Translator
from linli.config import Settings
from linli.models import AuditLog, Grid
from linli.models.notices import OutboxDelivery, OutboxMessage
from linli.models.points import (
    Activity,
    ActivitySignup,
    FundEntry,
    GiftRecipient,
    LeaderboardPost,
    LedgerEntry,
    LedgerKind,
)
from tests.support import ADMIN_ID, B1_CHIEF, GRID1_CHIEF, GRID2_CHIEF, Harness
from tests.support_points import assert_ledger_consistent, balance_of, credit

A, B, C = 5501, 5502, 5503
GROUP = -100200


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """A small monthly award bound, so the test reaches it in a few messages."""
    points = settings.points.model_copy(update={"award_monthly_max": 100})
    return settings.model_copy(update={"points": points})


def test_zh_and_en_have_the_same_points_messages() -> None:
    translator = Translator("zh")
    zh = {k for k in translator.keys("zh") if k.split("-")[0] in _PREFIXES}
    en = {k for k in translator.keys("en") if k.split("-")[0] in _PREFIXES}
    assert zh == en and len(zh) > 150


_PREFIXES = {"points", "board", "privacy", "gift", "activities", "rewards", "award", "export"}


async def test_points_summary_and_history(h: Harness) -> None:
    await h.add_resident(A, "第一网格", "1号楼")
    for n in range(12):
        await credit(h, A, n + 1)
    reply = await h.ask(A, "/points")
    assert "78" in reply.text and "第一网格" in reply.text
    assert reply.text.count("奖励") == 10
    await h.press(A, reply, "全部积分明细")
    assert "1/2" in reply.text
    await h.press(A, reply, "下一页")
    assert "2/2" in reply.text and reply.text.count("奖励") == 2
    pressed = await h.press_data(A, reply, "ph:9")
    assert pressed.alert


async def test_award_and_its_bounds(h: Harness) -> None:
    await h.add_resident(A, "第一网格", "1号楼")
    h.emu.add_user(A, "张三", username="zhangsan")
    await h.add_resident(B, "第二网格", "4号楼")
    usage = await h.ask(GRID1_CHIEF, f"/award {A} 10")
    assert "/award" in usage.text and "最多 50 分" in usage.text
    done = await h.ask(GRID1_CHIEF, f"/award {A} 10 帮孤寡老人买菜")
    assert "+10" in done.text
    told = h.emu.last_message(A)
    assert "帮孤寡老人买菜" in told.text and "+10" in told.text
    for text, expected in (
        (f"/award {A} 51 太多", "最多 50"),
        (f"/award {A} -5 扣分", "请输入 1 到 50 之间的整数"),
        (f"/award {A} abc 原因", "「abc」不是有效的积分数"),
        (f"/award {A} 0 零分", "「0」不是有效的积分数"),
        (f"/award {B} 5 别的网格", "范围"),
        ("/award 999999 5 不存在", "没有找到"),
    ):
        reply = await h.ask(GRID1_CHIEF, text)
        assert expected in reply.text, (text, reply.text)
    refused = await h.ask(A, f"/award {A} 5 给自己")
    assert "网格长" in refused.text
    refused = await h.ask(B1_CHIEF, f"/award {A} 5 楼栋长")
    assert "网格长" in refused.text
    assert await balance_of(h, A) == (10, 10)
    assert await h.count(AuditLog, AuditLog.action == "points.award") == 1
    # the monthly bound (100 in this test)
    await h.ask(GRID1_CHIEF, f"/award {A} 50 活动")
    over = await h.ask(GRID1_CHIEF, f"/award {A} 50 再来")
    assert "本月还能奖励 40" in over.text
    assert await balance_of(h, A) == (60, 60)
    # an admin correction is a new reversing entry
    fixed = await h.ask(ADMIN_ID, "/award correct @zhangsan -20 重复发放")
    assert "-20" in fixed.text
    assert await balance_of(h, A) == (40, 40)
    assert await h.count(LedgerEntry, LedgerEntry.kind == LedgerKind.CORRECTION) == 1
    refused = await h.ask(GRID2_CHIEF, f"/award correct {A} -10 网格长不能更正")
    assert "管理员" in refused.text or "权限" in refused.text
    await assert_ledger_consistent(h)


async def test_gift_to_care_fund_and_family(h: Harness) -> None:
    await h.add_resident(A, "第一网格", "1号楼")
    await credit(h, A, 30)
    menu = await h.ask(A, "/gift")
    assert "30" in menu.text
    await h.press(A, menu, "爱心基金")
    await h.press(A, menu, "10 分")
    assert "还剩 20" in menu.text
    data = menu.button("确认")
    await h.press_data(A, menu, data)
    assert "谢谢" in menu.text
    again = await h.press_data(A, menu, data)
    assert "已经完成" in again.alert
    assert await balance_of(h, A) == (20, 20)
    # the admin lists a family and sees what each recipient has received
    admin_menu = await h.ask(ADMIN_ID, "/gift")
    assert "爱心基金：10 分" in admin_menu.text
    await h.press(ADMIN_ID, admin_menu, "添加受助家庭")
    await h.ask(ADMIN_ID, "3号楼张奶奶家")
    assert await h.count(GiftRecipient) == 2
    # a typed amount: bad input first
    menu = await h.ask(A, "/gift")
    await h.press(A, menu, "张奶奶家")
    await h.press(A, menu, "其他数量")
    for text, expected in (
        ("abc", "「abc」不是有效的积分数"),
        ("-5", "1 到 1,000,000 之间的整数"),
        ("25", "积分不够"),
    ):
        reply = await h.ask(A, text)
        assert expected in reply.text, text
    confirm = await h.ask(A, "20")
    await h.press(A, confirm, "确认")
    assert await balance_of(h, A) == (0, 0)
    async with h.db() as session:
        received = (await session.scalars(select(FundEntry.delta))).all()
    assert sorted(received) == [10, 20]
    assert await h.count(LedgerEntry, LedgerEntry.kind == LedgerKind.GIFT) == 2
    # nothing left: a forged confirmation for more than the balance changes nothing
    pressed = await h.press_data(A, confirm, "pc:1:5:feedbeef")
    assert "积分不够" in pressed.alert
    assert await h.count(LedgerEntry, LedgerEntry.kind == LedgerKind.GIFT) == 2
    await assert_ledger_consistent(h)


async def test_leaderboard_privacy_and_group(h: Harness) -> None:
    await h.add_resident(A, "第一网格", "1号楼", name="张三")
    await h.add_resident(B, "第一网格", "2号楼", name="李四")
    await h.add_resident(C, "第二网格", "4号楼", name="王五")
    await credit(h, A, 30)
    await credit(h, B, 50)
    await credit(h, C, 80)
    # spending does not lower a rank
    await credit(h, B, -40, kind=LedgerKind.GIFT)
    board = await h.ask(A, "/leaderboard")
    assert board.text.index("李四") < board.text.index("张三")
    assert "王五" not in board.text
    assert "第 2 名" in board.text
    await h.press(A, board, "全社区")
    assert "王五" in board.text and "第 3 名" in board.text
    await h.press(A, board, "累计")
    assert "王五" in board.text
    # A chooses to appear as a neighbour of their building
    choice = await h.ask(A, "/privacy")
    await h.press(A, choice, "排行榜")
    await h.press(A, choice, "邻居")
    board = await h.ask(B, "/leaderboard")
    assert "张三" not in board.text and "1号楼的邻居" in board.text
    # in a bound grid group
    h.emu.add_group(GROUP, "第一网格群", admins=[GRID1_CHIEF], members=[B])
    question = await h.ask(GRID1_CHIEF, "/bind", chat_id=GROUP)
    await h.press(GRID1_CHIEF, question, "网格: 第一网格")
    group_board = await h.ask(B, "/leaderboard", chat_id=GROUP)
    assert "李四" in group_board.text and "王五" not in group_board.text
    assert "1号楼的邻居" in group_board.text and "您的排名" not in group_board.text


async def test_monthly_leaderboard_posted_once_per_group(h: Harness) -> None:
    await h.add_resident(A, "第一网格", "1号楼", name="张三")
    await h.add_resident(B, "第一网格", "2号楼", name="李四")
    await credit(h, A, 30)
    await credit(h, B, 20)
    h.emu.add_group(GROUP, "第一网格群", admins=[GRID1_CHIEF])
    question = await h.ask(GRID1_CHIEF, "/bind", chat_id=GROUP)
    await h.press(GRID1_CHIEF, question, "网格: 第一网格")
    h.emu.add_group(GROUP - 1, "第二网格群", admins=[GRID2_CHIEF])
    question = await h.ask(GRID2_CHIEF, "/bind", chat_id=GROUP - 1)
    await h.press(GRID2_CHIEF, question, "网格: 第二网格")
    # the job runs on the 1st of next month at 09:00 community time
    local = datetime.now(h.settings.tz)
    first = (local.replace(day=1) + timedelta(days=32)).replace(
        day=1, hour=9, minute=0, second=0, microsecond=0
    )
    assert await h.run_job("points.monthly_leaderboard", now=first) == 2
    assert await h.run_job("points.monthly_leaderboard", now=first) == 0
    await h.drain_outbox()  # the posts go out through the outbox
    assert await h.run_job("points.monthly_leaderboard", now=first) == 0
    posted = h.emu.last_message(GROUP)
    assert posted is not None and posted.photo
    assert "张三" in posted.caption and "李四" in posted.caption
    assert posted.caption.index("张三") < posted.caption.index("李四")
    assert local.strftime("%Y-%m") in posted.caption
    png = h.emu.file_bytes(posted.file_id)
    assert png.startswith(b"\x89PNG")
    quiet = h.emu.last_message(GROUP - 1)
    assert quiet is not None and not quiet.photo and "还没有人" in quiet.text
    assert await h.count(LeaderboardPost) == 2
    # one outbox message and one delivery per group, whose message id is remembered
    async with h.db() as session:
        messages = (
            await session.scalars(
                select(OutboxMessage).where(OutboxMessage.source == "leaderboard")
            )
        ).all()
        deliveries = (await session.scalars(select(OutboxDelivery))).all()
        posts = {p.chat_id: p for p in (await session.scalars(select(LeaderboardPost))).all()}
    assert len(messages) == 2 and sorted(d.chat_id for d in deliveries) == [GROUP - 1, GROUP]
    assert [m.media_kind for m in messages if m.source_id == posts[GROUP].id] == ["photo"]
    assert posts[GROUP].message_id == posted.message_id
    assert posts[GROUP - 1].message_id == quiet.message_id
    assert len([m for m in h.emu.messages(GROUP) if m.photo]) == 1


async def test_export_points_csv(h: Harness) -> None:
    await h.add_resident(A, "第一网格", "1号楼", name="张三")
    await h.add_resident(C, "第二网格", "4号楼", name="王五")
    await credit(h, A, 30)
    await credit(h, C, 20)
    reply = await h.ask(GRID1_CHIEF, "/export points")
    assert reply.document
    data = h.emu.file_bytes(reply.file_id)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][0] == "entry_id" and len(rows) == 2  # grid chief: their grid only
    assert rows[1][3] == "张三" and rows[1][6] == "30"
    reply = await h.ask(ADMIN_ID, "/export points all")
    rows = list(csv.reader(io.StringIO(h.emu.file_bytes(reply.file_id).decode("utf-8-sig"))))
    assert {row[3] for row in rows[1:]} == {"张三", "王五"}
    month = datetime.now(UTC).strftime("%Y")
    reply = await h.ask(ADMIN_ID, f"/export points {month}")
    assert reply.document and re.search(r"\b2\b", reply.caption or "")
    for bad in ("/export", "/export wishes", "/export points 2026-13", "/export points soon"):
        reply = await h.ask(ADMIN_ID, bad)
        assert not reply.document and ("用法" in reply.text or "看不懂" in reply.text), bad
    refused = await h.ask(A, "/export points")
    assert not refused.document and "网格长" in refused.text


async def test_check_in_deep_link(h: Harness) -> None:
    """`t.me/<bot>?start=checkin_<code>` (the QR link shown to the chief)."""
    await h.add_resident(A, "第一网格", "1号楼")
    now = datetime.now(UTC)
    async with h.db() as session:
        grid = await session.scalar(select(Grid).where(Grid.name == "第一网格"))
        assert grid is not None
        session.add(
            Activity(
                community_id=grid.community_id,
                grid_id=grid.id,
                title="义诊",
                place="活动室",
                starts_at=now - timedelta(minutes=5),
                ends_at=now + timedelta(hours=1),
                capacity=5,
                seats_taken=0,
                points=5,
                checkin_code="112233",
            )
        )
        await session.commit()
    reply = await h.ask(A, "/start checkin_112233")
    assert "签到成功" in reply.text
    assert await h.count(ActivitySignup, ActivitySignup.attended_at.is_not(None)) == 1


async def test_points_rank_in_grid_shares_ties_and_ignores_spending_and_other_grids(
    h: Harness,
) -> None:
    D = 5504
    await h.add_resident(A, "第一网格", "1号楼")
    await h.add_resident(B, "第一网格", "2号楼")
    await h.add_resident(C, "第二网格", "4号楼")
    await h.add_resident(D, "第一网格", "3号楼")
    await credit(h, A, 20)
    await credit(h, B, 20)
    await credit(h, D, 10)
    await credit(h, C, 90)  # another grid: does not count
    await credit(h, A, -15, kind=LedgerKind.GIFT)  # spending does not lower a rank
    assert "第一网格的排名：1" in (await h.ask(A, "/points")).text
    assert "第一网格的排名：1" in (await h.ask(B, "/points")).text
    assert "第一网格的排名：3" in (await h.ask(D, "/points")).text
    assert "第二网格的排名：1" in (await h.ask(C, "/points")).text
