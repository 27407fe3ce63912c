"""setWebhook and webhook delivery: queued updates are POSTed to the webhook (or spread over
``webhook_targets``, a load balancer in front of several processes) until answered 2xx."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping
from typing import Any, Literal

import aiohttp
from aiogram import types as tg

from linli.emulator.errors import bad
from linli.emulator.params import as_bool, as_int
from linli.emulator.queue import UpdateQueue
from linli.emulator.records import UploadedFile
from linli.emulator.shapes import build, dump
from linli.emulator.state import DescribedResult, Json, QueuedUpdate

_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class WebhookMethods(UpdateQueue):
    """setWebhook, deleteWebhook, getWebhookInfo and the delivery pump."""

    def _set_webhook(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        url = params.get("url") or ""
        if not url:
            return self._delete_webhook(params, files)
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            raise bad("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not _SECRET_RE.fullmatch(str(secret)):
            raise bad("secret token contains unallowed characters")
        if as_bool(params.get("drop_pending_updates", False)):
            self._drop_all()
        same = self.webhook is not None and self.webhook.get("url") == url
        allowed = params.get("allowed_updates")
        if allowed is not None:
            self._allowed_updates = frozenset(allowed) if allowed else None
        self.webhook = {
            "url": url,
            "secret_token": secret,
            "max_connections": as_int(params.get("max_connections", 40), "max_connections"),
            "allowed_updates": allowed,
            "ip_address": params.get("ip_address"),
        }
        self._poll_generation += 1
        self._wake_pollers()
        if self._webhook_task is None or self._webhook_task.done():
            self._webhook_task = asyncio.get_running_loop().create_task(self._webhook_pump())
        return DescribedResult(True, "Webhook is already set" if same else "Webhook was set")

    async def deliver(
        self,
        update: tg.Update | Mapping[str, Any],
        *,
        url: str | None = None,
        secret: str | Literal[False] | None = False,
    ) -> tuple[int, str]:
        """POST one update to the webhook (or `url`) once, as Telegram does; returns the HTTP
        status and body. `secret` overrides the header (None: no header; False: the one given
        to setWebhook). The update is not queued: use it for duplicates and forged requests."""
        target = url or (self.webhook or {}).get("url")
        if not target:
            raise RuntimeError("no webhook is set")
        payload = dump(update) if isinstance(update, tg.Update) else dict(update)
        header = (self.webhook or {}).get("secret_token") if secret is False else secret
        headers = {"X-Telegram-Bot-Api-Secret-Token": header} if header else {}
        async with (
            aiohttp.ClientSession() as session,
            session.post(target, json=payload, headers=headers) as response,
        ):
            return response.status, await response.text()

    async def _webhook_pump(self) -> None:
        """Deliver queued updates to the webhook, up to `max_connections` at a time,
        retrying an update until the bot answers it with 2xx."""
        self._webhook_wake = asyncio.Event()
        in_flight: set[int] = set()
        tasks: set[asyncio.Task[None]] = set()
        turn = 0
        limit = asyncio.Semaphore(int((self.webhook or {}).get("max_connections") or 40))

        async def send(session: aiohttp.ClientSession, item: QueuedUpdate, target: str) -> None:
            secret = (self.webhook or {}).get("secret_token")
            headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
            try:
                async with limit, session.post(target, json=item.payload, headers=headers) as r:
                    await r.read()
                    status = r.status
            except (aiohttp.ClientError, TimeoutError):
                status = -1
            self.webhook_deliveries.append((item.update_id, target, status))
            if 200 <= status < 300:
                if not item.dropped:
                    item.dropped = True
                    self._pending -= 1
                while self._queue and self._queue[0].dropped:
                    self._queue.popleft()
                self._notify()
            else:
                await asyncio.sleep(self.webhook_retry_delay)
            in_flight.discard(item.update_id)
            if self._webhook_wake is not None:
                self._webhook_wake.set()

        try:
            async with aiohttp.ClientSession() as session:
                while self.webhook is not None:
                    self._webhook_wake.clear()
                    targets = self.webhook_targets or [str(self.webhook["url"])]
                    for item in list(self._queue):
                        if item.dropped or item.update_id in in_flight:
                            continue
                        if not self._allowed(item.type):
                            item.dropped = True
                            self._pending -= 1
                            continue
                        in_flight.add(item.update_id)
                        target = targets[turn % len(targets)]
                        turn += 1
                        task = asyncio.create_task(send(session, item, target))
                        tasks.add(task)
                        task.add_done_callback(tasks.discard)
                    await self._webhook_wake.wait()
        finally:
            for task in list(tasks):
                task.cancel()
            self._webhook_wake = None

    def _delete_webhook(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        if as_bool(params.get("drop_pending_updates", False)):
            self._drop_all()
        had = self.webhook is not None
        self.webhook = None
        return DescribedResult(True, "Webhook was deleted" if had else "Webhook is already deleted")

    def _get_webhook_info(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        hook = self.webhook or {}
        info = build(
            tg.WebhookInfo,
            url=hook.get("url", ""),
            has_custom_certificate=False,
            pending_update_count=self._pending,
            max_connections=hook.get("max_connections"),
            allowed_updates=hook.get("allowed_updates"),
            ip_address="127.0.0.1" if hook else None,
        )
        return dump(info)
