"""Both catalogues are complete, and every message id the code uses exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from linli.bot.i18n import LOCALES, Translator
from linli.handlers import all_commands
from linli.models import ResidentStatus, Role

ROOT = Path(__file__).resolve().parents[1]
KEY = re.compile(r"^[a-z]+(-[a-z0-9]+)+$")


@pytest.fixture(scope="module")
def translator() -> Translator:
    return Translator("zh")


def test_zh_and_en_have_the_same_message_ids(translator: Translator) -> None:
    zh, en = translator.keys("zh"), translator.keys("en")
    assert zh - en == set(), "missing in en"
    assert en - zh == set(), "missing in zh"


def _literals() -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for folder in ("bot", "handlers", "services", "scheduler"):
        for path in (ROOT / folder).rglob("*.py"):
            if path.name in ("emulator.py", "demo.py"):
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    found.add((node.value, str(path.relative_to(ROOT))))
    return found


def test_every_message_id_used_in_code_exists(translator: Translator) -> None:
    keys = translator.keys("zh") & translator.keys("en")
    prefixes = {key.split("-")[0] for key in keys}
    missing = sorted(
        f"{value} ({where})"
        for value, where in _literals()
        if KEY.match(value) and value.split("-")[0] in prefixes and value not in keys
    )
    assert missing == []


def test_every_command_role_and_status_has_a_text(translator: Translator) -> None:
    for locale in LOCALES:
        keys = translator.keys(locale)
        for spec in all_commands():
            assert spec.description_key in keys, (locale, spec.name)
        for role in Role:
            assert f"role-{role.value.replace('_', '-')}" in keys
        for status in ResidentStatus:
            assert f"status-{status.value}" in keys
