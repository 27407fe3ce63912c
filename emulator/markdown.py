"""MarkdownV2 and legacy Markdown, parsed the way tdlib does it (with tdlib's error wording)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from linli.emulator.entities import SPACES, UserLookup, link_entity, sort_entities, utf16_units
from linli.emulator.errors import FormatError

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
    text: str, users: UserLookup | None = None
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
            u16 += utf16_units(c)
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
                    while at(lang_end) not in SPACES and at(lang_end) != 0x60:
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
                link = link_entity(start, length, url, users)
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
    return out.decode("utf-8", "replace"), sort_entities(entities)


def parse_markdown(text: str, users: UserLookup | None = None) -> tuple[str, list[dict[str, Any]]]:
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
            u16 += utf16_units(c)
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
            while lang_end < n and b[lang_end] not in SPACES and b[lang_end] != 0x60:
                lang_end += 1
            if lang_end < n and b[lang_end] == 0x0A:
                language = b[i:lang_end].decode("utf-8", "replace")
                i = lang_end + 1
        start = u16
        while i < n and not (b[i] == end_char and (not is_pre or b[i : i + 3] == b"```")):
            u16 += utf16_units(b[i])
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
            link = link_entity(start, length, url, users) if url and length else None
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
    return out.decode("utf-8", "replace"), sort_entities(entities)
