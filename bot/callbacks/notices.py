"""Buttons of notices (/notice, /notices). Prefixes start with "n"."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class NKind(CallbackData, prefix="nk"):
    """A notice ("msg") or an agenda digest ("agenda")."""

    kind: str


class NSkip(CallbackData, prefix="nsk"):
    """No attachment."""


class NFormat(CallbackData, prefix="nf"):
    """How the chief writes the text: plain (Telegram's own formatting kept, `<` and `&`
    shown as typed) or, by choice, raw HTML."""

    html: bool


class NTarget(CallbackData, prefix="nt"):
    """all | grid | gridb (all buildings of the grid) | pick (choose buildings of a grid) |
    g (an admin opens a grid) | bld (one building, agenda) | done (chosen buildings)."""

    kind: str
    unit_id: int = 0


class NBuilding(CallbackData, prefix="nb"):
    """Toggle a building in the chosen list."""

    building_id: int


class NWhen(CallbackData, prefix="nw"):
    """now | at | repeat | agenda (the default agenda schedule)."""

    kind: str


class NRepeat(CallbackData, prefix="nr"):
    """daily | weekly | monthly."""

    kind: str


class NDay(CallbackData, prefix="nd"):
    """Toggle a weekday (0 = Monday); 7 = done."""

    day: int


class NMonthDay(CallbackData, prefix="nmd"):
    day: int


class NTime(CallbackData, prefix="nh"):
    """A time of day as HHMM."""

    hhmm: str


class NConfirm(CallbackData, prefix="nc"):
    pass


class NRecheck(CallbackData, prefix="nrc"):
    """Look again for bound groups (a notice for "now" whose target has none yet)."""


class NCancel(CallbackData, prefix="nx"):
    """Leave the /notice flow; nothing is saved."""


class NManage(CallbackData, prefix="ng"):
    """/notices card: pause | resume | cancel | cancelyes | keep | edit | report."""

    action: str
    notice_id: int
