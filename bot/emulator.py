"""In-process Telegram Bot API emulator for end-to-end tests and the terminal demo.

An aiohttp server on 127.0.0.1 that answers ``{base}/bot{token}/{method}`` the way
api.telegram.org does: the same JSON envelopes, error codes and descriptions, long-polling
``getUpdates``, multipart uploads and ``{base}/file/bot{token}/{path}`` downloads. Replies are
built from aiogram's own types so their shapes follow aiogram upgrades.

Typical use::

    async with BotAPIEmulator() as emu:
        emu.add_user(42, "Ann")
        bot = Bot("123456:TEST", session=AiohttpSession(
            api=TelegramAPIServer.from_base(emu.base_url)))
        ...
        emu.push_message(42, 42, "/start")
        reply = await emu.wait_for_message(42)

Standalone: ``python -m bot.emulator --port 8081`` (control endpoints under ``/_emulator/``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import functools
import json
import logging
import mimetypes
import re
import secrets
import struct
import time
import types as pytypes
import typing
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar
from urllib.parse import parse_qs, urlsplit, urlunsplit

import aiohttp
from aiogram import methods as tg_methods
from aiogram import types as tg
from aiogram.client.default import Default
from aiohttp import web
from pydantic import BaseModel, ValidationError

__all__ = [
    "BOT_ID",
    "ApiError",
    "BotAPIEmulator",
    "ButtonNotFoundError",
    "FormatError",
    "Request",
    "StoredFile",
    "StoredMessage",
    "UploadedFile",
    "parse_html",
    "parse_markdown",
    "parse_markdown_v2",
]

log = logging.getLogger(__name__)

BOT_ID = 1000
"""User id of the emulated bot."""

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_BOT_UPLOAD = 50 * 1024 * 1024
MAX_UPLOAD = MAX_BOT_UPLOAD + 10 * 1024 * 1024

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"
WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
POLL_CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    413: "Request Entity Too Large",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}
# Update types a bot gets when allowed_updates is empty or was never set.
_NOT_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_UPDATE_TYPES: tuple[str, ...] = tuple(k for k in tg.Update.model_fields if k != "update_id")
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
_INT_PARAMS = frozenset(
    {"chat_id", "from_chat_id", "user_id", "message_id", "offset", "limit", "timeout"}
)
_INT_RE = re.compile(r"-?\d+")
_TOKEN_RE = re.compile(r"\d+:[A-Za-z0-9_-]+")
_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")

_T = TypeVar("_T")
Json = Any


# --------------------------------------------------------------------------------------------
# Errors and small records
# --------------------------------------------------------------------------------------------


class ApiError(Exception):
    """An error reply of the Bot API: ``{"ok": false, "error_code": ..., ...}``."""

    def __init__(
        self, status: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def body(self) -> dict[str, Any]:
        """The JSON body Telegram would send."""
        out: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.parameters:
            out["parameters"] = dict(self.parameters)
        return out


def _bad(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


def _forbidden(description: str) -> ApiError:
    return ApiError(403, f"Forbidden: {description}")


def _too_many(retry_after: int) -> ApiError:
    return ApiError(
        429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
    )


class FormatError(ValueError):
    """Text could not be parsed with the given parse_mode (Telegram's wording)."""


class ButtonNotFoundError(LookupError):
    """No button on a message matches the requested text."""


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
            f"{self.content_type} text={_short(self.text)!r}{flags}>"
        )


def _short(text: str | None, limit: int = 60) -> str | None:
    if text is None or len(text) <= limit:
        return text
    return text[: limit - 1] + "…"


# --------------------------------------------------------------------------------------------
# Text formatting: HTML, MarkdownV2 and legacy Markdown, as Telegram (tdlib) parses them
# --------------------------------------------------------------------------------------------

_SPACES = frozenset(b" \t\r\n\v\f\x00")
_HTML_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "s",
        "strike",
        "del",
        "u",
        "ins",
        "tg-spoiler",
        "tg-emoji",
        "tg-time",
        "span",
        "pre",
        "code",
        "blockquote",
    }
)
_HTML_SIMPLE = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "u": "underline",
    "ins": "underline",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}
_ENTITY_PRIORITY = {
    "blockquote": 0,
    "expandable_blockquote": 0,
    "pre": 11,
    "code": 20,
    "text_link": 49,
    "text_mention": 49,
    "bold": 90,
    "italic": 91,
    "underline": 92,
    "strikethrough": 93,
    "spoiler": 94,
    "custom_emoji": 99,
}


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (Telegram's entity unit)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _u16(byte: int) -> int:
    """UTF-16 units contributed by a UTF-8 byte (0 for continuation bytes)."""
    if byte & 0xC0 == 0x80:
        return 0
    return 2 if byte >= 0xF0 else 1


def _sort_entities(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(
        entities,
        key=lambda e: (e["offset"], -e["length"], _ENTITY_PRIORITY.get(e["type"], 50)),
    )


def _checked_link(url: str) -> str:
    """Roughly tdlib's LinkManager::get_checked_link: '' if unusable, else normalized."""
    url = url.strip()
    if not url or any(ch.isspace() for ch in url):
        return ""
    if "://" not in url and not url.lower().startswith(("tg:", "mailto:")):
        url = "http://" + url
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in {"http", "https", "ftp", "ton"}:
        if not parts.netloc:
            return ""
        path = parts.path or "/"
        return urlunsplit((scheme, parts.netloc, path, parts.query, parts.fragment))
    if scheme in {"tg", "mailto"}:
        return url
    return ""


def _link_user_id(url: str) -> int | None:
    parts = urlsplit(url)
    if parts.scheme.lower() != "tg" or parts.netloc.lower() != "user":
        return None
    raw = parse_qs(parts.query).get("id", [""])[0]
    return int(raw) if raw.isdigit() and int(raw) > 0 else None


def _link_entity(
    offset: int, length: int, url: str, users: Callable[[int], dict[str, Any]] | None
) -> dict[str, Any] | None:
    user_id = _link_user_id(url)
    if user_id is not None:
        user = users(user_id) if users else {"id": user_id, "is_bot": False, "first_name": ""}
        return {"type": "text_mention", "offset": offset, "length": length, "user": user}
    checked = _checked_link(url)
    if not checked:
        return None
    return {"type": "text_link", "offset": offset, "length": length, "url": checked}


def _decode_html_entity(b: bytes, pos: int) -> tuple[int, int]:
    """Decode an HTML character reference at ``b[pos] == '&'`` -> (code point or 0, end)."""
    n = len(b)
    end = pos + 1
    code = 0
    if end < n and b[end] == 0x23:  # '#'
        end += 1
        if end < n and b[end] == 0x78:  # 'x'
            end += 1
            start = end
            while end < n and chr(b[end]) in "0123456789abcdefABCDEF":
                end += 1
            code = int(b[start:end], 16) if end > start else 0
        else:
            start = end
            while end < n and 0x30 <= b[end] <= 0x39:
                end += 1
            code = int(b[start:end]) if end > start else 0
        if code == 0 or code >= 0x10FFFF or end - pos >= 10:
            return 0, pos
    else:
        start = end
        while end < n and chr(b[end]).isalpha() and b[end] < 0x80:
            end += 1
        code = {b"lt": 0x3C, b"gt": 0x3E, b"amp": 0x26, b"quot": 0x22}.get(b[start:end], 0)
        if not code:
            return 0, pos
    if end < n and b[end] == 0x3B:  # ';'
        end += 1
    return code, end


def parse_html(
    text: str, users: Callable[[int], dict[str, Any]] | None = None
) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram-flavoured HTML into ``(plain_text, entities)``.

    Raises :class:`FormatError` with tdlib's wording (``Unsupported start tag "p" at byte
    offset 0`` ...). ``users`` maps a user id to a User dict for ``tg://user?id=`` links.
    """
    b = text.encode("utf-8")
    n = len(b)

    def at(k: int) -> int:
        return b[k] if k < n else 0

    out = bytearray()
    entities: list[dict[str, Any]] = []
    # (tag, argument, utf16 offset, byte position in out)
    stack: list[tuple[str, dict[str, str], int, int]] = []
    u16 = 0
    i = 0
    while i < n:
        c = b[i]
        if c == 0x26:
            code, end = _decode_html_entity(b, i)
            if code:
                if 0xD800 <= code <= 0xDFFF:
                    raise FormatError(
                        "Text contains invalid Unicode characters after decoding HTML entities, "
                        "check for unmatched surrogate code units"
                    )
                out += chr(code).encode("utf-8")
                u16 += 2 if code > 0xFFFF else 1
                i = end
                continue
        if c != 0x3C:
            u16 += _u16(c)
            out.append(c)
            i += 1
            continue
        begin = i
        i += 1
        if at(i) != 0x2F:  # start tag
            while at(i) not in _SPACES and at(i) != 0x3E:
                i += 1
            if i >= n:
                raise FormatError(f"Unclosed start tag at byte offset {begin}")
            tag = b[begin + 1 : i].decode("utf-8", "replace").lower()
            if tag not in _HTML_TAGS:
                raise FormatError(f'Unsupported start tag "{tag}" at byte offset {begin}')
            attrs: dict[str, str] = {}
            while at(i) != 0x3E:
                while i < n and at(i) in _SPACES:
                    i += 1
                if at(i) == 0x3E:
                    break
                name_start = i
                while at(i) not in _SPACES and at(i) not in (0x3D, 0x3E):
                    i += 1
                name = b[name_start:i].decode("utf-8", "replace")
                if not name:
                    raise FormatError(
                        f'Empty attribute name in the tag "{tag}" at byte offset {begin}'
                    )
                while i < n and at(i) in _SPACES:
                    i += 1
                if at(i) != 0x3D:
                    if tag == "blockquote" and name.lower() == "expandable" and i < n:
                        attrs["expandable"] = ""
                        continue
                    raise FormatError(
                        "Expected equal sign in declaration of an attribute of the tag "
                        f'"{tag}" at byte offset {begin}'
                    )
                i += 1
                while i < n and at(i) in _SPACES:
                    i += 1
                if i >= n:
                    raise FormatError(f'Unclosed start tag "{tag}" at byte offset {begin}')
                quote = at(i)
                if quote not in (0x22, 0x27):
                    token_start = i
                    while i < n and ((chr(at(i)).isalnum() and at(i) < 0x80) or at(i) in b".-"):
                        i += 1
                    value = b[token_start:i].decode("ascii").lower()
                    if at(i) not in _SPACES and at(i) != 0x3E:
                        raise FormatError(
                            f"Unexpected end of name token at byte offset {token_start}"
                        )
                else:
                    i += 1
                    buf = bytearray()
                    while i < n and at(i) != quote:
                        if at(i) == 0x26:
                            code, end = _decode_html_entity(b, i)
                            if code:
                                buf += chr(code).encode("utf-8", "surrogatepass")
                                i = end
                                continue
                        buf.append(at(i))
                        i += 1
                    if at(i) == quote and i < n:
                        i += 1
                    value = buf.decode("utf-8", "replace")
                if i >= n:
                    raise FormatError(f"Unclosed start tag at byte offset {begin}")
                attrs[name] = value
            if tag == "span" and attrs.get("class") != "tg-spoiler":
                raise FormatError(f'Tag "span" must have class "tg-spoiler" at byte offset {begin}')
            stack.append((tag, attrs, u16, len(out)))
            i += 1  # '>'
            continue
        # end tag
        if not stack:
            raise FormatError(f"Unexpected end tag at byte offset {begin}")
        while at(i) not in _SPACES and at(i) != 0x3E:
            i += 1
        end_tag = b[begin + 2 : i].decode("utf-8", "replace").lower()
        while i < n and at(i) in _SPACES:
            i += 1
        if at(i) != 0x3E:
            raise FormatError(f"Unclosed end tag at byte offset {begin}")
        i += 1
        tag, attrs, start, out_pos = stack.pop()
        if end_tag and end_tag != tag:
            raise FormatError(
                f'Unmatched end tag at byte offset {begin}, expected "</{tag}>", '
                f'found "</{end_tag}>"'
            )
        length = u16 - start
        if length <= 0:
            continue
        if tag in _HTML_SIMPLE:
            entities.append({"type": _HTML_SIMPLE[tag], "offset": start, "length": length})
        elif tag == "tg-emoji":
            emoji_id = attrs.get("emoji-id", "")
            if not emoji_id.isdigit() or int(emoji_id) == 0:
                raise FormatError("Invalid custom emoji identifier specified")
            entities.append(
                {
                    "type": "custom_emoji",
                    "offset": start,
                    "length": length,
                    "custom_emoji_id": emoji_id,
                }
            )
        elif tag == "tg-time":
            unix = attrs.get("unix", "")
            if not unix.isdigit():
                raise FormatError("Invalid Unix time specified")
            ent: dict[str, Any] = {
                "type": "date_time",
                "offset": start,
                "length": length,
                "unix_time": int(unix),
            }
            if attrs.get("format"):
                ent["date_time_format"] = attrs["format"]
            entities.append(ent)
        elif tag == "a":
            url = attrs.get("href") or bytes(out[out_pos:]).decode("utf-8", "replace")
            link = _link_entity(start, length, url, users)
            if link:
                entities.append(link)
        elif tag == "pre":
            last = entities[-1] if entities else None
            if (
                last
                and last["type"] == "code"
                and (last["offset"], last["length"]) == (start, length)
                and last.get("language")
            ):
                last["type"] = "pre"
            else:
                entities.append({"type": "pre", "offset": start, "length": length})
        elif tag == "code":
            klass = attrs.get("class", "")
            language = klass[9:] if klass.startswith("language-") else ""
            last = entities[-1] if entities else None
            if (
                last
                and last["type"] == "pre"
                and (last["offset"], last["length"]) == (start, length)
                and language
            ):
                last["language"] = language
            else:
                code_ent: dict[str, Any] = {"type": "code", "offset": start, "length": length}
                if language:
                    code_ent["language"] = language
                entities.append(code_ent)
        elif tag == "blockquote":
            kind = "expandable_blockquote" if "expandable" in attrs else "blockquote"
            entities.append({"type": kind, "offset": start, "length": length})
    if stack:
        raise FormatError(f"Can't find end tag corresponding to start tag {stack[-1][0]}")
    for ent in entities:
        if ent["type"] == "code":
            ent.pop("language", None)
    return out.decode("utf-8", "replace"), _sort_entities(entities)


_MD2_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "code": "Code",
    "pre": "Pre",
    "pre_code": "PreCode",
    "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
    "blockquote": "BlockQuote",
}


def parse_markdown_v2(
    text: str, users: Callable[[int], dict[str, Any]] | None = None
) -> tuple[str, list[dict[str, Any]]]:
    """Parse MarkdownV2 into ``(plain_text, entities)``; raises :class:`FormatError`."""
    b = text.encode("utf-8")
    n = len(b)

    def at(k: int) -> int:
        return b[k] if 0 <= k < n else 0

    def reserved_error(ch: int) -> FormatError:
        return FormatError(
            f"Character '{chr(ch)}' is reserved and must be escaped with the preceding '\\'"
        )

    out = bytearray()
    entities: list[dict[str, Any]] = []
    # kind, argument, utf16 offset, byte offset in the source, byte position in out
    stack: list[list[Any]] = []
    u16 = 0
    quote_open = False
    i = 0
    while i < n:
        c = b[i]
        if c == 0x5C and 0 < at(i + 1) <= 126:
            out.append(b[i + 1])
            u16 += 1
            i += 2
            continue
        top = stack[-1][0] if stack else None
        reserved = b"`" if top in ("code", "pre", "pre_code") else b"_*[]()~`>#+-=|{}.!\n"
        if c not in reserved:
            u16 += _u16(c)
            out.append(c)
            i += 1
            continue
        is_end = False
        if top is not None:
            if quote_open and c == 0x0A and (i + 1 == n or at(i + 1) != 0x3E):
                is_end = True
            elif top == "bold":
                is_end = c == 0x2A
            elif top == "italic":
                is_end = c == 0x5F and at(i + 1) != 0x5F
            elif top == "code":
                is_end = c == 0x60
            elif top in ("pre", "pre_code"):
                is_end = c == 0x60 and at(i + 1) == 0x60 and at(i + 2) == 0x60
            elif top in ("text_link", "custom_emoji"):
                is_end = c == 0x5D
            elif top == "underline":
                is_end = c == 0x5F and at(i + 1) == 0x5F
            elif top == "strikethrough":
                is_end = c == 0x7E
            elif top == "spoiler":
                is_end = c == 0x7C and at(i + 1) == 0x7C
        if not is_end:
            kind: str | None
            argument = ""
            byte_offset = i
            if c == 0x5F:
                if at(i + 1) == 0x5F:
                    kind, i = "underline", i + 2
                else:
                    kind, i = "italic", i + 1
            elif c == 0x2A:
                kind, i = "bold", i + 1
            elif c == 0x7E:
                kind, i = "strikethrough", i + 1
            elif c == 0x7C:
                if at(i + 1) != 0x7C:
                    raise reserved_error(c)
                kind, i = "spoiler", i + 2
            elif c == 0x5B:
                kind, i = "text_link", i + 1
            elif c == 0x60:
                if at(i + 1) == 0x60 and at(i + 2) == 0x60:
                    i += 3
                    kind = "pre"
                    lang_end = i
                    while at(lang_end) not in _SPACES and at(lang_end) != 0x60:
                        lang_end += 1
                    if i != lang_end and lang_end < n and at(lang_end) != 0x60:
                        kind = "pre_code"
                        argument = b[i:lang_end].decode("utf-8", "replace")
                        i = lang_end
                    if at(i) in (0x0A, 0x0D):
                        if at(i + 1) in (0x0A, 0x0D) and at(i) != at(i + 1):
                            i += 2
                        else:
                            i += 1
                else:
                    kind, i = "code", i + 1
            elif c == 0x21:
                if at(i + 1) != 0x5B:
                    raise reserved_error(c)
                kind, i = "custom_emoji", i + 2
            elif c == 0x0A:
                out.append(0x0A)
                u16 += 1
                kind = None
                i += 1
                if at(i) == 0x3E:
                    i += 1
                    if not quote_open:
                        kind = "blockquote"
                        quote_open = True
            elif c == 0x3E and i == 0:
                kind, i = "blockquote", i + 1
                quote_open = True
            else:
                raise reserved_error(c)
            if kind is not None:
                stack.append([kind, argument, u16, byte_offset, len(out)])
            continue
        # end of an entity
        kind, argument, start, byte_offset, out_pos = stack[-1]
        if c == 0x0A and kind != "blockquote":
            raise FormatError(
                f"Can't find end of {_MD2_NAMES[kind]} entity at byte offset {byte_offset}"
            )
        skip = u16 == start
        entity: dict[str, Any] | None = None
        length = u16 - start
        if kind in ("bold", "italic", "code", "strikethrough"):
            i += 1
            entity = {"type": kind}
        elif kind in ("underline", "spoiler"):
            i += 2
            entity = {"type": kind}
        elif kind in ("pre", "pre_code"):
            i += 3
            entity = {"type": "pre"}
            if argument:
                entity["language"] = argument
        elif kind in ("text_link", "custom_emoji"):
            if kind == "text_link" and at(i + 1) != 0x28:
                url = bytes(out[out_pos:]).decode("utf-8", "replace")
                i += 1
            else:
                if at(i + 1) != 0x28:
                    raise FormatError("Custom emoji entity must contain a tg://emoji URL")
                i += 2
                url_begin = i
                url_bytes = bytearray()
                while i < n and b[i] != 0x29:
                    if b[i] == 0x5C and 0 < at(i + 1) <= 126:
                        url_bytes.append(b[i + 1])
                        i += 2
                        continue
                    url_bytes.append(b[i])
                    i += 1
                if at(i) != 0x29:
                    what = "a URL" if kind == "text_link" else "a custom emoji URL"
                    raise FormatError(f"Can't find end of {what} at byte offset {url_begin}")
                i += 1
                url = url_bytes.decode("utf-8", "replace")
            if kind == "custom_emoji":
                parts = urlsplit(url)
                emoji_id = parse_qs(parts.query).get("id", [""])[0]
                if parts.scheme != "tg" or parts.netloc != "emoji" or not emoji_id.isdigit():
                    raise FormatError("Custom emoji URL must have an emoji identifier")
                entity = {"type": "custom_emoji", "custom_emoji_id": emoji_id}
            else:
                link = _link_entity(start, length, url, users)
                if link is None:
                    skip = True
                else:
                    entity = link
        elif kind == "blockquote":
            quote_open = False
            out.append(0x0A)
            u16 += 1
            i += 1
            entity = {"type": "blockquote"}
        if not skip and entity is not None:
            entity.update(offset=start, length=u16 - start)
            entities.append(entity)
        stack.pop()
    if quote_open and stack and stack[-1][0] == "blockquote":
        start = stack[-1][2]
        if u16 > start:
            entities.append({"type": "blockquote", "offset": start, "length": u16 - start})
        stack.pop()
    if stack:
        kind, _, _, byte_offset, _ = stack[-1]
        raise FormatError(
            f"Can't find end of {_MD2_NAMES[kind]} entity at byte offset {byte_offset}"
        )
    return out.decode("utf-8", "replace"), _sort_entities(entities)


def parse_markdown(
    text: str, users: Callable[[int], dict[str, Any]] | None = None
) -> tuple[str, list[dict[str, Any]]]:
    """Parse legacy Markdown (``*bold* _italic_ `code` ```pre``` [text](url)``)."""
    b = text.encode("utf-8")
    n = len(b)
    out = bytearray()
    entities: list[dict[str, Any]] = []
    u16 = 0
    i = 0
    kinds = {0x2A: "bold", 0x5F: "italic", 0x60: "code", 0x5B: "text_link"}
    while i < n:
        c = b[i]
        if c == 0x5C and i + 1 < n and b[i + 1] in kinds:
            out.append(b[i + 1])
            u16 += 1
            i += 2
            continue
        if c not in kinds:
            u16 += _u16(c)
            out.append(c)
            i += 1
            continue
        begin = i
        end_char = 0x5D if c == 0x5B else c
        is_pre = c == 0x60 and b[i + 1 : i + 3] == b"``"
        language = ""
        i += 3 if is_pre else 1
        if is_pre:
            lang_end = i
            while lang_end < n and b[lang_end] not in _SPACES and b[lang_end] != 0x60:
                lang_end += 1
            if lang_end < n and b[lang_end] == 0x0A:
                language = b[i:lang_end].decode("utf-8", "replace")
                i = lang_end + 1
        start = u16
        while i < n and not (b[i] == end_char and (not is_pre or b[i : i + 3] == b"```")):
            u16 += _u16(b[i])
            out.append(b[i])
            i += 1
        if i >= n:
            raise FormatError(f"Can't find end of the entity starting at byte offset {begin}")
        i += 3 if is_pre else 1
        length = u16 - start
        if c == 0x5B:
            url = ""
            if i < n and b[i] == 0x28:
                close = b.find(b")", i)
                if close < 0:
                    raise FormatError(
                        f"Can't find end of the entity starting at byte offset {begin}"
                    )
                url = b[i + 1 : close].decode("utf-8", "replace")
                i = close + 1
            link = _link_entity(start, length, url, users) if url and length else None
            if link:
                entities.append(link)
            continue
        if length:
            ent: dict[str, Any] = {
                "type": "pre" if is_pre else kinds[c],
                "offset": start,
                "length": length,
            }
            if language:
                ent["language"] = language
            entities.append(ent)
    return out.decode("utf-8", "replace"), _sort_entities(entities)


def _parse_formatted(
    text: str, parse_mode: str | None, users: Callable[[int], dict[str, Any]] | None = None
) -> tuple[str, list[dict[str, Any]]]:
    mode = (parse_mode or "").strip().lower()
    if not mode:
        return text, []
    try:
        if mode == "html":
            return parse_html(text, users)
        if mode == "markdownv2":
            return parse_markdown_v2(text, users)
        if mode == "markdown":
            return parse_markdown(text, users)
    except FormatError as exc:
        raise _bad(f"can't parse entities: {exc}") from None
    raise _bad("unsupported parse_mode")


def _trim(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Strip leading/trailing whitespace like Telegram does, keeping entities in place."""
    stripped = text.strip()
    if stripped == text:
        return text, entities
    lead = utf16_len(text[: len(text) - len(text.lstrip())])
    total = utf16_len(stripped)
    fixed = []
    for ent in entities:
        begin = max(ent["offset"] - lead, 0)
        end = min(ent["offset"] + ent["length"] - lead, total)
        if end > begin:
            fixed.append({**ent, "offset": begin, "length": end - begin})
    return stripped, fixed


def _command_entities(text: str) -> list[dict[str, Any]]:
    """bot_command and mention entities a Telegram client would attach to ``text``."""
    entities = []
    for m in re.finditer(
        r"(?<![\w/<>])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/<>])", text
    ):
        entities.append(
            {
                "type": "bot_command",
                "offset": utf16_len(text[: m.start()]),
                "length": utf16_len(m.group()),
            }
        )
    for m in re.finditer(r"(?<![\w@])@[A-Za-z0-9_]{2,32}(?!\w)", text):
        if m.start() > 0 and text[m.start() - 1] == "/":
            continue
        if any(
            e["offset"] <= utf16_len(text[: m.start()]) < e["offset"] + e["length"]
            for e in entities
        ):
            continue
        entities.append(
            {
                "type": "mention",
                "offset": utf16_len(text[: m.start()]),
                "length": utf16_len(m.group()),
            }
        )
    return sorted(entities, key=lambda e: e["offset"])


# --------------------------------------------------------------------------------------------
# aiogram helpers
# --------------------------------------------------------------------------------------------


def _dump(obj: BaseModel) -> dict[str, Any]:
    return obj.model_dump(mode="json", exclude_none=True, by_alias=True)


_M = TypeVar("_M", bound=BaseModel)


def _placeholder(annotation: Any, name: str, truthy: bool) -> Any:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _placeholder(typing.get_args(annotation)[0], name, truthy)
    if origin in (typing.Union, pytypes.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _placeholder(args[0], name, truthy) if args else None
    if origin is Literal:
        return typing.get_args(annotation)[0]
    if origin in (list, tuple, set, frozenset) or annotation in (list, tuple, set):
        return []
    if annotation is bool:
        return truthy and name.startswith("can_")
    if annotation in (int, float):
        return 0
    if annotation is str:
        return ""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _build(annotation, _truthy=truthy)
    if annotation is datetime.datetime:
        return 0
    return None


def _build(cls: type[_M], _truthy: bool = False, **kwargs: Any) -> _M:
    """Instantiate an aiogram type, giving placeholder values to unset required fields.

    Keeps working when a newer Bot API adds required booleans/ints to a type.
    """
    for name, info in cls.model_fields.items():
        if name in kwargs or (info.alias and info.alias in kwargs) or not info.is_required():
            continue
        kwargs[name] = _placeholder(info.annotation, name, _truthy)
    return cls(**kwargs)


@functools.cache
def _method_registry() -> dict[str, type[BaseModel]]:
    registry: dict[str, type[BaseModel]] = {}
    for name in tg_methods.__all__:
        cls = getattr(tg_methods, name, None)
        api_name = getattr(cls, "__api_method__", None)
        if isinstance(api_name, str) and isinstance(cls, type):
            registry[api_name.lower()] = cls
    return registry


def _is_plain_str(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, pytypes.UnionType):
        args = {a for a in typing.get_args(annotation) if a is not type(None) and a is not Default}
        return args == {str}
    return annotation is str


_FALLBACK_STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "data",
        "callback_query_id",
        "inline_message_id",
        "parse_mode",
        "url",
        "secret_token",
        "language_code",
        "action",
        "title",
        "description",
        "short_description",
        "name",
        "file_id",
        "emoji",
        "query",
    }
)


@functools.cache
def _string_params(method: str) -> frozenset[str]:
    """Parameters of ``method`` that are plain strings (never JSON-decoded from forms)."""
    cls = _method_registry().get(method)
    if cls is None:
        return _FALLBACK_STRING_PARAMS
    return frozenset(
        (info.alias or name)
        for name, info in cls.model_fields.items()
        if _is_plain_str(info.annotation)
    )


def _decode_form_value(method: str, key: str, value: str) -> Any:
    if key in _string_params(method):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _coerce_params(params: dict[str, Any]) -> dict[str, Any]:
    for key in _INT_PARAMS:
        value = params.get(key)
        if isinstance(value, str) and _INT_RE.fullmatch(value.strip()):
            params[key] = int(value)
    ids = params.get("message_ids")
    if isinstance(ids, list):
        params["message_ids"] = [
            int(v) if isinstance(v, str) and _INT_RE.fullmatch(v) else v for v in ids
        ]
    return params


def _as_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)


def _as_int(value: Any, name: str) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INT_RE.fullmatch(value.strip()):
        return int(value)
    raise _bad(f"invalid {name} specified")


def _update_type(update: Mapping[str, Any]) -> str:
    for key in update:
        if key != "update_id" and update[key] is not None:
            return key
    return "unknown"


def _image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG, GIF or JPEG image, or None."""
    with contextlib.suppress(struct.error, IndexError, ValueError):
        if data[:8] == b"\x89PNG\r\n\x1a\n":
            width, height = struct.unpack(">II", data[16:24])
            return int(width), int(height)
        if data[:6] in (b"GIF87a", b"GIF89a"):
            width, height = struct.unpack("<HH", data[6:10])
            return int(width), int(height)
        if data[:2] == b"\xff\xd8":
            i = 2
            while i < len(data):
                while data[i] == 0xFF:
                    i += 1
                marker = data[i]
                i += 1
                if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
                    continue
                seg_len = struct.unpack(">H", data[i : i + 2])[0]
                if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                    height, width = struct.unpack(">HH", data[i + 3 : i + 7])
                    return int(width), int(height)
                i += seg_len
    return None


# A valid 1x1 PNG for "some photo".
_TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e2"
    "6b5f7d0000000049454e44ae426082"
)
_MEDIA = {
    # kind: (file_id prefix, folder, default extension, default mime type)
    "photo": ("AgAC", "photos", "jpg", "image/jpeg"),
    "document": ("BQAC", "documents", "bin", "application/octet-stream"),
    "voice": ("AwAC", "voice", "oga", "audio/ogg"),
    "audio": ("CQAC", "music", "mp3", "audio/mpeg"),
    "video": ("BAAC", "videos", "mp4", "video/mp4"),
    "animation": ("CgAC", "animations", "mp4", "video/mp4"),
    "sticker": ("CAAC", "stickers", "webp", "image/webp"),
    "video_note": ("DQAC", "video_notes", "mp4", "video/mp4"),
}
_SEND_MEDIA_METHODS = {
    "sendphoto": "photo",
    "senddocument": "document",
    "sendvoice": "voice",
    "sendaudio": "audio",
    "sendvideo": "video",
    "sendanimation": "animation",
    "sendsticker": "sticker",
    "sendvideonote": "video_note",
}


# --------------------------------------------------------------------------------------------
# Emulated state
# --------------------------------------------------------------------------------------------


@dataclass(eq=False)
class _Chat:
    id: int
    type: str
    chat: tg.Chat
    title: str | None = None
    username: str | None = None
    statuses: dict[int, str] = field(default_factory=dict)
    bot_status: str = "member"
    last_id: int = 0
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    bot_messages: list[StoredMessage] = field(default_factory=list)
    all_messages: list[StoredMessage] = field(default_factory=list)
    blocked: bool = False
    started: bool = True
    menu_button: dict[str, Any] | None = None
    reply_keyboard: dict[str, Any] | None = None
    status_before_kick: str | None = None

    @property
    def private(self) -> bool:
        return self.type == "private"

    def next_id(self) -> int:
        self.last_id += 1
        return self.last_id


@dataclass
class _Fault:
    method: str
    status: int
    description: str | None
    retry_after: int | None
    remaining: int
    chat_id: int | str | None
    until: float | None = None
    """``time.monotonic()`` after which the fault is gone (a burst of some seconds)."""


@dataclass(eq=False)
class _Queued:
    update_id: int
    type: str
    payload: dict[str, Any]
    dropped: bool = False


@dataclass
class _Result:
    """A handler result with an extra ``description`` (as setWebhook replies have)."""

    value: Any
    description: str


Handler = Callable[[dict[str, Any], dict[str, UploadedFile]], Any]
Listener = Callable[[str, StoredMessage], None]


class BotAPIEmulator:
    """A fake api.telegram.org for one bot (user id :data:`BOT_ID`), served on 127.0.0.1.

    Set up users/groups (:meth:`add_user`, :meth:`add_group`), push updates
    (:meth:`push_message`, :meth:`push_callback`, ...), watch what the bot did
    (:attr:`requests`, :meth:`messages`, :meth:`wait_for_message`, :attr:`callback_answers`,
    :attr:`commands`) and break things (:meth:`inject_fault`, :meth:`set_delay`,
    :meth:`block_user`, :meth:`kick_from_group`, :meth:`set_rate_limit`). All state is in
    memory and only touched from the event loop, so concurrent requests are safe.

    ``token=None`` accepts any ``digits:chars`` token; otherwise only that token (401 else).
    """

    def __init__(
        self,
        token: str | None = None,
        bot_username: str = "linli_test_bot",
        *,
        bot_first_name: str = "Linli",
        host: str = "127.0.0.1",
        port: int = 0,
        first_update_id: int = 1,
    ) -> None:
        self.token = token
        self.bot_username = bot_username
        self.host = host
        self.port = port
        self.bot_user = tg.User(
            id=BOT_ID,
            is_bot=True,
            first_name=bot_first_name,
            username=bot_username,
            can_join_groups=True,
            can_read_all_group_messages=False,
            supports_inline_queries=False,
            can_connect_to_business=False,
            has_main_web_app=False,
        )
        self.requests: list[Request] = []
        self.callback_answers: dict[str, dict[str, Any]] = {}
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.chat_actions: list[tuple[int, str]] = []
        self.bot_settings: dict[str, dict[str, Any]] = {}
        self.webhook: dict[str, Any] | None = None
        # Webhook delivery: like Telegram, queued updates are POSTed to the webhook URL.
        # `webhook_targets` stands for a load balancer spreading them over several processes.
        self.webhook_targets: list[str] | None = None
        self.webhook_retry_delay = 0.2
        self.webhook_deliveries: list[tuple[int, str, int]] = []
        self._webhook_task: asyncio.Task[None] | None = None
        self._webhook_wake: asyncio.Event | None = None
        self.unsupported: list[str] = []
        self.errors: list[BaseException] = []
        self.users: dict[int, tg.User] = {}
        self._chats: dict[int, _Chat] = {}
        self._requests_by_method: dict[str, list[Request]] = defaultdict(list)
        self._files: dict[str, StoredFile] = {}
        self._files_by_path: dict[str, StoredFile] = {}
        self._file_counter = 0
        self._queue: deque[_Queued] = deque()
        self._pending = 0
        self._next_update_id = first_update_id
        self._allowed_updates: frozenset[str] | None = None
        self._poll_generation = 0
        self._callbacks: dict[str, dict[str, Any]] = {}
        self._callback_counter = 0
        self._media_group_counter = 0
        self._faults: list[_Fault] = []
        self._delays: dict[str, float] = {}
        self._rate: float | None = None
        self._tokens = 0.0
        self._tokens_at = 0.0
        self._menu_button_default: dict[str, Any] | None = None
        self._waiters: list[asyncio.Future[None]] = []
        self._update_waiters: list[asyncio.Future[None]] = []
        self._listeners: list[Listener] = []
        self._closing: asyncio.Event | None = None
        self._runner: web.AppRunner | None = None
        self._handlers: dict[str, Handler] = self._make_handlers()
        self._canonical: dict[str, str] = {
            lower: str(getattr(cls, "__api_method__", lower))
            for lower, cls in _method_registry().items()
        }

    # ----------------------------------------------------------------------------------------
    # lifecycle
    # ----------------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT`` (valid after :meth:`start`)."""
        if self._runner is None:
            raise RuntimeError("emulator is not started")
        return f"http://{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        """True between :meth:`start` and :meth:`stop`."""
        return self._runner is not None

    def make_app(self) -> web.Application:
        """The aiohttp application (for embedding in another server)."""
        app = web.Application(client_max_size=MAX_UPLOAD)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        app.router.add_route("*", "/_emulator/{action}", self._handle_control)
        return app

    async def start(self) -> BotAPIEmulator:
        """Start serving on a free port (or the one given to the constructor)."""
        if self._runner is not None:
            return self
        self._closing = asyncio.Event()
        runner = web.AppRunner(
            self.make_app(), access_log=None, handle_signals=False, shutdown_timeout=1.0
        )
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        await site.start()
        self._runner = runner
        for address in runner.addresses:
            if isinstance(address, tuple):
                self.port = int(address[1])
                break
        return self

    async def stop(self) -> None:
        """Stop the server, waking every pending long poll and waiter."""
        runner, self._runner = self._runner, None
        if self._closing is not None:
            self._closing.set()
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._webhook_task
            self._webhook_task = None
        self._wake_pollers()
        self._notify()
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> BotAPIEmulator:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def reset(self) -> None:
        """Forget updates, messages, requests and faults; keep users, groups and files."""
        self.requests.clear()
        self._requests_by_method.clear()
        self.callback_answers.clear()
        self._callbacks.clear()
        self.chat_actions.clear()
        self._queue.clear()
        self._pending = 0
        for chat in self._chats.values():
            chat.messages.clear()
            chat.bot_messages.clear()
            chat.all_messages.clear()
        self.clear_faults()
        self._notify()

    # ----------------------------------------------------------------------------------------
    # users and chats
    # ----------------------------------------------------------------------------------------

    def add_user(
        self,
        user_id: int,
        first_name: str = "User",
        *,
        username: str | None = None,
        language_code: str | None = "zh-hans",
        last_name: str | None = None,
        is_premium: bool | None = None,
        started: bool = True,
    ) -> tg.User:
        """Register a user and their private chat with the bot (chat id == user id).

        ``started=False`` models a user who never opened the bot: sends to them fail with
        403 "bot can't initiate conversation with a user" until they push something.
        """
        user = tg.User(
            id=user_id,
            is_bot=False,
            first_name=first_name,
            last_name=last_name,
            username=username,
            language_code=language_code,
            is_premium=is_premium,
        )
        self.users[user_id] = user
        chat = tg.Chat(
            id=user_id,
            type="private",
            first_name=first_name,
            last_name=last_name,
            username=username,
        )
        existing = self._chats.get(user_id)
        if existing is not None and existing.private:
            existing.chat = chat
            existing.username = username
        else:
            self._chats[user_id] = _Chat(
                id=user_id, type="private", chat=chat, username=username, started=started
            )
        return user

    def add_group(
        self,
        chat_id: int,
        title: str = "Group",
        *,
        admins: Iterable[int] = (),
        members: Iterable[int] = (),
        type: str = "supergroup",
        creator: int | None = None,
        username: str | None = None,
        bot_status: str | None = None,
    ) -> tg.Chat:
        """Register a group the bot is in.

        ``admins`` become "administrator" (put :data:`BOT_ID` there to make the bot an
        admin), ``members`` "member", ``creator`` "creator". Unknown user ids are registered.
        """
        if type not in {"group", "supergroup", "channel"}:
            raise ValueError(f"bad group type {type!r}")
        chat = tg.Chat(id=chat_id, type=type, title=title, username=username)
        state = self._chats.get(chat_id)
        if state is None or state.private:
            state = _Chat(id=chat_id, type=type, chat=chat, title=title, username=username)
            self._chats[chat_id] = state
        else:
            state.chat, state.type, state.title, state.username = chat, type, title, username
        for uid in members:
            self._set_status(state, uid, "member")
        for uid in admins:
            self._set_status(state, uid, "administrator")
        if creator is not None:
            self._set_status(state, creator, "creator")
        if bot_status is not None:
            state.bot_status = bot_status
        return chat

    def set_chat_member_status(self, chat_id: int, user_id: int, status: str) -> None:
        """Set a member's status: creator, administrator, member, restricted, left, kicked."""
        state = self._chats.get(chat_id)
        if state is None or state.private:
            raise KeyError(f"unknown group {chat_id}; call add_group() first")
        self._set_status(state, user_id, status)

    def _set_status(self, state: _Chat, user_id: int, status: str) -> None:
        if status not in {"creator", "administrator", "member", "restricted", "left", "kicked"}:
            raise ValueError(f"bad chat member status {status!r}")
        if user_id == BOT_ID:
            state.bot_status = status
            return
        self._ensure_user(user_id)
        state.statuses[user_id] = status

    def block_user(self, user_id: int, blocked: bool = True) -> None:
        """Make sends to the user's private chat fail with 403 "bot was blocked by the user"."""
        self._ensure_user(user_id)
        self._chats[user_id].blocked = blocked

    def unblock_user(self, user_id: int) -> None:
        """Undo :meth:`block_user`."""
        self.block_user(user_id, False)

    def kick_from_group(self, chat_id: int) -> None:
        """Make sends to the group fail with 403 "bot was kicked from the ... chat"."""
        state = self._chats.get(chat_id)
        if state is None or state.private:
            raise KeyError(f"unknown group {chat_id}")
        if state.bot_status != "kicked":
            state.status_before_kick = state.bot_status
        state.bot_status = "kicked"

    def chat(self, chat_id: int) -> tg.Chat:
        """The aiogram Chat for a known chat id."""
        return self._chats[chat_id].chat

    def chat_member_status(self, chat_id: int, user_id: int) -> str:
        """Current status of ``user_id`` in ``chat_id``."""
        state = self._chats[chat_id]
        if user_id == BOT_ID:
            return state.bot_status
        if state.private:
            return "member" if user_id == chat_id else "left"
        return state.statuses.get(user_id, "left")

    def reply_keyboard(self, chat_id: int) -> dict[str, Any] | None:
        """The reply keyboard currently shown in a chat (last one sent, until removed)."""
        return self._chats[chat_id].reply_keyboard

    def _ensure_user(self, user_id: int) -> tg.User:
        user = self.users.get(user_id)
        if user is None:
            user = self.add_user(user_id, f"User{user_id}")
        return user

    def _user_dict(self, user_id: int) -> dict[str, Any]:
        if user_id == BOT_ID:
            return _dump(self.bot_user)
        user = self.users.get(user_id)
        if user is None:
            return {"id": user_id, "is_bot": False, "first_name": ""}
        return _dump(user)

    # ----------------------------------------------------------------------------------------
    # files
    # ----------------------------------------------------------------------------------------

    def _new_file(
        self,
        kind: str,
        data: bytes,
        *,
        file_name: str | None = None,
        mime_type: str | None = None,
        width: int = 0,
        height: int = 0,
        duration: int = 0,
    ) -> StoredFile:
        prefix, folder, ext, default_mime = _MEDIA.get(kind, _MEDIA["document"])
        self._file_counter += 1
        if file_name and "." in file_name:
            ext = file_name.rsplit(".", 1)[1].lower() or ext
        if mime_type is None and file_name:
            mime_type = mimetypes.guess_type(file_name)[0]
        rec = StoredFile(
            file_id=f"{prefix}AgADBQADAQ{self._file_counter:06d}{secrets.token_urlsafe(18)}",
            file_unique_id=f"AQAD{self._file_counter:04d}{secrets.token_urlsafe(6)}",
            kind=kind,
            data=data,
            file_path=f"{folder}/file_{self._file_counter}.{ext}",
            file_name=file_name,
            mime_type=mime_type or default_mime,
            width=width,
            height=height,
            duration=duration,
        )
        self._files[rec.file_id] = rec
        self._files_by_path[rec.file_path] = rec
        return rec

    def _new_photo(self, data: bytes) -> StoredFile:
        width, height = _image_size(data) or (800, 600)
        sizes: list[StoredFile] = []
        for limit in (90, 320, 800, 1280):
            scale = min(1.0, limit / max(width, height, 1))
            rec = self._new_file(
                "photo",
                data,
                width=max(1, round(width * scale)),
                height=max(1, round(height * scale)),
            )
            if sizes and (rec.width, rec.height) == (sizes[-1].width, sizes[-1].height):
                del self._files[rec.file_id]
                del self._files_by_path[rec.file_path]
                break
            sizes.append(rec)
        for rec in sizes:
            rec.sizes = sizes
        return sizes[-1]

    def register_file(
        self,
        data: bytes,
        *,
        kind: str = "document",
        file_name: str | None = None,
        mime_type: str | None = None,
    ) -> str:
        """Store bytes as a file the bot can ``getFile``/download/send; returns its file_id."""
        if kind == "photo":
            return self._new_photo(data).file_id
        return self._new_file(kind, data, file_name=file_name, mime_type=mime_type).file_id

    def file_bytes(self, file_id: str) -> bytes:
        """Content of a known file_id (e.g. what the bot uploaded)."""
        return self._files[file_id].data

    def get_file(self, file_id: str) -> StoredFile:
        """The :class:`StoredFile` behind a file_id."""
        return self._files[file_id]

    def _media_fields(
        self, kind: str, rec: StoredFile, params: Mapping[str, Any]
    ) -> dict[str, Any]:
        """aiogram objects for a message's media field(s)."""
        common: dict[str, Any] = {
            "file_id": rec.file_id,
            "file_unique_id": rec.file_unique_id,
            "file_size": rec.file_size,
        }
        duration = params.get("duration")
        if duration is not None:
            rec.duration = _as_int(duration, "duration")
        if kind == "photo":
            sizes = rec.sizes or [rec]
            return {
                "photo": [
                    tg.PhotoSize(
                        file_id=s.file_id,
                        file_unique_id=s.file_unique_id,
                        width=s.width,
                        height=s.height,
                        file_size=s.file_size,
                    )
                    for s in sizes
                ]
            }
        if kind == "document":
            return {
                "document": tg.Document(
                    **common, file_name=rec.file_name or None, mime_type=rec.mime_type
                )
            }
        if kind == "voice":
            return {
                "voice": tg.Voice(**common, duration=rec.duration or 1, mime_type=rec.mime_type)
            }
        if kind == "audio":
            return {
                "audio": _build(
                    tg.Audio,
                    **common,
                    duration=rec.duration or 1,
                    mime_type=rec.mime_type,
                    file_name=rec.file_name,
                    title=params.get("title"),
                    performer=params.get("performer"),
                )
            }
        if kind in ("video", "animation"):
            cls: type[BaseModel] = tg.Video if kind == "video" else tg.Animation
            return {
                kind: _build(
                    cls,
                    **common,
                    width=_as_int(params.get("width", rec.width or 640), "width"),
                    height=_as_int(params.get("height", rec.height or 480), "height"),
                    duration=rec.duration or 1,
                    mime_type=rec.mime_type,
                    file_name=rec.file_name,
                )
            }
        if kind == "video_note":
            return {
                "video_note": _build(tg.VideoNote, **common, length=240, duration=rec.duration or 1)
            }
        if kind == "sticker":
            return {
                "sticker": _build(
                    tg.Sticker,
                    **common,
                    type="regular",
                    width=512,
                    height=512,
                    is_animated=False,
                    is_video=False,
                    emoji=params.get("emoji") or "🙂",
                )
            }
        raise ValueError(kind)

    # ----------------------------------------------------------------------------------------
    # pushing updates
    # ----------------------------------------------------------------------------------------

    def push_update(self, raw: Mapping[str, Any] | tg.Update) -> tg.Update:
        """Queue any update; ``update_id`` is (re)assigned. Returns the queued Update."""
        payload = _dump(raw) if isinstance(raw, tg.Update) else dict(raw)
        payload["update_id"] = self._next_update_id
        update = tg.Update.model_validate(payload)
        return self._enqueue(update)

    def _enqueue(self, update: tg.Update) -> tg.Update:
        if update.update_id != self._next_update_id:
            update = update.model_copy(update={"update_id": self._next_update_id})
        self._next_update_id += 1
        payload = _dump(update)
        self._queue.append(_Queued(update.update_id, _update_type(payload), payload))
        self._pending += 1
        self._wake_pollers()
        self._notify()
        return update

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
            ents = entities if entities is not None else _command_entities(text)
            if ents:
                fields["entities"] = ents
        if photo is not None and photo is not False:
            data = photo if isinstance(photo, bytes) else _TINY_PNG
            fields.update(self._media_fields("photo", self._new_photo(data), {}))
            kind = "photo"
        if voice is not None and voice is not False:
            data = voice if isinstance(voice, bytes) else b"OggS" + bytes(60)
            rec = self._new_file("voice", data, duration=2)
            fields.update(self._media_fields("voice", rec, {}))
            kind = "voice"
        if document is not None and document is not False:
            if isinstance(document, tuple):
                name, data = document
            else:
                name = "file.txt"
                data = document if isinstance(document, bytes) else b"hello\n"
            rec = self._new_file("document", data, file_name=name)
            fields.update(self._media_fields("document", rec, {}))
            kind = "document"
        if sticker:
            rec = self._new_file("sticker", b"RIFF\x00\x00\x00\x00WEBP")
            fields.update(self._media_fields("sticker", rec, {}))
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
            cap_entities = _command_entities(caption)
            if cap_entities:
                fields["caption_entities"] = cap_entities
        if not fields:
            raise ValueError("push_message needs text or some media")
        if reply_to_message_id is not None:
            target = state.messages.get(reply_to_message_id)
            if target is None:
                raise KeyError(f"no message {reply_to_message_id} in chat {chat_id}")
            fields["reply_to_message"] = self._reply_snapshot(target)
        fields.update(extra)
        message = tg.Message(
            message_id=state.next_id(),
            date=int(time.time()),
            chat=state.chat,
            from_user=user,
            **fields,
        )
        data = _dump(message)
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
        ents = _command_entities(text)
        if ents:
            data["entities"] = ents
        stored.data, stored.text, stored.raw_text = data, text, text
        stored.edits += 1
        return self._enqueue(
            tg.Update(update_id=self._next_update_id, edited_message=tg.Message(**data))
        )

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

    def _member_object(self, user: tg.User, status: str) -> tg.ChatMember:
        if status == "creator":
            return tg.ChatMemberOwner(user=user, is_anonymous=False)
        if status == "administrator":
            return _build(
                tg.ChatMemberAdministrator,
                _truthy=True,
                user=user,
                can_be_edited=False,
                is_anonymous=False,
            )
        if status == "restricted":
            return _build(tg.ChatMemberRestricted, user=user, is_member=True, until_date=0)
        if status == "left":
            return tg.ChatMemberLeft(user=user)
        if status == "kicked":
            return tg.ChatMemberBanned(user=user, until_date=0)
        return tg.ChatMemberMember(user=user)

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

    def pending_updates(self) -> int:
        """Updates queued and not yet confirmed by a getUpdates offset (or dropped)."""
        return self._pending

    # ----------------------------------------------------------------------------------------
    # observing
    # ----------------------------------------------------------------------------------------

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

    def on_event(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(event, message)`` on "sent", "edited", "deleted" and "incoming".

        Returns a function that unsubscribes.
        """
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def _emit(self, event: str, message: StoredMessage) -> None:
        for listener in list(self._listeners):
            try:
                listener(event, message)
            except Exception:  # a broken listener must not break the API
                log.exception("emulator listener failed")

    def _notify(self) -> None:
        waiters, self._waiters = self._waiters, []
        for fut in waiters:
            if not fut.done():
                fut.set_result(None)

    def _wake_pollers(self) -> None:
        if self._webhook_wake is not None:
            self._webhook_wake.set()
        waiters, self._update_waiters = self._update_waiters, []
        for fut in waiters:
            if not fut.done():
                fut.set_result(None)

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
            handle = loop.call_later(min(remaining, 0.25), _resolve, fut)
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
                    f"  {r.method}({_short(json.dumps(r.params, default=str), 120)})"
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

    # ----------------------------------------------------------------------------------------
    # faults
    # ----------------------------------------------------------------------------------------

    def inject_fault(
        self,
        method: str,
        *,
        status: int = 500,
        description: str | None = None,
        retry_after: int | None = None,
        times: int | None = None,
        chat_id: int | None = None,
        seconds: float | None = None,
    ) -> None:
        """Fail the next ``times`` calls of ``method`` ("*" = any; ``times < 0`` = until cleared).

        ``seconds`` makes it a burst: every call fails for that long from now (``times``
        then defaults to unlimited within the window), like a Telegram outage answering 502.
        ``chat_id`` limits the fault to calls for that chat. 429 gets
        ``parameters.retry_after`` (default 1) and "Too Many Requests: retry after N".
        """
        if status == 429 and retry_after is None:
            retry_after = 1
        if times is None:
            times = -1 if seconds is not None else 1
        until = time.monotonic() + seconds if seconds is not None else None
        self._faults.append(
            _Fault(
                self._canon(method).lower(),
                status,
                description,
                retry_after,
                times,
                chat_id,
                until,
            )
        )

    def set_delay(self, method: str, seconds: float) -> None:
        """Delay every response of ``method`` ("*" = any) by ``seconds`` (0 removes)."""
        key = self._canon(method).lower()
        if seconds > 0:
            self._delays[key] = seconds
        else:
            self._delays.pop(key, None)

    def set_rate_limit(self, per_second: float | None) -> None:
        """Cap send*/edit*/copy/forward calls globally; excess calls get 429 retry_after=1."""
        self._rate = per_second if per_second and per_second > 0 else None
        self._tokens = max(1.0, per_second or 0.0)
        self._tokens_at = time.monotonic()

    def clear_faults(self) -> None:
        """Remove faults, delays, the rate limit, blocks and kicks."""
        self._faults.clear()
        self._delays.clear()
        self._rate = None
        for state in self._chats.values():
            state.blocked = False
            if state.status_before_kick is not None:
                state.bot_status, state.status_before_kick = state.status_before_kick, None

    def _fault_for(self, method: str, params: Mapping[str, Any]) -> ApiError | None:
        now = time.monotonic()
        for fault in list(self._faults):
            if fault.until is not None and now >= fault.until:
                self._faults.remove(fault)
                continue
            if fault.method not in (method, "*"):
                continue
            if fault.chat_id is not None and str(params.get("chat_id")) != str(fault.chat_id):
                continue
            if fault.remaining > 0:
                fault.remaining -= 1
                if fault.remaining == 0:
                    self._faults.remove(fault)
            if fault.status == 429:
                retry = int(fault.retry_after or 1)
                return ApiError(
                    429,
                    fault.description or f"Too Many Requests: retry after {retry}",
                    {"retry_after": retry},
                )
            description = fault.description or _DEFAULT_DESCRIPTIONS.get(fault.status, "Error")
            parameters = {"retry_after": fault.retry_after} if fault.retry_after else None
            return ApiError(fault.status, description, parameters)
        return None

    def _rate_check(self, method: str) -> None:
        if self._rate is None or method == "sendchataction":
            return
        if not method.startswith(("send", "edit", "copy", "forward")):
            return
        now = time.monotonic()
        capacity = max(1.0, self._rate)
        self._tokens = min(capacity, self._tokens + (now - self._tokens_at) * self._rate)
        self._tokens_at = now
        if self._tokens < 1.0:
            raise _too_many(1)
        self._tokens -= 1.0

    # ----------------------------------------------------------------------------------------
    # HTTP
    # ----------------------------------------------------------------------------------------

    def _canon(self, method: str) -> str:
        return self._canonical.get(method.lower(), method)

    def _token_ok(self, token: str) -> bool:
        if self.token is not None:
            return token == self.token
        return bool(_TOKEN_RE.fullmatch(token))

    async def _read_params(
        self, request: web.Request, method: str
    ) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
        params: dict[str, Any] = {}
        files: dict[str, UploadedFile] = {}
        for key, value in request.query.items():
            params[key] = _decode_form_value(method, key, value)
        if request.method in ("GET", "HEAD") or not request.body_exists:
            return _coerce_params(params), files
        ctype = request.content_type
        if ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    files[key] = UploadedFile(
                        key, value.filename, value.content_type, value.file.read()
                    )
                else:
                    params[key] = _decode_form_value(method, key, str(value))
            for key in files:
                params.setdefault(key, f"attach://{key}")
        else:
            raw = await request.read()
            if raw.strip():
                try:
                    body = json.loads(raw)
                except ValueError:
                    raise _bad("can't parse JSON request body") from None
                if not isinstance(body, dict):
                    raise _bad("request body must be a JSON object")
                params.update(body)
        return _coerce_params(params), files

    async def _handle_api(self, request: web.Request) -> web.Response:
        raw_method = request.match_info["method"]
        token = request.match_info["token"]
        status, body = await self.call(raw_method, request=request, token=token)
        return web.json_response(body, status=status)

    async def call(
        self,
        method: str,
        params: Mapping[str, Any] | None = None,
        *,
        files: Mapping[str, UploadedFile] | None = None,
        request: web.Request | None = None,
        token: str | None = None,
    ) -> tuple[int, dict[str, Any]]:
        """Run one API method (what an HTTP request does); returns ``(status, body)``."""
        key = method.lower()
        req = Request(
            method=self._canon(method),
            params=dict(params or {}),
            at=time.monotonic(),
            raw_method=method,
            files=dict(files or {}),
        )
        self.requests.append(req)
        self._requests_by_method[req.method].append(req)
        status = 200
        try:
            if token is not None and not self._token_ok(token):
                raise ApiError(401, "Unauthorized")
            if request is not None:
                req.params, req.files = await self._read_params(request, key)
            handler = self._handlers.get(key)
            if handler is None:
                handler = self._generic_handler(key)
            delay = self._delays.get(key, self._delays.get("*"))
            if delay:
                await self._sleep(delay)
            fault = self._fault_for(key, req.params)
            if fault is not None:
                raise fault
            self._rate_check(key)
            result = handler(req.params, req.files)
            if isinstance(result, Awaitable):
                result = await result
            if isinstance(result, _Result):
                body = {"ok": True, "result": result.value, "description": result.description}
            else:
                body = {"ok": True, "result": result}
        except ApiError as exc:
            status, body = exc.status, exc.body()
        except (ValidationError, TypeError, ValueError, KeyError) as exc:
            log.warning("emulator: bad parameters for %s: %s", method, exc)
            status, body = 400, _bad(f"invalid parameters: {_short(str(exc), 200)}").body()
        except Exception as exc:
            log.exception("emulator failure in %s", method)
            self.errors.append(exc)
            status, body = 500, ApiError(500, "Internal Server Error").body()
        req.response, req.status, req.finished_at = body, status, time.monotonic()
        self._notify()
        return status, body

    async def _sleep(self, seconds: float) -> None:
        if self._closing is None:
            await asyncio.sleep(seconds)
            return
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self._closing.wait(), seconds)

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if not self._token_ok(request.match_info["token"]):
            return web.json_response(ApiError(401, "Unauthorized").body(), status=401)
        rec = self._files_by_path.get(request.match_info["path"])
        if rec is None:
            return web.json_response(ApiError(404, "Not Found").body(), status=404)
        return web.Response(body=rec.data, content_type=rec.mime_type or "application/octet-stream")

    def _generic_handler(self, key: str) -> Handler:
        cls = _method_registry().get(key)
        if cls is None or getattr(cls, "__returning__", None) is not bool:
            if cls is not None and key not in self.unsupported:
                self.unsupported.append(key)
                log.warning("emulator: %s is not emulated", self._canon(key))
            raise ApiError(404, "Not Found")

        def accept(params: dict[str, Any], files: dict[str, UploadedFile]) -> bool:
            if "chat_id" in params:
                self._chat(params["chat_id"])
            self.bot_settings[self._canon(key)] = params
            return True

        return accept

    # ----------------------------------------------------------------------------------------
    # control endpoints (standalone mode)
    # ----------------------------------------------------------------------------------------

    async def _handle_control(self, request: web.Request) -> web.Response:
        action = request.match_info["action"]
        try:
            body = await request.json() if request.body_exists else {}
        except ValueError:
            return web.json_response({"ok": False, "description": "bad JSON"}, status=400)
        body = dict(request.query) | (body or {})
        try:
            result = self._control(action, body)
        except (KeyError, ValueError, TypeError) as exc:
            return web.json_response({"ok": False, "description": str(exc)}, status=400)
        return web.json_response({"ok": True, "result": result})

    def _control(self, action: str, body: dict[str, Any]) -> Any:
        def num(key: str) -> int:
            return int(body[key])

        if action == "user":
            user = self.add_user(
                num("user_id"),
                body.get("first_name", "User"),
                username=body.get("username"),
                language_code=body.get("language_code", "zh-hans"),
                last_name=body.get("last_name"),
            )
            return _dump(user)
        if action == "group":
            chat = self.add_group(
                num("chat_id"),
                body.get("title", "Group"),
                admins=[int(x) for x in body.get("admins", [])],
                members=[int(x) for x in body.get("members", [])],
                type=body.get("type", "supergroup"),
            )
            return _dump(chat)
        if action == "message":
            update = self.push_message(
                num("chat_id"), num("user_id"), body.get("text"), caption=body.get("caption")
            )
            return _dump(update)
        if action == "callback":
            update = self.push_callback(
                num("user_id"), (num("chat_id"), num("message_id")), str(body["data"])
            )
            return _dump(update)
        if action == "update":
            return _dump(self.push_update(body))
        if action == "messages":
            return [m.data | {"_deleted": m.deleted} for m in self.messages(num("chat_id"))]
        if action == "requests":
            since = int(body.get("since", 0))
            return [
                {"method": r.method, "params": _jsonable(r.params), "response": r.response}
                for r in self.requests[since:]
            ]
        raise KeyError(f"unknown control action {action!r}")

    # ----------------------------------------------------------------------------------------
    # helpers for handlers
    # ----------------------------------------------------------------------------------------

    def _chat(self, chat_id: Any) -> _Chat:
        if chat_id is None or chat_id == "":
            raise _bad("chat_id is empty")
        if isinstance(chat_id, str):
            if chat_id.startswith("@"):
                name = chat_id[1:].lower()
                for state in self._chats.values():
                    if state.username and state.username.lower() == name:
                        return state
                raise _bad("chat not found")
            if not _INT_RE.fullmatch(chat_id.strip()):
                raise _bad("chat not found")
            chat_id = int(chat_id)
        if isinstance(chat_id, bool) or not isinstance(chat_id, int):
            raise _bad("chat not found")
        state = self._chats.get(chat_id)
        if state is None:
            if chat_id == BOT_ID:
                raise _forbidden("bot can't send messages to bots")
            raise _bad("chat not found")
        return state

    def _writable_chat(self, chat_id: Any) -> _Chat:
        state = self._chat(chat_id)
        if state.private:
            if state.blocked:
                raise _forbidden("bot was blocked by the user")
            if not state.started:
                raise _forbidden("bot can't initiate conversation with a user")
        elif state.bot_status == "kicked":
            raise _forbidden(f"bot was kicked from the {state.type} chat")
        elif state.bot_status == "left":
            raise _forbidden(f"bot is not a member of the {state.type} chat")
        return state

    def _users_for_links(self, user_id: int) -> dict[str, Any]:
        return self._user_dict(user_id)

    def _format(
        self,
        text: Any,
        parse_mode: Any,
        entities: Any,
        *,
        limit: int,
        too_long: str,
        empty: str | None,
    ) -> tuple[str, list[dict[str, Any]]]:
        """Telegram's text pipeline: parse markup, trim, check length."""
        if text is None:
            text = ""
        if not isinstance(text, str):
            text = str(text)
        if entities:
            if isinstance(entities, str):
                entities = json.loads(entities)
            try:
                parsed = [_dump(tg.MessageEntity.model_validate(e)) for e in entities]
            except ValidationError:
                raise _bad("can't parse entities JSON object") from None
            plain = text
        else:
            plain, parsed = _parse_formatted(text, parse_mode, self._users_for_links)
            parsed = [_dump(tg.MessageEntity.model_validate(e)) for e in parsed]
        plain, parsed = _trim(plain, parsed)
        if not plain and empty is not None:
            raise _bad(empty)
        if len(plain) > limit:
            raise _bad(too_long)
        return plain, parsed

    def _markup(self, raw: Any, *, inline_only: bool = False) -> tuple[dict | None, dict | None]:
        """Validate reply_markup -> (markup as given, InlineKeyboardMarkup JSON or None)."""
        if raw is None or raw == "":
            return None, None
        if isinstance(raw, str):
            try:
                raw = json.loads(raw)
            except ValueError:
                raise _bad("can't parse reply keyboard markup JSON object") from None
        if isinstance(raw, BaseModel):
            raw = _dump(raw)
        if not isinstance(raw, dict):
            raise _bad("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in raw:
            rows = raw["inline_keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise _bad(
                    'can\'t parse inline keyboard button: field "inline_keyboard" must '
                    "be an Array of Arrays"
                )
            for row in rows:
                for button in row:
                    self._check_inline_button(button)
            try:
                inline = _dump(tg.InlineKeyboardMarkup.model_validate(raw))
            except ValidationError as exc:
                raise _bad(f"can't parse inline keyboard button: {_short(str(exc), 120)}") from None
            return raw, inline
        if inline_only:
            raise _bad("inline keyboard expected")
        model: type[BaseModel] | None = None
        if "keyboard" in raw:
            model = tg.ReplyKeyboardMarkup
        elif raw.get("remove_keyboard"):
            model = tg.ReplyKeyboardRemove
        elif raw.get("force_reply"):
            model = tg.ForceReply
        if model is None:
            raise _bad("can't parse reply keyboard markup JSON object")
        try:
            model.model_validate(raw)
        except ValidationError:
            raise _bad("can't parse reply keyboard markup JSON object") from None
        return raw, None

    @staticmethod
    def _check_inline_button(button: Any) -> None:
        if not isinstance(button, dict):
            raise _bad("can't parse inline keyboard button: InlineKeyboardButton must be an Object")
        text = button.get("text")
        if not isinstance(text, str):
            raise _bad('can\'t parse inline keyboard button: Field "text" must be of type String')
        if not text.strip():
            raise _bad("BUTTON_TEXT_INVALID")
        actions = [k for k, v in button.items() if k != "text" and v is not None]
        if not actions:
            raise _bad(
                "can't parse inline keyboard button: Text buttons are unallowed in the inline "
                "keyboard"
            )
        data = button.get("callback_data")
        if data is not None and (
            not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA
        ):
            raise _bad("BUTTON_DATA_INVALID")
        url = button.get("url")
        if url is not None and (not isinstance(url, str) or not _checked_link(url)):
            raise _bad("BUTTON_URL_INVALID")

    def _reply_snapshot(self, target: StoredMessage) -> tg.Message:
        data = {k: v for k, v in target.data.items() if k != "reply_to_message"}
        return tg.Message.model_validate(data)

    def _reply_target(self, state: _Chat, params: Mapping[str, Any]) -> tg.Message | None:
        reply = params.get("reply_parameters")
        if isinstance(reply, str):
            reply = json.loads(reply)
        message_id = params.get("reply_to_message_id")
        allow = _as_bool(params.get("allow_sending_without_reply", False))
        if isinstance(reply, dict):
            message_id = reply.get("message_id")
            allow = _as_bool(reply.get("allow_sending_without_reply", allow))
            if reply.get("chat_id") not in (None, state.id):
                state = self._chat(reply["chat_id"])
        if message_id is None:
            return None
        target = state.messages.get(_as_int(message_id, "message_id"))
        if target is None or target.deleted:
            if allow:
                return None
            raise _bad("message to be replied not found")
        return self._reply_snapshot(target)

    def _store_bot_message(
        self,
        state: _Chat,
        method: str,
        params: Mapping[str, Any],
        fields: dict[str, Any],
        *,
        content_type: str,
        markup: dict[str, Any] | None,
        inline: dict[str, Any] | None,
        text: str | None = None,
        raw_text: str | None = None,
        entities: list[dict[str, Any]] | None = None,
        reply_to: tg.Message | None = None,
    ) -> StoredMessage:
        if inline is not None:
            fields["reply_markup"] = tg.InlineKeyboardMarkup.model_validate(inline)
        if reply_to is not None:
            fields["reply_to_message"] = reply_to
        if _as_bool(params.get("protect_content", False)):
            fields["has_protected_content"] = True
        if params.get("message_thread_id") is not None and not state.private:
            fields["message_thread_id"] = _as_int(params["message_thread_id"], "thread id")
        message = tg.Message(
            message_id=state.next_id(),
            date=int(time.time()),
            chat=state.chat,
            from_user=self.bot_user,
            **fields,
        )
        stored = StoredMessage(
            chat_id=state.id,
            message_id=message.message_id,
            data=_dump(message),
            method=method,
            text=text,
            raw_text=raw_text,
            entities=entities or [],
            parse_mode=params.get("parse_mode"),
            reply_markup=markup,
            content_type=content_type,
            photo=content_type == "photo",
            document=content_type == "document",
            voice=content_type == "voice",
            params=dict(params),
        )
        state.messages[stored.message_id] = stored
        state.bot_messages.append(stored)
        state.all_messages.append(stored)
        if markup is not None and "keyboard" in markup:
            state.reply_keyboard = markup
        elif markup is not None and markup.get("remove_keyboard"):
            state.reply_keyboard = None
        self._emit("sent", stored)
        return stored

    def _input_file(self, kind: str, value: Any, files: Mapping[str, UploadedFile]) -> StoredFile:
        if value is None or value == "":
            raise _bad(f"there is no {kind} in the request")
        if isinstance(value, str) and value.startswith("attach://"):
            upload = files.get(value[len("attach://") :])
            if upload is None:
                raise _bad(f"there is no {kind} in the request")
            if not upload.data:
                raise _bad("file must be non-empty")
            if len(upload.data) > MAX_BOT_UPLOAD:
                raise ApiError(413, "Request Entity Too Large")
            if kind == "photo":
                return self._new_photo(upload.data)
            size = _image_size(upload.data) or (0, 0)
            return self._new_file(
                kind,
                upload.data,
                file_name=upload.filename
                if kind in ("document", "audio", "video", "animation")
                else None,
                mime_type=(
                    upload.content_type
                    if upload.content_type not in (None, "application/octet-stream")
                    else None
                ),
                width=size[0],
                height=size[1],
            )
        if not isinstance(value, str):
            raise _bad(f"there is no {kind} in the request")
        if value.startswith(("http://", "https://")):
            name = urlsplit(value).path.rsplit("/", 1)[-1] or None
            if kind == "photo":
                return self._new_photo(_TINY_PNG)
            return self._new_file(kind, b"", file_name=name)
        rec = self._files.get(value)
        if rec is None:
            raise _bad("wrong file identifier/HTTP URL specified")
        return rec

    def _message_target(self, params: Mapping[str, Any], *, action: str) -> StoredMessage:
        if params.get("inline_message_id"):
            raise _bad("MESSAGE_ID_INVALID")
        state = self._chat(params.get("chat_id"))
        if state.private and state.blocked:
            raise _forbidden("bot was blocked by the user")
        if not state.private and state.bot_status in ("kicked", "left"):
            raise _forbidden(
                f"bot was kicked from the {state.type} chat"
                if state.bot_status == "kicked"
                else f"bot is not a member of the {state.type} chat"
            )
        message_id = params.get("message_id")
        if message_id is None:
            raise _bad("message identifier is not specified")
        stored = state.messages.get(_as_int(message_id, "message identifier"))
        if stored is None or stored.deleted:
            raise _bad(f"message to {action} not found")
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
        validated = _dump(tg.Message.model_validate(data))
        stored.history.append(stored.data)
        stored.data = validated
        stored.reply_markup = markup
        stored.edits += 1
        self._emit("edited", stored)
        return validated

    # ----------------------------------------------------------------------------------------
    # method handlers
    # ----------------------------------------------------------------------------------------

    def _make_handlers(self) -> dict[str, Handler]:
        handlers: dict[str, Handler] = {
            "getme": self._get_me,
            "logout": self._true,
            "close": self._true,
            "getupdates": self._get_updates,
            "setwebhook": self._set_webhook,
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "sendmessage": self._send_message,
            "sendlocation": self._send_location,
            "sendmediagroup": self._send_media_group,
            "copymessage": self._copy_message,
            "forwardmessage": self._forward_message,
            "editmessagetext": self._edit_message_text,
            "editmessagecaption": self._edit_message_caption,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "deletemessage": self._delete_message,
            "deletemessages": self._delete_messages,
            "answercallbackquery": self._answer_callback_query,
            "getchat": self._get_chat,
            "getchatmember": self._get_chat_member,
            "getchatadministrators": self._get_chat_administrators,
            "getchatmembercount": self._get_chat_member_count,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "deletemycommands": self._delete_my_commands,
            "setchatmenubutton": self._set_chat_menu_button,
            "getchatmenubutton": self._get_chat_menu_button,
            "sendchataction": self._send_chat_action,
            "getfile": self._get_file,
            "leavechat": self._leave_chat,
            "banchatmember": self._ban_chat_member,
            "unbanchatmember": self._unban_chat_member,
            "setmydescription": self._setting("description"),
            "getmydescription": self._getting("description", tg.BotDescription),
            "setmyshortdescription": self._setting("short_description"),
            "getmyshortdescription": self._getting("short_description", tg.BotShortDescription),
            "setmyname": self._setting("name"),
            "getmyname": self._getting("name", tg.BotName),
        }
        for method, kind in _SEND_MEDIA_METHODS.items():
            handlers[method] = functools.partial(self._send_media, kind)
        return handlers

    def _true(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> bool:
        return True

    def _get_me(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        return _dump(self.bot_user)

    async def _get_updates(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        if self.webhook is not None:
            raise ApiError(409, WEBHOOK_CONFLICT)
        offset = params.get("offset")
        limit = min(max(_as_int(params.get("limit", 100), "limit"), 1), 100)
        timeout = max(_as_int(params.get("timeout", 0), "timeout"), 0)
        allowed = params.get("allowed_updates")
        if isinstance(allowed, str):
            allowed = json.loads(allowed) if allowed.startswith("[") else [allowed]
        if allowed is not None:
            self._allowed_updates = frozenset(allowed) if allowed else None
        if offset is not None:
            self._confirm(_as_int(offset, "offset"))
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
            handle = loop.call_later(remaining, _resolve, fut)
            try:
                await fut
            finally:
                handle.cancel()

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

    def _set_webhook(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        url = params.get("url") or ""
        if not url:
            return self._delete_webhook(params, files)
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            raise _bad("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not _SECRET_RE.fullmatch(str(secret)):
            raise _bad("secret token contains unallowed characters")
        if _as_bool(params.get("drop_pending_updates", False)):
            self._drop_all()
        same = self.webhook is not None and self.webhook.get("url") == url
        allowed = params.get("allowed_updates")
        if allowed is not None:
            self._allowed_updates = frozenset(allowed) if allowed else None
        self.webhook = {
            "url": url,
            "secret_token": secret,
            "max_connections": _as_int(params.get("max_connections", 40), "max_connections"),
            "allowed_updates": allowed,
            "ip_address": params.get("ip_address"),
        }
        self._poll_generation += 1
        self._wake_pollers()
        if self._webhook_task is None or self._webhook_task.done():
            self._webhook_task = asyncio.get_running_loop().create_task(self._webhook_pump())
        return _Result(True, "Webhook is already set" if same else "Webhook was set")

    # ----------------------------------------------------------------------------------------
    # webhook delivery
    # ----------------------------------------------------------------------------------------

    async def deliver(
        self,
        update: tg.Update | Mapping[str, Any],
        *,
        url: str | None = None,
        secret: str | Literal[False] | None = False,
    ) -> tuple[int, str]:
        """POST one update to the webhook (or `url`) once, as Telegram does; returns the HTTP
        status and body. `secret` overrides the header (None: no header; False: the one given
        to setWebhook). The update is not queued: use it for duplicates and forged requests."""
        target = url or (self.webhook or {}).get("url")
        if not target:
            raise RuntimeError("no webhook is set")
        payload = _dump(update) if isinstance(update, tg.Update) else dict(update)
        header = (self.webhook or {}).get("secret_token") if secret is False else secret
        headers = {"X-Telegram-Bot-Api-Secret-Token": header} if header else {}
        async with (
            aiohttp.ClientSession() as session,
            session.post(target, json=payload, headers=headers) as response,
        ):
            return response.status, await response.text()

    async def _webhook_pump(self) -> None:
        """Deliver queued updates to the webhook, up to `max_connections` at a time,
        retrying an update until the bot answers it with 2xx."""
        self._webhook_wake = asyncio.Event()
        in_flight: set[int] = set()
        tasks: set[asyncio.Task[None]] = set()
        turn = 0
        limit = asyncio.Semaphore(int((self.webhook or {}).get("max_connections") or 40))

        async def send(session: aiohttp.ClientSession, item: _Queued, target: str) -> None:
            secret = (self.webhook or {}).get("secret_token")
            headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
            try:
                async with limit, session.post(target, json=item.payload, headers=headers) as r:
                    await r.read()
                    status = r.status
            except (aiohttp.ClientError, TimeoutError):
                status = -1
            self.webhook_deliveries.append((item.update_id, target, status))
            if 200 <= status < 300:
                if not item.dropped:
                    item.dropped = True
                    self._pending -= 1
                while self._queue and self._queue[0].dropped:
                    self._queue.popleft()
                self._notify()
            else:
                await asyncio.sleep(self.webhook_retry_delay)
            in_flight.discard(item.update_id)
            if self._webhook_wake is not None:
                self._webhook_wake.set()

        try:
            async with aiohttp.ClientSession() as session:
                while self.webhook is not None:
                    self._webhook_wake.clear()
                    targets = self.webhook_targets or [str(self.webhook["url"])]
                    for item in list(self._queue):
                        if item.dropped or item.update_id in in_flight:
                            continue
                        if not self._allowed(item.type):
                            item.dropped = True
                            self._pending -= 1
                            continue
                        in_flight.add(item.update_id)
                        target = targets[turn % len(targets)]
                        turn += 1
                        task = asyncio.create_task(send(session, item, target))
                        tasks.add(task)
                        task.add_done_callback(tasks.discard)
                    await self._webhook_wake.wait()
        finally:
            for task in list(tasks):
                task.cancel()
            self._webhook_wake = None

    def _drop_all(self) -> None:
        for item in self._queue:
            if not item.dropped:
                item.dropped = True
                self._pending -= 1
        self._queue.clear()
        self._notify()

    def _delete_webhook(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        if _as_bool(params.get("drop_pending_updates", False)):
            self._drop_all()
        had = self.webhook is not None
        self.webhook = None
        return _Result(True, "Webhook was deleted" if had else "Webhook is already deleted")

    def _get_webhook_info(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        hook = self.webhook or {}
        info = _build(
            tg.WebhookInfo,
            url=hook.get("url", ""),
            has_custom_certificate=False,
            pending_update_count=self._pending,
            max_connections=hook.get("max_connections"),
            allowed_updates=hook.get("allowed_updates"),
            ip_address="127.0.0.1" if hook else None,
        )
        return _dump(info)

    def _send_message(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        state = self._writable_chat(params.get("chat_id"))
        raw = params.get("text")
        text, entities = self._format(
            raw,
            params.get("parse_mode"),
            params.get("entities"),
            limit=MAX_TEXT,
            too_long="message is too long",
            empty="message text is empty",
        )
        markup, inline = self._markup(params.get("reply_markup"))
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

    def _caption_fields(
        self, params: Mapping[str, Any]
    ) -> tuple[dict[str, Any], str | None, list[dict[str, Any]]]:
        raw = params.get("caption")
        if raw is None or raw == "":
            return {}, None, []
        caption, entities = self._format(
            raw,
            params.get("parse_mode"),
            params.get("caption_entities"),
            limit=MAX_CAPTION,
            too_long="message caption is too long",
            empty=None,
        )
        fields: dict[str, Any] = {}
        if caption:
            fields["caption"] = caption
        if entities:
            fields["caption_entities"] = entities
        if _as_bool(params.get("show_caption_above_media", False)):
            fields["show_caption_above_media"] = True
        return fields, caption or None, entities

    def _send_media(
        self, kind: str, params: dict[str, Any], files: dict[str, UploadedFile]
    ) -> Json:
        state = self._writable_chat(params.get("chat_id"))
        rec = self._input_file(kind, params.get(kind), files)
        fields, caption, entities = (
            self._caption_fields(params)
            if kind not in ("sticker", "video_note")
            else ({}, None, [])
        )
        markup, inline = self._markup(params.get("reply_markup"))
        reply_to = self._reply_target(state, params)
        fields.update(self._media_fields(kind, rec, params))
        if _as_bool(params.get("has_spoiler", False)) and kind in ("photo", "video", "animation"):
            fields["has_media_spoiler"] = True
        method = "send" + "".join(part.title() for part in kind.split("_"))
        stored = self._store_bot_message(
            state,
            method,
            params,
            fields,
            content_type=kind,
            markup=markup,
            inline=inline,
            text=caption,
            raw_text=params.get("caption"),
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
            raise _bad("wrong latitude/longitude specified") from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise _bad("wrong latitude/longitude specified")
        markup, inline = self._markup(params.get("reply_markup"))
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

    def _send_media_group(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        state = self._writable_chat(params.get("chat_id"))
        media = params.get("media")
        if isinstance(media, str):
            media = json.loads(media)
        if not isinstance(media, list) or not media:
            raise _bad("there are no media in the request")
        if not 2 <= len(media) <= 10:
            raise _bad("wrong number of media items specified")
        reply_to = self._reply_target(state, params)
        self._media_group_counter += 1
        group_id = str(13_000_000_000_000_000 + self._media_group_counter)
        prepared = []
        for item in media:
            if not isinstance(item, dict) or item.get("type") not in (
                "photo",
                "video",
                "document",
                "audio",
            ):
                raise _bad("wrong media type specified")
            kind = item["type"]
            rec = self._input_file(kind, item.get("media"), files)
            cap_params = {"parse_mode": params.get("parse_mode"), **item}
            fields, caption, entities = self._caption_fields(cap_params)
            fields.update(self._media_fields(kind, rec, item))
            prepared.append((kind, fields, caption, entities, item))
        kinds = {p[0] for p in prepared}
        if ("document" in kinds and kinds != {"document"}) or (
            "audio" in kinds and kinds != {"audio"}
        ):
            raise _bad("documents and audio files can't be mixed with other media types")
        results = []
        for kind, fields, caption, entities, item in prepared:
            fields["media_group_id"] = group_id
            stored = self._store_bot_message(
                state,
                "sendMediaGroup",
                {**params, **item},
                fields,
                content_type=kind,
                markup=None,
                inline=None,
                text=caption,
                raw_text=item.get("caption"),
                entities=entities,
                reply_to=reply_to,
            )
            results.append(stored.data)
        return results

    def _source_message(self, params: Mapping[str, Any], action: str) -> StoredMessage:
        source_chat = self._chat(params.get("from_chat_id"))
        message_id = params.get("message_id")
        if message_id is None:
            raise _bad("message identifier is not specified")
        source = source_chat.messages.get(_as_int(message_id, "message identifier"))
        if source is None or source.deleted:
            raise _bad(f"message to {action} not found")
        return source

    _CONTENT_KEYS = (
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

    def _copy_message(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        source = self._source_message(params, "copy")
        state = self._writable_chat(params.get("chat_id"))
        fields = {k: source.data[k] for k in self._CONTENT_KEYS if k in source.data}
        text = source.text
        entities = source.entities
        if "caption" in params and source.content_type != "text":
            fields.pop("caption", None)
            fields.pop("caption_entities", None)
            cap_fields, text, entities = self._caption_fields(params)
            fields.update(cap_fields)
        markup, inline = self._markup(params.get("reply_markup"))
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
        return _dump(tg.MessageId(message_id=stored.message_id))

    def _forward_message(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        source = self._source_message(params, "forward")
        state = self._writable_chat(params.get("chat_id"))
        fields: dict[str, Any] = {k: source.data[k] for k in self._CONTENT_KEYS if k in source.data}
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

    def _edit_message_text(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        stored = self._message_target(params, action="edit")
        if not stored.from_bot:
            raise _bad("message can't be edited")
        if stored.content_type != "text":
            raise _bad("there is no text in the message to edit")
        raw = params.get("text")
        text, entities = self._format(
            raw,
            params.get("parse_mode"),
            params.get("entities"),
            limit=MAX_TEXT,
            too_long="message is too long",
            empty="text must be non-empty",
        )
        markup, inline = self._markup(params.get("reply_markup"), inline_only=True)
        if (
            text == stored.data.get("text")
            and entities == stored.data.get("entities", [])
            and inline == stored.data.get("reply_markup")
        ):
            raise _bad(NOT_MODIFIED)
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
            raise _bad("message can't be edited")
        if stored.content_type in ("text", "location", "sticker", "video_note", "contact"):
            raise _bad("there is no caption in the message to edit")
        fields, caption, entities = self._caption_fields(params)
        markup, inline = self._markup(params.get("reply_markup"), inline_only=True)
        if (
            fields.get("caption") == stored.data.get("caption")
            and entities == stored.data.get("caption_entities", [])
            and inline == stored.data.get("reply_markup")
        ):
            raise _bad(NOT_MODIFIED)
        data = self._apply_edit(stored, fields, ("caption", "caption_entities"), markup, inline)
        stored.text, stored.raw_text, stored.entities = caption, params.get("caption"), entities
        stored.parse_mode = params.get("parse_mode")
        return data

    def _edit_message_reply_markup(
        self, params: dict[str, Any], files: dict[str, UploadedFile]
    ) -> Json:
        stored = self._message_target(params, action="edit")
        if not stored.from_bot:
            raise _bad("message can't be edited")
        markup, inline = self._markup(params.get("reply_markup"), inline_only=True)
        if inline == stored.data.get("reply_markup"):
            raise _bad(NOT_MODIFIED)
        return self._apply_edit(stored, {}, (), markup, inline)

    def _delete_one(self, state: _Chat, message_id: int) -> None:
        stored = state.messages.get(message_id)
        if stored is None or stored.deleted:
            raise _bad("message to delete not found")
        if (
            not stored.from_bot
            and not state.private
            and state.bot_status not in ("administrator", "creator")
        ):
            raise _bad("message can't be deleted")
        stored.deleted = True
        self._emit("deleted", stored)

    def _delete_message(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        state = self._chat(params.get("chat_id"))
        message_id = params.get("message_id")
        if message_id is None:
            raise _bad("message identifier is not specified")
        self._delete_one(state, _as_int(message_id, "message identifier"))
        return True

    def _delete_messages(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        state = self._chat(params.get("chat_id"))
        ids = params.get("message_ids") or []
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise _bad("message identifiers are not specified")
        for message_id in ids:
            with contextlib.suppress(ApiError):
                self._delete_one(state, _as_int(message_id, "message identifier"))
        return True

    def _answer_callback_query(
        self, params: dict[str, Any], files: dict[str, UploadedFile]
    ) -> Json:
        query_id = str(params.get("callback_query_id", ""))
        info = self._callbacks.get(query_id)
        if info is None or info["answered"]:
            raise _bad(QUERY_TOO_OLD)
        text = params.get("text")
        if text is not None and len(str(text)) > 200:
            raise _bad("MESSAGE_TOO_LONG")
        info["answered"] = True
        self.callback_answers[query_id] = dict(params)
        return True

    def _get_chat(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        state = self._chat(params.get("chat_id"))
        if state.private:
            user = self.users.get(state.id)
            info = _build(
                tg.ChatFullInfo,
                id=state.id,
                type="private",
                first_name=user.first_name if user else None,
                last_name=user.last_name if user else None,
                username=user.username if user else None,
                accent_color_id=0,
                max_reaction_count=11,
            )
        else:
            if state.bot_status == "kicked":
                raise _forbidden(f"bot was kicked from the {state.type} chat")
            info = _build(
                tg.ChatFullInfo,
                id=state.id,
                type=state.type,
                title=state.title,
                username=state.username,
                accent_color_id=0,
                max_reaction_count=11,
            )
        return _dump(info)

    def _get_chat_member(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        state = self._chat(params.get("chat_id"))
        user_id = _as_int(params.get("user_id"), "user_id")
        if user_id == BOT_ID:
            user = self.bot_user
        else:
            found = self.users.get(user_id)
            if found is None:
                raise _bad("user not found")
            user = found
        status = self.chat_member_status(state.id, user_id)
        return _dump(self._member_object(user, status))

    def _get_chat_administrators(
        self, params: dict[str, Any], files: dict[str, UploadedFile]
    ) -> Json:
        state = self._chat(params.get("chat_id"))
        if state.private:
            raise _bad("there are no administrators in the private chat")
        out = []
        for status in ("creator", "administrator"):
            for uid, st in state.statuses.items():
                if st == status:
                    out.append(_dump(self._member_object(self.users[uid], status)))
            if state.bot_status == status:
                out.append(_dump(self._member_object(self.bot_user, status)))
        return out

    def _get_chat_member_count(
        self, params: dict[str, Any], files: dict[str, UploadedFile]
    ) -> Json:
        state = self._chat(params.get("chat_id"))
        if state.private:
            return 2
        present = {"creator", "administrator", "member", "restricted"}
        count = sum(1 for st in state.statuses.values() if st in present)
        return count + (1 if state.bot_status in present else 0)

    def _scope_key(self, scope: Any, *, check: bool = False) -> str:
        """``"default"``, ``"all_private_chats"``... or compact JSON for chat scopes."""
        if isinstance(scope, str):
            scope = json.loads(scope) if scope.startswith("{") else {"type": scope}
        if not scope:
            return "default"
        if not isinstance(scope, dict) or "type" not in scope:
            raise _bad("can't parse BotCommandScope JSON object")
        if set(scope) == {"type"}:
            return str(scope["type"])
        scope = dict(scope)
        for key in ("chat_id", "user_id"):
            value = scope.get(key)
            if isinstance(value, str) and _INT_RE.fullmatch(value):
                scope[key] = int(value)
        if check and "chat_id" in scope:
            self._chat(scope["chat_id"])
        return json.dumps(scope, sort_keys=True, separators=(",", ":"))

    def get_commands(
        self, scope: Mapping[str, Any] | str | None = None, language_code: str = ""
    ) -> list[dict[str, Any]]:
        """Commands stored by setMyCommands for a scope (``"default"``...) and language."""
        key = self._scope_key(dict(scope) if isinstance(scope, Mapping) else scope)
        return self.commands.get((key, language_code or ""), [])

    def _set_my_commands(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        commands = params.get("commands")
        if isinstance(commands, str):
            commands = json.loads(commands)
        if not isinstance(commands, list):
            raise _bad("can't parse commands JSON object")
        if len(commands) > 100:
            raise _bad("too many commands specified")
        cleaned = []
        for item in commands:
            if not isinstance(item, dict):
                raise _bad("can't parse BotCommand JSON object")
            command = str(item.get("command", "")).lstrip("/")
            description = str(item.get("description", ""))
            if not _COMMAND_RE.fullmatch(command):
                raise _bad("BOT_COMMAND_INVALID")
            if not 1 <= len(description.strip()) <= 256:
                raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
            cleaned.append(_dump(tg.BotCommand(command=command, description=description)))
        key = (
            self._scope_key(params.get("scope"), check=True),
            str(params.get("language_code") or ""),
        )
        if cleaned:
            self.commands[key] = cleaned
        else:
            self.commands.pop(key, None)
        return True

    def _get_my_commands(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        key = (self._scope_key(params.get("scope")), str(params.get("language_code") or ""))
        return list(self.commands.get(key, []))

    def _delete_my_commands(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        key = (self._scope_key(params.get("scope")), str(params.get("language_code") or ""))
        self.commands.pop(key, None)
        return True

    def _set_chat_menu_button(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        button = params.get("menu_button") or {"type": "default"}
        if isinstance(button, str):
            button = json.loads(button)
        if not isinstance(button, dict) or button.get("type") not in (
            "default",
            "commands",
            "web_app",
        ):
            raise _bad("can't parse menu button JSON object")
        if params.get("chat_id") is None:
            self._menu_button_default = button
        else:
            state = self._chat(params["chat_id"])
            if not state.private:
                raise _bad("chat_id must be a private chat")
            state.menu_button = button
        return True

    def _get_chat_menu_button(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        if params.get("chat_id") is None:
            return self._menu_button_default or {"type": "default"}
        state = self._chat(params["chat_id"])
        return state.menu_button or self._menu_button_default or {"type": "default"}

    def menu_button(self, chat_id: int | None = None) -> dict[str, Any]:
        """The menu button set for a private chat (or the default one)."""
        if chat_id is not None and self._chats[chat_id].menu_button:
            return dict(self._chats[chat_id].menu_button or {})
        return dict(self._menu_button_default or {"type": "default"})

    def _send_chat_action(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        state = self._writable_chat(params.get("chat_id"))
        action = params.get("action")
        if action not in _CHAT_ACTIONS:
            raise _bad("wrong parameter action in request")
        self.chat_actions.append((state.id, str(action)))
        return True

    def _get_file(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        file_id = params.get("file_id")
        rec = self._files.get(str(file_id)) if file_id else None
        if rec is None:
            raise _bad("invalid file_id")
        if rec.file_size > 20 * 1024 * 1024:
            raise _bad("file is too big")
        return _dump(
            tg.File(
                file_id=rec.file_id,
                file_unique_id=rec.file_unique_id,
                file_size=rec.file_size,
                file_path=rec.file_path,
            )
        )

    def _leave_chat(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        state = self._chat(params.get("chat_id"))
        if state.private:
            raise _bad("chat member status can't be changed in private chats")
        if state.bot_status in ("left", "kicked"):
            raise _forbidden(f"bot is not a member of the {state.type} chat")
        state.bot_status = "left"
        return True

    def _require_admin(self, state: _Chat) -> None:
        if state.private:
            raise _bad("chat member status can't be changed in private chats")
        if state.bot_status not in ("administrator", "creator"):
            raise _bad("not enough rights to restrict/unrestrict chat member")

    def _ban_chat_member(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        state = self._chat(params.get("chat_id"))
        self._require_admin(state)
        user_id = _as_int(params.get("user_id"), "user_id")
        if state.statuses.get(user_id) == "creator":
            raise _bad("can't remove chat owner")
        self._set_status(state, user_id, "kicked")
        return True

    def _unban_chat_member(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        state = self._chat(params.get("chat_id"))
        self._require_admin(state)
        user_id = _as_int(params.get("user_id"), "user_id")
        current = state.statuses.get(user_id, "left")
        if current == "kicked" or (
            not _as_bool(params.get("only_if_banned", False))
            and current not in ("creator", "administrator", "member", "restricted")
        ):
            self._set_status(state, user_id, "left")
        return True

    def _setting(self, name: str) -> Handler:
        def handler(params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
            language = str(params.get("language_code") or "")
            self.bot_settings.setdefault(name, {})[language] = params.get(name) or ""
            return True

        return handler

    def _getting(self, name: str, cls: type[BaseModel]) -> Handler:
        def handler(params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
            language = str(params.get("language_code") or "")
            values = self.bot_settings.get(name, {})
            value = values.get(language) or values.get("", "")
            if name == "name" and not value:
                value = self.bot_user.first_name
            return _dump(cls(**{name: value}))

        return handler


def _resolve(fut: asyncio.Future[None]) -> None:
    if not fut.done():
        fut.set_result(None)


def _jsonable(value: Any) -> Any:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return json.loads(json.dumps(value, default=str))
    return value


# --------------------------------------------------------------------------------------------
# standalone server
# --------------------------------------------------------------------------------------------


async def _serve(args: argparse.Namespace) -> None:
    emu = BotAPIEmulator(
        token=args.token, bot_username=args.username, host=args.host, port=args.port
    )
    await emu.start()
    print(f"Bot API emulator listening on {emu.base_url}", flush=True)
    print(f"  bot: @{emu.bot_username} (id {BOT_ID}); token: {args.token or 'any N:xxx'}")
    print(f"  control: POST {emu.base_url}/_emulator/{{user,group,message,callback,update}}")
    try:
        await asyncio.Event().wait()
    finally:
        await emu.stop()


def main(argv: list[str] | None = None) -> None:
    """``python -m bot.emulator --port 8081``: serve until Ctrl-C."""
    parser = argparse.ArgumentParser(description="Telegram Bot API emulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=None, help="accept only this token")
    parser.add_argument("--username", default="linli_test_bot")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args))


if __name__ == "__main__":
    main()
