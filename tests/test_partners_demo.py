"""`linli demo` includes a sample partner unit: its member's /start is the partner menu, its
rider can snap and report."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ":as 20002\n/start\n:as 20003\n/start\n:quit\n"


def test_the_demo_has_a_sample_unit(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "DEFAULT_LANGUAGE": "zh"}
    process = subprocess.run(
        [sys.executable, "-m", "linli.bot.cli", "demo", "--dir", str(tmp_path)],
        input=SCRIPT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env=env,
        timeout=60,
    )
    assert process.returncode == 0, process.stderr
    assert "「阳光社区卫生服务站」的成员" in process.stdout
    assert "随手拍" in process.stdout
