"""Users acting: messages (text, photos, voice, documents, locations, contacts), edits, and
membership changes, queued as updates for the bot."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from aiogram import types as tg

from linli.emulator.formatting import command_entities
from linli.emulator.queue import UpdateQueue
from linli.emulator.records import StoredMessage
from linli.emulator.shapes import dump
from linli.emulator.state import reply_snapshot
from linli.emulator.storage import TINY_PNG, media_fields


class PushingUpdates(UpdateQueue):
    """``push_*``: what users do, as the updates Telegram would send the bot."""

    def push_update(self, raw: Mapping[str, Any] | tg.Update) -> tg.Update:
        """Queue any update; ``update_id`` is (re)assigned. Returns the queued Update."""
        payload = dump(raw) if isinstance(raw, tg.Update) else dict(raw)
        payload["update_id"] = self._next_update_id
        update = tg.Update.model_validate(payload)
        return self._enqueue(update)

    def push_message(
        self,
        chat_id: int,
        user_id: int,
        text: str | None = None,
        *,
        photo: bytes | bool | None = None,
        caption: str | None = None,
        voice: bytes | bool | None = None,
        document: bytes | tuple[str, bytes] | bool | None = None,
        location: tuple[float, float] | None = None,
        sticker: bool = False,
        reply_to_message_id: int | None = None,
        entities: list[dict[str, Any]] | None = None,
        contact: tuple[str, str] | None = None,
        **extra: Any,
    ) -> tg.Update:
        """Queue a message from ``user_id`` in ``chat_id`` (private chat when equal).

        bot_command/mention entities are added for text and caption. Media is stored so
        getFile and downloads work. ``document`` may be bytes or ``(file_name, bytes)``.
        Unknown users are registered; an unknown group is created with the user as member.
        """
        user = self._ensure_user(user_id)
        state = self._chats.get(chat_id)
        if state is None:
            if chat_id == user_id:
                state = self._chats[user_id]
            else:
                self.add_group(chat_id, members=[user_id])
                state = self._chats[chat_id]
        elif not state.private and user_id not in state.statuses:
            state.statuses[user_id] = "member"
        if state.private:
            state.started = True
        fields: dict[str, Any] = {}
        kind = "text"
        has_media = any(
            x is not None and x is not False for x in (photo, voice, document, location, contact)
        )
        if has_media and text is not None and caption is None and not (location or contact):
            text, caption = None, text  # media messages carry a caption, not text
        if text is not None:
            fields["text"] = text
            ents = entities if entities is not None else command_entities(text)
            if ents:
                fields["entities"] = ents
        if photo is not None and photo is not False:
            data = photo if isinstance(photo, bytes) else TINY_PNG
            fields.update(media_fields("photo", self._storage.new_photo(data), {}))
            kind = "photo"
        if voice is not None and voice is not False:
            data = voice if isinstance(voice, bytes) else b"OggS" + bytes(60)
            rec = self._storage.new_file("voice", data, duration=2)
            fields.update(media_fields("voice", rec, {}))
            kind = "voice"
        if document is not None and document is not False:
            if isinstance(document, tuple):
                name, data = document
            else:
                name = "file.txt"
                data = document if isinstance(document, bytes) else b"hello\n"
            rec = self._storage.new_file("document", data, file_name=name)
            fields.update(media_fields("document", rec, {}))
            kind = "document"
        if sticker:
            rec = self._storage.new_file("sticker", b"RIFF\x00\x00\x00\x00WEBP")
            fields.update(media_fields("sticker", rec, {}))
            kind = "sticker"
        if location is not None:
            fields["location"] = tg.Location(latitude=location[0], longitude=location[1])
            kind = "location"
        if contact is not None:
            fields["contact"] = tg.Contact(
                phone_number=contact[0], first_name=contact[1], user_id=user_id
            )
            kind = "contact"
        if caption is not None:
            fields["caption"] = caption
            cap_entities = command_entities(caption)
            if cap_entities:
                fields["caption_entities"] = cap_entities
        if not fields:
            raise ValueError("push_message needs text or some media")
        if reply_to_message_id is not None:
            target = state.messages.get(reply_to_message_id)
            if target is None:
                raise KeyError(f"no message {reply_to_message_id} in chat {chat_id}")
            fields["reply_to_message"] = reply_snapshot(target)
        fields.update(extra)
        message = tg.Message(
            message_id=state.next_id(),
            date=int(time.time()),
            chat=state.chat,
            from_user=user,
            **fields,
        )
        data = dump(message)
        stored = StoredMessage(
            chat_id=chat_id,
            message_id=message.message_id,
            data=data,
            from_bot=False,
            method="push",
            text=data.get("text", data.get("caption")),
            raw_text=text if text is not None else caption,
            entities=list(data.get("entities", data.get("caption_entities", []))),
            content_type=kind,
            photo=kind == "photo",
            document=kind == "document",
            voice=kind == "voice",
            sender_id=user_id,
        )
        state.messages[stored.message_id] = stored
        state.all_messages.append(stored)
        self._emit("incoming", stored)
        return self._enqueue(tg.Update(update_id=self._next_update_id, message=message))

    def push_edited_message(self, chat_id: int, message_id: int, text: str) -> tg.Update:
        """Queue an ``edited_message`` update for a user's text message."""
        state = self._chats[chat_id]
        stored = state.messages[message_id]
        if stored.from_bot:
            raise ValueError("users can only edit their own messages")
        stored.history.append(stored.data)
        data = {**stored.data, "text": text, "edit_date": int(time.time())}
        data.pop("entities", None)
        ents = command_entities(text)
        if ents:
            data["entities"] = ents
        stored.data, stored.text, stored.raw_text = data, text, text
        stored.edits += 1
        return self._enqueue(
            tg.Update(update_id=self._next_update_id, edited_message=tg.Message(**data))
        )

    def push_my_chat_member(
        self, chat_id: int, by_user_id: int, new_status: str, old_status: str = "member"
    ) -> tg.Update:
        """Queue a my_chat_member update (bot added to / removed from a chat, or blocked).

        In a private chat (``chat_id == by_user_id``) "kicked" means the user blocked the bot.
        The emulator's state follows the new status.
        """
        user = self._ensure_user(by_user_id)
        if chat_id == by_user_id:
            state = self._chats[chat_id]
            state.blocked = new_status == "kicked"
            if new_status == "member":
                state.started = True
        else:
            state = self._chats.get(chat_id)  # type: ignore[assignment]
            if state is None:
                self.add_group(chat_id, members=[by_user_id])
                state = self._chats[chat_id]
            state.bot_status = new_status
        update = tg.Update(
            update_id=self._next_update_id,
            my_chat_member=tg.ChatMemberUpdated(
                chat=state.chat,
                from_user=user,
                date=int(time.time()),
                old_chat_member=self._member_object(self.bot_user, old_status),
                new_chat_member=self._member_object(self.bot_user, new_status),
            ),
        )
        return self._enqueue(update)

    def push_chat_member(
        self,
        chat_id: int,
        user_id: int,
        new_status: str,
        old_status: str = "left",
        *,
        by_user_id: int | None = None,
    ) -> tg.Update:
        """Queue a chat_member update for a user joining/leaving/promoted in a group."""
        state = self._chats[chat_id]
        user = self._ensure_user(user_id)
        actor = self._ensure_user(by_user_id if by_user_id is not None else user_id)
        self._set_status(state, user_id, new_status)
        update = tg.Update(
            update_id=self._next_update_id,
            chat_member=tg.ChatMemberUpdated(
                chat=state.chat,
                from_user=actor,
                date=int(time.time()),
                old_chat_member=self._member_object(user, old_status),
                new_chat_member=self._member_object(user, new_status),
            ),
        )
        return self._enqueue(update)
