"""Helpers shared by the resilience tests (tests/test_resilience_*.py, docs/resilience.md):
quick recovery settings for an in-process bot, the real bot as a subprocess, bulk set-up of
voters and shoppers, a fingerprint of every table, and a TCP proxy that can cut the
database off."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aiogram.utils.backoff import BackoffConfig
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

import tests.support as support
from linli.bot.app import App
from linli.bot.callbacks.points import RedeemConfirm
from linli.config import Settings
from linli.emulator import BotAPIEmulator, StoredMessage
from linli.models import Base, Grid, Resident, ResidentStatus
from linli.models.points import LedgerEntry, LedgerKind, PointsBalance, RewardItem
from tests.support import ErrorRecords, Harness, process_env, spawn

# In tests the bot retries getUpdates after 50 ms, then at most every 0.3 s (production:
# bot.app.POLLING_BACKOFF), and gives up on a request after REQUEST_TIMEOUT seconds
# (getUpdates: polling timeout + REQUEST_TIMEOUT) instead of aiogram's 60 s.
FAST_BACKOFF = BackoffConfig(min_delay=0.05, max_delay=0.3, factor=1.5, jitter=0.01)
REQUEST_TIMEOUT = 2


def quick_recovery(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the in-process bots of tests.support.Harness recover quickly from failures."""
    original = support.create_app

    def create(settings: Settings, **kwargs: Any) -> App:
        app = original(settings, **kwargs)
        app.polling_backoff = FAST_BACKOFF
        app.bot.session.timeout = REQUEST_TIMEOUT
        return app

    monkeypatch.setattr(support, "create_app", create)


# --- logs ------------------------------------------------------------------------------------


@contextlib.contextmanager
def error_records() -> Iterator[ErrorRecords]:
    handler = ErrorRecords()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)


# --- the database ----------------------------------------------------------------------------


async def fingerprint(engine: AsyncEngine) -> dict[str, tuple[int, str]]:
    """Row count and a digest of the contents of every table."""
    out: dict[str, tuple[int, str]] = {}
    async with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            rows = (await conn.execute(select(table).order_by(*order))).all()
            digest = hashlib.sha256(repr([tuple(row) for row in rows]).encode()).hexdigest()
            out[table.name] = (len(rows), digest[:16])
    return out


def changed(before: dict[str, tuple[int, str]], after: dict[str, tuple[int, str]]) -> list[str]:
    return [name for name in before if before[name] != after.get(name)]


async def add_residents(
    h: Harness, ids: list[int], grid: str = "第一网格", building: str = "1号楼"
) -> None:
    """Verified residents in one INSERT, known to the emulator under the same name (so the
    resident middleware has nothing to write)."""
    target = await h.building(grid, building)
    async with h.db() as session:
        grid_row = await session.get(Grid, target.grid_id)
        assert grid_row is not None
        # End the read first: on SQLite a read transaction that later writes can fail with
        # "database is locked" at once (no busy wait) when the bot wrote in between.
        await session.commit()
        await session.execute(
            insert(Resident),
            [
                {
                    "telegram_id": uid,
                    "display_name": "居民",
                    "building_id": target.id,
                    "community_id": grid_row.community_id,
                    "status": ResidentStatus.VERIFIED,
                    "private_chat_at": datetime.now(UTC),  # registered in a private chat
                }
                for uid in ids
            ],
        )
        await session.commit()
    for uid in ids:
        h.emu.add_user(uid, "居民")


async def vote_post(h: Harness, chat_id: int = -100101) -> StoredMessage:
    """The group post of the open vote (published right after the vote is created)."""
    return await h.emu.wait_for_message(
        chat_id, predicate=lambda m: "投票 · 议题" in (m.text or "") and bool(m.buttons)
    )


async def add_item(h: Harness, name: str, cost: int, stock: int) -> int:
    async with h.db() as session:
        grid = await session.scalar(select(Grid).limit(1))
        assert grid is not None
        await session.commit()
        item = RewardItem(
            community_id=grid.community_id, name=name, description="", cost=cost, stock=stock
        )
        session.add(item)
        await session.commit()
        return item.id


async def give_points(h: Harness, ids: list[int], points: int) -> None:
    """An award of `points` to each resident: ledger entries and cached balances."""
    async with h.db() as session:
        rows = (
            await session.execute(
                select(Resident.id, Resident.telegram_id).where(Resident.telegram_id.in_(ids))
            )
        ).all()
        await session.commit()
        now = datetime.now(UTC)
        await session.execute(
            insert(LedgerEntry),
            [
                {
                    "resident_id": rid,
                    "delta": points,
                    "kind": LedgerKind.AWARD,
                    "reason": "test",
                    "idempotency_key": f"test-award:{rid}",
                    "created_at": now,
                }
                for rid, _ in rows
            ],
        )
        await session.execute(
            insert(PointsBalance),
            [{"resident_id": rid, "balance": points, "updated_at": now} for rid, _ in rows],
        )
        await session.commit()


async def confirm_buttons(emu: BotAPIEmulator, ids: list[int], item_id: int) -> list[StoredMessage]:
    """In each resident's private chat, the bot's "confirm the redemption" message (as
    handlers.rewards.ask_redeem sends it), one confirmation token per resident."""
    out = []
    for uid in ids:
        data = RedeemConfirm(item_id=item_id, token=f"t{uid}").pack()
        status, body = await emu.call(
            "sendMessage",
            {
                "chat_id": uid,
                "text": "确认兑换?",
                "reply_markup": {"inline_keyboard": [[{"text": "确认", "callback_data": data}]]},
            },
        )
        assert status == 200, body
        out.append(emu.message(uid, body["result"]["message_id"]))
    return out


async def ledger_consistent(engine: AsyncEngine) -> list[tuple[int, int, int]]:
    """(resident, ledger sum, cached balance) for every resident where they differ."""
    async with engine.connect() as conn:
        sums = dict(
            (
                await conn.execute(
                    select(LedgerEntry.resident_id, func.sum(LedgerEntry.delta)).group_by(
                        LedgerEntry.resident_id
                    )
                )
            ).all()
        )
        balances = dict(
            (await conn.execute(select(PointsBalance.resident_id, PointsBalance.balance))).all()
        )
    return [
        (rid, int(sums.get(rid, 0)), int(balances.get(rid, 0)))
        for rid in set(sums) | set(balances)
        if int(sums.get(rid, 0)) != int(balances.get(rid, 0))
    ]


# --- the real bot in its own process ---------------------------------------------------------


def bot_env(emu: BotAPIEmulator, database_url: str, **extra: str) -> dict[str, str]:
    return process_env(emu, database_url, NOTICES_SENDER_POLL_SECONDS="0.5", **extra)


async def spawn_bot(env: dict[str, str], cwd: Path) -> asyncio.subprocess.Process:
    """`python -m linli run --no-scheduler` (long polling the emulator)."""
    return await spawn("linli.bot.cli", ["run", "--no-scheduler"], env, cwd)


# --- a TCP proxy in front of the database ----------------------------------------------------


class CuttableProxy:
    """Forwards 127.0.0.1:<port> to a database server. `cut()` is the server going down:
    every open connection is closed and new ones are refused (nothing listens on the port);
    `restore()` listens on the same port again. `stall()` is a network partition: every
    connection stays open and new ones are accepted, but no byte goes through either way
    until `resume()` delivers what was held back (as TCP does once the network is back)."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._flowing = asyncio.Event()
        self._flowing.set()
        self.connections = 0

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._client, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        self._writers.update((writer, up_writer))

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            try:
                while data := await src.read(65536):
                    await self._flowing.wait()
                    dst.write(data)
                    await dst.drain()
            except (OSError, asyncio.CancelledError):
                pass
            finally:
                dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
        self._writers.difference_update((writer, up_writer))

    async def cut(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in list(self._writers):
            transport = writer.transport
            transport.abort()
        self._writers.clear()
        await asyncio.sleep(0)

    async def restore(self) -> None:
        await self.start()

    def stall(self) -> None:
        self._flowing.clear()

    def resume(self) -> None:
        self._flowing.set()

    async def close(self) -> None:
        await self.cut()
