"""Step 1: /propose — title, description (text or voice), scope, preview, Confirm; the
topic is then posted to the scope's groups."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from linli.bot.callbacks.deliberation import TopicFlow
from linli.bot.commands import Access
from linli.bot.delivery import Delivery
from linli.bot.filters import HasAccess
from linli.bot.keyboards import deliberation as kb
from linli.handlers.deliberation.common import (
    cancel_kb,
    confirm_kb,
    expected_button,
    read_draft,
    reask,
    text_or_voice,
)
from linli.models import Resident
from linli.models.deliberation import Scope
from linli.services import DbSession
from linli.services import topics as service
from linli.services.errors import StaleAction, ValidationFailed

router = Router(name=__name__)


class Propose(StatesGroup):
    title = State()
    description = State()
    scope = State()
    confirm = State()


router.message.register(
    expected_button, StateFilter(Propose.scope, Propose.confirm), ~F.text.startswith("/")
)


@router.message(Command("propose"), F.chat.type == "private", HasAccess(Access.RESIDENT))
async def propose_start(
    message: Message,
    state: FSMContext,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
) -> None:
    if not await service.home_units(session, resident):
        raise StaleAction("topic-error-no-scope")
    await state.clear()
    await state.set_state(Propose.title)
    await message.answer(
        i18n.get("topic-ask-title", limit=service.TITLE_MAX), reply_markup=cancel_kb(i18n)
    )


@router.message(Propose.title, ~F.text.startswith("/"))
async def propose_title(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    if message.text is None:
        await message.answer(i18n.get("topic-expected-text"), reply_markup=cancel_kb(i18n))
        return
    try:
        title = service.clean_text(message.text, service.TITLE_MAX, key="topic-error-empty")
    except ValidationFailed as error:
        await reask(message, i18n, error, cancel_kb(i18n))
        return
    await state.update_data(title=title)
    await state.set_state(Propose.description)
    await message.answer(
        i18n.get("topic-ask-description", limit=service.TEXT_MAX),
        reply_markup=cancel_kb(i18n),
    )


@router.message(Propose.description, ~F.text.startswith("/"))
async def propose_description(
    message: Message,
    state: FSMContext,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
) -> None:
    got = text_or_voice(message)
    if got is None:
        await message.answer(i18n.get("topic-expected-text"), reply_markup=cancel_kb(i18n))
        return
    text, voice = got
    if voice is None or text.strip():  # a voice message needs no caption
        try:
            text = service.clean_text(text, service.TEXT_MAX, key="topic-error-empty")
        except ValidationFailed as error:
            await reask(message, i18n, error, cancel_kb(i18n))
            return
    await state.update_data(description=text, voice=voice)
    await state.set_state(Propose.scope)
    units = await service.home_units(session, resident)
    items = [(i18n.get(f"topic-pick-{scope.value}"), scope.value) for scope in units]
    await message.answer(
        i18n.get("topic-ask-scope"),
        reply_markup=cancel_kb(i18n, kb.choices(items, TopicFlow, "scope")),
    )


@router.callback_query(Propose.scope, TopicFlow.filter(F.action == "scope"))
async def propose_scope(
    query: CallbackQuery, callback_data: TopicFlow, state: FSMContext, i18n: I18nContext
) -> None:
    if callback_data.value not in {s.value for s in Scope}:
        raise StaleAction()
    await read_draft(state, "title", "description")
    data = await state.update_data(scope=callback_data.value)
    await state.set_state(Propose.confirm)
    assert isinstance(query.message, Message)
    await query.message.edit_text(
        i18n.get(
            "topic-preview",
            title=data["title"],
            description=data["description"] or i18n.get("topic-voice-description"),
            scope=i18n.get(f"topic-pick-{callback_data.value}"),
        ),
        reply_markup=confirm_kb(i18n),
    )


@router.callback_query(Propose.confirm, TopicFlow.filter(F.action == "confirm"))
async def propose_confirm(
    query: CallbackQuery,
    state: FSMContext,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    data = await read_draft(state, "title", "description", "scope")
    posting = delivery.deliberation.proposal_posting()
    topic = await service.propose(
        session,
        resident,
        title=data["title"],
        description=data["description"],
        voice=data.get("voice"),
        scope=Scope(data["scope"]),
        announce=posting,
    )
    await state.clear()
    delivery.deliberation.proposed(topic)
    assert isinstance(query.message, Message)
    await query.message.edit_text(i18n.get("topic-proposed", ref=topic.ref, groups=posting.groups))
