"""What Linli needs from aiogram where aiogram has no public way to do it.

Everything here leans on how aiogram works inside, so it stays in this one module, and
`tests/test_aiogram_compat.py` fails when an aiogram upgrade changes what it relies on
(or makes a workaround unnecessary).

- `own_copies`: a Router belongs to one parent for life (`include_router` refuses a router
  that is attached already, and there is no public way to detach one). The feature routers
  are module-level (`router = Router(name=__name__)`, handlers added by decorators at
  import), and every App needs them: `linli run` builds one, the tests one per test. So
  each App includes copies and the module-level routers are never attached. A copy is a new
  Router tree holding the same handler and filter objects (they keep no state; a deep copy
  took most of an App's start-up) and the same middlewares.
- `inline_sync_filters`: aiogram runs every synchronous filter, e.g. each magic filter such
  as `F.chat.type == "private"`, through `asyncio.to_thread`: a thread hop per check, and an
  update is checked against many handlers' filters before one matches. Linli's synchronous
  filters are pure attribute checks, so they run in the event loop instead. The filters a
  router puts on all its handlers (`router.message.filter(...)`) are kept in the observer's
  private `_handler`: the only private attribute of aiogram that Linli reads.
- `gate_routers`: aiogram tries a router's handlers one by one, each with its filters, and
  then the next router's: a button press of the last feature is checked against every
  handler before it. Each router whose every callback handler has a `CallbackData` filter
  gets a first router-level filter that lets through only the prefixes of those classes;
  each router whose every message handler has a `Command` filter or a state filter gets one
  that lets through only those commands and states. Each gate is implied by every handler's
  own filters, so it only skips routers that could not have matched: the order of routers
  and what matches stay the same. The copies `own_copies` makes are `GatedRouter`s, which
  test their gate before aiogram's per-router work (a closure, `functools.wraps` of the
  outer-middleware chain, the root filters, copies of the keyword arguments): a vote press
  passes ~20 routers before its own, and each skipped one now costs one set lookup.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any, NamedTuple

from aiogram import Router
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.dispatcher.event.handler import FilterObject, HandlerObject
from aiogram.dispatcher.event.telegram import TelegramEventObserver
from aiogram.filters import Command, Filter, StateFilter
from aiogram.filters.callback_data import CallbackQueryFilter
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message, TelegramObject


def own_copies(routers: Iterable[Router]) -> list[Router]:
    """Copies of module-level routers (with their sub-routers), free to be attached."""
    copies = []
    for router in routers:
        if router.parent_router is not None:
            raise RuntimeError(f"{router!r} is attached; copy routers before including them")
        copies.append(_copy(router))
    return copies


class GatedRouter(Router):
    """A Router that turns an update away at once when its gate for the update's type
    (`gates`, set by `gate_routers`) refuses it; otherwise aiogram's `propagate_event`."""

    def __init__(self, *, name: str | None = None) -> None:
        super().__init__(name=name)
        self.gates: dict[str, CallbackGate | MessageGate] = {}

    async def propagate_event(self, update_type: str, event: TelegramObject, **kwargs: Any) -> Any:
        gate = self.gates.get(update_type)
        if gate is not None and not gate.allows(event, kwargs.get("raw_state")):
            return UNHANDLED
        return await super().propagate_event(update_type, event, **kwargs)


def _copy(router: Router) -> Router:
    clone = GatedRouter(name=router.name)
    for name, observer in router.observers.items():
        target = clone.observers[name]
        target.handlers.extend(observer.handlers)
        _router_filters(target).filters = list(_router_filters(observer).filters or ())
        for middleware in observer.outer_middleware:
            target.outer_middleware.register(middleware)
        for middleware in observer.middleware:
            target.middleware.register(middleware)
    for event, source in ((clone.startup, router.startup), (clone.shutdown, router.shutdown)):
        event.handlers.extend(source.handlers)
    for sub_router in router.sub_routers:
        clone.include_router(_copy(sub_router))
    return clone


def inline_sync_filters(root: Router) -> int:
    """Make the synchronous filters of `root` and its sub-routers run in the event loop.
    Returns how many filters were changed."""
    changed = 0
    for router in root.chain_tail:
        for observer in router.observers.values():
            for handler in [_router_filters(observer), *observer.handlers]:
                for event_filter in handler.filters or ():
                    if _inline(event_filter):
                        changed += 1
    return changed


def _router_filters(observer: TelegramEventObserver) -> HandlerObject:
    """The pseudo-handler holding the filters of `observer.filter(...)` (private)."""
    return observer._handler


def _inline(event_filter: FilterObject) -> bool:
    if event_filter.awaitable:
        return False
    event_filter.callback = _in_loop(event_filter.callback)
    event_filter.awaitable = True
    return True


def _in_loop(check: Callable[..., Any]) -> Callable[..., Awaitable[Any]]:
    async def run(*args: Any, **kwargs: Any) -> Any:
        return check(*args, **kwargs)

    return run


class CallbackGate(Filter):
    """Passes a button press whose data has one of `prefixes` (`CallbackData` packs
    `prefix:field:...`)."""

    def __init__(self, prefixes: Iterable[str]) -> None:
        self.prefixes = frozenset(prefixes)

    def allows(self, query: TelegramObject, raw_state: str | None = None) -> bool:
        return (getattr(query, "data", None) or "").partition(":")[0] in self.prefixes

    async def __call__(self, query: CallbackQuery) -> bool:
        return self.allows(query)


class MessageGate(Filter):
    """Passes a message that is one of `commands` (as `Command` parses it: the first word,
    its prefix, the name before `@`; compared ignoring case, a superset of any `Command`)
    or arrives in one of `states`."""

    def __init__(self, commands: Iterable[str], prefixes: str, states: Iterable[str]) -> None:
        self.commands = frozenset(command.casefold() for command in commands)
        self.prefixes = prefixes
        self.states = frozenset(states)

    async def __call__(self, message: Message, raw_state: str | None = None) -> bool:
        return self.allows(message, raw_state)

    def allows(self, message: TelegramObject, raw_state: str | None = None) -> bool:
        if raw_state is not None and raw_state in self.states:
            return True
        text = getattr(message, "text", None) or getattr(message, "caption", None)
        if not text or text[0] not in self.prefixes:
            return False
        name = text.split(maxsplit=1)[0][1:].partition("@")[0]
        return name.casefold() in self.commands


def gate_routers(root: Router) -> int:
    """Give every router under `root` the gates its handlers allow (see the module's doc).
    Returns how many gates were added."""
    added = 0
    for router in root.chain_tail:
        if router is root:
            continue
        prefixes = _callback_prefixes(router)
        if prefixes is not None:
            _add_gate(router, "callback_query", CallbackGate(prefixes))
            added += 1
        keys = _message_keys(router)
        if keys is not None:
            _add_gate(router, "message", MessageGate(*keys))
            added += 1
    return added


def _add_gate(router: Router, update_type: str, gate: CallbackGate | MessageGate) -> None:
    """A `GatedRouter` tests the gate first of all; on another router (or one whose outer
    middlewares must still see every update) it is the first router-level filter."""
    observer = router.observers[update_type]
    if isinstance(router, GatedRouter) and not observer.outer_middleware:
        router.gates[update_type] = gate
        return
    pseudo = _router_filters(observer)
    if pseudo.filters is None:
        pseudo.filters = []
    pseudo.filters.insert(0, FilterObject(gate))


def _callback_prefixes(router: Router) -> set[str] | None:
    """The prefixes of the callback handlers under `router`; None if one of them has no
    `CallbackData` filter of its own or from a router above it (it could match any data)."""

    def prefixes_of(filters: Iterable[FilterObject] | None) -> set[str] | None:
        found = {
            f.callback.callback_data.__prefix__
            for f in filters or ()
            if isinstance(f.callback, CallbackQueryFilter)
        }
        return found or None

    return _keys(router, "callback_query", prefixes_of, set.union)


def _message_keys(router: Router) -> tuple[set[str], str, set[str]] | None:
    """The commands, command prefixes and states of the message handlers under `router`;
    None if one of them has neither a `Command` filter with names (not patterns) nor a
    filter on specific states, of its own or from a router above it."""

    def keys_of(filters: Iterable[FilterObject] | None) -> MessageKeys | None:
        for event_filter in filters or ():
            check = event_filter.callback
            if isinstance(check, Command) and all(isinstance(c, str) for c in check.commands):
                return MessageKeys(set(check.commands), set(check.prefix), set())
            named = _state_names(check)
            if named is not None:
                return MessageKeys(set(), set(), named)
        return None

    found = _keys(router, "message", keys_of, MessageKeys.union)
    if found is None:
        return None
    return found.commands, "".join(sorted(found.prefixes)), found.states


class MessageKeys(NamedTuple):
    commands: set[str]
    prefixes: set[str]
    states: set[str]

    def union(self, other: MessageKeys) -> MessageKeys:
        return MessageKeys(
            self.commands | other.commands,
            self.prefixes | other.prefixes,
            self.states | other.states,
        )


def _keys(
    router: Router,
    event: str,
    keys_of: Callable[[Iterable[FilterObject] | None], Any],
    union: Callable[[Any, Any], Any],
) -> Any:
    """What every handler of `event` under `router` requires (`keys_of` its filters, or
    its routers' filters), united; None if some handler requires nothing `keys_of` knows.
    A router-level filter covers the router's handlers and its sub-routers."""
    observer = router.observers[event]
    own = keys_of(_router_filters(observer).filters)
    if own is not None:
        return own
    total = keys_of(())  # None: start from "nothing required yet"
    parts = [keys_of(handler.filters) for handler in observer.handlers]
    parts += [_keys(sub, event, keys_of, union) for sub in router.sub_routers]
    for part in parts:
        if part is None:
            return None
        total = part if total is None else union(total, part)
    if total is None:  # no handler at all: nothing can match
        return _EMPTY[event]
    return total


_EMPTY: dict[str, Any] = {"callback_query": set(), "message": MessageKeys(set(), set(), set())}


def _state_names(check: Any) -> set[str] | None:
    """The raw states a state filter lets through; None if it is not one or lets through
    any state or no state."""
    if isinstance(check, StateFilter):
        names: set[str] = set()
        for state in check.states:
            one = _state_names(state)
            if one is None:
                return None
            names |= one
        return names
    if isinstance(check, State):
        return None if check.state in (None, "*") else {check.state}
    if isinstance(check, type) and issubclass(check, StatesGroup):
        return set(check.__all_states_names__)
    if isinstance(check, StatesGroup):
        return set(type(check).__all_states_names__)
    return None
