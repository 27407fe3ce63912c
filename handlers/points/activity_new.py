"""/activity_new (grid chiefs for their grid, admins for the community): title → place →
start → length (buttons) → places → points → per attendance or per hour → preview →
Confirm. One question per message; the draft lives in the FSM storage only."""

from __future__ import annotations

from datetime import datetime

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from linli.bot.callbacks.points import ActNew
from linli.bot.commands import Access
from linli.bot.filters import HasAccess
from linli.bot.keyboards import points as kb
from linli.config import Settings
from linli.handlers.points.activities import points_text
from linli.handlers.points.common import (
    Questions,
    message_of,
    now_utc,
    private,
    remember,
    typed,
)
from linli.models import Resident, Role
from linli.services import DbSession
from linli.services import activities as service
from linli.services.authz import require_role
from linli.services.errors import StaleAction, ValidationFailed

router = Router(name=__name__)

HOURS = frozenset(kb.HOURS)


class ActivityFlow(StatesGroup):
    title = State()
    place = State()
    time = State()
    hours = State()
    capacity = State()
    points = State()
    basis = State()
    preview = State()


QUESTIONS = {
    ActivityFlow.title: "activities-ask-title",
    ActivityFlow.place: "activities-ask-place",
    ActivityFlow.time: "activities-ask-time",
    ActivityFlow.hours: "activities-ask-hours",
    ActivityFlow.capacity: "activities-ask-capacity",
    ActivityFlow.points: "activities-ask-points",
    ActivityFlow.basis: "activities-ask-basis",
}

TEXTS = {ActivityFlow.title: ("title", 100), ActivityFlow.place: ("place", 200)}
"""Steps that take a short text: the draft's field and the longest text allowed."""

NUMBERS = {
    ActivityFlow.capacity: ("capacity", 1, 10_000),
    ActivityFlow.points: ("points", 0, 1_000),
}
"""Steps that take a whole number: the draft's field and the bounds."""

NEXT = {
    ActivityFlow.title: ActivityFlow.place,
    ActivityFlow.place: ActivityFlow.time,
    ActivityFlow.time: ActivityFlow.hours,
    ActivityFlow.hours: ActivityFlow.capacity,
    ActivityFlow.capacity: ActivityFlow.points,
    ActivityFlow.points: ActivityFlow.basis,
}


async def _ask(
    message: Message, state: FSMContext, i18n: I18nContext, step: State, *, edit: bool = False
) -> None:
    """Go to `step` and ask its question (with its buttons, or just Cancel)."""
    await state.set_state(step)
    if step == ActivityFlow.hours:
        markup = kb.hours(i18n.get)
    elif step == ActivityFlow.basis:
        markup = kb.basis(i18n.get)
    else:
        markup = kb.cancel_only(i18n.get)
    if edit:
        await message.edit_text(i18n.get(QUESTIONS[step]), reply_markup=markup)
    else:
        await message.answer(i18n.get(QUESTIONS[step]), reply_markup=markup)


FLOW = Questions("activity", _ask, NEXT)
"""The questions of /activity_new; the draft is kept under "activity"."""


async def _start_flow(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await state.clear()
    await _ask(message, state, i18n, ActivityFlow.title)


@router.message(Command("activity_new"), private, HasAccess(Access.GRID_CHIEF))
async def activity_new(
    message: Message, state: FSMContext, resident: Resident, i18n: I18nContext
) -> None:
    require_role(resident, Role.GRID_CHIEF)
    await _start_flow(message, state, i18n)


@router.callback_query(ActNew.filter(F.step == "start"))
async def activity_new_button(
    query: CallbackQuery, state: FSMContext, resident: Resident | None, i18n: I18nContext
) -> None:
    """The "New activity" button under /activities."""
    require_role(resident, Role.GRID_CHIEF)
    await _start_flow(message_of(query), state, i18n)


def _draft(data: dict[str, object]) -> service.Draft:
    return service.Draft(
        title=str(data["title"]),
        place=str(data["place"]),
        starts_at=datetime.fromisoformat(str(data["starts_at"])),
        hours=float(str(data["hours"])),
        capacity=int(str(data["capacity"])),
        points=int(str(data["points"])),
        per_hour=bool(data["per_hour"]),
    )


@router.message(StateFilter(*TEXTS), private, typed)
async def flow_text(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await FLOW.short_text(message, state, i18n, TEXTS)


@router.message(StateFilter(ActivityFlow.time), private, typed)
async def flow_time(
    message: Message, state: FSMContext, i18n: I18nContext, settings: Settings
) -> None:
    now = now_utc()
    try:
        starts = service.parse_local_time(message.text or "", now, settings.tz)
        if starts <= now:
            raise ValidationFailed("activities-error-past")
    except ValidationFailed as error:
        await message.answer(i18n.get(error.key, **error.params))
        await _ask(message, state, i18n, ActivityFlow.time)
        return
    await FLOW.answered(message, state, i18n, ActivityFlow.time, starts_at=starts.isoformat())


@router.message(StateFilter(ActivityFlow.hours), private, typed)
async def flow_hours_typed(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    hours = service.parse_hours(message.text)
    if hours is None:
        await _ask(message, state, i18n, ActivityFlow.hours)
        return
    await FLOW.answered(message, state, i18n, ActivityFlow.hours, hours=hours)


@router.callback_query(ActNew.filter(F.step == "hours"), StateFilter(ActivityFlow.hours))
async def flow_hours_button(
    query: CallbackQuery, callback_data: ActNew, state: FSMContext, i18n: I18nContext
) -> None:
    if callback_data.value not in HOURS:
        raise StaleAction()
    await remember(state, "activity", hours=float(callback_data.value))
    await _ask(message_of(query), state, i18n, ActivityFlow.capacity, edit=True)


@router.message(StateFilter(*NUMBERS), private, typed)
async def flow_number(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await FLOW.whole_number(message, state, i18n, NUMBERS)


@router.message(StateFilter(ActivityFlow.basis, ActivityFlow.preview), private, typed)
async def flow_expected_button(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("expected-button"))


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
    data = await remember(state, "activity", per_hour=callback_data.value == "hour")
    draft = _draft(data)
    await state.set_state(ActivityFlow.preview)
    await message_of(query).edit_text(
        i18n.get(
            "activities-preview",
            title=draft.title,
            place=draft.place,
            time=f"{draft.starts_at.astimezone(settings.tz):%Y-%m-%d %H:%M}",
            hours=f"{draft.hours:g}",
            capacity=str(draft.capacity),
            points=points_text(i18n, draft.points, per_hour=draft.per_hour),
        ),
        reply_markup=kb.activity_preview(i18n.get),
    )


@router.callback_query(ActNew.filter(F.step == "ok"), StateFilter(ActivityFlow.preview))
async def flow_publish(
    query: CallbackQuery,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    resident = require_role(resident, Role.GRID_CHIEF)
    draft = _draft((await state.get_data())["activity"])
    activity = await service.create(session, resident, draft, now=now_utc())
    await state.clear()
    await message_of(query).edit_text(
        i18n.get("activities-created", id=f"A{activity.id}", title=activity.title)
    )
