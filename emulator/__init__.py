"""In-process Telegram Bot API emulator for end-to-end tests and the terminal demo.

An aiohttp server on 127.0.0.1 that answers ``{base}/bot{token}/{method}`` the way
api.telegram.org does: the same JSON envelopes, error codes and descriptions, long-polling
``getUpdates``, webhook delivery, multipart uploads and ``{base}/file/bot{token}/{path}``
downloads. Replies are built from aiogram's own types so their shapes follow aiogram upgrades.

Typical use::

    async with BotAPIEmulator() as emu:
        emu.add_user(42, "Ann")
        bot = Bot("123456:TEST", session=AiohttpSession(
            api=TelegramAPIServer.from_base(emu.base_url)))
        ...
        emu.push_message(42, 42, "/start")
        reply = await emu.wait_for_message(42)

Standalone: ``python -m linli.emulator --port 8081`` (control endpoints under ``/_emulator/``).

Only the tests, the benchmarks and ``linli demo`` import this package; the running bot never
does. The modules, from the bottom up:

- ``errors``, ``records``: error replies; what is recorded (calls, files, messages).
- ``entities``, ``html``, ``markdown``, ``formatting``, ``markup``: Telegram's text pipeline
  (HTML, MarkdownV2, legacy Markdown, UTF-16 offsets, limits) and keyboard checks.
- ``shapes``, ``params``: aiogram types as the JSON shapes; request parameters.
- ``storage``: file storage.
- ``state``: the bot, users, chats and their messages, events; ``queue``: the update queue
  and getUpdates.
- Method families, one mixin each: ``pushing`` (users act), ``callbacks``, ``sending``,
  ``media``, ``editing``, ``chats``, ``commands``, ``webhook``; ``observe`` (what tests
  read and wait on), ``faults``.
- ``server`` (HTTP), ``control`` (``/_emulator/`` endpoints), ``bot_api`` (the assembled
  :class:`BotAPIEmulator` and its method table), ``cli`` (``main``).
"""

from linli.emulator.bot_api import BotAPIEmulator
from linli.emulator.cli import main
from linli.emulator.entities import utf16_len
from linli.emulator.errors import ApiError, ButtonNotFoundError, FormatError
from linli.emulator.html import parse_html
from linli.emulator.markdown import parse_markdown, parse_markdown_v2
from linli.emulator.records import BOT_ID, Request, StoredFile, StoredMessage, UploadedFile

__all__ = [
    "BOT_ID",
    "ApiError",
    "BotAPIEmulator",
    "ButtonNotFoundError",
    "FormatError",
    "Request",
    "StoredFile",
    "StoredMessage",
    "UploadedFile",
    "main",
    "parse_html",
    "parse_markdown",
    "parse_markdown_v2",
    "utf16_len",
]
