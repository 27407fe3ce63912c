"""The delivery layer: everything a chat sees outside a reply.

One `Delivery` is built by the app factory and injected into handlers (the dispatcher's
`delivery` keyword) and into scheduled jobs (`JobContext.delivery`). It renders cards and
group posts, enqueues them in the outbox (services.outbox) in the caller's transaction,
refreshes posts after changes, and messages residents other than the one who sent the
update. Each feature has its part (`delivery.casework`, `delivery.deliberation`, …), built
with it; importing the parts registers their `on_delivered` hooks with the sender.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramForbiddenError
from aiogram.types import InlineKeyboardMarkup
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from linli.bot.delivery.casework import CaseworkDelivery
from linli.bot.delivery.deliberation import DeliberationDelivery
from linli.bot.delivery.notices import NoticeDelivery
from linli.bot.delivery.partners import PartnersDelivery
from linli.bot.delivery.points import PointsDelivery
from linli.bot.delivery.wishes import WishDelivery
from linli.bot.i18n import Translator
from linli.config import Settings
from linli.models import Resident

log = logging.getLogger(__name__)


class Delivery:
    """What every feature part shares: the bot, the database, the catalogues, the settings."""

    def __init__(
        self,
        bot: Bot,
        sessionmaker: async_sessionmaker[AsyncSession],
        translator: Translator,
        settings: Settings,
    ) -> None:
        self.bot = bot
        self.sessionmaker = sessionmaker
        self.translator = translator
        self.settings = settings
        self.casework = CaseworkDelivery(self)
        self.wishes = WishDelivery(self)
        self.deliberation = DeliberationDelivery(self)
        self.points = PointsDelivery(self)
        self.notices = NoticeDelivery(self)
        self.partners = PartnersDelivery(self)

    # --- shared helpers -----------------------------------------------------------------------

    @staticmethod
    def now() -> datetime:
        return datetime.now(UTC)

    def local_time(self, moment: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
        """`moment` in the community's time zone, for display ("-" when there is none)."""
        if moment is None:
            return "-"
        return moment.astimezone(self.settings.tz).strftime(fmt)

    async def tell(
        self,
        resident: Resident,
        key: str,
        *,
        reply_markup: InlineKeyboardMarkup | None = None,
        **kwargs: Any,
    ) -> bool:
        """Send catalogue message `key` to `resident` in their language; False when
        Telegram refuses or the account was deleted."""
        text = self.translator.for_resident(resident, key, **kwargs)
        return await self.send_to_resident(resident, text, reply_markup=reply_markup)

    async def send_to_resident(
        self,
        resident: Resident,
        text: str,
        *,
        reply_markup: InlineKeyboardMarkup | None = None,
        photo: str | None = None,
        voice: str | None = None,
    ) -> bool:
        """A composed message (optionally a photo or voice with `text` as its caption) to a
        resident other than the one who sent the update; False when Telegram refuses or the
        account was deleted (/privacy)."""
        if resident.deleted_at is not None:
            return False
        try:
            if photo:
                await self.bot.send_photo(
                    resident.telegram_id, photo, caption=text[:1024], reply_markup=reply_markup
                )
            elif voice:
                await self.bot.send_voice(
                    resident.telegram_id, voice, caption=text[:1024], reply_markup=reply_markup
                )
            else:
                await self.bot.send_message(resident.telegram_id, text, reply_markup=reply_markup)
        except TelegramForbiddenError:
            log.info("resident %s has blocked the bot", resident.id)
            return False
        except TelegramAPIError as exc:
            log.warning("could not message resident %s: %s", resident.id, exc)
            return False
        return True
