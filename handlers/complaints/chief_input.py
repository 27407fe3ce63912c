"""A chief's actions that need text first: reject (a reason), resolve (a note, then an
optional photo of the result) and merge (the id of the surviving complaint)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from linli.bot.callbacks.complaints import ComplaintAct, ComplaintStep
from linli.bot.delivery import Delivery
from linli.bot.keyboards import complaints as kb
from linli.handlers.casework_common import buttons_done, now, parse_ref
from linli.models import Resident
from linli.services import DbSession
from linli.services import complaints as complaint_service
from linli.services.authz import require_verified
from linli.services.complaints import ComplaintAction
from linli.services.errors import StaleAction, ValidationFailed

router = Router(name=__name__)


class ChiefInput(StatesGroup):
    reject_reason = State()
    resolve_note = State()
    resolve_photo = State()
    merge_target = State()


QUESTIONS = {
    ComplaintAction.REJECT: ChiefInput.reject_reason,
    ComplaintAction.RESOLVE: ChiefInput.resolve_note,
    ComplaintAction.MERGE: ChiefInput.merge_target,
}
"""The action a button starts, and the state that waits for its text."""


@router.callback_query(ComplaintAct.filter(F.action.in_(QUESTIONS)))
async def ask(
    query: CallbackQuery,
    callback_data: ComplaintAct,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    """Ask for the reason, the note or the target, if the action is allowed now."""
    action = ComplaintAction(callback_data.action)
    cid = callback_data.complaint_id
    data = await complaint_service.for_chief_action(session, resident, cid, action)
    await state.set_state(QUESTIONS[action])
    await state.set_data({"kind": "chief", "complaint_id": cid})
    assert isinstance(query.message, Message)
    await query.message.answer(
        i18n.get(f"complaint-ask-{action}", code=data.complaint.code),
        reply_markup=kb.cancel(i18n.get),
    )


async def _complaint_id(state: FSMContext) -> int:
    return int((await state.get_data()).get("complaint_id", 0))


@router.message(ChiefInput.reject_reason, F.text, ~F.text.startswith("/"))
async def reject_reason(
    message: Message,
    state: FSMContext,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    moment = now()
    cid = await _complaint_id(state)
    change = await complaint_service.reject(session, resident, cid, message.text or "", moment)
    await state.clear()
    await message.answer(i18n.get("complaint-done", code=change.complaint.code, status=change.new))
    await delivery.casework.announce(session, change, moment)


@router.message(ChiefInput.resolve_note, F.text, ~F.text.startswith("/"))
async def resolve_note(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    note = complaint_service.check_note(message.text or "")
    await state.update_data(note=note)
    await state.set_state(ChiefInput.resolve_photo)
    await _ask_photo(message, i18n)


async def _ask_photo(message: Message, i18n: I18nContext) -> None:
    await message.answer(
        i18n.get("complaint-ask-resolve-photo"),
        reply_markup=kb.step(i18n.get, ("complaint-button-no-photos", "nophoto")),
    )


@router.message(ChiefInput.resolve_photo, F.photo)
async def resolve_photo(
    message: Message,
    state: FSMContext,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    assert message.photo
    photo = message.photo[-1].file_id
    await _resolve(message, state, session, resident, i18n, delivery, photo)


@router.callback_query(ChiefInput.resolve_photo, ComplaintStep.filter(F.action == "nophoto"))
async def resolve_without_photo(
    query: CallbackQuery,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    message = await buttons_done(query)
    await _resolve(message, state, session, resident, i18n, delivery, None)


async def _resolve(
    message: Message,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
    photo: str | None,
) -> None:
    actor = require_verified(resident)
    data = await state.get_data()
    if data.get("kind") != "chief" or not data.get("note"):
        raise StaleAction("complaint-draft-lost")
    moment = now()
    change = await complaint_service.resolve(
        session, actor, int(data["complaint_id"]), data["note"], photo, moment
    )
    await state.clear()
    await message.answer(i18n.get("complaint-done", code=change.complaint.code, status=change.new))
    await delivery.casework.announce(session, change, moment)


@router.message(ChiefInput.merge_target, F.text, ~F.text.startswith("/"))
async def merge_target(
    message: Message,
    state: FSMContext,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    target = parse_ref(message.text, "C")
    if target is None:
        raise ValidationFailed("complaint-error-bad-ref", ref=(message.text or "")[:20])
    moment = now()
    change = await complaint_service.merge(
        session, resident, await _complaint_id(state), target, moment
    )
    await state.clear()
    await message.answer(
        i18n.get("complaint-merged", code=change.complaint.code, target=f"C{target}")
    )
    await delivery.casework.announce(session, change, moment)


@router.message(
    StateFilter(ChiefInput.reject_reason, ChiefInput.resolve_note, ChiefInput.merge_target),
    ~F.text.startswith("/"),
)
async def chief_input_wrong(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("complaint-reprompt-note"), reply_markup=kb.cancel(i18n.get))


@router.message(ChiefInput.resolve_photo, ~F.text.startswith("/"))
async def resolve_photo_wrong(message: Message, i18n: I18nContext) -> None:
    await _ask_photo(message, i18n)
