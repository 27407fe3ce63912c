"""Deliberation (议事协商) in four steps, one router per conversation:

1. proposal (`propose`), support and ratings (`participate`), browsing (`browse`);
2. selection in the pool (`pool`) and a chief's steps with a text (`steps`);
3. discussion (`discussion`) and comments (`comments`);
4. votes (`vote_new`) and ballots (`ballots`).

`common` holds what the flows share (Cancel, drafts, dates, "press a button") and, last,
the "start again" answer to a flow's button whose draft is gone; `cards` renders topic
cards and list lines.
"""

from __future__ import annotations

from aiogram import Router

from linli.bot.commands import Access, CommandSpec
from linli.handlers.deliberation import (
    ballots,
    browse,
    comments,
    common,
    discussion,
    participate,
    pool,
    propose,
    steps,
    vote_new,
)

router = Router(name=__name__)
router.include_routers(
    common.router,
    propose.router,
    participate.router,
    browse.router,
    pool.router,
    steps.router,
    discussion.router,
    comments.router,
    vote_new.router,
    ballots.router,
    common.lost,
)

COMMANDS: list[CommandSpec] = [
    CommandSpec("propose", Access.RESIDENT, "private"),
    CommandSpec("topics", Access.RESIDENT, "both"),
    CommandSpec("comment", Access.RESIDENT, "private"),
    CommandSpec("pool", Access.BUILDING_CHIEF, "private"),
    CommandSpec("vote_new", Access.BUILDING_CHIEF, "private"),
]
