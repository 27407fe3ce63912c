"""Online backup and restore of the embedded SQLite database.

SQLite's online backup API copies a consistent snapshot while the bot keeps writing (WAL
readers do not block writers). PostgreSQL installs use `pg_dump` / `pg_restore` instead
(README, "Deploying").
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url


def sqlite_path(database_url: str) -> Path:
    url = make_url(database_url)
    if not url.drivername.startswith("sqlite") or not url.database or url.database == ":memory:":
        raise ValueError("backup and restore work on a SQLite file; use pg_dump for PostgreSQL")
    return Path(url.database)


def _copy(source: Path, target: Path) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst, pages=1024)
            dst.execute("PRAGMA journal_mode=WAL")
        finally:
            dst.close()
    finally:
        src.close()


def check(path: Path) -> list[str]:
    """Problems found by SQLite's integrity and foreign-key checks (empty when sound)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check") if row[0] != "ok"]
        problems += [f"foreign key: {row}" for row in conn.execute("PRAGMA foreign_key_check")]
        return problems
    finally:
        conn.close()


def backup(database_url: str, target: Path) -> None:
    """Write a consistent copy of the live database to `target` (which must not exist)."""
    source = sqlite_path(database_url)
    if not source.exists():
        raise FileNotFoundError(f"no database at {source}")
    if target.exists():
        raise FileExistsError(f"{target} exists; choose a new file name")
    target.parent.mkdir(parents=True, exist_ok=True)
    _copy(source, target)
    problems = check(target)
    if problems:
        target.unlink()
        raise RuntimeError("the copy failed its integrity check: " + "; ".join(problems[:3]))


def restore(database_url: str, source: Path) -> None:
    """Replace the database with a backup (stop the bot first)."""
    if not source.exists():
        raise FileNotFoundError(f"no backup at {source}")
    problems = check(source)
    if problems:
        raise RuntimeError("the backup failed its integrity check: " + "; ".join(problems[:3]))
    target = sqlite_path(database_url)
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    _copy(source, target)
