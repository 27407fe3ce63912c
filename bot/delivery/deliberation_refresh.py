"""Coalesced live edits of deliberation's group posts: a topic's support count, a vote's
turnout and running totals."""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Awaitable, Callable

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest, TelegramRetryAfter
from aiogram.types import InlineKeyboardMarkup

log = logging.getLogger(__name__)

Key = tuple[str, int]
"""("topic", topic id) or ("vote", vote id)."""
Where = tuple[int, int]
"""(chat id, message id) of a post."""
Render = Callable[[Key], Awaitable[tuple[str, InlineKeyboardMarkup | None, list[Where]]]]
"""The current text and buttons of a topic's or vote's posts, and where they are."""


class PostRefresher:
    """Keeps the group posts of topics and votes current, coalescing changes: per topic or
    vote one asyncio task edits each of its posts at most once every `interval` seconds,
    and not at all when the text did not change.

    One per delivery layer (per process); a restart loses only edits that were waiting,
    and closing a vote renders the final state anyway (`flush`).
    """

    def __init__(self, bot: Bot, render: Render, interval: float) -> None:
        self.bot = bot
        self.render = render
        self.interval = interval
        self._dirty: set[Key] = set()
        self._tasks: dict[Key, asyncio.Task[None]] = {}
        self._last: dict[Key, float] = {}
        self._shown: dict[Where, str] = {}

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

    def seen(self, where: Where, text: str) -> None:
        """A post went out with `text` (it needs no edit while that is still current)."""
        self._shown.setdefault(where, text)

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
        text, markup, posts = await self.render(key)
        for where in posts:
            if self._shown.get(where) == text:
                continue
            chat_id, message_id = where
            try:
                await self.bot.edit_message_text(
                    text=text, chat_id=chat_id, message_id=message_id, reply_markup=markup
                )
            except TelegramRetryAfter:
                raise
            except TelegramBadRequest as exc:
                if "not modified" not in exc.message:
                    log.warning("could not edit post %s: %s", where, exc)
                    continue
            except TelegramAPIError as exc:
                log.warning("could not edit post %s: %s", where, exc)
                continue
            self._shown[where] = text
