"""/activity_new (grid chiefs for their grid, admins for the community): title → place →
start (the date-and-time picker, or typed) → length → places → per attendance or per hour →
points → preview → Confirm. One question per message; every step but the title and the
place has buttons (typing still works), and every bound is stated when it refuses. The draft
lives in the FSM storage only; a button of a draft that is gone answers "start again"."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from linli.bot.callbacks.common import WhenPick
from linli.bot.callbacks.points import ActNew
from linli.bot.commands import Access
from linli.bot.filters import HasAccess
from linli.bot.keyboards import points as kb
from linli.bot.keyboards.when import picked
from linli.config import Settings
from linli.handlers.points.activity_steps import (
    DRAFT,
    FIELDS,
    NEXT,
    QUESTIONS,
    TEXTS,
    WHEN_FLOW,
    ActivityFlow,
    draft_of,
    markup,
    numbers,
    preview,
)
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
        text = preview(i18n, draft_of(data), settings)
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
    await send_question(message, state, text, markup(i18n, step, settings), edit=edit)


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
    bounds = numbers(settings)
    step = await current_step(state, bounds)
    field, low, high = bounds[step]
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
    draft = draft_of(await read_draft(state, DRAFT, *FIELDS))
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
