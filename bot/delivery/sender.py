"""The broadcast sender and the process-wide send rate limiter.

`RateLimiter` holds Telegram's limits for the whole process: about 30 messages per second
overall, 1 per second to one chat (with a short burst), 20 per minute to one group.
`SendRateMiddleware` puts every send/edit of the bot through it (aiogram request
middleware, installed by the app factory), so replies, notifications and broadcasts share
one budget; broadcasts leave `NOTICES_INTERACTIVE_RESERVE` messages per second to replies.
A 429 pauses every send of the process for `retry_after`.

`Sender` delivers the outbox (`services.outbox`): workers claim one delivery at a time
(committed before the request), send it, and record the result:

- 429 → the delivery goes back to `pending` for `retry_after` (the whole process pauses);
- 5xx / network error → back to `pending` with exponential backoff and jitter, at most
  `NOTICES_MAX_ATTEMPTS` attempts, then `failed`;
- 403 (blocked, kicked, not a member) / 400 "chat not found" → `failed`, the group's
  binding is made inactive, no retry; any other 400 → `failed`.

Media given as bytes (`media_bytes`, e.g. a chart) is uploaded by the first delivery of
the message; Telegram's file id is stored and the other chats get that file id.

After a delivery is recorded as sent, the hooks a feature registered for the message's
`source` with `@on_delivered("wish")` run in a task of their own (e.g. to edit a post that
was already out of date when Telegram got it).

A housekeeping task resolves rows left `sending` by a dead process (see services.outbox),
edits the progress message of each broadcast at most every `NOTICES_PROGRESS_SECONDS`, and
sends the final report.

`python -m linli.bot.delivery.sender` runs a sender without polling updates (an extra worker).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import socket
import time
import uuid
import weakref
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import BufferedInputFile, InlineKeyboardMarkup, Message

from linli.config.notices import NoticeSettings
from linli.models.notices import OutboxMessage
from linli.services import bindings, outbox

if TYPE_CHECKING:
    from linli.scheduler.jobs import JobContext

log = logging.getLogger(__name__)

BULK: ContextVar[bool] = ContextVar("linli_bulk_send", default=False)
"""True inside the sender's workers: their sends yield to replies and are not retried by
the middleware (the outbox retries them)."""

_MESSAGE_METHODS = ("send", "copy", "forward")
_COUNTED_METHODS = (*_MESSAGE_METHODS, "edit")


class _Bucket:
    """A token bucket kept as a "theoretical arrival time" (GCRA): `rate` per second with
    `burst` allowed at once. `earliest(now)` is when the next send may go."""

    __slots__ = ("interval", "tat", "tolerance")

    def __init__(self, rate: float, burst: float) -> None:
        self.interval = 1.0 / rate
        self.tolerance = max(0.0, burst - 1) * self.interval
        self.tat = 0.0

    def earliest(self, now: float) -> float:
        return max(now, self.tat - self.tolerance)

    def take(self, at: float) -> None:
        self.tat = max(self.tat, at) + self.interval


class RateLimiter:
    """Telegram's limits for one process. Single event loop: `acquire` computes and reserves
    a send time without awaiting in between, so concurrent callers never share a slot."""

    def __init__(
        self,
        *,
        global_rate: float = 30.0,
        chat_rate: float = 1.0,
        chat_burst: int = 3,
        group_per_minute: int = 20,
        interactive_reserve: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.global_rate = global_rate
        self.chat_rate = chat_rate
        self.chat_burst = chat_burst
        self.group_per_minute = group_per_minute
        self.clock = clock
        self._global = _Bucket(global_rate, global_rate)
        bulk_rate = max(global_rate - interactive_reserve, global_rate * 0.5)
        self._bulk = _Bucket(bulk_rate, bulk_rate)
        self._chats: OrderedDict[int | str, _Bucket] = OrderedDict()
        self._groups: OrderedDict[int | str, _Bucket] = OrderedDict()
        self.paused_until = 0.0
        self.sends = 0
        self.rate_limited = 0

    @classmethod
    def from_settings(cls, settings: NoticeSettings) -> RateLimiter:
        return cls(
            global_rate=settings.global_rate,
            chat_rate=settings.chat_rate,
            chat_burst=settings.chat_burst,
            group_per_minute=settings.group_per_minute,
            interactive_reserve=settings.interactive_reserve,
        )

    @staticmethod
    def _is_group(chat_id: int | str) -> bool:
        return isinstance(chat_id, int) and chat_id < 0

    def _bucket(
        self, table: OrderedDict[int | str, _Bucket], key: int | str, rate: float, burst: float
    ) -> _Bucket:
        bucket = table.get(key)
        if bucket is None:
            bucket = table[key] = _Bucket(rate, burst)
            if len(table) > 20_000:
                now = self.clock()
                for old in [k for k, b in table.items() if b.tat < now][:5_000]:
                    del table[old]
        return bucket

    def _chat_buckets(self, chat_id: int | str | None) -> list[_Bucket]:
        if chat_id is None:
            return []
        buckets = [self._bucket(self._chats, chat_id, self.chat_rate, self.chat_burst)]
        if self._is_group(chat_id):
            buckets.append(
                self._bucket(
                    self._groups, chat_id, self.group_per_minute / 60.0, self.group_per_minute
                )
            )
        return buckets

    def chat_wait(self, chat_id: int | str) -> float:
        """Seconds until this chat may get another message (0: now)."""
        now = self.clock()
        at = max([now, *(b.earliest(now) for b in self._chat_buckets(chat_id))])
        return at - now

    def reserve_chat(self, chat_id: int | str | None) -> float:
        """Reserve this chat's next slot (1/s with a burst; groups also 20/min); returns the
        seconds to wait for it. Waiting for a chat does not hold up other chats."""
        now = self.clock()
        buckets = self._chat_buckets(chat_id)
        at = max([now, *(b.earliest(now) for b in buckets)])
        for bucket in buckets:
            bucket.take(at)
        return at - now

    def reserve_global(self, *, bulk: bool = False) -> float:
        """Reserve the next slot of the whole process (broadcasts: of their smaller share);
        returns the seconds to wait for it."""
        now = self.clock()
        buckets = [self._global, *([self._bulk] if bulk else [])]
        at = max([now, self.paused_until, *(b.earliest(now) for b in buckets)])
        for bucket in buckets:
            bucket.take(at)
        self.sends += 1
        return at - now

    async def acquire(
        self, chat_id: int | str | None, *, message: bool = True, bulk: bool = False
    ) -> None:
        """Wait for the chat's slot, then for a slot of the process."""
        if message and chat_id is not None:
            wait = self.reserve_chat(chat_id)
            if wait > 0:
                await asyncio.sleep(wait)
        wait = self.reserve_global(bulk=bulk)
        if wait > 0:
            await asyncio.sleep(wait)
        # A 429 seen while we waited pauses us too.
        for _ in range(100):
            left = self.paused_until - self.clock()
            if left <= 0:
                break
            await asyncio.sleep(left)

    def pause(self, seconds: float) -> None:
        """A 429: nobody in this process sends for `seconds`."""
        self.rate_limited += 1
        self.paused_until = max(self.paused_until, self.clock() + seconds)


class SendRateMiddleware(BaseRequestMiddleware):
    """Every send*/copy*/forward* (per chat and overall) and edit* (overall) of the bot goes
    through the limiter. A reply that gets a 429 waits `retry_after` and is retried
    (`NOTICES_RETRY_429` times); a broadcast delivery is handed back to the outbox."""

    def __init__(self, limiter: RateLimiter, retries: int = 2) -> None:
        self.limiter = limiter
        self.retries = retries

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        name = str(getattr(method, "__api_method__", "")).lower()
        if name == "getupdates":  # polling has its own backoff
            return await make_request(bot, method)
        counted = name.startswith(_COUNTED_METHODS) and name != "sendchataction"
        chat_id = getattr(method, "chat_id", None)
        message = name.startswith(_MESSAGE_METHODS)
        bulk = BULK.get()
        attempt = 0
        while True:
            if counted:
                await self.limiter.acquire(chat_id, message=message, bulk=bulk)
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                self.limiter.pause(exc.retry_after)
                if bulk or not counted or attempt >= self.retries:
                    raise
                attempt += 1
                log.info("429 on %s: retrying after %ss", name, exc.retry_after)
            except TelegramServerError as exc:
                # A 5xx means Telegram did not take the request: a reply or a button answer
                # is tried again shortly (broadcast deliveries have the outbox's backoff).
                if bulk or attempt >= self.retries:
                    raise
                attempt += 1
                log.info("%s on %s: retry %s", exc.message, name, attempt)
                await asyncio.sleep(0.5 * attempt)


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


DeliveredHook = Callable[["JobContext", Delivered], Awaitable[None]]
_HOOKS: dict[str, list[DeliveredHook]] = {}


def on_delivered(source: str) -> Callable[[DeliveredHook], DeliveredHook]:
    """Register `async def hook(ctx, delivered)` for the deliveries of one outbox `source`.

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

    def __init__(
        self, context_factory: Callable[[], JobContext], limiter: RateLimiter | None = None
    ) -> None:
        self.context_factory = context_factory
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
        return self.context_factory().settings.notices

    def wake(self) -> None:
        self._wake.set()

    async def start(self) -> None:
        """Start the workers (dispatcher start-up); catch up on missed notices."""
        if self._tasks:
            return
        self._stopping = False
        self._stopped.clear()
        _SENDERS.add(self)
        self._tasks = [
            asyncio.create_task(self._feed(), name="sender: feed"),
            asyncio.create_task(self._housekeeping(), name="sender: housekeeping"),
        ]
        ctx = self.context_factory()
        if ctx.settings.scheduler_enabled:
            self._tasks.append(
                asyncio.create_task(self._catch_up(), name="sender: notices catch-up")
            )

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
        ctx = self.context_factory()
        async with asyncio.timeout(seconds):
            while True:
                self.wake()
                async with ctx.sessionmaker() as session:
                    open_rows = await outbox.open_deliveries(session)
                if not open_rows and not self._unrecorded and not self._hook_tasks:
                    return
                if self._hook_tasks and not open_rows and not self._unrecorded:
                    await asyncio.wait(list(self._hook_tasks))
                    continue
                await asyncio.sleep(0.02)

    async def _catch_up(self) -> None:
        """On start-up, run the notices job once: runs missed while the bot was down are
        sent (delayed) or recorded as missed now, not at the next tick."""
        from linli.scheduler.notices import due_notices

        try:
            await due_notices(self.context_factory())
        except Exception:
            log.exception("notices catch-up failed")

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
        ctx = self.context_factory()
        async with ctx.sessionmaker() as session:
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
        ctx = self.context_factory()
        done: outbox.Sent | None = None
        async with ctx.sessionmaker() as session:
            try:
                while not self._stopping:
                    # The previous success is recorded in the same transaction as the next claim.
                    claim = await outbox.claim_next(
                        session, self.instance, datetime.now(UTC), completed=done
                    )
                    self._recorded(ctx, done)
                    done = None
                    if claim is None:
                        return
                    done = await self._deliver(ctx, session, claim)
                    if done is not None:
                        self._unrecorded.add(done.claim.id)
                if done is not None:
                    await outbox.mark_sent(session, done, self.instance)
                    self._recorded(ctx, done)
            finally:
                if done is not None:
                    self._unrecorded.discard(done.claim.id)

    def _recorded(self, ctx: JobContext, done: outbox.Sent | None) -> None:
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
        task = asyncio.create_task(self._run_hooks(ctx, delivered), name="sender: hooks")
        self._hook_tasks.add(task)
        task.add_done_callback(self._hook_tasks.discard)

    async def _run_hooks(self, ctx: JobContext, delivered: Delivered) -> None:
        BULK.set(False)  # what a hook sends (edits) is not part of the broadcast
        for hook in list(_HOOKS.get(delivered.source, [])):
            try:
                await hook(ctx, delivered)
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

    async def _deliver(
        self, ctx: JobContext, session: Any, claim: outbox.Claim
    ) -> outbox.Sent | None:
        """Send one claimed delivery; failures are recorded here, a success is returned for
        the caller to record (with its next claim)."""
        settings = ctx.settings.notices
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
            sent = await self._send(ctx.bot, session, message, claim.chat_id)
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
        ctx = self.context_factory()
        settings = ctx.settings.notices
        async with ctx.sessionmaker() as session:
            now = datetime.now(UTC)
            expired = await outbox.expire_abandoned(session, now, settings.sending_lease_seconds)
            if expired:
                log.warning("%s deliveries were interrupted by a crash; not resent", expired)
            for message in await outbox.unfinished(session):
                await self._tick(ctx, session, message)

    async def _tick(self, ctx: JobContext, session: Any, message: OutboxMessage) -> None:
        from linli.scheduler import notices as notice_jobs

        now = datetime.now(UTC)
        state = await outbox.progress(session, message.id)
        if state.done:
            if await outbox.finish(session, message.id, now):
                await notice_jobs.report(ctx, session, message, state)
            return
        if message.progress_chat_id is None:
            return
        if not await outbox.claim_progress_edit(
            session, message.id, now, ctx.settings.notices.progress_seconds
        ):
            return
        await notice_jobs.show_progress(ctx, session, message, state, now)


async def _run_worker() -> None:
    """`python -m linli.bot.delivery.sender`: a process that only delivers the outbox."""
    from linli.bot.app import create_app
    from linli.config import load_settings

    settings = load_settings(scheduler_enabled=False)
    app = create_app(settings)
    assert app.sender is not None
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    import signal

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await app.sender.start()
    print(f"sender ready {app.sender.instance}", flush=True)
    try:
        await stop.wait()
    finally:
        await app.sender.stop()
        await app.close()


if __name__ == "__main__":
    # Run the package's copy of this module (the one the app factory uses), not __main__'s.
    from linli.bot.delivery import sender as _sender
    from linli.bot.logging import setup_logging

    setup_logging(os.environ.get("LOG_LEVEL", "INFO"), ())
    asyncio.run(_sender._run_worker())
