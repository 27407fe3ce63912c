"""The one CSV writer for exports that people open in Excel or WPS.

Cells are inert: a text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return
would be read as a formula (CSV injection), so it gets a leading apostrophe, which
spreadsheets show as text and do not evaluate. Numbers stay numbers (a points delta of -5 is
written as -5). The file is UTF-8 with a byte-order mark, so Excel reads Chinese correctly.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import datetime

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | bool | datetime | None


def inert(value: Cell) -> str | int | float:
    """One cell as written: numbers as they are, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return value
    text = value.isoformat() if isinstance(value, datetime) else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """The whole file: a header row, then the rows, every cell through `inert`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([inert(cell) for cell in header])
    for row in rows:
        writer.writerow([inert(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")
