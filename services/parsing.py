"""What people type, read strictly: whole numbers, short ids, times and dates.

Every number typed by a user goes through here: ASCII digits only, bounded length (so `²`,
`١٢` or a 400-digit string is refused, never a traceback), and every date a chief types
(`12月8日 9点`, `12-08 09:00`, `明天下午3点`, `周五 9:00`) through `parse_when`. The functions
return None for input they cannot read; the caller raises its own `ValidationFailed` with a
message that says what was expected and the limits.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta, tzinfo

MAX_DIGITS = 12
"""Longer numbers are refused before `int()`: no id, amount or count is that long."""

_WHOLE = re.compile(rf"[+-]?[0-9]{{1,{MAX_DIGITS}}}")
_REF = re.compile(rf"#?([A-Za-z]?)\s*([0-9]{{1,{MAX_DIGITS}}})")


def parse_int(
    text: str | None,
    *,
    low: int | None = None,
    high: int | None = None,
    signed: bool = False,
) -> int | None:
    """`text` as a whole number in ASCII digits (a leading `+`/`-` only when `signed`) within
    [low, high]; None for anything else."""
    value = (text or "").strip()
    if not _WHOLE.fullmatch(value) or (value[0] in "+-" and not signed):
        return None
    number = int(value)
    if (low is not None and number < low) or (high is not None and number > high):
        return None
    return number


def parse_ref(text: str | None, letter: str) -> int | None:
    """A short typed id: `W12`, `w12`, `#12` or `12` → 12 (for `letter` "W"); None for
    anything else, another letter included."""
    match = _REF.fullmatch((text or "").strip())
    if match is None:
        return None
    if match.group(1) and match.group(1).upper() != letter.upper():
        return None
    number = int(match.group(2))
    return number if number > 0 else None


# --- times and dates ---------------------------------------------------------------------------

_HALF_DAY = {
    "凌晨": 0,
    "早上": 0,
    "早晨": 0,
    "上午": 0,
    "中午": 12,
    "下午": 12,
    "傍晚": 12,
    "晚上": 12,
    "今晚": 12,
    "am": 0,
    "pm": 12,
}
_TIME = re.compile(
    r"(?P<half>凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|今晚)?\s*"
    r"(?P<H>[0-9]{1,2})\s*(?:(?:[:：.]\s*(?P<M>[0-9]{2}))|(?P<dian>[点时])\s*"
    r"(?:(?P<half_hour>半)|(?P<M2>[0-9]{1,2})\s*分?)?)?\s*(?P<ampm>am|pm)?",
    re.IGNORECASE,
)
_DATE_YMD = re.compile(
    r"(?:(?P<y>[0-9]{4})\s*[-/.年]\s*)?(?P<m>[0-9]{1,2})\s*[-/.月]\s*(?P<d>[0-9]{1,2})\s*[日号]?"
)
_RELATIVE_DAYS = {"今天": 0, "今日": 0, "明天": 1, "明日": 1, "后天": 2, "大后天": 3}
_RELATIVE_EN = {"today": 0, "tomorrow": 1}
_WEEKDAY = re.compile(r"(?P<next>下下|下)?\s*(?:周|星期|礼拜)(?P<w>[一二三四五六日天1-7])")
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}


def parse_time(text: str | None) -> time | None:
    """`9:00`, `09:30`, `19：30`, `9点`, `9点半`, `下午3点`, `3pm` → a time; None otherwise."""
    match = _TIME.fullmatch((text or "").strip())
    if match is None or (match["M"] is None and match["dian"] is None and not match["ampm"]):
        return None
    return _time_of(match)


def _time_of(match: re.Match[str]) -> time | None:
    hour = int(match["H"])
    minute = 30 if match["half_hour"] else int(match["M"] or match["M2"] or 0)
    half = match["half"] or (match["ampm"] or "").lower()
    if half:
        if hour > 12:
            return None
        shift = _HALF_DAY[half]
        if shift and hour < 12:
            hour += shift
        elif not shift and hour == 12 and half in ("凌晨", "am"):
            hour = 0
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def parse_when(text: str | None, now: datetime, tz: tzinfo) -> datetime | None:
    """A date and time typed in one of the common forms, in the community's time zone:
    `2026-12-08 09:00`, `12-08 09:00`, `12/8 9:00`, `12月8日 9点`, `12月8日下午3点半`,
    `明天下午3点`, `后天 9:00`, `今天 18:00`, `周五 9点`, `下周一 14:30`, `tomorrow 9:00`.

    A date without a year is this year, or next year when it has passed. Returns an aware
    datetime in `tz` (it may lie in the past: the caller decides), or None.
    """
    value = " ".join((text or "").split())
    if not value:
        return None
    today = now.astimezone(tz).date()
    day, rest = _day_of(value, today)
    if day is None:
        return None
    moment = parse_time(rest)
    if moment is None:
        return None
    result = datetime.combine(day.date, moment, tzinfo=tz)
    if day.yearless and result < now.astimezone(tz):
        try:
            result = result.replace(year=result.year + 1)
        except ValueError:
            return None
    return result


class _Day:
    def __init__(self, value: date, *, yearless: bool = False) -> None:
        self.date = value
        self.yearless = yearless


def _day_of(value: str, today: date) -> tuple[_Day | None, str]:
    """The day at the start of `value`, and what follows it."""
    lowered = value.lower()
    for word, offset in sorted(
        (_RELATIVE_DAYS | _RELATIVE_EN).items(), key=lambda item: -len(item[0])
    ):
        if lowered.startswith(word):
            return _Day(today + timedelta(days=offset)), value[len(word) :].strip()
    if value.startswith("今晚"):  # "今晚8点": today, in the evening
        return _Day(today), "晚上" + value[2:].strip()
    if match := _WEEKDAY.match(value):
        wanted = match["w"]
        weekday = int(wanted) - 1 if wanted.isascii() else _WEEKDAYS[wanted]
        monday = today - timedelta(days=today.weekday())
        weeks = {None: 0, "下": 1, "下下": 2}[match["next"]]
        day = monday + timedelta(weeks=weeks, days=weekday)
        if match["next"] is None and day < today:
            day += timedelta(weeks=1)
        return _Day(day), value[match.end() :].strip()
    if match := _DATE_YMD.match(value):
        try:
            year = int(match["y"]) if match["y"] else today.year
            day = date(year, int(match["m"]), int(match["d"]))
        except ValueError:
            return None, value
        rest = value[match.end() :].strip().lstrip("T,，").strip()
        return _Day(day, yearless=match["y"] is None), rest
    return None, value


# --- free text -----------------------------------------------------------------------------


def has_words(text: str | None) -> bool:
    """Whether `text` holds at least one letter or digit (of any script): emoji-only or
    punctuation-only input is no description, no reason and no name."""
    return any(unicodedata.category(char)[0] in "LN" for char in text or "")
