"""Small helpers shared by the wishes and complaints handlers: ids, command arguments,
short titles for lists, the time of the update, what a message holds, drafts and pressed
questions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from linli.services.errors import StaleAction

Tr = Callable[..., str]
TITLE_LEN = 24


def now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Content:
    """What a message says, as a complaint's or a wish's description: its text (a photo's
    caption), a voice message, a photo, a location."""

    text: str = ""
    voice: str | None = None
    photo: str | None = None
    latitude: float | None = None
    longitude: float | None = None

    @classmethod
    def of(cls, message: Message) -> Content:
        location = message.location
        return cls(
            text=(message.text or message.caption or "").strip(),
            voice=message.voice.file_id if message.voice else None,
            photo=message.photo[-1].file_id if message.photo else None,
            latitude=location.latitude if location else None,
            longitude=location.longitude if location else None,
        )

    def as_draft(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "voice": self.voice,
            "photo": self.photo,
            "lat": self.latitude,
            "lon": self.longitude,
        }

    @classmethod
    def from_draft(cls, data: dict[str, Any]) -> Content:
        return cls(
            text=str(data.get("text") or ""),
            voice=data.get("voice"),
            photo=data.get("photo"),
            latitude=data.get("lat"),
            longitude=data.get("lon"),
        )

    @property
    def describes(self) -> bool:
        """Whether it can stand as a description (words, a voice message or a photo)."""
        return bool(self.text or self.voice or self.photo)


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
    """The question whose button was pressed, its buttons removed (its step is done; a
    second press of a question without buttons edits nothing)."""
    if not isinstance(query.message, Message):
        raise StaleAction()
    if query.message.reply_markup is not None:
        await query.message.edit_reply_markup(reply_markup=None)
    return query.message
