"""The ceiling: a bare aiogram echo bot, for bench/throughput.py.

Echoes every text message and answers every button press; BOT_TOKEN and TELEGRAM_API_URL
come from the environment. Long polling by default; with `--webhook` it serves aiogram's
aiohttp webhook handler on WEBHOOK_HOST:WEBHOOK_PORT at WEBHOOK_PATH (secret WEBHOOK_SECRET)
and registers WEBHOOK_URL once it listens, as `linli run --webhook` does (each update is
handled before the webhook request is answered), until SIGINT or SIGTERM.
"""

import asyncio
import os
import signal
import sys

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import CallbackQuery, Message
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web

dp = Dispatcher()


@dp.message()
async def echo(message: Message) -> None:
    await message.answer(message.text or "?")


@dp.callback_query()
async def press(query: CallbackQuery) -> None:
    await query.answer(query.data)


async def serve_webhook(bot: Bot) -> None:
    """Serve the webhook until SIGINT or SIGTERM (settings from WEBHOOK_* variables)."""
    secret = os.environ["WEBHOOK_SECRET"]
    app = web.Application()
    SimpleRequestHandler(
        dispatcher=dp, bot=bot, secret_token=secret, handle_in_background=False
    ).register(app, path=os.environ.get("WEBHOOK_PATH", "/hook"))
    setup_application(app, dp, bot=bot)
    runner = web.AppRunner(app)
    await runner.setup()
    host = os.environ.get("WEBHOOK_HOST", "127.0.0.1")
    await web.TCPSite(runner, host, int(os.environ["WEBHOOK_PORT"])).start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await bot.set_webhook(
        os.environ["WEBHOOK_URL"],
        secret_token=secret,
        allowed_updates=dp.resolve_used_update_types(),
        drop_pending_updates=False,
    )
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


async def main(webhook: bool = False) -> None:
    api = TelegramAPIServer.from_base(os.environ["TELEGRAM_API_URL"])
    bot = Bot(os.environ["BOT_TOKEN"], session=AiohttpSession(api=api))
    if webhook:
        await serve_webhook(bot)
    else:
        await dp.start_polling(bot, polling_timeout=10, handle_signals=True)


if __name__ == "__main__":
    asyncio.run(main(webhook="--webhook" in sys.argv[1:]))
