"""The partner menu (/partners, and /start for someone whose only standing here is a partner
one): who they are here and the sections open to them, as buttons. Each section's button is
handled by its own conversation's router."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from linli.bot.callbacks.partners import Hub
from linli.bot.keyboards import partners as kb
from linli.handlers.partners.common import message_of, private
from linli.models import Resident
from linli.services import DbSession
from linli.services import partners as partner_service

router = Router(name=__name__)


def standing_text(i18n: I18nContext, mine: partner_service.Standing) -> str:
    lines = [i18n.get("partner-menu-title")]
    if mine.unit is not None and mine.is_contact:
        lines.append(i18n.get("partner-menu-contact", unit=mine.unit.name))
    elif mine.unit is not None and mine.is_member:
        lines.append(i18n.get("partner-menu-member", unit=mine.unit.name))
    elif mine.unit is not None and mine.is_pending:
        lines.append(i18n.get("partner-menu-pending", unit=mine.unit.name))
    if mine.is_mobile:
        lines.append(i18n.get("partner-menu-mobile"))
    return "\n".join(lines)


async def show_hub(
    message: Message,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    *,
    edit: bool = False,
) -> None:
    if resident is None:
        await message.answer(i18n.get("partner-error-not-member"))
        return
    mine = await partner_service.standing(session, resident)
    sections = partner_service.sections(mine)
    text = standing_text(i18n, mine)
    if not sections:
        text += "\n\n" + i18n.get("partner-menu-nothing")
    markup = kb.hub(i18n.get, sections)
    if edit:
        await message.edit_text(text, reply_markup=markup)
    else:
        await message.answer(text, reply_markup=markup)


@router.message(Command("partners"), private)
async def partners_command(
    message: Message,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    await state.clear()
    await show_hub(message, session, resident, i18n)


@router.callback_query(Hub.filter(F.view == "menu"))
async def back_to_menu(
    query: CallbackQuery,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    await state.clear()
    await show_hub(message_of(query), session, resident, i18n, edit=True)
