"""Complaints and requests (诉求), one router per conversation: filing (`/complain`,
`/complain_for`) and its preview, the chiefs' card actions and the ones that need text,
the author's rating and reopening, the lists `/my` and `/queue`, `/stats` and `/handlers`.

`submit` comes last: its catch-alls answer the step and action buttons nothing else took.
"""

from __future__ import annotations

from aiogram import F, Router

from linli.bot.commands import Access, CommandSpec
from linli.handlers.complaints import (
    author,
    chief_actions,
    chief_input,
    filing,
    lists,
    stats,
    submit,
)

COMMANDS = [
    CommandSpec("complain", Access.RESIDENT, "private"),
    CommandSpec("my", Access.RESIDENT, "private"),
    CommandSpec("queue", Access.BUILDING_CHIEF, "private"),
    CommandSpec("complain_for", Access.BUILDING_CHIEF, "private"),
    CommandSpec("stats", Access.BUILDING_CHIEF, "private"),
    CommandSpec("handlers", Access.GRID_CHIEF, "private"),
]

router = Router(name=__name__)
router.message.filter(F.chat.type == "private")
router.include_routers(
    filing.router,
    author.router,
    chief_input.router,
    chief_actions.router,
    lists.router,
    stats.router,
    submit.router,
)

__all__ = ["COMMANDS", "router"]
