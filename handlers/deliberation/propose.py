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
    text_or_voice,
)
from linli.models import Resident
from linli.models.deliberation import Scope
from linli.services import DbSession
from linli.services import topics as service
from linli.services.errors import StaleAction

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
        i18n.get("topic-ask-title", limit=str(service.TITLE_MAX)), reply_markup=cancel_kb(i18n)
    )


@router.message(Propose.title, ~F.text.startswith("/"))
async def propose_title(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    if message.text is None:
        await message.answer(i18n.get("topic-expected-text"), reply_markup=cancel_kb(i18n))
        return
    title = message.text.strip()
    if not title or len(title) > service.TITLE_MAX:
        await message.answer(
            i18n.get("topic-error-too-long", limit=str(service.TITLE_MAX), length=str(len(title))),
            reply_markup=cancel_kb(i18n),
        )
        return
    await state.update_data(title=title)
    await state.set_state(Propose.description)
    await message.answer(
        i18n.get("topic-ask-description", limit=str(service.TEXT_MAX)),
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
    text = text.strip()
    if len(text) > service.TEXT_MAX or (not text and not voice):
        await message.answer(
            i18n.get("topic-error-too-long", limit=str(service.TEXT_MAX), length=str(len(text))),
            reply_markup=cancel_kb(i18n),
        )
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
    data = await state.get_data()
    topic = await service.propose(
        session,
        resident,
        title=data.get("title", ""),
        description=data.get("description", ""),
        voice=data.get("voice"),
        scope=Scope(data.get("scope", "")),
    )
    await state.clear()
    groups = await delivery.deliberation.publish_topic(topic.id)
    assert isinstance(query.message, Message)
    await query.message.edit_text(i18n.get("topic-proposed", ref=topic.ref, groups=str(groups)))
