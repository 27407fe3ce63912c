"""Volunteer activities: /activities, signing up, /activity_new, check-in, attendance and
confirming hours."""

from __future__ import annotations

from datetime import UTC, datetime

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.deep_linking import create_start_link
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from linli.bot.callbacks.points import ActJoin, ActLeave, ActManage, ActMark, ActNew, ActView
from linli.bot.commands import Access, CommandSpec
from linli.bot.filters import HasAccess
from linli.bot.i18n import Translator
from linli.bot.keyboards import points as kb
from linli.bot.notify import tell
from linli.config import Settings
from linli.models import Resident, Role
from linli.models.points import Activity, ActivityState, SignupStatus
from linli.services import activities as service
from linli.services.authz import require_role, require_verified
from linli.services.errors import StaleAction, ValidationFailed

router = Router(name=__name__)

COMMANDS = [
    CommandSpec("activities", Access.RESIDENT, "private"),
    CommandSpec("checkin", Access.RESIDENT, "private"),
    CommandSpec("activity_new", Access.GRID_CHIEF, "private"),
]

private = F.chat.type == "private"


class ActivityFlow(StatesGroup):
    title = State()
    place = State()
    time = State()
    hours = State()
    capacity = State()
    points = State()
    basis = State()
    preview = State()


def now_utc() -> datetime:
    return datetime.now(UTC)


def when(activity: Activity, settings: Settings) -> str:
    start = activity.starts_at.astimezone(settings.tz)
    end = activity.ends_at.astimezone(settings.tz)
    return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"


def points_text(i18n: I18nContext, activity: Activity) -> str:
    key = "activities-points-hourly" if activity.per_hour else "activities-points-flat"
    return i18n.get(key, points=str(activity.points))


def card_text(
    i18n: I18nContext,
    activity: Activity,
    settings: Settings,
    *,
    status: SignupStatus | None,
    waiting: int | None = None,
) -> str:
    text = i18n.get(
        "activities-card",
        id=f"A{activity.id}",
        title=activity.title,
        time=when(activity, settings),
        place=activity.place,
        taken=str(activity.seats_taken),
        capacity=str(activity.capacity),
        points=points_text(i18n, activity),
    )
    if waiting:
        text += "\n" + i18n.get("activities-waiting-count", count=str(waiting))
    if status is not None and status != SignupStatus.CANCELLED:
        text += "\n" + i18n.get(f"activities-status-{status.value.replace('_', '-')}")
    if activity.state != ActivityState.OPEN:
        text += "\n" + i18n.get(f"activities-state-{activity.state.value}")
    return text


@router.message(Command("activities"), private, HasAccess(Access.RESIDENT))
async def list_activities(
    message: Message,
    session: AsyncSession,
    resident: Resident,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    rows = await service.upcoming(session, resident, now_utc())
    can_create = resident.role in (Role.GRID_CHIEF, Role.ADMIN)
    if not rows:
        await message.answer(
            i18n.get("activities-none"),
            reply_markup=kb.activity_list(i18n.get, [], can_create=True) if can_create else None,
        )
        return
    labels = []
    for row in rows:
        mark = "✅ " if row.status == SignupStatus.GOING else ""
        start = row.activity.starts_at.astimezone(settings.tz)
        labels.append((row.activity.id, f"{mark}{start:%m-%d %H:%M} {row.activity.title}"))
    await message.answer(
        i18n.get("activities-header"),
        reply_markup=kb.activity_list(i18n.get, labels, can_create=can_create),
    )


async def _card(
    message: Message,
    session: AsyncSession,
    resident: Resident,
    i18n: I18nContext,
    settings: Settings,
    activity_id: int,
    *,
    edit: bool,
) -> None:
    rows = {r.activity.id: r for r in await service.upcoming(session, resident, now_utc())}
    activity = await service.get(session, resident, activity_id)
    row = rows.get(activity_id)
    status = row.status if row is not None else None
    joined = status in (SignupStatus.GOING, SignupStatus.WAITING)
    text = card_text(i18n, activity, settings, status=status, waiting=row.waiting if row else None)
    markup = kb.activity_card(
        i18n.get,
        activity.id,
        joined=joined,
        can_join=row is not None
        and activity.state == ActivityState.OPEN
        and not joined
        and status != SignupStatus.WALK_IN,
        manager=service.manages(resident, activity) and activity.state == ActivityState.OPEN,
    )
    if edit:
        await message.edit_text(text, reply_markup=markup)
    else:
        await message.answer(text, reply_markup=markup)


@router.callback_query(ActView.filter())
async def view(
    query: CallbackQuery,
    callback_data: ActView,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    resident = require_verified(resident)
    assert isinstance(query.message, Message)
    await _card(
        query.message, session, resident, i18n, settings, callback_data.activity_id, edit=False
    )


@router.callback_query(ActJoin.filter())
async def join(
    query: CallbackQuery,
    callback_data: ActJoin,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
    settings: Settings,
    callback_answer: CallbackAnswer,
) -> None:
    resident = require_verified(resident)
    status = await service.sign_up(session, resident, callback_data.activity_id, now=now_utc())
    callback_answer.text = i18n.get(f"activities-joined-{status.value}")
    assert isinstance(query.message, Message)
    await _card(
        query.message, session, resident, i18n, settings, callback_data.activity_id, edit=True
    )


@router.callback_query(ActLeave.filter())
async def leave(
    query: CallbackQuery,
    callback_data: ActLeave,
    bot: Bot,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
    translator: Translator,
    settings: Settings,
    callback_answer: CallbackAnswer,
) -> None:
    resident = require_verified(resident)
    promoted = await service.cancel_signup(
        session, resident, callback_data.activity_id, now=now_utc()
    )
    callback_answer.text = i18n.get("activities-left")
    assert isinstance(query.message, Message)
    await _card(
        query.message, session, resident, i18n, settings, callback_data.activity_id, edit=True
    )
    if promoted is not None:
        activity = await service.get(session, resident, callback_data.activity_id)
        await tell(
            bot,
            translator,
            promoted,
            "activities-promoted",
            title=activity.title,
            time=when(activity, settings),
            place=activity.place,
        )


# --- check-in ---------------------------------------------------------------------------------


async def _check_in(
    message: Message,
    code: str,
    session: AsyncSession,
    resident: Resident,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    activity = await service.check_in(
        session,
        resident,
        code,
        now=now_utc(),
        early_minutes=settings.points.checkin_early_minutes,
        late_minutes=settings.points.checkin_late_minutes,
    )
    await message.answer(i18n.get("activities-checked-in", title=activity.title))


@router.message(Command("checkin"), private, HasAccess(Access.RESIDENT))
async def checkin_command(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    resident: Resident,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    code = (command.args or "").strip().removeprefix("checkin_")
    if not code:
        await message.answer(i18n.get("activities-checkin-usage"))
        return
    await _check_in(message, code, session, resident, i18n, settings)


@router.message(
    StateFilter(None),
    private,
    HasAccess(Access.RESIDENT),
    F.text.regexp(r"^\s*\d{6}\s*$"),
)
async def checkin_code(
    message: Message,
    session: AsyncSession,
    resident: Resident,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    """A bare six-digit message outside any flow is a check-in code."""
    await _check_in(message, message.text or "", session, resident, i18n, settings)


# --- managing an activity ---------------------------------------------------------------------


@router.callback_query(ActManage.filter())
async def manage(
    query: CallbackQuery,
    callback_data: ActManage,
    bot: Bot,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
    translator: Translator,
    settings: Settings,
) -> None:
    resident = require_verified(resident)
    activity_id = callback_data.activity_id
    activity = await service.managed(session, resident, activity_id)
    message = query.message
    assert isinstance(message, Message)
    action = callback_data.action
    if action == "code":
        link = await create_start_link(bot, f"checkin_{activity.checkin_code}")
        await message.answer(
            i18n.get("activities-code", title=activity.title, code=activity.checkin_code, link=link)
        )
    elif action == "people":
        people = await service.attendees(session, resident, activity_id)
        if not people:
            await message.answer(i18n.get("activities-people-none"))
            return
        await message.answer(
            i18n.get("activities-people", title=activity.title),
            reply_markup=kb.attendance(
                i18n.get,
                activity_id,
                [(p.resident.id, p.resident.display_name or "-", p.present) for p in people],
            ),
        )
    elif action == "confirm":
        people = await service.attendees(session, resident, activity_id)
        present = sum(1 for p in people if p.present)
        await message.answer(
            i18n.get(
                "activities-confirm-ask",
                title=activity.title,
                count=str(present),
                points=str(service.points_for(activity)),
            ),
            reply_markup=kb.activity_manage_confirm(i18n.get, activity_id, "done"),
        )
    elif action == "done":
        credited = await service.confirm(session, resident, activity_id, now=now_utc())
        await message.edit_text(
            i18n.get("activities-confirmed", title=activity.title, count=str(len(credited)))
        )
        for attendee, points in credited:
            await tell(
                bot,
                translator,
                attendee,
                "activities-credited",
                title=activity.title,
                points=str(points),
            )
    elif action == "stop":
        await message.answer(
            i18n.get("activities-stop-ask", title=activity.title),
            reply_markup=kb.activity_manage_confirm(i18n.get, activity_id, "stopok"),
        )
    elif action == "stopok":
        told = await service.cancel_activity(session, resident, activity_id, now=now_utc())
        await message.edit_text(i18n.get("activities-stopped", title=activity.title))
        for person in told:
            await tell(
                bot,
                translator,
                person,
                "activities-told-stopped",
                title=activity.title,
                time=when(activity, settings),
            )
    else:
        raise StaleAction()


@router.callback_query(ActMark.filter())
async def mark(
    query: CallbackQuery,
    callback_data: ActMark,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    resident = require_verified(resident)
    await service.set_present(
        session,
        resident,
        callback_data.activity_id,
        callback_data.resident_id,
        callback_data.present,
        now=now_utc(),
    )
    people = await service.attendees(session, resident, callback_data.activity_id)
    assert isinstance(query.message, Message)
    await query.message.edit_reply_markup(
        reply_markup=kb.attendance(
            i18n.get,
            callback_data.activity_id,
            [(p.resident.id, p.resident.display_name or "-", p.present) for p in people],
        )
    )


# --- /activity_new --------------------------------------------------------------------------------


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


async def _preview(
    message: Message, state: FSMContext, i18n: I18nContext, settings: Settings, *, edit: bool
) -> None:
    data = (await state.get_data())["activity"]
    draft = _draft(data)
    start = draft.starts_at.astimezone(settings.tz)
    text = i18n.get(
        "activities-preview",
        title=draft.title,
        place=draft.place,
        time=f"{start:%Y-%m-%d %H:%M}",
        hours=f"{draft.hours:g}",
        capacity=str(draft.capacity),
        points=i18n.get(
            "activities-points-hourly" if draft.per_hour else "activities-points-flat",
            points=str(draft.points),
        ),
    )
    await state.set_state(ActivityFlow.preview)
    if edit:
        await message.edit_text(text, reply_markup=kb.activity_preview(i18n.get))
    else:
        await message.answer(text, reply_markup=kb.activity_preview(i18n.get))


def _short_text(message: Message, limit: int) -> str | None:
    text = (message.text or "").strip()
    return text if text and len(text) <= limit else None


@router.message(StateFilter(ActivityFlow.title), private, ~F.text.startswith("/"))
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


@router.message(StateFilter(ActivityFlow.place), private, ~F.text.startswith("/"))
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


@router.message(StateFilter(ActivityFlow.time), private, ~F.text.startswith("/"))
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


@router.message(StateFilter(ActivityFlow.hours), private, ~F.text.startswith("/"))
async def flow_hours_typed(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    try:
        hours = float((message.text or "").strip())
    except ValueError:
        hours = 0
    if not 0 < hours <= 24:
        await message.answer(i18n.get("activities-ask-hours"), reply_markup=kb.hours(i18n.get))
        return
    await _update(state, hours=hours)
    await state.set_state(ActivityFlow.capacity)
    await message.answer(i18n.get("activities-ask-capacity"), reply_markup=kb.cancel_only(i18n.get))


def _whole(text: str | None, low: int, high: int) -> int | None:
    value = (text or "").strip()
    if not value.isdigit() or not low <= int(value) <= high:
        return None
    return int(value)


@router.message(StateFilter(ActivityFlow.capacity), private, ~F.text.startswith("/"))
async def flow_capacity(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    capacity = _whole(message.text, 1, 10_000)
    if capacity is None:
        await message.answer(i18n.get("points-error-amount", amount=message.text or "-"))
        await message.answer(
            i18n.get("activities-ask-capacity"), reply_markup=kb.cancel_only(i18n.get)
        )
        return
    await _update(state, capacity=capacity)
    await state.set_state(ActivityFlow.points)
    await message.answer(i18n.get("activities-ask-points"), reply_markup=kb.cancel_only(i18n.get))


@router.message(StateFilter(ActivityFlow.points), private, ~F.text.startswith("/"))
async def flow_points(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    points = _whole(message.text, 0, 1_000)
    if points is None:
        await message.answer(i18n.get("points-error-amount", amount=message.text or "-"))
        await message.answer(
            i18n.get("activities-ask-points"), reply_markup=kb.cancel_only(i18n.get)
        )
        return
    await _update(state, points=points)
    await state.set_state(ActivityFlow.basis)
    await message.answer(i18n.get("activities-ask-basis"), reply_markup=kb.basis(i18n.get))


@router.message(
    StateFilter(ActivityFlow.basis, ActivityFlow.preview), private, ~F.text.startswith("/")
)
async def flow_expected_button(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("expected-button"))


@router.callback_query(ActNew.filter())
async def flow_button(
    query: CallbackQuery,
    callback_data: ActNew,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    resident = require_role(resident, Role.GRID_CHIEF)
    message = query.message
    assert isinstance(message, Message)
    current = await state.get_state()
    step, value = callback_data.step, callback_data.value
    if step == "start":
        await _start_flow(message, state, i18n)
    elif step == "hours" and current == ActivityFlow.hours.state and value.isdigit():
        await _update(state, hours=float(value))
        await state.set_state(ActivityFlow.capacity)
        await message.edit_text(
            i18n.get("activities-ask-capacity"), reply_markup=kb.cancel_only(i18n.get)
        )
    elif step == "basis" and current == ActivityFlow.basis.state and value in ("flat", "hour"):
        await _update(state, per_hour=value == "hour")
        await _preview(message, state, i18n, settings, edit=True)
    elif step == "ok" and current == ActivityFlow.preview.state:
        draft = _draft((await state.get_data())["activity"])
        activity = await service.create(session, resident, draft, now=now_utc())
        await state.clear()
        await message.edit_text(
            i18n.get("activities-created", id=f"A{activity.id}", title=activity.title)
        )
    else:
        raise StaleAction()
