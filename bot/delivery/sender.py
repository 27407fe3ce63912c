"""The broadcast sender: delivers the outbox within Telegram's limits
(bot/delivery/ratelimit.py, shared with every other send of the process).

`Sender` delivers the outbox (`services.outbox`): workers claim one delivery at a time
(committed before the request), send it (marked `BULK`: they yield to replies), and record
the result:

- 429 → the delivery goes back to `pending` for `retry_after` (the whole process pauses);
- 5xx / network error → back to `pending` with exponential backoff and jitter, at most
  `NOTICES_MAX_ATTEMPTS` attempts, then `failed`;
- 403 (blocked, kicked, not a member) / 400 "chat not found" → `failed`, the group's
  binding is made inactive, no retry; any other 400 → `failed`.

Media given as bytes (`media_bytes`, e.g. a chart) is uploaded by the first delivery of
the message; Telegram's file id is stored and the other chats get that file id.

After a delivery is recorded as sent, the hooks a feature registered for the message's
`source` with `@on_delivered("wish")` run in a task of their own (e.g. to edit a post that
was already out of date when Telegram got it); they get the `Delivery`.

A housekeeping task resolves rows left `sending` by a dead process (see services.outbox),
edits the progress message of each broadcast at most every `NOTICES_PROGRESS_SECONDS`, and
sends the final report (both rendered by `delivery.notices`).

`linli sender` runs a sender without polling updates (an extra worker).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import socket
import uuid
import weakref
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import BufferedInputFile, InlineKeyboardMarkup, Message

from linli.bot.delivery.ratelimit import BULK, RateLimiter
from linli.config.notices import NoticeSettings
from linli.models.notices import OutboxMessage
from linli.services import bindings, outbox

if TYPE_CHECKING:
    from linli.bot.delivery import Delivery

log = logging.getLogger(__name__)

_SENDERS: weakref.WeakSet[Sender] = weakref.WeakSet()


@dataclass(frozen=True)
class Delivered:
    """A delivery Telegram accepted (and that is recorded), as told to `on_delivered` hooks."""

    source: str
    source_id: int | None
    chat_id: int
    message_id: int
    """Telegram's message id in `chat_id`."""
    text: str
    """The text (or caption) as sent."""
    outbox_message_id: int


DeliveredHook = Callable[["Delivery", Delivered], Awaitable[None]]
_HOOKS: dict[str, list[DeliveredHook]] = {}


def on_delivered(source: str) -> Callable[[DeliveredHook], DeliveredHook]:
    """Register `async def hook(delivery, delivered)` for the deliveries of one outbox
    `source`. `delivery` is the app's `Delivery` (`.bot`, `.sessionmaker`, `.translator`,
    `.settings` and the feature parts); `delivered` says what went where.

    It runs after the delivery is recorded as sent (so `services.outbox.sent_posts` lists
    it), in its own task, in the process that sent it. Keep it short: a read and an edit.
    """

    def register(hook: DeliveredHook) -> DeliveredHook:
        hooks = _HOOKS.setdefault(source, [])
        if hook not in hooks:
            hooks.append(hook)
        return hook

    return register


def wake() -> None:
    """Tell the senders of this process that new deliveries are waiting."""
    for sender in list(_SENDERS):
        sender.wake()


def _instance_id() -> str:
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _file_id(message: Message, kind: str) -> str | None:
    """The file id Telegram gave an uploaded photo (largest size), document or voice."""
    if kind == "photo" and message.photo:
        return message.photo[-1].file_id
    media = getattr(message, kind, None)
    return getattr(media, "file_id", None)


def _error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {getattr(exc, 'message', None) or exc}"[:500]


class Sender:
    """Delivers the outbox within the limiter, in this process (see the module docstring)."""

    def __init__(self, delivery: Delivery, limiter: RateLimiter | None = None) -> None:
        self.delivery = delivery
        self.limiter = limiter
        self.instance = _instance_id()
        self._wake = asyncio.Event()
        self._stopping = False
        self._stopped = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._messages: OrderedDict[int, OutboxMessage] = OrderedDict()
        self._uploads: dict[int, asyncio.Lock] = {}
        self._unrecorded: set[int] = set()  # deliveries sent, not recorded yet
        self._hook_tasks: set[asyncio.Task[None]] = set()
        self.sent = 0

    @property
    def settings(self) -> NoticeSettings:
        return self.delivery.settings.notices

    def wake(self) -> None:
        self._wake.set()

    async def start(self) -> None:
        """Start the workers (dispatcher start-up)."""
        if self._tasks:
            return
        self._stopping = False
        self._stopped.clear()
        _SENDERS.add(self)
        self._tasks = [
            asyncio.create_task(self._feed(), name="sender: feed"),
            asyncio.create_task(self._housekeeping(), name="sender: housekeeping"),
        ]

    async def stop(self) -> None:
        """Stop claiming; let deliveries in flight finish (dispatcher shutdown)."""
        self._stopping = True
        self._stopped.set()
        self._wake.set()
        _SENDERS.discard(self)
        tasks, self._tasks = self._tasks, []
        if tasks:
            _done, pending = await asyncio.wait(tasks, timeout=10)
            for task in pending:
                task.cancel()
            for task in pending:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        hooks = list(self._hook_tasks)
        if hooks:
            _done, pending_hooks = await asyncio.wait(hooks, timeout=5)
            for task in pending_hooks:
                task.cancel()

    async def settle(self, seconds: float = 15.0) -> None:
        """Wait until no delivery is pending or sending (in any process) and the
        `on_delivered` hooks this process started are done; TimeoutError after `seconds`.
        For tests and tools: "everything enqueued so far has gone out"."""
        async with asyncio.timeout(seconds):
            while True:
                self.wake()
                async with self.delivery.sessionmaker() as session:
                    open_rows = await outbox.open_deliveries(session)
                if not open_rows and not self._unrecorded and not self._hook_tasks:
                    return
                if self._hook_tasks and not open_rows and not self._unrecorded:
                    await asyncio.wait(list(self._hook_tasks))
                    continue
                await asyncio.sleep(0.02)

    # --- the loop ---------------------------------------------------------------------------

    async def _feed(self) -> None:
        while not self._stopping:
            try:
                await self.drain()
            except Exception:
                log.exception("outbox sender failed; retrying")
                await asyncio.sleep(1)
            if self._stopping:
                break
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.settings.sender_poll_seconds)

    async def drain(self) -> int:
        """Send every delivery that is due now (with the configured concurrency); returns
        how many were sent. Safe to run alongside the loop and other processes."""
        async with self.delivery.sessionmaker() as session:
            if not await outbox.has_due(session, datetime.now(UTC)):
                return 0
        before = self.sent
        workers = [
            asyncio.create_task(self._worker()) for _ in range(self.settings.sender_concurrency)
        ]
        await asyncio.gather(*workers)
        return self.sent - before

    async def _worker(self) -> None:
        BULK.set(True)
        done: outbox.Sent | None = None
        async with self.delivery.sessionmaker() as session:
            try:
                while not self._stopping:
                    # The previous success is recorded in the same transaction as the next claim.
                    claim = await outbox.claim_next(
                        session, self.instance, datetime.now(UTC), completed=done
                    )
                    self._recorded(done)
                    done = None
                    if claim is None:
                        return
                    done = await self._deliver(session, claim)
                    if done is not None:
                        self._unrecorded.add(done.claim.id)
                if done is not None:
                    await outbox.mark_sent(session, done, self.instance)
                    self._recorded(done)
            finally:
                if done is not None:
                    self._unrecorded.discard(done.claim.id)

    def _recorded(self, done: outbox.Sent | None) -> None:
        """A success is committed: start the hooks of its source (no await in between)."""
        if done is None:
            return
        self._unrecorded.discard(done.claim.id)
        message = self._messages.get(done.claim.message_id)
        if message is None or not _HOOKS.get(message.source):
            return
        delivered = Delivered(
            source=message.source,
            source_id=message.source_id,
            chat_id=done.claim.chat_id,
            message_id=done.telegram_message_id,
            text=message.text,
            outbox_message_id=message.id,
        )
        task = asyncio.create_task(self._run_hooks(delivered), name="sender: hooks")
        self._hook_tasks.add(task)
        task.add_done_callback(self._hook_tasks.discard)

    async def _run_hooks(self, delivered: Delivered) -> None:
        BULK.set(False)  # what a hook sends (edits) is not part of the broadcast
        for hook in list(_HOOKS.get(delivered.source, [])):
            try:
                await hook(self.delivery, delivered)
            except Exception:
                log.exception(
                    "on_delivered hook of %s %s failed", delivered.source, delivered.source_id
                )

    async def _message(self, session: Any, message_id: int) -> OutboxMessage | None:
        message = self._messages.get(message_id)
        if message is None:
            message = await outbox.get_message(session, message_id)
            await session.commit()
            if message is None:
                return None
            session.expunge(message)  # shared by the workers; never flushed back
            message = self._messages.setdefault(message_id, message)
            while len(self._messages) > 64:
                old, _ = self._messages.popitem(last=False)
                self._uploads.pop(old, None)
        return message

    async def _deliver(self, session: Any, claim: outbox.Claim) -> outbox.Sent | None:
        """Send one claimed delivery; failures are recorded here, a success is returned for
        the caller to record (with its next claim)."""
        settings = self.settings
        message = await self._message(session, claim.message_id)
        if message is None:
            return None
        if self.limiter is not None:
            wait = self.limiter.chat_wait(claim.chat_id)
            if wait > 1.0:  # this chat had its share: let others go first
                await outbox.release(
                    session,
                    claim,
                    self.instance,
                    datetime.now(UTC) + timedelta(seconds=wait),
                    count_attempt=False,
                )
                return None
        try:
            sent = await self._send(self.delivery.bot, session, message, claim.chat_id)
        except TelegramRetryAfter as exc:
            await outbox.release(
                session,
                claim,
                self.instance,
                datetime.now(UTC) + timedelta(seconds=exc.retry_after),
                error=_error_text(exc),
                count_attempt=False,
            )
        except (TelegramServerError, TelegramNetworkError, TimeoutError) as exc:
            if claim.attempts >= settings.max_attempts:
                await outbox.mark_failed(session, claim, self.instance, _error_text(exc))
                return None
            delay = min(
                settings.backoff_max_seconds, settings.backoff_seconds * 2 ** (claim.attempts - 1)
            )
            delay *= random.uniform(0.5, 1.0)
            await outbox.release(
                session,
                claim,
                self.instance,
                datetime.now(UTC) + timedelta(seconds=delay),
                error=_error_text(exc),
            )
        except TelegramForbiddenError as exc:
            await outbox.mark_failed(session, claim, self.instance, _error_text(exc))
            await bindings.deactivate(session, claim.chat_id, reason="forbidden")
        except TelegramBadRequest as exc:
            await outbox.mark_failed(session, claim, self.instance, _error_text(exc))
            if "chat not found" in exc.message.lower():
                await bindings.deactivate(session, claim.chat_id, reason="chat not found")
        except TelegramAPIError as exc:
            await outbox.mark_failed(session, claim, self.instance, _error_text(exc))
        else:
            self.sent += 1
            return outbox.Sent(claim, sent, datetime.now(UTC))
        return None

    async def _send(self, bot: Bot, session: Any, message: OutboxMessage, chat_id: int) -> int:
        """Send one delivery; returns Telegram's message id."""
        if message.media_kind and not message.media_file_id:
            # Bytes to upload: one delivery of this message uploads, the others wait for the
            # file id (stored for other processes too) and send that.
            lock = self._uploads.setdefault(message.id, asyncio.Lock())
            async with lock:
                if not message.media_file_id:  # not uploaded by this worker: by another?
                    message.media_file_id = await outbox.media_file_id(session, message.id)
                if not message.media_file_id:
                    data = await outbox.media_bytes(session, message.id)
                    if data is not None:
                        return await self._upload(bot, session, message, chat_id, data)
        sent = await self._request(bot, message, chat_id, message.media_file_id or "")
        return sent.message_id

    async def _upload(
        self, bot: Bot, session: Any, message: OutboxMessage, chat_id: int, data: bytes
    ) -> int:
        kind = message.media_kind or "document"
        name = {"photo": "image.png", "voice": "voice.ogg"}.get(kind, "file")
        sent = await self._request(
            bot, message, chat_id, BufferedInputFile(data, filename=f"{message.source}-{name}")
        )
        file_id = _file_id(sent, kind)
        if file_id:
            message.media_file_id = file_id
            await outbox.remember_file_id(session, message.id, file_id)
        return sent.message_id

    async def _request(
        self, bot: Bot, message: OutboxMessage, chat_id: int, media: str | BufferedInputFile
    ) -> Message:
        markup = (
            InlineKeyboardMarkup.model_validate(message.reply_markup)
            if message.reply_markup
            else None
        )
        common: dict[str, Any] = {"chat_id": chat_id, "reply_markup": markup}
        caption = message.text or None
        if message.media_kind == "photo":
            return await bot.send_photo(
                photo=media, caption=caption, parse_mode=message.parse_mode, **common
            )
        if message.media_kind == "document":
            return await bot.send_document(
                document=media, caption=caption, parse_mode=message.parse_mode, **common
            )
        if message.media_kind == "voice":
            return await bot.send_voice(
                voice=media, caption=caption, parse_mode=message.parse_mode, **common
            )
        return await bot.send_message(
            text=message.text,
            parse_mode=message.parse_mode,
            link_preview_options=None,
            **common,
        )

    # --- housekeeping: abandoned rows, progress, reports ---------------------------------------

    async def _housekeeping(self) -> None:
        while not self._stopping:
            try:
                await self.housekeeping()
            except Exception:
                log.exception("outbox housekeeping failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    self._stopped.wait(), min(1.0, self.settings.progress_seconds / 2)
                )

    async def housekeeping(self) -> None:
        """One pass: resolve abandoned `sending` rows, update progress, finish broadcasts."""
        settings = self.settings
        async with self.delivery.sessionmaker() as session:
            now = datetime.now(UTC)
            expired = await outbox.expire_abandoned(session, now, settings.sending_lease_seconds)
            if expired:
                log.warning("%s deliveries were interrupted by a crash; not resent", expired)
            for message in await outbox.unfinished(session):
                await self._tick(session, message)

    async def _tick(self, session: Any, message: OutboxMessage) -> None:
        now = datetime.now(UTC)
        state = await outbox.progress(session, message.id)
        if state.done:
            if await outbox.finish(session, message.id, now):
                await self.delivery.notices.report(session, message, state)
            return
        if message.progress_chat_id is None:
            return
        if not await outbox.claim_progress_edit(
            session, message.id, now, self.settings.progress_seconds
        ):
            return
        await self.delivery.notices.show_progress(session, message, state, now)
