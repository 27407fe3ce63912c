"""Outer middlewares on `dp.update`, in this order: (webhook de-duplication,) throttling,
(aiogram's FSM context and per-user lock,) the update's context in one pass (DB session,
current resident, deep links). i18n is aiogram-i18n's middleware, registered after them;
bot/app.py registers them all. Plus the callback-answer middleware, the guard against
numbers past 64 bits in buttons, and a request middleware of the bot's HTTP session."""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.dispatcher.flags import get_flag
from aiogram.filters.callback_data import CallbackData
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import CallbackQuery, Message, MessageEntity, TelegramObject, Update, User
from aiogram.utils.callback_answer import (
    CallbackAnswerMiddleware as _AiogramCallbackAnswerMiddleware,
)
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from linli.bot.i18n import locale_from_telegram
from linli.bot.logging import current_resident_id
from linli.models import Resident
from linli.services import resident_cache
from linli.services import residents as resident_service
from linli.services.errors import StaleAction
from linli.services.resident_cache import ResidentCache

log = logging.getLogger(__name__)

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class UpdateContextMiddleware(BaseMiddleware):
    """One pass over the update after the FSM lock: its database session, its resident
    (`data["resident"]`, None for strangers in groups) and its deep link.

    The session commits what is left on success and rolls back on error; services commit
    their own state changes through `models.db.write_transaction`, so a reply sent after a
    change never holds a database lock. The session is lazy: an update whose resident comes
    from the `ResidentCache` and whose handler reads nothing never takes a connection.

    Deep links: `/start <command>` (from a group's "open in private chat" button) becomes
    `/<command>`, and `/start <command>_<argument>` (e.g. `checkin_123456`) becomes
    `/<command> <argument>`, so every private command is reachable by deep link.
    """

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        admin_ids: Iterable[int],
        commands: Iterable[str],
        cache: ResidentCache | None = None,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.admin_ids = frozenset(admin_ids)
        self.cache = cache
        self.commands = frozenset(commands) - {"start"}
        # Longest first, so `vote_new_5` is `/vote_new 5`, not `/vote new_5`.
        self._by_length = sorted(self.commands, key=len, reverse=True)

    def rewrite(self, payload: str) -> tuple[str, str] | None:
        """The command and its argument a deep-link payload stands for, if any."""
        if payload in self.commands:
            return payload, ""
        for command in self._by_length:
            if payload.startswith(command + "_") and len(payload) > len(command) + 1:
                return command, payload[len(command) + 1 :]
        return None

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        async with self.sessionmaker() as session:
            data["session"] = session
            try:
                resident = await self._resident(session, data)
                data["resident"] = resident
                current_resident_id.set(resident.id if resident is not None else None)
                result = await handler(self._deep_link(event, data), data)
            except BaseException:
                await session.rollback()
                raise
            if session.in_transaction():
                await session.commit()
            return result

    async def _resident(self, session: AsyncSession, data: dict[str, Any]) -> Resident | None:
        user: User | None = data.get("event_from_user")
        if user is None or user.is_bot:
            return None
        chat = data.get("event_chat")
        private = chat is not None and chat.type == "private"
        profile = resident_service.TelegramProfile(
            telegram_id=user.id, display_name=user.full_name, username=user.username
        )
        cache = self.cache
        if cache is None:
            return await resident_service.load(
                session, profile, create=private, admin_ids=self.admin_ids
            )
        # From the cache, else one Core SELECT; the ORM's `load` only when it has to write.
        versions = await cache.versions(user.id)
        generation = cache.generation(user.id)
        cached = cache.get(user.id, versions)
        fresh = cached is None
        if fresh:
            cached = await resident_cache.read(session, user.id)
        is_admin = user.id in self.admin_ids
        resident = resident_cache.attach(session, cached) if cached is not None else None
        if not resident_service.needs_write(resident, profile, create=private, is_admin=is_admin):
            if fresh and cached is not None:
                cache.store(cached, generation, versions)
            return resident
        if resident is not None:
            session.expunge(resident)
        return await resident_service.load(
            session, profile, create=private, admin_ids=self.admin_ids, absent=cached is None
        )

    def _deep_link(self, event: TelegramObject, data: dict[str, Any]) -> TelegramObject:
        if not isinstance(event, Update) or event.message is None:
            return event
        message = event.message
        text = message.text or ""
        if message.chat.type != "private" or not text.startswith("/start "):
            return event
        found = self.rewrite(text.split(maxsplit=1)[1].strip())
        if found is None:
            return event
        command, argument = found
        rewritten = message.model_copy(
            update={
                "text": f"/{command} {argument}".rstrip(),
                "entities": [MessageEntity(type="bot_command", offset=0, length=len(command) + 1)],
            }
        )
        data["deep_link"] = command
        return event.model_copy(update={"message": rewritten})


PROCESSING_TTL = 60
DONE_TTL = 24 * 3600


class UpdateDedupMiddleware(BaseMiddleware):
    """Webhook mode: handles each update id once, whichever process and however often it
    arrives (Telegram delivers an update again when it got no answer, e.g. the process died
    mid-update). An update id is marked "processing" for 60 seconds on arrival and "done" for
    a day when handled, in Redis when `REDIS_URL` is set (shared by every process) or in
    memory otherwise. An update whose process died lets its mark expire, so a later
    redelivery is handled."""

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

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if not isinstance(event, Update):
            return await handler(event, data)
        if not await self._claim(event.update_id):
            log.info("update %s was delivered again; already handled", event.update_id)
            return None
        try:
            return await handler(event, data)
        finally:
            await self._done(event.update_id)


class ThrottlingMiddleware(BaseMiddleware):
    """Drops updates from a user who sends more than `rate` per `period` seconds.

    In memory by default; with Redis the window is shared by every bot process. A dropped
    button press still gets an answer, so the button does not spin.
    """

    def __init__(self, rate: int, period: float, redis: Any | None = None) -> None:
        self.rate = rate
        self.period = period
        self.redis = redis
        self._windows: dict[int, tuple[float, int]] = {}

    async def _count(self, user_id: int) -> int:
        window = int(time.monotonic() // self.period) if self.redis is None else None
        if self.redis is not None:
            key = f"linli:throttle:{user_id}:{int(time.time() // self.period)}"
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.incr(key)
                pipe.expire(key, max(1, int(self.period * 2)))
                count, _ = await pipe.execute()
            return int(count)
        start, count = self._windows.get(user_id, (window, 0))
        if start != window:
            start, count = window, 0
        count += 1
        self._windows[user_id] = (start, count)
        if len(self._windows) > 50_000:
            self._windows = {k: v for k, v in self._windows.items() if v[0] == window}
        return count

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        if user is None:
            return await handler(event, data)
        count = await self._count(user.id)
        if count <= self.rate:
            return await handler(event, data)
        if isinstance(event, Update):
            log.info("update %s dropped: over the throttling limit", event.update_id)
            await self._tell(event, data, first=count == self.rate + 1)
        return None

    async def _tell(self, update: Update, data: dict[str, Any], *, first: bool) -> None:
        bot: Bot = data["bot"]
        translator = data["translator"]
        user: User = data["event_from_user"]
        text = translator.get(
            "throttled", locale_from_telegram(user.language_code, translator.default_locale)
        )
        if update.callback_query is not None:
            await update.callback_query.answer(text)
        elif (
            first and isinstance(update.message, Message) and update.message.chat.type == "private"
        ):
            await bot.send_message(update.message.chat.id, text)


class CallbackAnswerMiddleware(_AiogramCallbackAnswerMiddleware):
    """aiogram's CallbackAnswerMiddleware, but it answers only when the handler succeeded:
    on an error the error router answers with an alert saying what went wrong (a query can
    be answered once). Handlers set `callback_answer.text` instead of calling `query.answer`.
    """

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if not isinstance(event, CallbackQuery):
            return await handler(event, data)
        callback_answer = data["callback_answer"] = self.construct_callback_answer(
            properties=get_flag(data, "callback_answer"),
        )
        if not callback_answer.disabled and callback_answer.answered:
            await self.answer(event, callback_answer)
        result = await handler(event, data)
        if not callback_answer.disabled and not callback_answer.answered:
            await self.answer(event, callback_answer)
        return result


INT64 = range(-(2**63), 2**63)
"""What a database integer holds; a button's number outside it is forged."""


class CallbackNumbersMiddleware(BaseMiddleware):
    """A button whose whole-number field no 64-bit column can hold (Telegram's 64 bytes of
    callback data fit 20 digits) is forged or stale: it is refused here, as a stale button,
    before a handler hands the number to the database driver (which raises OverflowError or
    DataError on it). Inner middleware: `callback_data` is the matched factory's value."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        button = data.get("callback_data")
        if isinstance(button, CallbackData) and any(
            isinstance(value, int) and value not in INT64 for value in vars(button).values()
        ):
            raise StaleAction()
        return await handler(event, data)


class PinResponseTypesMiddleware(BaseRequestMiddleware):
    """Keeps the `Response[T]` class of every API method's result type alive.

    aiogram parametrizes `Response[method.__returning__]` for every answer from Telegram;
    pydantic (>= 2.11) caches parametrized generics only weakly, so after each garbage
    collection the next call builds the class and its validator again (milliseconds of
    schema building per request under load). One strong reference per result type makes it
    a cache hit.
    """

    def __init__(self) -> None:
        self._pinned: dict[Any, type[Any]] = {}

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        returning = method.__returning__
        if returning not in self._pinned:
            self._pinned[returning] = Response[returning]  # type: ignore[valid-type]
        return await make_request(bot, method)
