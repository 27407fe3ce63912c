"""Direct messages to residents other than the one who sent the update."""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramForbiddenError
from aiogram.types import InlineKeyboardMarkup

from bot.i18n import Translator
from models import Resident

log = logging.getLogger(__name__)


async def tell(
    bot: Bot,
    translator: Translator,
    resident: Resident,
    key: str,
    *,
    reply_markup: InlineKeyboardMarkup | None = None,
    **kwargs: Any,
) -> bool:
    """Send `key` to `resident` in their language; False when Telegram refuses."""
    text = translator.for_resident(resident, key, **kwargs)
    try:
        await bot.send_message(resident.telegram_id, text, reply_markup=reply_markup)
    except TelegramForbiddenError:
        log.info("resident %s has blocked the bot", resident.id)
        return False
    except TelegramAPIError as exc:
        log.warning("could not message resident %s: %s", resident.id, exc)
        return False
    return True
