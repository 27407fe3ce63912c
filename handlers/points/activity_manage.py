"""The manager's buttons on an activity card (the grid chief of its grid, admins: by their
role now, not by who created it): the check-in code, its QR image for the door, the
attendance list (nobody marks themselves), confirming the hours (credits every attendee
once, within the monthly cap; not by a manager who was present) and calling the activity
off. Each action has its own handler; the rules are
`services.activities.allowed_actions`."""

from __future__ import annotations

import asyncio

from aiogram import Bot, F, Router
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup
from aiogram.utils.deep_linking import create_start_link
from aiogram_i18n import I18nContext

from linli.bot.callbacks.points import CONFIRMED, ActManage, ActMark
from linli.bot.delivery import Delivery
from linli.bot.delivery.points import checkin_qr, when
from linli.bot.keyboards import points as kb
from linli.config import Settings
from linli.handlers.points.common import message_of, now_utc
from linli.models import Resident
from linli.services import DbSession, ledger
from linli.services import activities as service
from linli.services.activities import ActivityAction
from linli.services.authz import require_verified
from linli.services.people import shown_name

router = Router(name=__name__)

CONFIRM_HOURS = CONFIRMED[ActivityAction.CONFIRM]
CALL_OFF = CONFIRMED[ActivityAction.STOP]


def _attendance_markup(i18n: I18nContext, attendance: service.Attendance) -> InlineKeyboardMarkup:
    return kb.attendance(
        i18n.get,
        attendance.activity.id,
        [(p.resident.id, shown_name(i18n.get, p.resident), p.present) for p in attendance.people],
        can_confirm=ActivityAction.CONFIRM in attendance.actions,
    )


@router.callback_query(ActManage.filter(F.action == ActivityAction.CODE))
async def show_code(
    query: CallbackQuery,
    callback_data: ActManage,
    bot: Bot,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    activity = await service.managed(
        session,
        require_verified(resident),
        callback_data.activity_id,
        ActivityAction.CODE,
        now=now_utc(),
    )
    link = await create_start_link(bot, f"checkin_{activity.checkin_code}")
    await message_of(query).answer(
        i18n.get("activities-code", title=activity.title, code=activity.checkin_code, link=link)
    )


@router.callback_query(ActManage.filter(F.action == ActivityAction.QR))
async def show_qr(
    query: CallbackQuery,
    callback_data: ActManage,
    bot: Bot,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    """The check-in link as a QR image, to print and put up at the door."""
    activity = await service.managed(
        session,
        require_verified(resident),
        callback_data.activity_id,
        ActivityAction.QR,
        now=now_utc(),
    )
    link = await create_start_link(bot, f"checkin_{activity.checkin_code}")
    png = await asyncio.to_thread(checkin_qr, link)
    await message_of(query).answer_photo(
        BufferedInputFile(png, filename=f"checkin-A{activity.id}.png"),
        caption=i18n.get(
            "activities-qr",
            title=activity.title,
            time=when(activity, settings),
            code=activity.checkin_code,
        ),
    )


@router.callback_query(ActManage.filter(F.action == ActivityAction.PEOPLE))
async def show_people(
    query: CallbackQuery,
    callback_data: ActManage,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    attendance = await service.attendance(
        session, require_verified(resident), callback_data.activity_id, now=now_utc()
    )
    if not attendance.people:
        await message_of(query).answer(i18n.get("activities-people-none"))
        return
    await message_of(query).answer(
        i18n.get("activities-people", title=attendance.activity.title),
        reply_markup=_attendance_markup(i18n, attendance),
    )


@router.callback_query(ActMark.filter())
async def mark(
    query: CallbackQuery,
    callback_data: ActMark,
    session: DbSession,
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
    attendance = await service.attendance(
        session, resident, callback_data.activity_id, now=now_utc()
    )
    await message_of(query).edit_reply_markup(reply_markup=_attendance_markup(i18n, attendance))


@router.callback_query(ActManage.filter(F.action == ActivityAction.CONFIRM))
async def ask_confirm_hours(
    query: CallbackQuery,
    callback_data: ActManage,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    attendance = await service.attendance(
        session,
        require_verified(resident),
        callback_data.activity_id,
        now=now_utc(),
        action=ActivityAction.CONFIRM,
    )
    activity = attendance.activity
    await message_of(query).answer(
        i18n.get(
            "activities-confirm-ask",
            title=activity.title,
            count=attendance.present,
            points=service.points_for(activity),
        ),
        reply_markup=kb.activity_manage_confirm(i18n.get, activity.id, ActivityAction.CONFIRM),
    )


@router.callback_query(ActManage.filter(F.action == CONFIRM_HOURS))
async def confirm_hours(
    query: CallbackQuery,
    callback_data: ActManage,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    activity, credited = await service.confirm(
        session,
        require_verified(resident),
        callback_data.activity_id,
        now=now_utc(),
        caps=ledger.Caps.of(delivery.settings),
    )
    await message_of(query).edit_text(
        i18n.get("activities-confirmed", title=activity.title, count=len(credited))
    )
    await delivery.points.credited(activity, credited)
    await delivery.points.tell_withheld()


@router.callback_query(ActManage.filter(F.action == ActivityAction.STOP))
async def ask_call_off(
    query: CallbackQuery,
    callback_data: ActManage,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    activity = await service.managed(
        session,
        require_verified(resident),
        callback_data.activity_id,
        ActivityAction.STOP,
        now=now_utc(),
    )
    await message_of(query).answer(
        i18n.get("activities-stop-ask", title=activity.title),
        reply_markup=kb.activity_manage_confirm(i18n.get, activity.id, ActivityAction.STOP),
    )


@router.callback_query(ActManage.filter(F.action == CALL_OFF))
async def call_off(
    query: CallbackQuery,
    callback_data: ActManage,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    activity, told = await service.cancel_activity(
        session, require_verified(resident), callback_data.activity_id, now=now_utc()
    )
    await message_of(query).edit_text(i18n.get("activities-stopped", title=activity.title))
    await delivery.points.called_off(activity, told)
