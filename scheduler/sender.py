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

A housekeeping task resolves rows left `sending` by a dead process (see services.outbox),
edits the progress message of each broadcast at most every `NOTICES_PROGRESS_SECONDS`, and
sends the final report.

`python -m scheduler.sender` runs a sender without polling updates (an extra worker).
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
from collections.abc import Callable
from contextvars import ContextVar
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
from aiogram.types import InlineKeyboardMarkup

from config.notices import NoticeSettings
from models.notices import OutboxMessage
from services import bindings, outbox

if TYPE_CHECKING:
    from scheduler.jobs import JobContext

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
        if not name.startswith(_COUNTED_METHODS) or name == "sendchataction":
            return await make_request(bot, method)
        chat_id = getattr(method, "chat_id", None)
        message = name.startswith(_MESSAGE_METHODS)
        bulk = BULK.get()
        attempt = 0
        while True:
            await self.limiter.acquire(chat_id, message=message, bulk=bulk)
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                self.limiter.pause(exc.retry_after)
                if bulk or attempt >= self.retries:
                    raise
                attempt += 1
                log.info("429 on %s: retrying after %ss", name, exc.retry_after)


_SENDERS: weakref.WeakSet[Sender] = weakref.WeakSet()


def wake() -> None:
    """Tell the senders of this process that new deliveries are waiting."""
    for sender in list(_SENDERS):
        sender.wake()


def _instance_id() -> str:
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


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

    async def _catch_up(self) -> None:
        """On start-up, run the notices job once: runs missed while the bot was down are
        sent (delayed) or recorded as missed now, not at the next tick."""
        from scheduler.notices import due_notices

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
            while not self._stopping:
                # The previous success is recorded in the same transaction as the next claim.
                claim = await outbox.claim_next(
                    session, self.instance, datetime.now(UTC), completed=done
                )
                if claim is None:
                    return
                done = await self._deliver(ctx, session, claim)
            if done is not None:
                await outbox.mark_sent(session, done, self.instance)

    async def _message(self, session: Any, message_id: int) -> OutboxMessage | None:
        message = self._messages.get(message_id)
        if message is None:
            message = await outbox.get_message(session, message_id)
            await session.commit()
            if message is None:
                return None
            self._messages[message_id] = message
            while len(self._messages) > 64:
                self._messages.popitem(last=False)
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
            sent = await self._send(ctx.bot, message, claim.chat_id)
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

    async def _send(self, bot: Bot, message: OutboxMessage, chat_id: int) -> int:
        markup = (
            InlineKeyboardMarkup.model_validate(message.reply_markup)
            if message.reply_markup
            else None
        )
        common: dict[str, Any] = {"chat_id": chat_id, "reply_markup": markup}
        text = message.text or None
        if message.media_kind == "photo":
            result = await bot.send_photo(
                photo=message.media_file_id or "",
                caption=text,
                parse_mode=message.parse_mode,
                **common,
            )
        elif message.media_kind == "document":
            result = await bot.send_document(
                document=message.media_file_id or "",
                caption=text,
                parse_mode=message.parse_mode,
                **common,
            )
        elif message.media_kind == "voice":
            result = await bot.send_voice(
                voice=message.media_file_id or "",
                caption=text,
                parse_mode=message.parse_mode,
                **common,
            )
        else:
            result = await bot.send_message(
                text=message.text,
                parse_mode=message.parse_mode,
                link_preview_options=None,
                **common,
            )
        return result.message_id

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
        from scheduler import notices as notice_jobs

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
    """`python -m scheduler.sender`: a process that only delivers the outbox."""
    from bot.app import create_app
    from config import load_settings

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
    from bot.logging import setup_logging
    from scheduler import sender as _sender

    setup_logging(os.environ.get("LOG_LEVEL", "INFO"), ())
    asyncio.run(_sender._run_worker())
