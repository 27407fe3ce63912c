"""What an outsider, a log reader or a scraper can learn from the running bot
(docs/security.md): statement parameters never reach the logs; /healthz and /metrics are on
their own address behind an optional bearer token, and scraping /metrics does not query the
database every time."""

from __future__ import annotations

import asyncio
import logging
import re
import socket
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from pydantic import SecretStr
from sqlalchemy import event, text

from linli.bot.logging import setup_logging
from linli.bot.observability import METRICS_MAX_AGE
from linli.config import Settings
from linli.emulator import BotAPIEmulator
from linli.models.complaints import Complaint
from tests.support import Harness
from tests.support_casework import file_complaint

AUTHOR = 660_001
SECRET_TEXT = "三楼张家每晚砸墙-隐私标记-7f3a"


class AllRecords(logging.Handler):
    """Every record at every level, formatted with its traceback, as a log file gets it."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


_QUIETED = ("aiogram.event", "alembic", "aiosqlite", "asyncpg", "sqlalchemy.engine")


@contextmanager
def all_records() -> Iterator[AllRecords]:
    """The bot's own logging set-up at its most verbose (LOG_LEVEL=DEBUG), every record
    collected."""
    handler = AllRecords()
    root = logging.getLogger()
    saved = root.handlers[:], root.level, {n: logging.getLogger(n).level for n in _QUIETED}
    setup_logging("DEBUG")
    root.handlers[:] = [*saved[0], handler]
    try:
        yield handler
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
        for name, level in saved[2].items():
            logging.getLogger(name).setLevel(level)


_REFUSE_SQLITE = (
    "CREATE TRIGGER refuse_complaints BEFORE INSERT ON complaints "
    "BEGIN SELECT RAISE(ABORT, 'complaints refused by the test'); END"
)
_REFUSE_PG = (
    "CREATE FUNCTION refuse_complaints() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'complaints refused by the test'; END $$",
    "CREATE TRIGGER refuse_complaints BEFORE INSERT ON complaints "
    "FOR EACH ROW EXECUTE FUNCTION refuse_complaints()",
)


@pytest.fixture
async def refusing_complaints(h: Harness) -> AsyncIterator[None]:
    """The database refuses every new complaint (a trigger), so the insert fails with the
    complaint's text among the statement's parameters."""
    sqlite = h.engine.dialect.name == "sqlite"
    async with h.engine.begin() as conn:
        for statement in (_REFUSE_SQLITE,) if sqlite else _REFUSE_PG:
            await conn.execute(text(statement))
    try:
        yield
    finally:
        async with h.engine.begin() as conn:
            await conn.execute(
                text("DROP TRIGGER refuse_complaints" + ("" if sqlite else " ON complaints"))
            )
            if not sqlite:
                await conn.execute(text("DROP FUNCTION refuse_complaints()"))


@pytest.mark.expect_errors
async def test_a_failed_insert_does_not_log_the_complaint_text(
    h: Harness, refusing_complaints: None
) -> None:
    await h.add_resident(AUTHOR, "第一网格", "1号楼", name="张三")
    with all_records() as records:
        await file_complaint(h, AUTHOR, SECRET_TEXT, category="噪音扰民", anonymous=True)
    alerts = [str(answer.get("text") or "") for answer in h.emu.callback_answers.values()]
    assert "没有保存" in alerts[-1]  # the confirm button's answer
    assert await h.count(Complaint) == 0
    log = "\n".join(records.lines)
    assert "complaints refused by the test" in log  # the failure itself is logged
    assert "INSERT INTO complaints" in log
    assert SECRET_TEXT not in log
    assert "parameters hidden" in log


# --- /healthz and /metrics -------------------------------------------------------------------

TOKEN = "health-Token_42"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def monitored(emu: BotAPIEmulator, settings: Settings) -> AsyncIterator[Harness]:
    """The bot (polling) with its health server on a port of its own, behind a token."""
    harness = Harness(
        emu,
        settings.model_copy(update={"health_port": _free_port(), "health_token": SecretStr(TOKEN)}),
    )
    await harness.start()
    try:
        yield harness
    finally:
        await harness.stop()


async def _get(harness: Harness, path: str, authorization: bytes | None = None) -> int:
    """GET with the Authorization header exactly as given; returns the HTTP status."""
    port = harness.settings.health_port
    assert port is not None
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        header = b"Authorization: " + authorization + b"\r\n" if authorization else b""
        writer.write(
            b"GET " + path.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Connection: close\r\n" + header + b"\r\n"
        )
        await writer.drain()
        status_line = await reader.readline()
    finally:
        writer.close()
    return int(status_line.split()[1])


async def test_health_and_metrics_ask_for_the_bearer_token(monitored: Harness) -> None:
    for path in ("/healthz", "/metrics"):
        assert await _get(monitored, path) == 401
        assert await _get(monitored, path, b"Bearer wrong") == 401
        assert await _get(monitored, path, TOKEN.encode()) == 401  # not a bearer header
        assert await _get(monitored, path, "Bearer 令牌".encode()) == 401
        assert await _get(monitored, path, b"Bearer \xff\xfe") == 401
        assert await _get(monitored, path, b"Bearer " + TOKEN.encode()) == 200


async def test_metrics_read_the_database_at_most_every_15_seconds(monitored: Harness) -> None:
    app = monitored.app
    assert app is not None
    reads: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        # the queue depth (the outbox sender counts other things in the same table)
        where = statement.partition("WHERE")[2]
        if "count(" in statement and "FROM outbox_deliveries" in statement and "AND" not in where:
            reads.append(statement)

    event.listen(app.engine.sync_engine, "before_cursor_execute", count)
    url = f"http://127.0.0.1:{monitored.settings.health_port}/metrics"
    headers = {"Authorization": f"Bearer {TOKEN}"}
    try:
        async with aiohttp.ClientSession(headers=headers) as client:

            async def scrape() -> str:
                async with client.get(url) as response:
                    assert response.status == 200
                    return await response.text()

            bodies = await asyncio.gather(*(scrape() for _ in range(10)))
            bodies.append(await scrape())
            assert len(reads) == 1  # eleven scrapes, one read
            assert all("linli_broadcast_queue_depth 0.0" in body for body in bodies)
            # METRICS_MAX_AGE later, the next scrape reads again
            assert app.metrics.counts_read_at is not None
            app.metrics.counts_read_at -= METRICS_MAX_AGE
            await scrape()
            assert len(reads) == 2
    finally:
        event.remove(app.engine.sync_engine, "before_cursor_execute", count)
    assert METRICS_MAX_AGE <= 15


def test_every_csv_export_is_written_by_csv_export() -> None:
    """One CSV writer (services/csv_export.py: inert cells, a BOM for Excel) for every
    export: no other module of the bot, the services, the jobs or the cockpit writes CSV
    itself (reading an imported file is fine)."""
    root = Path(__file__).resolve().parent.parent
    writers = re.compile(r"\bcsv\.(writer|DictWriter)\(|\bfrom csv import\b")
    own = root / "services" / "csv_export.py"
    found = [
        f"{path.relative_to(root)}:{number}"
        for folder in ("bot", "handlers", "services", "scheduler", "web")
        for path in sorted((root / folder).rglob("*.py"))
        if path != own
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if writers.search(line)
    ]
    assert found == []
    assert writers.search(own.read_text(encoding="utf-8"))  # the pattern finds a writer
