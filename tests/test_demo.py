"""`linli demo` end to end: scripted terminal sessions against the real bot and emulator."""

from __future__ import annotations

import asyncio
import os
import queue
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

import pytest

from linli.models.db import create_engine, create_sessionmaker
from linli.models.migrate import upgrade
from linli.services import outbox

# Each `linli demo` starts a whole bot (imports, migrations, the emulator); on a loaded
# two-core machine several of them take a minute or more.
pytestmark = pytest.mark.timeout(300)
ROOT = Path(__file__).resolve().parents[1]
# The home menu, buttons of earlier messages, multi-line text, the language switch.
MENU_SCRIPT = """\
/start
1
1
:as chief
:press 通过
:as gridchief
/help
:press #1 2
:as resident
:press 打开主菜单
:press 发心愿
想请人帮忙\\
修一下楼道的灯
🏠 菜单
:press 维修帮忙
1
1
1
:lang en
/start
:press 999 1
:press nothing-like-this
:wait 1
"""
SCRIPTS = {
    "approval": "/start\n1\n1\n:as chief\n1\n:as resident\n/whoami\n",
    "hints": ":nope\n:as nobody-at-all\n7\n:help\n/help\n:quit\n/start\n",
    "menu": MENU_SCRIPT,
}
DEMO = [sys.executable, "-m", "linli.bot.cli", "demo", "--dir"]
ENV = {**os.environ, "PYTHONIOENCODING": "utf-8", "DEFAULT_LANGUAGE": "zh"}


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
    started: dict[str, tuple[Path, subprocess.Popen[str]]] = {}
    for name in SCRIPTS:
        directory = tmp_path_factory.mktemp(name)
        process = subprocess.Popen(
            [*DEMO, str(directory)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            cwd=ROOT,
            env=ENV,
        )
        started[name] = (directory, process)
    results: dict[str, Session] = {}
    for name, (directory, process) in started.items():
        try:
            out, err = process.communicate(SCRIPTS[name], timeout=180)
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


def _after(out: str, line: str, prompt: str = ">") -> str:
    """What was printed after the prompt line `line` (up to the next prompt)."""
    rest = out.split(f"{prompt} {line}\n", 1)[1]
    return rest.split("\n[", 1)[0]


def test_the_home_menu_earlier_buttons_multi_line_text_and_languages(
    sessions: dict[str, Session],
) -> None:
    directory, code, out, err = sessions["menu"]
    assert code == 0, err
    assert "Traceback" not in err
    # a message's number goes with its buttons; `:press #1 2` presses an earlier card
    assert "#1  [1] ✅ 通过   [2] ❌ 拒绝" in out
    assert "已经处理" in _after(out, ":press #1 2")
    # the approval opens the home menu: the persistent button, then the menu's buttons
    opened = _after(out, ":press 打开主菜单")
    assert "[1] 🏠 菜单" in opened and "[1] 🎁 发心愿   [2] 📢 反映问题" in opened
    assert "微心愿" in _after(out, ":press 发心愿")
    # two lines, one message: the flow goes on to the category
    assert "[小明 · 私聊] … 修一下楼道的灯" in out
    assert "类别" in _after(out, "修一下楼道的灯", prompt="…")
    # the menu button mid-flow keeps the draft; an earlier message's button goes on with it
    assert "没有完成" in _after(out, "🏠 菜单")
    assert "照片" in _after(out, ":press 维修帮忙")
    # the wish was saved with both lines of its text
    with sqlite3.connect(directory / "linli.db") as db:
        assert db.execute("SELECT text FROM wishes").fetchall() == [("想请人帮忙\n修一下楼道的灯",)]
    assert "Language set to English." in _after(out, ":lang en")
    english = out.rsplit("> /start\n", 1)[1]  # the last /start, after :lang en
    assert "[1] 🏠 Menu" in english and "[1] 🎁 Make a wish" in english
    assert "no message #999" in _after(out, ":press 999 1")
    assert "no button 'nothing-like-this'" in _after(out, ":press nothing-like-this")


async def _due_soon(database: Path, text: str, seconds: float) -> None:
    """The demo's database with a message for 小明 that the outbox sends in `seconds`."""
    engine = create_engine(f"sqlite+aiosqlite:///{database}")
    try:
        await upgrade(engine, "heads")
        async with create_sessionmaker(engine)() as session:
            await outbox.post(
                session,
                chat_ids=[10001],
                text=text,
                source="test",
                now=datetime.now(UTC) + timedelta(seconds=seconds),
            )
    finally:
        await engine.dispose()


def test_messages_the_bot_sends_on_its_own_show_while_the_pipe_is_quiet(
    tmp_path: Path,
) -> None:
    """Driven through a pipe that says nothing more, a scheduled message still shows as it
    arrives (not only when the next line comes)."""
    directory = tmp_path / "demo"
    directory.mkdir()
    asyncio.run(_due_soon(directory / "linli.db", "定时消息：明早九点停水", seconds=3))
    process = subprocess.Popen(
        [*DEMO, str(directory), "--keep"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env=ENV,
    )
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None and process.stdin is not None

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)

    threading.Thread(target=read, daemon=True).start()
    seen: list[str] = []
    try:
        deadline = time.monotonic() + 150
        while not any("定时消息" in line for line in seen):
            remaining = deadline - time.monotonic()
            assert remaining > 0, "the scheduled message did not show:\n" + "".join(seen)
            try:
                seen.append(lines.get(timeout=remaining))
            except queue.Empty:
                continue
        process.stdin.write(":quit\n")
        process.stdin.flush()
        _, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert any(line.startswith("🤖 定时消息：明早九点停水") for line in seen)
    assert not any("> " in line for line in seen)  # nothing was typed before it showed
