"""Routers, one per feature, in the order the dispatcher tries them.

Groups first (so unbound groups and private-only commands are answered before the public
ones), the feature routers, and the fallback last.
"""

from __future__ import annotations

from functools import cache

from aiogram import Router

from linli.bot.commands import CommandSpec
from linli.handlers import (
    admin,
    basics,
    cockpit,
    complaints,
    deliberation,
    fallback,
    groups,
    home,
    notices,
    partners,
    points,
    privacy,
    registration,
    residents,
    when,
    wishes,
)

FEATURES = (
    groups,
    home,
    partners,  # before registration: invitation links and the partner members' /start
    registration,
    basics,
    admin,
    residents,
    wishes,
    complaints,
    deliberation,
    points,
    privacy,
    notices,
    cockpit,
    when,
)


def routers() -> list[Router]:
    """Fresh list each call; a router can be attached to one dispatcher only."""
    return [module.router for module in (*FEATURES, fallback)]


@cache
def all_commands() -> tuple[CommandSpec, ...]:
    return tuple(spec for module in FEATURES for spec in module.COMMANDS)
