"""A chief's card of a complaint and its one-press buttons: open, accept (under appeal:
grant it), start work, assign (to a chief of the grid or a named handler, picked from a
list), play the voice, see the photos, see the place as a map pin. The buttons that need
more first (reject, resolve, merge, searching a long list) are
`handlers.complaints.chief_input`.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters.callback_data import CallbackQueryFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from linli.bot.callbacks.complaints import ComplaintAct, ComplaintAssign, ComplaintView
from linli.bot.delivery import Delivery
from linli.bot.keyboards import complaints as kb
from linli.handlers.casework_common import now
from linli.handlers.complaints.chief_input import PICK_MAX, ChiefInput
from linli.models import Resident
from linli.services import DbSession
from linli.services import complaints as complaint_service
from linli.services.authz import require_verified
from linli.services.complaints import Change, ComplaintAction
from linli.services.errors import StaleAction

router = Router(name=__name__)


def _act(action: str) -> CallbackQueryFilter:
    return ComplaintAct.filter(F.action == action)


@router.callback_query(_act(ComplaintView.OPEN))
async def open_card(
    query: CallbackQuery,
    callback_data: ComplaintAct,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    """The card with the chief's buttons; "back" from the assignment list edits it in
    place."""
    actor = require_verified(resident)
    data = await complaint_service.for_chief(session, actor, callback_data.complaint_id)
    text, markup = delivery.casework.chief_card(i18n.get, data, actor, now())
    message = query.message
    assert isinstance(message, Message)
    if (
        message.text
        and message.text.startswith(("📋", data.complaint.code))
        and message.reply_markup
    ):
        await message.edit_text(text, reply_markup=markup)
    else:
        await message.answer(text, reply_markup=markup)


@router.callback_query(_act(ComplaintAction.ACCEPT))
async def accept(
    query: CallbackQuery,
    callback_data: ComplaintAct,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
    callback_answer: CallbackAnswer,
) -> None:
    actor = require_verified(resident)
    change = await complaint_service.accept(session, actor, callback_data.complaint_id, now())
    await _moved(query, change, session, actor, i18n, delivery, callback_answer)


@router.callback_query(_act(ComplaintAction.START))
async def start(
    query: CallbackQuery,
    callback_data: ComplaintAct,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
    callback_answer: CallbackAnswer,
) -> None:
    actor = require_verified(resident)
    change = await complaint_service.start(session, actor, callback_data.complaint_id, now())
    await _moved(query, change, session, actor, i18n, delivery, callback_answer)


async def _moved(
    query: CallbackQuery,
    change: Change,
    session: DbSession,
    actor: Resident,
    i18n: I18nContext,
    delivery: Delivery,
    callback_answer: CallbackAnswer,
) -> None:
    """The pressed card shows the new state, the press is answered with it, and the
    followers (and the chiefs concerned) are told."""
    if change.action == "assigned":
        done = i18n.get("complaint-assigned", code=change.complaint.code, name=change.note)
    else:
        done = i18n.get("complaint-done", code=change.complaint.code, status=change.new or "")
    callback_answer.text = done
    moment = now()
    data = await complaint_service.info(session, change.complaint.id)
    text, markup = delivery.casework.chief_card(i18n.get, data, actor, moment)
    assert isinstance(query.message, Message)
    await query.message.edit_text(text, reply_markup=markup)
    await delivery.casework.announce(session, change, moment)


@router.callback_query(_act(ComplaintAction.ASSIGN))
async def assign_options(
    query: CallbackQuery,
    callback_data: ComplaintAct,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    """The chiefs of the grid and its named handlers as buttons; a long list says that
    one typed word narrows it."""
    actor = require_verified(resident)
    cid = callback_data.complaint_id
    data = await complaint_service.for_chief_action(session, actor, cid, ComplaintAction.ASSIGN)
    options = await complaint_service.assign_options(session, actor, cid)
    key = "complaint-ask-assign"
    if len(options) > PICK_MAX:
        key = "complaint-ask-assign-long"
        await state.set_state(ChiefInput.assign_search)
        await state.set_data({"kind": "chief", "complaint_id": cid})
    assert isinstance(query.message, Message)
    await query.message.answer(
        i18n.get(key, code=data.complaint.code, count=len(options), shown=PICK_MAX),
        reply_markup=kb.assign_options(i18n.get, cid, options[:PICK_MAX]),
    )


@router.callback_query(ComplaintAssign.filter())
async def assign_chosen(
    query: CallbackQuery,
    callback_data: ComplaintAssign,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
    callback_answer: CallbackAnswer,
) -> None:
    actor = require_verified(resident)
    change = await complaint_service.assign(
        session,
        actor,
        callback_data.complaint_id,
        callback_data.kind,
        callback_data.target_id,
        now(),
    )
    await _moved(query, change, session, actor, i18n, delivery, callback_answer)


@router.callback_query(_act(ComplaintView.VOICE))
async def play_voice(
    query: CallbackQuery, callback_data: ComplaintAct, session: DbSession, resident: Resident | None
) -> None:
    data = await complaint_service.for_chief(session, resident, callback_data.complaint_id)
    complaint = data.complaint
    if not complaint.voice_file_id:
        raise StaleAction()
    assert isinstance(query.message, Message)
    await query.message.answer_voice(complaint.voice_file_id, caption=complaint.code)


@router.callback_query(_act(ComplaintView.PHOTOS))
async def show_photos(
    query: CallbackQuery, callback_data: ComplaintAct, session: DbSession, resident: Resident | None
) -> None:
    data = await complaint_service.for_chief(session, resident, callback_data.complaint_id)
    complaint = data.complaint
    if not complaint.photo_file_ids:
        raise StaleAction()
    assert isinstance(query.message, Message)
    for photo in complaint.photo_file_ids:
        await query.message.answer_photo(photo, caption=complaint.code)


@router.callback_query(_act(ComplaintView.MAP))
async def show_map(
    query: CallbackQuery,
    callback_data: ComplaintAct,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    """The place as a map pin, with a button naming its building."""
    data = await complaint_service.for_chief(session, resident, callback_data.complaint_id)
    complaint = data.complaint
    if complaint.latitude is None or complaint.longitude is None:
        raise StaleAction()
    label = i18n.get(
        "complaint-pin", code=complaint.code, grid=data.grid.name, building=data.building.name
    )
    assert isinstance(query.message, Message)
    await query.message.answer_location(
        latitude=complaint.latitude,
        longitude=complaint.longitude,
        reply_markup=kb.open_card(i18n.get, complaint.id, label),
    )
