"""/activity_new (grid chiefs for their grid, admins for the community): title → place →
start (the date-and-time picker, or typed) → length → places → per attendance or per hour →
points → preview → Confirm. One question per message; every step but the title and the
place has buttons (typing still works), and every bound is stated when it refuses. The draft
lives in the FSM storage only; a button of a draft that is gone answers "start again"."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext

from linli.bot.callbacks.common import WhenPick
from linli.bot.callbacks.points import ActNew
from linli.bot.commands import Access
from linli.bot.filters import HasAccess
from linli.bot.keyboards import points as kb
from linli.bot.keyboards.when import day_keyboard, picked
from linli.config import Settings
from linli.handlers.points.activities import points_text
from linli.handlers.points.common import (
    current_step,
    draft_lost,
    message_of,
    now_utc,
    private,
    read_draft,
    remember,
    send_question,
    typed,
)
from linli.models import Resident, Role
from linli.services import DbSession
from linli.services import activities as service
from linli.services.authz import require_role
from linli.services.errors import StaleAction
from linli.services.parsing import parse_int, parse_when

router = Router(name=__name__)

DRAFT = "activity"
FIELDS = ("title", "place", "starts_at", "hours", "capacity", "per_hour", "points")
WHEN_FLOW = "activity"


class ActivityFlow(StatesGroup):
    title = State()
    place = State()
    time = State()
    hours = State()
    capacity = State()
    basis = State()
    points = State()
    preview = State()


QUESTIONS = {
    ActivityFlow.title: "activities-ask-title",
    ActivityFlow.place: "activities-ask-place",
    ActivityFlow.time: "activities-ask-time",
    ActivityFlow.hours: "activities-ask-hours",
    ActivityFlow.capacity: "activities-ask-capacity",
    ActivityFlow.basis: "activities-ask-basis",
    ActivityFlow.points: "activities-ask-points",
}

TEXTS = {ActivityFlow.title: ("title", 100), ActivityFlow.place: ("place", 200)}
"""Steps that take a short text: the draft's field and the longest text allowed."""

NEXT = {
    ActivityFlow.title: ActivityFlow.place,
    ActivityFlow.place: ActivityFlow.time,
    ActivityFlow.time: ActivityFlow.hours,
    ActivityFlow.hours: ActivityFlow.capacity,
    ActivityFlow.capacity: ActivityFlow.basis,
    ActivityFlow.basis: ActivityFlow.points,
    ActivityFlow.points: ActivityFlow.preview,
}


def _numbers(settings: Settings) -> dict[State, tuple[str, int, int]]:
    """Steps that take a whole number: the draft's field and the bounds."""
    return {
        ActivityFlow.capacity: ("capacity", 1, service.CAPACITY_MAX),
        ActivityFlow.points: ("points", 0, settings.points.activity_max_points),
    }


def _markup(i18n: I18nContext, step: State, settings: Settings) -> InlineKeyboardMarkup:
    points = settings.points
    if step == ActivityFlow.time:
        cancel = [[kb.cancel_button(i18n.get)]]
        return day_keyboard(i18n.get, WHEN_FLOW, now_utc(), settings.tz, extra=cancel)
    if step == ActivityFlow.hours:
        return kb.hours(i18n.get, points.activity_max_hours)
    if step == ActivityFlow.capacity:
        return kb.capacity(i18n.get)
    if step == ActivityFlow.basis:
        return kb.basis(i18n.get)
    if step == ActivityFlow.points:
        return kb.activity_points(i18n.get, points.activity_max_points)
    return kb.cancel_only(i18n.get)


def _preview(i18n: I18nContext, draft: service.Draft, settings: Settings) -> str:
    return i18n.get(
        "activities-preview",
        title=draft.title,
        place=draft.place,
        time=f"{draft.starts_at.astimezone(settings.tz):%Y-%m-%d %H:%M}",
        hours=f"{draft.hours:g}",
        capacity=draft.capacity,
        points=points_text(i18n, draft.points, per_hour=draft.per_hour),
    )


async def _ask(
    message: Message,
    state: FSMContext,
    i18n: I18nContext,
    settings: Settings,
    step: State,
    *,
    edit: bool = False,
) -> None:
    """Go to `step` and ask its question with its buttons (at the end: the preview)."""
    data = await read_draft(state, DRAFT, *(FIELDS if step == ActivityFlow.preview else ()))
    await state.set_state(step)
    if step == ActivityFlow.preview:
        text = _preview(i18n, _draft(data), settings)
        await send_question(message, state, text, kb.activity_preview(i18n.get), edit=edit)
        return
    points = settings.points
    text = i18n.get(
        QUESTIONS[step],
        hours=points.activity_max_hours,
        capacity=service.CAPACITY_MAX,
        points=points.activity_max_points,
        basis="hour" if data.get("per_hour") else "flat",
    )
    if step == ActivityFlow.time:
        text += "\n" + i18n.get("when-hint")
    await send_question(message, state, text, _markup(i18n, step, settings), edit=edit)


async def _answered(
    message: Message,
    state: FSMContext,
    i18n: I18nContext,
    settings: Settings,
    step: State,
    *,
    edit: bool = False,
    **values: object,
) -> None:
    """Keep the answer to `step` and ask the next question."""
    await read_draft(state, DRAFT)
    await remember(state, DRAFT, **values)
    await _ask(message, state, i18n, settings, NEXT[step], edit=edit)


async def _start_flow(
    message: Message, state: FSMContext, i18n: I18nContext, settings: Settings
) -> None:
    await state.clear()
    await state.update_data({DRAFT: {}})
    await _ask(message, state, i18n, settings, ActivityFlow.title)


@router.message(Command("activity_new"), private, HasAccess(Access.GRID_CHIEF))
async def activity_new(
    message: Message,
    state: FSMContext,
    resident: Resident,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    require_role(resident, Role.GRID_CHIEF)
    await _start_flow(message, state, i18n, settings)


@router.callback_query(ActNew.filter(F.step == "start"))
async def activity_new_button(
    query: CallbackQuery,
    state: FSMContext,
    resident: Resident | None,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    """The "New activity" button under /activities."""
    require_role(resident, Role.GRID_CHIEF)
    await _start_flow(message_of(query), state, i18n, settings)


def _draft(data: dict[str, Any]) -> service.Draft:
    return service.Draft(
        title=str(data["title"]),
        place=str(data["place"]),
        starts_at=datetime.fromisoformat(str(data["starts_at"])),
        hours=float(str(data["hours"])),
        capacity=int(str(data["capacity"])),
        points=int(str(data["points"])),
        per_hour=bool(data["per_hour"]),
    )


# --- typed answers ----------------------------------------------------------------------------


@router.message(StateFilter(*TEXTS), private, typed)
async def flow_text(
    message: Message, state: FSMContext, i18n: I18nContext, settings: Settings
) -> None:
    step = await current_step(state, TEXTS)
    field, limit = TEXTS[step]
    text = " ".join((message.text or "").split())
    if not text or len(text) > limit:
        key = "points-error-text" if text else "points-error-no-text"
        await message.answer(i18n.get(key, limit=limit, length=len(text)))
        await _ask(message, state, i18n, settings, step)
        return
    await _answered(message, state, i18n, settings, step, **{field: text})


@router.message(StateFilter(ActivityFlow.time), private, typed)
async def flow_time_typed(
    message: Message, state: FSMContext, i18n: I18nContext, settings: Settings
) -> None:
    now = now_utc()
    starts = parse_when(message.text, now, settings.tz)
    if starts is None or starts <= now:
        key = "activities-error-time" if starts is None else "activities-error-past"
        await message.answer(i18n.get(key, text=message.text or "-"))
        await _ask(message, state, i18n, settings, ActivityFlow.time)
        return
    await _answered(message, state, i18n, settings, ActivityFlow.time, starts_at=starts.isoformat())


@router.message(StateFilter(ActivityFlow.hours), private, typed)
async def flow_hours_typed(
    message: Message, state: FSMContext, i18n: I18nContext, settings: Settings
) -> None:
    most = settings.points.activity_max_hours
    hours = service.parse_hours(message.text, most)
    if hours is None:
        await message.answer(i18n.get("activities-error-hours", max=most))
        await _ask(message, state, i18n, settings, ActivityFlow.hours)
        return
    await _answered(message, state, i18n, settings, ActivityFlow.hours, hours=hours)


@router.message(StateFilter(ActivityFlow.capacity, ActivityFlow.points), private, typed)
async def flow_number(
    message: Message, state: FSMContext, i18n: I18nContext, settings: Settings
) -> None:
    numbers = _numbers(settings)
    step = await current_step(state, numbers)
    field, low, high = numbers[step]
    number = parse_int(message.text, low=low, high=high)
    if number is None:
        text = message.text or "-"
        await message.answer(i18n.get("points-error-number", text=text, low=low, high=high))
        await _ask(message, state, i18n, settings, step)
        return
    await _answered(message, state, i18n, settings, step, **{field: number})


@router.message(StateFilter(ActivityFlow.basis, ActivityFlow.preview), private, typed)
async def flow_expected_button(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("expected-button"))


# --- buttons ----------------------------------------------------------------------------------


@router.callback_query(
    StateFilter(ActivityFlow.time), WhenPick.filter((F.flow == WHEN_FLOW) & (F.at != ""))
)
async def flow_time_picked(
    query: CallbackQuery,
    callback_data: WhenPick,
    state: FSMContext,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    starts = picked(callback_data, settings.tz)
    if starts is None:
        raise StaleAction()
    if starts <= now_utc():
        raise StaleAction("activities-error-past")
    await _answered(
        message_of(query),
        state,
        i18n,
        settings,
        ActivityFlow.time,
        edit=True,
        starts_at=starts.isoformat(),
    )


@router.callback_query(ActNew.filter(F.step == "hours"), StateFilter(ActivityFlow.hours))
async def flow_hours_button(
    query: CallbackQuery,
    callback_data: ActNew,
    state: FSMContext,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    hours = parse_int(callback_data.value, low=1, high=settings.points.activity_max_hours)
    if hours is None:
        raise StaleAction()
    await _answered(
        message_of(query), state, i18n, settings, ActivityFlow.hours, edit=True, hours=hours
    )


@router.callback_query(ActNew.filter(F.step == "capacity"), StateFilter(ActivityFlow.capacity))
async def flow_capacity_button(
    query: CallbackQuery,
    callback_data: ActNew,
    state: FSMContext,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    capacity = parse_int(callback_data.value, low=1, high=service.CAPACITY_MAX)
    if capacity is None:
        raise StaleAction()
    await _answered(
        message_of(query),
        state,
        i18n,
        settings,
        ActivityFlow.capacity,
        edit=True,
        capacity=capacity,
    )


@router.callback_query(ActNew.filter(F.step == "basis"), StateFilter(ActivityFlow.basis))
async def flow_basis(
    query: CallbackQuery,
    callback_data: ActNew,
    state: FSMContext,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    if callback_data.value not in ("flat", "hour"):
        raise StaleAction()
    await _answered(
        message_of(query),
        state,
        i18n,
        settings,
        ActivityFlow.basis,
        edit=True,
        per_hour=callback_data.value == "hour",
    )


@router.callback_query(ActNew.filter(F.step == "points"), StateFilter(ActivityFlow.points))
async def flow_points_button(
    query: CallbackQuery,
    callback_data: ActNew,
    state: FSMContext,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    points = parse_int(callback_data.value, low=0, high=settings.points.activity_max_points)
    if points is None:
        raise StaleAction()
    await _answered(
        message_of(query), state, i18n, settings, ActivityFlow.points, edit=True, points=points
    )


@router.callback_query(ActNew.filter(F.step == "ok"), StateFilter(ActivityFlow.preview))
async def flow_publish(
    query: CallbackQuery,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    resident = require_role(resident, Role.GRID_CHIEF)
    draft = _draft(await read_draft(state, DRAFT, *FIELDS))
    activity = await service.create(
        session, resident, draft, now=now_utc(), settings=settings.points
    )
    await state.clear()
    await message_of(query).edit_text(
        i18n.get("activities-created", id=f"A{activity.id}", title=activity.title)
    )


@router.callback_query(ActNew.filter(F.step != "start"))
@router.callback_query(WhenPick.filter((F.flow == WHEN_FLOW) & (F.at != "")))
async def flow_stale(query: CallbackQuery, state: FSMContext) -> None:
    """A button of a step the flow is not at, or of a draft that is gone."""
    await draft_lost(state, DRAFT)
