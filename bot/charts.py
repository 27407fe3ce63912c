"""PNG bar charts (matplotlib, rendered in memory) whose labels may be Chinese.

The CJK font, chosen deliberately:
1. the system's Noto Sans CJK SC where installed (Debian's `fonts-noto-cjk`: the Docker image
   and CI install it), the complete font;
2. otherwise "Linli Sans SC", shipped in this package (`bot/fonts/`, OFL): a subset of Noto
   Sans CJK SC with every character of Linli's texts and the 6,763 of GB2312 (common
   characters and those of most names), cut by `tools/subset_cjk_font.py`, so a plain
   `pip install` still draws Chinese.
DejaVu Sans (matplotlib's own) follows in the family list for what neither has.

Rendering is CPU work: call `render_bar_chart` through `asyncio.to_thread` from handlers and
jobs. matplotlib is imported on the first chart, not at start-up: it costs about 40 MB that
most processes never need.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

SYSTEM_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC")
"""Complete CJK fonts a system may have, best first."""
BUNDLED_FONT = "fonts/LinliSansSC-Regular.otf"
LATIN_FALLBACK = "DejaVu Sans"


@cache
def cjk_font_family() -> list[str]:
    """The font family list of every chart: a CJK font first (see the module's docstring)."""
    from matplotlib import font_manager

    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    for family in SYSTEM_FAMILIES:
        if family in installed:
            return [family, LATIN_FALLBACK]
    return [bundled_font_family(), LATIN_FALLBACK]


@cache
def bundled_font_family() -> str:
    """Register the font shipped in the package; its family name."""
    from matplotlib import font_manager

    path = str(resources.files("linli.bot").joinpath(BUNDLED_FONT))
    font_manager.fontManager.addfont(path)
    return font_manager.FontProperties(fname=path).get_name()


def bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    *,
    value_format: str = "{:g}",
    highlight: int | None = None,
    whole_numbers: bool = True,
) -> Figure:
    """A horizontal bar chart, first label on top, each bar annotated with its value.
    Counts (`whole_numbers`, the default) get an axis of whole numbers only."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

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
    if whole_numbers:
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
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
    return figure


def render_bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    *,
    value_format: str = "{:g}",
    highlight: int | None = None,
    whole_numbers: bool = True,
) -> bytes:
    """`bar_chart` as PNG bytes."""
    figure = bar_chart(
        title,
        labels,
        values,
        value_format=value_format,
        highlight=highlight,
        whole_numbers=whole_numbers,
    )
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _shorten(label: str, limit: int = 18) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
