"""Forged points buttons with numbers no row can have (20 digits, past 64 bits, negative):
every lookup answers like a stale button, nothing is logged at ERROR (SQLite raised
OverflowError binding such an id, tests/test_resilience_fuzz.py found it) and nothing is
stored."""

from __future__ import annotations

import inspect
import itertools
from collections.abc import Iterator
from datetime import timedelta

from aiogram.filters.callback_data import CallbackData

import linli.bot.callbacks.points as points_callbacks
from linli.models.points import ActivitySignup, LedgerEntry, Redemption
from tests.support import ADMIN_ID, GRID1_CHIEF, Harness
from tests.support_points import create_activity

A = 5901  # 第一网格 · 1号楼

HUGE = ("99999999999999999999", "9223372036854775808", "-99999999999999999999")
"""Past 64 bits, one past the largest BIGINT, and negative past 64 bits."""

ACTIONS: dict[str, tuple[str, ...]] = {
    "am": ("code", "qr", "people", "confirm", "done", "stop", "stopok"),
    "rd": ("hand", "cancel"),
    "re": ("on", "off", "add"),
    "pd": ("add", "off"),
    "pws": ("amount",),
}
WORDS: dict[str, tuple[str, ...]] = {"period": ("m",), "scope": ("g",), "token": ("t0",)}
"""Values for the text fields, so that each handler gets past its filter."""
NOT_LOOKED_UP = ("pl:", "pd:add:")
"""Buttons whose id is not read: a leaderboard's grid is the group's binding, adding a
family asks for its name."""


def _factories() -> list[type[CallbackData]]:
    return [
        cls
        for _, cls in inspect.getmembers(points_callbacks, inspect.isclass)
        if issubclass(cls, CallbackData) and cls is not CallbackData
    ]


def _forged() -> Iterator[tuple[str, bool]]:
    """Each factory's data with one number field huge (the others 1), for every text
    value its handlers know; and whether that field is an id the handler looks up."""
    for factory in _factories():
        fields = factory.model_fields
        texts = [name for name, f in fields.items() if f.annotation is str]
        choices = [
            ACTIONS.get(factory.__prefix__, ("x",)) if name == "action" else WORDS.get(name, ("x",))
            for name in texts
        ]
        for huge, name in itertools.product(HUGE, fields):
            if fields[name].annotation is not int:
                continue
            for combo in itertools.product(*choices):
                words = dict(zip(texts, combo, strict=True))
                parts = [
                    (huge if n == name else "1")
                    if f.annotation is int
                    else "0"
                    if f.annotation is bool
                    else words[n]
                    for n, f in fields.items()
                ]
                data = ":".join([factory.__prefix__, *parts])
                if len(data.encode()) <= 64:
                    yield data, name.endswith("_id") and not data.startswith(NOT_LOOKED_UP)


async def test_huge_ids_in_points_buttons_are_stale(h: Harness) -> None:
    await h.add_resident(A, "第一网格", "1号楼", name="甲")
    await create_activity(h, starts_in=timedelta(minutes=-10), points=9)
    forged = list(_forged())
    assert ("av:99999999999999999999", True) in forged
    assert ("ak:1:99999999999999999999:0", True) in forged
    for user in (A, GRID1_CHIEF, ADMIN_ID):
        message = await h.ask(user, "/points")
        for data, is_id in forged:
            pressed = await h.press_data(user, message, data)
            if is_id:  # a page or an amount may be read as the last one, or refused
                refused = ("失效", "没有找到这一项", "只有", "权限")  # stale, or not theirs
                assert any(word in pressed.alert for word in refused), (user, data, pressed.alert)
    # the same inside the /award flow, at each of its steps
    menu = await h.ask(GRID1_CHIEF, "/award")
    for data in ("pwp:99999999999999999999", "pwr:99999999999999999999", "pwr:-9"):
        pressed = await h.press_data(GRID1_CHIEF, menu, data)
        assert pressed.alert, data
    a = await h.resident(A)
    assert a is not None
    await h.press_data(GRID1_CHIEF, menu, f"pwr:{a.id}")
    for data in ("pws:amount:99999999999999999999", "pws:amount:-99999999999999999999"):
        pressed = await h.press_data(GRID1_CHIEF, menu, data)
        assert pressed.alert or pressed.messages, data
    assert await h.count(LedgerEntry) == 0
    assert await h.count(Redemption) == 0
    assert await h.count(ActivitySignup) == 0


async def test_the_board_choice_shown_pressed_again(h: Harness) -> None:
    """The marked button of a leaderboard shows what is there already: no edit Telegram
    would refuse as "message is not modified"."""
    await h.add_resident(A, "第一网格", "1号楼", name="甲")
    board = await h.ask(A, "/leaderboard")
    before = board.text
    for _ in range(2):
        await h.press(A, board, "• 本月")
        assert board.text == before
    await h.press(A, board, "累计")
    assert "累计" in board.text and board.has_button("• 累计")
