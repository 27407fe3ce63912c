"""Charts drawn on the server as SVG: the geometry here, the markup in
`templates/_charts.html`. No chart library: bars are SVG rectangles in table rows (the
names and figures stay HTML text, large and readable at any width), and trend lines are
small SVG line charts whose colours, fonts and contrast come from the page's stylesheet.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


def bar_width(value: float | None, largest: float | None) -> float:
    """A bar's length in percent of the longest (0 for nothing, at least 1 for any
    positive value so it stays visible)."""
    if not value or not largest or value <= 0 or largest <= 0:
        return 0.0
    return max(1.0, round(100.0 * value / largest, 2))


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10ⁿ at or above `value` (the top of a y axis)."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: float
    label: str


@dataclass(frozen=True)
class Line:
    name: str
    css: str
    points: list[Point]

    @property
    def path(self) -> str:
        """The polyline's points; gaps (no value that week) split nothing, they are
        skipped."""
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    top_value: float
    lines: list[Line]
    x_labels: list[tuple[float, str, str]]
    """(x, text, SVG text-anchor): the first label starts at its point, the last ends
    there, so neither is cut off at the edge."""

    @property
    def y_zero(self) -> float:
        return float(self.height - self.bottom)

    @property
    def y_top(self) -> float:
        return float(self.top)

    @property
    def y_middle(self) -> float:
        return (self.y_zero + self.y_top) / 2


WIDTH, HEIGHT = 360, 200
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 14, 30


def line_chart(
    labels: Sequence[str], series: Sequence[tuple[str, str, Sequence[float | None]]]
) -> LineChart:
    """`series`: (name, css class, one value per label, None where there is none)."""
    values = [v for _, _, vs in series for v in vs if v is not None]
    top_value = nice_ceiling(max(values, default=0.0))
    count = len(labels)
    inner_w = WIDTH - LEFT - RIGHT
    inner_h = HEIGHT - TOP - BOTTOM

    def x_of(i: int) -> float:
        return LEFT + (inner_w * i / (count - 1) if count > 1 else inner_w / 2)

    def y_of(v: float) -> float:
        return TOP + inner_h * (1 - v / top_value)

    lines = [
        Line(
            name,
            css,
            [Point(x_of(i), y_of(v), v, labels[i]) for i, v in enumerate(vs) if v is not None],
        )
        for name, css, vs in series
    ]
    ticks = [0, count - 1] if count > 1 else [0]
    if count > 4:
        ticks.insert(1, (count - 1) // 2)
    return LineChart(
        WIDTH,
        HEIGHT,
        LEFT,
        RIGHT,
        TOP,
        BOTTOM,
        top_value,
        lines,
        [
            (x_of(i), labels[i], "start" if i == 0 else "end" if i == count - 1 else "middle")
            for i in ticks
        ],
    )
