"""SQLite on the event loop's own thread: an aiosqlite-compatible connection without the thread.

aiosqlite runs every call (a cursor, an execute, a fetch, a close, BEGIN, COMMIT) on a
thread of its own and hands the result back through the event loop: four thread hops per
statement, each waking a thread, passing the GIL and writing to the loop's self-pipe. For
the bot's statements — a few rows by primary key or index from a local file — the hops cost
several times more CPU than SQLite's work (docs/benchmarks.md, "The hot path": 1.2 → 0.25 ms
of CPU for a read with its BEGIN and COMMIT), so the embedded default runs SQLite inline.

What this gives up: while SQLite works, the event loop waits. Reads in WAL mode never wait
for a lock; this process's writers queue on an asyncio lock before `BEGIN IMMEDIATE`
(`models.db.write_transaction`), so the loop only waits on SQLite's busy timeout when
another process holds the write lock (a one-off CLI command). Several bot processes need
PostgreSQL anyway (docs/deploying.md). `SQLITE_INLINE=false` brings aiosqlite's thread back.

Why not a library: aiosqlite has no thread-less mode and SQLAlchemy has no other async
SQLite driver. SQLAlchemy's aiosqlite adapter is given this module's connection through
its documented `async_creator` hook; the adapter reads the `_connection` attribute of an
aiosqlite connection (the sqlite3 connection, None once closed), which is provided here
under the same name, and `stop()` for terminating a connection.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any


class Cursor:
    """An aiosqlite-style cursor: the sqlite3 cursor's methods as coroutines."""

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    async def __aenter__(self) -> Cursor:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        self._cursor.close()

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value

    async def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> Cursor:
        self._cursor.execute(sql, () if parameters is None else parameters)
        return self

    async def executemany(self, sql: str, parameters: Iterable[Sequence[Any]]) -> Cursor:
        self._cursor.executemany(sql, parameters)
        return self

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cursor.fetchmany(self._cursor.arraysize if size is None else size)

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()


class Connection:
    """An aiosqlite-style connection whose calls run at once on the caller's thread."""

    def __init__(self, database: str, **kwargs: Any) -> None:
        self._database = database
        self._kwargs = kwargs
        self._connection: sqlite3.Connection | None = None

    def __await__(self) -> Any:
        return self._connect().__await__()

    async def _connect(self) -> Connection:
        if self._connection is None:
            self._connection = sqlite3.connect(
                self._database, check_same_thread=False, **self._kwargs
            )
        return self

    @property
    def _conn(self) -> sqlite3.Connection:
        if self._connection is None:
            # The message aiosqlite uses: SQLAlchemy's adapter treats it as a disconnect.
            raise ValueError("no active connection")
        return self._connection

    @property
    def isolation_level(self) -> str | None:
        return self._conn.isolation_level

    def cursor(self) -> Cursor:
        return Cursor(self._conn.cursor())

    async def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> Cursor:
        return await self.cursor().execute(sql, parameters)

    async def commit(self) -> None:
        self._conn.commit()

    async def rollback(self) -> None:
        self._conn.rollback()

    async def create_function(self, *args: Any, **kwargs: Any) -> None:
        self._conn.create_function(*args, **kwargs)

    async def close(self) -> None:
        self.stop()

    def stop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()


def connect(database: str, **kwargs: Any) -> Connection:
    """Like `aiosqlite.connect`: an awaitable connection (sqlite3.connect's arguments)."""
    return Connection(database, **kwargs)
