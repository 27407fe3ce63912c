"""Logging set-up that never lets the bot token reach a log line.

Every record carries the update id and the resident's internal id of the update being handled
(context variables set by the middlewares); `LOG_FORMAT=json` writes one JSON object a line.
Message texts are never logged.
"""

from __future__ import annotations

import json
import logging
import re
from contextvars import ContextVar
from datetime import UTC, datetime

_TOKEN_IN_URL = re.compile(r"bot\d+:[A-Za-z0-9_-]+")
_TOKEN = re.compile(r"\b\d{5,}:[A-Za-z0-9_-]{20,}\b")

current_update_id: ContextVar[int | None] = ContextVar("current_update_id", default=None)
current_resident_id: ContextVar[int | None] = ContextVar("current_resident_id", default=None)


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "<redacted>")
    text = _TOKEN_IN_URL.sub("bot<redacted>", text)
    return _TOKEN.sub("<redacted>", text)


class RedactingFormatter(logging.Formatter):
    def __init__(self, fmt: str, secrets: tuple[str, ...] = ()) -> None:
        super().__init__(fmt)
        self.secrets = secrets

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self.secrets)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, update and resident ids."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.secrets = secrets

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "update_id": current_update_id.get(),
            "resident_id": current_resident_id.get(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return redact(json.dumps(entry, ensure_ascii=False), self.secrets)


class _ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.update_id = current_update_id.get()
        record.resident_id = current_resident_id.get()
        return True


def setup_logging(level: str, secrets: tuple[str, ...] = (), fmt: str = "text") -> None:
    handler = logging.StreamHandler()
    if fmt == "json":
        handler.setFormatter(JsonFormatter(secrets))
    else:
        handler.setFormatter(
            RedactingFormatter(
                "%(asctime)s %(levelname)s %(name)s [update=%(update_id)s resident=%(resident_id)s]"
                ": %(message)s",
                secrets,
            )
        )
    handler.addFilter(_ContextFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("aiogram.event").setLevel(max(logging.WARNING, root.level))
    logging.getLogger("alembic").setLevel(max(logging.WARNING, root.level))
    # Database drivers log statement parameters at DEBUG: complaint texts, names.
    for name in ("aiosqlite", "asyncpg", "sqlalchemy.engine"):
        logging.getLogger(name).setLevel(max(logging.INFO, root.level))
