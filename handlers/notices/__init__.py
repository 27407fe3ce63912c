"""Notices (通知), private chat only: /notice, a guided flow (a notice's text and attachment,
or an agenda digest; target; when; preview; confirm), and /notices (scheduled and recurring
notices: pause, resume, edit, cancel, delivery reports). Chiefs write plain text (Telegram's
own formatting kept) or, by choice, raw HTML; notices are sent with parse_mode HTML, every
other message is plain.

One module per conversation: composing (what, text, attachment), targets (where), agenda
(the digest's own steps), scheduling (when, preview, confirm), repeating (the recurring
schedules' steps), manage (/notices); stale answers the flow's buttons that no step took
("start again").
"""

from __future__ import annotations

from aiogram import F, Router

from linli.bot.commands import Access, CommandSpec
from linli.handlers.notices import (
    agenda,
    composing,
    manage,
    repeating,
    scheduling,
    stale,
    targets,
)

COMMANDS = [
    CommandSpec("notice", Access.BUILDING_CHIEF, "private"),
    CommandSpec("notices", Access.BUILDING_CHIEF, "private"),
]

router = Router(name=__name__)
router.message.filter(F.chat.type == "private")
router.include_routers(
    composing.router,
    agenda.router,
    targets.router,
    scheduling.router,
    repeating.router,
    manage.router,
    stale.router,
)

__all__ = ["COMMANDS", "router"]
