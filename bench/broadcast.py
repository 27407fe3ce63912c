"""Broadcast benchmark: one notice to many bound groups through the real outbox sender.

Starts the Bot API emulator with a send-rate cap R (excess sends get 429), binds N groups,
broadcasts one notice to all of them with the sender's limiter set to R, and reports:

- achieved rate / R (target >= 0.9), 429s received (target 0 in steady state),
  duplicates (must be 0) and lost (must be 0);
- then the same with 5% random 429s and 2% random 500s injected: all delivered, none twice.

    python bench/broadcast.py                      # R=300, N=2000, SQLite in a temp dir
    python bench/broadcast.py --rate 300 --groups 2000 \\
        --database-url postgresql+asyncpg://linli:linli@127.0.0.1:5432/linli_bench

Each result is one line so runs can be compared. Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import select, text  # noqa: E402

from linli.bot.app import create_app  # noqa: E402
from linli.config import Settings  # noqa: E402
from linli.config.notices import NoticeSettings  # noqa: E402
from linli.emulator import ApiError, BotAPIEmulator  # noqa: E402
from linli.models import ChatBinding, Grid, Resident, ResidentStatus, Role  # noqa: E402
from linli.models.db import create_engine, create_sessionmaker  # noqa: E402
from linli.models.migrate import upgrade  # noqa: E402
from linli.models.notices import NoticeKind, OutboxMessage, Repeat, TargetKind  # noqa: E402
from linli.services import notices as notice_service  # noqa: E402
from linli.services.structure import import_structure, parse_structure_csv  # noqa: E402

TOKEN = "123456:BENCH-TOKEN-abcdefghijklmnopqrstuvwxyz"
ADMIN = 1
FIRST_CHAT = -1003000000


class FaultyEmulator(BotAPIEmulator):
    """The emulator, plus random 429s and 500s on sends to groups."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.p429 = 0.0
        self.p500 = 0.0
        self.rng = random.Random(6)

    def _fault_for(self, method: str, params: Any) -> ApiError | None:
        fault = super()._fault_for(method, params)
        if fault is not None or method != "sendmessage":
            return fault
        if not str(params.get("chat_id", "")).startswith("-"):
            return None
        roll = self.rng.random()
        if roll < self.p429:
            return ApiError(429, "Too Many Requests: retry after 1", {"retry_after": 1})
        if roll < self.p429 + self.p500:
            return ApiError(500, "Internal Server Error")
        return None


async def _prepare(database_url: str, emu: BotAPIEmulator, groups: int) -> None:
    engine = create_engine(database_url)
    if not database_url.startswith("sqlite"):
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
    await upgrade(engine, "heads")
    sessionmaker = create_sessionmaker(engine)
    rows = parse_structure_csv((ROOT / "examples" / "community.csv").read_text("utf-8-sig"))
    async with sessionmaker() as session:
        await import_structure(session, rows)
    async with sessionmaker() as session:
        grids = list((await session.scalars(select(Grid).order_by(Grid.id))).all())
        session.add(
            Resident(
                telegram_id=ADMIN,
                display_name="admin",
                role=Role.ADMIN,
                status=ResidentStatus.VERIFIED,
                community_id=grids[0].community_id,
            )
        )
        for index in range(groups):
            chat = FIRST_CHAT - index
            emu.add_group(chat, f"group {index}")
            session.add(
                ChatBinding(
                    chat_id=chat, title=f"group {index}", grid_id=grids[index % len(grids)].id
                )
            )
        await session.commit()
    await engine.dispose()


async def _broadcast(app: Any, label: str) -> int:
    """Schedule a notice to every bound group "now" and start its run; returns its id."""
    async with app.sessionmaker() as session:
        admin = await session.scalar(select(Resident).where(Resident.telegram_id == ADMIN))
        notice = await notice_service.create(
            session,
            admin,
            notice_service.Draft(
                NoticeKind.MESSAGE,
                notice_service.Target(TargetKind.ALL),
                notice_service.Schedule(Repeat.ONCE),
                text=f"<b>Benchmark</b> {label}",
            ),
            datetime.now(UTC),
            ZoneInfo(app.settings.timezone),
        )
    await app.delivery.notices.start_due(datetime.now(UTC), notice_id=notice.id)
    return notice.id


async def _wait_finished(app: Any, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        async with app.sessionmaker() as session:
            open_count = await session.scalar(
                select(OutboxMessage.id).where(OutboxMessage.finished_at.is_(None)).limit(1)
            )
        if open_count is None:
            return
        await asyncio.sleep(0.1)
    raise TimeoutError("the broadcast did not finish")


def _measure(
    emu: BotAPIEmulator, groups: int, rate: float, limit: float, label: str, elapsed: float
) -> dict[str, Any]:
    sends = [
        r
        for r in emu.calls("sendMessage")
        if str(r.params.get("chat_id", "")).startswith(str(FIRST_CHAT)[:5])
    ]
    ok = [r for r in sends if r.ok]
    counts = [len(emu.messages(FIRST_CHAT - i)) for i in range(groups)]
    first = min(r.at for r in sends)
    last = max(r.finished_at or r.at for r in ok)
    achieved = len(ok) / max(last - first, 1e-9)
    # The fastest the limits allow: one second's worth at once (a token bucket, like
    # Telegram's and the emulator's), then `limit` per second.
    ideal = max(len(ok) - limit, 0) / limit
    return {
        "run": label,
        "R": rate,
        "groups": groups,
        "delivered": sum(1 for c in counts if c >= 1),
        "achieved": round(achieved, 1),
        "ratio": round(achieved / rate, 3),
        "vs_ideal": round(ideal / max(last - first, 1e-9), 3),
        "429s": sum(1 for r in sends if r.status == 429),
        "500s": sum(1 for r in sends if r.status == 500),
        "duplicates": sum(1 for c in counts if c > 1),
        "lost": sum(1 for c in counts if c == 0),
        "seconds": round(elapsed, 2),
    }


def _line(result: dict[str, Any]) -> str:
    return " ".join(f"{k}={v}" for k, v in result.items())


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, default=300.0, help="emulator cap R (msg/s)")
    parser.add_argument("--groups", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument(
        "--headroom",
        type=float,
        default=0.03,
        help="the sender's limit is R * (1 - headroom): arrival jitter must not cross R",
    )
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--p429", type=float, default=0.05)
    parser.add_argument("--p500", type=float, default=0.02)
    args = parser.parse_args(argv)

    emu = FaultyEmulator()
    await emu.start()
    emu.add_user(ADMIN, "admin")
    with tempfile.TemporaryDirectory() as tmp:
        database_url = args.database_url or f"sqlite+aiosqlite:///{tmp}/bench.db"
        await _prepare(database_url, emu, args.groups)
        settings = Settings(
            bot_token=TOKEN,
            database_url=database_url,
            telegram_api_url=emu.base_url,
            admin_ids=[ADMIN],
            scheduler_enabled=False,
            notices=NoticeSettings(
                global_rate=args.rate * (1 - args.headroom),
                interactive_reserve=0,
                sender_concurrency=args.concurrency,
                sender_poll_seconds=0.2,
                _env_file=None,
            ),
            _env_file=None,
        )
        app = create_app(settings)
        assert app.sender is not None
        await app.sender.start()
        results = []
        try:
            for label, p429, p500 in (
                ("steady", 0.0, 0.0),
                ("faults", args.p429, args.p500),
            ):
                emu.reset()
                emu.set_rate_limit(args.rate)
                emu.p429, emu.p500 = p429, p500
                started = time.monotonic()
                await _broadcast(app, label)
                await _wait_finished(app, 600)
                elapsed = time.monotonic() - started
                limit = settings.notices.global_rate
                result = _measure(emu, args.groups, args.rate, limit, label, elapsed)
                results.append(result)
                print(_line(result), flush=True)
        finally:
            await app.sender.stop()
            await app.close()
            await emu.stop()
    ok = all(r["duplicates"] == 0 and r["lost"] == 0 for r in results)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
