"""The wording of notices (issue 14): every key built at run time exists in both
catalogues, English counts go through plural forms, Chinese uses full-width punctuation and
corner quotes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from linli.bot.i18n import LOCALES, Translator
from linli.models.notices import NoticeKind, NoticeState


def test_every_notice_key_built_at_run_time_exists() -> None:
    translator = Translator("zh")
    for locale in LOCALES:
        keys = translator.keys(locale)
        built = [f"notice-state-{state.value}" for state in NoticeState]
        built += [f"notice-kind-{kind.value}" for kind in NoticeKind]
        built += [f"notice-day-{day}" for day in range(7)]
        built += [f"notice-button-{kind}" for kind in ("daily", "weekly", "monthly")]
        assert [key for key in built if key not in keys] == [], locale


@pytest.mark.parametrize(
    ("key", "params", "one", "many"),
    [
        ("notices-header", {}, "1 scheduled or recurring notice ", "3 scheduled or recurring"),
        ("outbox-failures-more", {}, "1 more not listed", "3 more not listed"),
        ("agenda-detail-places", {}, "1 place left", "3 places left"),
        ("agenda-detail-supports", {}, "1 support", "3 supports"),
        ("notice-missed", {"id": "N1", "when": "09:00"}, "than 1 minute,", "than 3 minutes,"),
        (
            "notice-preview-summary",
            {"target": "x", "when": "now"},
            "(1 group bound now)",
            "(3 groups bound now)",
        ),
    ],
)
def test_english_counts_use_plural_forms(
    key: str, params: dict[str, str], one: str, many: str
) -> None:
    translator = Translator("en")
    count = "groups" if key == "notice-preview-summary" else "count"
    count = "minutes" if key == "notice-missed" else count
    assert one in translator.get(key, "en", **params, **{count: 1})
    assert many in translator.get(key, "en", **params, **{count: 3})


def test_chinese_notices_use_full_width_punctuation_and_corner_quotes() -> None:
    text = (Path(__file__).resolve().parents[1] / "bot/locales/zh/notices.ftl").read_text("utf-8")
    values = [line.split("=", 1)[-1] for line in text.splitlines() if not line.startswith("#")]
    code = re.compile(r"<[^>]*>|&\w+;|https?://\S+|/\w+|\{[^}]*\}|[0-9]:[0-9]")
    for value in values:
        bare = code.sub("", value)
        assert not re.search(r"[\u4e00-\u9fff][,:;!?()\"]|[,:;!?()\"][\u4e00-\u9fff]", bare), value
        assert "“" not in bare and "”" not in bare, value  # 「」 in Chinese
