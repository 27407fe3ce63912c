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
from linli.handlers.points.common import message_of, now_utc, private, typed
from linli.models import Resident, Role
from linli.services import DbSession, ledger
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


async def _start_flow(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await state.clear()
    await state.set_state(ActivityFlow.title)
    await message.answer(i18n.get("activities-ask-title"), reply_markup=kb.cancel_only(i18n.get))


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
    """ "New activity" under /activities."""
    require_role(resident, Role.GRID_CHIEF)
    await _start_flow(message_of(query), state, i18n)


async def _update(state: FSMContext, **values: object) -> dict[str, object]:
    data = dict((await state.get_data()).get("activity", {}))
    data.update(values)
    await state.update_data(activity=data)
    return data


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


def _short_text(message: Message, limit: int) -> str | None:
    text = (message.text or "").strip()
    return text if text and len(text) <= limit else None


@router.message(StateFilter(ActivityFlow.title), private, typed)
async def flow_title(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    title = _short_text(message, 100)
    if title is None:
        await message.answer(
            i18n.get("activities-ask-title"), reply_markup=kb.cancel_only(i18n.get)
        )
        return
    await _update(state, title=title)
    await state.set_state(ActivityFlow.place)
    await message.answer(i18n.get("activities-ask-place"), reply_markup=kb.cancel_only(i18n.get))


@router.message(StateFilter(ActivityFlow.place), private, typed)
async def flow_place(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    place = _short_text(message, 200)
    if place is None:
        await message.answer(
            i18n.get("activities-ask-place"), reply_markup=kb.cancel_only(i18n.get)
        )
        return
    await _update(state, place=place)
    await state.set_state(ActivityFlow.time)
    await message.answer(i18n.get("activities-ask-time"), reply_markup=kb.cancel_only(i18n.get))


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
        await message.answer(i18n.get("activities-ask-time"), reply_markup=kb.cancel_only(i18n.get))
        return
    await _update(state, starts_at=starts.isoformat())
    await state.set_state(ActivityFlow.hours)
    await message.answer(i18n.get("activities-ask-hours"), reply_markup=kb.hours(i18n.get))


async def _hours_chosen(state: FSMContext, hours: float) -> None:
    await _update(state, hours=hours)
    await state.set_state(ActivityFlow.capacity)


@router.message(StateFilter(ActivityFlow.hours), private, typed)
async def flow_hours_typed(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    hours = service.parse_hours(message.text)
    if hours is None:
        await message.answer(i18n.get("activities-ask-hours"), reply_markup=kb.hours(i18n.get))
        return
    await _hours_chosen(state, hours)
    await message.answer(i18n.get("activities-ask-capacity"), reply_markup=kb.cancel_only(i18n.get))


@router.callback_query(ActNew.filter(F.step == "hours"), StateFilter(ActivityFlow.hours))
async def flow_hours_button(
    query: CallbackQuery, callback_data: ActNew, state: FSMContext, i18n: I18nContext
) -> None:
    if callback_data.value not in HOURS:
        raise StaleAction()
    await _hours_chosen(state, float(callback_data.value))
    await message_of(query).edit_text(
        i18n.get("activities-ask-capacity"), reply_markup=kb.cancel_only(i18n.get)
    )


@router.message(StateFilter(ActivityFlow.capacity), private, typed)
async def flow_capacity(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    capacity = ledger.parse_whole(message.text, 1, 10_000)
    if capacity is None:
        await message.answer(i18n.get("points-error-amount", amount=message.text or "-"))
        await message.answer(
            i18n.get("activities-ask-capacity"), reply_markup=kb.cancel_only(i18n.get)
        )
        return
    await _update(state, capacity=capacity)
    await state.set_state(ActivityFlow.points)
    await message.answer(i18n.get("activities-ask-points"), reply_markup=kb.cancel_only(i18n.get))


@router.message(StateFilter(ActivityFlow.points), private, typed)
async def flow_points(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    points = ledger.parse_whole(message.text, 0, 1_000)
    if points is None:
        await message.answer(i18n.get("points-error-amount", amount=message.text or "-"))
        await message.answer(
            i18n.get("activities-ask-points"), reply_markup=kb.cancel_only(i18n.get)
        )
        return
    await _update(state, points=points)
    await state.set_state(ActivityFlow.basis)
    await message.answer(i18n.get("activities-ask-basis"), reply_markup=kb.basis(i18n.get))


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
    data = await _update(state, per_hour=callback_data.value == "hour")
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
            points=i18n.get(
                "activities-points-hourly" if draft.per_hour else "activities-points-flat",
                points=str(draft.points),
            ),
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
