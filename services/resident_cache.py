"""The resident of each update, cached for a few seconds by Telegram id.

Nearly every update starts by loading its sender's `Resident` row (with their building and
area): one SELECT per update, the same row again and again. `ResidentCache` keeps a
snapshot of the row for `ttl` seconds and hands each update its own fresh ORM instances
built from it, attached to the update's session without a statement (they behave like
loaded rows: `session.refresh`, identity map, lazy loads of what a loaded row would
lazy-load).

Invalidation does not depend on each service remembering to call it: every change of a
resident row that goes through SQLAlchemy is seen here.

- ORM changes (`resident.role = ...`, a deleted row): mapper events collect the Telegram ids
  of the rows flushed (old and new id), a bulk `update(Resident)`/`delete(Resident)`
  statement (privacy deletion anonymises with one) or a renamed building or grid (cached
  with the resident) marks "all".
- When the transaction commits, every cache of this process drops those entries, and with
  Redis the per-resident version key `linli:resident:v:<telegram id>` is incremented (or the
  global one for "all"). Each update reads the versions in the same Redis round trip as
  the throttling count, so another process sees the change on its very next update; an
  entry is used only if it was stored under the versions read now.
- A load racing a change (read before the commit, stored after it) is not stored: each
  Telegram id has a local generation, bumped by every invalidation, read before the load
  and checked before storing.

Without Redis several processes (not the supported topology: docs/deploying.md) would see
another process's change after at most `ttl` seconds.
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, bindparam, event, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from linli.models import Building, Grid, Resident

log = logging.getLogger(__name__)

DEFAULT_TTL = 5.0
ALL = 0
"""The pseudo Telegram id meaning "every resident" in invalidations and version keys."""
_CHANGED = "linli_residents_changed"
_RELATED = ("building", "chief_grid", "chief_building")


def version_key(telegram_id: int) -> str:
    return f"linli:resident:v:{telegram_id}"


VERSION_KEY_SECONDS = 3600
"""Lifetime of a version key after its last change: far longer than any entry lives."""


def _columns(model: type[Any]) -> tuple[str, ...]:
    return tuple(attr.key for attr in inspect(model).column_attrs)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A resident row and the rows of its joined relationships, as plain values."""

    resident: dict[str, Any]
    related: dict[str, tuple[type[Any], dict[str, Any]] | None]


@dataclass(slots=True)
class _Entry:
    snapshot: Snapshot
    expires: float
    versions: tuple[int, int]


class ResidentCache:
    """One per App. `versions` are the Redis versions (own key, global key) read for an
    update; (0, 0) without Redis."""

    def __init__(self, ttl: float = DEFAULT_TTL, redis: Any | None = None, size: int = 50_000):
        self.ttl = ttl
        self.redis = redis
        self.size = size
        self._entries: dict[int, _Entry] = {}
        self._generations: dict[int, int] = {}
        self._epoch = 0
        self.hits = 0
        self.misses = 0
        _CACHES.add(self)

    # Reading and storing -------------------------------------------------------------

    def __contains__(self, telegram_id: object) -> bool:
        """Whether an entry (fresh or not) is kept for this resident."""
        return telegram_id in self._entries

    def generation(self, telegram_id: int) -> tuple[int, int]:
        return self._epoch, self._generations.get(telegram_id, 0)

    def get(self, telegram_id: int, versions: tuple[int, int] = (0, 0)) -> Snapshot | None:
        entry = self._entries.get(telegram_id)
        if entry is None or entry.expires < time.monotonic() or entry.versions != versions:
            self.misses += 1
            return None
        self.hits += 1
        return entry.snapshot

    def store(
        self,
        resident: Resident | Snapshot,
        generation: tuple[int, int],
        versions: tuple[int, int] = (0, 0),
    ) -> None:
        """Keep `resident` (just loaded) unless it changed since `generation` was read."""
        state = resident if isinstance(resident, Snapshot) else snapshot(resident)
        if state is None:
            return
        telegram_id = state.resident["telegram_id"]
        if self.generation(telegram_id) != generation:
            return
        if len(self._entries) >= self.size:
            now = time.monotonic()
            self._entries = {k: e for k, e in self._entries.items() if e.expires > now}
            if len(self._entries) >= self.size:
                self._entries.clear()
        self._entries[telegram_id] = _Entry(state, time.monotonic() + self.ttl, versions)

    async def versions(self, telegram_id: int) -> tuple[int, int]:
        """The Redis versions of this resident and of everyone (one round trip)."""
        if self.redis is None:
            return 0, 0
        own, every = await self.redis.mget(version_key(telegram_id), version_key(ALL))
        return int(own or 0), int(every or 0)

    def close(self) -> None:
        """Stop hearing of changes (the app is closing; its Redis client goes away)."""
        _CACHES.discard(self)
        self._entries.clear()

    # Invalidation ----------------------------------------------------------------------

    def forget(self, telegram_ids: Iterable[int]) -> None:
        """Drop these residents here (ALL: every resident)."""
        for telegram_id in telegram_ids:
            if telegram_id == ALL:
                self._epoch += 1
                self._entries.clear()
                self._generations.clear()
                continue
            self._entries.pop(telegram_id, None)
            self._generations[telegram_id] = self._generations.get(telegram_id, 0) + 1
        if len(self._generations) > self.size:
            # Old generations only matter to loads in flight: start a new epoch instead.
            self._epoch += 1
            self._generations.clear()

    async def publish(self, telegram_ids: Iterable[int]) -> None:
        """Tell the other processes (Redis): bump the version keys."""
        if self.redis is None:
            return
        async with self.redis.pipeline(transaction=False) as pipe:
            for telegram_id in telegram_ids:
                pipe.incr(version_key(telegram_id))
                pipe.expire(version_key(telegram_id), VERSION_KEY_SECONDS)
            await pipe.execute()


_CACHES: weakref.WeakSet[ResidentCache] = weakref.WeakSet()
_PUBLISHING: set[asyncio.Task[None]] = set()


def snapshot(resident: Resident) -> Snapshot | None:
    """The loaded state of `resident` and its joined rows; None if any of it is not loaded
    (expired), as a row built from it would then load it lazily."""
    loaded = resident.__dict__
    if any(key not in loaded for key in (*_RESIDENT_COLUMNS, *_RELATED)):
        return None
    related: dict[str, tuple[type[Any], dict[str, Any]] | None] = {}
    for name in _RELATED:
        target = loaded[name]
        if target is None:
            related[name] = None
            continue
        model = type(target)
        columns = _BUILDING_COLUMNS if model is Building else _GRID_COLUMNS
        if any(key not in target.__dict__ for key in columns):
            return None
        related[name] = (model, {key: target.__dict__[key] for key in columns})
    return Snapshot({key: loaded[key] for key in _RESIDENT_COLUMNS}, related)


def attach(session: Any, cached: Snapshot) -> Resident:
    """Fresh ORM instances from `cached`, attached to `session` as if just loaded."""
    instances: dict[tuple[type[Any], int], Any] = {}

    def build(model: type[Any], values: dict[str, Any]) -> Any:
        key = (model, values["id"])
        if key not in instances:
            obj = inspect(model).class_manager.new_instance()
            for name, value in values.items():
                set_committed_value(obj, name, value)
            make_transient_to_detached(obj)
            instances[key] = obj
        return instances[key]

    resident = build(Resident, cached.resident)
    for name, target in cached.related.items():
        set_committed_value(resident, name, None if target is None else build(*target))
    session.add(resident)
    return resident


_RESIDENT_COLUMNS = _columns(Resident)
_BUILDING_COLUMNS = _columns(Building)
_GRID_COLUMNS = _columns(Grid)


def _read_statement() -> tuple[Select[Any], list[tuple[str | None, type[Any], list[str]]]]:
    """The resident and their joined rows in one Core SELECT (the ORM's joined loading, without
    its per-row machinery), and how to cut its row into `Snapshot` parts."""
    residents = Resident.__table__
    home, area = Building.__table__.alias("home"), Building.__table__.alias("area")
    grid = Grid.__table__.alias("area_grid")
    parts: list[tuple[str | None, type[Any], Any]] = [
        (None, Resident, residents),
        ("building", Building, home),
        ("chief_grid", Grid, grid),
        ("chief_building", Building, area),
    ]
    layout = []
    columns = []
    for name, model, table in parts:
        keys = []
        for attr in inspect(model).column_attrs:
            keys.append(attr.key)
            columns.append(table.c[attr.columns[0].name])
        layout.append((name, model, keys))
    stmt = (
        select(*columns)
        .select_from(
            residents.outerjoin(home, home.c.id == residents.c.building_id)
            .outerjoin(grid, grid.c.id == residents.c.chief_grid_id)
            .outerjoin(area, area.c.id == residents.c.chief_building_id)
        )
        .where(residents.c.telegram_id == bindparam("telegram_id"))
    )
    return stmt, layout


_READ, _LAYOUT = _read_statement()


async def read(session: AsyncSession, telegram_id: int) -> Snapshot | None:
    """The resident with this Telegram id as a `Snapshot` (one statement), or None."""
    row = (await session.execute(_READ, {"telegram_id": telegram_id})).first()
    if row is None:
        return None
    values = iter(row)
    resident: dict[str, Any] = {}
    related: dict[str, tuple[type[Any], dict[str, Any]] | None] = {}
    for name, model, keys in _LAYOUT:
        part = {key: next(values) for key in keys}
        if name is None:
            resident = part
        else:
            related[name] = None if part["id"] is None else (model, part)
    return Snapshot(resident, related)


def _changed(session: Session) -> set[int]:
    return session.info.setdefault(_CHANGED, set())


@event.listens_for(Resident, "after_update")
@event.listens_for(Resident, "after_delete")
def _resident_flushed(_mapper: Any, _connection: Any, target: Resident) -> None:
    session = inspect(target).session
    if session is None:
        return
    history = inspect(target).attrs.telegram_id.history
    ids = {target.telegram_id, *history.deleted, *history.added, *history.unchanged}
    _changed(session).update(i for i in ids if isinstance(i, int))


@event.listens_for(Building, "after_update")
@event.listens_for(Building, "after_delete")
@event.listens_for(Grid, "after_update")
@event.listens_for(Grid, "after_delete")
def _area_flushed(_mapper: Any, _connection: Any, target: Any) -> None:
    session = inspect(target).session
    if session is not None:
        _changed(session).add(ALL)


@event.listens_for(Session, "do_orm_execute")
def _bulk_statement(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete):
        return
    mapper = state.bind_mapper
    if mapper is not None and mapper.class_ in (Resident, Building, Grid):
        _changed(state.session).add(ALL)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    changed = session.info.pop(_CHANGED, None)
    if changed:
        invalidate(changed)


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(_CHANGED, None)


def invalidate(telegram_ids: Iterable[int]) -> None:
    """Drop these residents (ALL: every one) from every cache of this process, and bump
    their Redis versions for the other processes. Called on commit; callable by hand for a
    change made outside SQLAlchemy's ORM."""
    ids = set(telegram_ids)
    redis_seen: set[Any] = set()
    for cache in list(_CACHES):
        cache.forget(ids)
        if cache.redis is not None and _server(cache.redis) not in redis_seen:
            redis_seen.add(_server(cache.redis))
            _publish_soon(cache, ids)


def _server(redis: Any) -> Any:
    """Which Redis database a client talks to (several apps in one process, as in the
    tests, share it: one increment is enough)."""
    kwargs = getattr(getattr(redis, "connection_pool", None), "connection_kwargs", None)
    if not kwargs:
        return id(redis)
    return tuple(kwargs.get(key) for key in ("host", "port", "path", "db"))


def _publish_soon(cache: ResidentCache, ids: set[int]) -> None:
    # Commit events are synchronous: the increments are queued on the event loop now, so
    # they go out before anything this update sends afterwards (its reply).
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    task = loop.create_task(_publish(cache, ids))
    _PUBLISHING.add(task)
    task.add_done_callback(_PUBLISHING.discard)


async def _publish(cache: ResidentCache, ids: set[int]) -> None:
    try:
        await cache.publish(ids)
    except Exception:  # Redis down: the other processes see the change after `ttl` seconds
        log.warning("could not publish a resident change to Redis", exc_info=True)
