"""/notice, recurring: daily, weekly on chosen days, or monthly on a day; then the time (buttons
or typed); then the preview of `scheduling`."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from linli.bot.callbacks.notices import (
    NDay,
    NMonthDay,
    NRepeat,
    NTime,
    NWhen,
)
from linli.bot.delivery import Delivery
from linli.bot.keyboards import notices as kb
from linli.handlers.notices.common import (
    NoticeFlow,
    prompt,
    read_draft,
    retire_prompt,
)
from linli.handlers.notices.scheduling import DRAFT, show_preview
from linli.models.notices import Repeat
from linli.services import DbSession
from linli.services import notices as notice_service
from linli.services.errors import StaleAction, ValidationFailed

router = Router(name=__name__)

DONE_DAY = 7
"""The weekday keyboard's Done button."""


@router.callback_query(NWhen.filter(F.kind == "repeat"), StateFilter(NoticeFlow.when))
async def ask_repeat(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    assert isinstance(query.message, Message)
    await read_draft(state, *DRAFT)
    await state.set_state(NoticeFlow.repeat)
    await query.message.edit_text(i18n.get("notice-ask-repeat"), reply_markup=kb.repeats(i18n.get))


async def _repeat(state: FSMContext, kind: str) -> None:
    await read_draft(state, *DRAFT)
    await state.update_data(schedule={"repeat": kind}, days=[], repeat=kind)


def _day_names(i18n: I18nContext) -> list[str]:
    return [i18n.get(f"notice-day-{n}") for n in range(7)]


async def _ask_time(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await state.set_state(NoticeFlow.time)
    await prompt(message, state, i18n.get("notice-ask-time"), kb.times(i18n.get), edit=True)


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
    await prompt(
        query.message,
        state,
        i18n.get("notice-ask-month-day"),
        kb.month_days(i18n.get),
        edit=True,
    )


@router.callback_query(NDay.filter(F.day.in_(range(7))), StateFilter(NoticeFlow.days))
async def day_toggled(
    query: CallbackQuery, callback_data: NDay, state: FSMContext, i18n: I18nContext
) -> None:
    assert isinstance(query.message, Message)
    data = await read_draft(state, *DRAFT, "schedule")
    days = set(data.get("days") or ())
    days ^= {callback_data.day}
    await state.update_data(days=sorted(days))
    await query.message.edit_reply_markup(
        reply_markup=kb.weekdays(_day_names(i18n), days, i18n.get)
    )


@router.callback_query(NDay.filter(F.day == DONE_DAY), StateFilter(NoticeFlow.days))
async def days_done(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    assert isinstance(query.message, Message)
    data = await read_draft(state, *DRAFT, "schedule")
    days = sorted(data.get("days") or ())
    if not days:
        raise ValidationFailed("notice-error-no-days")
    schedule = dict(data["schedule"])
    schedule["weekdays"] = [notice_service.WEEKDAYS[d] for d in days]
    await state.update_data(schedule=schedule)
    await _ask_time(query.message, state, i18n)


async def _month_day(state: FSMContext, day: int) -> None:
    data = await read_draft(state, *DRAFT, "schedule")
    schedule = dict(data["schedule"])
    schedule["month_day"] = day
    await state.update_data(schedule=schedule)


@router.callback_query(NMonthDay.filter(F.day.in_(range(1, 32))), StateFilter(NoticeFlow.month_day))
async def month_day_chosen(
    query: CallbackQuery, callback_data: NMonthDay, state: FSMContext, i18n: I18nContext
) -> None:
    assert isinstance(query.message, Message)
    await _month_day(state, callback_data.day)
    await _ask_time(query.message, state, i18n)


@router.message(StateFilter(NoticeFlow.month_day), ~F.text.startswith("/"))
async def month_day_typed(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    """A day typed instead of pressed (29, 30 and 31 are typed: months without them are
    skipped)."""
    await read_draft(state, *DRAFT, "schedule")
    await _month_day(state, notice_service.read_month_day(message.text))
    await retire_prompt(message, state)
    await state.set_state(NoticeFlow.time)
    await prompt(message, state, i18n.get("notice-ask-time"), kb.times(i18n.get))


async def _time_chosen(
    message: Message,
    state: FSMContext,
    session: DbSession,
    delivery: Delivery,
    i18n: I18nContext,
    value: str | None,
) -> None:
    data = await read_draft(state, *DRAFT, "schedule")
    schedule = dict(data["schedule"])
    schedule["at_time"] = notice_service.read_time(value)
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
    if len(value) != 4:
        raise StaleAction()
    await _time_chosen(query.message, state, session, delivery, i18n, f"{value[:2]}:{value[2:]}")
    await state.update_data(prompt_id=None)
    await query.message.edit_reply_markup(reply_markup=None)


@router.message(StateFilter(NoticeFlow.time), ~F.text.startswith("/"))
async def time_typed(
    message: Message,
    state: FSMContext,
    session: DbSession,
    delivery: Delivery,
    i18n: I18nContext,
) -> None:
    await read_draft(state, *DRAFT, "schedule")
    if not message.text:
        await message.answer(i18n.get("notice-ask-time-again"))
        return
    notice_service.read_time(message.text)
    await retire_prompt(message, state)
    await _time_chosen(message, state, session, delivery, i18n, message.text)
