"""What the deliberation conversations share: the Cancel button of every flow (and its
handler), drafts kept in the FSM, text-or-voice input, "press a button" answers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext

from linli.bot.callbacks.deliberation import TopicFlow, VoteFlow
from linli.bot.keyboards import deliberation as kb
from linli.services.errors import DomainError, StaleAction

router = Router(name=__name__)


def now() -> datetime:
    return datetime.now(UTC)


def cancel_kb(i18n: I18nContext, markup: InlineKeyboardMarkup | None = None) -> Any:
    """`markup` (if any) with a Cancel row, inside a topic flow."""
    return kb.with_cancel(markup, i18n.get("topic-button-cancel"), TopicFlow)


def vote_cancel_kb(i18n: I18nContext, markup: InlineKeyboardMarkup | None = None) -> Any:
    """`markup` (if any) with a Cancel row, inside /vote_new."""
    return kb.with_cancel(markup, i18n.get("topic-button-cancel"), VoteFlow)


def confirm_kb(i18n: I18nContext, factory: type[TopicFlow] | type[VoteFlow] = TopicFlow) -> Any:
    return kb.confirm(i18n.get("topic-button-confirm"), i18n.get("topic-button-cancel"), factory)


async def reask(message: Message, i18n: I18nContext, error: DomainError, markup: Any) -> None:
    """Bad input inside a flow: say why, stay at the same step."""
    await message.answer(i18n.get(error.key, **error.params), reply_markup=markup)


def text_or_voice(message: Message) -> tuple[str, str | None] | None:
    """(text, voice file id) of a text or voice message; None for anything else."""
    if message.text is not None:
        return message.text, None
    if message.voice is not None:
        return message.caption or "", message.voice.file_id
    return None


async def read_draft(state: FSMContext, *keys: str) -> dict[str, Any]:
    """The flow's draft; when it lost a key it needs (the state outlived its data, e.g. the
    storage was cleared), the flow ends with "start again" and nothing is saved."""
    data = await state.get_data()
    if any(key not in data for key in keys):
        await state.clear()
        raise StaleAction()
    return data


async def expected_button(message: Message, i18n: I18nContext) -> None:
    """Text at a step that waits for a button (each flow registers it for its states)."""
    await message.answer(i18n.get("topic-expected-button"))


@router.callback_query(TopicFlow.filter(F.action == "cancel"))
@router.callback_query(VoteFlow.filter(F.action == "cancel"))
async def flow_cancel(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    await state.clear()
    if isinstance(query.message, Message):
        await query.message.edit_text(i18n.get("topic-cancelled"))
