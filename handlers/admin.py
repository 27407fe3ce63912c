"""Community admin commands: /grant."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message
from aiogram_i18n import I18nContext

from linli.bot.commands import Access, CommandSpec, CommandTable
from linli.bot.delivery import Delivery
from linli.bot.filters import HasAccess
from linli.bot.menu import set_menu_for_resident
from linli.models import Resident
from linli.services import DbSession
from linli.services import residents as resident_service

router = Router(name=__name__)
router.message.filter(F.chat.type == "private", HasAccess(Access.ADMIN))

COMMANDS = [CommandSpec("grant", Access.ADMIN, "private")]


def _role_key(resident: Resident) -> str:
    return f"role-{resident.role.value.replace('_', '-')}"


@router.message(Command("grant"))
async def grant(
    message: Message,
    command: CommandObject,
    bot: Bot,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
    delivery: Delivery,
    commands: CommandTable,
) -> None:
    parts = (command.args or "").split(maxsplit=2)
    if len(parts) < 2:
        await message.answer(i18n.get("grant-usage"))
        return
    target_ref, role_name = parts[0], parts[1]
    unit_ref = parts[2] if len(parts) > 2 else None
    target = await resident_service.grant(session, resident, target_ref, role_name, unit_ref)
    unit = unit_ref or "-"
    await message.answer(
        i18n.get(
            "grant-done",
            name=target.display_name or str(target.telegram_id),
            role=i18n.get(_role_key(target)),
            unit=unit,
        )
    )
    await set_menu_for_resident(bot, delivery.translator, target, commands)
    if target.telegram_id != resident.telegram_id:
        role = delivery.translator.for_resident(target, _role_key(target))
        await delivery.tell(target, "grant-told", role=role, unit=unit)
