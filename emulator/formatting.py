"""Telegram's text pipeline: parse_mode markup or explicit entities, trimming, length limits,
and the bot_command/mention entities a client attaches to what a user types."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from aiogram import types as tg
from pydantic import ValidationError

from linli.emulator.entities import UserLookup, utf16_len
from linli.emulator.errors import FormatError, bad
from linli.emulator.html import parse_html
from linli.emulator.markdown import parse_markdown, parse_markdown_v2
from linli.emulator.params import as_bool
from linli.emulator.shapes import dump

MAX_TEXT = 4096
MAX_CAPTION = 1024


def parse_formatted(
    text: str, parse_mode: str | None, users: UserLookup | None = None
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
        raise bad(f"can't parse entities: {exc}") from None
    raise bad("unsupported parse_mode")


def trim(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
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


def format_text(
    text: Any,
    parse_mode: Any,
    entities: Any,
    *,
    users: UserLookup,
    limit: int,
    too_long: str,
    empty: str | None,
) -> tuple[str, list[dict[str, Any]]]:
    """Telegram's text pipeline: parse markup (or take the given entities), trim, check the
    length. ``users`` resolves ``tg://user?id=`` links."""
    if text is None:
        text = ""
    if not isinstance(text, str):
        text = str(text)
    if entities:
        if isinstance(entities, str):
            entities = json.loads(entities)
        try:
            parsed = [dump(tg.MessageEntity.model_validate(e)) for e in entities]
        except ValidationError:
            raise bad("can't parse entities JSON object") from None
        plain = text
    else:
        plain, parsed = parse_formatted(text, parse_mode, users)
        parsed = [dump(tg.MessageEntity.model_validate(e)) for e in parsed]
    plain, parsed = trim(plain, parsed)
    if not plain and empty is not None:
        raise bad(empty)
    if len(plain) > limit:
        raise bad(too_long)
    return plain, parsed


def caption_fields(
    params: Mapping[str, Any], users: UserLookup
) -> tuple[dict[str, Any], str | None, list[dict[str, Any]]]:
    """A media message's caption fields from the request, the caption and its entities."""
    raw = params.get("caption")
    if raw is None or raw == "":
        return {}, None, []
    caption, entities = format_text(
        raw,
        params.get("parse_mode"),
        params.get("caption_entities"),
        users=users,
        limit=MAX_CAPTION,
        too_long="message caption is too long",
        empty=None,
    )
    fields: dict[str, Any] = {}
    if caption:
        fields["caption"] = caption
    if entities:
        fields["caption_entities"] = entities
    if as_bool(params.get("show_caption_above_media", False)):
        fields["show_caption_above_media"] = True
    return fields, caption or None, entities


def command_entities(text: str) -> list[dict[str, Any]]:
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
