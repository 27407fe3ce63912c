"""Keyboards of the home menu: the persistent "菜单" button under the input field, and the
menu of buttons it opens."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from linli.bot.callbacks.home import HomeDrop, HomeOpen, HomePick
from linli.bot.menu import MenuEntry, Section

Tr = Callable[..., str]

# Buttons per row in each section: residents' big buttons two a row, the rest three.
WIDTH: dict[Section, int] = {"resident": 2, "chief": 3, "account": 3}


def menu_button(tr: Tr) -> ReplyKeyboardMarkup:
    """The one button that is always there (`is_persistent`): it opens the home menu."""
    return ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text=tr("home-button"))]],
        is_persistent=True,
        resize_keyboard=True,
    )


def home_menu(tr: Tr, entries: Sequence[MenuEntry], *, in_flow: bool) -> InlineKeyboardMarkup:
    """The entries by section; in the middle of a flow, a last row to drop it."""
    rows: list[list[InlineKeyboardButton]] = []
    for section, width in WIDTH.items():
        buttons = [
            InlineKeyboardButton(
                text=tr(entry.label_key), callback_data=HomePick(command=entry.command).pack()
            )
            for entry in entries
            if entry.section == section
        ]
        rows.extend(buttons[i : i + width] for i in range(0, len(buttons), width))
    if in_flow:
        rows.append([InlineKeyboardButton(text=tr("home-drop"), callback_data=HomeDrop().pack())])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def open_menu(tr: Tr) -> InlineKeyboardMarkup:
    """One button under a message (e.g. the approval) that opens the home menu."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=tr("home-open"), callback_data=HomeOpen().pack())]
        ]
    )
