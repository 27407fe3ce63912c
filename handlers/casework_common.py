"""Small helpers shared by the wishes and complaints handlers: ids, command arguments,
short titles for lists, the time of the update, drafts and pressed questions."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from linli.services.errors import StaleAction

Tr = Callable[..., str]
TITLE_LEN = 24
_REF = re.compile(r"^\s*#?([A-Za-z]?)\s*([0-9]{1,12})\s*$")


def now() -> datetime:
    return datetime.now(UTC)


def parse_ref(text: str | None, letter: str) -> int | None:
    """`W12`, `w12`, `12` or `#12` → 12; None for anything else (another letter too)."""
    match = _REF.match(text or "")
    if match is None:
        return None
    if match.group(1) and match.group(1).upper() != letter:
        return None
    return int(match.group(2))


def command_arg(text: str | None) -> str:
    parts = (text or "").split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


def title_of(text: str, voice: bool, tr: Tr) -> str:
    """A short title for lists: the first characters of the text, or "voice message"."""
    text = " ".join(text.split())
    if not text:
        return tr("casework-voice-title") if voice else "-"
    return text if len(text) <= TITLE_LEN else text[: TITLE_LEN - 1] + "…"


async def draft_of(state: FSMContext, kind: str, lost: str) -> dict[str, Any]:
    """The draft of `kind` (a complaint, a wish), or StaleAction(`lost`) ("start again")
    when it is gone, e.g. the bot restarted without a persistent FSM storage: nothing was
    saved."""
    data = await state.get_data()
    if data.get("kind") != kind:
        raise StaleAction(lost)
    return data


async def buttons_done(query: CallbackQuery) -> Message:
    """The question whose button was pressed, its buttons removed (its step is done)."""
    assert isinstance(query.message, Message)
    await query.message.edit_reply_markup(reply_markup=None)
    return query.message
