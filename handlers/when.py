"""The date-and-time picker's own steps: a day pressed shows its hours, "another day" shows
the days again. The flow that showed the picker keeps its other buttons (rows without a
picker button stay) and handles the final pick itself (`WhenPick` with `at` set)."""

from __future__ import annotations

from datetime import UTC, datetime

from aiogram import F, Router
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext

from linli.bot.callbacks.common import WhenPick
from linli.bot.commands import CommandSpec
from linli.bot.keyboards.when import chosen_day, day_keyboard, time_keyboard
from linli.config import Settings
from linli.services.errors import StaleAction

router = Router(name=__name__)

COMMANDS: list[CommandSpec] = []

PREFIX = WhenPick.__prefix__ + WhenPick.__separator__


def _own_rows(message: Message) -> list[list[InlineKeyboardButton]]:
    """The rows of the message's keyboard that are not the picker's (e.g. Cancel)."""
    markup = message.reply_markup
    if markup is None:
        return []
    return [
        # fresh copies: the buttons of a received message are bound to the bot, which the
        # keyboard builder cannot deep-copy
        [InlineKeyboardButton(**button.model_dump(exclude_none=True)) for button in row]
        for row in markup.inline_keyboard
        if not any((button.callback_data or "").startswith(PREFIX) for button in row)
    ]


@router.callback_query(WhenPick.filter(F.at == ""))
async def browse(
    query: CallbackQuery, callback_data: WhenPick, i18n: I18nContext, settings: Settings
) -> None:
    if not isinstance(query.message, Message):
        raise StaleAction()
    extra = _own_rows(query.message)
    moment = datetime.now(UTC)
    if callback_data.day:
        day = chosen_day(callback_data)
        if day is None:
            raise StaleAction()
        markup: InlineKeyboardMarkup = time_keyboard(
            i18n.get, callback_data.flow, day, moment, settings.tz, extra=extra
        )
    else:
        markup = day_keyboard(i18n.get, callback_data.flow, moment, settings.tz, extra=extra)
    await query.message.edit_reply_markup(reply_markup=markup)
