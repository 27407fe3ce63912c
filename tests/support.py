"""Test harness: the real bot (same app factory as `linli run`) polling the Bot API emulator
over real HTTP, on a real database (SQLite by default, PostgreSQL when
LINLI_TEST_DATABASE_URL is set; Redis FSM storage when LINLI_TEST_REDIS_URL is set)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiogram.types import Update
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from linli.bot.app import App, create_app
from linli.config import Settings
from linli.emulator import BotAPIEmulator, StoredMessage
from linli.models import Building, Grid, Resident, ResidentStatus
from linli.models.db import create_engine, create_sessionmaker, write_transaction
from linli.scheduler import run_job
from linli.services.structure import import_structure, parse_structure_csv

TEST_DATABASE_URL = os.environ.get("LINLI_TEST_DATABASE_URL") or None
TEST_REDIS_URL = os.environ.get("LINLI_TEST_REDIS_URL") or None
TOKEN = "123456:TEST-TOKEN-abcdefghijklmnopqrstuvwxyz"
ADMIN_ID = 1
EXAMPLE_CSV = Path(__file__).resolve().parents[1] / "examples" / "community.csv"

# Chiefs from examples/community.csv
GRID1_CHIEF = 900001  # 第一网格
GRID2_CHIEF = 900002  # 第二网格
B1_CHIEF = 900011  # 第一网格 · 1号楼
B4_CHIEF = 900014  # 第二网格 · 4号楼


@dataclass
class Pressed:
    answer: dict[str, Any]
    messages: list[StoredMessage]

    @property
    def alert(self) -> str:
        return str(self.answer.get("text") or "")


class Harness:
    def __init__(self, emu: BotAPIEmulator, settings: Settings) -> None:
        self.emu = emu
        self.settings = settings
        self.app: App | None = None
        self._task: asyncio.Task[None] | None = None
        self._handled: set[int] = set()
        self._handled_event = asyncio.Event()
        self.engine = create_engine(settings.database_url)
        self.sessionmaker = create_sessionmaker(self.engine)

    # --- lifecycle -----------------------------------------------------------------------

    async def start(self) -> None:
        self.app = create_app(self.settings)
        dp = self.app.dp
        dp.in_flight.on_handled(self._on_handled)
        started = asyncio.Event()
        dp.startup.register(lambda: started.set())
        self._task = asyncio.create_task(self.app.start_polling(handle_signals=False))
        await asyncio.wait_for(started.wait(), 10)

    def _on_handled(self, update: Update) -> None:
        self._handled.add(update.update_id)
        self._handled_event.set()

    async def stop(self) -> None:
        if self.app is not None:
            if self._task is not None and not self._task.done():
                with contextlib.suppress(RuntimeError):
                    await self.app.dp.stop_polling()
                try:
                    await asyncio.wait_for(self._task, 10)
                except (TimeoutError, asyncio.CancelledError):
                    self._task.cancel()
            await self.app.close()
            self.app = None
            await self._polls_ended()
        await self.engine.dispose()

    async def _polls_ended(self) -> None:
        """A long poll of a stopped bot may still wait in the emulator: a new bot would end
        it with 409 Conflict, as Telegram does. Let it end first (polling_timeout is short)."""
        await self.emu.wait_for(
            lambda: all(r.done for r in self.emu.calls("getUpdates")),
            self.settings.polling_timeout + 5,
        )

    async def restart(self) -> None:
        """Stop the bot and start a new one on the same database and emulator."""
        assert self.app is not None
        task = self._task
        await self.app.dp.stop_polling()
        if task is not None:
            await asyncio.wait_for(task, 10)
        await self.app.close()
        await self._polls_ended()
        await self.start()

    # --- talking to the bot --------------------------------------------------------------

    async def wait_handled(self, update_id: int, seconds: float = 10.0) -> None:
        async with asyncio.timeout(seconds):
            while update_id not in self._handled:
                self._handled_event.clear()
                if update_id in self._handled:
                    return
                await self._handled_event.wait()

    async def send(
        self, user_id: int, text: str | None = None, *, chat_id: int | None = None, **kwargs: Any
    ) -> list[StoredMessage]:
        """Push a message and return what the bot sent to that chat while handling it."""
        chat = chat_id if chat_id is not None else user_id
        before = len(self.emu.messages(chat))
        update = self.emu.push_message(chat, user_id, text, **kwargs)
        await self.wait_handled(update.update_id)
        return self.emu.messages(chat)[before:]

    async def ask(self, user_id: int, text: str | None = None, **kwargs: Any) -> StoredMessage:
        """Like `send`, expecting at least one reply; returns the last one."""
        replies = await self.send(user_id, text, **kwargs)
        chat = kwargs.get("chat_id", user_id)
        assert replies, f"no reply to {text!r} in chat {chat}"
        return replies[-1]

    async def press(self, user_id: int, message: StoredMessage, button: str) -> Pressed:
        """Press the button whose text contains `button` (or whose data equals it)."""
        data = _find_button(message, button)
        return await self.press_data(user_id, message, data)

    async def press_data(self, user_id: int, message: StoredMessage, data: str) -> Pressed:
        before = len(self.emu.messages(message.chat_id))
        update = self.emu.push_callback(user_id, message, data)
        await self.wait_handled(update.update_id)
        assert update.callback_query is not None
        answer = self.emu.callback_answers.get(update.callback_query.id, {})
        return Pressed(answer=answer, messages=self.emu.messages(message.chat_id)[before:])

    async def run_job(self, name: str, now: datetime | None = None) -> Any:
        """Run a scheduled job now, optionally pretending the time is `now`."""
        assert self.app is not None
        return await run_job(name, self.app.job_context(), now)

    # --- database ------------------------------------------------------------------------

    @asynccontextmanager
    async def db(self) -> AsyncIterator[AsyncSession]:
        async with self.sessionmaker() as session:
            yield session

    async def resident(self, telegram_id: int) -> Resident | None:
        async with self.db() as session:
            return await session.scalar(select(Resident).where(Resident.telegram_id == telegram_id))

    async def count(self, model: Any, *where: Any) -> int:
        async with self.db() as session:
            return int(
                await session.scalar(select(func.count()).select_from(model).where(*where)) or 0
            )

    async def building(self, grid: str, name: str) -> Building:
        async with self.db() as session:
            building = await session.scalar(
                select(Building).join(Grid).where(Grid.name == grid, Building.name == name)
            )
            assert building is not None
            return building

    async def add_resident(
        self,
        telegram_id: int,
        grid: str,
        building: str,
        *,
        name: str = "居民",
        verified: bool = True,
        language: str | None = None,
    ) -> Resident:
        """Set up a resident directly in the database (for tests about other things)."""
        target = await self.building(grid, building)
        self.emu.add_user(telegram_id, name)
        async with self.db() as session, write_transaction(session):
            grid_row = await session.get(Grid, target.grid_id)
            assert grid_row is not None
            resident = Resident(
                telegram_id=telegram_id,
                display_name=name,
                building_id=target.id,
                community_id=grid_row.community_id,
                status=ResidentStatus.VERIFIED if verified else ResidentStatus.PENDING,
                language=language,
                private_chat_at=datetime.now(UTC),  # they registered in a private chat
            )
            session.add(resident)
        return resident

    async def drain_outbox(self, seconds: float = 15.0) -> None:
        """Wait until every group post enqueued so far went out (the outbox has nothing
        pending or sending) and what follows each delivery (edits of posts) is done."""
        assert self.app is not None and self.app.sender is not None
        await self.app.sender.settle(seconds)


def _find_button(message: StoredMessage, button: str) -> str:
    for row in message.buttons:
        for text, data in row:
            if data == button or button in text:
                return data
    raise AssertionError(f"no button {button!r} in {message.buttons!r}")


async def seed_example(sessionmaker: Any) -> None:
    rows = parse_structure_csv(EXAMPLE_CSV.read_text(encoding="utf-8-sig"))
    async with sessionmaker() as session:
        await import_structure(session, rows)


def texts(messages: Sequence[StoredMessage]) -> str:
    return "\n".join(m.text or "" for m in messages)


# --- the real bot as a separate process ---------------------------------------------------------


def process_env(emu: BotAPIEmulator, database_url: str, **extra: str) -> dict[str, str]:
    """Environment for `python -m linli …` against the emulator: Telegram's pacing and
    flood control lifted (as in the `settings` fixture), Redis when the tests use it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NOTICES_", "LINLI_"))}
    env.update(
        BOT_TOKEN=TOKEN,
        DATABASE_URL=database_url,
        TELEGRAM_API_URL=emu.base_url,
        ADMIN_IDS=str(ADMIN_ID),
        POLLING_TIMEOUT="1",
        LOG_LEVEL="WARNING",
        THROTTLE_RATE="1000",
        NOTICES_GLOBAL_RATE="10000",
        NOTICES_CHAT_RATE="1000",
        NOTICES_CHAT_BURST="100",
        NOTICES_GROUP_PER_MINUTE="1000000",
        NOTICES_SENDER_POLL_SECONDS="0.1",
    )
    if TEST_REDIS_URL:
        env["REDIS_URL"] = TEST_REDIS_URL
    env.update(extra)
    return env


async def spawn(
    module: str, args: list[str], env: dict[str, str], cwd: Path
) -> asyncio.subprocess.Process:
    """`python -m module *args`, its output (stdout and stderr) kept for `stop`."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        module,
        *args,
        env=env,
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )


async def stop(process: asyncio.subprocess.Process) -> str:
    """SIGTERM (SIGKILL after 15 s); returns what the process printed."""
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), 15)
        except TimeoutError:
            process.kill()
            await process.wait()
    assert process.stdout is not None
    return (await process.stdout.read()).decode(errors="replace")


# --- what a conversation test must not leave behind -------------------------------------------


class ErrorRecords(logging.Handler):
    """Collects log records at ERROR and above (a crash of an update logs there)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def describe(self) -> str:
        out = []
        for record in self.records[:5]:
            out.append(f"{record.name}: {record.getMessage()}")
            if record.exc_info and record.exc_info[1] is not None:
                out.append(f"  {type(record.exc_info[1]).__name__}: {record.exc_info[1]}")
        return "\n".join(out)


def refused_requests(emu: BotAPIEmulator, since: int = 0) -> list[tuple[str, int, str]]:
    """The bot's requests the emulator answered with an error, as (method, status,
    description)."""
    return [
        (r.method, r.status, r.description) for r in emu.requests[since:] if r.done and not r.ok
    ]
