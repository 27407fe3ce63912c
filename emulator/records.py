"""What the emulator records: API calls, uploaded and stored files, messages in chats."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from linli.emulator.errors import ButtonNotFoundError

BOT_ID = 1000
"""User id of the emulated bot."""


@dataclass
class UploadedFile:
    """A file part of a multipart request."""

    name: str
    filename: str | None
    content_type: str | None
    data: bytes


@dataclass
class Request:
    """One API call seen by the emulator."""

    method: str
    """Canonical method name, e.g. ``"sendMessage"`` (whatever case the bot used)."""
    params: dict[str, Any]
    at: float
    """``time.monotonic()`` when the request arrived."""
    raw_method: str = ""
    files: dict[str, UploadedFile] = field(default_factory=dict)
    response: dict[str, Any] | None = None
    status: int = 0
    finished_at: float | None = None
    abandoned: bool = False
    """The client had closed the connection before the answer was ready."""

    @property
    def ok(self) -> bool:
        """True when the call succeeded."""
        return bool(self.response and self.response.get("ok"))

    @property
    def done(self) -> bool:
        """True once the response was produced."""
        return self.response is not None

    @property
    def result(self) -> Any:
        """The ``result`` of a successful call (``None`` otherwise)."""
        return self.response.get("result") if self.response else None

    @property
    def description(self) -> str | None:
        """Error description, if the call failed."""
        return self.response.get("description") if self.response else None


@dataclass(eq=False)
class StoredFile:
    """A file known to the emulator (uploaded by the bot, pushed by a user or registered)."""

    file_id: str
    file_unique_id: str
    kind: str
    data: bytes
    file_path: str
    file_name: str | None = None
    mime_type: str | None = None
    width: int = 0
    height: int = 0
    duration: int = 0
    sizes: list[StoredFile] | None = None
    """For photos: every PhotoSize of the photo, smallest first (this one included)."""

    @property
    def file_size(self) -> int:
        """Size in bytes."""
        return len(self.data)


def _button_value(button: Mapping[str, Any]) -> str | None:
    for key in (
        "callback_data",
        "url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "pay",
        "copy_text",
        "web_app",
        "login_url",
        "callback_game",
        "switch_inline_query_chosen_chat",
    ):
        if key not in button or button[key] is None:
            continue
        value = button[key]
        if isinstance(value, Mapping):
            inner = value.get("url") or value.get("text")
            return str(inner) if inner is not None else json.dumps(value, sort_keys=True)
        return str(value)
    return None


@dataclass(eq=False)
class StoredMessage:
    """A message in an emulated chat; bot messages are updated in place on edit/delete."""

    chat_id: int
    message_id: int
    data: dict[str, Any]
    """The message as Telegram would return it now (Bot API JSON)."""
    from_bot: bool = True
    method: str = ""
    """API method that created it (``"sendMessage"``...) or ``"push"`` for user messages."""
    text: str | None = None
    """Text or caption as Telegram shows it (markup parsed away)."""
    raw_text: str | None = None
    """Text or caption exactly as the bot sent it (e.g. with HTML tags)."""
    entities: list[dict[str, Any]] = field(default_factory=list)
    parse_mode: str | None = None
    reply_markup: dict[str, Any] | None = None
    """Reply markup as given by the bot (inline or reply keyboard, remove, force_reply)."""
    content_type: str = "text"
    photo: bool = False
    document: bool = False
    voice: bool = False
    edits: int = 0
    deleted: bool = False
    sender_id: int = BOT_ID
    params: dict[str, Any] = field(default_factory=dict)
    history: list[dict[str, Any]] = field(default_factory=list)
    """Earlier versions of :attr:`data`, oldest first."""

    @property
    def caption(self) -> str | None:
        """Caption of a media message."""
        return self.data.get("caption")

    @property
    def date(self) -> int:
        """Unix time the message was sent."""
        return int(self.data.get("date", 0))

    @property
    def file_id(self) -> str | None:
        """file_id of the message's media (largest photo size for photos)."""
        for key in ("document", "voice", "audio", "video", "animation", "sticker", "video_note"):
            if key in self.data:
                return str(self.data[key]["file_id"])
        if self.data.get("photo"):
            return str(self.data["photo"][-1]["file_id"])
        return None

    @property
    def media_group_id(self) -> str | None:
        """Album id for sendMediaGroup messages."""
        return self.data.get("media_group_id")

    @property
    def reply_to_message_id(self) -> int | None:
        """Id of the message this one replies to."""
        reply = self.data.get("reply_to_message")
        return int(reply["message_id"]) if reply else None

    @property
    def keyboard_kind(self) -> str | None:
        """``"inline"``, ``"reply"``, ``"remove"``, ``"force_reply"`` or None."""
        markup = self.reply_markup
        if not markup:
            return None
        if "inline_keyboard" in markup:
            return "inline"
        if "keyboard" in markup:
            return "reply"
        if markup.get("remove_keyboard"):
            return "remove"
        if markup.get("force_reply"):
            return "force_reply"
        return None

    @property
    def buttons(self) -> list[list[tuple[str, str | None]]]:
        """Keyboard rows as ``(text, value)``.

        ``value`` is the callback_data (or url / other action) of an inline button, and the
        text itself for a reply-keyboard button (that is what pressing it sends).
        """
        markup = self.reply_markup or {}
        rows: list[list[tuple[str, str | None]]] = []
        if "inline_keyboard" in markup:
            for row in markup["inline_keyboard"]:
                rows.append([(str(b.get("text", "")), _button_value(b)) for b in row])
        elif "keyboard" in markup:
            for row in markup["keyboard"]:
                out: list[tuple[str, str | None]] = []
                for b in row:
                    label = b if isinstance(b, str) else str(b.get("text", ""))
                    out.append((label, label))
                rows.append(out)
        return rows

    def button(self, text: str) -> str:
        """The value (callback_data, url, ...) of the button whose text is ``text``.

        An exact match wins; otherwise the first button containing ``text``.
        Raises :class:`ButtonNotFoundError` listing the buttons there are.
        """
        flat = [b for row in self.buttons for b in row]
        for label, value in flat:
            if label == text and value is not None:
                return value
        for label, value in flat:
            if text in label and value is not None:
                return value
        raise ButtonNotFoundError(
            f"no button matching {text!r} on message {self.message_id} in chat {self.chat_id}; "
            f"buttons: {[label for label, _ in flat]!r}"
        )

    def has_button(self, text: str) -> bool:
        """True if some button's text contains ``text``."""
        return any(text in label for row in self.buttons for label, _ in row)

    def __repr__(self) -> str:
        flags = " deleted" if self.deleted else ""
        flags += f" edits={self.edits}" if self.edits else ""
        who = "bot" if self.from_bot else f"user {self.sender_id}"
        return (
            f"<StoredMessage chat={self.chat_id} id={self.message_id} {who} "
            f"{self.content_type} text={short(self.text)!r}{flags}>"
        )


def short(text: str | None, limit: int = 60) -> str | None:
    """``text`` cut to ``limit`` characters (with an ellipsis), for error messages."""
    if text is None or len(text) <= limit:
        return text
    return text[: limit - 1] + "…"
