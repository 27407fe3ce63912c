"""Sending messages: sendMessage, sendLocation, copyMessage, forwardMessage, sendChatAction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiogram import types as tg

from linli.emulator.errors import bad
from linli.emulator.formatting import MAX_TEXT, caption_fields, format_text
from linli.emulator.markup import check_markup
from linli.emulator.params import as_int
from linli.emulator.records import StoredMessage, UploadedFile
from linli.emulator.shapes import dump
from linli.emulator.state import EmulatorState, Json

_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
CONTENT_KEYS = (
    "text",
    "entities",
    "photo",
    "document",
    "voice",
    "audio",
    "video",
    "animation",
    "sticker",
    "video_note",
    "location",
    "contact",
    "caption",
    "caption_entities",
)
"""The fields a copy or a forward takes over from the original message."""


class SendingMethods(EmulatorState):
    """Text, location, copies and forwards; chat actions."""

    def _send_message(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        state = self._writable_chat(params.get("chat_id"))
        raw = params.get("text")
        text, entities = format_text(
            raw,
            params.get("parse_mode"),
            params.get("entities"),
            users=self._user_dict,
            limit=MAX_TEXT,
            too_long="message is too long",
            empty="message text is empty",
        )
        markup, inline = check_markup(params.get("reply_markup"))
        reply_to = self._reply_target(state, params)
        fields: dict[str, Any] = {"text": text}
        if entities:
            fields["entities"] = entities
        preview = params.get("link_preview_options")
        if isinstance(preview, dict):
            fields["link_preview_options"] = preview
        stored = self._store_bot_message(
            state,
            "sendMessage",
            params,
            fields,
            content_type="text",
            markup=markup,
            inline=inline,
            text=text,
            raw_text=raw,
            entities=entities,
            reply_to=reply_to,
        )
        return stored.data

    def _send_location(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        state = self._writable_chat(params.get("chat_id"))
        try:
            lat = float(params["latitude"])
            lon = float(params["longitude"])
        except (KeyError, TypeError, ValueError):
            raise bad("wrong latitude/longitude specified") from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise bad("wrong latitude/longitude specified")
        markup, inline = check_markup(params.get("reply_markup"))
        reply_to = self._reply_target(state, params)
        location = tg.Location(latitude=lat, longitude=lon)
        stored = self._store_bot_message(
            state,
            "sendLocation",
            params,
            {"location": location},
            content_type="location",
            markup=markup,
            inline=inline,
            reply_to=reply_to,
        )
        return stored.data

    def _source_message(self, params: Mapping[str, Any], action: str) -> StoredMessage:
        source_chat = self._chat(params.get("from_chat_id"))
        message_id = params.get("message_id")
        if message_id is None:
            raise bad("message identifier is not specified")
        source = source_chat.messages.get(as_int(message_id, "message identifier"))
        if source is None or source.deleted:
            raise bad(f"message to {action} not found")
        return source

    def _copy_message(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        source = self._source_message(params, "copy")
        state = self._writable_chat(params.get("chat_id"))
        fields = {k: source.data[k] for k in CONTENT_KEYS if k in source.data}
        text = source.text
        entities = source.entities
        if "caption" in params and source.content_type != "text":
            fields.pop("caption", None)
            fields.pop("caption_entities", None)
            cap_fields, text, entities = caption_fields(params, self._user_dict)
            fields.update(cap_fields)
        markup, inline = check_markup(params.get("reply_markup"))
        reply_to = self._reply_target(state, params)
        stored = self._store_bot_message(
            state,
            "copyMessage",
            params,
            fields,
            content_type=source.content_type,
            markup=markup,
            inline=inline,
            text=text,
            raw_text=text,
            entities=entities,
            reply_to=reply_to,
        )
        return dump(tg.MessageId(message_id=stored.message_id))

    def _forward_message(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        source = self._source_message(params, "forward")
        state = self._writable_chat(params.get("chat_id"))
        fields: dict[str, Any] = {k: source.data[k] for k in CONTENT_KEYS if k in source.data}
        sender = source.data.get("from")
        if sender is not None:
            fields["forward_origin"] = tg.MessageOriginUser(
                date=source.date, sender_user=tg.User.model_validate(sender)
            )
        else:
            fields["forward_origin"] = tg.MessageOriginChat(
                date=source.date, sender_chat=tg.Chat.model_validate(source.data["chat"])
            )
        stored = self._store_bot_message(
            state,
            "forwardMessage",
            params,
            fields,
            content_type=source.content_type,
            markup=None,
            inline=None,
            text=source.text,
            raw_text=source.text,
            entities=source.entities,
        )
        return stored.data

    def _send_chat_action(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        state = self._writable_chat(params.get("chat_id"))
        action = params.get("action")
        if action not in _CHAT_ACTIONS:
            raise bad("wrong parameter action in request")
        self.chat_actions.append((state.id, str(action)))
        return True
