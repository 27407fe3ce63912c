"""Buttons shared by several features."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class Page(CallbackData, prefix="pg"):
    """Pagination of a list: `view` names the list, `page` starts at 0."""

    view: str
    page: int
