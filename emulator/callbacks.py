"""Callback queries: a user presses an inline button, the bot answers the query once."""

from __future__ import annotations

import time
from typing import Any

from aiogram import types as tg

from linli.emulator.errors import bad
from linli.emulator.queue import UpdateQueue
from linli.emulator.records import StoredMessage, UploadedFile
from linli.emulator.state import Json

QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"


class CallbackMethods(UpdateQueue):
    """push_callback and answerCallbackQuery."""

    def push_callback(
        self,
        user_id: int,
        message: StoredMessage | tuple[int, int],
        data: str,
    ) -> tg.Update:
        """Queue a callback_query as if ``user_id`` pressed a button carrying ``data``.

        ``message`` is the bot message (or ``(chat_id, message_id)``); the query carries that
        message as it is now.
        """
        user = self._ensure_user(user_id)
        if isinstance(message, StoredMessage):
            chat_id, message_id = message.chat_id, message.message_id
        else:
            chat_id, message_id = message
        state = self._chats.get(chat_id)
        if state is None or message_id not in state.messages:
            raise KeyError(f"no message {message_id} in chat {chat_id}")
        stored = state.messages[message_id]
        if state.private:
            state.started = True
        self._callback_counter += 1
        query_id = str(4_000_000_000_000_000_000 + self._callback_counter * 7919)
        self._callbacks[query_id] = {
            "answered": False,
            "at": time.monotonic(),
            "chat_id": chat_id,
            "message_id": message_id,
            "data": data,
        }
        query = tg.CallbackQuery(
            id=query_id,
            from_user=user,
            message=tg.Message.model_validate(stored.data),
            chat_instance=str((abs(chat_id) * 2_654_435_761) % 10**19),
            data=data,
        )
        return self._enqueue(tg.Update(update_id=self._next_update_id, callback_query=query))

    def _answer_callback_query(
        self, params: dict[str, Any], files: dict[str, UploadedFile]
    ) -> Json:
        query_id = str(params.get("callback_query_id", ""))
        info = self._callbacks.get(query_id)
        if info is None or info["answered"]:
            raise bad(QUERY_TOO_OLD)
        text = params.get("text")
        if text is not None and len(str(text)) > 200:
            raise bad("MESSAGE_TOO_LONG")
        info["answered"] = True
        self.callback_answers[query_id] = dict(params)
        return True
