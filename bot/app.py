"""The app factory: one place that builds Bot, Dispatcher, database and middlewares.

`linli run`, `linli demo` and the tests all build the bot here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage
from aiogram.fsm.storage.memory import MemoryStorage, SimpleEventIsolation
from aiogram.utils.backoff import BackoffConfig
from aiogram_i18n import I18nMiddleware
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from linli import handlers
from linli.bot import errors
from linli.bot.aiogram_compat import gate_routers, inline_sync_filters, own_copies
from linli.bot.commands import CommandTable
from linli.bot.delivery import Delivery
from linli.bot.delivery.ratelimit import RateLimiter, SendRateMiddleware
from linli.bot.delivery.sender import Sender
from linli.bot.dispatcher import AppDispatcher
from linli.bot.i18n import ResidentLocaleManager, Translator
from linli.bot.menu import set_command_menus
from linli.bot.middlewares import (
    CallbackAnswerMiddleware,
    CallbackNumbersMiddleware,
    PinResponseTypesMiddleware,
    ThrottlingMiddleware,
    UpdateContextMiddleware,
    UpdateDedupMiddleware,
)
from linli.bot.observability import (
    Metrics,
    SendMetricsMiddleware,
    UpdateMetricsMiddleware,
    serve_health,
)
from linli.config import Settings
from linli.models.db import create_engine, create_sessionmaker
from linli.scheduler import JobContext, create_scheduler
from linli.services.resident_cache import ResidentCache

log = logging.getLogger(__name__)

# After a failed getUpdates (Telegram down, 5xx, timeout): retry after 0.5 s, ×1.5 each time,
# at most every 5 s; the first good poll resets it (docs/resilience.md).
POLLING_BACKOFF = BackoffConfig(min_delay=0.5, max_delay=5.0, factor=1.5, jitter=0.1)
# Updates handled at once. getUpdates confirms a batch as soon as the next one is asked for,
# so this also bounds what a crash loses: at most this many confirmed, unfinished updates
# (the rest are redelivered by Telegram after a restart).
POLLING_CONCURRENCY = 100


@dataclass
class App:
    settings: Settings
    bot: Bot
    dp: AppDispatcher
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    translator: Translator
    redis: Any | None = None
    scheduler: AsyncIOScheduler | None = None
    sender: Sender | None = None
    metrics: Metrics = field(default_factory=Metrics)
    polling_backoff: BackoffConfig = POLLING_BACKOFF
    _health: Any | None = None

    delivery: Delivery | None = None
    resident_cache: ResidentCache | None = None
    # The time jobs see (tests move it: a start-up after a missed cron run).
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))

    def job_context(self) -> JobContext:
        assert self.delivery is not None
        return JobContext(delivery=self.delivery, now=self.clock())

    async def _start_scheduler(self) -> None:
        if self.settings.scheduler_enabled and self.scheduler is None:
            self.scheduler = create_scheduler(
                self.job_context, self.settings.tz, self.metrics, now=self.clock()
            )
            self.scheduler.start()

    async def _stop_scheduler(self) -> None:
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=False)
            self.scheduler = None

    async def start_health(self) -> None:
        """With HEALTH_PORT set, serve /healthz and /metrics on HEALTH_HOST:HEALTH_PORT (never
        on the webhook's address), behind HEALTH_TOKEN when it is set."""
        if self.settings.health_port and self._health is None:
            token = self.settings.health_token
            self._health = await serve_health(
                self,
                self.settings.health_host,
                self.settings.health_port,
                token.get_secret_value() if token is not None else None,
            )

    async def start_polling(self, **kwargs: Any) -> None:
        """Long polling until stopped; removes a webhook left from webhook mode first.
        The health server runs beside it (`start_health`)."""
        await self.bot.delete_webhook(drop_pending_updates=False)
        await self.start_health()
        await self.dp.start_polling(
            self.bot,
            allowed_updates=self.dp.resolve_used_update_types(),
            polling_timeout=self.settings.polling_timeout,
            backoff_config=self.polling_backoff,
            tasks_concurrency_limit=POLLING_CONCURRENCY,
            **kwargs,
        )

    async def close(self) -> None:
        if self.delivery is not None:
            await self.delivery.deliberation.close()
        if self._health is not None:
            await self._health.cleanup()
            self._health = None
        await self.dp.storage.close()
        await self.dp.fsm.events_isolation.close()
        await self.bot.session.close()
        await self.engine.dispose()
        if self.resident_cache is not None:
            self.resident_cache.close()
        if self.redis is not None:
            await self.redis.aclose()


def _json_dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


REDIS_LOCK_SECONDS = 20
"""Lifetime of a user's event-isolation lock in Redis."""


def _storage(settings: Settings) -> tuple[BaseStorage, BaseEventIsolation, Any | None]:
    if settings.redis_url:
        from aiogram.fsm.storage.base import DefaultKeyBuilder
        from aiogram.fsm.storage.redis import RedisStorage
        from redis.asyncio import BlockingConnectionPool, Redis

        # A blocking pool: a burst of updates waits for a connection instead of failing with
        # "Too many connections" (redis-py's default pool raises past 100).
        redis = Redis(
            connection_pool=BlockingConnectionPool.from_url(
                settings.redis_url, max_connections=200, timeout=20
            )
        )
        storage = RedisStorage(redis, key_builder=DefaultKeyBuilder(with_destiny=True))
        # A user's lock outlives a killed process until it expires: shorter than aiogram's
        # 60 s, so their next update waits less, still far above the slowest handler.
        isolation = storage.create_isolation(lock_kwargs={"timeout": REDIS_LOCK_SECONDS})
        return storage, isolation, redis
    return MemoryStorage(), SimpleEventIsolation(), None


def create_app(
    settings: Settings, *, engine: AsyncEngine | None = None, webhook: bool = False
) -> App:
    """Build the bot. `webhook=True` adds the update de-duplication that webhook mode needs
    (`UpdateDedupMiddleware`)."""
    token = settings.token()
    # orjson for the Bot API's JSON both ways (aiogram's default is the json module).
    session = AiohttpSession(
        api=TelegramAPIServer.from_base(settings.telegram_api_url),
        json_loads=orjson.loads,
        json_dumps=_json_dumps,
    )
    bot = Bot(token=token, session=session)
    bot.session.middleware(PinResponseTypesMiddleware())
    metrics = Metrics()
    bot.session.middleware(SendMetricsMiddleware(metrics))
    # One send budget for the whole process (Telegram's limits), shared by every send.
    limiter = RateLimiter.from_settings(settings.notices)
    bot.session.middleware(SendRateMiddleware(limiter, settings.notices.retry_429))
    engine = engine or create_engine(
        settings.database_url,
        busy_timeout_ms=settings.sqlite_busy_timeout_ms,
        sqlite_inline=settings.sqlite_inline,
        statement_timeout=settings.database_timeout,
    )
    sessionmaker = create_sessionmaker(engine)
    translator = Translator(settings.default_language)
    storage, isolation, redis = _storage(settings)

    delivery = Delivery(bot, sessionmaker, translator, settings)
    commands = CommandTable(handlers.all_commands())
    dp = AppDispatcher(
        storage=storage,
        events_isolation=isolation,
        # The FSM middleware (and with it the per-user event-isolation lock) is registered
        # below, after throttling, so that a flood is dropped instead of queueing on the lock.
        disable_fsm=True,
        settings=settings,
        translator=translator,
        sessionmaker=sessionmaker,
        delivery=delivery,
        commands=commands,
    )
    # Outer middlewares on updates, in order: aiogram's Errors and UserContext, then metrics,
    # (webhook de-duplication,) throttling, FSM, the update's context (DB session, resident,
    # deep links) in one pass, i18n.
    dp.update.outer_middleware(UpdateMetricsMiddleware(metrics))
    if webhook:
        dp.update.outer_middleware(UpdateDedupMiddleware(redis))
    dp.update.outer_middleware(
        ThrottlingMiddleware(settings.throttle_rate, settings.throttle_period, redis)
    )
    dp.update.outer_middleware(dp.fsm)
    cache = (
        ResidentCache(settings.resident_cache_seconds, redis)
        if settings.resident_cache_seconds
        else None
    )
    dp.update.outer_middleware(
        UpdateContextMiddleware(sessionmaker, settings.admin_ids, commands.private_names(), cache)
    )
    I18nMiddleware(
        core=translator.core,
        manager=ResidentLocaleManager(default_locale=settings.default_language),
        default_locale=settings.default_language,
    ).setup(dp)
    dp.callback_query.middleware(CallbackAnswerMiddleware())
    dp.callback_query.middleware(CallbackNumbersMiddleware())

    # The routers are module-level; this App gets its own copies (bot/aiogram_compat.py).
    dp.include_routers(*own_copies([errors.router, *handlers.routers()]))
    gate_routers(dp)
    inline_sync_filters(dp)
    dp.startup.register(set_command_menus)
    app = App(
        settings=settings,
        bot=bot,
        dp=dp,
        engine=engine,
        sessionmaker=sessionmaker,
        translator=translator,
        redis=redis,
        metrics=metrics,
        delivery=delivery,
        resident_cache=cache,
    )
    # The outbox sender runs in every bot process (claims are safe across processes).
    app.sender = Sender(delivery, limiter)
    dp.startup.register(app._start_scheduler)
    dp.startup.register(app.sender.start)
    # Once the updates in flight are done, and before i18n unloads its catalogues: no job,
    # delivery or post refresh may render a text after that.
    dp.before_shutdown.register(app._stop_scheduler)
    dp.before_shutdown.register(app.sender.stop)
    dp.before_shutdown.register(delivery.deliberation.close)
    return app
