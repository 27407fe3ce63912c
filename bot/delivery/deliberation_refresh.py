"""Coalesced live edits of deliberation's group posts: a topic's support count and stage, a
vote's turnout and running totals, a discussion post's Comment button.

Telegram refuses an edit whose text and buttons equal what the message shows ("message is
not modified"), so the refresher never sends one. What each post shows is remembered as a
digest of its text and buttons: it starts as what the post was sent with (the outbox row,
`services.outbox.SentPost`), becomes the new look when an edit is sent, and goes back to
the look before when Telegram answered that the edit was not made (429, 400, 403, 5xx, no
connection). An edit whose answer was lost (a timeout, a dropped connection) may well have
been made: it counts as made; the next change edits the post again.

With one bot process that memory is a dict; with several (`REDIS_URL` set) it lives in
Redis, where each process swaps the digest atomically before editing, and the refreshes of
one topic or vote are serialised across processes by a Redis lock (the last edit is always
rendered after the one before it: a slow process never puts back an older text).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import math
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramNetworkError,
    TelegramRetryAfter,
)
from aiogram.types import InlineKeyboardMarkup
from aiohttp import ClientConnectorError

log = logging.getLogger(__name__)

Key = tuple[str, int]
"""("topic", topic id): its proposal posts; ("discussion", topic id): its discussion posts;
("vote", vote id): a vote's posts."""
Where = tuple[int, int]
"""(chat id, message id) of a post."""


def digest(text: str, markup: InlineKeyboardMarkup | dict[str, Any] | None = None) -> str:
    """A short fingerprint of a post's look: its text and its buttons (as the outbox stores
    them, so that a post as sent and the same post rendered again agree)."""
    if isinstance(markup, InlineKeyboardMarkup):
        markup = markup.model_dump(mode="json", exclude_none=True)
    buttons = json.dumps(markup or None, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{text}\0{buttons}".encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Post:
    """A group post to keep current: where it is, and the digest of how it was sent."""

    where: Where
    sent: str


@dataclass(frozen=True)
class View:
    """What the posts of a key should show now, and where they are."""

    text: str
    markup: InlineKeyboardMarkup | None
    posts: list[Post]

    @property
    def digest(self) -> str:
        return digest(self.text, self.markup)


Render = Callable[[Key], Awaitable[View]]
"""The current view of a key's posts."""


class PostMemory:
    """What each post shows (a digest of its text and buttons), in this process only."""

    def __init__(self) -> None:
        self._shown: dict[Where, str] = {}

    @contextlib.asynccontextmanager
    async def serial(self, key: Key) -> AsyncIterator[bool]:
        """Refreshes of one key run one at a time (in one process, `PostRefresher` runs one
        task per key already); yields whether this refresh may go ahead."""
        yield True

    async def swap(self, post: Post, shown: str) -> str:
        """Record that `post` shows `shown` from now on; returns what it showed before (as
        it was sent, when nothing is remembered)."""
        before = self._shown.get(post.where, post.sent)
        self._shown[post.where] = shown
        return before

    async def restore(self, post: Post, shown: str, before: str) -> None:
        """The edit to `shown` was not made: the post still shows `before`."""
        if self._shown.get(post.where) == shown:
            self._shown[post.where] = before

    async def close(self) -> None:
        """Nothing to release."""


_SWAP = """
local before = redis.call('get', KEYS[1])
redis.call('set', KEYS[1], ARGV[1], 'EX', ARGV[3])
if before then return before end
return ARGV[2]
"""

_RESTORE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  redis.call('set', KEYS[1], ARGV[2], 'EX', ARGV[3])
end
return 0
"""


class SharedPostMemory(PostMemory):
    """What each post shows, in Redis: shared by every bot process."""

    TTL = 14 * 24 * 3600
    """Seconds a post's digest is kept after its last edit (live posts change for weeks)."""
    LOCK_SECONDS = 30.0
    """Longest a refresh holds its key's lock (a crashed process frees it after that)."""

    def __init__(self, redis: Any) -> None:
        super().__init__()
        self.redis = redis

    @staticmethod
    def _key(where: Where) -> str:
        return f"linli:post:{where[0]}:{where[1]}"

    @contextlib.asynccontextmanager
    async def serial(self, key: Key) -> AsyncIterator[bool]:
        from redis.exceptions import LockError

        lock = self.redis.lock(
            f"linli:refresh:{key[0]}:{key[1]}",
            timeout=self.LOCK_SECONDS,
            blocking_timeout=self.LOCK_SECONDS,
        )
        try:
            acquired = await lock.acquire()
        except LockError:
            acquired = False
        try:
            yield acquired
        finally:
            if acquired:
                with contextlib.suppress(LockError):
                    await lock.release()

    async def swap(self, post: Post, shown: str) -> str:
        before = await self.redis.eval(_SWAP, 1, self._key(post.where), shown, post.sent, self.TTL)
        return before.decode() if isinstance(before, bytes) else str(before)

    async def restore(self, post: Post, shown: str, before: str) -> None:
        await self.redis.eval(_RESTORE, 1, self._key(post.where), shown, before, self.TTL)

    async def close(self) -> None:
        await self.redis.aclose()


def _not_made(exc: TelegramAPIError) -> bool:
    """Whether Telegram's answer (or its absence) means the edit was certainly not made:
    every error answer, or no connection at all; not a request whose answer was lost."""
    if isinstance(exc, TelegramNetworkError):
        return isinstance(exc.__cause__, ClientConnectorError)
    return True


class PostRefresher:
    """Keeps the group posts of topics and votes current, coalescing changes: per topic or
    vote one asyncio task edits each of its posts at most once every `interval` seconds,
    and not at all when the post already shows the current text and buttons (`memory`).

    One per delivery layer (per process); a restart loses only edits that were waiting,
    and closing a vote renders the final state anyway (`flush`).
    """

    def __init__(
        self, bot: Bot, render: Render, interval: float, memory: PostMemory | None = None
    ) -> None:
        self.bot = bot
        self.render = render
        self.interval = interval
        self.memory = memory or PostMemory()
        self._dirty: set[Key] = set()
        self._tasks: dict[Key, asyncio.Task[None]] = {}
        self._last: dict[Key, float] = {}

    def touch(self, key: Key) -> None:
        """Something changed: schedule an edit (now, or when the interval has passed)."""
        self._dirty.add(key)
        task = self._tasks.get(key)
        if task is None or task.done():
            self._tasks[key] = asyncio.create_task(self._run(key), name=f"refresh-{key}")

    async def flush(self, key: Key) -> None:
        """Bring the posts of `key` up to date and wait for it (still one edit per interval)."""
        self.touch(key)
        task = self._tasks.get(key)
        if task is not None:
            await asyncio.shield(task)

    async def idle(self) -> None:
        """Wait until no edit is pending (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks.values()), return_exceptions=True)

    async def stop(self) -> None:
        """Shutdown: drop the edits still waiting (the next change, or closing the vote,
        renders the posts again)."""
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _run(self, key: Key) -> None:
        loop = asyncio.get_running_loop()
        try:
            while key in self._dirty:
                wait = self._last.get(key, -math.inf) + self.interval - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                self._dirty.discard(key)
                try:
                    await self._refresh(key)
                except TelegramRetryAfter as exc:
                    self._dirty.add(key)
                    await asyncio.sleep(exc.retry_after)
                except Exception:
                    log.exception("could not refresh the posts of %s %s", *key)
                self._last[key] = loop.time()
        finally:
            self._tasks.pop(key, None)

    async def _refresh(self, key: Key) -> None:
        async with self.memory.serial(key) as ours:
            if not ours:  # another process holds the key for too long: try again later
                self._dirty.add(key)
                return
            view = await self.render(key)
            shown = view.digest
            for post in view.posts:
                before = await self.memory.swap(post, shown)
                if before != shown:
                    await self._edit(post, view, shown, before)

    async def _edit(self, post: Post, view: View, shown: str, before: str) -> None:
        chat_id, message_id = post.where
        try:
            await self.bot.edit_message_text(
                text=view.text, chat_id=chat_id, message_id=message_id, reply_markup=view.markup
            )
        except TelegramRetryAfter:
            await self.memory.restore(post, shown, before)
            raise
        except TelegramBadRequest as exc:
            if "not modified" in exc.message:
                return  # it shows this already (the memory was lost): nothing to undo
            await self.memory.restore(post, shown, before)
            log.warning("could not edit post %s: %s", post.where, exc)
        except TelegramAPIError as exc:
            if _not_made(exc):
                await self.memory.restore(post, shown, before)
            log.warning("could not edit post %s: %s", post.where, exc)
