"""What the points conversations share: the private-chat filter, the clock, and the Cancel
button that leaves any points, activity or shop flow."""

from __future__ import annotations

from datetime import UTC, datetime

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from linli.bot.callbacks.points import CancelFlow
from linli.services.errors import StaleAction

router = Router(name=__name__)

private = F.chat.type == "private"
typed = ~F.text.startswith("/")
"""A message that is not a command (a command leaves the flow through its own handler)."""


def now_utc() -> datetime:
    return datetime.now(UTC)


def message_of(query: CallbackQuery) -> Message:
    """The message a button is on; a message too old for Telegram to show us makes the
    button stale."""
    if not isinstance(query.message, Message):
        raise StaleAction()
    return query.message


@router.callback_query(CancelFlow.filter())
async def cancel_flow(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    await state.clear()
    if isinstance(query.message, Message):
        await query.message.edit_text(i18n.get("cancel-done"))
