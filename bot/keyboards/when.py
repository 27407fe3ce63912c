"""A date and a time from buttons: today / tomorrow / the day after / a day of this or next
week, then an hour. Flows show `day_keyboard`; the shared router in handlers/when.py swaps
it for `time_keyboard` and back; the flow handles the final `WhenPick` (with `at` set) and
reads it with `picked`. Typed dates still work: the flow reads them with
`services.parsing.parse_when`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta, tzinfo

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from linli.bot.callbacks.common import WhenPick

Tr = Callable[..., str]

HOURS = tuple(range(7, 22))
"""The hours offered as buttons (07:00–21:00); other times are typed."""
LEAD = timedelta(minutes=5)
"""A time offered today lies at least this far ahead."""


def day_keyboard(
    tr: Tr,
    flow: str,
    now: datetime,
    tz: tzinfo,
    *,
    extra: Sequence[Sequence[InlineKeyboardButton]] = (),
) -> InlineKeyboardMarkup:
    """Today, tomorrow, the day after, then each later day of this and next week; `extra`
    rows (the flow's own Cancel) stay below."""
    today = now.astimezone(tz).date()
    builder = InlineKeyboardBuilder()
    named = ("when-today", "when-tomorrow", "when-day-after")
    for offset, key in enumerate(named):
        if offset == 0 and not _times_left(today, now, tz):
            continue
        day = today + timedelta(days=offset)
        builder.button(text=tr(key), callback_data=WhenPick(flow=flow, day=_day_code(day)))
    last = today + timedelta(days=13 - today.weekday())  # Sunday of next week
    day = today + timedelta(days=3)
    later = 0
    while day <= last:
        label = tr("when-weekday-date", weekday=day.weekday(), month=day.month, day=day.day)
        builder.button(text=label, callback_data=WhenPick(flow=flow, day=_day_code(day)))
        day += timedelta(days=1)
        later += 1
    first_row = 3 if _times_left(today, now, tz) else 2
    builder.adjust(first_row, *([3] * ((later + 2) // 3)))
    for row in extra:
        builder.row(*row)
    return builder.as_markup()


def time_keyboard(
    tr: Tr,
    flow: str,
    day: date,
    now: datetime,
    tz: tzinfo,
    *,
    extra: Sequence[Sequence[InlineKeyboardButton]] = (),
) -> InlineKeyboardMarkup:
    """The hours of `day` still ahead, four a row, and a button back to the days."""
    code = _day_code(day)
    builder = InlineKeyboardBuilder()
    hours = [hour for hour in HOURS if _ahead(day, time(hour), now, tz)]
    for hour in hours:
        builder.button(
            text=f"{hour:02d}:00", callback_data=WhenPick(flow=flow, day=code, at=f"{hour:02d}00")
        )
    builder.adjust(4)
    builder.row(InlineKeyboardButton(text=tr("when-other-day"), callback_data=_back(flow)))
    for row in extra:
        builder.row(*row)
    return builder.as_markup()


def picked(data: WhenPick, tz: tzinfo) -> datetime | None:
    """The chosen moment in `tz`, or None when the button data is not a valid pick."""
    day = chosen_day(data)
    if day is None or len(data.at) != 4 or not data.at.isascii() or not data.at.isdigit():
        return None
    hour, minute = int(data.at[:2]), int(data.at[2:])
    if hour > 23 or minute > 59:
        return None
    return datetime.combine(day, time(hour, minute), tzinfo=tz)


def chosen_day(data: WhenPick) -> date | None:
    code = data.day
    if len(code) != 8 or not code.isascii() or not code.isdigit():
        return None
    try:
        return date(int(code[:4]), int(code[4:6]), int(code[6:]))
    except ValueError:
        return None


def _back(flow: str) -> str:
    return WhenPick(flow=flow).pack()


def _day_code(day: date) -> str:
    return day.strftime("%Y%m%d")


def _ahead(day: date, moment: time, now: datetime, tz: tzinfo) -> bool:
    return datetime.combine(day, moment, tzinfo=tz) >= now.astimezone(tz) + LEAD


def _times_left(day: date, now: datetime, tz: tzinfo) -> bool:
    return any(_ahead(day, time(hour), now, tz) for hour in HOURS)
