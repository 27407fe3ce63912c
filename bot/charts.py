"""PNG bar charts (matplotlib, rendered in memory) whose labels may be Chinese.

The CJK font comes from the `manimgx-fonts-cjk` package (Noto Sans CJK, OFL), so charts
render Chinese names on a fresh machine without system fonts. Rendering is CPU work:
call `render_bar_chart` through `asyncio.to_thread` from handlers and jobs. matplotlib is
imported on the first chart, not at start-up: it costs about 40 MB that most processes
never need.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import cache
from importlib import resources

_FONT_FILE = "NotoSansCJK-VF.otf.ttc"


@cache
def cjk_font_family() -> list[str]:
    """Register the packaged CJK font once; fall back to DejaVu Sans for Latin text."""
    from matplotlib import font_manager

    try:
        path = str(resources.files("manimgx_fonts_cjk") / _FONT_FILE)
        font_manager.fontManager.addfont(path)
        name = font_manager.FontProperties(fname=path).get_name()
        return [name, "DejaVu Sans"]
    except (ModuleNotFoundError, FileNotFoundError, RuntimeError):
        return ["DejaVu Sans"]


def render_bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    *,
    value_format: str = "{:g}",
    highlight: int | None = None,
) -> bytes:
    """A horizontal bar chart, first label on top, each bar annotated with its value."""
    from matplotlib.figure import Figure

    family = cjk_font_family()
    height = max(2.5, 0.55 * len(labels) + 1.4)
    figure = Figure(figsize=(7, height), dpi=110)
    axes = figure.add_subplot()
    positions = list(range(len(labels)))[::-1]
    colors = ["#d9534f" if i == highlight else "#3b7dd8" for i in range(len(labels))]
    bars = axes.barh(positions, list(values), color=colors)
    axes.set_yticks(positions, [_shorten(label) for label in labels], fontfamily=family)
    axes.set_title(title, fontfamily=family, fontsize=13)
    top = max([float(v) for v in values] or [0.0])
    axes.set_xlim(0, top * 1.18 if top > 0 else 1)
    for bar, value in zip(bars, values, strict=True):
        axes.text(
            bar.get_width(),
            bar.get_y() + bar.get_height() / 2,
            " " + value_format.format(value),
            va="center",
            fontfamily=family,
            fontsize=10,
        )
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _shorten(label: str, limit: int = 18) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
