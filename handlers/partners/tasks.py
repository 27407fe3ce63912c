"""A project's manager adds a task: a volunteer activity (what, where, when, how long, how
many people, how many points — one question per message). Attendance and hours are then
confirmed as for every activity (/activities); members' side is in member_tasks.py."""

from __future__ import annotations

from datetime import datetime

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from linli.bot.callbacks.common import WhenPick
from linli.bot.callbacks.partners import ProjectAct, Step
from linli.bot.keyboards import partners as kb
from linli.bot.keyboards.when import day_keyboard, picked
from linli.config import Settings
from linli.handlers.partners.common import (
    draft,
    message_of,
    now_utc,
    private,
    remember,
    typed,
)
from linli.models import Resident
from linli.services import DbSession, activities, parsing
from linli.services import partners as partner_service
from linli.services import projects as project_service
from linli.services.errors import StaleAction
from linli.services.projects import ProjectAction

router = Router(name=__name__)
DRAFT = "task_new"
CAPACITY_MAX = 10_000
POINTS_MAX = 1_000


class TaskNew(StatesGroup):
    title = State()
    place = State()
    starts = State()
    hours = State()
    capacity = State()
    points = State()
    confirm = State()


# --- a manager adds a task ----------------------------------------------------------------------


@router.callback_query(ProjectAct.filter(F.action == ProjectAction.TASK))
async def start(
    query: CallbackQuery,
    callback_data: ProjectAct,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    found = await project_service.require_action(
        session, resident, callback_data.project_id, ProjectAction.TASK
    )
    await state.set_state(TaskNew.title)
    await state.update_data({DRAFT: {"project_id": found.project.id}})
    await message_of(query).answer(
        i18n.get("task-ask-title", code=found.project.code), reply_markup=kb.cancel_only(i18n.get)
    )


@router.message(TaskNew.title, private, typed)
async def got_title(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await draft(state, DRAFT)
    await remember(state, DRAFT, title=partner_service.check_text(message.text, 100))
    await state.set_state(TaskNew.place)
    await message.answer(i18n.get("task-ask-place"), reply_markup=kb.cancel_only(i18n.get))


@router.message(TaskNew.place, private, typed)
async def got_place(
    message: Message, state: FSMContext, i18n: I18nContext, settings: Settings
) -> None:
    await draft(state, DRAFT)
    await remember(state, DRAFT, place=partner_service.check_text(message.text, 200))
    await state.set_state(TaskNew.starts)
    markup = day_keyboard(
        i18n.get, "ptask", now_utc(), settings.tz, extra=[[kb.cancel_button(i18n.get)]]
    )
    await message.answer(
        i18n.get("task-ask-starts") + "\n" + i18n.get("when-hint"), reply_markup=markup
    )


async def _got_start(
    message: Message, state: FSMContext, i18n: I18nContext, moment: datetime | None
) -> None:
    await draft(state, DRAFT)
    if moment is None or moment <= now_utc():
        await message.answer(i18n.get("project-error-date"))
        return
    await remember(state, DRAFT, starts=moment.isoformat())
    await state.set_state(TaskNew.hours)
    await message.answer(i18n.get("task-ask-hours"), reply_markup=kb.hours(i18n.get))


@router.callback_query(TaskNew.starts, WhenPick.filter((F.flow == "ptask") & (F.at != "")))
async def picked_start(
    query: CallbackQuery,
    callback_data: WhenPick,
    state: FSMContext,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    await _got_start(message_of(query), state, i18n, picked(callback_data, settings.tz))


@router.message(TaskNew.starts, private, typed)
async def typed_start(
    message: Message, state: FSMContext, i18n: I18nContext, settings: Settings
) -> None:
    await _got_start(message, state, i18n, parsing.parse_when(message.text, now_utc(), settings.tz))


async def _got_hours(
    message: Message, state: FSMContext, i18n: I18nContext, hours: float | None, most: int
) -> None:
    await draft(state, DRAFT)
    if hours is None:
        await message.answer(i18n.get("task-error-hours", max=most))
        return
    await remember(state, DRAFT, hours=hours)
    await state.set_state(TaskNew.capacity)
    await message.answer(
        i18n.get("task-ask-capacity", limit=CAPACITY_MAX), reply_markup=kb.cancel_only(i18n.get)
    )


@router.callback_query(TaskNew.hours, Step.filter(F.action.startswith("h")))
async def picked_hours(
    query: CallbackQuery,
    callback_data: Step,
    state: FSMContext,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    hours = activities.parse_hours(callback_data.action[1:], settings.points.activity_max_hours)
    await _got_hours(message_of(query), state, i18n, hours, settings.points.activity_max_hours)


@router.message(TaskNew.hours, private, typed)
async def typed_hours(
    message: Message, state: FSMContext, i18n: I18nContext, settings: Settings
) -> None:
    hours = activities.parse_hours(message.text, settings.points.activity_max_hours)
    await _got_hours(message, state, i18n, hours, settings.points.activity_max_hours)


@router.message(TaskNew.capacity, private, typed)
async def got_capacity(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await draft(state, DRAFT)
    capacity = parsing.parse_int(message.text, low=1, high=CAPACITY_MAX)
    if capacity is None:
        await message.answer(i18n.get("task-error-number", low=1, high=CAPACITY_MAX))
        return
    await remember(state, DRAFT, capacity=capacity)
    await state.set_state(TaskNew.points)
    await message.answer(
        i18n.get("task-ask-points", limit=POINTS_MAX), reply_markup=kb.cancel_only(i18n.get)
    )


@router.message(TaskNew.points, private, typed)
async def got_points(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await draft(state, DRAFT)
    points = parsing.parse_int(message.text, low=0, high=POINTS_MAX)
    if points is None:
        await message.answer(i18n.get("task-error-number", low=0, high=POINTS_MAX))
        return
    data = await remember(state, DRAFT, points=points)
    await state.set_state(TaskNew.confirm)
    await message.answer(
        i18n.get(
            "task-preview",
            title=str(data.get("title", "")),
            place=str(data.get("place", "")),
            hours=str(data.get("hours", "")),
            capacity=int(data.get("capacity") or 0),
            points=points,
        ),
        reply_markup=kb.confirm(i18n.get),
    )


@router.message(TaskNew.confirm, private, typed)
async def expected_button(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("expected-button"))


@router.callback_query(TaskNew.confirm, Step.filter(F.action == "confirm"))
async def confirmed(
    query: CallbackQuery,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    data = await draft(state, DRAFT)
    try:
        starts = datetime.fromisoformat(str(data.get("starts")))
    except ValueError:
        await state.clear()
        raise StaleAction("partner-error-draft-lost") from None
    activity = await project_service.add_task(
        session,
        resident,
        int(data.get("project_id") or 0),
        activities.Draft(
            title=str(data.get("title", "")),
            place=str(data.get("place", "")),
            starts_at=starts,
            hours=float(data.get("hours") or 0),
            capacity=int(data.get("capacity") or 0),
            points=int(data.get("points") or 0),
            per_hour=False,
        ),
        now_utc(),
        settings=settings.points,
    )
    await state.clear()
    await message_of(query).edit_text(
        i18n.get("task-added", code=f"A{activity.id}", title=activity.title),
        reply_markup=kb.menu_button(i18n.get),
    )
