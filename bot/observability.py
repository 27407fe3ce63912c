"""Health and Prometheus metrics, on their own address (HEALTH_HOST:HEALTH_PORT, never the
webhook's), optionally behind a bearer token (HEALTH_TOKEN).

`GET /healthz` answers 200 when the database answers, the scheduler (if this process runs
it) is alive, and an update was received recently (a poll or webhook request); 503 with the
failing checks otherwise. `GET /metrics` is the Prometheus text format; the counts it reads
from the database are at most `METRICS_MAX_AGE` seconds old, so scraping it often does not
load the database.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Protocol

from aiogram import BaseMiddleware
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramAPIError, TelegramForbiddenError, TelegramRetryAfter
from aiogram.methods import TelegramMethod
from aiogram.types import TelegramObject, Update
from aiohttp import web
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from sqlalchemy import func, select, text

from linli.bot.logging import current_update_id
from linli.models.notices import DeliveryState, OutboxDelivery

log = logging.getLogger(__name__)

METRICS_MAX_AGE = 15.0
"""Seconds a count read from the database for /metrics is served before it is read again."""

if TYPE_CHECKING:
    from aiogram import Bot
    from apscheduler.schedulers.asyncio import AsyncIOScheduler
    from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

    from linli.config import Settings


class Monitored(Protocol):
    """What /healthz and /metrics look at (`bot.app.App` is one)."""

    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    scheduler: AsyncIOScheduler | None
    metrics: Metrics


class Metrics:
    """One registry per App, so several apps in one process (tests) do not collide."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.updates = Counter(
            "linli_updates_total", "Updates handled, by type", ["type"], registry=self.registry
        )
        self.handler_seconds = Histogram(
            "linli_handler_seconds",
            "Time to handle one update",
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
            registry=self.registry,
        )
        self.sends = Counter(
            "linli_sends_total",
            "Bot API send/edit calls, by result",
            ["method", "result"],
            registry=self.registry,
        )
        self.queue_depth = Gauge(
            "linli_broadcast_queue_depth", "Deliveries waiting to be sent", registry=self.registry
        )
        self.job_runs = Counter(
            "linli_scheduler_job_runs_total",
            "Scheduled job runs, by job and result",
            ["job", "result"],
            registry=self.registry,
        )
        self.job_misfires = Counter(
            "linli_scheduler_misfires_total",
            "Scheduled runs missed",
            ["job"],
            registry=self.registry,
        )
        self.last_update_at: float | None = None
        self.last_poll_at: float | None = None
        self.started_at = time.time()
        # When the database counts were last read (time.monotonic), and the lock that lets
        # concurrent scrapes share one read.
        self.counts_read_at: float | None = None
        self.counts_lock = asyncio.Lock()


class UpdateMetricsMiddleware(BaseMiddleware):
    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        self.metrics.last_update_at = time.time()
        kind = event.event_type if isinstance(event, Update) else type(event).__name__
        if isinstance(event, Update):
            current_update_id.set(event.update_id)
        self.metrics.updates.labels(kind).inc()
        with self.metrics.handler_seconds.time():
            return await handler(event, data)


class SendMetricsMiddleware(BaseRequestMiddleware):
    """Counts calls that send or edit messages, by result."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    async def __call__(
        self, make_request: NextRequestMiddlewareType[Any], bot: Bot, method: TelegramMethod[Any]
    ) -> Any:
        name = type(method).__name__
        if name == "GetUpdates":
            result = await make_request(bot, method)
            self.metrics.last_poll_at = time.time()
            return result
        if not name.startswith(("Send", "Edit", "Copy", "Forward")):
            return await make_request(bot, method)
        try:
            result = await make_request(bot, method)
        except TelegramRetryAfter:
            self.metrics.sends.labels(name, "rate_limited").inc()
            raise
        except TelegramForbiddenError:
            self.metrics.sends.labels(name, "forbidden").inc()
            raise
        except TelegramAPIError:
            self.metrics.sends.labels(name, "error").inc()
            raise
        self.metrics.sends.labels(name, "ok").inc()
        return result


async def health(app: Monitored) -> tuple[bool, dict[str, Any]]:
    checks: dict[str, Any] = {}
    try:
        async with app.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # any failure means "not healthy"
        checks["database"] = f"error: {type(exc).__name__}"
    if app.settings.scheduler_enabled:
        running = app.scheduler is not None and app.scheduler.running
        checks["scheduler"] = "ok" if running else "not running"
    else:
        checks["scheduler"] = "disabled"
    for name, at in (
        ("last_update_seconds_ago", app.metrics.last_update_at),
        ("last_poll_seconds_ago", app.metrics.last_poll_at),
    ):
        checks[name] = None if at is None else round(time.time() - at, 1)
    healthy = checks["database"] == "ok" and checks["scheduler"] in ("ok", "disabled")
    return healthy, checks


async def serve_health(
    app: Monitored, host: str, port: int, token: str | None = None
) -> web.AppRunner:
    """A small server with only /healthz and /metrics, on its own address (polling and
    webhook mode alike); with `token`, both ask for `Authorization: Bearer <token>`."""
    web_app = web.Application(middlewares=[_bearer(token)] if token else [])
    add_routes(web_app, app)
    runner = web.AppRunner(web_app)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner


def _bearer(token: str) -> Any:
    expected = f"Bearer {token}".encode()

    @web.middleware
    async def check(request: web.Request, handler: Any) -> web.StreamResponse:
        given = request.headers.get("Authorization", "").encode("utf-8", "surrogateescape")
        if not secrets.compare_digest(given, expected):
            return web.Response(status=401, headers={"WWW-Authenticate": "Bearer"})
        return await handler(request)

    return check


async def refresh_counts(app: Monitored, now: float | None = None) -> bool:
    """Read the counts /metrics shows from the database, unless they are younger than
    METRICS_MAX_AGE; True when they were read now."""
    metrics = app.metrics
    async with metrics.counts_lock:
        now = time.monotonic() if now is None else now
        if metrics.counts_read_at is not None and now - metrics.counts_read_at < METRICS_MAX_AGE:
            return False
        try:
            async with app.sessionmaker() as session:
                depth = await session.scalar(
                    select(func.count())
                    .select_from(OutboxDelivery)
                    .where(OutboxDelivery.state == DeliveryState.PENDING)
                )
            metrics.queue_depth.set(depth or 0)
        except Exception:  # the database being down is /healthz's business
            log.warning("could not read the broadcast queue depth", exc_info=True)
        metrics.counts_read_at = now
        return True


def add_routes(web_app: web.Application, app: Monitored) -> None:
    async def healthz(_: web.Request) -> web.Response:
        healthy, checks = await health(app)
        return web.json_response(
            {"status": "ok" if healthy else "failing", **checks}, status=200 if healthy else 503
        )

    async def metrics(_: web.Request) -> web.Response:
        await refresh_counts(app)
        body = generate_latest(app.metrics.registry)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    web_app.router.add_get("/healthz", healthz)
    web_app.router.add_get("/metrics", metrics)
