"""A unit adopts a micro-wish (认领): a member sees the open wishes of the community, opens
one and claims it for their unit; they get its details as any claimer does, its author is
told, and its group posts show it taken. Fulfilling it is the wish's own flow (the author
confirms; the member is credited)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from linli.bot.callbacks.partners import AdoptAct, Hub
from linli.bot.delivery import Delivery
from linli.bot.keyboards import partners as kb
from linli.handlers.partners.common import message_of, now_utc
from linli.models import Resident
from linli.services import DbSession, adoptions
from linli.services import partners as partner_service
from linli.services.errors import StaleAction
from linli.services.partners import Section

router = Router(name=__name__)


@router.callback_query(Hub.filter(F.view == Section.ADOPT))
async def adoptable(
    query: CallbackQuery,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    wishes = await adoptions.adoptable(session, resident)
    items = [
        (w.id, f"{w.code} · {i18n.get('wish-category', category=w.category.value)}") for w in wishes
    ]
    text = i18n.get("adopt-list-title") if items else i18n.get("adopt-list-none")
    await message_of(query).edit_text(text, reply_markup=kb.adoptable(i18n.get, items))


@router.callback_query(AdoptAct.filter(F.action == "open"))
async def open_wish(
    query: CallbackQuery,
    callback_data: AdoptAct,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    data = await adoptions.adoptable_one(session, resident, callback_data.wish_id)
    assert resident is not None
    mine = await partner_service.require_member(session, resident)
    assert mine.unit is not None
    text = delivery.wishes.card_text(i18n.get, data, resident)
    await message_of(query).edit_text(
        text + "\n\n" + i18n.get("adopt-explain", unit=mine.unit.name),
        reply_markup=kb.adopt(i18n.get, data.wish.id, mine.unit.name),
    )


@router.callback_query(AdoptAct.filter(F.action == "adopt"))
async def adopt(
    query: CallbackQuery,
    callback_data: AdoptAct,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
    callback_answer: CallbackAnswer,
) -> None:
    data = await adoptions.adopt(session, resident, callback_data.wish_id, now_utc())
    unit = await adoptions.adopted_by(session, data.wish.id)
    await message_of(query).edit_text(
        i18n.get("adopt-done", code=data.wish.code, unit=unit or "-"),
        reply_markup=kb.menu_button(i18n.get),
    )
    callback_answer.text = i18n.get("partner-saved")
    await delivery.wishes.claimed(session, data)


@router.callback_query(AdoptAct.filter())
async def unknown_adopt_action(query: CallbackQuery) -> None:
    raise StaleAction()
