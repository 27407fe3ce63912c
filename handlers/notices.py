"""Handlers of the notices feature (filled in by its issue)."""

from __future__ import annotations

from aiogram import Router

from bot.commands import CommandSpec

router = Router(name=__name__)

COMMANDS: list[CommandSpec] = []
