"""Configuration errors end the program with one line and exit code 2; no token leaks."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys

import pytest

from linli.bot.logging import (
    JsonFormatter,
    RedactingFormatter,
    current_resident_id,
    current_update_id,
    redact,
)
from linli.config import ConfigError, load_settings

SECRET = "123456789:AAExampleSecretTokenValue_abcdefghij"


def _linli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("BOT_TOKEN", "DATABASE_URL")}
    return subprocess.run(
        [sys.executable, "-m", "linli.bot.cli", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "setting"),
    [
        ({"BOT_TOKEN": ""}, "BOT_TOKEN"),
        ({"BOT_TOKEN": "not-a-token"}, "BOT_TOKEN"),
        ({"BOT_TOKEN": SECRET, "DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
        ({"BOT_TOKEN": SECRET, "DATABASE_URL": "::::"}, "DATABASE_URL"),
        ({"BOT_TOKEN": SECRET, "TIMEZONE": "Mars/Base"}, "TIMEZONE"),
        ({"BOT_TOKEN": SECRET, "ADMIN_IDS": "1,abc"}, "ADMIN_IDS"),
    ],
)
def test_bad_setting_exits_2_with_one_line(env: dict[str, str], setting: str, tmp_path) -> None:
    result = _linli("run", **env, HOME=str(tmp_path))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert setting in lines[0]
    assert "Traceback" not in result.stderr
    assert SECRET not in result.stderr and SECRET.split(":")[1] not in result.stderr


def test_settings_parse_admin_ids_and_normalise_urls() -> None:
    settings = load_settings(
        admin_ids="1, 2;3", database_url="postgresql://u:p@h/db", _env_file=None
    )
    assert settings.admin_ids == [1, 2, 3]
    assert settings.database_url == "postgresql+asyncpg://u:p@h/db"
    with pytest.raises(ConfigError):
        load_settings(timezone="Nowhere/City", _env_file=None)


def test_token_is_redacted_from_log_lines() -> None:
    formatter = RedactingFormatter("%(message)s", (SECRET,))
    record = logging.LogRecord(
        "x",
        logging.ERROR,
        __file__,
        1,
        "POST https://api.telegram.org/bot%s/sendMessage failed",
        (SECRET,),
        None,
    )
    line = formatter.format(record)
    assert SECRET not in line and "bot<redacted>" in line
    assert SECRET not in redact(f"token={SECRET}")


def test_json_log_lines_carry_update_and_resident_ids_and_no_token() -> None:
    formatter = JsonFormatter((SECRET,))
    record = logging.LogRecord(
        "linli", logging.WARNING, __file__, 1, "call to %s failed", (f"bot{SECRET}",), None
    )
    update_token = current_update_id.set(42)
    resident_token = current_resident_id.set(7)
    try:
        line = formatter.format(record)
    finally:
        current_update_id.reset(update_token)
        current_resident_id.reset(resident_token)
    entry = json.loads(line)
    assert entry["update_id"] == 42 and entry["resident_id"] == 7
    assert entry["level"] == "WARNING" and SECRET not in line


def test_run_accepts_no_scheduler_and_log_format(tmp_path) -> None:
    result = _linli("run", "--no-scheduler", BOT_TOKEN="", LOG_FORMAT="xml", HOME=str(tmp_path))
    assert result.returncode == 2 and "LOG_FORMAT" in result.stderr
