"""Buttons shared by several features."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class Page(CallbackData, prefix="pg"):
    """Pagination of a list: `view` names the list, `page` starts at 0."""

    view: str
    page: int


class WhenPick(CallbackData, prefix="wp"):
    """The date-and-time picker (bot/keyboards/when.py). `flow` names the flow that asked
    (each flow routes its own final pick with `WhenPick.filter(F.flow == "…")`); `day` is
    `YYYYMMDD` once a day was chosen ("" shows the days again); `at` is `HHMM` once a time
    was chosen: only then is the pick the flow's."""

    flow: str
    day: str = ""
    at: str = ""
