"""Buttons of /privacy (y*). The leaderboard choice keeps its `pv` factory
(bot.callbacks.points.PrivacyChoice), so buttons already in residents' chats still work.

| prefix | factory |
| --- | --- |
| yv | PrivacyMenu: a menu entry (download, leaderboard, delete, back) |
| yd | PrivacyDelete: confirm or cancel deleting the account |
"""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class PrivacyMenu(CallbackData, prefix="yv"):
    action: str  # "dl" download | "lb" leaderboard | "del" delete | "menu" back


class PrivacyDelete(CallbackData, prefix="yd"):
    """`rid` is the resident the button was made for and `ts` when (minutes since the
    epoch): a button from another account or an old menu does nothing."""

    rid: int
    ts: int
    go: bool
