"""/notice and /notices end to end: flows, schedules, missed runs, agenda digests and the
bad inputs of issue 6 (each one: the chief is told exactly what is wrong, nothing is
scheduled)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from linli.bot.callbacks.notices import NBuilding, NTarget
from linli.config import Settings
from linli.emulator import BotAPIEmulator, StoredMessage
from linli.models import Grid
from linli.models.notices import (
    Notice,
    NoticeRun,
    NoticeState,
    OutboxMessage,
    Repeat,
    RunStatus,
)
from linli.services import agenda
from tests.support import ADMIN_ID, B1_CHIEF, GRID1_CHIEF, TEST_REDIS_URL, TOKEN, Harness
from tests.support_notices import (
    B1_GROUP,
    B2_GROUP,
    B4_GROUP,
    GRID1_GROUP,
    bind_example_groups,
    fast_notices,
    group_texts,
    pick,
    start_message_flow,
    wait_outbox_done,
    wait_text,
)

RESIDENT = 5001
TZ_SHANGHAI = "Asia/Shanghai"


@pytest.fixture
def settings(emu: BotAPIEmulator, database_url: str, redis_url: str | None) -> Settings:
    return Settings(
        bot_token=TOKEN,
        database_url=database_url,
        telegram_api_url=emu.base_url,
        redis_url=redis_url,
        admin_ids=[ADMIN_ID],
        polling_timeout=1,
        scheduler_enabled=False,
        throttle_rate=1000,
        notices=fast_notices(),
        _env_file=None,
    )


# --------------------------------------------------------------------------------------------
# Core flows
# --------------------------------------------------------------------------------------------


async def test_grid_chief_sends_now_to_building_groups(h: Harness) -> None:
    await bind_example_groups(h)
    asked = await start_message_flow(
        h, GRID1_CHIEF, "<b>停水通知</b>\n明天 9:00-12:00 停水", html=True
    )
    assert "附件" in (asked.text or "")
    target_q = await pick(h, GRID1_CHIEF, asked, "不加附件")
    labels = [t for row in target_q.buttons for t, _ in row]
    assert not any("第二网格" in label for label in labels)
    assert not any("所有已绑定的群" in label for label in labels)  # admins only
    when_q = await pick(h, GRID1_CHIEF, target_q, "第一网格 所有楼道群")
    await h.press(GRID1_CHIEF, when_q, "现在发送")
    messages = h.emu.messages(GRID1_CHIEF)
    preview = next(m for m in messages if m.parse_mode == "HTML")
    assert preview.text == "停水通知\n明天 9:00-12:00 停水"
    assert preview.entities and preview.entities[0]["type"] == "bold"
    summary = messages[-1]
    assert "目前已绑定 2 个群" in (summary.text or "")
    assert await h.count(Notice) == 0  # nothing before Confirm
    await h.press(GRID1_CHIEF, summary, "确认")
    await wait_outbox_done(h)
    for chat in (B1_GROUP, B2_GROUP):
        sent = h.emu.messages(chat)
        assert len(sent) == 1 and sent[0].parse_mode == "HTML"
        assert sent[0].text == "停水通知\n明天 9:00-12:00 停水"
    assert h.emu.messages(GRID1_GROUP) == [] and h.emu.messages(B4_GROUP) == []
    report = await wait_text(h, GRID1_CHIEF, "发送完成")
    assert "2 / 2" in report
    async with h.db() as session:
        notice = await session.scalar(select(Notice))
        assert notice is not None and notice.state == NoticeState.DONE
        run = await session.scalar(select(NoticeRun))
        assert run is not None and run.status == RunStatus.SENDING and not run.delayed


async def test_building_chief_notice_goes_to_own_building_with_photo(h: Harness) -> None:
    await bind_example_groups(h)
    question = await h.ask(B1_CHIEF, "/notice")
    await h.press(B1_CHIEF, question, "写一条通知")
    await h.press(B1_CHIEF, question, "我自己写 HTML")
    before = len(h.emu.messages(B1_CHIEF))
    update = h.emu.push_message(B1_CHIEF, B1_CHIEF, photo=True, caption="<i>电梯检修</i>")
    await h.wait_handled(update.update_id)
    when_q = h.emu.messages(B1_CHIEF)[before:][-1]
    assert "1号楼" in (when_q.text or "")  # the building chief's only target, chosen for them
    await h.press(B1_CHIEF, when_q, "现在发送")
    summary = h.emu.messages(B1_CHIEF)[-1]
    await h.press(B1_CHIEF, summary, "确认")
    await wait_outbox_done(h)
    sent = h.emu.messages(B1_GROUP)
    assert len(sent) == 1 and sent[0].photo and sent[0].text == "电梯检修"
    assert h.emu.messages(B2_GROUP) == [] and h.emu.messages(GRID1_GROUP) == []


async def test_admin_sends_to_every_bound_group(h: Harness) -> None:
    await bind_example_groups(h)
    asked = await start_message_flow(h, ADMIN_ID, "社区大会今晚 7 点")
    target_q = await pick(h, ADMIN_ID, asked, "不加附件")
    when_q = await pick(h, ADMIN_ID, target_q, "所有已绑定的群")
    await h.press(ADMIN_ID, when_q, "现在发送")
    await h.press(ADMIN_ID, h.emu.messages(ADMIN_ID)[-1], "确认")
    await wait_outbox_done(h)
    for chat in (GRID1_GROUP, B1_GROUP, B2_GROUP, B4_GROUP):
        assert group_texts(h, chat) == ["社区大会今晚 7 点"]


async def test_chosen_buildings_at_a_date_then_the_job_sends_it(h: Harness) -> None:
    await bind_example_groups(h)
    asked = await start_message_flow(h, GRID1_CHIEF, "周六上午义诊")
    target_q = await pick(h, GRID1_CHIEF, asked, "不加附件")
    buildings_q = await pick(h, GRID1_CHIEF, target_q, "选择楼栋")
    await h.press(GRID1_CHIEF, buildings_q, "2号楼")
    assert buildings_q.has_button("✅ 2号楼")
    when_q = await pick(h, GRID1_CHIEF, buildings_q, "选好了")
    at_q = await pick(h, GRID1_CHIEF, when_q, "定时发送")
    when_local = datetime.now(UTC).astimezone(h.settings.tz) + timedelta(days=2)
    await h.send(GRID1_CHIEF, when_local.strftime("%Y-%m-%d %H:%M"))
    summary = h.emu.messages(GRID1_CHIEF)[-1]
    assert at_q is not summary and "定时" in (summary.text or "")
    await h.press(GRID1_CHIEF, summary, "确认")
    assert "已安排通知 N1" in (h.emu.messages(GRID1_CHIEF)[-1].text or "")
    assert await h.count(OutboxMessage) == 0
    await h.run_job("notices.due", now=datetime.now(UTC) + timedelta(days=1))
    assert await h.count(OutboxMessage) == 0  # not yet
    await h.run_job("notices.due", now=when_local.astimezone(UTC) + timedelta(seconds=20))
    await wait_outbox_done(h)
    assert group_texts(h, B2_GROUP) == ["周六上午义诊"]
    assert h.emu.messages(B1_GROUP) == []
    # a second tick (or another process) sends nothing more
    await h.run_job("notices.due", now=when_local.astimezone(UTC) + timedelta(seconds=50))
    await asyncio.sleep(0.2)
    assert group_texts(h, B2_GROUP) == ["周六上午义诊"]
    assert await h.count(NoticeRun) == 1


async def test_weekly_recurring_notice_runs_each_week(h: Harness) -> None:
    await bind_example_groups(h)
    asked = await start_message_flow(h, GRID1_CHIEF, "每周垃圾分类提醒")
    target_q = await pick(h, GRID1_CHIEF, asked, "不加附件")
    when_q = await pick(h, GRID1_CHIEF, target_q, "第一网格 网格群")
    repeat_q = await pick(h, GRID1_CHIEF, when_q, "周期发送")
    days_q = await pick(h, GRID1_CHIEF, repeat_q, "每周")
    await h.press(GRID1_CHIEF, days_q, "周三")
    await h.press(GRID1_CHIEF, days_q, "周六")
    time_q = await pick(h, GRID1_CHIEF, days_q, "选好了")
    await h.send(GRID1_CHIEF, "8点")
    summary = h.emu.messages(GRID1_CHIEF)[-1]
    assert time_q is not summary and "每周 周三、周六 08:00" in (summary.text or "")
    await h.press(GRID1_CHIEF, summary, "确认")
    async with h.db() as session:
        notice = await session.scalar(select(Notice))
        assert notice is not None and notice.repeat == Repeat.WEEKLY
        assert notice.weekdays == "wed,sat" and notice.at_time == "08:00"
        first = notice.next_run_at
    assert first is not None
    local = first.astimezone(h.settings.tz)
    assert local.weekday() in (2, 5) and (local.hour, local.minute) == (8, 0)
    await h.run_job("notices.due", now=first + timedelta(seconds=5))
    await wait_outbox_done(h)
    async with h.db() as session:
        notice = await session.scalar(select(Notice))
        assert notice is not None and notice.state == NoticeState.SCHEDULED
        second = notice.next_run_at
    assert second is not None and second > first
    assert second.astimezone(h.settings.tz).weekday() in (2, 5)
    await h.run_job("notices.due", now=second + timedelta(seconds=5))
    await h.emu.wait_for(lambda: len(h.emu.messages(GRID1_GROUP)) >= 2, 10)
    assert group_texts(h, GRID1_GROUP) == ["每周垃圾分类提醒"] * 2


async def test_monthly_and_daily_presets_compute_next_runs(h: Harness) -> None:
    from linli.services.notices import Schedule

    tz = h.settings.tz
    now = datetime(2026, 1, 31, 10, 0, tzinfo=tz).astimezone(UTC)
    monthly = Schedule(Repeat.MONTHLY, at_time="09:00", month_day=30)
    first = monthly.first_run(now, tz).astimezone(tz)
    assert (first.month, first.day, first.hour) == (3, 30, 9)  # February has no 30th
    daily = Schedule(Repeat.DAILY, at_time="21:15")
    run = daily.first_run(now, tz).astimezone(tz)
    assert (run.day, run.hour, run.minute) == (31, 21, 15)
    following = daily.next_after(run.astimezone(UTC), tz)
    assert following is not None and following.astimezone(tz).day == 1


# --------------------------------------------------------------------------------------------
# Restarts, missed and delayed runs
# --------------------------------------------------------------------------------------------


async def _schedule_at(
    h: Harness, chief: int, text: str, when: datetime, target: str, *, html: bool = False
) -> None:
    asked = await start_message_flow(h, chief, text, html=html)
    target_q = await pick(h, chief, asked, "不加附件")
    when_q = await pick(h, chief, target_q, target)
    await pick(h, chief, when_q, "定时发送")
    await h.send(chief, when.astimezone(h.settings.tz).strftime("%Y-%m-%d %H:%M"))
    await h.press(chief, h.emu.messages(chief)[-1], "确认")


async def test_run_missed_within_grace_is_sent_delayed_after_restart(h: Harness) -> None:
    await bind_example_groups(h)
    due = (datetime.now(UTC) + timedelta(hours=1)).replace(second=0, microsecond=0)
    await _schedule_at(h, GRID1_CHIEF, "<b>消防演练</b>", due, "第一网格 网格群", html=True)
    await h.restart()  # nothing is kept in memory: the schedule is in the tables
    await h.run_job("notices.due", now=due + timedelta(minutes=40))
    await wait_outbox_done(h)
    (sent,) = h.emu.messages(GRID1_GROUP)
    assert sent.text is not None and sent.text.startswith("消防演练")
    assert "延迟" in sent.text and due.astimezone(h.settings.tz).strftime("%H:%M") in sent.text
    async with h.db() as session:
        run = await session.scalar(select(NoticeRun))
        assert run is not None and run.delayed and run.status == RunStatus.SENDING


async def test_run_older_than_grace_is_missed_and_author_told(h: Harness) -> None:
    await bind_example_groups(h)
    due = (datetime.now(UTC) + timedelta(hours=1)).replace(second=0, microsecond=0)
    await _schedule_at(h, GRID1_CHIEF, "过期的通知", due, "第一网格 网格群")
    before = len(h.emu.messages(GRID1_CHIEF))
    await h.run_job("notices.due", now=due + timedelta(hours=2))
    await asyncio.sleep(0.2)
    assert h.emu.messages(GRID1_GROUP) == []
    told = h.emu.messages(GRID1_CHIEF)[before:]
    assert len(told) == 1 and "N1" in (told[0].text or "") and "没有发送" in (told[0].text or "")
    async with h.db() as session:
        run = await session.scalar(select(NoticeRun))
        assert run is not None and run.status == RunStatus.MISSED and run.author_told
        notice = await session.scalar(select(Notice))
        assert notice is not None and notice.state == NoticeState.DONE
    await h.run_job("notices.due", now=due + timedelta(hours=3))
    assert len(h.emu.messages(GRID1_CHIEF)) == before + 1  # told once


async def test_recurring_notice_down_for_days_sends_latest_and_records_missed(
    h: Harness,
) -> None:
    await bind_example_groups(h)
    from linli.models.notices import NoticeKind, TargetKind
    from linli.services import residents
    from linli.services.notices import Draft, Schedule, Target, create

    tz = h.settings.tz
    start = datetime.now(UTC)
    async with h.db() as session:
        chief = await residents.get_by_telegram_id(session, GRID1_CHIEF)
        assert chief is not None
        grid = await session.scalar(select(Grid).where(Grid.name == "第一网格"))
        assert grid is not None
        notice = await create(
            session,
            chief,
            Draft(
                NoticeKind.MESSAGE,
                Target(TargetKind.GRID, grid.id),
                Schedule(Repeat.DAILY, at_time="09:00"),
                text="早安",
            ),
            start,
            tz,
        )
        first = notice.next_run_at
    assert first is not None
    # the bot was down for three days; it comes back 10 minutes after the fourth run
    back = first + timedelta(days=3, minutes=10)
    await h.run_job("notices.due", now=back)
    await wait_outbox_done(h)
    assert group_texts(h, GRID1_GROUP)[0].startswith("早安")
    async with h.db() as session:
        runs = (await session.scalars(select(NoticeRun).order_by(NoticeRun.scheduled_for))).all()
        assert [r.status for r in runs] == [RunStatus.MISSED] * 3 + [RunStatus.SENDING]
        refreshed = await session.get(Notice, notice.id)
        assert refreshed is not None and refreshed.next_run_at == first + timedelta(days=4)


# --------------------------------------------------------------------------------------------
# /notices
# --------------------------------------------------------------------------------------------


async def _scheduled_notice(h: Harness) -> StoredMessage:
    due = datetime.now(UTC) + timedelta(days=3)
    await _schedule_at(h, GRID1_CHIEF, "原来的文字", due, "第一网格 网格群")
    replies = await h.send(GRID1_CHIEF, "/notices")
    assert "1 条" in (replies[0].text or "")
    return replies[-1]


async def test_notices_pause_resume_edit_cancel_and_report(h: Harness) -> None:
    await bind_example_groups(h)
    card = await _scheduled_notice(h)
    assert "N1" in (card.text or "") and "原来的文字" in (card.text or "")
    await h.press(GRID1_CHIEF, card, "暂停")
    assert "已暂停" in (card.text or "")
    assert (await h.resident(GRID1_CHIEF)) is not None
    async with h.db() as session:
        notice = await session.scalar(select(Notice))
        assert notice is not None and notice.state == NoticeState.PAUSED
    await h.run_job("notices.due", now=datetime.now(UTC) + timedelta(days=4))
    assert await h.count(NoticeRun) == 0  # paused: not run
    resumed = await h.press(GRID1_CHIEF, card, "恢复")
    assert not resumed.alert, resumed.alert
    assert "进行中" in (card.text or "")
    await h.press(GRID1_CHIEF, card, "修改文字")
    edit_q = h.emu.messages(GRID1_CHIEF)[-1]
    await h.press(GRID1_CHIEF, edit_q, "我自己写 HTML")
    bad = await h.ask(GRID1_CHIEF, "<b>新的文字")
    assert "没有关闭" in (bad.text or "")
    done = await h.ask(GRID1_CHIEF, "<b>新的文字</b>")
    assert "已更新" in (done.text or "")
    async with h.db() as session:
        notice = await session.scalar(select(Notice))
        assert notice is not None and notice.text == "<b>新的文字</b>"
    await h.press(GRID1_CHIEF, card, "取消通知")
    assert "不能恢复" in (card.text or "")
    await h.press(GRID1_CHIEF, card, "是，取消它")
    assert "已取消" in (card.text or "")
    async with h.db() as session:
        notice = await session.scalar(select(Notice))
        assert notice is not None and notice.state == NoticeState.CANCELLED
    report = await h.press(GRID1_CHIEF, card, "发送记录")
    assert "还没有发送过" in (report.messages[-1].text or "")


async def test_keep_redraws_the_card_and_buttons_of_an_older_card_are_refused(
    h: Harness,
) -> None:
    await bind_example_groups(h)
    card = await _scheduled_notice(h)
    await h.press(GRID1_CHIEF, card, "取消通知")
    await h.press(GRID1_CHIEF, card, "不，保留")
    assert "N1" in (card.text or "") and [label for row in card.buttons for label, _ in row] == [
        "⏸ 暂停",
        "✏️ 修改文字",
        "❌ 取消通知",
        "📊 发送记录",
    ]
    older = (await h.send(GRID1_CHIEF, "/notices"))[-1]  # a second card of the same notice
    await h.press(GRID1_CHIEF, card, "取消通知")
    await h.press(GRID1_CHIEF, card, "是，取消它")
    assert [label for row in card.buttons for label, _ in row] == ["📊 发送记录"]
    for button, alert in (("暂停", "已经结束或取消"), ("修改文字", "失效"), ("取消通知", "失效")):
        pressed = await h.press(GRID1_CHIEF, older, button)
        assert alert in pressed.alert, (button, pressed.alert)
    async with h.db() as session:
        notice = await session.scalar(select(Notice))
        assert notice is not None and notice.state == NoticeState.CANCELLED
        assert notice.text == "原来的文字"


async def test_notices_of_another_area_are_hidden_and_refused(h: Harness) -> None:
    await bind_example_groups(h)
    card = await _scheduled_notice(h)
    from tests.support import GRID2_CHIEF

    replies = await h.send(GRID2_CHIEF, "/notices")
    assert "没有定时或周期通知" in (replies[-1].text or "")
    pressed = await h.press_data(GRID2_CHIEF, card, card.button("暂停"))
    assert "范围" in pressed.alert
    async with h.db() as session:
        notice = await session.scalar(select(Notice))
        assert notice is not None and notice.state == NoticeState.SCHEDULED


async def test_report_lists_runs_with_counts(h: Harness) -> None:
    await bind_example_groups(h)
    asked = await start_message_flow(h, GRID1_CHIEF, "马上发")
    target_q = await pick(h, GRID1_CHIEF, asked, "不加附件")
    when_q = await pick(h, GRID1_CHIEF, target_q, "第一网格 所有楼道群")
    await h.press(GRID1_CHIEF, when_q, "现在发送")
    await h.press(GRID1_CHIEF, h.emu.messages(GRID1_CHIEF)[-1], "确认")
    await wait_outbox_done(h)
    replies = await h.send(GRID1_CHIEF, "/notices")
    card = replies[-1]
    assert "已完成" in (card.text or "")
    report = await h.press(GRID1_CHIEF, card, "发送记录")
    assert "已发送 2 / 2，失败 0" in (report.messages[-1].text or "")


# --------------------------------------------------------------------------------------------
# Agenda digests
# --------------------------------------------------------------------------------------------


@pytest.fixture
def only_test_sections() -> Iterator[dict[str, agenda.Section]]:
    """The registry with only the sections a test registers (restored afterwards)."""
    saved = dict(agenda.SECTIONS)
    agenda.SECTIONS.clear()
    try:
        yield agenda.SECTIONS
    finally:
        agenda.SECTIONS.clear()
        agenda.SECTIONS.update(saved)


async def _agenda_for_grid(h: Harness) -> None:
    question = await h.ask(GRID1_CHIEF, "/notice")
    await h.press(GRID1_CHIEF, question, "议程")
    target_q = h.emu.messages(GRID1_CHIEF)[-1]
    when_q = await pick(h, GRID1_CHIEF, target_q, "第一网格 网格群")
    await h.press(GRID1_CHIEF, when_q, "每周一 09:00")
    await h.press(GRID1_CHIEF, h.emu.messages(GRID1_CHIEF)[-1], "确认")


async def test_empty_agenda_is_not_sent(
    h: Harness, only_test_sections: dict[str, agenda.Section]
) -> None:
    await bind_example_groups(h)

    @agenda.section("nothing", title_key="agenda-section-notices")
    async def nothing(session: object, scope: agenda.AgendaScope) -> list[agenda.AgendaItem]:
        return []

    await _agenda_for_grid(h)
    async with h.db() as session:
        notice = await session.scalar(select(Notice))
        assert notice is not None and notice.repeat == Repeat.WEEKLY and notice.weekdays == "mon"
        due = notice.next_run_at
    assert due is not None and due.astimezone(h.settings.tz).weekday() == 0
    await h.run_job("notices.due", now=due + timedelta(seconds=5))
    await asyncio.sleep(0.2)
    assert h.emu.messages(GRID1_GROUP) == []
    async with h.db() as session:
        run = await session.scalar(select(NoticeRun))
        assert run is not None and run.status == RunStatus.EMPTY
    assert await h.count(OutboxMessage) == 0


@pytest.mark.expect_errors
async def test_agenda_is_composed_at_send_time_from_providers(
    h: Harness, only_test_sections: dict[str, agenda.Section]
) -> None:
    await bind_example_groups(h)
    items: list[agenda.AgendaItem] = []
    seen: list[agenda.AgendaScope] = []

    @agenda.section("votes", title_key="agenda-section-votes", command="notices", order=1)
    async def votes(session: object, scope: agenda.AgendaScope) -> list[agenda.AgendaItem]:
        seen.append(scope)
        return list(items)

    @agenda.section("broken", title_key="agenda-section-topics", order=2)
    async def broken(session: object, scope: agenda.AgendaScope) -> list[agenda.AgendaItem]:
        raise RuntimeError("a feature's provider failing must not stop the digest")

    await _agenda_for_grid(h)
    async with h.db() as session:
        notice = await session.scalar(select(Notice))
        assert notice is not None
        due = notice.next_run_at
    assert due is not None
    items.append(agenda.AgendaItem("T5 加装电梯 <议题>", when=due + timedelta(days=2)))
    await h.run_job("notices.due", now=due + timedelta(seconds=5))
    await wait_outbox_done(h)
    (digest,) = h.emu.messages(GRID1_GROUP)
    assert digest.parse_mode == "HTML"
    assert "议程 · 第一网格" in (digest.text or "")
    assert "T5 加装电梯 <议题>" in (digest.text or "")  # user text escaped, shown as typed
    assert digest.has_button("即将截止的投票")
    assert "start=notices" in digest.button("即将截止的投票")
    assert seen[-1].grid_id is not None and seen[-1].building_id is None


async def test_upcoming_notices_section_lists_scheduled_notices(h: Harness) -> None:
    await bind_example_groups(h)
    soon = datetime.now(UTC) + timedelta(days=2)
    await _schedule_at(h, GRID1_CHIEF, "<b>周末</b>大扫除", soon, "第一网格 网格群", html=True)
    async with h.db() as session:
        grid = await session.scalar(select(Grid).where(Grid.name == "第一网格"))
        assert grid is not None
        scope = agenda.AgendaScope(
            grid.community_id, grid.id, None, datetime.now(UTC), datetime.now(UTC) + timedelta(7)
        )
        items = await agenda.upcoming_notices(session, scope)
    assert [i.text for i in items] == ["周末大扫除"]


# --------------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------------


async def test_resident_cannot_post_a_notice(h: Harness) -> None:
    await h.add_resident(RESIDENT, "第一网格", "1号楼")
    reply = await h.ask(RESIDENT, "/notice")
    assert "网格长" in (reply.text or "")
    assert h.emu.messages(RESIDENT)[-1].buttons == []
    assert await h.count(Notice) == 0


async def test_forged_target_outside_area_is_refused(h: Harness) -> None:
    await bind_example_groups(h)
    asked = await start_message_flow(h, GRID1_CHIEF, "越权的通知")
    target_q = await pick(h, GRID1_CHIEF, asked, "不加附件")
    async with h.db() as session:
        grid2 = await session.scalar(select(Grid).where(Grid.name == "第二网格"))
        assert grid2 is not None
    b4 = await h.building("第二网格", "4号楼")
    for forged in (
        NTarget(kind="grid", unit_id=grid2.id),
        NTarget(kind="gridb", unit_id=grid2.id),
        NTarget(kind="all"),
        NTarget(kind="bld", unit_id=b4.id),
    ):
        pressed = await h.press_data(GRID1_CHIEF, target_q, forged.pack())
        assert "范围" in pressed.alert, forged
    buildings_q = await pick(h, GRID1_CHIEF, target_q, "选择楼栋")
    pressed = await h.press_data(GRID1_CHIEF, buildings_q, NBuilding(building_id=b4.id).pack())
    assert pressed.alert
    assert await h.count(Notice) == 0 and await h.count(OutboxMessage) == 0


async def test_time_in_the_past_and_unparseable_date_are_refused(h: Harness) -> None:
    await bind_example_groups(h)
    asked = await start_message_flow(h, GRID1_CHIEF, "定时通知")
    target_q = await pick(h, GRID1_CHIEF, asked, "不加附件")
    when_q = await pick(h, GRID1_CHIEF, target_q, "第一网格 网格群")
    await pick(h, GRID1_CHIEF, when_q, "定时发送")
    past = (datetime.now(UTC) - timedelta(days=1)).astimezone(h.settings.tz)
    reply = await h.ask(GRID1_CHIEF, past.strftime("%Y-%m-%d %H:%M"))
    assert "已经过去" in (reply.text or "")
    reply = await h.ask(GRID1_CHIEF, "下周找个时间")
    assert "看不懂这个日期时间" in (reply.text or "") and "下周找个时间" in (reply.text or "")
    reply = await h.ask(GRID1_CHIEF, "2026-02-30 10:00")
    assert "看不懂" in (reply.text or "")
    assert await h.count(Notice) == 0
    # the draft is kept: a good date still works
    later = (datetime.now(UTC) + timedelta(days=1)).astimezone(h.settings.tz)
    reply = await h.ask(GRID1_CHIEF, later.strftime("%m-%d %H:%M"))
    assert reply.has_button("确认")


async def test_text_over_the_limit_is_refused(h: Harness) -> None:
    reply = await start_message_flow(h, GRID1_CHIEF, "长" * 4097)
    assert "内容太长：4,097 字，最多 4,096 字" in (reply.text or "")
    assert not reply.has_button("不加附件")
    ok = await h.ask(GRID1_CHIEF, "短一点的通知")
    assert ok.has_button("不加附件")


@pytest.mark.parametrize(
    ("html_text", "expected"),
    [
        ("<b>粗体", "<b> 没有关闭"),
        ("<b>粗<i>斜</b></i>", "</b> 之前要先关闭 <i>"),
        ("正文</i>", "</i> 前面没有对应的 <i>"),
        ("<font color=red>红</font>", "不支持 <font> 标签"),
        ('<a title="x">链接</a>', "链接 <a> 需要写网址"),
        ("1 < 2", "第 3 个字符的 < 不是标签"),
        ("&nbsp;空格", "&nbsp; 不是可用的转义符"),
        ("换行<br/>", "不支持 <br> 标签"),
    ],
)
async def test_broken_html_is_refused_with_the_exact_problem(
    h: Harness, html_text: str, expected: str
) -> None:
    reply = await start_message_flow(h, GRID1_CHIEF, html_text, html=True)
    assert expected in (reply.text or ""), reply.text
    assert await h.count(Notice) == 0


async def test_caption_too_long_with_attachment(h: Harness) -> None:
    asked = await start_message_flow(h, GRID1_CHIEF, "字" * 1500)
    assert asked.has_button("不加附件")
    before = len(h.emu.messages(GRID1_CHIEF))
    update = h.emu.push_message(GRID1_CHIEF, GRID1_CHIEF, photo=True)
    await h.wait_handled(update.update_id)
    reply = h.emu.messages(GRID1_CHIEF)[before:][-1]
    assert "说明最多 1,024 字" in (reply.text or "")


async def test_sticker_instead_of_text_keeps_the_flow(h: Harness) -> None:
    question = await h.ask(GRID1_CHIEF, "/notice")
    await h.press(GRID1_CHIEF, question, "写一条通知")
    before = len(h.emu.messages(GRID1_CHIEF))
    update = h.emu.push_message(GRID1_CHIEF, GRID1_CHIEF, sticker=True)
    await h.wait_handled(update.update_id)
    assert "请发送文字" in (h.emu.messages(GRID1_CHIEF)[before:][-1].text or "")
    reply = await h.ask(GRID1_CHIEF, "现在是文字")
    assert reply.has_button("不加附件")
    cancelled = await h.ask(GRID1_CHIEF, "/cancel")
    assert "取消" in (cancelled.text or "")


def test_validator_agrees_with_the_emulator_parser() -> None:
    """Whatever our validator accepts, Telegram's parser (as emulated) accepts too."""
    from linli.emulator import parse_html
    from linli.services.errors import ValidationFailed
    from linli.services.notices import visible_text

    samples = [
        "<b>粗体</b> 和 <i>斜体</i>",
        '<a href="https://example.com">链接</a>',
        "<tg-spoiler>剧透</tg-spoiler> <s>删</s> <u>下</u>",
        '<pre><code class="language-python">x = 1</code></pre>',
        "<blockquote>引用</blockquote>",
        "a &lt; b &amp;&amp; c &gt; d &quot;q&quot;",
        "<b>未关闭",
        "<b><i>交叉</b></i>",
        "1 < 2",
        "<unknown>x</unknown>",
    ]
    for sample in samples:
        try:
            shown = visible_text(sample)
        except ValidationFailed:
            continue
        text, _entities = parse_html(sample)
        assert text.strip() == shown, sample


def test_settings_tz_is_shanghai_by_default() -> None:
    assert Settings(_env_file=None).timezone == TZ_SHANGHAI
    assert TEST_REDIS_URL is None or TEST_REDIS_URL.startswith("redis")
