"""What Linli relies on in aiogram beyond its documented use (bot/aiogram_compat.py,
bot/dispatcher.py, the middleware order of bot/app.py). Each test fails when an aiogram
upgrade changes the behaviour the workaround depends on, or makes it unnecessary."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot, F, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.dispatcher.middlewares.error import ErrorsMiddleware
from aiogram.dispatcher.middlewares.user_context import UserContextMiddleware
from aiogram.fsm.middleware import FSMContextMiddleware
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.types import Chat, Message, Update
from aiogram_i18n import I18nMiddleware

from linli import handlers
from linli.bot import errors
from linli.bot.aiogram_compat import inline_sync_filters, own_copies
from linli.bot.app import create_app
from linli.bot.dispatcher import AppDispatcher
from linli.bot.middlewares import ThrottlingMiddleware, UpdateContextMiddleware
from linli.bot.observability import UpdateMetricsMiddleware
from linli.config import Settings
from tests.support import TOKEN, BotAPIEmulator


def _message(text: str = "hi") -> Message:
    return Message(message_id=1, date=datetime.now(UTC), chat=Chat(id=7, type="private"), text=text)


def _thread_recording_router(threads: list[int]) -> Router:
    """A router with a synchronous router-level filter and a synchronous handler filter."""

    def record(message: Message) -> bool:
        threads.append(threading.get_ident())
        return True

    router = Router()
    router.message.filter(record)

    @router.message(record)
    async def handler(message: Message) -> str:
        return "handled"

    return router


async def test_sync_filters_leave_the_event_loop_unless_inlined() -> None:
    """aiogram runs synchronous filters in a worker thread (the reason for the workaround:
    if this changes, `inline_sync_filters` can go); inlined, they run in the loop, router-
    level filters included (the private `observer._handler`)."""
    loop_thread = threading.get_ident()
    threads: list[int] = []
    router = _thread_recording_router(threads)
    assert await router.propagate_event("message", _message()) == "handled"
    assert len(threads) == 2 and loop_thread not in threads

    threads.clear()
    assert inline_sync_filters(router) == 2
    assert await router.propagate_event("message", _message()) == "handled"
    assert threads == [loop_thread, loop_thread]
    assert inline_sync_filters(router) == 0  # idempotent


async def test_magic_filters_are_inlined_too() -> None:
    router = Router()
    router.message.filter(F.chat.type == "private")

    @router.message(F.text == "hi")
    async def handler(message: Message) -> str:
        return "handled"

    assert inline_sync_filters(router) == 2
    assert await router.propagate_event("message", _message("hi")) == "handled"
    assert await router.propagate_event("message", _message("bye")) is UNHANDLED


async def test_every_app_gets_its_own_router_copies(settings: Settings) -> None:
    """A router can be attached once; the module-level ones never are, so apps can come and
    go (the tests build one per test) and two can exist at once."""
    originals = [errors.router, *handlers.routers()]
    first, second = create_app(settings), create_app(settings)
    try:
        for app in (first, second):
            assert [r.name for r in app.dp.sub_routers] == [r.name for r in originals]
            for copy, original in zip(app.dp.sub_routers, originals, strict=True):
                assert copy is not original and copy.parent_router is app.dp
                # the copy's lists are its own: a handler added to it stays there
                assert copy.message.handlers is not original.message.handlers
                assert _handler_count(copy) == _handler_count(original) > 0
        assert all(router.parent_router is None for router in originals)
        # a copy of an attached router would drag its dispatcher along: refused
        try:
            own_copies(first.dp.sub_routers)
        except RuntimeError:
            pass
        else:
            raise AssertionError("own_copies accepted an attached router")
    finally:
        await first.close()
        await second.close()


def _handler_count(router: Router) -> int:
    return sum(
        len(observer.handlers)
        for member in router.chain_tail
        for observer in member.observers.values()
    )


async def test_throttling_runs_before_the_fsm_lock(settings: Settings) -> None:
    """`disable_fsm=True` keeps aiogram from registering its FSM middleware, so the app puts
    it after throttling (a flood is dropped, not queued on the user's lock)."""
    app = create_app(settings)
    try:
        kinds = [type(middleware) for middleware in app.dp.update.outer_middleware]
        assert kinds == [
            ErrorsMiddleware,
            UserContextMiddleware,
            UpdateMetricsMiddleware,
            ThrottlingMiddleware,
            FSMContextMiddleware,
            UpdateContextMiddleware,
            I18nMiddleware,
        ]
        assert app.dp.update.outer_middleware[4] is app.dp.fsm
    finally:
        await app.close()


class RecordingStorage(MemoryStorage):
    def __init__(self, events: list[str]) -> None:
        super().__init__()
        self.events = events

    async def close(self) -> None:
        self.events.append("storage closed")


async def test_shutdown_waits_for_updates_in_flight_before_closing_the_storage(
    emu: BotAPIEmulator,
) -> None:
    """Polling stops, the update being handled finishes, the `before_shutdown` hooks run,
    and only then aiogram's own shutdown handlers (the first closes the FSM storage)."""
    events: list[str] = []
    handled: list[int] = []
    started = asyncio.Event()
    dp = AppDispatcher(storage=RecordingStorage(events))
    router = Router()

    @router.message()
    async def slow(message: Message) -> None:
        events.append("handler started")
        started.set()
        await asyncio.sleep(0.5)
        events.append("handler done")

    async def before_shutdown() -> None:
        events.append(f"before shutdown, {len(dp.in_flight)} in flight")

    def on_handled(update: Update) -> None:
        handled.append(update.update_id)

    dp.include_router(router)
    dp.before_shutdown.register(before_shutdown)
    dp.in_flight.on_handled(on_handled)
    emu.add_user(42, "Test")
    bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(emu.base_url)))
    polling = asyncio.create_task(dp.start_polling(bot, handle_signals=False, polling_timeout=1))
    update = emu.push_message(42, 42, "hello")
    await asyncio.wait_for(started.wait(), 10)
    assert len(dp.in_flight) == 1
    await dp.stop_polling()
    await asyncio.wait_for(polling, 10)
    assert events == [
        "handler started",
        "handler done",
        "before shutdown, 0 in flight",
        "storage closed",
    ]
    assert handled == [update.update_id]


async def test_a_stuck_update_delays_shutdown_only_for_a_while() -> None:
    dp = AppDispatcher(drain_seconds=0.2, settings="kept")
    assert dp.workflow_data == {"settings": "kept"}  # the rest still reaches handlers
    with dp.in_flight.track(Update(update_id=1, message=_message())):
        loop = asyncio.get_running_loop()
        started = loop.time()
        await dp.emit_shutdown()
        assert 0.2 <= loop.time() - started < 2
    assert len(dp.in_flight) == 0


async def test_routers_are_gated_only_where_every_handler_needs_the_gate() -> None:
    """A router whose handlers all have CallbackData (or Command / state) filters is skipped
    for other updates; a router with one handler that could match anything is not gated."""
    from aiogram.filters import Command
    from aiogram.filters.callback_data import CallbackData
    from aiogram.fsm.state import State, StatesGroup
    from aiogram.types import CallbackQuery, User

    from linli.bot.aiogram_compat import CallbackGate, MessageGate, gate_routers

    class Pick(CallbackData, prefix="pk"):
        n: int

    class Form(StatesGroup):
        name = State()

    gated, open_router = Router(name="gated"), Router(name="open")

    @gated.callback_query(Pick.filter())
    async def pick(query: CallbackQuery) -> None: ...

    @gated.message(Command("go"))
    async def go(message: Message) -> None: ...

    @gated.message(Form.name)
    async def name(message: Message) -> None: ...

    @open_router.callback_query(Pick.filter())
    async def pick_too(query: CallbackQuery) -> None: ...

    @open_router.callback_query()
    async def anything(query: CallbackQuery) -> None: ...

    root = Router()
    root.include_routers(gated, open_router)
    assert gate_routers(root) == 3  # gated: buttons and messages; open_router: messages only
    callback_gate = gated.callback_query._handler.filters[0].callback
    message_gate = gated.message._handler.filters[0].callback
    assert isinstance(callback_gate, CallbackGate) and isinstance(message_gate, MessageGate)
    open_filters = open_router.callback_query._handler.filters or ()
    assert not any(isinstance(f.callback, CallbackGate) for f in open_filters)
    user = User(id=1, is_bot=False, first_name="x")
    query = CallbackQuery(id="1", from_user=user, chat_instance="c", data=Pick(n=3).pack())
    assert await callback_gate(query)
    assert not await callback_gate(query.model_copy(update={"data": "px:3"}))
    assert await message_gate(_message("/go now"))
    assert await message_gate(_message("/GO@linli_bot"))
    assert not await message_gate(_message("/gone"))
    assert not await message_gate(_message("hello"))
    assert await message_gate(_message("hello"), raw_state=Form.name.state)


async def test_the_apps_feature_routers_are_gated(settings: Settings) -> None:
    """A vote button press skips every feature router before deliberation's."""
    from linli.bot.aiogram_compat import CallbackGate, GatedRouter

    app = create_app(settings)
    try:
        gates = {
            r.name: r.gates["callback_query"]
            for r in app.dp.sub_routers
            if isinstance(r, GatedRouter) and "callback_query" in r.gates
        }
        for name in ("registration", "basics", "wishes", "complaints", "deliberation", "points"):
            assert f"linli.handlers.{name}" in gates, name
        assert all(isinstance(gate, CallbackGate) for gate in gates.values())
        assert "vb" in gates["linli.handlers.deliberation"].prefixes
        assert "vb" not in gates["linli.handlers.complaints"].prefixes
    finally:
        await app.close()


async def test_a_gated_copy_turns_an_update_away_before_its_root_filters() -> None:
    """The copies `own_copies` makes test their gate first: a press of another prefix never
    reaches the router's own filters, a press of its prefix reaches the handler; a router
    with an outer middleware keeps the gate as a filter, after the middleware."""
    from aiogram.filters.callback_data import CallbackData
    from aiogram.types import CallbackQuery, User

    from linli.bot.aiogram_compat import CallbackGate, GatedRouter, gate_routers, own_copies

    class Pick(CallbackData, prefix="pk"):
        n: int

    checked: list[str] = []

    def router_filter(query: CallbackQuery) -> bool:
        checked.append(query.data or "")
        return True

    feature = Router(name="feature")
    feature.callback_query.filter(router_filter)

    @feature.callback_query(Pick.filter())
    async def pick(query: CallbackQuery) -> str:
        return "picked"

    watched = Router(name="watched")

    @watched.callback_query(Pick.filter())
    async def pick_too(query: CallbackQuery) -> str:
        return "picked too"

    async def outer(handler: Any, event: Any, data: dict[str, Any]) -> Any:
        checked.append("outer")
        return await handler(event, data)

    watched.callback_query.outer_middleware(outer)
    copy, watched_copy = own_copies([feature, watched])
    root = Router()
    root.include_routers(copy, watched_copy)
    assert gate_routers(root) == 4  # a router without message handlers takes no messages
    assert isinstance(copy, GatedRouter) and isinstance(watched_copy, GatedRouter)
    assert isinstance(copy.gates["callback_query"], CallbackGate)
    assert "callback_query" not in watched_copy.gates
    assert isinstance(watched_copy.callback_query._handler.filters[0].callback, CallbackGate)

    user = User(id=1, is_bot=False, first_name="x")
    query = CallbackQuery(id="1", from_user=user, chat_instance="c", data="px:3")
    assert await copy.propagate_event("callback_query", query) is UNHANDLED
    assert checked == []
    assert await watched_copy.propagate_event("callback_query", query) is UNHANDLED
    assert checked == ["outer"]
    press = query.model_copy(update={"data": Pick(n=3).pack()})
    assert await copy.propagate_event("callback_query", press) == "picked"
    assert checked == ["outer", press.data]
