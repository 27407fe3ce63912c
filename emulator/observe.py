"""Watching what the bot did: its messages per chat, the API calls, and waiting for either."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

from linli.emulator.records import Request, StoredMessage, short
from linli.emulator.state import EmulatorState, resolve


class Observing(EmulatorState):
    """Read and wait on the bot's messages, calls and callback answers."""

    def messages(self, chat_id: int) -> list[StoredMessage]:
        """Bot messages in the chat, in order (deleted ones included, flagged)."""
        state = self._chats.get(chat_id)
        return list(state.bot_messages) if state else []

    def history(self, chat_id: int) -> list[StoredMessage]:
        """All messages of the chat (users' and the bot's), in order."""
        state = self._chats.get(chat_id)
        return list(state.all_messages) if state else []

    def last_message(self, chat_id: int) -> StoredMessage | None:
        """The latest bot message in the chat (possibly deleted), or None."""
        state = self._chats.get(chat_id)
        return state.bot_messages[-1] if state and state.bot_messages else None

    def message(self, chat_id: int, message_id: int) -> StoredMessage:
        """A message by id (user's or bot's)."""
        return self._chats[chat_id].messages[message_id]

    def calls(self, method: str) -> list[Request]:
        """Requests of one method (any case), in arrival order."""
        return list(self._requests_by_method.get(self._canon(method), ()))

    async def wait_for(
        self,
        predicate: Callable[[], bool],
        timeout: float = 5.0,  # noqa: ASYNC109 - the timeout is the point of these helpers
        *,
        message: str | Callable[[], str] | None = None,
    ) -> None:
        """Wait until ``predicate()`` is true; re-checked after every emulator event."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                text = message() if callable(message) else message
                raise TimeoutError(text or f"condition not met within {timeout}s")
            fut: asyncio.Future[None] = loop.create_future()
            self._waiters.append(fut)
            handle = loop.call_later(min(remaining, 0.25), resolve, fut)
            try:
                await fut
            finally:
                handle.cancel()

    async def wait_for_message(
        self,
        chat_id: int,
        *,
        after: int = 0,
        predicate: Callable[[StoredMessage], bool] | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> StoredMessage:
        """Wait for a bot message in the chat beyond the first ``after`` ones.

        ``after`` counts bot messages already seen (``len(emu.messages(chat_id))``). With a
        ``predicate`` the first message from index ``after`` on that satisfies it is returned
        (edits are re-checked).
        """
        found: list[StoredMessage] = []

        def check() -> bool:
            state = self._chats.get(chat_id)
            if state is None:
                return False
            msgs = state.bot_messages
            for index in range(after, len(msgs)):
                if predicate is None or predicate(msgs[index]):
                    found.append(msgs[index])
                    return True
            return False

        await self.wait_for(
            check,
            timeout,
            message=lambda: self._describe_chat(chat_id, after, predicate is not None, timeout),
        )
        return found[0]

    def _describe_chat(self, chat_id: int, after: int, with_predicate: bool, timeout: float) -> str:
        msgs = self.messages(chat_id)
        what = "matching bot message" if with_predicate else "new bot message"
        lines = [
            f"no {what} in chat {chat_id} within {timeout}s "
            f"(after={after}; the chat has {len(msgs)} bot message(s))"
        ]
        for m in msgs[-10:]:
            lines.append(f"  {m!r}")
        failures = [r for r in self.requests[-200:] if r.done and not r.ok][-5:]
        if failures:
            lines.append("recent failed API calls:")
            for r in failures:
                lines.append(
                    f"  {r.method}({short(json.dumps(r.params, default=str), 120)})"
                    f" -> {r.status} {r.description}"
                )
        if self._pending:
            lines.append(f"{self._pending} update(s) still not fetched by the bot")
        return "\n".join(lines)

    async def wait_for_callback_answer(
        self,
        callback_query_id: str,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> dict[str, Any]:
        """Wait for answerCallbackQuery on that query; returns its params."""
        await self.wait_for(
            lambda: callback_query_id in self.callback_answers,
            timeout,
            message=f"callback query {callback_query_id} was not answered within {timeout}s",
        )
        return self.callback_answers[callback_query_id]

    async def wait_until_consumed(
        self,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> None:
        """Wait until the bot confirmed every pushed update (via its next getUpdates offset)."""
        await self.wait_for(
            lambda: self._pending == 0,
            timeout,
            message=lambda: f"{self._pending} update(s) not consumed within {timeout}s",
        )

    async def wait_for_request(
        self,
        method: str,
        *,
        after: int = 0,
        predicate: Callable[[Request], bool] | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> Request:
        """Wait for a finished call of ``method`` beyond the first ``after`` such calls."""
        key = self._canon(method)
        found: list[Request] = []

        def check() -> bool:
            calls = self._requests_by_method.get(key, [])
            for index in range(after, len(calls)):
                req = calls[index]
                if req.done and (predicate is None or predicate(req)):
                    found.append(req)
                    return True
            return False

        await self.wait_for(check, timeout, message=f"no {key} call within {timeout}s")
        return found[0]
