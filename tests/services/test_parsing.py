"""Strict reading of typed numbers, ids, times and dates (services/parsing.py)."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from linli.services.parsing import parse_int, parse_ref, parse_time, parse_when

TZ = ZoneInfo("Asia/Shanghai")
# Monday 2026-12-07 10:00 in Shanghai
NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        (" 7 ", 7),
        ("0", 0),
        ("+5", None),
        ("-5", None),
        ("²", None),
        ("١٢", None),
        ("１２", None),
        ("1e3", None),
        ("", None),
        (None, None),
        ("9" * 13, None),
        ("3.0", None),
    ],
)
def test_whole_numbers_are_ascii_digits_only(text: str | None, expected: int | None) -> None:
    assert parse_int(text) == expected


def test_bounds_and_signs() -> None:
    assert parse_int("-5", signed=True) == -5
    assert parse_int("+5", signed=True) == 5
    assert parse_int("101", high=100) is None
    assert parse_int("1", low=2) is None
    assert parse_int("100", low=0, high=100) == 100


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("W12", 12),
        ("w12", 12),
        ("#12", 12),
        ("12", 12),
        ("C12", None),
        ("W²", None),
        ("W0", None),
        ("W 12", 12),
        ("W12x", None),
        ("", None),
    ],
)
def test_short_ids(text: str, expected: int | None) -> None:
    assert parse_ref(text, "W") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9:00", time(9)),
        ("09:30", time(9, 30)),
        ("19：30", time(19, 30)),
        ("9点", time(9)),
        ("9点半", time(9, 30)),
        ("下午3点", time(15)),
        ("晚上8点15分", time(20, 15)),
        ("3pm", time(15)),
        ("12am", time(0)),
        ("中午12点", time(12)),
        ("9", None),
        ("25:00", None),
        ("下午13点", None),
        ("9:75", None),
        ("九点", None),
    ],
)
def test_times(text: str, expected: time | None) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-08 09:00", (2026, 12, 8, 9, 0)),
        ("12-08 09:00", (2026, 12, 8, 9, 0)),
        ("12/8 9:00", (2026, 12, 8, 9, 0)),
        ("12月8日 9点", (2026, 12, 8, 9, 0)),
        ("12月8日下午3点半", (2026, 12, 8, 15, 30)),
        ("明天下午3点", (2026, 12, 8, 15, 0)),
        ("后天 9:00", (2026, 12, 9, 9, 0)),
        ("今天 18:00", (2026, 12, 7, 18, 0)),
        ("今晚8点", (2026, 12, 7, 20, 0)),
        ("周五 9点", (2026, 12, 11, 9, 0)),
        ("下周一 14:30", (2026, 12, 14, 14, 30)),
        ("tomorrow 9:00", (2026, 12, 8, 9, 0)),
        ("1月3日 9点", (2027, 1, 3, 9, 0)),  # no year, date passed: next year
        ("12月7日 9点", (2027, 12, 7, 9, 0)),  # earlier today: next year
    ],
)
def test_dates(text: str, expected: tuple[int, int, int, int, int]) -> None:
    moment = parse_when(text, NOW, TZ)
    assert moment is not None
    assert moment.tzinfo is not None
    assert (moment.year, moment.month, moment.day, moment.hour, moment.minute) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "明天",
        "12月8日",
        "2月30日 9点",
        "13-01 9:00",
        "周八 9点",
        "hello",
        "12-08 25:00",
        "２０２６-12-08 9:00",
    ],
)
def test_unreadable_dates(text: str) -> None:
    assert parse_when(text, NOW, TZ) is None


def test_a_past_date_with_a_year_is_returned_for_the_caller_to_refuse() -> None:
    moment = parse_when("2026-12-01 09:00", NOW, TZ)
    assert moment is not None and moment < NOW
