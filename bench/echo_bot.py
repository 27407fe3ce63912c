"""The ceiling: a bare aiogram echo bot (long polling), for bench/throughput.py.

Echoes every text message and answers every button press; BOT_TOKEN and TELEGRAM_API_URL
come from the environment.
"""

import asyncio
import os

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import CallbackQuery, Message

dp = Dispatcher()


@dp.message()
async def echo(message: Message) -> None:
    await message.answer(message.text or "?")


@dp.callback_query()
async def press(query: CallbackQuery) -> None:
    await query.answer(query.data)


async def main() -> None:
    api = TelegramAPIServer.from_base(os.environ["TELEGRAM_API_URL"])
    bot = Bot(os.environ["BOT_TOKEN"], session=AiohttpSession(api=api))
    await dp.start_polling(bot, polling_timeout=10, handle_signals=True)


if __name__ == "__main__":
    asyncio.run(main())
