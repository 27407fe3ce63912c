"""Community admin commands: /grant."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from linli.bot.commands import Access, CommandSpec
from linli.bot.filters import HasAccess
from linli.bot.i18n import Translator
from linli.bot.menu import set_menu_for_resident
from linli.bot.notify import tell
from linli.models import Resident
from linli.services import residents as resident_service

router = Router(name=__name__)
router.message.filter(F.chat.type == "private", HasAccess(Access.ADMIN))

COMMANDS = [CommandSpec("grant", Access.ADMIN, "private")]


@router.message(Command("grant"))
async def grant(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    resident: Resident,
    i18n: I18nContext,
    translator: Translator,
) -> None:
    parts = (command.args or "").split(maxsplit=2)
    if len(parts) < 2:
        await message.answer(i18n.get("grant-usage"))
        return
    target_ref, role_name = parts[0], parts[1]
    unit_ref = parts[2] if len(parts) > 2 else None
    target = await resident_service.grant(session, resident, target_ref, role_name, unit_ref)
    role = i18n.get(f"role-{target.role.value.replace('_', '-')}")
    unit = unit_ref or "-"
    await message.answer(
        i18n.get(
            "grant-done", name=target.display_name or str(target.telegram_id), role=role, unit=unit
        )
    )
    await set_menu_for_resident(message.bot, translator, target)
    if target.telegram_id != resident.telegram_id:
        await tell(
            message.bot,
            translator,
            target,
            "grant-told",
            role=translator.for_resident(target, f"role-{target.role.value.replace('_', '-')}"),
            unit=unit,
        )
