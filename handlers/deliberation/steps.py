"""A chief's steps that need a text: declining a topic (the reason), recording the decision,
posting progress, marking it done. Each asks for the text, shows a preview, and on Confirm
takes the step and tells the groups and the people concerned."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiogram import Bot, F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from linli.bot.callbacks.deliberation import TopicAct, TopicFlow
from linli.bot.delivery import Delivery
from linli.handlers.deliberation.common import (
    cancel_kb,
    confirm_kb,
    expected_button,
    read_draft,
    reask,
)
from linli.models import Resident
from linli.models.deliberation import Topic
from linli.services import DbSession
from linli.services import topics as service
from linli.services.errors import StaleAction, ValidationFailed
from linli.services.topics import Announce, TopicAction

router = Router(name=__name__)

Step = Callable[[DbSession, Resident, int, str, Announce | None], Awaitable[Topic]]
STEPS: dict[str, Step] = {
    TopicAction.DECLINE: service.decline,
    TopicAction.DECIDE: service.record_decision,
    TopicAction.PROGRESS: service.add_progress,
    TopicAction.DONE: service.mark_done,
}


class Note(StatesGroup):
    """A chief's text for a step (decline reason, decision, progress, done), then confirm."""

    text = State()
    confirm = State()


router.message.register(expected_button, StateFilter(Note.confirm), ~F.text.startswith("/"))


@router.callback_query(TopicAct.filter(F.action.in_(tuple(STEPS))))
async def note_start(
    query: CallbackQuery,
    callback_data: TopicAct,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    bot: Bot,
) -> None:
    topic = await service.get(session, callback_data.topic_id)
    await service.require_action(session, resident, topic, TopicAction(callback_data.action))
    await state.clear()
    await state.set_state(Note.text)
    await state.update_data(action=callback_data.action, topic_id=topic.id)
    await bot.send_message(
        query.from_user.id,
        i18n.get(f"topic-ask-{callback_data.action}", ref=topic.ref, title=topic.title),
        reply_markup=cancel_kb(i18n),
    )


@router.message(Note.text, ~F.text.startswith("/"))
async def note_text(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    if message.text is None:
        await message.answer(i18n.get("topic-expected-text"), reply_markup=cancel_kb(i18n))
        return
    data = await read_draft(state, "action", "topic_id")
    limit = service.REASON_MAX if data["action"] == TopicAction.DECLINE else service.TEXT_MAX
    try:
        text = service.clean_text(message.text, limit, key="topic-error-empty")
    except ValidationFailed as error:
        await reask(message, i18n, error, cancel_kb(i18n))
        return
    await state.update_data(text=text)
    await state.set_state(Note.confirm)
    await message.answer(
        i18n.get(f"topic-preview-{data['action']}", ref=f"T{data['topic_id']}", text=text),
        reply_markup=confirm_kb(i18n),
    )


@router.callback_query(Note.confirm, TopicFlow.filter(F.action == "confirm"))
async def note_confirm(
    query: CallbackQuery,
    state: FSMContext,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    data = await read_draft(state, "action", "topic_id", "text")
    action = data["action"]
    if action not in STEPS:
        await state.clear()
        raise StaleAction("topic-draft-lost")
    text = data["text"]
    posting = await delivery.deliberation.announcer(TopicAction(action), text)
    topic = await STEPS[action](session, resident, int(data["topic_id"]), text, posting)
    await state.clear()
    await delivery.deliberation.step_taken(topic, TopicAction(action), text)
    assert isinstance(query.message, Message)
    await query.message.edit_text(i18n.get(f"topic-done-{action}", ref=topic.ref))
