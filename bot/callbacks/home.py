"""Buttons of the home menu."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class HomePick(CallbackData, prefix="hm"):
    """An entry of the home menu: starts the flow of `command` (bot/menu.py `HOME_MENU`)."""

    command: str


class HomeOpen(CallbackData, prefix="hmo"):
    """ "Open the menu" under a message (e.g. the approval): the home menu, as /start."""


class HomeDrop(CallbackData, prefix="hmx"):
    """Drop the unfinished step the home menu was opened in the middle of."""
