"""Message entities: UTF-16 offsets, tdlib's order, links and mentions of users."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit

SPACES = frozenset(b" \t\r\n\v\f\x00")
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

UserLookup = Callable[[int], dict[str, Any]]
"""Maps a user id to a User dict, for ``tg://user?id=`` links."""


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (Telegram's entity unit)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def utf16_units(byte: int) -> int:
    """UTF-16 units contributed by a UTF-8 byte (0 for continuation bytes)."""
    if byte & 0xC0 == 0x80:
        return 0
    return 2 if byte >= 0xF0 else 1


def sort_entities(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(
        entities,
        key=lambda e: (e["offset"], -e["length"], _ENTITY_PRIORITY.get(e["type"], 50)),
    )


def checked_link(url: str) -> str:
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


def link_entity(
    offset: int, length: int, url: str, users: UserLookup | None
) -> dict[str, Any] | None:
    user_id = _link_user_id(url)
    if user_id is not None:
        user = users(user_id) if users else {"id": user_id, "is_bot": False, "first_name": ""}
        return {"type": "text_mention", "offset": offset, "length": length, "user": user}
    checked = checked_link(url)
    if not checked:
        return None
    return {"type": "text_link", "offset": offset, "length": length, "url": checked}
