"""``python -m linli.emulator``: the emulator as a server of its own, until Ctrl-C."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging

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
    try:
        await asyncio.Event().wait()
    finally:
        await emu.stop()


def main(argv: list[str] | None = None) -> None:
    """``python -m linli.emulator --port 8081``: serve until Ctrl-C."""
    parser = argparse.ArgumentParser(description="Telegram Bot API emulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=None, help="accept only this token")
    parser.add_argument("--username", default="linli_test_bot")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args))
