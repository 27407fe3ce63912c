"""The date-and-time picker: the days and hours it offers, and what a pick means."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from linli.bot.callbacks.common import WhenPick
from linli.bot.i18n import Translator
from linli.bot.keyboards.when import day_keyboard, picked, time_keyboard

TZ = ZoneInfo("Asia/Shanghai")
TR = Translator("zh")


def tr(key: str, **kwargs: object) -> str:
    return TR.get(key, "zh", **kwargs)


def labels(markup: InlineKeyboardMarkup) -> list[list[str]]:
    return [[button.text for button in row] for row in markup.inline_keyboard]


def test_days_from_today_to_the_end_of_next_week() -> None:
    monday_morning = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
    cancel = [InlineKeyboardButton(text="取消", callback_data="x:cancel")]
    markup = day_keyboard(tr, "notice", monday_morning, TZ, extra=[cancel])
    rows = labels(markup)
    assert rows[0] == ["今天", "明天", "后天"]
    later = [label for row in rows[1:-1] for label in row]
    assert later[0] == "周四 12/10" and later[-1] == "周日 12/20"
    assert len(later) == 11
    assert rows[-1] == ["取消"]
    first = WhenPick.unpack(markup.inline_keyboard[0][0].callback_data or "")
    assert (first.flow, first.day, first.at) == ("notice", "20261207", "")


def test_late_evening_offers_no_today_and_no_past_hours() -> None:
    late = datetime(2026, 12, 7, 13, 58, tzinfo=UTC)  # 21:58 in Shanghai
    assert labels(day_keyboard(tr, "vote", late, TZ))[0] == ["明天", "后天"]
    afternoon = datetime(2026, 12, 7, 6, 56, tzinfo=UTC)  # 14:56
    hours = labels(time_keyboard(tr, "vote", afternoon.astimezone(TZ).date(), afternoon, TZ))
    flat = [label for row in hours for label in row]
    assert flat[0] == "16:00"  # 15:00 is less than five minutes away
    assert flat[-1] == "⬅ 换一天"


def test_a_pick_is_a_moment_in_the_community_time_zone() -> None:
    moment = picked(WhenPick(flow="notice", day="20261208", at="0930"), TZ)
    assert moment == datetime(2026, 12, 8, 9, 30, tzinfo=TZ)
    for forged in (
        WhenPick(flow="notice", day="20261308", at="0930"),
        WhenPick(flow="notice", day="20261208", at="2561"),
        WhenPick(flow="notice", day="2026120８", at="0930"),
        WhenPick(flow="notice", day="20261208", at=""),
    ):
        assert picked(forged, TZ) is None
