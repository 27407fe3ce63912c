"""Notice delivery: notice posts and agenda digests (enqueued in the outbox), their previews,
the broadcast's progress message and final report, and telling authors about missed runs.

`start_due` is what the `notices.due` job runs (and /notice runs for a notice sent "now"):
it claims due notices in the database (services.notices.claim_due), turns each claimed run
into an outbox message (the text, or an agenda composed now), tells authors about runs
missed beyond the grace period, and wakes the sender. `show_progress` and `report` are
called by the sender's housekeeping (bot/delivery/sender.py).
"""

from __future__ import annotations

import html
import logging
import math
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.deep_linking import create_start_link
from sqlalchemy.ext.asyncio import AsyncSession

from linli.bot.delivery.sender import wake
from linli.bot.i18n import locale_of
from linli.models import Resident
from linli.models.notices import NoticeKind, OutboxMessage, Repeat, RunStatus, TargetKind
from linli.services import agenda, outbox, structure
from linli.services import notices as notice_service
from linli.services.errors import DomainError, ValidationFailed

if TYPE_CHECKING:
    from linli.bot.delivery import Delivery

log = logging.getLogger(__name__)

Markup = dict[str, Any]
"""An inline keyboard as JSON (what the outbox stores)."""
Tr = Callable[..., str]
"""A catalogue lookup in one language: `tr(key, **params)`."""


class NoticeDelivery:
    def __init__(self, core: Delivery) -> None:
        self.core = core

    # --- runs: claimed notices into the outbox -------------------------------------------------

    async def start_due(self, now: datetime, notice_id: int | None = None) -> int:
        """Claim due notices (only `notice_id`, if given) and start their runs; returns how
        many runs were started. Safe to run twice or in two processes (claims are
        conditional UPDATEs)."""
        settings = self.core.settings
        started = 0
        async with self.core.sessionmaker() as session:
            await notice_service.claim_due(
                session,
                now,
                settings.tz,
                grace_seconds=settings.notices.grace_seconds,
                delayed_after_seconds=settings.notices.delayed_after_seconds,
                notice_id=notice_id,
            )
            for run in await notice_service.runs_to_start(session, notice_id):
                try:
                    if await self._start(session, run, now):
                        started += 1
                except Exception:
                    log.exception("could not start run %s of notice %s", run.id, run.notice_id)
                    await session.rollback()
            for run in await notice_service.runs_to_tell(session):
                if await notice_service.claim_tell(session, run.id):
                    if run.status == RunStatus.WITHHELD:
                        await self._tell_withheld(session, run)
                    else:
                        await self._tell_missed(session, run)
        if started:
            wake()
        return started

    async def _start(
        self, session: AsyncSession, run: notice_service.DueRun, now: datetime
    ) -> bool:
        notice = await notice_service.get_notice(session, run.notice_id)
        if notice is None:
            return False
        author = await notice_service.resident_or_none(session, notice.author_id)
        chats = await notice_service.chats_for(
            session, notice_service.target_of(notice), notice.community_id
        )
        # Plain values first: a failing agenda provider rolls the session back (expiring rows).
        media_kind, media_file_id = notice.media_kind, notice.media_file_id
        markup: Markup | None = None
        notify_id = progress_chat = None
        if notice.kind == NoticeKind.AGENDA:
            post = await self.agenda_post(session, notice_service.target_of(notice), now)
            if post is None:
                await notice_service.skip_empty(session, run.id)
                return False
            text, markup = post
        else:
            text = self._delayed(notice.text, run, media=media_kind is not None)
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
            now=datetime.now(UTC),  # the outbox runs on the real clock, even when tests move `now`
        )
        return message is not None

    def _delayed(self, text: str, run: notice_service.DueRun, *, media: bool) -> str:
        """The text, with a line saying it is sent late when the run is delayed (and there is
        room for it)."""
        if not run.delayed:
            return text
        note = self.core.translator.get(
            "notice-delayed-note",
            self.core.settings.default_language,
            when=self.core.local_time(run.scheduled_for),
        )
        candidate = f"{text}\n\n<i>{html.escape(note)}</i>"
        try:
            notice_service.check_text(candidate, media=media)
        except DomainError:
            return text  # no room for the note
        return candidate

    async def _tell_missed(self, session: AsyncSession, run: notice_service.DueRun) -> None:
        notice = await notice_service.get_notice(session, run.notice_id)
        author = await notice_service.resident_or_none(
            session, notice.author_id if notice else None
        )
        if notice is None or author is None:
            return
        await self.core.tell(
            author,
            "notice-missed",
            id=f"N{notice.id}",
            when=self.core.local_time(run.scheduled_for),
            minutes=self.core.settings.notices.grace_seconds // 60,
        )

    async def _tell_withheld(self, session: AsyncSession, run: notice_service.DueRun) -> None:
        """A run not sent because its author may no longer post there: the author (if any)
        and the notice's stewards (the grid chief, or the admins) learn it is paused."""
        notice = await notice_service.get_notice(session, run.notice_id)
        if notice is None:
            return
        author = await notice_service.resident_or_none(session, notice.author_id)
        stewards = await notice_service.stewards_of(session, notice)
        label = await notice_service.describe_target(session, notice_service.target_of(notice))
        when = self.core.local_time(run.scheduled_for)
        ref = f"N{notice.id}"
        name = author.display_name.strip() if author is not None else ""
        await session.commit()
        if author is not None:
            tr = self._tr_for(author)
            await self.core.tell(
                author, "notice-withheld-author", id=ref, when=when, target=target_text(tr, label)
            )
        for steward in stewards:
            tr = self._tr_for(steward)
            await self.core.tell(
                steward,
                "notice-withheld-steward",
                id=ref,
                when=when,
                target=target_text(tr, label),
                author=name or "-",
            )

    def _tr_for(self, resident: Resident) -> Tr:
        locale = locale_of(resident, None, self.core.settings.default_language)
        translator = self.core.translator

        def tr(key: str, **kwargs: Any) -> str:
            return translator.get(key, locale, **kwargs)

        return tr

    # --- agenda digests ------------------------------------------------------------------------

    async def agenda_post(
        self, session: AsyncSession, target: notice_service.Target, now: datetime
    ) -> tuple[str, Markup | None] | None:
        """The agenda digest of `target` as it would be posted at `now` (text and buttons);
        None when nothing is on it (an empty agenda is not sent)."""
        scope = await agenda.scope_for(session, target, now, self.core.settings.notices.agenda_days)
        sections = await agenda.compose(session, scope)
        if not sections:
            return None
        return await self.render_agenda(session, sections, scope)

    async def render_agenda(
        self,
        session: AsyncSession,
        sections: list[agenda.ComposedSection],
        scope: agenda.AgendaScope,
        locale: str | None = None,
    ) -> tuple[str, Markup | None]:
        """The digest as Telegram HTML (user texts escaped) and its deep-link buttons."""
        locale = locale or self.core.settings.default_language
        t = self.core.translator

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
                start=self.core.local_time(scope.now, "%m-%d"),
                end=self.core.local_time(scope.until, "%m-%d"),
            ),
        ]
        buttons: list[list[InlineKeyboardButton]] = []
        for composed in sections:
            lines.append("")
            lines.append(f"<b>{tr(composed.section.title_key)}</b>")
            for item in composed.items:
                line = "• " + html.escape(item.text)
                if item.when is not None:
                    line += " — " + self.core.local_time(item.when)
                if item.detail_key:
                    line += " · " + tr(item.detail_key, **item.detail)
                lines.append(line)
            if composed.section.command and len(buttons) < 8:
                link = await create_start_link(self.core.bot, composed.section.command)
                title = t.get(composed.section.title_key, locale)
                label = t.get("agenda-open", locale, section=title)
                buttons.append([InlineKeyboardButton(text=label, url=link)])
        markup = (
            InlineKeyboardMarkup(inline_keyboard=buttons).model_dump(mode="json", exclude_none=True)
            if buttons
            else None
        )
        return "\n".join(lines), markup

    # --- previews (what the groups will see, shown to the author first) -----------------------

    async def preview_agenda(
        self, session: AsyncSession, chat_id: int, target: notice_service.Target, now: datetime
    ) -> bool:
        """Send the agenda digest of `target` as of `now` to `chat_id`; False when it is
        empty."""
        post = await self.agenda_post(session, target, now)
        if post is None:
            return False
        text, markup = post
        await self.core.bot.send_message(
            chat_id,
            text,
            parse_mode="HTML",
            reply_markup=InlineKeyboardMarkup.model_validate(markup) if markup else None,
        )
        return True

    async def preview_notice(
        self, chat_id: int, text: str, media_kind: str | None, media_file_id: str | None
    ) -> None:
        """Send the notice as the groups will see it (HTML, its attachment) to `chat_id`;
        ValidationFailed with Telegram's reason when Telegram refuses it."""
        bot, caption, file_id = self.core.bot, text or None, media_file_id or ""
        try:
            if media_kind == "photo":
                await bot.send_photo(chat_id, file_id, caption=caption, parse_mode="HTML")
            elif media_kind == "document":
                await bot.send_document(chat_id, file_id, caption=caption, parse_mode="HTML")
            elif media_kind == "voice":
                await bot.send_voice(chat_id, file_id, caption=caption, parse_mode="HTML")
            else:
                await bot.send_message(chat_id, text, parse_mode="HTML")
        except TelegramBadRequest as exc:
            raise ValidationFailed("notice-error-telegram", error=exc.message[:200]) from None

    # --- progress message and final report (the sender's housekeeping) ----------------------

    def _eta(self, state: outbox.Progress, first: datetime | None, now: datetime) -> int:
        remaining = state.pending + state.sending
        rate = self.core.settings.notices.global_rate
        if first is not None and state.sent > 1:
            elapsed = max((now - first).total_seconds(), 0.5)
            rate = min(rate, state.sent / elapsed)
        return max(1, math.ceil(remaining / max(rate, 0.1)))

    async def show_progress(
        self,
        session: AsyncSession,
        message: OutboxMessage,
        state: outbox.Progress,
        now: datetime,
    ) -> None:
        """Send (first time) or edit the one progress message of a broadcast."""
        resident = await notice_service.resident_or_none(session, message.notify_resident_id)
        locale = locale_of(resident, None, self.core.settings.default_language)
        first = await outbox.first_sent_at(session, message.id)
        text = self.core.translator.get(
            "outbox-progress",
            locale,
            ref=_ref(message),
            sent=state.sent,
            total=state.total,
            failed=state.failed,
            seconds=self._eta(state, first, now),
        )
        chat_id = message.progress_chat_id
        assert chat_id is not None
        try:
            if message.progress_message_id is None:
                if await outbox.claim_progress_message(session, message.id):
                    sent = await self.core.bot.send_message(chat_id, text)
                    await outbox.set_progress_message(session, message.id, sent.message_id)
            elif message.progress_message_id:
                await self.core.bot.edit_message_text(
                    text, chat_id=chat_id, message_id=message.progress_message_id
                )
        except TelegramAPIError as exc:
            log.info("progress of outbox %s not shown: %s", message.id, exc)

    def _reason(self, locale: str, error: str) -> str:
        t, lowered = self.core.translator, error.lower()
        if error == outbox.INTERRUPTED:
            return t.get("outbox-reason-interrupted", locale)
        if "forbidden" in lowered or "chat not found" in lowered:
            return t.get("outbox-reason-removed", locale)
        if "servererror" in lowered or "networkerror" in lowered or "timeout" in lowered:
            return t.get("outbox-reason-server", locale)
        return t.get("outbox-reason-other", locale, error=error[:120])

    async def report(
        self, session: AsyncSession, message: OutboxMessage, state: outbox.Progress
    ) -> None:
        """The final report to whoever started the broadcast (recurring runs: only when some
        deliveries failed)."""
        resident = await notice_service.resident_or_none(session, message.notify_resident_id)
        if resident is None or (message.progress_chat_id is None and state.failed == 0):
            return
        t = self.core.translator
        locale = locale_of(resident, None, self.core.settings.default_language)
        summary = t.get(
            "outbox-done",
            locale,
            ref=_ref(message),
            sent=state.sent,
            total=state.total,
            failed=state.failed,
        )
        bot = self.core.bot
        if message.progress_message_id:
            try:
                await bot.edit_message_text(
                    summary, chat_id=resident.telegram_id, message_id=message.progress_message_id
                )
            except TelegramAPIError as exc:
                log.info("final progress of outbox %s not shown: %s", message.id, exc)
        lines = [summary]
        failures = await outbox.failures(session, message.id)
        if failures:
            lines.append(t.get("outbox-failures", locale))
            lines += [f"• {f.title}: {self._reason(locale, f.error)}" for f in failures]
            if state.failed > len(failures):
                more = state.failed - len(failures)
                lines.append(t.get("outbox-failures-more", locale, count=more))
        try:
            await bot.send_message(resident.telegram_id, "\n".join(lines))
        except TelegramAPIError as exc:
            log.info("report of outbox %s not sent: %s", message.id, exc)


def target_text(tr: Tr, label: notice_service.TargetLabel) -> str:
    """Where a notice goes, in words ("第一网格 网格群", "楼道群：…")."""
    if label.kind == TargetKind.ALL:
        return tr("notice-target-all")
    if label.kind == TargetKind.GRID:
        return tr("notice-target-grid", grid=label.grid)
    if label.kind == TargetKind.GRID_BUILDINGS:
        return tr("notice-target-grid-buildings", grid=label.grid)
    return tr(
        "notice-target-buildings", buildings=tr("notice-list-separator").join(label.buildings)
    )


def schedule_text(
    tr: Tr, schedule: notice_service.Schedule, local_time: Callable[[datetime | None], str]
) -> str:
    """When a notice goes, in words ("每周 周三、周六 08:00")."""
    if schedule.repeat == Repeat.ONCE:
        if schedule.run_at is None:
            return tr("notice-when-now")
        return tr("notice-when-once", when=local_time(schedule.run_at))
    time = schedule.at_time or ""
    if schedule.repeat == Repeat.DAILY:
        return tr("notice-when-daily", time=time)
    if schedule.repeat == Repeat.WEEKLY:
        names = [tr(f"notice-day-{notice_service.WEEKDAYS.index(d)}") for d in schedule.weekdays]
        return tr("notice-when-weekly", days=tr("notice-list-separator").join(names), time=time)
    return tr("notice-when-monthly", day=schedule.month_day or 0, time=time)


def _ref(message: OutboxMessage) -> str:
    if message.source == "notice" and message.source_id is not None:
        return f"N{message.source_id}"
    return f"#{message.id}"
