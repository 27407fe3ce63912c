"""Charts render Chinese labels with a CJK font (no missing-glyph boxes)."""

from __future__ import annotations

import warnings

from linli.bot.charts import cjk_font_family, render_bar_chart


def test_chart_is_png_and_uses_a_cjk_font() -> None:
    assert "Noto Sans CJK" in cjk_font_family()[0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font"
        png = render_bar_chart("投票结果", ["同意", "反对", "弃权"], [10, 5, 2], highlight=0)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(png) > 5_000
