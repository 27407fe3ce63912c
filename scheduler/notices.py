"""The notices job, agenda rendering, and the broadcast's progress message and report.

`notices.due` claims due notices in the database (services.notices.claim_due), turns each
claimed run into an outbox message (text, or an agenda composed now), tells authors about
runs missed beyond the grace period, and wakes the sender. It runs every 30 s, once at
start-up (catch-up after downtime), and right away for a notice sent "now".
"""

from __future__ import annotations

import html
import logging
import math
from datetime import UTC, datetime, tzinfo
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.deep_linking import create_start_link
from sqlalchemy.ext.asyncio import AsyncSession

from linli.bot.delivery.sender import wake
from linli.bot.i18n import Translator, locale_of
from linli.bot.notify import tell
from linli.config import Settings
from linli.models import Resident
from linli.models.notices import NoticeKind, OutboxMessage, Repeat
from linli.scheduler.jobs import JobContext, periodic
from linli.services import agenda, outbox, structure
from linli.services import notices as notice_service
from linli.services.errors import DomainError

log = logging.getLogger(__name__)


def local_time(when: datetime, tz: tzinfo) -> str:
    """A time as people read it: community time zone, minutes."""
    return when.astimezone(tz).strftime("%Y-%m-%d %H:%M")


@periodic("notices.due", seconds=30)
async def due_notices(ctx: JobContext, notice_id: int | None = None) -> int:
    """Claim due notices and start their runs; returns how many runs were started."""
    settings = ctx.settings.notices
    started = 0
    async with ctx.sessionmaker() as session:
        await notice_service.claim_due(
            session,
            ctx.now,
            ctx.settings.tz,
            grace_seconds=settings.grace_seconds,
            delayed_after_seconds=settings.delayed_after_seconds,
            notice_id=notice_id,
        )
        for run in await notice_service.runs_to_start(session, notice_id):
            try:
                if await _start(ctx, session, run):
                    started += 1
            except Exception:
                log.exception("could not start run %s of notice %s", run.id, run.notice_id)
                await session.rollback()
        for run in await notice_service.missed_to_tell(session):
            if await notice_service.claim_tell(session, run.id):
                await _tell_missed(ctx, session, run)
    if started:
        wake()
    return started


async def _author(session: AsyncSession, author_id: int | None) -> Resident | None:
    if author_id is None:
        return None
    return await session.get(Resident, author_id)


async def _start(ctx: JobContext, session: AsyncSession, run: notice_service.DueRun) -> bool:
    notice = await notice_service.get_notice(session, run.notice_id)
    if notice is None:
        return False
    author = await _author(session, notice.author_id)
    chats = await notice_service.chats_for(
        session, notice_service.target_of(notice), notice.community_id
    )
    # Plain values first: a failing agenda provider rolls the session back (expiring rows).
    media_kind, media_file_id = notice.media_kind, notice.media_file_id
    markup: dict[str, Any] | None = None
    notify_id = progress_chat = None
    if notice.kind == NoticeKind.AGENDA:
        scope = await agenda.scope_for(session, notice, ctx.now, ctx.settings.notices.agenda_days)
        sections = await agenda.compose(session, scope)
        if not sections:
            await notice_service.skip_empty(session, run.id)
            return False
        text, markup = await render_agenda(
            ctx.bot, ctx.translator, ctx.settings, session, sections, scope
        )
    else:
        text = notice.text
        if run.delayed:
            note = ctx.translator.get(
                "notice-delayed-note",
                ctx.settings.default_language,
                when=local_time(run.scheduled_for, ctx.settings.tz),
            )
            candidate = f"{text}\n\n<i>{html.escape(note)}</i>"
            try:
                notice_service.check_text(candidate, media=media_kind is not None)
                text = candidate
            except DomainError:
                pass  # no room for the note
        if author is not None:
            notify_id = author.id
            if notice.repeat == Repeat.ONCE:
                progress_chat = author.telegram_id
    message = await notice_service.start_run(
        session,
        run.id,
        chat_ids=chats,
        text=text,
        media_kind=media_kind,
        media_file_id=media_file_id,
        reply_markup=markup,
        notify_resident_id=notify_id,
        progress_chat_id=progress_chat,
        now=datetime.now(UTC),  # the outbox runs on the real clock, even when tests move ctx.now
    )
    return message is not None


async def _tell_missed(ctx: JobContext, session: AsyncSession, run: notice_service.DueRun) -> None:
    notice = await notice_service.get_notice(session, run.notice_id)
    author = await _author(session, notice.author_id if notice else None)
    if notice is None or author is None:
        return
    await tell(
        ctx.bot,
        ctx.translator,
        author,
        "notice-missed",
        id=f"N{notice.id}",
        when=local_time(run.scheduled_for, ctx.settings.tz),
        minutes=str(ctx.settings.notices.grace_seconds // 60),
    )


async def render_agenda(
    bot: Bot,
    translator: Translator,
    settings: Settings,
    session: AsyncSession,
    sections: list[agenda.ComposedSection],
    scope: agenda.AgendaScope,
    locale: str | None = None,
) -> tuple[str, dict[str, Any] | None]:
    """The digest as Telegram HTML (user texts escaped) and its deep-link buttons."""
    locale = locale or settings.default_language
    t = translator
    tz = settings.tz

    def tr(key: str, **kwargs: Any) -> str:
        return html.escape(t.get(key, locale, **kwargs))

    grid = await structure.get_grid(session, scope.grid_id)
    unit = grid.name
    if scope.building_id is not None:
        building, _grid = await structure.get_building(session, scope.building_id)
        unit = f"{grid.name} · {building.name}"
    lines = [
        f"<b>{tr('agenda-title', unit=unit)}</b>",
        tr(
            "agenda-period",
            start=scope.now.astimezone(tz).strftime("%m-%d"),
            end=scope.until.astimezone(tz).strftime("%m-%d"),
        ),
    ]
    buttons: list[list[InlineKeyboardButton]] = []
    for composed in sections:
        lines.append("")
        lines.append(f"<b>{tr(composed.section.title_key)}</b>")
        for item in composed.items:
            line = "• " + html.escape(item.text)
            if item.when is not None:
                line += " — " + local_time(item.when, tz)
            if item.detail_key:
                line += " · " + tr(item.detail_key, **item.detail)
            lines.append(line)
        if composed.section.command and len(buttons) < 8:
            link = await create_start_link(bot, composed.section.command)
            title = t.get(composed.section.title_key, locale)
            label = t.get("agenda-open", locale, section=title)
            buttons.append([InlineKeyboardButton(text=label, url=link)])
    markup = (
        InlineKeyboardMarkup(inline_keyboard=buttons).model_dump(mode="json", exclude_none=True)
        if buttons
        else None
    )
    return "\n".join(lines), markup


# --------------------------------------------------------------------------------------------
# Progress message and final report (called by the sender's housekeeping)
# --------------------------------------------------------------------------------------------


def _ref(message: OutboxMessage) -> str:
    if message.source == "notice" and message.source_id is not None:
        return f"N{message.source_id}"
    return f"#{message.id}"


def _eta(ctx: JobContext, state: outbox.Progress, first: datetime | None, now: datetime) -> int:
    remaining = state.pending + state.sending
    rate = ctx.settings.notices.global_rate
    if first is not None and state.sent > 1:
        elapsed = max((now - first).total_seconds(), 0.5)
        rate = min(rate, state.sent / elapsed)
    return max(1, math.ceil(remaining / max(rate, 0.1)))


async def show_progress(
    ctx: JobContext,
    session: AsyncSession,
    message: OutboxMessage,
    state: outbox.Progress,
    now: datetime,
) -> None:
    """Send (first time) or edit the one progress message of a broadcast."""
    resident = await _author(session, message.notify_resident_id)
    locale = locale_of(resident, None, ctx.settings.default_language)
    first = await outbox.first_sent_at(session, message.id)
    text = ctx.translator.get(
        "outbox-progress",
        locale,
        ref=_ref(message),
        sent=state.sent,
        total=state.total,
        failed=state.failed,
        seconds=_eta(ctx, state, first, now),
    )
    chat_id = message.progress_chat_id
    assert chat_id is not None
    try:
        if message.progress_message_id is None:
            if await outbox.claim_progress_message(session, message.id):
                sent = await ctx.bot.send_message(chat_id, text)
                await outbox.set_progress_message(session, message.id, sent.message_id)
        elif message.progress_message_id:
            await ctx.bot.edit_message_text(
                text, chat_id=chat_id, message_id=message.progress_message_id
            )
    except TelegramAPIError as exc:
        log.info("progress of outbox %s not shown: %s", message.id, exc)


def _reason(ctx: JobContext, locale: str, error: str) -> str:
    lowered = error.lower()
    if error == outbox.INTERRUPTED:
        return ctx.translator.get("outbox-reason-interrupted", locale)
    if "forbidden" in lowered or "chat not found" in lowered:
        return ctx.translator.get("outbox-reason-removed", locale)
    if "servererror" in lowered or "networkerror" in lowered or "timeout" in lowered:
        return ctx.translator.get("outbox-reason-server", locale)
    return ctx.translator.get("outbox-reason-other", locale, error=error[:120])


async def report(
    ctx: JobContext, session: AsyncSession, message: OutboxMessage, state: outbox.Progress
) -> None:
    """The final report to whoever started the broadcast (recurring runs: only when some
    deliveries failed)."""
    resident = await _author(session, message.notify_resident_id)
    if resident is None or (message.progress_chat_id is None and state.failed == 0):
        return
    locale = locale_of(resident, None, ctx.settings.default_language)
    summary = ctx.translator.get(
        "outbox-done",
        locale,
        ref=_ref(message),
        sent=state.sent,
        total=state.total,
        failed=state.failed,
    )
    if message.progress_message_id:
        try:
            await ctx.bot.edit_message_text(
                summary, chat_id=resident.telegram_id, message_id=message.progress_message_id
            )
        except TelegramAPIError as exc:
            log.info("final progress of outbox %s not shown: %s", message.id, exc)
    lines = [summary]
    failures = await outbox.failures(session, message.id)
    if failures:
        lines.append(ctx.translator.get("outbox-failures", locale))
        lines += [f"• {f.title}: {_reason(ctx, locale, f.error)}" for f in failures]
        if state.failed > len(failures):
            lines.append(
                ctx.translator.get(
                    "outbox-failures-more", locale, count=state.failed - len(failures)
                )
            )
    try:
        await ctx.bot.send_message(resident.telegram_id, "\n".join(lines))
    except TelegramAPIError as exc:
        log.info("report of outbox %s not sent: %s", message.id, exc)
