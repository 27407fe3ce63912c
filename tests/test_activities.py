"""Volunteer activities: the creation flow, sign-up with a waiting list, reminders, check-in
and crediting points once."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from sqlalchemy import select

from linli.models import Grid
from linli.models.points import (
    Activity,
    ActivitySignup,
    ActivityState,
    LedgerEntry,
    LedgerKind,
    SignupStatus,
)
from tests.support import GRID1_CHIEF, GRID2_CHIEF, Harness
from tests.support_points import (
    assert_ledger_consistent,
    balance_of,
    create_activity,
    db_activity,
    join_activity,
    set_language,
    signup_status,
)

A, B, C = 5201, 5202, 5203
OTHER_GRID = 5299


async def test_create_activity_flow(h: Harness) -> None:
    """Two typed messages (title, place); the start from the date picker, the rest from
    buttons; each bad answer is explained with its limit, and each question's buttons
    retire once it is answered."""
    first = await h.ask(GRID1_CHIEF, "/activity_new")
    assert "名称" in first.text and "最多 100 个字" in first.text
    too_long = await h.send(GRID1_CHIEF, "长" * 101)
    assert "101 个字，最多 100 个字" in too_long[0].text
    assert not first.buttons  # asked again: the old question retired
    await h.ask(GRID1_CHIEF, "清扫楼道")
    when = await h.ask(GRID1_CHIEF, "1号楼门口")
    assert "什么时候开始" in when.text and when.has_button("后天") and when.has_button("取消")
    bad = await h.send(GRID1_CHIEF, "明天早上")
    assert "看不懂时间「明天早上」" in bad[0].text and "12-08 09:00" in bad[0].text
    assert not when.buttons
    when = bad[-1]
    sticker = await h.send(GRID1_CHIEF, sticker=True)
    assert "看不懂时间" in sticker[0].text
    when = sticker[-1]
    await h.press(GRID1_CHIEF, when, "后天")
    assert when.has_button("09:00") and when.has_button("换一天") and when.has_button("取消")
    await h.press(GRID1_CHIEF, when, "09:00")
    assert "多长时间" in when.text and "最多 8 小时" in when.text  # the same message, next step
    await h.press(GRID1_CHIEF, when, "2 小时")
    assert "需要多少人" in when.text
    bad = await h.send(GRID1_CHIEF, "-3")
    assert "「-3」不是有效的数字。请输入 1 到 10,000 之间的整数" in bad[0].text
    assert not when.buttons
    basis = await h.ask(GRID1_CHIEF, "2")
    await h.press(GRID1_CHIEF, basis, "按小时")
    assert "每小时给多少分" in basis.text and "0 到 20 分" in basis.text
    assert basis.has_button("20 分") and not basis.has_button("50 分")
    bad = await h.send(GRID1_CHIEF, "21")
    assert "0 到 20 之间的整数" in bad[0].text
    preview = await h.ask(GRID1_CHIEF, "5")
    assert "清扫楼道" in preview.text and "2 小时" in preview.text and "每小时 5 分" in preview.text
    assert await h.count(Activity) == 0
    await h.press(GRID1_CHIEF, preview, "确认")
    assert "已发布" in preview.text and not preview.buttons
    async with h.db() as session:
        activity = await session.scalar(select(Activity))
        grid = await session.scalar(select(Grid).where(Grid.name == "第一网格"))
    assert activity is not None and grid is not None
    assert (activity.capacity, activity.points, activity.per_hour) == (2, 5, True)
    assert activity.grid_id == grid.id
    assert activity.ends_at - activity.starts_at == timedelta(hours=2)
    start = activity.starts_at.astimezone(h.settings.tz)
    day_after = (datetime.now(h.settings.tz) + timedelta(days=2)).date()
    assert (start.date(), start.strftime("%H:%M")) == (day_after, "09:00")


async def test_create_activity_typed_date_and_buttons(h: Harness) -> None:
    """A typed date still works (明天下午3点); the length, places and points from buttons;
    the English texts count with plurals."""
    await h.ask(GRID1_CHIEF, "/activity_new")
    await h.ask(GRID1_CHIEF, "义诊")
    await h.ask(GRID1_CHIEF, "活动室")
    ask = await h.ask(GRID1_CHIEF, "明天下午3点")
    too_long = await h.send(GRID1_CHIEF, "9")
    assert "最多 8 小时" in too_long[0].text
    ask = await h.ask(GRID1_CHIEF, "1.5")
    await h.press(GRID1_CHIEF, ask, "10 人")
    await h.press(GRID1_CHIEF, ask, "按次计分")
    await h.press(GRID1_CHIEF, ask, "5 分")
    assert "参加一次 5 分" in ask.text and "名额：10 人" in ask.text
    await h.press(GRID1_CHIEF, ask, "确认")
    async with h.db() as session:
        activity = await session.scalar(select(Activity))
    assert activity is not None
    start = activity.starts_at.astimezone(h.settings.tz)
    tomorrow = (datetime.now(h.settings.tz) + timedelta(days=1)).date()
    assert (start.date(), start.strftime("%H:%M")) == (tomorrow, "15:00")
    assert activity.ends_at - activity.starts_at == timedelta(hours=1.5)
    assert (activity.capacity, activity.points, activity.per_hour) == (10, 5, False)
    # in English
    await set_language(h, GRID1_CHIEF, "en")
    listing = await h.ask(GRID1_CHIEF, "/activities")
    card = (await h.press(GRID1_CHIEF, listing, "义诊")).messages[-1]
    assert "5 points per attendance" in card.text


async def test_activity_draft_gone_answers_start_again(h: Harness) -> None:
    """Confirm (and any step's button) pressed after the draft is gone: "start again",
    nothing created."""
    await h.ask(GRID1_CHIEF, "/activity_new")
    await h.ask(GRID1_CHIEF, "清扫楼道")
    await h.ask(GRID1_CHIEF, "1号楼门口")
    ask = await h.ask(GRID1_CHIEF, "后天 9点")
    await h.press(GRID1_CHIEF, ask, "2 小时")
    await h.press(GRID1_CHIEF, ask, "10 人")
    await h.press(GRID1_CHIEF, ask, "按次计分")
    await h.press(GRID1_CHIEF, ask, "5 分")
    confirm = ask.button("确认")
    await h.ask(GRID1_CHIEF, "/cancel")  # or the storage expired, or another device
    pressed = await h.press_data(GRID1_CHIEF, ask, confirm)
    assert "请重新开始" in pressed.alert
    for data in ("an:hours:2", "an:points:5", "an:basis:flat", "wp:activity:20301208:0900"):
        pressed = await h.press_data(GRID1_CHIEF, ask, data)
        assert "请重新开始" in pressed.alert, data
    assert await h.count(Activity) == 0


async def test_residents_cannot_create_activities(h: Harness) -> None:
    await h.add_resident(A, "第一网格", "1号楼")
    reply = await h.ask(A, "/activity_new")
    assert "网格长" in reply.text
    pressed = await h.press_data(A, reply, "an:start")
    assert pressed.alert


async def test_capacity_and_waiting_list(h: Harness) -> None:
    for user in (A, B, C):
        await h.add_resident(user, "第一网格", "1号楼", name=f"居民{user}")
    await h.add_resident(OTHER_GRID, "第二网格", "4号楼")
    activity_id = await create_activity(h, capacity=2)
    assert "报名成功" in await join_activity(h, A)
    assert "报名成功" in await join_activity(h, B)
    assert "候补" in await join_activity(h, C)
    assert await signup_status(h, activity_id, C) == SignupStatus.WAITING
    # another grid does not see it, and a forged button is refused
    listing = await h.ask(OTHER_GRID, "/activities")
    assert "清扫楼道" not in str(listing.buttons)
    pressed = await h.press_data(OTHER_GRID, listing, f"aj:{activity_id}")
    assert "范围" in pressed.alert
    # signing up twice is refused
    card = h.emu.last_message(A)
    pressed = await h.press_data(A, card, f"aj:{activity_id}")
    assert "报过名" in pressed.alert
    # A leaves: C moves up and is told
    listing = await h.ask(A, "/activities")
    await h.press(A, listing, "清扫楼道")
    card = h.emu.last_message(A)
    await h.press(A, card, "取消报名")
    assert await signup_status(h, activity_id, A) == SignupStatus.CANCELLED
    assert await signup_status(h, activity_id, C) == SignupStatus.GOING
    assert "候补" in h.emu.last_message(C).text
    async with h.db() as session:
        activity = await session.get(Activity, activity_id)
        assert activity is not None and activity.seats_taken == 2


async def test_concurrent_sign_ups_respect_capacity(h: Harness) -> None:
    users = list(range(5300, 5310))
    for user in users:
        await h.add_resident(user, "第一网格", "2号楼")
    activity_id = await create_activity(h, capacity=3)
    assert h.app is not None
    await asyncio.gather(*(h.app.bot.send_message(uid, "…") for uid in users))
    updates = [
        h.emu.push_callback(uid, h.emu.last_message(uid), f"aj:{activity_id}") for uid in users
    ]
    await asyncio.gather(*(h.wait_handled(u.update_id) for u in updates))
    going = await h.count(
        ActivitySignup,
        ActivitySignup.activity_id == activity_id,
        ActivitySignup.status == SignupStatus.GOING,
    )
    waiting = await h.count(ActivitySignup, ActivitySignup.status == SignupStatus.WAITING)
    assert (going, waiting) == (3, 7)


async def test_reminders_evening_before_and_hour_before_once(h: Harness) -> None:
    """Each reminder once, with the day, the time and the real time left (not a fixed
    "in one hour"); in English with plurals."""
    await h.add_resident(A, "第一网格", "1号楼")
    await h.add_resident(B, "第一网格", "2号楼", language="en")
    tz = h.settings.tz
    start_local = (datetime.now(tz) + timedelta(days=3)).replace(
        hour=6, minute=45, second=0, microsecond=0
    )
    async with h.db() as session:
        activity_id = await db_activity(session, starts_at=start_local, capacity=5)
    assert "报名成功" in await join_activity(h, A)
    assert "signed up" in await join_activity(h, B, "Sign up")
    before = len(h.emu.messages(A))
    eve = (start_local - timedelta(days=1)).replace(hour=18)
    assert await h.run_job("points.activity_reminders", now=eve) == 0
    assert await h.run_job("points.activity_reminders", now=eve.replace(hour=19, minute=30)) == 2
    assert await h.run_job("points.activity_reminders", now=eve.replace(hour=20)) == 0
    text = h.emu.last_message(A).text
    assert "明天 06:45 开始（还有 11 小时 15 分钟）" in text
    assert "starts tomorrow at 06:45, in 11 hours 15 minutes" in h.emu.last_message(B).text
    late = start_local - timedelta(minutes=8)  # the bot was down until 8 minutes before
    assert await h.run_job("points.activity_reminders", now=late) == 2
    assert await h.run_job("points.activity_reminders", now=late) == 0
    assert "06:45 开始，还有 8 分钟" in h.emu.last_message(A).text
    assert "starts at 06:45, in 8 minutes" in h.emu.last_message(B).text
    assert len(h.emu.messages(A)) == before + 2
    # a restart does not send them again (the claims are in the database)
    await h.restart()
    assert await h.run_job("points.activity_reminders", now=late) == 0
    async with h.db() as session:
        activity = await session.get(Activity, activity_id)
        assert activity is not None and activity.hour_reminded_at is not None


async def test_hour_reminder_in_one_minute_and_one_hour(h: Harness) -> None:
    await h.add_resident(B, "第一网格", "2号楼", language="en")
    start = datetime.now(h.settings.tz).replace(microsecond=0) + timedelta(days=2)
    async with h.db() as session:
        await db_activity(session, starts_at=start, capacity=5)
        await db_activity(session, starts_at=start + timedelta(hours=1), capacity=5, code="135791")
    listing = await h.ask(B, "/activities")
    for row in listing.buttons[:2]:
        card = (await h.press_data(B, listing, row[0][1])).messages[-1]
        await h.press(B, card, "Sign up")
    assert await h.run_job("points.activity_reminders", now=start - timedelta(hours=2)) == 2
    assert await h.run_job("points.activity_reminders", now=start - timedelta(minutes=1)) == 1
    assert "in 1 minute." in h.emu.last_message(B).text
    assert await h.run_job("points.activity_reminders", now=start) == 1
    assert "in 1 hour." in h.emu.last_message(B).text


async def test_check_in_and_confirm_credits_once(h: Harness) -> None:
    await h.add_resident(A, "第一网格", "1号楼", name="甲")
    await h.add_resident(B, "第一网格", "1号楼", name="乙")
    await h.add_resident(C, "第一网格", "3号楼", name="丙")
    later = await create_activity(h, code="135790", starts_in=timedelta(days=1))
    activity_id = await create_activity(
        h, code="246810", starts_in=timedelta(minutes=-10), hours=2, points=4, per_hour=True
    )
    reply = await h.ask(A, "/checkin 111111")
    assert "签到码不对" in reply.text
    reply = await h.ask(A, "135790")
    assert "不在签到时间" in reply.text
    reply = await h.ask(A, "246810")
    assert "签到成功" in reply.text
    reply = await h.ask(A, "/checkin 246810")
    assert "已经签到" in reply.text
    reply = await h.ask(B, "/checkin 246810")
    assert "签到成功" in reply.text
    assert await signup_status(h, activity_id, A) == SignupStatus.WALK_IN
    assert await h.count(ActivitySignup, ActivitySignup.attended_at.is_not(None)) == 2
    # the chief un-marks B and marks nobody else; C was never there
    listing = await h.ask(GRID1_CHIEF, "/activities")
    await h.press(GRID1_CHIEF, listing, "清扫楼道")
    card = h.emu.last_message(GRID1_CHIEF)
    people = (await h.press(GRID1_CHIEF, card, "签到名单")).messages[-1]
    await h.press(GRID1_CHIEF, people, "乙")
    assert await h.count(ActivitySignup, ActivitySignup.attended_at.is_not(None)) == 1
    # a resident cannot confirm
    pressed = await h.press_data(C, h.emu.last_message(C) or people, f"am:{activity_id}:done")
    assert pressed.alert
    ask = (await h.press(GRID1_CHIEF, card, "确认时长")).messages[-1]
    assert "8" in ask.text  # 4 points per hour × 2 hours
    data = ask.button("确认")
    await h.press_data(GRID1_CHIEF, ask, data)
    again = await h.press_data(GRID1_CHIEF, ask, data)
    assert again.alert
    assert "8" in h.emu.last_message(A).text
    assert await balance_of(h, A) == (8, 8)
    assert await balance_of(h, B) == (0, 0)
    assert await h.count(LedgerEntry, LedgerEntry.kind == LedgerKind.ACTIVITY) == 1
    async with h.db() as session:
        activity = await session.get(Activity, activity_id)
        assert activity is not None and activity.state == ActivityState.COMPLETED
    # a closed activity no longer accepts check-ins
    reply = await h.ask(C, "246810")
    assert "签到码不对" in reply.text
    assert later
    await assert_ledger_consistent(h)


async def test_other_grid_chief_cannot_manage(h: Harness) -> None:
    activity_id = await create_activity(h, starts_in=timedelta(minutes=-5))
    message = await h.ask(GRID2_CHIEF, "/activities")
    for action in ("code", "people", "done", "stopok"):
        pressed = await h.press_data(GRID2_CHIEF, message, f"am:{activity_id}:{action}")
        assert pressed.alert
    async with h.db() as session:
        activity = await session.get(Activity, activity_id)
        assert activity is not None and activity.state == ActivityState.OPEN


async def test_chief_shows_code_and_calls_off(h: Harness) -> None:
    await h.add_resident(A, "第一网格", "1号楼")
    activity_id = await create_activity(h, code="987654")
    assert "报名成功" in await join_activity(h, A)
    listing = await h.ask(GRID1_CHIEF, "/activities")
    await h.press(GRID1_CHIEF, listing, "清扫楼道")
    card = h.emu.last_message(GRID1_CHIEF)
    code = (await h.press(GRID1_CHIEF, card, "签到码")).messages[-1]
    assert "987654" in code.text and "start=checkin_987654" in code.text
    ask = (await h.press(GRID1_CHIEF, card, "取消活动")).messages[-1]
    await h.press(GRID1_CHIEF, ask, "确认")
    assert "已取消" in h.emu.last_message(A).text
    async with h.db() as session:
        activity = await session.get(Activity, activity_id)
        assert activity is not None and activity.state == ActivityState.CANCELLED


async def test_card_buttons_follow_the_allowed_actions(h: Harness) -> None:
    """The card shows only what the reader may do now: no sign-up once the activity is
    under way, no "confirm hours" before it starts (and no button the service refuses)."""
    await h.add_resident(A, "第一网格", "1号楼", name="甲")
    await create_activity(h, starts_in=timedelta(minutes=-5), code="135790")
    await create_activity(h, starts_in=timedelta(days=1))
    listing = await h.ask(A, "/activities")
    under_way, later = listing.buttons[0][0][1], listing.buttons[1][0][1]
    assert under_way and later
    card = (await h.press_data(A, listing, under_way)).messages[-1]
    assert "1号楼门口" in card.text and not card.buttons
    card = (await h.press_data(A, listing, later)).messages[-1]
    assert card.has_button("🙋 报名") and not card.has_button("签到码")
    await h.press(A, card, "🙋 报名")
    assert card.has_button("取消报名") and not card.has_button("🙋")
    listing = await h.ask(GRID1_CHIEF, "/activities")
    card = (await h.press_data(GRID1_CHIEF, listing, later)).messages[-1]
    assert card.has_button("签到码") and card.has_button("取消活动")
    assert not card.has_button("确认时长")
    people = (await h.press(GRID1_CHIEF, card, "签到名单")).messages[-1]
    assert people.has_button("甲") and not people.has_button("确认时长")
    card = (await h.press_data(GRID1_CHIEF, listing, under_way)).messages[-1]
    assert card.has_button("确认时长") and not card.has_button("🙋")
