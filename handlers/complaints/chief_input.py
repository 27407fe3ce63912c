"""A chief's actions that need more than one press: reject (a reason), resolve (a note,
then an optional photo of the result), merge (the surviving complaint, picked from a list
or found with one typed word, then confirmed) and assign when the list is long (one typed
word narrows it)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from linli.bot.callbacks.complaints import ComplaintAct, ComplaintMerge, ComplaintStep
from linli.bot.delivery import Delivery
from linli.bot.keyboards import complaints as kb
from linli.config import Settings
from linli.handlers.casework_common import buttons_done, now, title_of
from linli.models import Resident
from linli.services import DbSession
from linli.services import complaints as complaint_service
from linli.services.authz import require_verified
from linli.services.complaints import AssignOption, ComplaintAction, MergeOption
from linli.services.errors import StaleAction, ValidationFailed
from linli.services.parsing import parse_ref

router = Router(name=__name__)

PICK_MAX = 8
"""Buttons of a list to pick from; beyond, one typed word narrows it."""
SEARCH_MAX = 30
"""Characters of a search word."""
_TYPED_ID = re.compile(r"#?[A-Za-z]?\s*[0-9]+")
T = TypeVar("T")


class ChiefInput(StatesGroup):
    reject_reason = State()
    resolve_note = State()
    resolve_photo = State()
    merge_target = State()
    assign_search = State()


QUESTIONS = {
    ComplaintAction.REJECT: ChiefInput.reject_reason,
    ComplaintAction.RESOLVE: ChiefInput.resolve_note,
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
    """Ask for the reason or the note, if the action is allowed now."""
    action = ComplaintAction(callback_data.action)
    cid = callback_data.complaint_id
    data = await complaint_service.for_chief_action(session, resident, cid, action)
    await state.set_state(QUESTIONS[action])
    await state.set_data({"kind": "chief", "complaint_id": cid})
    key = f"complaint-ask-{action}"
    if action == ComplaintAction.REJECT and data.appeal_pending:
        key = "complaint-ask-deny"
    assert isinstance(query.message, Message)
    await query.message.answer(
        i18n.get(key, code=data.complaint.code, limit=str(complaint_service.NOTE_MAX)),
        reply_markup=kb.cancel(i18n.get),
    )


async def _complaint_id(state: FSMContext) -> int:
    data = await state.get_data()
    if data.get("kind") != "chief" or not isinstance(data.get("complaint_id"), int):
        raise StaleAction("complaint-draft-lost")
    return int(data["complaint_id"])


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
    await _complaint_id(state)
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
    data = await state.get_data()
    if data.get("kind") != "chief" or not data.get("note"):
        raise StaleAction("complaint-draft-lost")
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


# --- merge: pick the surviving complaint, then confirm --------------------------------------


def _merge_label(i18n: I18nContext, option: MergeOption, settings: Settings) -> str:
    return i18n.get(
        "complaint-merge-item",
        code=option.code,
        category=option.category,
        building=option.building,
        date=option.created_at.astimezone(settings.tz).strftime("%m-%d"),
        title=title_of(option.text, not option.text, i18n.get),
    )


def _search(items: list[T], word: str, label: Callable[[T], str]) -> list[T]:
    """The items whose label holds the typed word (ignoring case), in order."""
    needle = word.casefold()
    return [item for item in items if needle in label(item).casefold()]


def _search_word(text: str | None) -> str:
    word = " ".join((text or "").split())
    if not word or len(word) > SEARCH_MAX:
        raise ValidationFailed("complaint-error-search", limit=str(SEARCH_MAX))
    return word


@router.callback_query(ComplaintAct.filter(F.action == ComplaintAction.MERGE))
async def merge_list(
    query: CallbackQuery,
    callback_data: ComplaintAct,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    """The complaints it may be merged into, most alike first; a word narrows a long list."""
    actor = require_verified(resident)
    cid = callback_data.complaint_id
    options = await complaint_service.merge_options(session, actor, cid)
    if not options:
        raise ValidationFailed("complaint-merge-none", code=f"C{cid}")
    await state.set_state(ChiefInput.merge_target)
    await state.set_data({"kind": "chief", "complaint_id": cid})
    key = "complaint-ask-merge-long" if len(options) > PICK_MAX else "complaint-ask-merge"
    items = [(o.id, _merge_label(i18n, o, settings)) for o in options[:PICK_MAX]]
    assert isinstance(query.message, Message)
    await query.message.answer(
        i18n.get(key, code=f"C{cid}", count=len(options), shown=PICK_MAX),
        reply_markup=kb.merge_targets(i18n.get, cid, items),
    )


@router.message(ChiefInput.merge_target, F.text, ~F.text.startswith("/"))
async def merge_search(
    message: Message,
    state: FSMContext,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    """A typed id (C12) goes straight to the confirmation; a word lists what holds it."""
    cid = await _complaint_id(state)
    text = (message.text or "").strip()
    target = parse_ref(text, "C")
    if target is not None:
        await _confirm_merge(message, session, resident, i18n, cid, target, edit=False)
        return
    if _TYPED_ID.fullmatch(text):
        raise ValidationFailed("complaint-error-bad-ref", ref=text[:20])
    word = _search_word(text)
    options = await complaint_service.merge_options(session, resident, cid)
    found = _search(options, word, lambda o: f"{_merge_label(i18n, o, settings)} {o.text}")
    if not found:
        await message.answer(
            i18n.get("complaint-search-none", word=word), reply_markup=kb.cancel(i18n.get)
        )
        return
    items = [(o.id, _merge_label(i18n, o, settings)) for o in found[:PICK_MAX]]
    await message.answer(
        i18n.get("complaint-search-found", word=word, count=len(found), shown=PICK_MAX),
        reply_markup=kb.merge_targets(i18n.get, cid, items),
    )


@router.callback_query(ComplaintMerge.filter(F.ok == 0))
async def merge_picked(
    query: CallbackQuery,
    callback_data: ComplaintMerge,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    assert isinstance(query.message, Message)
    await _confirm_merge(
        query.message,
        session,
        resident,
        i18n,
        callback_data.complaint_id,
        callback_data.target_id,
        edit=True,
    )


async def _confirm_merge(
    message: Message,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    source: int,
    target: int,
    *,
    edit: bool,
) -> None:
    """Ask before merging (it cannot be undone), if both may be merged now."""
    if source == target:
        raise ValidationFailed("complaint-error-merge-self")
    for complaint_id in (source, target):
        await complaint_service.for_chief_action(
            session, resident, complaint_id, ComplaintAction.MERGE
        )
    text = i18n.get("complaint-confirm-merge", code=f"C{source}", target=f"C{target}")
    markup = kb.merge_confirm(i18n.get, source, target)
    if edit:
        await message.edit_text(text, reply_markup=markup)
    else:
        await message.answer(text, reply_markup=markup)


@router.callback_query(ComplaintMerge.filter(F.ok == 1))
async def merge_confirmed(
    query: CallbackQuery,
    callback_data: ComplaintMerge,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    actor = require_verified(resident)
    moment = now()
    target = callback_data.target_id
    change = await complaint_service.merge(
        session, actor, callback_data.complaint_id, target, moment
    )
    await state.clear()
    message = await buttons_done(query)
    await message.answer(
        i18n.get("complaint-merged", code=change.complaint.code, target=f"C{target}")
    )
    await delivery.casework.announce(session, change, moment)


# --- assign: a long list narrowed by one typed word ------------------------------------------


def assign_label(i18n: I18nContext, option: AssignOption) -> str:
    key = "complaint-assign-chief" if option.kind == "c" else "complaint-assign-handler"
    return i18n.get(key, name=option.name)


@router.message(ChiefInput.assign_search, F.text, ~F.text.startswith("/"))
async def assign_search(
    message: Message,
    state: FSMContext,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
) -> None:
    cid = await _complaint_id(state)
    word = _search_word(message.text)
    options = await complaint_service.assign_options(session, resident, cid)
    found = _search(options, word, lambda o: o.name)
    if not found:
        await message.answer(
            i18n.get("complaint-search-none", word=word), reply_markup=kb.cancel(i18n.get)
        )
        return
    await message.answer(
        i18n.get("complaint-search-found", word=word, count=len(found), shown=PICK_MAX),
        reply_markup=kb.assign_options(i18n.get, cid, found[:PICK_MAX]),
    )


@router.message(
    StateFilter(
        ChiefInput.reject_reason,
        ChiefInput.resolve_note,
        ChiefInput.merge_target,
        ChiefInput.assign_search,
    ),
    ~F.text.startswith("/"),
)
async def chief_input_wrong(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("complaint-reprompt-note"), reply_markup=kb.cancel(i18n.get))


@router.message(ChiefInput.resolve_photo, ~F.text.startswith("/"))
async def resolve_photo_wrong(message: Message, i18n: I18nContext) -> None:
    await _ask_photo(message, i18n)
