"""Formatting for the cockpit's pages: numbers, hours, percentages, names and dates in the
viewer's language, through the same Fluent catalogues as the bot."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from linli.bot.i18n import LOCALES, Translator
from linli.services.cockpit import Person
from linli.services.people import FORMER_RESIDENT

DASH = "–"


def count(value: int | None) -> str:
    return DASH if value is None else f"{value:,}"


def pct(value: float | None) -> str:
    return DASH if value is None else f"{value:.0f}%"


def hours(value: float | None) -> str:
    return DASH if value is None else f"{value:.1f}"


def rating(value: float | None) -> str:
    return DASH if value is None else f"{value:.1f}"


def change(now: float | None, before: float | None) -> str:
    """ "up", "down" or "same" (for the arrow next to a figure), "" when not comparable."""
    if now is None or before is None:
        return ""
    if abs(now - before) < 1e-9:
        return "same"
    return "up" if now > before else "down"


class Texts:
    """`t(key, **params)` in one locale, plus the formatters the templates use."""

    def __init__(self, translator: Translator, locale: str, tz: ZoneInfo) -> None:
        self.translator = translator
        self.locale = locale if locale in LOCALES else translator.default_locale
        self.tz = tz

    def __call__(self, key: str, **params: Any) -> str:
        return self.translator.get(key, self.locale, **params)

    def person(self, person: Person | None, fallback: str = DASH) -> str:
        if person is None:
            return fallback
        if person.former:
            return self(FORMER_RESIDENT)
        if person.as_neighbour or not person.name:
            return self("cockpit-neighbour", building=person.building or DASH)
        return person.name

    def when(self, moment: datetime | None) -> str:
        if moment is None:
            return DASH
        return moment.astimezone(self.tz).strftime("%Y-%m-%d %H:%M")

    def day(self, moment: datetime | None) -> str:
        if moment is None:
            return DASH
        return moment.astimezone(self.tz).strftime("%Y-%m-%d")

    def globals(self) -> dict[str, Callable[..., Any] | str]:
        return {
            "t": self,
            "person": self.person,
            "when": self.when,
            "day": self.day,
            "count": count,
            "pct": pct,
            "hours": hours,
            "rating": rating,
            "change": change,
            "locale": self.locale,
        }
