"""The menus: Telegram's command menu (setMyCommands) per language and per role scope, and
the home menu of buttons (`HOME_MENU`, as data: handlers/home.py shows it and starts the
flow of the entry pressed)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

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
from linli.services.authz import role_rank

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


Section = Literal["resident", "chief", "account"]


@dataclass(frozen=True)
class MenuEntry:
    """One button of the home menu. Pressing it starts the flow of `command` exactly as
    typing `/command` would (same handler, same checks). Shown to those whose standing is at
    least `access` (and who may use the command), and for whom `when` holds, if given.
    Its label is the catalogue message `home-<command>` (underscores as dashes)."""

    command: str
    access: Access = Access.RESIDENT
    section: Section = "resident"
    when: Callable[[Resident | None], bool] | None = None

    @property
    def label_key(self) -> str:
        return "home-" + self.command.replace("_", "-")

    def shown_to(self, resident: Resident | None, commands: CommandTable) -> bool:
        rank = role_rank(resident)
        spec = commands.get(self.command)
        return (
            spec is not None
            and spec.in_private
            and spec.allowed_for(rank)
            and rank >= self.access
            and (self.when is None or self.when(resident))
        )


def _unregistered(resident: Resident | None) -> bool:
    """Not (or no longer) applying for a building: registration is what they can do."""
    return resident is None or (not resident.is_verified and resident.building_id is None)


HOME_MENU: tuple[MenuEntry, ...] = (
    # what residents do, two big buttons a row
    MenuEntry("wish"),
    MenuEntry("complain"),
    MenuEntry("my"),
    MenuEntry("points"),
    MenuEntry("activities"),
    MenuEntry("topics"),
    MenuEntry("needs"),
    MenuEntry("projects"),
    # the chiefs' own
    MenuEntry("queue", Access.BUILDING_CHIEF, "chief"),
    MenuEntry("residents", Access.BUILDING_CHIEF, "chief"),
    MenuEntry("notice", Access.BUILDING_CHIEF, "chief"),
    MenuEntry("pool", Access.BUILDING_CHIEF, "chief"),
    MenuEntry("stats", Access.BUILDING_CHIEF, "chief"),
    MenuEntry("cockpit", Access.BUILDING_CHIEF, "chief"),
    MenuEntry("activity_new", Access.GRID_CHIEF, "chief"),
    MenuEntry("award", Access.GRID_CHIEF, "chief"),
    MenuEntry("partners", Access.GRID_CHIEF, "chief"),
    MenuEntry("grant", Access.ADMIN, "chief"),
    # everyone, also before approval
    MenuEntry("start", Access.ANYONE, "account", when=_unregistered),
    MenuEntry("help", Access.ANYONE, "account"),
    MenuEntry("lang", Access.ANYONE, "account"),
    MenuEntry("privacy", Access.ANYONE, "account"),
)
"""The home menu, in order. A feature adds its button with one line here (and its label
`home-<command>` in its catalogues)."""


def home_entries(resident: Resident | None, commands: CommandTable) -> list[MenuEntry]:
    """The entries of the home menu this person sees now."""
    return [entry for entry in HOME_MENU if entry.shown_to(resident, commands)]


def home_entry(command: str) -> MenuEntry | None:
    return next((entry for entry in HOME_MENU if entry.command == command), None)
