"""Throughput and latency of the real bot against a bare aiogram echo bot (the ceiling).

The Bot API emulator runs in this process; the bot (`python -m linli run --no-scheduler`)
runs in its own process and long-polls it over HTTP, on a database seeded with bulk inserts:
one community, N verified residents in 3 grids and 60 buildings (plus their chiefs and 63
bound groups), one open community vote posted to every group, a rewards catalogue and
balances. A mixed workload from those residents is replayed:

- 50 % vote button presses on the group posts (each resident presses once),
- 20 % /points, 10 % /topics,
- 10 % complaint submissions: whole flows (/complain, category, [similar: new], text,
  no photos, no location, not anonymous, confirm),
- 10 % redemptions: whole flows (/rewards, item, redeem, confirm).

A resident never has two updates in flight: each step of a flow is pushed after the reply
to the previous one arrived. Latency runs from the moment an update is pushed to the
emulator's queue to the moment the reply for it reaches the emulator: the
answerCallbackQuery for a button press (matched by query id; the bot answers after its
handler finished), the first message sent to (or edited in) the resident's private chat
for a message (matched by chat; one update per chat in flight makes that exact).

Two phases, each with the real bot and then the echo bot (bench/echo_bot.py, same emulator,
exactly the same updates replayed):

- `rate`: updates offered at --rate per second (default 300): latency target p99 < 250 ms;
- `max`: as fast as possible (at most --window updates in flight): updates/s, and
  **Linli ÷ echo** — the headline figure, which holds on noisy machines.

    python bench/throughput.py                         # SQLite (temporary file)
    python bench/throughput.py --redis-url redis://127.0.0.1:6379/7 \\
        --database-url postgresql+asyncpg://linli:linli@127.0.0.1:5432/linli_bench
    python bench/throughput.py --residents 1000 --updates 2000      # a quick run
    python bench/throughput.py --processes 2 --phases rate --rate 400 \\
        --redis-url redis://127.0.0.1:6379/7 \\
        --database-url postgresql+asyncpg://linli:linli@127.0.0.1:5432/linli_bench

`--webhook`: the bot runs as `python -m linli.bot.cli run --webhook --no-scheduler` on a port
of its own and the emulator POSTs the queued updates to it (as Telegram does), instead of
long polling. `--processes N` (implies --webhook): N such processes behind the emulator's
load balancer (`webhook_targets`, round robin, as in tests/test_multiprocess.py), which
needs PostgreSQL and Redis (shared FSM state and webhook de-duplication marks). The echo
bot then runs in the same topology (N `bench/echo_bot.py --webhook` processes). The
emulator keeps at most setWebhook's max_connections deliveries in flight in all (neither bot
sets it: 40, Telegram's default), so in webhook mode at most 40 of --window are in the bots.

One line per result. Not a test: timings depend on the machine. `cpu_ms_per_update` sums
the CPU of all the bot's processes; `peak_rss_mb` is the largest process's peak RSS,
`peak_rss_mb_sum` the sum over processes; `harness_cpu_pct` is the CPU of this process
(emulator and driver) ÷ wall time: near 100 the harness, not the bot, sets the pace.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import random
import sys
import tempfile
import time
from collections import Counter, deque
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    BenchEmulator,
    BotGroup,
    Profiler,
    Seeded,
    echo_process,
    free_port,
    fresh_redis,
    line,
    linli_process,
    seed,
    sqlite_url,
    vote_total,
)

from linli.bot.callbacks.complaints import ComplaintCategoryPick, ComplaintStep
from linli.bot.callbacks.deliberation import CastVote
from linli.emulator import StoredMessage

CATEGORIES = ("parking", "sanitation", "repairs", "noise", "safety")
TEXTS = ("楼道灯坏了，晚上很黑", "垃圾桶满了没人清理", "电梯经常停", "地下车库漏水")
MIX = {"vote": 0.5, "points": 0.2, "topics": 0.1, "complaint": 0.1, "redeem": 0.1, "start": 0.0}
FLOW_LENGTH = {"vote": 1, "points": 1, "topics": 1, "complaint": 7, "redeem": 4, "start": 1}
NEW_USERS_FROM = 8_000_000_000
"""`--only start`: first touch, `/start` from Telegram users the bot has never seen (ids
from here up, none of them seeded)."""


class FlowBroken(Exception):
    """The bot's reply did not offer what the next step needs (an error reply)."""


@dataclass
class Step:
    kind: str  # "msg" or "cb"
    text: str = ""
    data: str = ""
    where: tuple[int, int] | None = None  # the message a button press is on


def _button(message: StoredMessage | None, prefix: str, rng: random.Random | None = None) -> str:
    if message is None:
        raise FlowBroken("no reply")
    found = [v for row in message.buttons for _, v in row if v and v.startswith(prefix)]
    if not found:
        raise FlowBroken(f"no {prefix!r} button in {message.text!r:.80}")
    return rng.choice(found) if rng else found[0]


def _press(message: StoredMessage | None, data: str) -> Step:
    value = _button(message, data)
    assert message is not None
    return Step("cb", data=value, where=(message.chat_id, message.message_id))


Script = Generator[Step, StoredMessage | None, None]


def complaint(rng: random.Random) -> Script:
    m = yield Step("msg", text="/complain")
    m = yield _press(m, ComplaintCategoryPick(code=rng.choice(CATEGORIES)).pack())
    new = ComplaintStep(action="new").pack()
    if m is not None and any(v == new for row in m.buttons for _, v in row):
        m = yield _press(m, new)  # similar open complaints were shown: file a new one
    m = yield Step("msg", text=rng.choice(TEXTS))
    for action in ("photos_done", "noloc", "anon_no", "confirm"):
        m = yield _press(m, ComplaintStep(action=action).pack())


def redeem(rng: random.Random) -> Script:
    m = yield Step("msg", text="/rewards")
    m = yield Step("cb", data=_button(m, "ri:", rng), where=(m.chat_id, m.message_id))  # type: ignore[union-attr]
    m = yield _press(m, "rr:")
    m = yield _press(m, "rc:")


def single(step: Step) -> Script:
    yield step


def replay(steps: list[Step]) -> Script:
    for step in steps:  # noqa: UP028 (a list iterator has no send())
        yield step


@dataclass(eq=False)
class Flow:
    kind: str
    user: int
    script: Script
    steps: list[Step] = field(default_factory=list)
    failed: str | None = None


class Driver:
    """Pushes steps at `rate` per second (0: as fast as possible with at most `window`
    updates in flight), continuing each flow when the reply to its last step arrived."""

    def __init__(self, emu: BenchEmulator, flows: Iterator[Flow], rate: float, window: int) -> None:
        self.emu = emu
        self.flows = flows
        self.rate = rate
        self.window = window
        self.ready: deque[Flow] = deque()
        self.waiting: deque[Flow] = deque()  # new flows whose resident is busy
        self.busy: set[int] = set()
        # In flight: the flow, when its step was pushed, the update's id.
        self.by_query: dict[str, tuple[Flow, float, int]] = {}
        self.by_chat: dict[int, tuple[Flow, float, int]] = {}
        self.latencies: list[float] = []
        self.by_kind: dict[str, list[float]] = {}
        self.started: list[Flow] = []
        self.pushed = Counter[str]()
        self.first_push = math.inf
        self.last_reply = 0.0
        self.wake = asyncio.Event()
        self.exhausted = False
        emu.on_answer = self._answered
        self._unsubscribe = emu.on_event(self._event)

    def close(self) -> None:
        self.emu.on_answer = None
        self._unsubscribe()

    def _done(self, flow: Flow, pushed_at: float, at: float) -> None:
        latency = at - pushed_at
        self.latencies.append(latency)
        self.by_kind.setdefault(flow.kind, []).append(latency)
        self.last_reply = max(self.last_reply, at)
        self.ready.append(flow)
        self.wake.set()

    def _answered(self, query_id: str, at: float) -> None:
        entry = self.by_query.pop(query_id, None)
        if entry is not None:
            self._done(entry[0], entry[1], at)

    def _event(self, event: str, message: StoredMessage) -> None:
        if event not in ("sent", "edited") or message.chat_id <= 0:
            return
        entry = self.by_chat.pop(message.chat_id, None)
        if entry is not None:
            self._done(entry[0], entry[1], time.monotonic())

    @property
    def in_flight(self) -> int:
        return len(self.by_query) + len(self.by_chat)

    def _next(self) -> tuple[Flow, Step] | None:
        while self.ready:
            flow = self.ready.popleft()
            step = self._advance(flow, self.emu.last_message(flow.user))
            if step is not None:
                return flow, step
        for _ in range(len(self.waiting)):
            flow = self.waiting.popleft()
            if flow.user not in self.busy:
                return self._begin(flow)
            self.waiting.append(flow)
        while not self.exhausted:
            flow = next(self.flows, None)
            if flow is None:
                self.exhausted = True
                break
            if flow.user in self.busy:
                self.waiting.append(flow)
                continue
            return self._begin(flow)
        return None

    def _begin(self, flow: Flow) -> tuple[Flow, Step] | None:
        self.busy.add(flow.user)
        self.started.append(flow)
        step = self._advance(flow, None, first=True)
        return (flow, step) if step is not None else None

    def _advance(self, flow: Flow, reply: StoredMessage | None, first: bool = False) -> Step | None:
        try:
            step = next(flow.script) if first else flow.script.send(reply)
        except StopIteration:
            self.busy.discard(flow.user)
            return None
        except FlowBroken as exc:
            flow.failed = str(exc)
            self.busy.discard(flow.user)
            return None
        flow.steps.append(step)
        return step

    def _push(self, flow: Flow, step: Step) -> None:
        if step.kind == "msg":
            update = self.emu.push_message(flow.user, flow.user, step.text)
            at = time.monotonic()
            self.by_chat[flow.user] = (flow, at, update.update_id)
        else:
            assert step.where is not None
            update = self.emu.push_callback(flow.user, step.where, step.data)
            at = time.monotonic()
            assert update.callback_query is not None
            self.by_query[update.callback_query.id] = (flow, at, update.update_id)
        self.first_push = min(self.first_push, at)
        self.pushed[flow.kind] += 1

    def finished(self) -> bool:
        return self.exhausted and not self.ready and not self.waiting and self.in_flight == 0

    async def run(self, stall_seconds: float = 60.0) -> None:
        start = time.monotonic()
        index = 0
        last_progress = time.monotonic()
        progress_mark = 0
        while True:
            if self.rate:
                target = start + index / self.rate
                now = time.monotonic()
                if target > now:
                    await asyncio.sleep(target - now)
                elif now - target > 0.1:  # fell behind (nothing was ready): no burst
                    start = now - index / self.rate
            else:
                while self.in_flight >= self.window:
                    self.wake.clear()
                    await asyncio.wait_for(self.wake.wait(), stall_seconds)
            item = self._next()
            if item is None:
                if self.finished():
                    return
                self.wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.wake.wait(), 1.0)
                if len(self.latencies) != progress_mark:
                    progress_mark, last_progress = len(self.latencies), time.monotonic()
                elif time.monotonic() - last_progress > stall_seconds:
                    raise TimeoutError(
                        f"no reply for {stall_seconds}s; {self.in_flight} in flight:\n"
                        + self.describe_in_flight()
                    )
                continue
            self._push(*item)
            index += 1
            if index % 2000 == 0:
                self.emu.forget_requests()
                await asyncio.sleep(0)

    def waiting_for(self) -> list[tuple[Flow, float, int]]:
        """The updates in flight: flow, when pushed, update id."""
        return [*self.by_query.values(), *self.by_chat.values()]

    def describe_in_flight(self) -> str:
        """One line per update still waiting for its reply: the flow, the step, how long ago
        it was pushed, and what the emulator did with it (webhook deliveries: target and
        HTTP status, -1 for a failed connection)."""
        now = time.monotonic()
        lines = []
        for flow, at, update_id in self.waiting_for():
            step = flow.steps[-1]
            deliveries = [
                (target.rsplit(":", 1)[-1], status)
                for delivered, target, status in self.emu.webhook_deliveries
                if delivered == update_id
            ]
            last = self.emu.last_message(flow.user)
            shown = "none" if last is None else f"#{last.message_id} {(last.text or '')[:40]!r}"
            lines.append(
                f"  update {update_id}: {flow.kind} flow of user {flow.user}, step "
                f"{len(flow.steps)} ({step.kind} {step.data or step.text!r}), pushed "
                f"{now - at:.1f}s ago; webhook deliveries (port/path, status): {deliveries}; "
                f"the chat's last message: {shown}"
            )
        return "\n".join(lines)

    def result(self, seconds: float) -> dict[str, Any]:
        values = sorted(self.latencies)
        span = max(self.last_reply - self.first_push, 1e-9)

        def pct(q: float) -> float:
            if not values:
                return float("nan")
            return round(1000 * values[min(len(values) - 1, int(q * len(values)))], 1)

        return {
            "updates": len(values),
            "updates_per_s": round(len(values) / span, 1),
            "p50_ms": pct(0.50),
            "p95_ms": pct(0.95),
            "p99_ms": pct(0.99),
            "max_ms": round(1000 * values[-1], 1) if values else float("nan"),
            "flows_failed": sum(1 for f in self.started if f.failed),
            "seconds": round(seconds, 1),
        }


def plan(seeded: Seeded, updates: int, seed_value: int, only: str | None = None) -> Iterator[Flow]:
    """The workload: kinds in random order, each from a random resident (every resident
    presses the vote button once while there are residents left)."""
    rng = random.Random(seed_value)
    kinds: list[str] = []
    for kind, share in MIX.items():
        if only is not None:
            share = 1.0 if kind == only else 0.0
        count = round(updates * share)
        kinds += [kind] * (count // FLOW_LENGTH[kind])
    rng.shuffle(kinds)
    voters = list(seeded.residents)
    rng.shuffle(voters)
    newcomers = iter(range(NEW_USERS_FROM, NEW_USERS_FROM + len(kinds)))
    for kind in kinds:
        if kind == "start":
            yield Flow(kind, next(newcomers), single(Step("msg", text="/start")))
            continue
        if kind == "vote":
            user = voters.pop() if voters else rng.choice(seeded.residents)
            chat, message_id = rng.choice(seeded.posts)
            data = CastVote(vote_id=seeded.vote_id, position=rng.randrange(3)).pack()
            yield Flow(kind, user, single(Step("cb", data=data, where=(chat, message_id))))
            continue
        user = rng.choice(seeded.residents)
        if kind == "points":
            yield Flow(kind, user, single(Step("msg", text="/points")))
        elif kind == "topics":
            yield Flow(kind, user, single(Step("msg", text="/topics")))
        elif kind == "complaint":
            yield Flow(kind, user, complaint(rng))
        else:
            yield Flow(kind, user, redeem(rng))


def replay_plan(flows: list[Flow]) -> Iterator[Flow]:
    for flow in flows:
        yield Flow(flow.kind, flow.user, replay(list(flow.steps)))


async def _measure(
    emu: BenchEmulator,
    bots: BotGroup,
    flows: Iterator[Flow],
    rate: float,
    window: int,
    profile: str | None = None,
) -> tuple[Driver, dict[str, Any]]:
    """Start the bot's processes (and wait until every one is ready), replay the flows,
    stop them; the driver and its result plus CPU (all processes), RSS and tracebacks."""
    await bots.start()
    driver = Driver(emu, flows, rate, window)
    started = time.monotonic()
    cpu = bots.cpu_seconds()
    harness = time.process_time()
    spies: list[Profiler] = []
    if profile:
        many = len(bots.processes) > 1
        for i, process in enumerate(bots.processes):
            path = f"{profile.removesuffix('.txt')}.{i}.txt" if many else profile
            spies.append(Profiler(process, path))
    stalled = False
    try:
        try:
            await driver.run()
        except TimeoutError:
            stalled = True
            raise
        cpu = bots.cpu_seconds() - cpu
        harness = time.process_time() - harness
        wall = time.monotonic() - started
        for spy in spies:
            await spy.stop()
        await asyncio.sleep(0.5)
        rss = bots.peak_rss_mb()
    finally:
        driver.close()
        for spy in spies:
            await spy.stop()
        outputs = await bots.stop()
        if stalled:  # what the bots logged (BENCH_LOG_LEVEL=INFO for more)
            waiting = [
                mark
                for *_, update_id in driver.waiting_for()
                for mark in (f"update={update_id}]", f"update {update_id} ")
            ]
            for i, output in enumerate(outputs):
                lines = [ln for ln in output.splitlines() if any(w in ln for w in waiting)]
                print(f"--- bot process {i}: its log of {waiting} ---", file=sys.stderr)
                print("\n".join(lines[:80]), file=sys.stderr)
                print(f"--- bot process {i}, the end of its log ---", file=sys.stderr)
                print(output[-3000:], file=sys.stderr)
    result = driver.result(time.monotonic() - started)
    result["cpu_ms_per_update"] = round(1000 * cpu / max(len(driver.latencies), 1), 2)
    result["peak_rss_mb"] = round(max(rss), 1)
    if len(rss) > 1:
        result["peak_rss_mb_sum"] = round(sum(rss), 1)
    result["harness_cpu_pct"] = round(100 * harness / max(wall, 1e-9))
    crashes = 0
    for i, output in enumerate(outputs):
        count = output.count("Traceback")
        if count:
            crashes += count
            print(f"--- bot process {i}: {count} tracebacks ---", file=sys.stderr)
            print(output[-4000:], file=sys.stderr)
    if crashes:
        result["tracebacks"] = crashes
    return driver, result


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=None, help="default: SQLite in a temp dir")
    parser.add_argument("--redis-url", default=None, help="FSM, throttling (e.g. db 7)")
    parser.add_argument("--updates", type=int, default=20_000)
    parser.add_argument("--residents", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=300.0, help="offered updates/s")
    parser.add_argument("--window", type=int, default=200, help="in flight in the max phase")
    parser.add_argument("--phases", default="rate,max", help="rate, max or both")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--only", choices=sorted(MIX), help="one kind of update (profiling)")
    parser.add_argument(
        "--profile",
        metavar="PATH",
        help="record the bot process(es) with py-spy during each Linli run (PATH.<phase>.txt, "
        "PATH.<phase>.<i>.txt with --processes; collapsed stacks; summarise with "
        "bench/profile_summary.py)",
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=1,
        metavar="N",
        help="N bot processes in webhook mode behind the emulator's load balancer (N > 1 "
        "implies --webhook and needs --database-url PostgreSQL and --redis-url); the echo "
        "bot runs as N webhook processes too",
    )
    parser.add_argument(
        "--webhook",
        action="store_true",
        help="webhook mode (`linli run --webhook`, the emulator POSTs updates to the bot) "
        "instead of long polling, for both bots",
    )
    args = parser.parse_args(argv)
    backend = "PostgreSQL" if args.database_url and "postgres" in args.database_url else "SQLite"
    if args.processes < 1:
        parser.error("--processes: at least 1")
    webhook = args.webhook or args.processes > 1
    if args.processes > 1 and (backend != "PostgreSQL" or not args.redis_url):
        parser.error(
            "--processes > 1: several bot processes need a shared PostgreSQL database and Redis "
            "(FSM state, throttling, webhook de-duplication; docs/deploying.md): give "
            "--database-url postgresql+asyncpg://... and --redis-url redis://..."
        )
    mode = {"mode": "webhook" if webhook else "polling", "processes": args.processes}

    def ports() -> list[int | None]:
        return [free_port() for _ in range(args.processes)] if webhook else [None]

    def linli_bots(database_url: str) -> BotGroup:
        return BotGroup(
            emu, [linli_process(emu, database_url, args.redis_url, port) for port in ports()]
        )

    def echo_bots() -> BotGroup:
        return BotGroup(emu, [echo_process(emu, port) for port in ports()])

    emu = BenchEmulator()
    await emu.start()
    ok = True
    try:
        with tempfile.TemporaryDirectory() as tmp:
            database_url = args.database_url or sqlite_url(tmp)
            for phase in [p.strip() for p in args.phases.split(",") if p.strip()]:
                rate = args.rate if phase == "rate" else 0.0
                seeded = await seed(database_url, emu, residents=args.residents)
                await fresh_redis(args.redis_url)
                linli, result = await _measure(
                    emu,
                    linli_bots(database_url),
                    plan(seeded, args.updates, args.seed, args.only),
                    rate,
                    args.window,
                    f"{args.profile}.{phase}.txt" if args.profile else None,
                )
                total, _ = await vote_total(database_url, seeded.vote_id)
                result["votes_stored"] = total
                result["offered"] = args.rate if rate else "max"
                print(line(backend, {"bot": "linli", "phase": phase, **mode, **result}), flush=True)
                kinds = {
                    f"{kind}_p99_ms": round(1000 * sorted(v)[int(0.99 * (len(v) - 1))], 1)
                    for kind, v in sorted(linli.by_kind.items())
                }
                print(line(backend, {"bot": "linli", "phase": phase, **kinds}), flush=True)
                failed = Counter(f.failed for f in linli.started if f.failed)
                if failed:
                    ok = False
                    print(f"failed flows: {dict(failed.most_common(5))}", file=sys.stderr)
                _, echo = await _measure(
                    emu, echo_bots(), replay_plan(linli.started), rate, args.window
                )
                echo["offered"] = args.rate if rate else "max"
                print(line(backend, {"bot": "echo", "phase": phase, **mode, **echo}), flush=True)
                ratio = result["updates_per_s"] / max(echo["updates_per_s"], 1e-9)
                summary = {
                    "phase": phase,
                    "linli_div_echo": round(ratio, 3),
                    "linli_p99_ms": result["p99_ms"],
                    "echo_p99_ms": echo["p99_ms"],
                    "linli_peak_rss_mb": result["peak_rss_mb"],
                }
                if "peak_rss_mb_sum" in result:
                    summary["linli_peak_rss_mb_sum"] = result["peak_rss_mb_sum"]
                print(line(backend, summary), flush=True)
    finally:
        await emu.stop()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
