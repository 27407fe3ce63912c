"""Shared helpers of the throughput and votes-burst benchmarks.

- `seed`: a fresh database with one community (grids, buildings, chiefs, bound groups),
  N verified residents with points, an open community vote posted to every group, and a
  rewards catalogue, written with bulk inserts (not through the bot);
- `BenchEmulator`: the Bot API emulator plus the moment each callback query was answered;
- `BotProcess`: the real bot (`python -m linli run --no-scheduler`) or the echo bot in its
  own process, against the emulator, with its peak RSS read from /proc; long polling, or in
  webhook mode (`run --webhook`) on a port of its own;
- `BotGroup`: N such processes in webhook mode behind the emulator's load balancer
  (`webhook_targets`, as in tests/test_multiprocess.py), or one polling process.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from aiogram import Bot  # noqa: E402
from sqlalchemy import func, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from linli.bot.delivery import Delivery  # noqa: E402
from linli.bot.delivery.deliberation import SOURCE_VOTE  # noqa: E402
from linli.bot.i18n import Translator  # noqa: E402
from linli.config import Settings  # noqa: E402
from linli.emulator import BotAPIEmulator  # noqa: E402
from linli.models import Building, ChatBinding, Community, Grid, Resident, ResidentStatus, Role  # noqa: E402
from linli.models.db import create_engine, create_sessionmaker  # noqa: E402
from linli.models.deliberation import (  # noqa: E402
    Scope,
    Topic,
    TopicState,
    Vote,
    VoteOption,
    VoteState,
)
from linli.models.migrate import upgrade  # noqa: E402
from linli.models.notices import DeliveryState, OutboxDelivery, OutboxMessage  # noqa: E402
from linli.models.points import LedgerEntry, LedgerKind, PointsBalance, RewardItem  # noqa: E402
from linli.services import votes as vote_service  # noqa: E402

TOKEN = "123456:BENCH-TOKEN-abcdefghijklmnopqrstuvwxyz"
ADMIN = 1
FIRST_RESIDENT = 10_000_000
FIRST_CHIEF = 20_000_000
FIRST_GROUP = -1004000000
START_POINTS = 1000
ITEMS = (("大米 5kg", 60), ("食用油", 80), ("洗衣液", 40), ("理发券", 30), ("雨伞", 50))
OPTIONS = ("同意", "反对", "弃权")
WEBHOOK_SECRET = "bench-webhook-secret"
WEBHOOK_PATH = "/hook"


@dataclass
class Seeded:
    """What `seed` created (Telegram ids, database ids, the vote's group posts)."""

    residents: list[int]
    chiefs: list[int]
    groups: list[int]
    vote_id: int
    topic_id: int
    item_ids: list[int]
    posts: list[tuple[int, int]] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)


def sqlite_url(directory: str) -> str:
    return f"sqlite+aiosqlite:///{directory}/bench.db"


async def fresh_database(database_url: str) -> None:
    """Start from an empty database (PostgreSQL: drop the schema; SQLite: delete the file),
    then apply the migrations."""
    if database_url.startswith("sqlite"):
        path = make_url(database_url).database
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)  # noqa: ASYNC240 (before any I/O)
    engine = create_engine(database_url)
    try:
        if not database_url.startswith("sqlite"):
            async with engine.begin() as conn:
                await conn.execute(text("DROP SCHEMA public CASCADE"))
                await conn.execute(text("CREATE SCHEMA public"))
        await upgrade(engine, "heads")
    finally:
        await engine.dispose()


async def fresh_redis(redis_url: str | None) -> int:
    """Delete the bot's keys (`linli:*`, `fsm:*`) from the benchmark's Redis database, as
    `fresh_database` empties the database; returns how many were deleted. Without it a
    webhook run drops every update a previous run already had: the emulator numbers updates
    from 1 again, and the webhook de-duplication marks (`linli:update:<id>`) last 24 h."""
    if not redis_url:
        return 0
    from redis.asyncio import Redis

    redis = Redis.from_url(redis_url)
    deleted = 0
    try:
        for pattern in ("linli:*", "fsm:*"):
            batch: list[Any] = []
            async for key in redis.scan_iter(match=pattern, count=1000):
                batch.append(key)
                if len(batch) >= 1000:
                    deleted += await redis.delete(*batch)
                    batch = []
            if batch:
                deleted += await redis.delete(*batch)
    finally:
        await redis.aclose()
    return deleted


async def _bulk(conn: Any, model: Any, rows: list[dict[str, Any]], chunk: int = 2000) -> None:
    for start in range(0, len(rows), chunk):
        await conn.execute(insert(model), rows[start : start + chunk])


async def seed(
    database_url: str,
    emu: BenchEmulator,
    *,
    residents: int,
    grids: int = 3,
    buildings: int = 60,
) -> Seeded:
    """Fresh schema, then the community, its residents, one open vote (posted to every
    bound group through the real posting code) and the rewards catalogue."""
    await fresh_database(database_url)
    engine = create_engine(database_url)
    now = datetime.now(UTC)
    seeded = Seeded([], [], [], 0, 0, [])
    try:
        async with engine.begin() as conn:
            community_id = (
                await conn.execute(
                    insert(Community).values(name="幸福里社区").returning(Community.id)
                )
            ).scalar_one()
            grid_ids = [
                (
                    await conn.execute(
                        insert(Grid)
                        .values(community_id=community_id, name=f"第{g + 1}网格")
                        .returning(Grid.id)
                    )
                ).scalar_one()
                for g in range(grids)
            ]
            building_ids: list[int] = []
            building_grid: dict[int, int] = {}
            for b in range(buildings):
                grid_id = grid_ids[b % grids]
                building_id = (
                    await conn.execute(
                        insert(Building)
                        .values(grid_id=grid_id, name=f"{b + 1}号楼")
                        .returning(Building.id)
                    )
                ).scalar_one()
                building_ids.append(building_id)
                building_grid[building_id] = grid_id
            people: list[dict[str, Any]] = [
                {
                    "telegram_id": ADMIN,
                    "display_name": "管理员",
                    "role": Role.ADMIN,
                    "status": ResidentStatus.VERIFIED,
                    "community_id": community_id,
                    "verified_at": now,
                }
            ]
            for g, grid_id in enumerate(grid_ids):
                people.append(
                    {
                        "telegram_id": FIRST_CHIEF + g,
                        "display_name": f"网格长{g + 1}",
                        "role": Role.GRID_CHIEF,
                        "chief_grid_id": grid_id,
                        "status": ResidentStatus.VERIFIED,
                        "community_id": community_id,
                        "building_id": building_ids[g],
                        "verified_at": now,
                    }
                )
            for b, building_id in enumerate(building_ids):
                people.append(
                    {
                        "telegram_id": FIRST_CHIEF + 1000 + b,
                        "display_name": f"楼栋长{b + 1}",
                        "role": Role.BUILDING_CHIEF,
                        "chief_building_id": building_id,
                        "status": ResidentStatus.VERIFIED,
                        "community_id": community_id,
                        "building_id": building_id,
                        "verified_at": now,
                    }
                )
            seeded.chiefs = [p["telegram_id"] for p in people]
            for i in range(residents):
                people.append(
                    {
                        "telegram_id": FIRST_RESIDENT + i,
                        "display_name": f"居民{i}",
                        "role": Role.RESIDENT,
                        "status": ResidentStatus.VERIFIED,
                        "community_id": community_id,
                        "building_id": building_ids[i % buildings],
                        "verified_at": now,
                    }
                )
            seeded.residents = [FIRST_RESIDENT + i for i in range(residents)]
            keys = ("building_id", "chief_grid_id", "chief_building_id")
            # Everyone registered in a private chat, under the name Telegram shows (below):
            # the bot has nothing to write on their first update in the benchmark.
            for p in people:
                p["private_chat_at"] = now
            seeded.names = {p["telegram_id"]: p["display_name"] for p in people}
            # executemany takes its columns from the first row: give every row every key.
            await _bulk(conn, Resident, [{**dict.fromkeys(keys), **p} for p in people])
            ids = (
                await conn.execute(
                    select(Resident.id).where(Resident.telegram_id >= FIRST_RESIDENT)
                )
            ).scalars()
            resident_ids = list(ids)
            await _bulk(
                conn,
                LedgerEntry,
                [
                    {
                        "resident_id": rid,
                        "delta": START_POINTS,
                        "kind": LedgerKind.AWARD,
                        "reason": "benchmark",
                        "idempotency_key": f"bench-seed:{rid}",
                        "created_at": now - timedelta(days=1),
                    }
                    for rid in resident_ids
                ],
            )
            await _bulk(
                conn,
                PointsBalance,
                [{"resident_id": rid, "balance": START_POINTS} for rid in resident_ids],
            )
            admin_id = (
                await conn.execute(select(Resident.id).where(Resident.telegram_id == ADMIN))
            ).scalar_one()
            for name, cost in ITEMS:
                item_id = (
                    await conn.execute(
                        insert(RewardItem)
                        .values(
                            community_id=community_id,
                            name=name,
                            description="benchmark",
                            cost=cost,
                            stock=100_000,
                            active=True,
                            created_by_id=admin_id,
                        )
                        .returning(RewardItem.id)
                    )
                ).scalar_one()
                seeded.item_ids.append(item_id)
            bindings = [
                {
                    "chat_id": FIRST_GROUP - g,
                    "title": f"第{g + 1}网格群",
                    "grid_id": gid,
                    "building_id": None,
                }
                for g, gid in enumerate(grid_ids)
            ]
            bindings += [
                {
                    "chat_id": FIRST_GROUP - 100 - b,
                    "title": f"{b + 1}号楼群",
                    "grid_id": None,
                    "building_id": bid,
                }
                for b, bid in enumerate(building_ids)
            ]
            await _bulk(conn, ChatBinding, bindings)
            seeded.groups = [row["chat_id"] for row in bindings]
            topic_id = (
                await conn.execute(
                    insert(Topic)
                    .values(
                        community_id=community_id,
                        scope=Scope.COMMUNITY,
                        author_id=admin_id,
                        title="小区停车位改造",
                        description="是否把东侧绿地改为停车位",
                        state=TopicState.VOTING,
                    )
                    .returning(Topic.id)
                )
            ).scalar_one()
            vote_id = (
                await conn.execute(
                    insert(Vote)
                    .values(
                        topic_id=topic_id,
                        question="是否同意改造方案？",
                        multiple=False,
                        max_choices=1,
                        deadline=now + timedelta(days=7),
                        quorum_percent=0,
                        allow_change=True,
                        show_live=False,
                        state=VoteState.OPEN,
                        created_by_id=admin_id,
                    )
                    .returning(Vote.id)
                )
            ).scalar_one()
            await _bulk(
                conn,
                VoteOption,
                [
                    {"vote_id": vote_id, "position": p, "label": label, "votes": 0}
                    for p, label in enumerate(OPTIONS)
                ],
            )
            seeded.vote_id, seeded.topic_id = vote_id, topic_id
        for user_id, name in seeded.names.items():
            emu.add_user(user_id, name)
        for chat_id in seeded.groups:
            emu.add_group(chat_id, "群")
        # The vote's group posts: the real text and buttons, sent here (not through the
        # outbox, so the bot starts with nothing to deliver).
        settings = Settings(
            bot_token=TOKEN,
            database_url=database_url,
            telegram_api_url=emu.base_url,
            _env_file=None,
        )
        delivery = Delivery(
            Bot(TOKEN),
            create_sessionmaker(engine),
            Translator(settings.default_language),
            settings,
        )
        async with delivery.sessionmaker() as session:
            current = await vote_service.tally(session, vote_id)
        locale = settings.default_language
        text_ = delivery.deliberation.texts.vote_post(current, locale)
        markup = delivery.deliberation.texts.vote_markup(current, locale)
        assert markup is not None
        params = {"text": text_, "reply_markup": markup.model_dump(mode="json", exclude_none=True)}
        for chat in seeded.groups:
            status, body = await emu.call("sendMessage", {"chat_id": chat, **params})
            assert status == 200, body
            seeded.posts.append((chat, body["result"]["message_id"]))
        await delivery.bot.session.close()
        # Recorded as delivered outbox posts (source "vote"), as the bot's sender would have.
        now = datetime.now(UTC)
        async with engine.begin() as conn:
            message_id = await conn.scalar(
                insert(OutboxMessage)
                .values(
                    source=SOURCE_VOTE,
                    source_id=vote_id,
                    text=text_,
                    reply_markup=params["reply_markup"],
                    total=len(seeded.posts),
                    created_at=now,
                    finished_at=now,
                )
                .returning(OutboxMessage.id)
            )
            await _bulk(
                conn,
                OutboxDelivery,
                [
                    {
                        "message_id": message_id,
                        "chat_id": chat,
                        "state": DeliveryState.SENT,
                        "attempts": 1,
                        "not_before": now,
                        "sent_at": now,
                        "telegram_message_id": telegram_message_id,
                    }
                    for chat, telegram_message_id in seeded.posts
                ],
            )
    finally:
        await engine.dispose()
    emu.forget_requests()
    return seeded


async def vote_total(database_url: str, vote_id: int) -> tuple[int, int]:
    """(sum of the options' totals, number of ballots) of a vote."""
    from linli.models.deliberation import VoteBallot

    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            total = await conn.scalar(
                select(func.coalesce(func.sum(VoteOption.votes), 0)).where(
                    VoteOption.vote_id == vote_id
                )
            )
            ballots = await conn.scalar(
                select(func.count()).select_from(VoteBallot).where(VoteBallot.vote_id == vote_id)
            )
        return int(total or 0), int(ballots or 0)
    finally:
        await engine.dispose()


class BenchEmulator(BotAPIEmulator):
    """The emulator, plus `answered[query_id] = monotonic time` of each callback answer and
    an `on_answer` hook (the emulator's own events cover sent/edited messages only)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.answered: dict[str, float] = {}
        self.on_answer: Callable[[str, float], None] | None = None

    def _answer_callback_query(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        result = super()._answer_callback_query(params, files)
        query_id = str(params.get("callback_query_id", ""))
        at = time.monotonic()
        self.answered[query_id] = at
        if self.on_answer is not None:
            self.on_answer(query_id, at)
        return result

    def forget_requests(self) -> None:
        """Drop the request log (a long run would otherwise keep every request). The webhook
        delivery log stays (three numbers per delivery): a stalled run reports from it."""
        self.requests.clear()
        self._requests_by_method.clear()


def free_port() -> int:
    """A TCP port nothing listens on now (on 127.0.0.1)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def webhook_env(port: int) -> dict[str, str]:
    """WEBHOOK_* settings of a webhook process listening on 127.0.0.1:`port` (the same
    path and secret as tests/test_multiprocess.py uses, the URL the emulator posts to)."""
    return {
        "WEBHOOK_URL": f"http://127.0.0.1:{port}{WEBHOOK_PATH}",
        "WEBHOOK_SECRET": WEBHOOK_SECRET,
        "WEBHOOK_HOST": "127.0.0.1",
        "WEBHOOK_PORT": str(port),
        "WEBHOOK_PATH": WEBHOOK_PATH,
    }


async def _accepts(port: int) -> bool:
    """Whether 127.0.0.1:`port` accepts a TCP connection."""
    try:
        _, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return False
    writer.close()
    return True


def bot_env(emu: BotAPIEmulator, database_url: str, redis_url: str | None) -> dict[str, str]:
    """Environment of the bot process: Telegram's send limits are lifted (the emulator is
    not Telegram, and the benchmark offers more than Telegram's 30 messages/s), and so is
    the per-user throttle: a simulated resident answers each reply at once, and when the bot
    is fast (the end of a run) a complaint flow and the next command come faster than the
    10 updates a second a person never reaches; the throttle then drops one silently."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("NOTICES_", "LINLI_", "DELIBERATION_", "REDIS_", "THROTTLE_"))
    }
    env.update(
        BOT_TOKEN=TOKEN,
        DATABASE_URL=database_url,
        TELEGRAM_API_URL=emu.base_url,
        ADMIN_IDS=str(ADMIN),
        POLLING_TIMEOUT="10",
        LOG_LEVEL=os.environ.get("BENCH_LOG_LEVEL", "WARNING"),
        NOTICES_GLOBAL_RATE="100000",
        NOTICES_CHAT_RATE="1000",
        NOTICES_CHAT_BURST="1000",
        NOTICES_GROUP_PER_MINUTE="1000000",
        THROTTLE_RATE="1000",
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


class BotProcess:
    """A bot in its own process; `peak_rss_mb` is VmHWM from /proc (the peak RSS).

    A plain `subprocess.Popen` polled from the event loop, with its output in a temporary
    file: a pipe nobody reads until the end could fill up and block the bot.

    With `webhook_port` the process serves a webhook there (WEBHOOK_* in `env`)."""

    def __init__(
        self, args: list[str], env: dict[str, str], webhook_port: int | None = None
    ) -> None:
        self.args = args
        self.env = env
        self.webhook_port = webhook_port
        self.process: subprocess.Popen[bytes] | None = None
        self.log: Any = None
        self.output = ""

    @property
    def webhook_url(self) -> str | None:
        """The URL the emulator posts this process's updates to (None: long polling)."""
        return None if self.webhook_port is None else webhook_env(self.webhook_port)["WEBHOOK_URL"]

    def _ready(self, emu: BotAPIEmulator, before: int) -> bool:
        """Polling: a getUpdates arrived since; webhook: this process's setWebhook succeeded
        (the bot registers it only once its server listens)."""
        if self.webhook_url is None:
            return len(emu.calls("getUpdates")) > before
        return any(
            r.params.get("url") == self.webhook_url and r.status == 200
            for r in emu.calls("setWebhook")
        )

    async def start(self, emu: BotAPIEmulator, wait: float = 60) -> None:
        """Start the process; return once it polls (or its webhook is set and its port
        accepts connections)."""
        before = len(emu.calls("getUpdates"))
        argv = [sys.executable, *self.args]
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop)
        # Popen, not asyncio's subprocess: no child watcher involved (see the class doc).
        self.process = subprocess.Popen(  # noqa: ASYNC220
            argv, env=self.env, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + wait
        while not self._ready(emu, before) or (
            self.webhook_port is not None and not await _accepts(self.webhook_port)
        ):
            if self.process.poll() is not None or time.monotonic() > deadline:
                out = await self.stop()
                what = "polling" if self.webhook_port is None else "serving its webhook"
                raise RuntimeError(f"the bot did not start {what}:\n{out[-3000:]}")
            await asyncio.sleep(0.05)

    def cpu_seconds(self) -> float:
        """User + system CPU time of the process so far (all its threads)."""
        assert self.process is not None
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return float("nan")
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def peak_rss_mb(self) -> float:
        assert self.process is not None
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return float("nan")
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    async def stop(self) -> str:
        """SIGTERM (SIGKILL after 2 minutes); returns what the process printed. Idempotent."""
        process = self.process
        if process is None or self.log is None:
            return self.output
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            # A profiled bot (bench/profiled_bot.py) writes its profile on the way out.
            deadline = time.monotonic() + 120
            while process.poll() is None and time.monotonic() < deadline:  # noqa: ASYNC110
                await asyncio.sleep(0.1)
            if process.poll() is None:
                process.kill()
                process.wait()
        self.log.seek(0)
        self.output = self.log.read().decode(errors="replace")
        self.log.close()
        self.log = None
        return self.output


class Profiler:
    """py-spy recording a bot process from now until `stop`: collapsed stacks of the thread
    holding the GIL (`--gil`: Python code running, not threads waiting in epoll or in
    SQLite's C code), with the process paused for each sample so stacks are consistent
    (SQLAlchemy's greenlets otherwise show up half-switched). Summarise the file with
    bench/profile_summary.py."""

    def __init__(self, process: BotProcess, path: str, rate: int = 200) -> None:
        assert process.process is not None
        spy = Path(sys.executable).with_name("py-spy")
        pid = str(process.process.pid)
        self.process: subprocess.Popen[bytes] | None = subprocess.Popen(
            [
                str(spy),
                "record",
                "-p",
                pid,
                "-r",
                str(rate),
                "-f",
                "raw",
                "-o",
                path,
                "--gil",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    async def stop(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        process.send_signal(signal.SIGINT)
        deadline = time.monotonic() + 30
        while process.poll() is None and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.1)
        if process.poll() is None:
            process.kill()
            process.wait()


def linli_process(
    emu: BotAPIEmulator, database_url: str, redis_url: str | None, webhook_port: int | None = None
) -> BotProcess:
    """`python -m linli.bot.cli run --no-scheduler` (plus `--webhook` on `webhook_port`)."""
    # BENCH_BOT_SCRIPT: a script standing for `python -m linli` (to try a change to the
    # bot without editing it, e.g. a monkeypatch, then `linli.bot.cli.main()`).
    script = os.environ.get("BENCH_BOT_SCRIPT")
    env = bot_env(emu, database_url, redis_url)
    args = [*([script] if script else ["-m", "linli.bot.cli"]), "run", "--no-scheduler"]
    if webhook_port is not None:
        env = {k: v for k, v in env.items() if not k.startswith(("WEBHOOK_", "HEALTH_"))}
        env.update(webhook_env(webhook_port))
        args.append("--webhook")
    return BotProcess(args, env, webhook_port)


def echo_process(emu: BotAPIEmulator, webhook_port: int | None = None) -> BotProcess:
    """bench/echo_bot.py, long polling (or `--webhook` on `webhook_port`)."""
    env = dict(os.environ, BOT_TOKEN=TOKEN, TELEGRAM_API_URL=emu.base_url)
    args = [str(ROOT / "bench" / "echo_bot.py")]
    if webhook_port is not None:
        env.update(webhook_env(webhook_port))
        args.append("--webhook")
    return BotProcess(args, env, webhook_port)


class BotGroup:
    """One polling bot process, or N webhook processes behind the emulator's load balancer
    (`emu.webhook_targets` spreads the queued updates over them, round robin, at most
    setWebhook's max_connections in flight in all). Started together, CPU summed."""

    def __init__(self, emu: BotAPIEmulator, processes: list[BotProcess]) -> None:
        self.emu = emu
        self.processes = processes
        self.webhook = processes[0].webhook_port is not None
        if not self.webhook and len(processes) > 1:
            raise ValueError("several processes need webhook mode")

    async def start(self) -> None:
        """Start every process; return once all of them are ready for updates."""
        if self.webhook:
            self.emu.webhook_targets = [str(p.webhook_url) for p in self.processes]
        results = await asyncio.gather(
            *(p.start(self.emu) for p in self.processes), return_exceptions=True
        )
        failed = [r for r in results if isinstance(r, BaseException)]
        if failed:
            await self.stop()
            raise failed[0]

    def cpu_seconds(self) -> float:
        """User + system CPU time of all the processes so far."""
        return sum(p.cpu_seconds() for p in self.processes)

    def peak_rss_mb(self) -> list[float]:
        """Each process's peak RSS."""
        return [p.peak_rss_mb() for p in self.processes]

    async def stop(self) -> list[str]:
        """Stop every process (returns their output); then leave the emulator's queue empty
        for the next bot: in webhook mode the webhook is deleted with its pending updates."""
        outputs = list(await asyncio.gather(*(p.stop() for p in self.processes)))
        if self.webhook:
            await self.emu.call("deleteWebhook", {"drop_pending_updates": True})
            self.emu.webhook_targets = None
        else:  # mark every queued update as delivered
            last = self.emu.push_update({}).update_id
            await self.emu.call("getUpdates", {"offset": last + 1, "timeout": 0})
        return outputs


def line(label: str, result: dict[str, Any]) -> str:
    return f"{label:<11} " + " ".join(f"{k}={v}" for k, v in result.items())
