"""A burst of votes: N residents press a button of one vote's group post at once.

Seeds N verified residents (bench/common.py), starts the real bot in its own process on the
Bot API emulator, pushes N button presses (one per resident) as fast as the emulator takes
them (at most --window in flight; default: all at once), and reports:

- `seconds`: from the first press to the last answer, and `votes_per_s`;
- `stored_total` (the options' totals) and `ballots`: must both be exactly N;
- `edits`: edits of the vote's group posts while the burst ran and until the post shows the
  final turnout; `posts` and `edits_per_post` (the coalescing keeps it small: at most one
  edit per post per DELIBERATION_TALLY_EDIT_INTERVAL seconds, default 5);
- `final_post_ok`: every group post ends up showing the final turnout.

    python bench/votes_burst.py                                  # SQLite (temporary file)
    python bench/votes_burst.py --database-url \\
        postgresql+asyncpg://linli:linli@127.0.0.1:5432/linli_bench --redis-url redis://127.0.0.1:6379/7

The exit code is 1 if the stored total is not N. Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BenchEmulator, linli_process, seed, sqlite_url, vote_total
from throughput import Driver, Flow, Step, single

from linli.bot.callbacks.deliberation import CastVote
from linli.emulator import StoredMessage


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=None, help="default: SQLite in a temp dir")
    parser.add_argument("--redis-url", default=None)
    parser.add_argument("--residents", type=int, default=10_000, help="= votes")
    parser.add_argument("--window", type=int, default=0, help="in flight (0: all at once)")
    args = parser.parse_args(argv)
    backend = "PostgreSQL" if args.database_url and "postgres" in args.database_url else "SQLite"

    emu = BenchEmulator()
    await emu.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            database_url = args.database_url or sqlite_url(tmp)
            seeded = await seed(database_url, emu, residents=args.residents)
            groups = {chat for chat, _ in seeded.posts}
            edits: list[float] = []

            def on_event(event: str, message: StoredMessage) -> None:
                if event == "edited" and message.chat_id in groups:
                    edits.append(time.monotonic())

            unsubscribe = emu.on_event(on_event)
            rng = random.Random(3)
            flows = (
                Flow(
                    "vote",
                    user,
                    single(
                        Step(
                            "cb",
                            data=CastVote(vote_id=seeded.vote_id, position=rng.randrange(3)).pack(),
                            where=rng.choice(seeded.posts),
                        )
                    ),
                )
                for user in seeded.residents
            )
            process = linli_process(emu, database_url, args.redis_url)
            await process.start(emu)
            driver = Driver(emu, flows, 0.0, args.window or args.residents)
            started = time.monotonic()
            try:
                await driver.run(stall_seconds=120)
                answered = time.monotonic()
                # Wait for the coalesced edits to show the final turnout on every post.
                # Fluent groups digits ("10,000"), so both spellings count.
                wants = (str(args.residents), f"{args.residents:,}")

                def shows_final(text: str) -> bool:
                    return any(want in text for want in wants)

                deadline = time.monotonic() + 60
                while time.monotonic() < deadline:
                    shown = [emu.message(chat, mid).text or "" for chat, mid in seeded.posts]
                    if all(shows_final(text) for text in shown):
                        break
                    await asyncio.sleep(0.5)
                final_ok = all(
                    shows_final(emu.message(chat, mid).text or "") for chat, mid in seeded.posts
                )
                rss = process.peak_rss_mb()
            finally:
                driver.close()
                unsubscribe()
                output = await process.stop()
            total, ballots = await vote_total(database_url, seeded.vote_id)
            seconds = driver.last_reply - driver.first_push
            result = {
                "votes": args.residents,
                "answered": len(driver.latencies),
                "seconds": round(seconds, 2),
                "votes_per_s": round(len(driver.latencies) / max(seconds, 1e-9), 1),
                "stored_total": total,
                "ballots": ballots,
                "exact": total == ballots == args.residents,
                "posts": len(seeded.posts),
                "edits": len(edits),
                "edits_per_post": round(len(edits) / len(seeded.posts), 1),
                "final_post_ok": final_ok,
                "wall_s": round(answered - started, 1),
                "peak_rss_mb": round(rss, 1),
            }
            if "Traceback" in output:
                result["tracebacks"] = output.count("Traceback")
                print(output[-4000:], file=sys.stderr)
            print(f"{backend:<11} " + " ".join(f"{k}={v}" for k, v in result.items()), flush=True)
            return 0 if result["exact"] else 1
    finally:
        await emu.stop()


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
