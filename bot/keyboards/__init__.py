"""Keyboard builders (aiogram's InlineKeyboardBuilder), one module per feature.

`rows` and `button` stand in for the builder on the keyboards every complaint and every
visit to the shop sends: the builder deep-copies all the buttons it holds on each
`button()`, `adjust()` and `as_markup()` (quadratic in the buttons, a few per cent of a
complaint's CPU; docs/benchmarks.md, "The hot path")."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton


def button(text: str, data: CallbackData | str) -> InlineKeyboardButton:
    """A callback button (`data` packed when it is a `CallbackData`)."""
    return InlineKeyboardButton(
        text=text, callback_data=data if isinstance(data, str) else data.pack()
    )


def rows(
    buttons: Sequence[InlineKeyboardButton], width: int = 1
) -> list[list[InlineKeyboardButton]]:
    """`buttons`, `width` to a row (the builder's `adjust(width)`)."""
    return [list(buttons[start : start + width]) for start in range(0, len(buttons), width)]
