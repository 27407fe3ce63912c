"""The update queue and getUpdates long polling, as Telegram runs them: updates wait until a
later offset confirms them, a new getUpdates ends a waiting one (409), allowed_updates
filters."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from typing import Any

from aiogram import types as tg

from linli.emulator.errors import ApiError
from linli.emulator.params import as_int
from linli.emulator.records import UploadedFile
from linli.emulator.shapes import dump
from linli.emulator.state import EmulatorState, Json, QueuedUpdate, resolve

WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
POLL_CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
# Update types a bot gets when allowed_updates is empty or was never set.
_NOT_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


def _update_type(update: Mapping[str, Any]) -> str:
    """The kind of an update ("message", "callback_query"...): its one field besides the id."""
    for key in update:
        if key != "update_id" and update[key] is not None:
            return key
    return "unknown"


class UpdateQueue(EmulatorState):
    """Queued updates, confirmed by getUpdates offsets or delivered to a webhook."""

    def _enqueue(self, update: tg.Update) -> tg.Update:
        if update.update_id != self._next_update_id:
            update = update.model_copy(update={"update_id": self._next_update_id})
        self._next_update_id += 1
        payload = dump(update)
        self._queue.append(QueuedUpdate(update.update_id, _update_type(payload), payload))
        self._pending += 1
        self._wake_pollers()
        self._notify()
        return update

    def pending_updates(self) -> int:
        """Updates queued and not yet confirmed by a getUpdates offset (or dropped)."""
        return self._pending

    def _allowed(self, update_type: str) -> bool:
        if self._allowed_updates is None:
            return update_type not in _NOT_BY_DEFAULT
        return update_type in self._allowed_updates

    def _confirm(self, offset: int) -> None:
        queue = self._queue
        before = self._pending
        if offset < 0:
            keep = -offset
            while len(queue) > keep:
                item = queue.popleft()
                if not item.dropped:
                    self._pending -= 1
        elif offset > 0:
            while queue and queue[0].update_id < offset:
                item = queue.popleft()
                if not item.dropped:
                    self._pending -= 1
        if self._pending != before:
            self._notify()

    def _collect(self, limit: int) -> list[dict[str, Any]]:
        batch: list[dict[str, Any]] = []
        dropped = False
        for item in self._queue:
            if item.dropped:
                continue
            if not self._allowed(item.type):
                item.dropped = True
                self._pending -= 1
                dropped = True
                continue
            batch.append(item.payload)
            if len(batch) >= limit:
                break
        if dropped:
            self._notify()
        return batch

    def _drop_all(self) -> None:
        for item in self._queue:
            if not item.dropped:
                item.dropped = True
                self._pending -= 1
        self._queue.clear()
        self._notify()

    async def _get_updates(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        if self.webhook is not None:
            raise ApiError(409, WEBHOOK_CONFLICT)
        offset = params.get("offset")
        limit = min(max(as_int(params.get("limit", 100), "limit"), 1), 100)
        timeout = max(as_int(params.get("timeout", 0), "timeout"), 0)
        allowed = params.get("allowed_updates")
        if isinstance(allowed, str):
            allowed = json.loads(allowed) if allowed.startswith("[") else [allowed]
        if allowed is not None:
            self._allowed_updates = frozenset(allowed) if allowed else None
        if offset is not None:
            self._confirm(as_int(offset, "offset"))
        # Like Telegram, a new getUpdates terminates one still waiting (409 for the old one).
        self._poll_generation += 1
        generation = self._poll_generation
        self._wake_pollers()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if generation != self._poll_generation:
                raise ApiError(409, POLL_CONFLICT)
            batch = self._collect(limit)
            if batch or timeout == 0 or (self._closing is not None and self._closing.is_set()):
                return batch
            remaining = deadline - loop.time()
            if remaining <= 0:
                return []
            fut: asyncio.Future[None] = loop.create_future()
            self._update_waiters.append(fut)
            handle = loop.call_later(remaining, resolve, fut)
            try:
                await fut
            finally:
                handle.cancel()
