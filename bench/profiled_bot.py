"""The bot (`python -m linli.bot.cli`) under pyinstrument, for `BENCH_BOT_SCRIPT`:

    BENCH_BOT_SCRIPT=bench/profiled_bot.py BENCH_PYINSTRUMENT=/tmp/prof \\
        python bench/throughput.py --phases max --only vote ...

pyinstrument samples the stack of the thread that runs Python code, including the greenlets
SQLAlchemy's asyncio layer runs ORM code in (py-spy, reading another process's memory, shows
suspended greenlets as busy). When the bot stops it writes PATH.collapsed (collapsed stacks
weighted in microseconds, the format bench/profile_summary.py reads). Start-up (imports,
migrations) is left out: recording starts with the first update.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from pyinstrument import Profiler
from pyinstrument.frame import Frame

from linli.bot import dispatcher
from linli.bot.cli import main

PROFILER = Profiler(interval=0.001, async_mode="disabled")
_feed = dispatcher.AppDispatcher.feed_update


async def _feed_recording(self: Any, *args: Any, **kwargs: Any) -> Any:
    if not PROFILER.is_running:
        PROFILER.start()
    return await _feed(self, *args, **kwargs)


dispatcher.AppDispatcher.feed_update = _feed_recording  # type: ignore[method-assign]


def _name(frame: Frame) -> str:
    function = frame.function or "?"
    if frame.class_name:
        function = f"{frame.class_name}.{function}"
    return f"{function} ({frame.file_path_short}:{frame.line_no})"


def collapsed(root: Frame) -> list[str]:
    lines: list[str] = []

    def walk(frame: Frame, path: str) -> None:
        here = f"{path};{_name(frame)}" if path else _name(frame)
        # pyinstrument's synthetic "[self]" children are this frame's own time.
        children = [child for child in frame.children if not child.is_synthetic]
        own = frame.time - sum(child.time for child in children)
        if own > 0:
            lines.append(f"{here} {round(own * 1e6)}")
        for child in children:
            walk(child, here)

    walk(root, "")
    return lines


def write(path: str) -> None:
    if not PROFILER.is_running:
        return
    session = PROFILER.stop()
    root = session.root_frame()
    if root is not None:
        Path(path + ".collapsed").write_text("\n".join(collapsed(root)) + "\n")


if __name__ == "__main__":
    try:
        code = main()
    finally:
        write(os.environ.get("BENCH_PYINSTRUMENT", "pyinstrument"))
    sys.exit(code)
