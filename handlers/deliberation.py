"""Deliberation (议事协商) in four steps: topics (handlers/topics.py) and votes
(handlers/votes.py), combined into one router."""

from __future__ import annotations

from aiogram import Router

from linli.bot.commands import Access, CommandSpec
from linli.handlers import topics, votes

router = Router(name=__name__)
router.include_router(topics.router)
router.include_router(votes.router)

COMMANDS: list[CommandSpec] = [
    CommandSpec("propose", Access.RESIDENT, "private"),
    CommandSpec("topics", Access.RESIDENT, "both"),
    CommandSpec("comment", Access.RESIDENT, "private"),
    CommandSpec("pool", Access.BUILDING_CHIEF, "private"),
    CommandSpec("vote_new", Access.BUILDING_CHIEF, "private"),
]
