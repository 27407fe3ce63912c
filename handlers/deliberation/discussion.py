"""Step 3: a chief opens the discussion of a shortlisted topic — when it ends (3 / 7 / 14
days, a day and an hour from the picker, or a typed date), an optional meeting (picked or
typed time, then the place), preview, Confirm. The step and its group post are stored
together."""

from __future__ import annotations

from datetime import datetime

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, Message
from aiogram_i18n import I18nContext

from linli.bot.callbacks.common import WhenPick
from linli.bot.callbacks.deliberation import TopicAct, TopicFlow
from linli.bot.delivery import Delivery
from linli.handlers.deliberation.common import (
    WHEN_DISCUSSION_END,
    WHEN_MEETING,
    ask_when,
    cancel_kb,
    cancel_row,
    confirm_kb,
    days_ahead,
    days_row,
    expected_button,
    now,
    picked_moment,
    read_draft,
    retire,
    typed_moment,
)
from linli.models import Resident
from linli.services import DbSession
from linli.services import topics as service
from linli.services.errors import StaleAction
from linli.services.topics import TopicAction

router = Router(name=__name__)


class Discuss(StatesGroup):
    ends = State()
    meeting_time = State()
    meeting_place = State()
    confirm = State()


router.message.register(expected_button, StateFilter(Discuss.confirm), ~F.text.startswith("/"))


def _lengths(delivery: Delivery) -> list[int]:
    """The quick choices for the discussion's length, in days."""
    return sorted({3, delivery.settings.deliberation.discussion_days, 14})


async def _ask_end(
    target: Message, state: FSMContext, i18n: I18nContext, delivery: Delivery, topic_ref: str
) -> None:
    await state.set_state(Discuss.ends)
    await ask_when(
        target,
        i18n,
        delivery,
        i18n.get("topic-ask-discussion-end", ref=topic_ref),
        WHEN_DISCUSSION_END,
        [days_row(i18n, _lengths(delivery), TopicFlow), cancel_row(i18n)],
    )


@router.callback_query(TopicAct.filter(F.action == TopicAction.DISCUSS))
async def discuss_start(
    query: CallbackQuery,
    callback_data: TopicAct,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    if not isinstance(query.message, Message) or query.message.chat.type != "private":
        raise StaleAction()
    topic = await service.get(session, callback_data.topic_id)
    await service.require_action(session, resident, topic, TopicAction.DISCUSS)
    await state.clear()
    await state.update_data(topic_id=topic.id)
    await _ask_end(query.message, state, i18n, delivery, topic.ref)


async def _ask_meeting(
    target: Message, state: FSMContext, i18n: I18nContext, delivery: Delivery, ends: datetime
) -> None:
    await state.update_data(ends=ends.isoformat())
    await state.set_state(Discuss.meeting_time)
    no_meeting = InlineKeyboardButton(
        text=i18n.get("topic-button-no-meeting"),
        callback_data=TopicFlow(action="meeting", value="none").pack(),
    )
    await ask_when(
        target,
        i18n,
        delivery,
        i18n.get("topic-ask-meeting", ends=delivery.local_time(ends)),
        WHEN_MEETING,
        [[no_meeting], cancel_row(i18n)],
    )


@router.callback_query(Discuss.ends, TopicFlow.filter(F.action == "days"))
async def discuss_days(
    query: CallbackQuery,
    callback_data: TopicFlow,
    state: FSMContext,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    ends = days_ahead(callback_data.value, _lengths(delivery))
    await _ask_meeting(await retire(query), state, i18n, delivery, ends)


@router.callback_query(
    Discuss.ends, WhenPick.filter((F.flow == WHEN_DISCUSSION_END) & (F.at != ""))
)
async def discuss_end_picked(
    query: CallbackQuery,
    callback_data: WhenPick,
    state: FSMContext,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    ends = picked_moment(callback_data, delivery)
    await _ask_meeting(await retire(query), state, i18n, delivery, ends)


@router.message(Discuss.ends, ~F.text.startswith("/"))
async def discuss_ends_typed(
    message: Message, state: FSMContext, i18n: I18nContext, delivery: Delivery
) -> None:
    ends = await typed_moment(message, i18n, delivery, cancel_kb(i18n))
    if ends is None:
        return
    await _ask_meeting(message, state, i18n, delivery, ends)


async def _preview(
    target: Message, state: FSMContext, i18n: I18nContext, delivery: Delivery
) -> None:
    data = await read_draft(state, "topic_id", "ends")
    meeting_at = data.get("meeting_at")
    meeting = (
        i18n.get(
            "topic-meeting-line",
            time=delivery.local_time(datetime.fromisoformat(meeting_at)),
            place=data.get("place") or i18n.get("topic-place-unknown"),
        )
        if meeting_at
        else i18n.get("topic-meeting-none")
    )
    await state.set_state(Discuss.confirm)
    await target.answer(
        i18n.get(
            "topic-preview-discuss",
            ref=f"T{data['topic_id']}",
            ends=delivery.local_time(datetime.fromisoformat(data["ends"])),
            meeting=meeting,
        ),
        reply_markup=confirm_kb(i18n),
    )


@router.callback_query(Discuss.meeting_time, TopicFlow.filter(F.action == "meeting"))
async def discuss_no_meeting(
    query: CallbackQuery, state: FSMContext, i18n: I18nContext, delivery: Delivery
) -> None:
    await state.update_data(meeting_at=None, place=None)
    await _preview(await retire(query), state, i18n, delivery)


async def _ask_place(target: Message, state: FSMContext, i18n: I18nContext, at: datetime) -> None:
    await state.update_data(meeting_at=at.isoformat())
    await state.set_state(Discuss.meeting_place)
    await target.answer(
        i18n.get("topic-ask-place", limit=service.PLACE_MAX), reply_markup=cancel_kb(i18n)
    )


@router.callback_query(
    Discuss.meeting_time, WhenPick.filter((F.flow == WHEN_MEETING) & (F.at != ""))
)
async def discuss_meeting_picked(
    query: CallbackQuery,
    callback_data: WhenPick,
    state: FSMContext,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    at = picked_moment(callback_data, delivery)
    await _ask_place(await retire(query), state, i18n, at)


@router.message(Discuss.meeting_time, ~F.text.startswith("/"))
async def discuss_meeting_time(
    message: Message, state: FSMContext, i18n: I18nContext, delivery: Delivery
) -> None:
    moment = await typed_moment(message, i18n, delivery, cancel_kb(i18n))
    if moment is None:
        return
    await _ask_place(message, state, i18n, moment)


@router.message(Discuss.meeting_place, ~F.text.startswith("/"))
async def discuss_meeting_place(
    message: Message, state: FSMContext, i18n: I18nContext, delivery: Delivery
) -> None:
    place = (message.text or "").strip()
    if not place:
        await message.answer(i18n.get("topic-expected-text"), reply_markup=cancel_kb(i18n))
        return
    if len(place) > service.PLACE_MAX:
        await message.answer(
            i18n.get("topic-error-too-long", limit=service.PLACE_MAX, length=len(place)),
            reply_markup=cancel_kb(i18n),
        )
        return
    await state.update_data(place=place)
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
    posting = await delivery.deliberation.announcer(TopicAction.DISCUSS)
    topic = await service.open_discussion(
        session,
        resident,
        int(data["topic_id"]),
        ends_at=datetime.fromisoformat(data["ends"]),
        meeting_at=datetime.fromisoformat(meeting) if meeting else None,
        meeting_place=data.get("place"),
        now=now(),
        announce=posting,
    )
    await state.clear()
    await delivery.deliberation.step_taken(topic, TopicAction.DISCUSS)
    assert isinstance(query.message, Message)
    await query.message.edit_text(
        i18n.get("topic-done-discuss", ref=topic.ref, groups=posting.groups if posting else 0)
    )
