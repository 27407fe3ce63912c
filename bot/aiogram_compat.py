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
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from aiogram import Router
from aiogram.dispatcher.event.handler import FilterObject, HandlerObject
from aiogram.dispatcher.event.telegram import TelegramEventObserver


def own_copies(routers: Iterable[Router]) -> list[Router]:
    """Copies of module-level routers (with their sub-routers), free to be attached."""
    copies = []
    for router in routers:
        if router.parent_router is not None:
            raise RuntimeError(f"{router!r} is attached; copy routers before including them")
        copies.append(_copy(router))
    return copies


def _copy(router: Router) -> Router:
    clone = Router(name=router.name)
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
