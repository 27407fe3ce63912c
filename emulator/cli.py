"""``python -m linli.emulator``: the emulator as a server of its own, until Ctrl-C."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal

from linli.emulator.bot_api import BotAPIEmulator
from linli.emulator.records import BOT_ID


async def _serve(args: argparse.Namespace) -> None:
    emu = BotAPIEmulator(
        token=args.token, bot_username=args.username, host=args.host, port=args.port
    )
    await emu.start()
    print(f"Bot API emulator listening on {emu.base_url}", flush=True)
    print(f"  bot: @{emu.bot_username} (id {BOT_ID}); token: {args.token or 'any N:xxx'}")
    print(f"  control: POST {emu.base_url}/_emulator/{{user,group,message,callback,update}}")
    # SIGINT and SIGTERM stop it, also when started by a process that ignores SIGINT
    # (a child inherits an ignored signal, and asyncio.run then installs no handler for it)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        await emu.stop()


def main(argv: list[str] | None = None) -> None:
    """``python -m linli.emulator --port 8081``: serve until Ctrl-C or SIGTERM."""
    parser = argparse.ArgumentParser(description="Telegram Bot API emulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=None, help="accept only this token")
    parser.add_argument("--username", default="linli_test_bot")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args))
