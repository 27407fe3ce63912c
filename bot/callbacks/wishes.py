"""Buttons of micro-wishes (prefixes w*)."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class WishCategoryPick(CallbackData, prefix="wk"):
    code: str


class WishStep(CallbackData, prefix="wd"):
    """A step of the /wish draft: nophoto, name_yes, name_no, confirm, edit, cancel."""

    action: str


class WishBuildingPick(CallbackData, prefix="wb"):
    """The building of a resident a chief files a wish for (/wish_for)."""

    building_id: int


class WishClaim(CallbackData, prefix="wc"):
    wish_id: int


class WishAct(CallbackData, prefix="wa"):
    """`open` (the card) or a `services.wishes.WishAction` on a wish: fulfil, withdraw,
    release, msg (claiming has its own button, `WishClaim`)."""

    wish_id: int
    action: str


class WishConfirm(CallbackData, prefix="wf"):
    """Confirm `action` (fulfil, release, withdraw) asked by the card's button; `no`
    keeps the wish as it is."""

    wish_id: int
    action: str
