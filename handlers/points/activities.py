"""Volunteer activities for residents: /activities, an activity's card, signing up or
leaving (the waiting list moves up), and checking in with /checkin or a bare 6-digit
code. The card's buttons are the actions `services.activities.allowed_actions` allows."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from linli.bot.callbacks.points import ActJoin, ActLeave, ActView
from linli.bot.commands import Access
from linli.bot.delivery import Delivery
from linli.bot.delivery.points import when
from linli.bot.filters import HasAccess
from linli.bot.keyboards import points as kb
from linli.config import Settings
from linli.handlers.points.common import message_of, now_utc, private
from linli.models import Resident, Role
from linli.models.points import ActivityState, SignupStatus
from linli.services import DbSession
from linli.services import activities as service
from linli.services.authz import require_verified

router = Router(name=__name__)


def points_text(i18n: I18nContext, points: int, *, per_hour: bool) -> str:
    """What an attendee earns: per attendance or per hour."""
    key = "activities-points-hourly" if per_hour else "activities-points-flat"
    return i18n.get(key, points=points)


def card_text(i18n: I18nContext, card: service.Card, settings: Settings) -> str:
    activity = card.activity
    text = i18n.get(
        "activities-card",
        id=f"A{activity.id}",
        title=activity.title,
        time=when(activity, settings),
        place=activity.place,
        taken=str(activity.seats_taken),
        capacity=str(activity.capacity),
        points=points_text(i18n, activity.points, per_hour=activity.per_hour),
    )
    if card.waiting:
        text += "\n" + i18n.get("activities-waiting-count", count=card.waiting)
    if card.status is not None and card.status != SignupStatus.CANCELLED:
        text += "\n" + i18n.get(f"activities-status-{card.status.value.replace('_', '-')}")
    if activity.state != ActivityState.OPEN:
        text += "\n" + i18n.get(f"activities-state-{activity.state.value}")
    return text


@router.message(Command("activities"), private, HasAccess(Access.RESIDENT))
async def list_activities(
    message: Message,
    session: DbSession,
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


async def _show_card(
    message: Message,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
    settings: Settings,
    activity_id: int,
    *,
    edit: bool,
) -> None:
    card = await service.card(session, resident, activity_id, now=now_utc())
    text = card_text(i18n, card, settings)
    markup = kb.activity_card(i18n.get, card.activity.id, card.actions)
    if edit:
        await message.edit_text(text, reply_markup=markup)
    else:
        await message.answer(text, reply_markup=markup)


@router.callback_query(ActView.filter())
async def view(
    query: CallbackQuery,
    callback_data: ActView,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    await _show_card(
        message_of(query),
        session,
        require_verified(resident),
        i18n,
        settings,
        callback_data.activity_id,
        edit=False,
    )


@router.callback_query(ActJoin.filter())
async def join(
    query: CallbackQuery,
    callback_data: ActJoin,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    settings: Settings,
    callback_answer: CallbackAnswer,
) -> None:
    resident = require_verified(resident)
    status = await service.sign_up(session, resident, callback_data.activity_id, now=now_utc())
    callback_answer.text = i18n.get(f"activities-joined-{status.value}")
    await _show_card(
        message_of(query), session, resident, i18n, settings, callback_data.activity_id, edit=True
    )


@router.callback_query(ActLeave.filter())
async def leave(
    query: CallbackQuery,
    callback_data: ActLeave,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    settings: Settings,
    callback_answer: CallbackAnswer,
    delivery: Delivery,
) -> None:
    resident = require_verified(resident)
    promoted = await service.cancel_signup(
        session, resident, callback_data.activity_id, now=now_utc()
    )
    callback_answer.text = i18n.get("activities-left")
    await _show_card(
        message_of(query), session, resident, i18n, settings, callback_data.activity_id, edit=True
    )
    if promoted is not None:
        activity = await service.get(session, resident, callback_data.activity_id)
        await delivery.points.promoted(promoted, activity)


# --- check-in ---------------------------------------------------------------------------------


async def _check_in(
    message: Message,
    code: str,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    activity = await service.check_in(
        session, resident, code, now=now_utc(), settings=settings.points
    )
    await message.answer(i18n.get("activities-checked-in", title=activity.title))


@router.message(Command("checkin"), private, HasAccess(Access.RESIDENT))
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
        await message.answer(i18n.get("activities-checkin-usage"))
        return
    await _check_in(message, code, session, resident, i18n, settings)


@router.message(
    StateFilter(None),
    private,
    HasAccess(Access.RESIDENT),
    F.text.regexp(r"^\s*[0-9]{6}\s*$"),
)
async def checkin_code(
    message: Message,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    """A bare six-digit message outside any flow is a check-in code."""
    await _check_in(message, message.text or "", session, resident, i18n, settings)
