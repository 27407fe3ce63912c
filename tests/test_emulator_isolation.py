"""The running bot never imports the Bot API emulator; only `linli demo` and the tests do.

- `linli run` as a real process against the emulator, with Python's import log on
  (`PYTHONPROFILEIMPORTTIME`): after start-up and an answered /start, the log names the bot's
  modules and no `linli.emulator` module.
- Statically, no module of the installed bot imports `linli.emulator` (lazily or not) except
  `bot/demo.py`, and nothing imports `linli.bot.demo` at module level (the CLI imports it
  inside the `demo` command).
"""

from __future__ import annotations

import ast
import asyncio
import signal
import sys
from pathlib import Path

from linli.emulator import BotAPIEmulator
from tests.support import ADMIN_ID, process_env

ROOT = Path(__file__).resolve().parents[1]
BOT_FOLDERS = ("linli", "bot", "handlers", "services", "models", "scheduler", "config")
DEMO = ROOT / "bot" / "demo.py"


def _imported_modules(import_log: str) -> set[str]:
    """Module names from `-X importtime` lines: `import time: self | cumulative | name`."""
    names = set()
    for line in import_log.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            if name != "imported package":
                names.add(name)
    return names


async def test_linli_run_never_imports_the_emulator(
    emu: BotAPIEmulator, database_url: str, tmp_path: Path
) -> None:
    env = process_env(emu, database_url, PYTHONPROFILEIMPORTTIME="1")
    log_path = tmp_path / "bot.log"
    with log_path.open("wb") as log:  # a file, not a pipe: the import log is long
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "linli", "run", env=env, cwd=tmp_path, stdout=log, stderr=log
        )
        try:
            await emu.wait_for_request("getUpdates", timeout=60)
            emu.add_user(ADMIN_ID, "管理员", username="admin")
            emu.push_message(ADMIN_ID, ADMIN_ID, "/start")
            await emu.wait_for_message(ADMIN_ID, timeout=30)
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
                try:
                    await asyncio.wait_for(process.wait(), 15)
                except TimeoutError:
                    process.kill()
                    await process.wait()
    output = log_path.read_text(encoding="utf-8", errors="replace")
    modules = _imported_modules(output)
    # The import log did record the bot (else the check below would prove nothing).
    expected = {"linli.bot.cli", "linli.bot.app", "linli.handlers", "aiogram"}
    assert expected <= modules, output[-2000:]
    assert sorted(m for m in modules if m.split(".")[:2] == ["linli", "emulator"]) == []
    assert "linli.bot.demo" not in modules
    assert process.returncode == 0, output[-2000:]


def _imports(tree: ast.Module) -> list[tuple[str, bool]]:
    """(module, at module level) for every import in the file, nested ones included."""
    top = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, id(node) in top) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            found += [(name, id(node) in top) for name in names]
    return found


def test_only_the_demo_imports_the_emulator() -> None:
    offenders = []
    checked = 0
    for folder in BOT_FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            checked += 1
            for module, top_level in _imports(ast.parse(path.read_text(encoding="utf-8"))):
                where = str(path.relative_to(ROOT))
                if module.startswith("linli.emulator") and path != DEMO:
                    offenders.append(f"{where}: {module}")
                if module.startswith("linli.bot.demo") and top_level:
                    offenders.append(f"{where}: {module} at module level")
    assert checked > 50
    assert offenders == []
