"""The dispatcher: aiogram's, plus the two things a graceful shutdown needs.

- It knows the updates being handled (`in_flight`): from the moment `feed_update` starts to
  the moment the error handlers are done with it. Listeners hear of each handled update
  (`in_flight.on_handled`): the demo's terminal chat and the test harness wait on it.
- Its shutdown first waits for those updates (at most `drain_seconds`), then runs the
  `before_shutdown` hooks (the outbox sender stops), and only then aiogram's own shutdown
  handlers. aiogram registers closing the FSM storage as the first of those when the
  dispatcher is built, and the updates still being handled need that storage (their state,
  their event-isolation lock in Redis): Telegram has them confirmed, so they would be lost.

Both are overrides of public `Dispatcher` methods; `tests/test_aiogram_compat.py` checks
that aiogram's polling and shutdown still go through them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from aiogram import Dispatcher
from aiogram.dispatcher.event.event import EventObserver
from aiogram.types import Update

if TYPE_CHECKING:
    from aiogram import Bot

log = logging.getLogger(__name__)

DRAIN_SECONDS = 10.0
"""How long a shutdown waits for the updates being handled (docs/resilience.md)."""


class UpdatesInFlight:
    """The updates the dispatcher is handling now."""

    def __init__(self) -> None:
        self._count = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._listeners: list[Callable[[Update], object]] = []

    def __len__(self) -> int:
        return self._count

    def on_handled(self, listener: Callable[[Update], object]) -> None:
        """Call `listener(update)` each time an update has been handled (or has failed)."""
        self._listeners.append(listener)

    @contextmanager
    def track(self, update: Update) -> Iterator[None]:
        self._count += 1
        self._idle.clear()
        try:
            yield
        finally:
            self._count -= 1
            if self._count == 0:
                self._idle.set()
            for listener in self._listeners:
                listener(update)

    async def wait(self) -> None:
        """Wait until no update is being handled."""
        await self._idle.wait()


class AppDispatcher(Dispatcher):
    """aiogram's Dispatcher that drains the updates in flight before it shuts down."""

    def __init__(self, *, drain_seconds: float = DRAIN_SECONDS, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.drain_seconds = drain_seconds
        self.in_flight = UpdatesInFlight()
        self.before_shutdown = EventObserver()
        """Hooks run on shutdown after the updates in flight are done, before aiogram's own."""

    async def feed_update(self, bot: Bot, update: Update, **kwargs: Any) -> Any:
        with self.in_flight.track(update):
            return await super().feed_update(bot, update, **kwargs)

    async def emit_shutdown(self, *args: Any, **kwargs: Any) -> None:
        try:
            async with asyncio.timeout(self.drain_seconds):
                await self.in_flight.wait()
        except TimeoutError:
            log.warning(
                "shutting down with %d updates still being handled after %.0f s",
                len(self.in_flight),
                self.drain_seconds,
            )
        await self.before_shutdown.trigger(*args, **kwargs)
        await super().emit_shutdown(*args, **kwargs)
