"""Last router: unknown commands, commands above the caller's role, stale buttons, and
free text outside any flow. Ordinary group chatter is never answered."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from linli.bot.commands import Access, CommandSpec, CommandTable
from linli.models import Resident
from linli.services.authz import role_rank

router = Router(name=__name__)
COMMANDS: list[CommandSpec] = []


@router.message(F.chat.type == "private", F.text.startswith("/"))
async def unknown_or_refused_command(
    message: Message, resident: Resident | None, i18n: I18nContext, commands: CommandTable
) -> None:
    name = (message.text or "/").split(maxsplit=1)[0][1:].partition("@")[0].lower()
    spec = commands.get(name)
    if spec is None or not spec.in_private:
        await message.answer(i18n.get("unknown-command"))
    elif role_rank(resident) < Access.RESIDENT:
        await message.answer(i18n.get("error-not-verified"))
    else:
        await message.answer(i18n.get("error-role-required"))


@router.message(F.chat.type == "private")
async def outside_any_flow(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("free-text-hint"))


@router.callback_query()
async def stale_button(
    query: CallbackQuery, callback_answer: CallbackAnswer, i18n: I18nContext
) -> None:
    callback_answer.text = i18n.get("error-stale-button")
    callback_answer.show_alert = True
