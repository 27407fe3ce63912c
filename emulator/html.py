"""Telegram-flavoured HTML, parsed the way tdlib does it (with tdlib's error wording)."""

from __future__ import annotations

from typing import Any

from linli.emulator.entities import SPACES, UserLookup, link_entity, sort_entities, utf16_units
from linli.emulator.errors import FormatError

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


def parse_html(text: str, users: UserLookup | None = None) -> tuple[str, list[dict[str, Any]]]:
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
            u16 += utf16_units(c)
            out.append(c)
            i += 1
            continue
        begin = i
        i += 1
        if at(i) != 0x2F:  # start tag
            while at(i) not in SPACES and at(i) != 0x3E:
                i += 1
            if i >= n:
                raise FormatError(f"Unclosed start tag at byte offset {begin}")
            tag = b[begin + 1 : i].decode("utf-8", "replace").lower()
            if tag not in _HTML_TAGS:
                raise FormatError(f'Unsupported start tag "{tag}" at byte offset {begin}')
            attrs: dict[str, str] = {}
            while at(i) != 0x3E:
                while i < n and at(i) in SPACES:
                    i += 1
                if at(i) == 0x3E:
                    break
                name_start = i
                while at(i) not in SPACES and at(i) not in (0x3D, 0x3E):
                    i += 1
                name = b[name_start:i].decode("utf-8", "replace")
                if not name:
                    raise FormatError(
                        f'Empty attribute name in the tag "{tag}" at byte offset {begin}'
                    )
                while i < n and at(i) in SPACES:
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
                while i < n and at(i) in SPACES:
                    i += 1
                if i >= n:
                    raise FormatError(f'Unclosed start tag "{tag}" at byte offset {begin}')
                quote = at(i)
                if quote not in (0x22, 0x27):
                    token_start = i
                    while i < n and ((chr(at(i)).isalnum() and at(i) < 0x80) or at(i) in b".-"):
                        i += 1
                    value = b[token_start:i].decode("ascii").lower()
                    if at(i) not in SPACES and at(i) != 0x3E:
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
        while at(i) not in SPACES and at(i) != 0x3E:
            i += 1
        end_tag = b[begin + 2 : i].decode("utf-8", "replace").lower()
        while i < n and at(i) in SPACES:
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
            link = link_entity(start, length, url, users)
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
    return out.decode("utf-8", "replace"), sort_entities(entities)
