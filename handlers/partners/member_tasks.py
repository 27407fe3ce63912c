"""Partner members' side of project tasks: the tasks open to them, a task's card with
signing up or leaving (the waiting list moves up), checking in with the organiser's code
(/checkin, or the six digits, for members without a home here, who have no /activities), and
their own hours and points."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from linli.bot.callbacks.partners import Hub, TaskAct
from linli.bot.delivery import Delivery
from linli.bot.delivery.points import when
from linli.bot.keyboards import partners as kb
from linli.config import Settings
from linli.handlers.partners.common import PartnerOnly, message_of, now_utc, private
from linli.models import Resident
from linli.models.points import SignupStatus
from linli.services import DbSession, activities, partner_tasks
from linli.services.activities import ActivityAction
from linli.services.authz import require_verified
from linli.services.errors import StaleAction
from linli.services.ledger import month_start, next_month
from linli.services.partners import Section

router = Router(name=__name__)
SHOWN = (ActivityAction.JOIN, ActivityAction.LEAVE)


@router.callback_query(Hub.filter(F.view == Section.TASKS))
async def open_tasks(
    query: CallbackQuery,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    rows = await partner_tasks.open_tasks(session, resident, now_utc())
    assert resident is not None
    mine = await partner_tasks.signed_up(session, resident, [a.id for a, _p in rows])
    items = []
    for activity, project in rows:
        start = activity.starts_at.astimezone(settings.tz)
        mark = "✅ " if activity.id in mine else ""
        label = f"{mark}{start:%m-%d %H:%M} {activity.title} · {project.code}"
        items.append((activity.id, label))
    text = i18n.get("task-list-title") if items else i18n.get("task-list-none")
    await message_of(query).edit_text(text, reply_markup=kb.tasks(i18n.get, items))


async def _show(
    message: Message,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
    settings: Settings,
    activity_id: int,
) -> None:
    card = await activities.card(session, resident, activity_id, now=now_utc())
    activity = card.activity
    project = await partner_tasks.project_of_task(session, activity.id)
    lines = [
        i18n.get(
            "task-card",
            code=f"A{activity.id}",
            title=activity.title,
            project=project.code if project else "-",
            time=when(activity, settings),
            place=activity.place,
            taken=activity.seats_taken,
            capacity=activity.capacity,
            points=activity.points,
        )
    ]
    if card.status is not None and card.status != SignupStatus.CANCELLED:
        lines.append(i18n.get("task-status", status=card.status.value))
    actions = [a.value for a in card.actions if a in SHOWN]
    await message.edit_text(
        "\n".join(lines), reply_markup=kb.task_card(i18n.get, activity.id, actions)
    )


@router.callback_query(TaskAct.filter(F.action == "open"))
async def open_task(
    query: CallbackQuery,
    callback_data: TaskAct,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    await _show(
        message_of(query),
        session,
        require_verified(resident),
        i18n,
        settings,
        callback_data.activity_id,
    )


@router.callback_query(TaskAct.filter(F.action == ActivityAction.JOIN))
async def join(
    query: CallbackQuery,
    callback_data: TaskAct,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    settings: Settings,
    callback_answer: CallbackAnswer,
) -> None:
    me = require_verified(resident)
    status = await activities.sign_up(session, me, callback_data.activity_id, now=now_utc())
    callback_answer.text = i18n.get("task-joined", status=status.value)
    await _show(message_of(query), session, me, i18n, settings, callback_data.activity_id)


@router.callback_query(TaskAct.filter(F.action == ActivityAction.LEAVE))
async def leave(
    query: CallbackQuery,
    callback_data: TaskAct,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    settings: Settings,
    delivery: Delivery,
    callback_answer: CallbackAnswer,
) -> None:
    me = require_verified(resident)
    promoted = await activities.cancel_signup(session, me, callback_data.activity_id, now=now_utc())
    callback_answer.text = i18n.get("task-left")
    await _show(message_of(query), session, me, i18n, settings, callback_data.activity_id)
    if promoted is not None:
        activity = await activities.get(session, me, callback_data.activity_id)
        await delivery.points.promoted(promoted, activity)


@router.callback_query(TaskAct.filter())
async def unknown_task_action(query: CallbackQuery) -> None:
    raise StaleAction()


# --- hours and points ---------------------------------------------------------------------------


@router.callback_query(Hub.filter(F.view == Section.HOURS))
async def my_hours(
    query: CallbackQuery,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    now = now_utc()
    start = month_start(now, settings.tz)
    year_start = start.replace(month=1)
    year_end = year_start.replace(year=year_start.year + 1)
    summary = await partner_tasks.my_summary(
        session, resident, (start, next_month(start)), (year_start, year_end)
    )
    await message_of(query).edit_text(
        i18n.get(
            "task-hours-summary",
            month_tasks=summary.month.tasks,
            month_hours=f"{round(summary.month.hours, 1):g}",
            year_tasks=summary.year.tasks,
            year_hours=f"{round(summary.year.hours, 1):g}",
            year_wishes=summary.year.wishes,
            points=summary.balance,
            earned=summary.month.points,
        ),
        reply_markup=kb.menu_button(i18n.get),
    )


# --- checking in (members without a home here) ---------------------------------------------------


async def _check_in(
    message: Message,
    code: str,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    activity = await activities.check_in(
        session, resident, code, now=now_utc(), settings=settings.points
    )
    await message.answer(i18n.get("task-checked-in", title=activity.title))


@router.message(Command("checkin"), private, PartnerOnly())
async def checkin_command(
    message: Message,
    command: CommandObject,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    code = (command.args or "").strip().removeprefix("checkin_")
    if not code:
        await message.answer(i18n.get("task-checkin-usage"))
        return
    await _check_in(message, code, session, resident, i18n, settings)


@router.message(StateFilter(None), private, F.text.regexp(r"^\s*[0-9]{6}\s*$"), PartnerOnly())
async def checkin_code(
    message: Message, session: DbSession, resident: Resident, i18n: I18nContext, settings: Settings
) -> None:
    await _check_in(message, message.text or "", session, resident, i18n, settings)
