"""Editing and deleting messages: editMessageText/Caption/ReplyMarkup, deleteMessage(s)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable, Mapping
from typing import Any

from aiogram import types as tg

from linli.emulator.errors import ApiError, bad, forbidden
from linli.emulator.formatting import MAX_TEXT, caption_fields, format_text
from linli.emulator.markup import check_markup
from linli.emulator.params import as_int
from linli.emulator.records import StoredMessage, UploadedFile
from linli.emulator.shapes import dump
from linli.emulator.state import ChatState, EmulatorState, Json

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


class EditingMethods(EmulatorState):
    """Edits keep the message's history; deletes flag it."""

    def _message_target(self, params: Mapping[str, Any], *, action: str) -> StoredMessage:
        if params.get("inline_message_id"):
            raise bad("MESSAGE_ID_INVALID")
        state = self._chat(params.get("chat_id"))
        if state.private and state.blocked:
            raise forbidden("bot was blocked by the user")
        if not state.private and state.bot_status in ("kicked", "left"):
            raise forbidden(
                f"bot was kicked from the {state.type} chat"
                if state.bot_status == "kicked"
                else f"bot is not a member of the {state.type} chat"
            )
        message_id = params.get("message_id")
        if message_id is None:
            raise bad("message identifier is not specified")
        stored = state.messages.get(as_int(message_id, "message identifier"))
        if stored is None or stored.deleted:
            raise bad(f"message to {action} not found")
        return stored

    def _apply_edit(
        self,
        stored: StoredMessage,
        changes: dict[str, Any],
        removed: Iterable[str],
        markup: dict[str, Any] | None,
        inline: dict[str, Any] | None,
    ) -> dict[str, Any]:
        data = {k: v for k, v in stored.data.items() if k not in removed}
        data.update(changes)
        data.pop("reply_markup", None)
        if inline is not None:
            data["reply_markup"] = inline
        data["edit_date"] = int(time.time())
        validated = dump(tg.Message.model_validate(data))
        stored.history.append(stored.data)
        stored.data = validated
        stored.reply_markup = markup
        stored.edits += 1
        self._emit("edited", stored)
        return validated

    def _edit_message_text(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        stored = self._message_target(params, action="edit")
        if not stored.from_bot:
            raise bad("message can't be edited")
        if stored.content_type != "text":
            raise bad("there is no text in the message to edit")
        raw = params.get("text")
        text, entities = format_text(
            raw,
            params.get("parse_mode"),
            params.get("entities"),
            users=self._user_dict,
            limit=MAX_TEXT,
            too_long="message is too long",
            empty="text must be non-empty",
        )
        markup, inline = check_markup(params.get("reply_markup"), inline_only=True)
        if (
            text == stored.data.get("text")
            and entities == stored.data.get("entities", [])
            and inline == stored.data.get("reply_markup")
        ):
            raise bad(NOT_MODIFIED)
        changes: dict[str, Any] = {"text": text}
        if entities:
            changes["entities"] = entities
        data = self._apply_edit(stored, changes, ("entities",), markup, inline)
        stored.text, stored.raw_text, stored.entities = text, raw, entities
        stored.parse_mode = params.get("parse_mode")
        return data

    def _edit_message_caption(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        stored = self._message_target(params, action="edit")
        if not stored.from_bot:
            raise bad("message can't be edited")
        if stored.content_type in ("text", "location", "sticker", "video_note", "contact"):
            raise bad("there is no caption in the message to edit")
        fields, caption, entities = caption_fields(params, self._user_dict)
        markup, inline = check_markup(params.get("reply_markup"), inline_only=True)
        if (
            fields.get("caption") == stored.data.get("caption")
            and entities == stored.data.get("caption_entities", [])
            and inline == stored.data.get("reply_markup")
        ):
            raise bad(NOT_MODIFIED)
        data = self._apply_edit(stored, fields, ("caption", "caption_entities"), markup, inline)
        stored.text, stored.raw_text, stored.entities = caption, params.get("caption"), entities
        stored.parse_mode = params.get("parse_mode")
        return data

    def _edit_message_reply_markup(
        self, params: dict[str, Any], files: dict[str, UploadedFile]
    ) -> Json:
        stored = self._message_target(params, action="edit")
        if not stored.from_bot:
            raise bad("message can't be edited")
        markup, inline = check_markup(params.get("reply_markup"), inline_only=True)
        if inline == stored.data.get("reply_markup"):
            raise bad(NOT_MODIFIED)
        return self._apply_edit(stored, {}, (), markup, inline)

    def _delete_one(self, state: ChatState, message_id: int) -> None:
        stored = state.messages.get(message_id)
        if stored is None or stored.deleted:
            raise bad("message to delete not found")
        if (
            not stored.from_bot
            and not state.private
            and state.bot_status not in ("administrator", "creator")
        ):
            raise bad("message can't be deleted")
        stored.deleted = True
        self._emit("deleted", stored)

    def _delete_message(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        state = self._chat(params.get("chat_id"))
        message_id = params.get("message_id")
        if message_id is None:
            raise bad("message identifier is not specified")
        self._delete_one(state, as_int(message_id, "message identifier"))
        return True

    def _delete_messages(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        state = self._chat(params.get("chat_id"))
        ids = params.get("message_ids") or []
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise bad("message identifiers are not specified")
        for message_id in ids:
            with contextlib.suppress(ApiError):
                self._delete_one(state, as_int(message_id, "message identifier"))
        return True
