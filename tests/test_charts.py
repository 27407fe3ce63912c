"""Charts draw Chinese with a CJK font found on every install (the system's Noto Sans CJK, or
the subset shipped in the package), never through matplotlib's "findfont" fallback, and
counts get whole-number axes."""

from __future__ import annotations

import logging
import unicodedata
import warnings
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from linli.bot import charts
from linli.bot.charts import bar_chart, cjk_font_family, render_bar_chart

ROOT = Path(__file__).resolve().parents[1]
LABELS = ["同意", "反对", "弃权（不参加）", "「邻里」微心愿：修好 3 号楼的灯"]


@pytest.fixture
def font_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """matplotlib's font manager logs "findfont: Font family … not found. Falling back to
    DejaVu Sans" when a family is missing; every record of it is captured."""
    with caplog.at_level(logging.DEBUG, logger="matplotlib.font_manager"):
        yield caplog


def _fallbacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name.startswith("matplotlib")
        and ("not found" in r.getMessage() or "Falling back" in r.getMessage())
    ]


def _render(labels: list[str]) -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font(s)"
        return render_bar_chart("投票结果（第 3 号议题）", labels, [10, 5, 2, 1][: len(labels)])


@pytest.fixture
def without_system_fonts(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A machine without a system CJK font: only the font shipped in the package is left."""
    monkeypatch.setattr(charts, "SYSTEM_FAMILIES", ("No Such CJK Font",))
    cjk_font_family.cache_clear()
    yield
    cjk_font_family.cache_clear()


def test_chart_is_png_drawn_with_the_system_noto_cjk(
    font_log: pytest.LogCaptureFixture,
) -> None:
    from matplotlib import font_manager

    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    if "Noto Sans CJK SC" not in installed:
        pytest.skip("Debian's fonts-noto-cjk is not installed here")
    cjk_font_family.cache_clear()
    assert cjk_font_family()[0] == "Noto Sans CJK SC"
    png = _render(LABELS)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5_000
    assert _fallbacks(font_log) == []


def test_without_system_fonts_the_shipped_subset_draws_chinese(
    without_system_fonts: None, font_log: pytest.LogCaptureFixture
) -> None:
    assert cjk_font_family()[0] == "Linli Sans SC"
    png = _render(LABELS)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5_000
    assert _fallbacks(font_log) == []


def test_the_shipped_subset_has_every_chinese_character_of_the_catalogues() -> None:
    path = resources.files("linli.bot").joinpath(charts.BUNDLED_FONT)
    with resources.as_file(path) as font_path:
        cmap = TTFont(font_path)["cmap"].getBestCmap()
    wanted = {
        char
        for catalogue in (ROOT / "bot" / "locales").glob("*/*.ftl")
        for char in catalogue.read_text(encoding="utf-8")
        # Chinese characters and the full-width punctuation of the zh texts
        if unicodedata.east_asian_width(char) in ("W", "F")
        and not unicodedata.category(char).startswith("S")  # emoji are not in Noto CJK
    }
    missing = sorted(c for c in wanted if ord(c) not in cmap)
    assert missing == [], "run tools/subset_cjk_font.py: the catalogues gained characters"
    # and the characters of names: all of GB2312 (6,763, levels 1 and 2)
    gb2312 = set()
    for row in range(16, 88):
        for cell in range(1, 95):
            try:
                gb2312.add(bytes((row + 0xA0, cell + 0xA0)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    assert len(gb2312) == 6763
    assert sorted(c for c in gb2312 if ord(c) not in cmap) == []
    assert (ROOT / "bot" / "fonts" / "OFL.txt").read_text().count("SIL OPEN FONT LICENSE") == 1


def test_counts_have_whole_number_axes() -> None:
    from matplotlib.ticker import MaxNLocator

    figure = bar_chart("投票结果", ["同意", "反对", "弃权"], [2, 1, 0])
    axes = figure.axes[0]
    assert isinstance(axes.xaxis.get_major_locator(), MaxNLocator)
    ticks = [t for t in axes.get_xticks() if 0 <= t <= axes.get_xlim()[1]]
    assert len(ticks) >= 2
    assert all(float(t).is_integer() for t in ticks), ticks
