"""Coalesced live edits of deliberation's group posts: a topic's support count and stage, a
vote's turnout and running totals, a discussion post's Comment button.

What each post shows now is remembered as a digest of its text (its buttons follow from
the state its text shows), so that a post is never edited to what it already shows
(Telegram refuses such an edit with "message is not modified"). With one bot process that
memory is a dict; with several (`REDIS_URL` set) it lives in Redis, where each process
swaps the digest atomically (`SET … GET`) before editing, and the refreshes of one topic or
vote are serialised across processes by a Redis lock (the last edit is always rendered
after the one before it: a slow process never puts back an older text).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import math
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest, TelegramRetryAfter
from aiogram.types import InlineKeyboardMarkup

log = logging.getLogger(__name__)

Key = tuple[str, int]
"""("topic", topic id): its proposal posts; ("discussion", topic id): its discussion posts;
("vote", vote id): a vote's posts."""
Where = tuple[int, int]
"""(chat id, message id) of a post."""


@dataclass(frozen=True)
class View:
    """What the posts of a key should show now, and where they are."""

    text: str
    markup: InlineKeyboardMarkup | None
    posts: list[Where]

    @property
    def digest(self) -> str:
        return digest(self.text)


Render = Callable[[Key], Awaitable[View]]
"""The current view of a key's posts."""


def digest(text: str) -> str:
    """A short fingerprint of a post's text."""
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class PostMemory:
    """What each post shows (a digest of its text), in this process only."""

    def __init__(self) -> None:
        self._shown: dict[Where, str] = {}

    @contextlib.asynccontextmanager
    async def serial(self, key: Key) -> AsyncIterator[bool]:
        """Refreshes of one key run one at a time (in one process, `PostRefresher` runs one
        task per key already); yields whether this refresh may go ahead."""
        yield True

    async def swap(self, where: Where, shown: str) -> bool:
        """Record that `where` shows `shown` from now on; False when it did already."""
        before = self._shown.get(where)
        self._shown[where] = shown
        return before != shown

    async def forget(self, where: Where, shown: str) -> None:
        """The edit to `shown` failed: nothing is known of the post any more."""
        if self._shown.get(where) == shown:
            del self._shown[where]

    async def seen(self, where: Where, shown: str) -> None:
        """The post went out showing `shown` (unless an edit was recorded already)."""
        self._shown.setdefault(where, shown)

    async def close(self) -> None:
        """Nothing to release."""


_FORGET = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
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

    async def swap(self, where: Where, shown: str) -> bool:
        before = await self.redis.set(self._key(where), shown, ex=self.TTL, get=True)
        if isinstance(before, bytes):
            before = before.decode()
        return before != shown

    async def forget(self, where: Where, shown: str) -> None:
        await self.redis.eval(_FORGET, 1, self._key(where), shown)

    async def seen(self, where: Where, shown: str) -> None:
        await self.redis.set(self._key(where), shown, ex=self.TTL, nx=True)

    async def close(self) -> None:
        await self.redis.aclose()


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

    async def seen(self, where: Where, text: str) -> None:
        """A post went out with `text` (it needs no edit while that is still current)."""
        try:
            await self.memory.seen(where, digest(text))
        except Exception:
            log.exception("could not record the post %s", where)

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
            for where in view.posts:
                if await self.memory.swap(where, shown):
                    await self._edit(where, view, shown)

    async def _edit(self, where: Where, view: View, shown: str) -> None:
        chat_id, message_id = where
        try:
            await self.bot.edit_message_text(
                text=view.text, chat_id=chat_id, message_id=message_id, reply_markup=view.markup
            )
        except TelegramRetryAfter:
            await self.memory.forget(where, shown)
            raise
        except TelegramBadRequest as exc:
            if "not modified" not in exc.message:
                await self.memory.forget(where, shown)
                log.warning("could not edit post %s: %s", where, exc)
        except TelegramAPIError as exc:
            await self.memory.forget(where, shown)
            log.warning("could not edit post %s: %s", where, exc)
