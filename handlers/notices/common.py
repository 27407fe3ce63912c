"""What the notice conversations share: their FSM states, the draft kept in FSM data, how
typed text becomes a notice's HTML, prompts whose buttons retire once answered, and how a
schedule and a target are described to a chief."""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime
from typing import Any

from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext

from linli.bot.delivery import Delivery
from linli.bot.delivery.notices import schedule_text, target_text
from linli.models.notices import NoticeKind, Repeat, TargetKind
from linli.services import DbSession
from linli.services import notices as notice_service
from linli.services.errors import StaleAction


class NoticeFlow(StatesGroup):
    kind = State()
    text = State()
    media = State()
    target = State()
    buildings = State()
    when = State()
    at = State()
    repeat = State()
    days = State()
    month_day = State()
    time = State()
    confirm = State()


class NoticeEdit(StatesGroup):
    text = State()


DRAFT_GONE = "notice-error-draft-gone"
"""The answer when a step needs a draft that is gone (expired, finished on another device):
nothing is saved, /notice starts again."""


async def read_draft(state: FSMContext, *keys: str) -> dict[str, Any]:
    """The flow's draft; when it lacks a key the step needs (the state outlived its data),
    the flow ends with "start again" and nothing is saved."""
    data = await state.get_data()
    if any(data.get(key) is None for key in keys):
        await state.clear()
        raise StaleAction(DRAFT_GONE)
    return data


async def prompt(
    message: Message,
    state: FSMContext,
    text: str,
    markup: InlineKeyboardMarkup | None,
    *,
    edit: bool = False,
) -> Message:
    """Ask for typed input under buttons (Cancel, a picker...): the message is remembered so
    its buttons go once the answer is typed (`retire_prompt`)."""
    if edit:
        sent = await message.edit_text(text, reply_markup=markup)
        asked = sent if isinstance(sent, Message) else message
    else:
        asked = await message.answer(text, reply_markup=markup)
    await state.update_data(prompt_id=asked.message_id)
    return asked


async def retire_prompt(message: Message, state: FSMContext) -> None:
    """Take the buttons off the question the chief just answered by typing."""
    data = await state.get_data()
    prompt_id = data.get("prompt_id")
    if not prompt_id or message.bot is None:
        return
    await state.update_data(prompt_id=None)
    with suppress(TelegramBadRequest):  # already gone (e.g. edited by a button meanwhile)
        await message.bot.edit_message_reply_markup(
            chat_id=message.chat.id, message_id=prompt_id, reply_markup=None
        )


# --- the draft in FSM data ------------------------------------------------------------------


def kind_from(data: dict[str, Any]) -> NoticeKind:
    return NoticeKind(data.get("kind", NoticeKind.MESSAGE.value))


def schedule_from(data: dict[str, Any]) -> notice_service.Schedule:
    raw = data.get("schedule") or {}
    run_at = raw.get("run_at")
    return notice_service.Schedule(
        repeat=Repeat(raw.get("repeat", "once")),
        run_at=datetime.fromisoformat(run_at) if run_at else None,
        at_time=raw.get("at_time"),
        weekdays=tuple(raw.get("weekdays") or ()),
        month_day=raw.get("month_day"),
    )


def target_from(data: dict[str, Any]) -> notice_service.Target:
    raw = data.get("target") or {}
    return notice_service.Target(
        TargetKind(raw["kind"]), raw.get("grid_id"), tuple(raw.get("building_ids") or ())
    )


def target_data(target: notice_service.Target) -> dict[str, Any]:
    return {
        "kind": target.kind.value,
        "grid_id": target.grid_id,
        "building_ids": list(target.building_ids),
    }


def draft_from(data: dict[str, Any]) -> notice_service.Draft:
    return notice_service.Draft(
        kind=kind_from(data),
        target=target_from(data),
        schedule=schedule_from(data),
        text=data.get("text", ""),
        media_kind=data.get("media_kind"),
        media_file_id=data.get("media_file_id"),
    )


_FORMATTING = frozenset(
    {
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "code",
        "pre",
        "text_link",
        "text_mention",
        "blockquote",
        "expandable_blockquote",
        "custom_emoji",
        "date_time",
    }
)


def notice_html(message: Message, *, raw_html: bool = False) -> str:
    """The notice text (or caption) as Telegram HTML.

    Plain (the default): what was typed is shown as typed (`<`, `&` escaped) and the
    formatting made with Telegram's own editor (bold, italic, links) becomes tags. Raw
    (the chief chose "I write HTML myself"): typed tags are kept as they are, unless the
    message also carries Telegram formatting, which then wins (typed tags are escaped)."""
    if message.text is None and message.caption is None:
        return ""
    entities = message.entities or message.caption_entities or []
    if not raw_html or any(e.type in _FORMATTING for e in entities):
        return message.html_text
    return message.text or message.caption or ""


# --- describing notices ---------------------------------------------------------------------


def describe_schedule(
    i18n: I18nContext, schedule: notice_service.Schedule, delivery: Delivery
) -> str:
    return schedule_text(i18n.get, schedule, delivery.local_time)


async def describe_target(
    session: DbSession, i18n: I18nContext, target: notice_service.Target
) -> str:
    return target_text(i18n.get, await notice_service.describe_target(session, target))
