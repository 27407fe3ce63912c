"""Micro-wishes (微心愿), one router per conversation: posting (`/wish`, `/wish_for`) and
its preview, claiming (the group post's button, `/claim`), and the card's actions with the
messages relayed between the author and the claimer.

Importing this package imports `bot.delivery.wishes`, which registers the `on_delivered`
hook that brings a late group post up to date.
"""

from __future__ import annotations

from aiogram import F, Router

from linli.bot.commands import Access, CommandSpec
from linli.bot.delivery import wishes as _wish_delivery  # noqa: F401  (registers the hook)
from linli.handlers.wishes import card, claiming, filing, submit

COMMANDS = [
    CommandSpec("wish", Access.RESIDENT, "private"),
    CommandSpec("claim", Access.RESIDENT, "private"),
    CommandSpec("wish_for", Access.BUILDING_CHIEF, "private"),
]

router = Router(name=__name__)
router.message.filter(F.chat.type == "private")
router.include_routers(filing.router, claiming.router, card.router, submit.router)

__all__ = ["COMMANDS", "router"]
