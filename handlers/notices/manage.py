"""/notices: the scheduled and recurring notices of the chief's area, each a card whose
buttons are the actions services allow now (pause, resume, edit text, cancel with a
confirmation, delivery report)."""

from __future__ import annotations

from datetime import UTC, datetime

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from linli.bot.callbacks.notices import NManage
from linli.bot.commands import Access
from linli.bot.delivery import Delivery
from linli.bot.filters import HasAccess
from linli.bot.keyboards import notices as kb
from linli.handlers.notices.common import (
    NoticeEdit,
    describe_schedule,
    describe_target,
    notice_html,
    prompt,
    read_draft,
    retire_prompt,
)
from linli.handlers.notices.composing import text_question
from linli.models import Resident
from linli.models.notices import Notice, NoticeKind, NoticeState, Repeat, RunStatus
from linli.services import DbSession
from linli.services import notices as notice_service
from linli.services.errors import StaleAction
from linli.services.notices import NoticeAction

router = Router(name=__name__)

CONFIRM_CANCEL = "cancelyes"
KEEP = "keep"
"""The two answers to "cancel N3?" (NManage actions beside the NoticeAction ones)."""


async def card_text(
    session: DbSession, i18n: I18nContext, notice: Notice, delivery: Delivery
) -> str:
    if notice.repeat == Repeat.ONCE and notice.state != NoticeState.SCHEDULED:
        when = i18n.get("notice-when-once-plain")
    else:
        when = describe_schedule(i18n, notice_service.schedule_of(notice), delivery)
    preview = ""
    if notice.kind == NoticeKind.MESSAGE and notice.text:
        shown = notice_service.visible_text(notice.text)
        preview = shown[:80] + ("…" if len(shown) > 80 else "")
    scheduled = notice.state == NoticeState.SCHEDULED
    return i18n.get(
        "notice-card",
        id=f"N{notice.id}",
        kind=i18n.get(f"notice-kind-{notice.kind.value}"),
        state=i18n.get(f"notice-state-{notice.state.value}"),
        target=await describe_target(session, i18n, notice_service.target_of(notice)),
        when=when,
        next=delivery.local_time(notice.next_run_at if scheduled else None),
        preview=preview or "-",
    )


def _card_markup(notice: Notice, resident: Resident, i18n: I18nContext) -> kb.Markup:
    return kb.card(notice.id, notice_service.allowed_actions(notice, resident), i18n.get)


@router.message(Command("notices"), HasAccess(Access.BUILDING_CHIEF))
async def list_notices(
    message: Message,
    state: FSMContext,
    session: DbSession,
    resident: Resident,
    delivery: Delivery,
    i18n: I18nContext,
) -> None:
    await state.clear()
    notices, active = await notice_service.list_for(session, resident)
    if not notices:
        await message.answer(i18n.get("notices-none"))
        return
    await message.answer(i18n.get("notices-header", count=active))
    for notice in notices:
        await message.answer(
            await card_text(session, i18n, notice, delivery),
            reply_markup=_card_markup(notice, resident, i18n),
        )


def _actor(resident: Resident | None) -> Resident:
    if resident is None:
        raise StaleAction()
    return resident


async def _show_card(
    query: CallbackQuery,
    session: DbSession,
    resident: Resident,
    notice: Notice,
    delivery: Delivery,
    i18n: I18nContext,
) -> None:
    assert isinstance(query.message, Message)
    await query.message.edit_text(
        await card_text(session, i18n, notice, delivery),
        reply_markup=_card_markup(notice, resident, i18n),
    )


@router.callback_query(NManage.filter(F.action == NoticeAction.PAUSE))
async def pause(
    query: CallbackQuery,
    callback_data: NManage,
    session: DbSession,
    resident: Resident | None,
    delivery: Delivery,
    i18n: I18nContext,
) -> None:
    actor = _actor(resident)
    notice = await notice_service.pause(session, actor, callback_data.notice_id)
    await _show_card(query, session, actor, notice, delivery, i18n)


@router.callback_query(NManage.filter(F.action == NoticeAction.RESUME))
async def resume(
    query: CallbackQuery,
    callback_data: NManage,
    session: DbSession,
    resident: Resident | None,
    delivery: Delivery,
    i18n: I18nContext,
) -> None:
    actor = _actor(resident)
    notice = await notice_service.resume(
        session, actor, callback_data.notice_id, datetime.now(UTC), delivery.settings.tz
    )
    await _show_card(query, session, actor, notice, delivery, i18n)


@router.callback_query(NManage.filter(F.action == NoticeAction.CANCEL))
async def ask_cancel(
    query: CallbackQuery,
    callback_data: NManage,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    assert isinstance(query.message, Message)
    notice = await notice_service.get_for(
        session, _actor(resident), callback_data.notice_id, NoticeAction.CANCEL
    )
    await query.message.edit_text(
        i18n.get("notice-cancel-confirm", id=f"N{notice.id}"),
        reply_markup=kb.cancel_confirm(notice.id, i18n.get),
    )


@router.callback_query(NManage.filter(F.action == CONFIRM_CANCEL))
async def cancel(
    query: CallbackQuery,
    callback_data: NManage,
    session: DbSession,
    resident: Resident | None,
    delivery: Delivery,
    i18n: I18nContext,
) -> None:
    actor = _actor(resident)
    notice = await notice_service.cancel(session, actor, callback_data.notice_id)
    await _show_card(query, session, actor, notice, delivery, i18n)


@router.callback_query(NManage.filter(F.action == KEEP))
async def keep(
    query: CallbackQuery,
    callback_data: NManage,
    session: DbSession,
    resident: Resident | None,
    delivery: Delivery,
    i18n: I18nContext,
) -> None:
    actor = _actor(resident)
    notice = await notice_service.get_managed(session, actor, callback_data.notice_id)
    await _show_card(query, session, actor, notice, delivery, i18n)


@router.callback_query(NManage.filter(F.action == NoticeAction.EDIT))
async def ask_new_text(
    query: CallbackQuery,
    callback_data: NManage,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    assert isinstance(query.message, Message)
    notice = await notice_service.get_for(
        session, _actor(resident), callback_data.notice_id, NoticeAction.EDIT
    )
    await state.clear()
    await state.set_state(NoticeEdit.text)
    await state.update_data(edit_id=notice.id, html=False)
    await prompt(
        query.message,
        state,
        text_question(i18n, html=False, edit_id=notice.id),
        kb.text_prompt(i18n.get, html=False),
    )


@router.message(StateFilter(NoticeEdit.text), ~F.text.startswith("/"))
async def got_new_text(
    message: Message,
    state: FSMContext,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
) -> None:
    data = await read_draft(state, "edit_id")
    if not (message.text or message.caption):
        await message.answer(i18n.get("notice-ask-text-again"))
        return
    text = notice_html(message, raw_html=bool(data.get("html")))
    notice = await notice_service.edit_text(session, resident, int(data["edit_id"]), text)
    await retire_prompt(message, state)
    await state.clear()
    await message.answer(i18n.get("notice-edited", id=f"N{notice.id}"))


@router.callback_query(NManage.filter(F.action == NoticeAction.REPORT))
async def report(
    query: CallbackQuery,
    callback_data: NManage,
    session: DbSession,
    resident: Resident | None,
    delivery: Delivery,
    i18n: I18nContext,
) -> None:
    assert isinstance(query.message, Message)
    notice, runs = await notice_service.runs_of(session, _actor(resident), callback_data.notice_id)
    await query.message.answer(report_text(notice, runs, delivery, i18n))


def _run_line(entry: notice_service.RunReport, delivery: Delivery, i18n: I18nContext) -> str:
    run, progress = entry.run, entry.progress
    when = delivery.local_time(run.scheduled_for)
    if run.status == RunStatus.MISSED:
        return i18n.get("notice-report-missed", when=when)
    if run.status == RunStatus.EMPTY:
        return i18n.get("notice-report-empty", when=when)
    if run.status == RunStatus.WITHHELD:
        return i18n.get("notice-report-withheld", when=when)
    if progress is None:
        return i18n.get("notice-report-starting", when=when)
    return i18n.get(
        "notice-report-run-delayed" if run.delayed else "notice-report-run",
        when=when,
        sent=progress.sent,
        total=progress.total,
        failed=progress.failed,
        waiting=progress.pending + progress.sending,
    )


def report_text(
    notice: Notice,
    runs: list[notice_service.RunReport],
    delivery: Delivery,
    i18n: I18nContext,
) -> str:
    """The last runs of a notice: when, sent / total, failed, waiting, delayed, missed,
    withheld (its author could no longer post there)."""
    if not runs:
        return i18n.get("notice-report-none", id=f"N{notice.id}")
    lines = [i18n.get("notice-report-header", id=f"N{notice.id}")]
    lines += [_run_line(entry, delivery, i18n) for entry in runs]
    return "\n".join(lines)
