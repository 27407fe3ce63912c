"""A chief adds a need: made from a micro-wish, a request or a topic of their area (picked
from a list, or typed as W12 / C34 / T5: the need links back to it and takes its place), or
entered directly; then its title, category, scope, who benefits and how urgent it is, one
question per message, and a preview to confirm."""

from __future__ import annotations

from typing import TypeVar

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from linli.bot.callbacks.partners import NeedPick, SourcePick, Step
from linli.bot.keyboards import partners as kb
from linli.handlers.partners.common import draft, message_of, now_utc, private, remember, typed
from linli.handlers.partners.needs import show_card
from linli.models import Resident
from linli.models.partners import NeedCategory, Urgency
from linli.services import DbSession, parsing
from linli.services import needs as need_service
from linli.services import partners as partner_service
from linli.services.errors import StaleAction

router = Router(name=__name__)
DRAFT = "need_new"


class NeedNew(StatesGroup):
    source = State()
    pick = State()
    title = State()
    category = State()
    place = State()
    beneficiaries = State()
    urgency = State()
    confirm = State()


E = TypeVar("E", NeedCategory, Urgency)


def _pick(enum: type[E], value: str) -> E:
    """A button's value as one of `enum`'s; a forged one is a stale button."""
    try:
        return enum(value)
    except ValueError:
        raise StaleAction() from None


@router.callback_query(NeedPick.filter(F.field == "new"))
async def start(
    query: CallbackQuery,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    await need_service.places_for(session, resident)  # chiefs only
    await state.set_state(NeedNew.source)
    await state.update_data({DRAFT: {}})
    await message_of(query).answer(
        i18n.get("need-ask-source"), reply_markup=kb.need_sources(i18n.get)
    )


@router.callback_query(NeedNew.source, NeedPick.filter(F.field == "source"))
async def got_source_kind(
    query: CallbackQuery,
    callback_data: NeedPick,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    await draft(state, DRAFT)
    letter = callback_data.value
    if letter == "-":
        await remember(state, DRAFT, letter="", source_id=0, suggestion="")
        await _ask_title(message_of(query), state, i18n, edit=True)
        return
    found = await need_service.sources(session, resident, letter)
    await remember(state, DRAFT, letter=letter)
    await state.set_state(NeedNew.pick)
    items = [(letter, s.item_id, f"{s.code} · {s.place.label}") for s in found]
    key = "need-ask-pick" if found else "need-ask-pick-none"
    await message_of(query).edit_text(
        i18n.get(key, letter=letter), reply_markup=kb.source_items(i18n.get, items)
    )


@router.callback_query(NeedNew.pick, SourcePick.filter())
async def picked_source(
    query: CallbackQuery,
    callback_data: SourcePick,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    await _use_source(
        message_of(query),
        state,
        session,
        resident,
        i18n,
        callback_data.letter,
        callback_data.item_id,
    )


@router.message(NeedNew.pick, private, typed)
async def typed_source(
    message: Message,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    data = await draft(state, DRAFT)
    letter = str(data.get("letter") or "")
    item_id = parsing.parse_ref(message.text, letter) if letter else None
    if item_id is None:
        await message.answer(i18n.get("need-error-ref", letter=letter or "-"))
        return
    await _use_source(message, state, session, resident, i18n, letter, item_id)


async def _use_source(
    message: Message,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    letter: str,
    item_id: int,
) -> None:
    data = await draft(state, DRAFT)
    if letter != data.get("letter"):
        raise StaleAction()
    found = await need_service.source(session, resident, letter, item_id)
    await remember(
        state,
        DRAFT,
        source_id=found.item_id,
        source_code=found.code,
        place=found.place.value,
        place_label=found.place.label,
        scope=found.place.scope.value,
        suggestion=found.suggestion,
    )
    await _ask_title(message, state, i18n, edit=False)


async def _ask_title(message: Message, state: FSMContext, i18n: I18nContext, *, edit: bool) -> None:
    data = await draft(state, DRAFT)
    await state.set_state(NeedNew.title)
    suggestion = str(data.get("suggestion") or "")
    text = i18n.get("need-ask-title", limit=need_service.TITLE_MAX)
    markup = kb.cancel_only(i18n.get)
    if suggestion:
        text += "\n" + i18n.get("need-suggestion", text=suggestion)
        markup = kb.suggestion(i18n.get)
    if edit:
        await message.edit_text(text, reply_markup=markup)
    else:
        await message.answer(text, reply_markup=markup)


@router.message(NeedNew.title, private, typed)
async def got_title(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await draft(state, DRAFT)
    title = partner_service.check_text(message.text, need_service.TITLE_MAX)
    await remember(state, DRAFT, title=title)
    await _ask_category(message, state, i18n)


@router.callback_query(NeedNew.title, Step.filter(F.action == "suggested"))
async def took_suggestion(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    data = await draft(state, DRAFT)
    title = partner_service.check_text(str(data.get("suggestion") or ""), need_service.TITLE_MAX)
    await remember(state, DRAFT, title=title)
    await _ask_category(message_of(query), state, i18n)


async def _ask_category(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await state.set_state(NeedNew.category)
    items = [(c.value, i18n.get("need-category", category=c.value)) for c in NeedCategory]
    await message.answer(
        i18n.get("need-ask-category"), reply_markup=kb.picks(i18n.get, "category", items)
    )


@router.callback_query(NeedNew.category, NeedPick.filter(F.field == "category"))
async def got_category(
    query: CallbackQuery,
    callback_data: NeedPick,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    data = await draft(state, DRAFT)
    category = _pick(NeedCategory, callback_data.value)
    await remember(state, DRAFT, category=category.value)
    if data.get("letter"):
        await _ask_beneficiaries(message_of(query), state, i18n)
        return
    places = await need_service.places_for(session, resident)
    items = [
        (p.value, i18n.get("need-place", scope=p.scope.value, place=p.label or "-")) for p in places
    ]
    await state.set_state(NeedNew.place)
    await message_of(query).edit_text(
        i18n.get("need-ask-place"), reply_markup=kb.picks(i18n.get, "place", items, width=1)
    )


@router.callback_query(NeedNew.place, NeedPick.filter(F.field == "place"))
async def got_place(
    query: CallbackQuery,
    callback_data: NeedPick,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    await draft(state, DRAFT)
    place = await need_service.parse_place(session, resident, callback_data.value)
    await remember(
        state, DRAFT, place=place.value, place_label=place.label, scope=place.scope.value
    )
    await _ask_beneficiaries(message_of(query), state, i18n)


async def _ask_beneficiaries(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await state.set_state(NeedNew.beneficiaries)
    await message.answer(
        i18n.get("need-ask-beneficiaries", limit=need_service.BENEFICIARIES_MAX),
        reply_markup=kb.skip_or_cancel(i18n.get),
    )


@router.message(NeedNew.beneficiaries, private, typed)
async def got_beneficiaries(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await draft(state, DRAFT)
    who = partner_service.check_text(message.text, need_service.BENEFICIARIES_MAX)
    await remember(state, DRAFT, beneficiaries=who)
    await _ask_urgency(message, state, i18n)


@router.callback_query(NeedNew.beneficiaries, Step.filter(F.action == "skip"))
async def skipped_beneficiaries(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    await draft(state, DRAFT)
    await remember(state, DRAFT, beneficiaries="")
    await _ask_urgency(message_of(query), state, i18n)


async def _ask_urgency(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await state.set_state(NeedNew.urgency)
    items = [(u.value, i18n.get("need-urgency", urgency=u.value)) for u in Urgency]
    await message.answer(
        i18n.get("need-ask-urgency"), reply_markup=kb.picks(i18n.get, "urgency", items, width=3)
    )


@router.callback_query(NeedNew.urgency, NeedPick.filter(F.field == "urgency"))
async def got_urgency(
    query: CallbackQuery, callback_data: NeedPick, state: FSMContext, i18n: I18nContext
) -> None:
    await draft(state, DRAFT)
    urgency = _pick(Urgency, callback_data.value)
    data = await remember(state, DRAFT, urgency=urgency.value)
    await state.set_state(NeedNew.confirm)
    await message_of(query).edit_text(
        i18n.get(
            "need-preview",
            title=str(data.get("title", "")),
            category=str(data.get("category", "")),
            scope=str(data.get("scope", "")),
            place=str(data.get("place_label") or "-"),
            who=str(data.get("beneficiaries") or "-"),
            urgency=urgency.value,
            source=str(data.get("source_code") or "-"),
        ),
        reply_markup=kb.confirm(i18n.get),
    )


@router.message(NeedNew.source, private, typed)
@router.message(NeedNew.category, private, typed)
@router.message(NeedNew.place, private, typed)
@router.message(NeedNew.urgency, private, typed)
@router.message(NeedNew.confirm, private, typed)
async def expected_button(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("expected-button"))


@router.callback_query(NeedNew.confirm, Step.filter(F.action == "confirm"))
async def confirmed(
    query: CallbackQuery,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    data = await draft(state, DRAFT)
    need = await need_service.create(
        session,
        resident,
        need_service.NeedDraft(
            title=str(data.get("title", "")),
            category=str(data.get("category", "")),
            place_value=str(data.get("place", "")),
            beneficiaries=str(data.get("beneficiaries", "")),
            urgency=str(data.get("urgency", "")),
            source_letter=str(data.get("letter") or ""),
            source_id=int(data.get("source_id") or 0),
        ),
        now_utc(),
    )
    await state.clear()
    await message_of(query).edit_text(i18n.get("need-added", code=need.code))
    await show_card(message_of(query), session, resident, i18n, need.id, edit=False)
