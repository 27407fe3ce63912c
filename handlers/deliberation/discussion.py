"""Step 3: a chief opens the discussion of a shortlisted topic — how long (buttons or a
typed date), an optional meeting (time, then place), preview, Confirm."""

from __future__ import annotations

from datetime import datetime

from aiogram import Bot, F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from linli.bot.callbacks.deliberation import TopicAct, TopicFlow
from linli.bot.delivery import Delivery
from linli.bot.keyboards import deliberation as kb
from linli.handlers.deliberation.common import (
    cancel_kb,
    confirm_kb,
    days_ahead,
    expected_button,
    now,
    read_draft,
    typed_moment,
)
from linli.models import Resident
from linli.services import DbSession
from linli.services import topics as service
from linli.services.topics import TopicAction

router = Router(name=__name__)

MAX_DAYS = 90


class Discuss(StatesGroup):
    ends = State()
    meeting_time = State()
    meeting_place = State()
    confirm = State()


router.message.register(expected_button, StateFilter(Discuss.confirm), ~F.text.startswith("/"))


@router.callback_query(TopicAct.filter(F.action == TopicAction.DISCUSS))
async def discuss_start(
    query: CallbackQuery,
    callback_data: TopicAct,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    bot: Bot,
    delivery: Delivery,
) -> None:
    topic = await service.get(session, callback_data.topic_id)
    await service.require_action(session, resident, topic, TopicAction.DISCUSS)
    await state.clear()
    await state.set_state(Discuss.ends)
    await state.update_data(topic_id=topic.id)
    days = sorted({3, delivery.settings.deliberation.discussion_days, 14})
    items = [(i18n.get("topic-days", days=str(d)), str(d)) for d in days]
    await bot.send_message(
        query.from_user.id,
        i18n.get("topic-ask-discussion-end", ref=topic.ref),
        reply_markup=cancel_kb(i18n, kb.choices(items, TopicFlow, "days")),
    )


async def _ask_meeting(target: Message, state: FSMContext, i18n: I18nContext) -> None:
    await state.set_state(Discuss.meeting_time)
    await target.answer(
        i18n.get("topic-ask-meeting"),
        reply_markup=cancel_kb(
            i18n,
            kb.choices([(i18n.get("topic-button-no-meeting"), "none")], TopicFlow, "meeting"),
        ),
    )


@router.callback_query(Discuss.ends, TopicFlow.filter(F.action == "days"))
async def discuss_days(
    query: CallbackQuery, callback_data: TopicFlow, state: FSMContext, i18n: I18nContext
) -> None:
    ends = days_ahead(callback_data.value, range(1, MAX_DAYS + 1))
    await state.update_data(ends=ends.isoformat())
    assert isinstance(query.message, Message)
    await _ask_meeting(query.message, state, i18n)


@router.message(Discuss.ends, ~F.text.startswith("/"))
async def discuss_ends_typed(
    message: Message, state: FSMContext, i18n: I18nContext, delivery: Delivery
) -> None:
    ends = await typed_moment(message, i18n, delivery, cancel_kb(i18n))
    if ends is None:
        return
    await state.update_data(ends=ends.isoformat())
    await _ask_meeting(message, state, i18n)


async def _preview(
    target: Message, state: FSMContext, i18n: I18nContext, delivery: Delivery
) -> None:
    data = await read_draft(state, "topic_id")

    def show(value: str | None) -> str:
        return delivery.local_time(datetime.fromisoformat(value)) if value else "-"

    await state.set_state(Discuss.confirm)
    await target.answer(
        i18n.get(
            "topic-preview-discuss",
            ref=f"T{data['topic_id']}",
            ends=show(data.get("ends")),
            meeting=show(data.get("meeting_at")),
            place=data.get("place") or "-",
        ),
        reply_markup=confirm_kb(i18n),
    )


@router.callback_query(Discuss.meeting_time, TopicFlow.filter(F.action == "meeting"))
async def discuss_no_meeting(
    query: CallbackQuery, state: FSMContext, i18n: I18nContext, delivery: Delivery
) -> None:
    await state.update_data(meeting_at=None, place=None)
    assert isinstance(query.message, Message)
    await _preview(query.message, state, i18n, delivery)


@router.message(Discuss.meeting_time, ~F.text.startswith("/"))
async def discuss_meeting_time(
    message: Message, state: FSMContext, i18n: I18nContext, delivery: Delivery
) -> None:
    moment = await typed_moment(message, i18n, delivery, cancel_kb(i18n))
    if moment is None:
        return
    await state.update_data(meeting_at=moment.isoformat())
    await state.set_state(Discuss.meeting_place)
    await message.answer(i18n.get("topic-ask-place"), reply_markup=cancel_kb(i18n))


@router.message(Discuss.meeting_place, ~F.text.startswith("/"))
async def discuss_meeting_place(
    message: Message, state: FSMContext, i18n: I18nContext, delivery: Delivery
) -> None:
    if not message.text or not message.text.strip():
        await message.answer(i18n.get("topic-expected-text"), reply_markup=cancel_kb(i18n))
        return
    await state.update_data(place=message.text.strip()[: service.PLACE_MAX])
    await _preview(message, state, i18n, delivery)


@router.callback_query(Discuss.confirm, TopicFlow.filter(F.action == "confirm"))
async def discuss_confirm(
    query: CallbackQuery,
    state: FSMContext,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    data = await read_draft(state, "topic_id", "ends")
    meeting = data.get("meeting_at")
    topic = await service.open_discussion(
        session,
        resident,
        int(data["topic_id"]),
        ends_at=datetime.fromisoformat(data["ends"]),
        meeting_at=datetime.fromisoformat(meeting) if meeting else None,
        meeting_place=data.get("place"),
        now=now(),
    )
    await state.clear()
    await delivery.deliberation.step_taken(topic, TopicAction.DISCUSS)
    assert isinstance(query.message, Message)
    await query.message.edit_text(i18n.get("topic-done-discuss", ref=topic.ref))
