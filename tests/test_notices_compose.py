"""/notice as a chief on a phone writes it (issues 12 and 14): plain text shown as typed,
Telegram's own formatting kept, raw HTML only by choice; dates from the shared picker or
typed in the common forms; a target without a bound group pointed out before Confirm; and
every button or answer of a flow whose draft is gone answered with "start again"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.state import State
from aiogram.fsm.storage.base import StorageKey
from sqlalchemy import select, update

from linli.bot.callbacks.common import WhenPick
from linli.bot.callbacks.notices import (
    NBuilding,
    NConfirm,
    NDay,
    NFormat,
    NKind,
    NMonthDay,
    NRecheck,
    NRepeat,
    NSkip,
    NTarget,
    NTime,
    NWhen,
)
from linli.emulator import StoredMessage
from linli.handlers.notices.common import NoticeEdit, NoticeFlow
from linli.models import Resident
from linli.models.notices import Notice, OutboxMessage, Repeat
from tests.support import B1_CHIEF, GRID1_CHIEF, Harness
from tests.support_notices import (
    B1_GROUP,
    B2_GROUP,
    GRID1_GROUP,
    bind,
    bind_example_groups,
    group_texts,
    pick,
    start_message_flow,
)


def labels(message: StoredMessage) -> list[str]:
    return [text for row in message.buttons for text, _ in row]


async def to_summary(h: Harness, chief: int, asked: StoredMessage, target: str) -> StoredMessage:
    """From the attachment question: no attachment → `target` → now; the summary."""
    target_q = await pick(h, chief, asked, "不加附件")
    when_q = await pick(h, chief, target_q, target)
    await h.press(chief, when_q, "现在发送")
    return h.emu.messages(chief)[-1]


async def stored_text(h: Harness) -> str:
    async with h.db() as session:
        notice = await session.scalar(select(Notice))
        assert notice is not None
        return notice.text


# --------------------------------------------------------------------------------------------
# Plain text, Telegram's formatting, raw HTML by choice
# --------------------------------------------------------------------------------------------


async def test_plain_text_is_shown_exactly_as_typed(h: Harness) -> None:
    await bind_example_groups(h)
    question = await h.ask(GRID1_CHIEF, "/notice")
    await h.press(GRID1_CHIEF, question, "写一条通知")
    assert "原样显示" in (question.text or "")
    assert labels(question) == ["✍️ 我自己写 HTML", "✖ 取消"]
    typed = "水费 < 100 元 & 电费 <b>照常</b> 收取"
    asked = await h.ask(GRID1_CHIEF, typed)
    assert "附件" in (asked.text or "")
    assert question.buttons == []  # the text step's buttons retire once it is answered
    before = len(h.emu.messages(GRID1_CHIEF))
    summary = await to_summary(h, GRID1_CHIEF, asked, "第一网格 网格群")
    preview = next(m for m in h.emu.messages(GRID1_CHIEF)[before:] if m.parse_mode == "HTML")
    assert preview.text == typed and preview.entities == []
    await h.press(GRID1_CHIEF, summary, "确认")
    await h.drain_outbox()
    (sent,) = h.emu.messages(GRID1_GROUP)
    assert sent.text == typed and sent.entities == [] and sent.parse_mode == "HTML"
    assert await stored_text(h) == "水费 &lt; 100 元 &amp; 电费 &lt;b&gt;照常&lt;/b&gt; 收取"


async def test_telegram_formatting_is_kept(h: Harness) -> None:
    await bind_example_groups(h)
    text = "停水通知 明天上午 详情"
    entities = [
        {"type": "bold", "offset": 0, "length": 4},
        {"type": "italic", "offset": 5, "length": 4},
        {"type": "text_link", "offset": 10, "length": 2, "url": "https://example.com/water"},
    ]
    asked = await start_message_flow(h, GRID1_CHIEF, text, entities=entities)
    summary = await to_summary(h, GRID1_CHIEF, asked, "第一网格 网格群")
    await h.press(GRID1_CHIEF, summary, "确认")
    await h.drain_outbox()
    (sent,) = h.emu.messages(GRID1_GROUP)
    assert sent.text == text
    kinds = [(e["type"], e["offset"], e["length"], e.get("url")) for e in sent.entities]
    assert kinds == [
        ("bold", 0, 4, None),
        ("italic", 5, 4, None),
        ("text_link", 10, 2, "https://example.com/water"),
    ]


async def test_raw_html_is_an_explicit_choice_and_can_be_undone(h: Harness) -> None:
    await bind_example_groups(h)
    question = await h.ask(GRID1_CHIEF, "/notice")
    await h.press(GRID1_CHIEF, question, "写一条通知")
    await h.press(GRID1_CHIEF, question, "我自己写 HTML")
    assert "&lt;" in (question.text or "") and labels(question)[0] == "↩ 改回普通文字"
    broken = await h.ask(GRID1_CHIEF, "1 < 2")
    assert "改回普通文字" in (broken.text or "")  # the refusal names the way out
    await h.press(GRID1_CHIEF, question, "改回普通文字")
    assert labels(question)[0] == "✍️ 我自己写 HTML"
    asked = await h.ask(GRID1_CHIEF, "1 < 2")
    assert asked.has_button("不加附件")
    assert await h.count(Notice) == 0


async def test_html_chosen_gives_tags(h: Harness) -> None:
    await bind_example_groups(h)
    asked = await start_message_flow(h, GRID1_CHIEF, "<b>消防</b>演练 &amp; 疏散", html=True)
    summary = await to_summary(h, GRID1_CHIEF, asked, "第一网格 网格群")
    await h.press(GRID1_CHIEF, summary, "确认")
    await h.drain_outbox()
    (sent,) = h.emu.messages(GRID1_GROUP)
    assert sent.text == "消防演练 & 疏散" and sent.entities[0]["type"] == "bold"


async def test_editing_a_notice_is_plain_text_too(h: Harness) -> None:
    await bind_example_groups(h)
    asked = await start_message_flow(h, GRID1_CHIEF, "原来的文字")
    target_q = await pick(h, GRID1_CHIEF, asked, "不加附件")
    when_q = await pick(h, GRID1_CHIEF, target_q, "第一网格 网格群")
    repeat_q = await pick(h, GRID1_CHIEF, when_q, "周期发送")
    time_q = await pick(h, GRID1_CHIEF, repeat_q, "每天")
    await h.press(GRID1_CHIEF, time_q, "08:00")
    await h.press(GRID1_CHIEF, h.emu.messages(GRID1_CHIEF)[-1], "确认")
    card = (await h.send(GRID1_CHIEF, "/notices"))[-1]
    await h.press(GRID1_CHIEF, card, "修改文字")
    prompt = h.emu.messages(GRID1_CHIEF)[-1]
    assert "N1" in (prompt.text or "") and prompt.has_button("我自己写 HTML")
    done = await h.ask(GRID1_CHIEF, "新时间 <8:30> & 地点")
    assert "已更新" in (done.text or "") and prompt.buttons == []
    assert await stored_text(h) == "新时间 &lt;8:30&gt; &amp; 地点"


# --------------------------------------------------------------------------------------------
# Dates with buttons, and typed
# --------------------------------------------------------------------------------------------


async def _at_step(h: Harness, text: str) -> StoredMessage:
    asked = await start_message_flow(h, GRID1_CHIEF, text)
    target_q = await pick(h, GRID1_CHIEF, asked, "不加附件")
    when_q = await pick(h, GRID1_CHIEF, target_q, "第一网格 网格群")
    return await pick(h, GRID1_CHIEF, when_q, "定时发送")


async def _next_run_local(h: Harness) -> datetime:
    async with h.db() as session:
        notice = await session.scalar(select(Notice))
        assert notice is not None and notice.repeat == Repeat.ONCE
        assert notice.next_run_at is not None
        return notice.next_run_at.astimezone(h.settings.tz)


async def test_a_date_and_time_from_buttons(h: Harness) -> None:
    await bind_example_groups(h)
    at_q = await _at_step(h, "周六义诊")
    assert "例如" in (at_q.text or "")
    assert labels(at_q)[-1] == "✖ 取消" and "明天" in labels(at_q)
    await h.press(GRID1_CHIEF, at_q, "明天")
    assert "09:00" in labels(at_q) and "⬅ 换一天" in labels(at_q)
    assert labels(at_q)[-1] == "✖ 取消"  # the flow's own row stays
    await h.press(GRID1_CHIEF, at_q, "09:00")
    assert at_q.buttons == [] and "发送时间" in (at_q.text or "")
    summary = h.emu.messages(GRID1_CHIEF)[-1]
    tomorrow = (datetime.now(UTC).astimezone(h.settings.tz) + timedelta(days=1)).date()
    assert f"定时：{tomorrow:%Y-%m-%d} 09:00" in (summary.text or "")
    await h.press(GRID1_CHIEF, summary, "确认")
    local = await _next_run_local(h)
    assert (local.date(), local.hour, local.minute) == (tomorrow, 9, 0)


@pytest.mark.parametrize("form", ["tomorrow_afternoon", "month_day_dian", "dashes"])
async def test_typed_dates_in_the_common_forms(h: Harness, form: str) -> None:
    await bind_example_groups(h)
    at_q = await _at_step(h, "定时通知")
    local_now = datetime.now(UTC).astimezone(h.settings.tz)
    later = local_now + timedelta(days=3)
    typed, expected = {
        "tomorrow_afternoon": ("明天下午3点", ((local_now + timedelta(days=1)).date(), 15, 0)),
        "month_day_dian": (f"{later.month}月{later.day}日 9点", (later.date(), 9, 0)),
        "dashes": (f"{later:%m-%d} 09:30", (later.date(), 9, 30)),
    }[form]
    summary = await h.ask(GRID1_CHIEF, typed)
    assert summary.has_button("确认") and at_q.buttons == []  # the picker retired
    await h.press(GRID1_CHIEF, summary, "确认")
    local = await _next_run_local(h)
    assert (local.date(), local.hour, local.minute) == expected


async def test_bad_typed_dates_say_what_is_expected(h: Harness) -> None:
    await bind_example_groups(h)
    at_q = await _at_step(h, "定时通知")
    for typed in ("下周找个时间", "１２月８日 ９点", "12月8日 25点"):
        reply = await h.ask(GRID1_CHIEF, typed)
        assert "看不懂" in (reply.text or "") and "12月8日 9点" in (reply.text or ""), typed
    yesterday = datetime.now(UTC).astimezone(h.settings.tz) - timedelta(days=1)
    reply = await h.ask(GRID1_CHIEF, f"{yesterday:%Y-%m-%d} 10:00")
    assert "已经过去" in (reply.text or "")
    assert at_q.has_button("明天")  # still at the same step, the picker still there
    assert await h.count(Notice) == 0


async def test_monthly_day_and_time_typed(h: Harness) -> None:
    await bind_example_groups(h)
    asked = await start_message_flow(h, GRID1_CHIEF, "月底抄水表")
    target_q = await pick(h, GRID1_CHIEF, asked, "不加附件")
    when_q = await pick(h, GRID1_CHIEF, target_q, "第一网格 网格群")
    repeat_q = await pick(h, GRID1_CHIEF, when_q, "周期发送")
    day_q = await pick(h, GRID1_CHIEF, repeat_q, "每月")
    assert "31" not in labels(day_q) and "28" in labels(day_q)
    for bad in ("３１", "32", "²", "0"):
        reply = await h.ask(GRID1_CHIEF, bad)
        assert "1 到 31" in (reply.text or ""), bad
    time_q = await h.ask(GRID1_CHIEF, "31")
    assert time_q.has_button("08:00") and day_q.buttons == []
    for bad in ("25:00", "９:３０", "早上"):
        reply = await h.ask(GRID1_CHIEF, bad)
        assert "看不懂这个时间" in (reply.text or "") and "23:59" in (reply.text or ""), bad
    summary = await h.ask(GRID1_CHIEF, "9")
    assert "每月 31 号 09:00" in (summary.text or "") and time_q.buttons == []
    await h.press(GRID1_CHIEF, summary, "确认")
    async with h.db() as session:
        notice = await session.scalar(select(Notice))
        assert notice is not None and (notice.month_day, notice.at_time) == (31, "09:00")


async def test_a_forged_time_button_is_refused(h: Harness) -> None:
    asked = await start_message_flow(h, GRID1_CHIEF, "每天提醒")
    target_q = await pick(h, GRID1_CHIEF, asked, "不加附件")
    when_q = await pick(h, GRID1_CHIEF, target_q, "第一网格 网格群")
    repeat_q = await pick(h, GRID1_CHIEF, when_q, "周期发送")
    time_q = await pick(h, GRID1_CHIEF, repeat_q, "每天")
    for forged in ("²²³³", "2561", "09", "0900000"):
        pressed = await h.press_data(GRID1_CHIEF, time_q, NTime(hhmm=forged).pack())
        assert pressed.alert, forged
    assert time_q.has_button("08:00") and await h.count(Notice) == 0


# --------------------------------------------------------------------------------------------
# A target without a bound group
# --------------------------------------------------------------------------------------------


async def test_no_bound_group_is_told_before_confirm_and_check_again(h: Harness) -> None:
    asked = await start_message_flow(h, GRID1_CHIEF, "今晚停电")
    summary = await to_summary(h, GRID1_CHIEF, asked, "第一网格 网格群")
    assert "还没有绑定的群" in (summary.text or "") and "/bind" in (summary.text or "")
    assert labels(summary) == ["🔄 重新检查", "✖ 取消"]  # no Confirm: nothing could be sent
    pressed = await h.press(GRID1_CHIEF, summary, "重新检查")
    assert "还是没有绑定的群" in pressed.alert
    await bind(h, GRID1_GROUP, "第一网格群", "第一网格", None)
    pressed = await h.press(GRID1_CHIEF, summary, "重新检查")
    assert not pressed.alert
    assert "目前已绑定 1 个群" in (summary.text or "") and summary.has_button("确认")
    assert "还没有绑定" not in (summary.text or "")
    await h.press(GRID1_CHIEF, summary, "确认")
    await h.drain_outbox()
    assert group_texts(h, GRID1_GROUP) == ["今晚停电"]


async def test_no_bound_group_for_a_later_notice_is_a_warning(h: Harness) -> None:
    question = await h.ask(B1_CHIEF, "/notice")
    await h.press(B1_CHIEF, question, "写一条通知")
    await h.ask(B1_CHIEF, "每周一倒垃圾")
    await h.press(B1_CHIEF, h.emu.messages(B1_CHIEF)[-1], "不加附件")
    when_q = h.emu.messages(B1_CHIEF)[-1]
    repeat_q = await pick(h, B1_CHIEF, when_q, "周期发送")
    time_q = await pick(h, B1_CHIEF, repeat_q, "每天")
    await h.press(B1_CHIEF, time_q, "08:00")
    summary = h.emu.messages(B1_CHIEF)[-1]
    assert "还没有绑定的群" in (summary.text or "") and "/bind" in (summary.text or "")
    assert summary.has_button("确认")  # a group bound before the time still gets it
    await h.press(B1_CHIEF, summary, "确认")
    assert await h.count(Notice) == 1


async def test_groups_counted_in_english_with_plurals(h: Harness) -> None:
    await bind(h, B1_GROUP, "1号楼楼道群", "第一网格", "1号楼")
    await bind(h, B2_GROUP, "2号楼楼道群", "第一网格", "2号楼")
    async with h.db() as session:
        await session.execute(
            update(Resident).where(Resident.telegram_id == GRID1_CHIEF).values(language="en")
        )
        await session.commit()
    question = await h.ask(GRID1_CHIEF, "/notice")
    await h.press(GRID1_CHIEF, question, "Write a notice")
    assert "shown as you type" in (question.text or "")
    asked = await h.ask(GRID1_CHIEF, "Water off tomorrow")
    target_q = await pick(h, GRID1_CHIEF, asked, "No attachment")
    when_q = await pick(h, GRID1_CHIEF, target_q, "All building groups")
    await h.press(GRID1_CHIEF, when_q, "Send now")
    summary = h.emu.messages(GRID1_CHIEF)[-1]
    assert "(2 groups bound now)" in (summary.text or "")
    await h.press(GRID1_CHIEF, summary, "Cancel")
    question = await h.ask(GRID1_CHIEF, "/notice")
    await h.press(GRID1_CHIEF, question, "Write a notice")
    asked = await h.ask(GRID1_CHIEF, "One building only")
    buildings_q = await pick(h, GRID1_CHIEF, await pick(h, GRID1_CHIEF, asked, "No"), "Choose")
    await h.press(GRID1_CHIEF, buildings_q, "1号楼")
    when_q = await pick(h, GRID1_CHIEF, buildings_q, "Done")
    assert "Building groups: 第一网格 · 1号楼" in (when_q.text or "")
    await h.press(GRID1_CHIEF, when_q, "Send now")
    summary = h.emu.messages(GRID1_CHIEF)[-1]
    assert "(1 group bound now)" in (summary.text or "")


# --------------------------------------------------------------------------------------------
# The draft is gone: "start again", nothing saved, no crash
# --------------------------------------------------------------------------------------------


async def _storage_key(h: Harness, user_id: int) -> StorageKey:
    assert h.app is not None
    return StorageKey(bot_id=h.app.bot.id, chat_id=user_id, user_id=user_id)


async def test_confirm_after_the_draft_expired_says_start_again(h: Harness) -> None:
    await bind_example_groups(h)
    asked = await start_message_flow(h, GRID1_CHIEF, "草稿过期的通知")
    summary = await to_summary(h, GRID1_CHIEF, asked, "第一网格 网格群")
    assert h.app is not None
    key = await _storage_key(h, GRID1_CHIEF)
    await h.app.dp.storage.set_state(key, None)  # expired, or cancelled on another device
    await h.app.dp.storage.set_data(key, {})
    pressed = await h.press(GRID1_CHIEF, summary, "确认")
    assert "重新开始" in pressed.alert and "/notice" in pressed.alert
    assert summary.buttons == []  # the dead buttons go
    assert await h.count(Notice) == 0 and await h.count(OutboxMessage) == 0


async def test_confirm_when_the_state_outlived_its_data(h: Harness) -> None:
    await bind_example_groups(h)
    asked = await start_message_flow(h, GRID1_CHIEF, "只剩状态的草稿")
    summary = await to_summary(h, GRID1_CHIEF, asked, "第一网格 网格群")
    assert h.app is not None
    key = await _storage_key(h, GRID1_CHIEF)
    await h.app.dp.storage.set_data(key, {})  # the state is still "confirm"
    pressed = await h.press(GRID1_CHIEF, summary, "确认")
    assert "重新开始" in pressed.alert
    assert await h.app.dp.storage.get_state(key) is None
    assert await h.count(Notice) == 0


def _flow_buttons() -> list[CallbackData]:
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).strftime("%Y%m%d")
    return [
        NKind(kind="msg"),
        NKind(kind="agenda"),
        NFormat(html=True),
        NSkip(),
        NTarget(kind="grid", unit_id=1),
        NTarget(kind="pick", unit_id=1),
        NTarget(kind="done"),
        NBuilding(building_id=1),
        NWhen(kind="now"),
        NWhen(kind="agenda"),
        NRepeat(kind="weekly"),
        NDay(day=2),
        NDay(day=7),
        NMonthDay(day=5),
        NTime(hhmm="0900"),
        NRecheck(),
        NConfirm(),
        WhenPick(flow="notice", day=tomorrow, at="0900"),
    ]


async def test_every_flow_button_without_a_draft_says_start_again(h: Harness) -> None:
    await bind_example_groups(h)
    for data in _flow_buttons():
        prompt = await h.ask(GRID1_CHIEF, "/notice")  # any message with buttons
        await h.send(GRID1_CHIEF, "/cancel")
        pressed = await h.press_data(GRID1_CHIEF, prompt, data.pack())
        assert "/notice" in pressed.alert and "重新开始" in pressed.alert, data
        assert len(pressed.alert) <= 200
    assert await h.count(Notice) == 0 and await h.count(OutboxMessage) == 0


async def test_a_button_of_an_earlier_step_is_refused_while_the_draft_goes_on(
    h: Harness,
) -> None:
    await bind_example_groups(h)
    question = await h.ask(GRID1_CHIEF, "/notice")
    await h.press(GRID1_CHIEF, question, "写一条通知")
    for data in (NConfirm(), NWhen(kind="now"), NKind(kind="agenda")):
        pressed = await h.press_data(GRID1_CHIEF, question, data.pack())
        assert "前面步骤" in pressed.alert, data
    asked = await h.ask(GRID1_CHIEF, "草稿还在")
    assert asked.has_button("不加附件")


@pytest.mark.parametrize(
    ("state", "typed"),
    [
        (NoticeFlow.text, "一条通知"),
        (NoticeFlow.media, "不是附件"),
        (NoticeFlow.at, "明天下午3点"),
        (NoticeFlow.month_day, "15"),
        (NoticeFlow.time, "9:30"),
        (NoticeEdit.text, "新的文字"),
    ],
)
async def test_typing_at_a_step_whose_draft_is_gone(h: Harness, state: State, typed: str) -> None:
    assert h.app is not None
    key = await _storage_key(h, GRID1_CHIEF)
    await h.app.dp.storage.set_state(key, state)
    await h.app.dp.storage.set_data(key, {})
    reply = await h.ask(GRID1_CHIEF, typed)
    assert "重新开始" in (reply.text or ""), reply.text
    assert await h.app.dp.storage.get_state(key) is None
    assert await h.count(Notice) == 0
