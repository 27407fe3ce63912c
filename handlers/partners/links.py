"""Invitations and the entry of people whose only standing here is a partner one: the deep
links `/start unit_<token>` (a unit's contact), `member_<token>` (a unit's members' link),
`mobile_<token>` (a mobile grid member), and `/start` showing the partner menu to them. This
router comes before registration (handlers/__init__.py)."""

from __future__ import annotations

import re

from aiogram import F, Router
from aiogram.filters import CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from linli.bot.callbacks.partners import PartyPick
from linli.bot.delivery import Delivery
from linli.bot.keyboards import partners as kb
from linli.handlers.partners.common import PartnerOnly, message_of, now_utc, private
from linli.handlers.partners.hub import show_hub
from linli.models import Resident
from linli.models.partners import InviteKind
from linli.services import DbSession, partner_invites, partner_members
from linli.services import partners as partner_service

router = Router(name=__name__)

INVITE = re.compile(r"^(unit|member|mobile)_([A-Za-z0-9_-]{16,64})$")
KINDS = {prefix: kind for kind, prefix in partner_service.DEEP_LINK_PREFIX.items()}


@router.message(CommandStart(deep_link=True, magic=F.args.regexp(INVITE)), private)
async def invitation(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    await state.clear()
    match = command.magic_result
    assert isinstance(match, re.Match)
    kind = KINDS[match.group(1)]
    accepted = await partner_invites.accept(session, resident, kind, match.group(2), now_utc())
    if kind == InviteKind.MOBILE:
        await message.answer(i18n.get("partner-mobile-welcome"))
        await delivery.partners.set_menu(resident, snap=True)
        await show_hub(message, session, resident, i18n)
        return
    assert accepted.unit is not None
    if kind == InviteKind.CONTACT:
        await message.answer(i18n.get("partner-contact-welcome", unit=accepted.unit.name))
        await delivery.partners.set_menu(resident, snap=False)
        await show_hub(message, session, resident, i18n)
        return
    await delivery.partners.request_to_join(accepted)
    await message.answer(i18n.get("partner-join-sent", unit=accepted.unit.name))
    await message.answer(i18n.get("partner-party-ask"), reply_markup=kb.party(i18n.get))


@router.message(CommandStart(), private, PartnerOnly())
async def partner_start(
    message: Message,
    state: FSMContext,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
    delivery: Delivery,
    standing: partner_service.Standing,
) -> None:
    """Someone whose only standing here is a partner one: their menu, not registration."""
    await state.clear()
    await delivery.partners.set_menu(resident, snap=standing.is_mobile)
    await show_hub(message, session, resident, i18n)


@router.callback_query(PartyPick.filter())
async def party_answer(
    query: CallbackQuery,
    callback_data: PartyPick,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    callback_answer: CallbackAnswer,
) -> None:
    await partner_members.set_party_member(session, resident, callback_data.value)
    key = "partner-party-yes" if callback_data.value else "partner-party-no"
    await message_of(query).edit_text(i18n.get(key))
    callback_answer.text = i18n.get("partner-saved")
