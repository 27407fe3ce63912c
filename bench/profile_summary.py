"""Summarise a profile in collapsed-stack form (`py-spy record -f raw`,
`bench/throughput.py --profile PATH`, or PATH.collapsed from bench/profiled_bot.py, the
pyinstrument run, which is the one to trust: see there): where the bot's main thread spends
its time.

    python bench/profile_summary.py prof.max.txt [--top 25]

Prints the share of samples per area (first matching rule, from the innermost frame
outwards, so "sqlalchemy" means time spent inside SQLAlchemy that no inner rule claimed),
then the functions with the largest inclusive share, then with the largest own share.
Idle samples (the event loop waiting in select/epoll) and other threads' samples (aiosqlite's
worker threads, whose waits py-spy does not always see as idle) are counted apart.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

# (area, pattern on a frame "function (path:line)"); the first area found walking from the
# innermost frame outwards gets the sample.
AREAS: list[tuple[str, str]] = [
    ("idle (event loop waiting)", r"^(select|poll|EpollSelector\.select|KqueueSelector\.select) "),
    ("pydantic (validation, serialisation)", r"pydantic"),
    ("json", r"(json/|orjson|msgspec)"),
    ("fluent (i18n formatting)", r"(fluent|aiogram_i18n)"),
    ("sqlalchemy", r"sqlalchemy/"),
    ("aiosqlite / sqlite3", r"(aiosqlite|sqlite3)"),
    ("asyncpg", r"asyncpg"),
    ("redis", r"redis/"),
    ("aiohttp (HTTP client and server)", r"(aiohttp|multidict|yarl)"),
    ("aiogram magic filters", r"magic_filter"),
    ("aiogram dispatch and filters", r"aiogram/(dispatcher|filters|fsm|utils)"),
    ("aiogram client (methods, session)", r"aiogram/(client|methods|types)"),
    ("linli services", r"[(/]services/"),
    ("linli handlers", r"[(/]handlers/"),
    ("linli bot (middlewares, delivery, keyboards)", r"[(/]bot/"),
    ("linli models", r"[(/]models/"),
    ("asyncio", r"asyncio/"),
    ("threading", r"threading"),
]


# aiosqlite's worker threads (and any other thread) start here; everything else ran on the
# main thread: the event loop, and the greenlets SQLAlchemy's asyncio layer runs ORM code in
# (py-spy shows a greenlet's frames as a stack of their own).
WORKER_THREAD = "Thread._bootstrap (threading.py"


def frames(stack: str) -> list[str]:
    return stack.split(";")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument(
        "--all-threads",
        action="store_true",
        help="count every thread (default: the main thread, where the event loop runs; "
        "aiosqlite's worker threads are counted apart)",
    )
    args = parser.parse_args(argv)
    areas: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    other_threads = 0
    compiled = [(name, re.compile(pattern)) for name, pattern in AREAS]
    for raw in args.path.read_text().splitlines():
        stack, _, count_text = raw.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        if not args.all_threads and stack.startswith(WORKER_THREAD):
            other_threads += count
            continue
        total += count
        stack_frames = [re.sub(r":\d+\)$", ")", frame) for frame in frames(stack)]
        for frame in reversed(stack_frames):
            area = next((name for name, pattern in compiled if pattern.search(frame)), None)
            if area is not None:
                break
        else:
            area = "other"
        areas[area] += count
        if area.startswith("idle"):
            continue
        for frame in set(stack_frames):
            inclusive[frame] += count
        own[stack_frames[-1]] += count
    if not total:
        print("no samples", file=sys.stderr)
        return 1
    idle = areas.get("idle (event loop waiting)", 0)
    busy = total - idle
    print(f"samples={total} busy={busy} idle={idle} other_threads={other_threads}")
    print("\nby area (share of busy samples):")
    for name, count in areas.most_common():
        if name.startswith("idle"):
            continue
        print(f"  {100 * count / busy:5.1f} %  {name}")
    print(f"\ninclusive (top {args.top}, share of busy samples):")
    for name, count in inclusive.most_common(args.top * 3)[: args.top]:
        print(f"  {100 * count / busy:5.1f} %  {name}")
    print(f"\nown time (top {args.top}):")
    for name, count in own.most_common(args.top):
        print(f"  {100 * count / busy:5.1f} %  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
