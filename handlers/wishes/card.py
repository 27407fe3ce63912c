"""A wish's card and its actions: open it, confirm it fulfilled (credits the claimer),
withdraw it, give a claim back — each asked again on the card before it happens — and
messages relayed between the author and the claimer (no phone numbers are exchanged by the
bot)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from linli.bot.callbacks.wishes import WishAct, WishConfirm
from linli.bot.delivery import Delivery
from linli.bot.keyboards import wishes as kb
from linli.handlers.casework_common import now
from linli.models import Resident
from linli.models.wishes import Wish
from linli.services import DbSession
from linli.services import wishes as wish_service
from linli.services.authz import require_verified
from linli.services.errors import StaleAction, ValidationFailed
from linli.services.parsing import has_words
from linli.services.wishes import WishAction, WishInfo

router = Router(name=__name__)

RELAY_MAX = 500
CONFIRMED = (WishAction.FULFIL, WishAction.RELEASE, WishAction.WITHDRAW)
"""The actions asked again before they happen (none can be undone)."""


class WishRelay(StatesGroup):
    text = State()


def _message(query: CallbackQuery) -> Message:
    assert isinstance(query.message, Message)
    return query.message


@router.callback_query(WishAct.filter(F.action == "open"))
async def open_card(
    query: CallbackQuery,
    callback_data: WishAct,
    session: DbSession,
    resident: Resident | None,
    delivery: Delivery,
    i18n: I18nContext,
) -> None:
    actor = require_verified(resident)
    data = await wish_service.view_for(session, actor, callback_data.wish_id)
    text, markup = delivery.wishes.card(i18n.get, data, actor)
    await _message(query).answer(text, reply_markup=markup)


async def _changed(
    query: CallbackQuery,
    wish: Wish,
    action: WishAction,
    session: DbSession,
    actor: Resident,
    delivery: Delivery,
    i18n: I18nContext,
    callback_answer: CallbackAnswer,
) -> WishInfo:
    """After a change: the group posts and the pressed card show the new state."""
    data = await wish_service.info(session, wish.id)
    await delivery.wishes.refresh_posts(session, data)
    text, markup = delivery.wishes.card(i18n.get, data, actor)
    await _message(query).edit_text(text, reply_markup=markup)
    callback_answer.text = i18n.get(f"wish-done-{action}", code=wish.code)
    return data


@router.callback_query(WishAct.filter(F.action.in_(CONFIRMED)))
async def ask_confirm(
    query: CallbackQuery,
    callback_data: WishAct,
    session: DbSession,
    resident: Resident | None,
    delivery: Delivery,
    i18n: I18nContext,
) -> None:
    """The card asks whether to go ahead (if the action is allowed now)."""
    action = WishAction(callback_data.action)
    data = await wish_service.info(session, callback_data.wish_id)
    actor = wish_service.require_action(data.wish, resident, action)
    text, _markup = delivery.wishes.card(i18n.get, data, actor)
    points = delivery.settings.casework.points_for(data.wish.category.value)
    question = i18n.get(
        "wish-confirm",
        action=action.value,
        code=data.wish.code,
        name=data.claimer.display_name if data.claimer and data.claimer.display_name else "-",
        points=points,
    )
    await _message(query).edit_text(
        f"{text}\n\n{question}", reply_markup=kb.confirm(i18n.get, data.wish.id, action)
    )


@router.callback_query(WishConfirm.filter(F.action == "keep"))
async def keep(
    query: CallbackQuery,
    callback_data: WishConfirm,
    session: DbSession,
    resident: Resident | None,
    delivery: Delivery,
    i18n: I18nContext,
) -> None:
    """Not now: the card as it was."""
    actor = require_verified(resident)
    data = await wish_service.view_for(session, actor, callback_data.wish_id)
    text, markup = delivery.wishes.card(i18n.get, data, actor)
    await _message(query).edit_text(text, reply_markup=markup)


@router.callback_query(WishConfirm.filter(F.action == WishAction.FULFIL))
async def fulfil(
    query: CallbackQuery,
    callback_data: WishConfirm,
    session: DbSession,
    resident: Resident | None,
    delivery: Delivery,
    i18n: I18nContext,
    callback_answer: CallbackAnswer,
) -> None:
    actor = require_verified(resident)
    points_for = delivery.settings.casework.points_for
    wish = await wish_service.fulfil(session, actor, callback_data.wish_id, now(), points_for)
    data = await _changed(
        query, wish, WishAction.FULFIL, session, actor, delivery, i18n, callback_answer
    )
    await delivery.wishes.fulfilled(data)


@router.callback_query(WishConfirm.filter(F.action == WishAction.WITHDRAW))
async def withdraw(
    query: CallbackQuery,
    callback_data: WishConfirm,
    session: DbSession,
    resident: Resident | None,
    delivery: Delivery,
    i18n: I18nContext,
    callback_answer: CallbackAnswer,
) -> None:
    actor = require_verified(resident)
    claimer = (await wish_service.info(session, callback_data.wish_id)).claimer
    wish = await wish_service.withdraw(session, actor, callback_data.wish_id, now())
    await delivery.wishes.withdrawn(wish, claimer)
    await _changed(
        query, wish, WishAction.WITHDRAW, session, actor, delivery, i18n, callback_answer
    )


@router.callback_query(WishConfirm.filter(F.action == WishAction.RELEASE))
async def release(
    query: CallbackQuery,
    callback_data: WishConfirm,
    session: DbSession,
    resident: Resident | None,
    delivery: Delivery,
    i18n: I18nContext,
    callback_answer: CallbackAnswer,
) -> None:
    actor = require_verified(resident)
    wish = await wish_service.release(session, actor, callback_data.wish_id, now())
    data = await _changed(
        query, wish, WishAction.RELEASE, session, actor, delivery, i18n, callback_answer
    )
    await delivery.wishes.released(data)


@router.callback_query(WishAct.filter(F.action == WishAction.MSG))
async def ask_message(
    query: CallbackQuery,
    callback_data: WishAct,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    actor = require_verified(resident)
    wish_id = callback_data.wish_id
    data, _peer, _role = await wish_service.relay_peer(session, actor, wish_id)
    await state.set_state(WishRelay.text)
    await state.set_data({"kind": "relay", "wish_id": wish_id})
    await _message(query).answer(
        i18n.get("wish-relay-ask", code=data.wish.code, limit=str(RELAY_MAX)),
        reply_markup=kb.cancel(i18n.get),
    )


@router.callback_query(WishAct.filter())
@router.callback_query(WishConfirm.filter())
async def stale_action(query: CallbackQuery, resident: Resident | None) -> None:
    """An action no handler takes (a forged button)."""
    require_verified(resident)
    raise StaleAction()


@router.message(WishRelay.text, F.text, ~F.text.startswith("/"))
async def relay_text(
    message: Message,
    state: FSMContext,
    session: DbSession,
    resident: Resident,
    delivery: Delivery,
    i18n: I18nContext,
) -> None:
    text = (message.text or "").strip()
    if len(text) > RELAY_MAX:
        raise ValidationFailed("wish-error-too-long", limit=str(RELAY_MAX), length=str(len(text)))
    if not has_words(text):
        raise ValidationFailed("wish-error-relay-words", limit=str(RELAY_MAX))
    wish_id = int((await state.get_data()).get("wish_id", 0))
    data, peer, role = await wish_service.relay_peer(session, resident, wish_id)
    await state.clear()
    delivered = await delivery.wishes.relay(data, peer, role, text)
    await message.answer(i18n.get("wish-relay-sent" if delivered else "wish-relay-failed"))


@router.message(WishRelay.text, ~F.text.startswith("/"))
async def relay_wrong(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("wish-reprompt-relay"), reply_markup=kb.cancel(i18n.get))
