"""/cockpit: a one-time link that signs a chief or an admin in to the web cockpit
(驾驶舱). The link works once, within WEB_LINK_MINUTES; nobody else gets one."""

from __future__ import annotations

from datetime import UTC, datetime

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import LinkPreviewOptions, Message
from aiogram_i18n import I18nContext

from linli.bot.commands import Access, CommandSpec
from linli.bot.filters import HasAccess
from linli.config import Settings
from linli.models import Resident
from linli.services import DbSession, cockpit_access

router = Router(name=__name__)
router.message.filter(F.chat.type == "private")

COMMANDS = [CommandSpec("cockpit", Access.BUILDING_CHIEF, "private")]

LOGIN_PATH = "/cockpit/login"
NO_PREVIEW = LinkPreviewOptions(
    is_disabled=True, prefer_small_media=False, prefer_large_media=False, show_above_text=False
)


def sign_in_url(public_url: str, token: str) -> str:
    return f"{public_url}{LOGIN_PATH}?token={token}"


@router.message(Command("cockpit"), HasAccess(Access.BUILDING_CHIEF))
async def cockpit(
    message: Message,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    web = settings.web
    if web.public_url is None:
        await message.answer(i18n.get("cockpit-not-set-up"))
        return
    token = await cockpit_access.create_link(session, resident, datetime.now(UTC), web.link_minutes)
    await message.answer(
        i18n.get(
            "cockpit-link",
            url=sign_in_url(web.public_url, token),
            minutes=web.link_minutes,
            hours=web.session_hours,
        ),
        # No preview: Telegram's servers would fetch the page (harmless, since only the
        # button on the page spends the link, but useless to show). Every field is given:
        # the emulator cannot read back the ones left to the bot's defaults.
        link_preview_options=NO_PREVIEW,
    )
