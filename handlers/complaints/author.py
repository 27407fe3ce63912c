"""A follower's side of a complaint: its card from `/my`, and the author's rating (with an
optional comment), reopening and closing of a resolved complaint, and the appeal of a
rejected one. Reopening and appealing ask for a reason (a common one from buttons, or a
line of text), then for confirmation."""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from linli.bot.callbacks.complaints import (
    ComplaintAct,
    ComplaintRate,
    ComplaintReason,
    ComplaintStep,
    ComplaintView,
)
from linli.bot.delivery import Delivery
from linli.bot.keyboards import complaints as kb
from linli.handlers.casework_common import buttons_done, now
from linli.models import Resident
from linli.services import DbSession
from linli.services import complaints as complaint_service
from linli.services.authz import require_verified
from linli.services.complaints import Change, ComplaintAction
from linli.services.errors import StaleAction

router = Router(name=__name__)

REASONS: dict[ComplaintAction, tuple[str, ...]] = {
    ComplaintAction.REOPEN: ("not_fixed", "partly", "again"),
    ComplaintAction.APPEAL: ("exists", "in_scope", "not_seen"),
}
"""The common reasons offered as buttons (`complaint-reason-<action>` texts)."""


class RateComment(StatesGroup):
    comment = State()


class AuthorReason(StatesGroup):
    reason = State()
    confirm = State()


@router.callback_query(ComplaintAct.filter(F.action == ComplaintView.MINE))
async def follower_card(
    query: CallbackQuery,
    callback_data: ComplaintAct,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    actor = require_verified(resident)
    data = await complaint_service.for_follower(session, actor, callback_data.complaint_id)
    text, markup = delivery.casework.follower_card(i18n.get, data, actor, now())
    assert isinstance(query.message, Message)
    await query.message.answer(text, reply_markup=markup)


@router.callback_query(ComplaintAct.filter(F.action == ComplaintAction.RATE))
async def ask_rating(
    query: CallbackQuery,
    callback_data: ComplaintAct,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    actor = require_verified(resident)
    cid = callback_data.complaint_id
    days = delivery.settings.casework.reopen_days
    await complaint_service.for_author_action(
        session, actor, cid, ComplaintAction.RATE, now(), days
    )
    assert isinstance(query.message, Message)
    await query.message.answer(i18n.get("complaint-rate-ask"), reply_markup=kb.stars(cid))


@router.callback_query(ComplaintAct.filter(F.action.in_(REASONS)))
async def ask_reason(
    query: CallbackQuery,
    callback_data: ComplaintAct,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    """Reopen or appeal: first why (if it is allowed now)."""
    actor = require_verified(resident)
    action = ComplaintAction(callback_data.action)
    cid = callback_data.complaint_id
    days = delivery.settings.casework.reopen_days
    data = await complaint_service.for_author_action(session, actor, cid, action, now(), days)
    await state.set_state(AuthorReason.reason)
    await state.set_data({"kind": "reason", "complaint_id": cid, "action": action.value})
    assert isinstance(query.message, Message)
    await query.message.answer(
        i18n.get(
            f"complaint-ask-reason-{action}",
            code=data.complaint.code,
            limit=str(complaint_service.REASON_MAX),
        ),
        reply_markup=kb.reasons(i18n.get, cid, action.value, REASONS[action]),
    )


async def _reason_draft(state: FSMContext) -> dict[str, Any]:
    data = await state.get_data()
    if data.get("kind") != "reason" or data.get("action") not in REASONS:
        raise StaleAction("complaint-draft-lost")
    return data


@router.callback_query(AuthorReason.reason, ComplaintReason.filter())
async def reason_picked(
    query: CallbackQuery, callback_data: ComplaintReason, state: FSMContext, i18n: I18nContext
) -> None:
    data = await _reason_draft(state)
    action = ComplaintAction(data["action"])
    if (
        callback_data.action != action
        or callback_data.complaint_id != data.get("complaint_id")
        or callback_data.code not in REASONS[action]
    ):
        raise StaleAction()
    reason = i18n.get(f"complaint-reason-{action}", code=callback_data.code)
    await _ask_confirm(await buttons_done(query), state, i18n, reason)


@router.message(AuthorReason.reason, F.text, ~F.text.startswith("/"))
async def reason_typed(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await _reason_draft(state)
    reason = complaint_service.check_note(message.text or "", complaint_service.REASON_MAX)
    await _ask_confirm(message, state, i18n, reason)


@router.message(AuthorReason.reason, ~F.text.startswith("/"))
async def reason_wrong(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("complaint-reprompt-reason"), reply_markup=kb.cancel(i18n.get))


async def _ask_confirm(message: Message, state: FSMContext, i18n: I18nContext, reason: str) -> None:
    data = await state.update_data(reason=reason)
    await state.set_state(AuthorReason.confirm)
    action = data["action"]
    await message.answer(
        i18n.get(f"complaint-confirm-{action}", code=f"C{data['complaint_id']}", reason=reason),
        reply_markup=kb.confirm(i18n.get, f"complaint-button-{action}-confirm", "reason_ok"),
    )


@router.callback_query(AuthorReason.confirm, ComplaintStep.filter(F.action == "reason_ok"))
async def reason_confirmed(
    query: CallbackQuery,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    data = await _reason_draft(state)
    if not data.get("reason"):
        raise StaleAction("complaint-draft-lost")
    actor = require_verified(resident)
    move = (
        complaint_service.reopen
        if data["action"] == ComplaintAction.REOPEN
        else complaint_service.appeal
    )
    days = delivery.settings.casework.reopen_days
    moment = now()
    change = await move(session, actor, int(data["complaint_id"]), moment, days, data["reason"])
    await state.clear()
    message = await buttons_done(query)
    await message.answer(i18n.get(f"complaint-{data['action']}-done", code=change.complaint.code))
    await delivery.casework.announce(session, change, moment, skip=actor)


@router.callback_query(ComplaintAct.filter(F.action == ComplaintAction.CLOSE))
async def close(
    query: CallbackQuery,
    callback_data: ComplaintAct,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
    callback_answer: CallbackAnswer,
) -> None:
    actor = require_verified(resident)
    moment = now()
    days = delivery.settings.casework.reopen_days
    change = await complaint_service.close_by_author(
        session, actor, callback_data.complaint_id, moment, days
    )
    await _done(query, change, state, session, i18n, delivery, callback_answer)


async def _done(
    query: CallbackQuery,
    change: Change,
    state: FSMContext,
    session: DbSession,
    i18n: I18nContext,
    delivery: Delivery,
    callback_answer: CallbackAnswer,
) -> None:
    await state.clear()
    await buttons_done(query)
    callback_answer.text = i18n.get(
        "complaint-done", code=change.complaint.code, status=change.new or ""
    )
    await delivery.casework.announce(session, change, now())


@router.callback_query(ComplaintRate.filter())
async def rated(
    query: CallbackQuery,
    callback_data: ComplaintRate,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    actor = require_verified(resident)
    moment = now()
    cid, stars = callback_data.complaint_id, callback_data.stars
    days = delivery.settings.casework.reopen_days
    change = await complaint_service.rate(session, actor, cid, stars, moment, days)
    message = await buttons_done(query)
    await state.set_state(RateComment.comment)
    await state.set_data({"kind": "rate", "complaint_id": cid})
    data = await complaint_service.for_follower(session, actor, cid)
    key = "complaint-rated-low" if stars <= 2 else "complaint-rated"
    await message.answer(
        i18n.get(key, code=f"C{cid}", stars="⭐" * stars),
        reply_markup=delivery.casework.after_rating(i18n.get, data, actor, moment),
    )
    if change is not None:
        await delivery.casework.announce(session, change, moment, skip=actor)


@router.callback_query(ComplaintStep.filter(F.action == "nocomment"))
async def no_comment(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    await state.clear()
    message = await buttons_done(query)
    await message.answer(i18n.get("complaint-rate-thanks"))


@router.message(RateComment.comment, F.text, ~F.text.startswith("/"))
async def rating_comment(
    message: Message,
    state: FSMContext,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
) -> None:
    cid = int((await state.get_data()).get("complaint_id", 0))
    await complaint_service.comment(session, resident, cid, message.text or "", now())
    await state.clear()
    await message.answer(i18n.get("complaint-rate-thanks"))


@router.message(RateComment.comment, ~F.text.startswith("/"))
async def rating_comment_wrong(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("complaint-reprompt-note"))
