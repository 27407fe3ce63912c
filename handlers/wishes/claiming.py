"""Claiming a micro-wish: the Claim button of its group post, or `/claim W12` in private
(`/claim` alone lists the open wishes of one's grid). The first claim wins."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from linli.bot.callbacks.wishes import WishClaim
from linli.bot.commands import Access
from linli.bot.delivery import Delivery
from linli.bot.filters import HasAccess
from linli.bot.keyboards import wishes as kb
from linli.handlers.casework_common import command_arg, now, title_of
from linli.models import Resident
from linli.services import DbSession
from linli.services import wishes as wish_service
from linli.services.errors import ValidationFailed
from linli.services.parsing import parse_ref

router = Router(name=__name__)


async def _claim(
    wish_id: int, session: DbSession, resident: Resident | None, delivery: Delivery
) -> wish_service.WishInfo:
    wish = await wish_service.claim(session, resident, wish_id, now())
    data = await wish_service.info(session, wish.id)
    await delivery.wishes.claimed(session, data)
    return data


@router.callback_query(WishClaim.filter())
async def claim_button(
    query: CallbackQuery,
    callback_data: WishClaim,
    session: DbSession,
    resident: Resident | None,
    delivery: Delivery,
    i18n: I18nContext,
    callback_answer: CallbackAnswer,
) -> None:
    data = await _claim(callback_data.wish_id, session, resident, delivery)
    callback_answer.text = i18n.get("wish-claim-ok", code=data.wish.code)
    callback_answer.show_alert = True


@router.message(Command("claim"), HasAccess(Access.RESIDENT))
async def claim_command(
    message: Message,
    session: DbSession,
    resident: Resident,
    delivery: Delivery,
    i18n: I18nContext,
) -> None:
    arg = command_arg(message.text)
    if not arg:
        await _list_open(message, session, resident, i18n)
        return
    wish_id = parse_ref(arg, "W")
    if wish_id is None:
        raise ValidationFailed("wish-error-bad-ref", ref=arg)
    data = await _claim(wish_id, session, resident, delivery)
    if message.chat.id != resident.telegram_id:
        await message.answer(i18n.get("wish-claim-ok", code=data.wish.code))


async def _list_open(
    message: Message, session: DbSession, resident: Resident, i18n: I18nContext
) -> None:
    """Open wishes of the resident's grid that they could claim."""
    items = [
        (w.id, f"{w.code} · {title_of(w.text, bool(w.voice_file_id), i18n.get)}")
        for w in await wish_service.open_for_claim(session, resident)
    ]
    if not items:
        await message.answer(i18n.get("wish-claim-none"))
        return
    await message.answer(i18n.get("wish-claim-list"), reply_markup=kb.open_list(items))
