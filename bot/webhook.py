"""Webhook mode: aiogram's aiohttp handler behind a reverse proxy.

Updates are handled *before* Telegram gets its answer, so if the process dies mid-update
Telegram delivers it again. A redelivery of an update that was handled (or is being handled)
is dropped by `UpdateDedupMiddleware`: an update id is marked "processing" for 60 seconds on
arrival and "done" for a day when handled, in Redis when `REDIS_URL` is set (shared by every
process) or in memory otherwise. An update whose process died lets its mark expire, so a
later redelivery is handled.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web

from linli.bot.app import App
from linli.bot.observability import add_routes
from linli.config import webhook_config

log = logging.getLogger(__name__)

PROCESSING_TTL = 60
DONE_TTL = 24 * 3600


class UpdateDedupMiddleware(BaseMiddleware):
    """Handles each update id once, whichever process and however often it arrives."""

    def __init__(self, redis: Any | None = None, capacity: int = 200_000) -> None:
        self.redis = redis
        self.capacity = capacity
        self._seen: OrderedDict[int, float] = OrderedDict()

    async def _claim(self, update_id: int) -> bool:
        if self.redis is not None:
            key = f"linli:update:{update_id}"
            return bool(await self.redis.set(key, "processing", nx=True, ex=PROCESSING_TTL))
        now = time.monotonic()
        expires = self._seen.get(update_id)
        if expires is not None and expires > now:
            return False
        self._seen[update_id] = now + PROCESSING_TTL
        self._seen.move_to_end(update_id)
        while len(self._seen) > self.capacity:
            self._seen.popitem(last=False)
        return True

    async def _done(self, update_id: int) -> None:
        if self.redis is not None:
            await self.redis.set(f"linli:update:{update_id}", "done", ex=DONE_TTL)
        else:
            self._seen[update_id] = time.monotonic() + DONE_TTL

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if not isinstance(event, Update):
            return await handler(event, data)
        if not await self._claim(event.update_id):
            log.info("update %s was delivered again; already handled", event.update_id)
            return None
        try:
            return await handler(event, data)
        finally:
            await self._done(event.update_id)


def build_web_app(app: App) -> web.Application:
    """The aiohttp application serving the webhook path (and the dispatcher's lifecycle)."""
    _url, secret = webhook_config(app.settings)
    web_app = web.Application()
    SimpleRequestHandler(
        dispatcher=app.dp,
        bot=app.bot,
        secret_token=secret,
        handle_in_background=False,
    ).register(web_app, path=app.settings.webhook_path)
    add_routes(web_app, app)
    setup_application(web_app, app.dp, bot=app.bot)
    return web_app


async def serve_webhook(app: App, stop: asyncio.Event | None = None) -> None:
    """Serve until `stop` is set (or forever); the dispatcher starts and stops with it.
    The webhook is registered with Telegram only once the server listens."""
    url, secret = webhook_config(app.settings)
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
