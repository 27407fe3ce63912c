"""What the deliberation conversations share: the Cancel button of every flow (and its
handler), drafts kept in the FSM, text-or-voice input, "press a button" answers."""

from __future__ import annotations

from collections.abc import Container
from datetime import UTC, datetime, timedelta
from typing import Any

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext

from linli.bot.callbacks.deliberation import TopicFlow, VoteFlow
from linli.bot.delivery import Delivery
from linli.bot.keyboards import deliberation as kb
from linli.services import votes as vote_service
from linli.services.errors import DomainError, StaleAction, ValidationFailed

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


def days_ahead(value: str, allowed: Container[int]) -> datetime:
    """The moment `value` days from now, for a "N days" button (a forged one is refused)."""
    if not value.isdigit() or int(value) not in allowed:
        raise StaleAction()
    return now() + timedelta(days=int(value))


async def typed_moment(
    message: Message, i18n: I18nContext, delivery: Delivery, markup: Any
) -> datetime | None:
    """A future date and time typed in the community's time zone; None (after saying why,
    staying at the same step) when it is not one."""
    try:
        return vote_service.parse_datetime(message.text, delivery.settings.tz, now())
    except ValidationFailed as error:
        await reask(message, i18n, error, markup)
        return None


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
