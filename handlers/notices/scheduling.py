"""/notice: when it goes (now, at a date and time, or recurring: days, day of month, time),
the preview exactly as the groups will see it, and Confirm."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from linli.bot.callbacks.notices import NConfirm, NDay, NMonthDay, NRepeat, NTime, NWhen
from linli.bot.delivery import Delivery
from linli.bot.keyboards import notices as kb
from linli.config import Settings
from linli.handlers.notices.common import (
    NoticeFlow,
    describe_schedule,
    describe_target,
    draft_from,
    kind_from,
    schedule_from,
    target_from,
)
from linli.models import Resident
from linli.models.notices import NoticeKind, Repeat
from linli.services import DbSession
from linli.services import notices as notice_service
from linli.services.errors import StaleAction, ValidationFailed

router = Router(name=__name__)

DONE_DAY = 7
"""The weekday keyboard's Done button."""


async def show_preview(
    message: Message, state: FSMContext, session: DbSession, delivery: Delivery, i18n: I18nContext
) -> None:
    """The notice exactly as the groups will see it, then a summary with Confirm."""
    data = await state.get_data()
    schedule = schedule_from(data)
    now = datetime.now(UTC)
    schedule.check(now)
    target = target_from(data)
    chat_id = message.chat.id
    if kind_from(data) == NoticeKind.AGENDA:
        if not await delivery.notices.preview_agenda(session, chat_id, target, now):
            await message.answer(i18n.get("notice-agenda-empty-now"))
    else:
        await delivery.notices.preview_notice(
            chat_id, data.get("text", ""), data.get("media_kind"), data.get("media_file_id")
        )
    groups = await notice_service.chats_for(session, target, None)
    await state.set_state(NoticeFlow.confirm)
    await message.answer(
        i18n.get(
            "notice-preview-summary",
            target=await describe_target(session, i18n, target),
            groups=len(groups),
            when=describe_schedule(i18n, schedule, delivery),
        ),
        reply_markup=kb.confirm(i18n.get),
    )


async def preview_schedule(
    query: CallbackQuery,
    state: FSMContext,
    session: DbSession,
    delivery: Delivery,
    i18n: I18nContext,
    schedule: dict[str, Any],
) -> None:
    """A schedule chosen with one button: the buttons go, the preview follows."""
    assert isinstance(query.message, Message)
    await state.update_data(schedule=schedule)
    await query.message.edit_reply_markup(reply_markup=None)
    await show_preview(query.message, state, session, delivery, i18n)


# --- once: now, or at a date and time -------------------------------------------------------


@router.callback_query(NWhen.filter(F.kind == "now"), StateFilter(NoticeFlow.when))
async def send_now(
    query: CallbackQuery,
    state: FSMContext,
    session: DbSession,
    delivery: Delivery,
    i18n: I18nContext,
) -> None:
    await preview_schedule(
        query, state, session, delivery, i18n, {"repeat": Repeat.ONCE.value, "run_at": None}
    )


def _example(settings: Settings) -> str:
    local = datetime.now(UTC).astimezone(settings.tz)
    return f"{local.year + (1 if local.month == 12 else 0)}-{(local.month % 12) + 1:02d}-01 19:30"


@router.callback_query(NWhen.filter(F.kind == "at"), StateFilter(NoticeFlow.when))
async def ask_at(
    query: CallbackQuery, state: FSMContext, settings: Settings, i18n: I18nContext
) -> None:
    assert isinstance(query.message, Message)
    await state.set_state(NoticeFlow.at)
    await query.message.edit_text(
        i18n.get("notice-ask-at", example=_example(settings)),
        reply_markup=kb.cancel_only(i18n.get),
    )


@router.message(StateFilter(NoticeFlow.at), ~F.text.startswith("/"))
async def got_at(
    message: Message,
    state: FSMContext,
    session: DbSession,
    settings: Settings,
    delivery: Delivery,
    i18n: I18nContext,
) -> None:
    if not message.text:
        await message.answer(i18n.get("notice-ask-at", example=_example(settings)))
        return
    when = notice_service.parse_datetime(message.text, datetime.now(UTC), settings.tz)
    await state.update_data(schedule={"repeat": Repeat.ONCE.value, "run_at": when.isoformat()})
    await show_preview(message, state, session, delivery, i18n)


# --- recurring: daily, weekly on days, monthly on a day; at a time ---------------------------


@router.callback_query(NWhen.filter(F.kind == "repeat"), StateFilter(NoticeFlow.when))
async def ask_repeat(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    assert isinstance(query.message, Message)
    await state.set_state(NoticeFlow.repeat)
    await query.message.edit_text(i18n.get("notice-ask-repeat"), reply_markup=kb.repeats(i18n.get))


async def _repeat(state: FSMContext, kind: str) -> None:
    await state.update_data(schedule={"repeat": kind}, days=[], repeat=kind)


def _day_names(i18n: I18nContext) -> list[str]:
    return [i18n.get(f"notice-day-{n}") for n in range(7)]


async def _ask_time(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await state.set_state(NoticeFlow.time)
    await message.edit_text(i18n.get("notice-ask-time"), reply_markup=kb.times(i18n.get))


@router.callback_query(NRepeat.filter(F.kind == "daily"), StateFilter(NoticeFlow.repeat))
async def daily(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    assert isinstance(query.message, Message)
    await _repeat(state, Repeat.DAILY.value)
    await _ask_time(query.message, state, i18n)


@router.callback_query(NRepeat.filter(F.kind == "weekly"), StateFilter(NoticeFlow.repeat))
async def weekly(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    assert isinstance(query.message, Message)
    await _repeat(state, Repeat.WEEKLY.value)
    await state.set_state(NoticeFlow.days)
    await query.message.edit_text(
        i18n.get("notice-ask-days"), reply_markup=kb.weekdays(_day_names(i18n), set(), i18n.get)
    )


@router.callback_query(NRepeat.filter(F.kind == "monthly"), StateFilter(NoticeFlow.repeat))
async def monthly(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    assert isinstance(query.message, Message)
    await _repeat(state, Repeat.MONTHLY.value)
    await state.set_state(NoticeFlow.month_day)
    await query.message.edit_text(
        i18n.get("notice-ask-month-day"), reply_markup=kb.month_days(i18n.get)
    )


@router.callback_query(NDay.filter(F.day.in_(range(7))), StateFilter(NoticeFlow.days))
async def day_toggled(
    query: CallbackQuery, callback_data: NDay, state: FSMContext, i18n: I18nContext
) -> None:
    assert isinstance(query.message, Message)
    days = set((await state.get_data()).get("days") or ())
    days ^= {callback_data.day}
    await state.update_data(days=sorted(days))
    await query.message.edit_reply_markup(
        reply_markup=kb.weekdays(_day_names(i18n), days, i18n.get)
    )


@router.callback_query(NDay.filter(F.day == DONE_DAY), StateFilter(NoticeFlow.days))
async def days_done(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    assert isinstance(query.message, Message)
    data = await state.get_data()
    days = sorted(data.get("days") or ())
    if not days:
        raise ValidationFailed("notice-error-no-days")
    schedule = dict(data.get("schedule") or {})
    schedule["weekdays"] = [notice_service.WEEKDAYS[d] for d in days]
    await state.update_data(schedule=schedule)
    await _ask_time(query.message, state, i18n)


@router.callback_query(NMonthDay.filter(F.day.in_(range(1, 32))), StateFilter(NoticeFlow.month_day))
async def month_day_chosen(
    query: CallbackQuery, callback_data: NMonthDay, state: FSMContext, i18n: I18nContext
) -> None:
    assert isinstance(query.message, Message)
    data = await state.get_data()
    schedule = dict(data.get("schedule") or {})
    schedule["month_day"] = callback_data.day
    await state.update_data(schedule=schedule)
    await _ask_time(query.message, state, i18n)


async def _time_chosen(
    message: Message,
    state: FSMContext,
    session: DbSession,
    delivery: Delivery,
    i18n: I18nContext,
    value: str,
) -> None:
    data = await state.get_data()
    schedule = dict(data.get("schedule") or {})
    schedule["at_time"] = notice_service.parse_time(value)
    await state.update_data(schedule=schedule)
    await show_preview(message, state, session, delivery, i18n)


@router.callback_query(NTime.filter(), StateFilter(NoticeFlow.time))
async def time_button(
    query: CallbackQuery,
    callback_data: NTime,
    state: FSMContext,
    session: DbSession,
    delivery: Delivery,
    i18n: I18nContext,
) -> None:
    assert isinstance(query.message, Message)
    value = callback_data.hhmm
    await query.message.edit_reply_markup(reply_markup=None)
    await _time_chosen(query.message, state, session, delivery, i18n, f"{value[:2]}:{value[2:]}")


@router.message(StateFilter(NoticeFlow.time), ~F.text.startswith("/"))
async def time_typed(
    message: Message,
    state: FSMContext,
    session: DbSession,
    delivery: Delivery,
    i18n: I18nContext,
) -> None:
    if not message.text:
        await message.answer(i18n.get("notice-ask-time"), reply_markup=kb.times(i18n.get))
        return
    await _time_chosen(message, state, session, delivery, i18n, message.text)


# --- confirm ---------------------------------------------------------------------------------


@router.callback_query(NConfirm.filter())
async def confirmed(
    query: CallbackQuery,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    delivery: Delivery,
    i18n: I18nContext,
) -> None:
    """Schedule the notice (services check everything again); a notice for "now" is started
    at once."""
    assert isinstance(query.message, Message)
    if await state.get_state() != NoticeFlow.confirm.state or resident is None:
        raise StaleAction()
    draft = draft_from(await state.get_data())
    now = datetime.now(UTC)
    notice = await notice_service.create(session, resident, draft, now, delivery.settings.tz)
    await state.clear()
    if draft.schedule.repeat == Repeat.ONCE and draft.schedule.run_at is None:
        await delivery.notices.start_due(now, notice_id=notice.id)
        await query.message.edit_text(i18n.get("notice-sending", id=f"N{notice.id}"))
        return
    await query.message.edit_text(
        i18n.get(
            "notice-scheduled",
            id=f"N{notice.id}",
            when=describe_schedule(i18n, draft.schedule, delivery),
            next=delivery.local_time(notice.next_run_at or now),
        )
    )
