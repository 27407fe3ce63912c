"""Direct messages to residents other than the one who sent the update."""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramForbiddenError
from aiogram.types import InlineKeyboardMarkup

from linli.bot.i18n import Translator
from linli.models import Resident

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
    return await send_to_resident(bot, resident, text, reply_markup=reply_markup)


async def send_to_resident(
    bot: Bot,
    resident: Resident,
    text: str,
    *,
    reply_markup: InlineKeyboardMarkup | None = None,
    photo: str | None = None,
    voice: str | None = None,
) -> bool:
    """A composed message (optionally a photo or voice with `text` as caption) to a
    resident; False when Telegram refuses or the account was deleted (/privacy)."""
    if resident.deleted_at is not None:
        return False
    try:
        if photo:
            await bot.send_photo(
                resident.telegram_id, photo, caption=text[:1024], reply_markup=reply_markup
            )
        elif voice:
            await bot.send_voice(
                resident.telegram_id, voice, caption=text[:1024], reply_markup=reply_markup
            )
        else:
            await bot.send_message(resident.telegram_id, text, reply_markup=reply_markup)
    except TelegramForbiddenError:
        log.info("resident %s has blocked the bot", resident.id)
        return False
    except TelegramAPIError as exc:
        log.warning("could not message resident %s: %s", resident.id, exc)
        return False
    return True
