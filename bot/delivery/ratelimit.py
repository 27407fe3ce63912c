"""Telegram's send limits for the whole process.

`RateLimiter` holds them: about 30 messages per second overall, 1 per second to one chat
(with a short burst), 20 per minute to one group. `SendRateMiddleware` puts every send/edit
of the bot through it (aiogram request middleware, installed by the app factory), so
replies, notifications and broadcasts share one budget; broadcasts (`BULK`, set by the
outbox sender's workers) leave `NOTICES_INTERACTIVE_RESERVE` messages per second to replies.
A 429 pauses every send of the process for `retry_after`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from contextvars import ContextVar

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramRetryAfter, TelegramServerError
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType

from linli.config.notices import NoticeSettings

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
