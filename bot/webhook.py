"""Webhook mode: aiogram's aiohttp handler behind a reverse proxy.

Updates are handled *before* Telegram gets its answer, so if the process dies mid-update
Telegram delivers it again. A redelivery of an update that was handled (or is being handled)
is dropped by `bot.middlewares.UpdateDedupMiddleware`, which `create_app(webhook=True)` adds.
"""

from __future__ import annotations

import asyncio
import logging
import secrets

from aiogram import Bot
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web

from linli.bot.app import App
from linli.config import webhook_config

log = logging.getLogger(__name__)


class SecretRequestHandler(SimpleRequestHandler):
    """aiogram's handler, with the secret header compared as bytes: a header holding
    non-ASCII characters is a wrong secret (401), not a TypeError (500 and a traceback)."""

    def verify_secret(self, telegram_secret_token: str, bot: Bot) -> bool:
        if not self.secret_token:
            return True
        given = telegram_secret_token.encode("utf-8", "surrogateescape")
        return secrets.compare_digest(given, self.secret_token.encode())


def build_web_app(app: App) -> web.Application:
    """The aiohttp application serving the webhook path (and the dispatcher's lifecycle)."""
    _url, secret = webhook_config(app.settings)
    web_app = web.Application()
    SecretRequestHandler(
        dispatcher=app.dp,
        bot=app.bot,
        secret_token=secret,
        handle_in_background=False,
    ).register(web_app, path=app.settings.webhook_path)
    setup_application(web_app, app.dp, bot=app.bot)
    return web_app


async def serve_webhook(app: App, stop: asyncio.Event | None = None) -> None:
    """Serve until `stop` is set (or forever); the dispatcher starts and stops with it.
    The webhook is registered with Telegram only once the server listens. /healthz and
    /metrics are not on this server (it faces the internet through the proxy): they are on
    HEALTH_HOST:HEALTH_PORT (`App.start_health`; closed by `App.close`)."""
    url, secret = webhook_config(app.settings)
    await app.start_health()
    web_app = build_web_app(app)
    runner = web.AppRunner(web_app)
    await runner.setup()
    site = web.TCPSite(runner, app.settings.webhook_host, app.settings.webhook_port)
    await site.start()
    await app.bot.set_webhook(
        url,
        secret_token=secret,
        allowed_updates=app.dp.resolve_used_update_types(),
        drop_pending_updates=False,
    )
    log.info(
        "webhook listening on %s:%s%s",
        app.settings.webhook_host,
        app.settings.webhook_port,
        app.settings.webhook_path,
    )
    try:
        await (stop or asyncio.Event()).wait()
    finally:
        await runner.cleanup()
