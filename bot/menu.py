"""Telegram's command menu (setMyCommands) per language and per role scope."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
)
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from linli.bot.commands import Access, CommandTable
from linli.bot.i18n import LOCALES, Translator, locale_of
from linli.config import Settings
from linli.models import Resident
from linli.services import residents as resident_service

log = logging.getLogger(__name__)


def menu_for(
    commands: CommandTable, translator: Translator, locale: str, rank: int, *, private: bool
) -> list[BotCommand]:
    return [
        BotCommand(command=spec.name, description=translator.get(spec.description_key, locale))
        for spec in commands.visible(rank, private=private)
        if spec.name != "start"
    ]


async def set_command_menus(
    bot: Bot,
    translator: Translator,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    commands: CommandTable,
) -> None:
    """Residents' menu in private chats, the public one in groups, and a chief's own menu in
    their private chat. Failures are logged: the menu is a convenience, not a reason to stop."""
    try:
        for locale in (None, *LOCALES):
            lang = locale or settings.default_language
            await bot.set_my_commands(
                menu_for(commands, translator, lang, Access.RESIDENT, private=True),
                scope=BotCommandScopeAllPrivateChats(),
                language_code=locale,
            )
            await bot.set_my_commands(
                menu_for(commands, translator, lang, Access.RESIDENT, private=False),
                scope=BotCommandScopeAllGroupChats(),
                language_code=locale,
            )
        async with sessionmaker() as session:
            chiefs = await resident_service.list_officials(session)
        for chief in chiefs:
            await set_menu_for_resident(bot, translator, chief, commands)
    except TelegramAPIError as exc:
        log.warning("could not set the command menu: %s", exc)


async def set_menu_for_resident(
    bot: Bot, translator: Translator, resident: Resident, commands: CommandTable
) -> None:
    """A chief's or admin's private chat gets the commands of their role (once they have
    written to the bot: before that Telegram knows no such chat)."""
    if resident.private_chat_at is None:
        return
    locale = locale_of(resident, None, translator.default_locale)
    try:
        await bot.set_my_commands(
            menu_for(commands, translator, locale, resident.role.rank, private=True),
            scope=BotCommandScopeChat(chat_id=resident.telegram_id),
        )
    except TelegramAPIError as exc:  # e.g. a chief who never opened the chat
        log.info("no menu for resident %s: %s", resident.id, exc)
