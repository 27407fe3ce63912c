"""/notice: when it goes (now; at a date and time, from the shared date picker or typed; or
recurring, whose steps are in `repeating`), the preview exactly as the groups will see it, and
Confirm. A target without a bound group is pointed out before the Confirm button."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from linli.bot.callbacks.common import WhenPick
from linli.bot.callbacks.notices import (
    NConfirm,
    NRecheck,
    NWhen,
)
from linli.bot.delivery import Delivery
from linli.bot.keyboards import notices as kb
from linli.bot.keyboards.when import day_keyboard, picked
from linli.config import Settings
from linli.handlers.notices.common import (
    NoticeFlow,
    describe_schedule,
    describe_target,
    draft_from,
    kind_from,
    prompt,
    read_draft,
    retire_prompt,
    schedule_from,
    target_from,
)
from linli.models import Resident
from linli.models.notices import NoticeKind, Repeat
from linli.services import DbSession
from linli.services import notices as notice_service
from linli.services.errors import StaleAction

router = Router(name=__name__)

FLOW = "notice"
"""This flow's name in the shared date picker's buttons."""
DRAFT = ("kind", "target")
"""What every step from "when" on needs in the draft."""


async def summary(
    session: DbSession, data: dict[str, Any], delivery: Delivery, i18n: I18nContext
) -> tuple[str, InlineKeyboardMarkup, int]:
    """The summary under the preview (target, bound groups, when) and its buttons: Confirm,
    or — a notice for now whose target has no bound group yet — the /bind hint and "check
    again". Returns the number of bound groups too."""
    schedule = schedule_from(data)
    target = target_from(data)
    groups = len(await notice_service.chats_for(session, target, None))
    lines = [
        i18n.get(
            "notice-preview-summary",
            target=await describe_target(session, i18n, target),
            groups=groups,
            when=describe_schedule(i18n, schedule, delivery),
        )
    ]
    now_once = schedule.repeat == Repeat.ONCE and schedule.run_at is None
    if groups == 0:
        lines.append(i18n.get("notice-no-groups-now" if now_once else "notice-no-groups-later"))
    if groups == 0 and now_once:
        return "\n\n".join(lines), kb.recheck(i18n.get), groups
    lines.append(i18n.get("notice-confirm-question"))
    return "\n\n".join(lines), kb.confirm(i18n.get), groups


async def show_preview(
    message: Message, state: FSMContext, session: DbSession, delivery: Delivery, i18n: I18nContext
) -> None:
    """The notice exactly as the groups will see it, then the summary with Confirm."""
    data = await read_draft(state, *DRAFT, "schedule")
    now = datetime.now(UTC)
    schedule_from(data).check(now)
    target = target_from(data)
    chat_id = message.chat.id
    if kind_from(data) == NoticeKind.AGENDA:
        if not await delivery.notices.preview_agenda(session, chat_id, target, now):
            await message.answer(i18n.get("notice-agenda-empty-now"))
    else:
        await delivery.notices.preview_notice(
            chat_id, data.get("text", ""), data.get("media_kind"), data.get("media_file_id")
        )
    text, markup, _groups = await summary(session, data, delivery, i18n)
    await state.set_state(NoticeFlow.confirm)
    await message.answer(text, reply_markup=markup)


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
    await read_draft(state, *DRAFT)
    await state.update_data(schedule=schedule, prompt_id=None)
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


def _picker(i18n: I18nContext, settings: Settings) -> InlineKeyboardMarkup:
    return day_keyboard(
        i18n.get, FLOW, datetime.now(UTC), settings.tz, extra=[[kb.cancel_button(i18n.get)]]
    )


@router.callback_query(NWhen.filter(F.kind == "at"), StateFilter(NoticeFlow.when))
async def ask_at(
    query: CallbackQuery, state: FSMContext, settings: Settings, i18n: I18nContext
) -> None:
    """The shared date picker (a day, then an hour); a date and time may be typed too."""
    assert isinstance(query.message, Message)
    await read_draft(state, *DRAFT)
    await state.set_state(NoticeFlow.at)
    await prompt(
        query.message,
        state,
        i18n.get("notice-ask-at", hint=i18n.get("when-hint")),
        _picker(i18n, settings),
        edit=True,
    )


async def _once_at(
    message: Message,
    state: FSMContext,
    session: DbSession,
    delivery: Delivery,
    i18n: I18nContext,
    when: datetime,
) -> None:
    await state.update_data(schedule={"repeat": Repeat.ONCE.value, "run_at": when.isoformat()})
    await show_preview(message, state, session, delivery, i18n)


@router.callback_query(StateFilter(NoticeFlow.at), WhenPick.filter((F.flow == FLOW) & (F.at != "")))
async def at_picked(
    query: CallbackQuery,
    callback_data: WhenPick,
    state: FSMContext,
    session: DbSession,
    settings: Settings,
    delivery: Delivery,
    i18n: I18nContext,
) -> None:
    assert isinstance(query.message, Message)
    await read_draft(state, *DRAFT)
    moment = picked(callback_data, settings.tz)
    if moment is None:
        raise StaleAction()
    when = notice_service.future(moment, datetime.now(UTC))
    await state.update_data(prompt_id=None)
    await query.message.edit_text(
        i18n.get("notice-at-chosen", when=delivery.local_time(when)), reply_markup=None
    )
    await _once_at(query.message, state, session, delivery, i18n, when)


@router.message(StateFilter(NoticeFlow.at), ~F.text.startswith("/"))
async def got_at(
    message: Message,
    state: FSMContext,
    session: DbSession,
    settings: Settings,
    delivery: Delivery,
    i18n: I18nContext,
) -> None:
    await read_draft(state, *DRAFT)
    if not message.text:
        await message.answer(i18n.get("notice-ask-at-again"))
        return
    when = notice_service.read_when(message.text, datetime.now(UTC), settings.tz)
    await retire_prompt(message, state)
    await _once_at(message, state, session, delivery, i18n, when)


# --- confirm ---------------------------------------------------------------------------------


@router.callback_query(NRecheck.filter(), StateFilter(NoticeFlow.confirm))
async def recheck(
    query: CallbackQuery,
    state: FSMContext,
    session: DbSession,
    delivery: Delivery,
    i18n: I18nContext,
    callback_answer: CallbackAnswer,
) -> None:
    """After /bind in a group: the summary again, with Confirm once a group is bound."""
    assert isinstance(query.message, Message)
    data = await read_draft(state, *DRAFT, "schedule")
    text, markup, groups = await summary(session, data, delivery, i18n)
    if groups == 0:
        callback_answer.text = i18n.get("notice-still-no-groups")
        callback_answer.show_alert = True
        return
    await query.message.edit_text(text, reply_markup=markup)


@router.callback_query(NConfirm.filter(), StateFilter(NoticeFlow.confirm))
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
    if resident is None:
        raise StaleAction()
    draft = draft_from(await read_draft(state, *DRAFT, "schedule"))
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
