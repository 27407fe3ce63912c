"""What an outsider, a log reader or a scraper can learn from the running bot
(docs/security.md): statement parameters never reach the logs."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import text

from linli.bot.logging import setup_logging
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
