"""Volunteer points (志愿积分): one router per conversation, combined here in the order the
dispatcher tries them.

| module | conversation |
| --- | --- |
| summary | /points and the full ledger |
| common | leaving a points, activity or shop flow |
| gifts | /gift, and the admins' list of families |
| award_caps | lifting a resident's monthly caps (admins), a branch of /award |
| award | /award: pick a resident, points, reason; corrections (admins) |
| award_record | /award's recording step (no router) |
| export | /export points |
| activities | /activities, an activity's card, signing up, /checkin |
| activity_manage | the manager's buttons: code, QR image, attendance, hours, calling off |
| activity_new | /activity_new |
| shop | /rewards, an item, redeeming, a redemption's card and its actions |
| catalogue | the shop's managers: new items, stock, pickups waiting |
| leaderboard | /leaderboard in private chats and bound groups |
"""

from __future__ import annotations

from aiogram import Router

from linli.bot.commands import Access, CommandSpec
from linli.handlers.points import (
    activities,
    activity_manage,
    activity_new,
    award,
    award_caps,
    catalogue,
    common,
    export,
    gifts,
    leaderboard,
    shop,
    summary,
)

router = Router(name=__name__)
router.include_routers(
    summary.router,
    common.router,
    gifts.router,
    award_caps.router,  # before award's catch-all for stale buttons
    award.router,
    export.router,
    activities.router,
    activity_manage.router,
    activity_new.router,
    shop.router,
    catalogue.router,
    leaderboard.router,
)

COMMANDS = [
    CommandSpec("points", Access.RESIDENT, "private"),
    CommandSpec("gift", Access.RESIDENT, "private"),
    CommandSpec("activities", Access.RESIDENT, "private"),
    CommandSpec("checkin", Access.RESIDENT, "private"),
    CommandSpec("activity_new", Access.GRID_CHIEF, "private"),
    CommandSpec("rewards", Access.RESIDENT, "private"),
    CommandSpec("leaderboard", Access.RESIDENT, "both"),
    CommandSpec("award", Access.GRID_CHIEF, "private"),
    CommandSpec("export", Access.GRID_CHIEF, "private"),
]
