"""reply_markup as Telegram checks it: inline keyboards, reply keyboards, remove, force reply."""

from __future__ import annotations

import json
from typing import Any

from aiogram import types as tg
from pydantic import BaseModel, ValidationError

from linli.emulator.entities import checked_link
from linli.emulator.errors import bad
from linli.emulator.records import short
from linli.emulator.shapes import dump

MAX_CALLBACK_DATA = 64


def check_markup(
    raw: Any, *, inline_only: bool = False
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """Validate reply_markup -> (markup as given, InlineKeyboardMarkup JSON or None)."""
    if raw is None or raw == "":
        return None, None
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raise bad("can't parse reply keyboard markup JSON object") from None
    if isinstance(raw, BaseModel):
        raw = dump(raw)
    if not isinstance(raw, dict):
        raise bad("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in raw:
        rows = raw["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise bad(
                'can\'t parse inline keyboard button: field "inline_keyboard" must '
                "be an Array of Arrays"
            )
        for row in rows:
            for button in row:
                check_inline_button(button)
        try:
            inline = dump(tg.InlineKeyboardMarkup.model_validate(raw))
        except ValidationError as exc:
            raise bad(f"can't parse inline keyboard button: {short(str(exc), 120)}") from None
        return raw, inline
    if inline_only:
        raise bad("inline keyboard expected")
    model: type[BaseModel] | None = None
    if "keyboard" in raw:
        model = tg.ReplyKeyboardMarkup
    elif raw.get("remove_keyboard"):
        model = tg.ReplyKeyboardRemove
    elif raw.get("force_reply"):
        model = tg.ForceReply
    if model is None:
        raise bad("can't parse reply keyboard markup JSON object")
    try:
        model.model_validate(raw)
    except ValidationError:
        raise bad("can't parse reply keyboard markup JSON object") from None
    return raw, None


def check_inline_button(button: Any) -> None:
    """One inline keyboard button, with Telegram's error for each way it can be wrong."""
    if not isinstance(button, dict):
        raise bad("can't parse inline keyboard button: InlineKeyboardButton must be an Object")
    text = button.get("text")
    if not isinstance(text, str):
        raise bad('can\'t parse inline keyboard button: Field "text" must be of type String')
    if not text.strip():
        raise bad("BUTTON_TEXT_INVALID")
    actions = [k for k, v in button.items() if k != "text" and v is not None]
    if not actions:
        raise bad(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    data = button.get("callback_data")
    if data is not None and (
        not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA
    ):
        raise bad("BUTTON_DATA_INVALID")
    url = button.get("url")
    if url is not None and (not isinstance(url, str) or not checked_link(url)):
        raise bad("BUTTON_URL_INVALID")
