"""The cockpit in `linli demo`: served on a free local port beside the demo bot, with a
sign-in link for the demo's community admin printed at start (and /cockpit working in the
demo chat)."""

from __future__ import annotations

import socket
from datetime import UTC, datetime

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from linli.bot.i18n import Translator
from linli.config import Settings
from linli.config.web import WebSettings
from linli.services import cockpit_access, residents
from linli.web.app import start_web


def demo_web_settings() -> WebSettings:
    """A free port on 127.0.0.1 and the public address that goes with it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    return WebSettings(  # type: ignore[call-arg]
        host="127.0.0.1", port=port, public_url=f"http://127.0.0.1:{port}", _env_file=None
    )


async def start_demo_cockpit(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    translator: Translator,
    admin_telegram_id: int,
    admin_name: str = "社区管理员",
) -> web.AppRunner:
    """Serve the cockpit and print a one-time sign-in link for the demo admin."""
    runner = await start_web(settings, sessionmaker, translator)
    async with sessionmaker() as session:
        admin = await residents.load(
            session,
            residents.TelegramProfile(
                telegram_id=admin_telegram_id, display_name=admin_name, username=None
            ),
            create=True,
            admin_ids=[admin_telegram_id],
        )
        assert admin is not None
        token = await cockpit_access.create_link(
            session, admin, datetime.now(UTC), settings.web.link_minutes
        )
    print(
        "驾驶舱 / cockpit (打开一次即可登录 / opens once): "
        f"{settings.web.public_url}/cockpit/login?token={token}",
        flush=True,
    )
    return runner
