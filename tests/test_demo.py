"""`linli demo` end to end: scripted terminal sessions against the real bot and emulator."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = {
    "approval": "/start\n1\n1\n:as chief\n1\n:as resident\n/whoami\n",
    "hints": ":nope\n:as nobody-at-all\n7\n:help\n/help\n:quit\n/start\n",
}


class Session(NamedTuple):
    directory: Path
    code: int
    out: str
    err: str


@pytest.fixture(scope="module")
def sessions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Session]:
    """Run every script in its own `linli demo` (started together: start-up dominates).

    stdin is not a TTY, so the demo reads the lines and echoes each after the prompt.
    """
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "DEFAULT_LANGUAGE": "zh"}
    started: dict[str, tuple[Path, subprocess.Popen[str]]] = {}
    for name in SCRIPTS:
        directory = tmp_path_factory.mktemp(name)
        process = subprocess.Popen(
            [sys.executable, "-m", "linli.bot.cli", "demo", "--dir", str(directory)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            cwd=ROOT,
            env=env,
        )
        started[name] = (directory, process)
    results: dict[str, Session] = {}
    for name, (directory, process) in started.items():
        try:
            out, err = process.communicate(SCRIPTS[name], timeout=60)
        finally:
            process.kill()
        results[name] = Session(directory, process.returncode, out, err)
    return results


def test_resident_registers_and_building_chief_approves(
    sessions: dict[str, Session],
) -> None:
    directory, code, out, err = sessions["approval"]
    assert code == 0, err
    assert "Traceback" not in err
    assert "[小明 · 私聊] > /start" in out
    assert "第二步" in out and "1号楼" in out  # the building step (an edit of the grid card)
    # the approval card reached the building chief, with its buttons
    assert "→ 李建国 (私聊):" in out and "新居民申请" in out
    assert "[1] ✅ 通过" in out
    # pressing "approve" edits the card and tells 小明
    after_press = out.split("[李建国 · 私聊] > 1", 1)[1]
    assert "已通过" in after_press
    assert "→ 小明 (私聊):" in after_press and "审核通过" in after_press
    whoami = out.split("[小明 · 私聊] > /whoami", 1)[1]
    assert "已认证" in whoami
    assert (directory / "linli.db").exists()


def test_unknown_shell_command_prints_a_hint(
    sessions: dict[str, Session],
) -> None:
    _, code, out, err = sessions["hints"]
    assert code == 0, err
    assert "Traceback" not in err
    assert "unknown command ':nope'" in out
    assert "usage: :as" in out
    assert "no buttons here" in out
    assert ":as resident|chief|gridchief|admin" in out
    assert "🤖" in out.split("> /help", 1)[1]  # the bot still answers after the hints
    assert "> /start" not in out  # nothing is read after :quit
