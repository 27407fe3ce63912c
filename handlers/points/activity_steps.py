"""/activity_new's steps: the states, the question of each, its buttons and bounds, and the
preview and draft read from the FSM data (the handlers are in `activity_new`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aiogram.fsm.state import State, StatesGroup
from aiogram.types import InlineKeyboardMarkup
from aiogram_i18n import I18nContext

from linli.bot.keyboards import points as kb
from linli.bot.keyboards.when import day_keyboard
from linli.config import Settings
from linli.handlers.points.activities import points_text
from linli.handlers.points.common import now_utc
from linli.services import activities as service

DRAFT = "activity"
FIELDS = ("title", "place", "starts_at", "hours", "capacity", "per_hour", "points")
WHEN_FLOW = "activity"


class ActivityFlow(StatesGroup):
    title = State()
    place = State()
    time = State()
    hours = State()
    capacity = State()
    basis = State()
    points = State()
    preview = State()


QUESTIONS = {
    ActivityFlow.title: "activities-ask-title",
    ActivityFlow.place: "activities-ask-place",
    ActivityFlow.time: "activities-ask-time",
    ActivityFlow.hours: "activities-ask-hours",
    ActivityFlow.capacity: "activities-ask-capacity",
    ActivityFlow.basis: "activities-ask-basis",
    ActivityFlow.points: "activities-ask-points",
}

TEXTS = {ActivityFlow.title: ("title", 100), ActivityFlow.place: ("place", 200)}
"""Steps that take a short text: the draft's field and the longest text allowed."""

NEXT = {
    ActivityFlow.title: ActivityFlow.place,
    ActivityFlow.place: ActivityFlow.time,
    ActivityFlow.time: ActivityFlow.hours,
    ActivityFlow.hours: ActivityFlow.capacity,
    ActivityFlow.capacity: ActivityFlow.basis,
    ActivityFlow.basis: ActivityFlow.points,
    ActivityFlow.points: ActivityFlow.preview,
}


def numbers(settings: Settings) -> dict[State, tuple[str, int, int]]:
    """Steps that take a whole number: the draft's field and the bounds."""
    return {
        ActivityFlow.capacity: ("capacity", 1, service.CAPACITY_MAX),
        ActivityFlow.points: ("points", 0, settings.points.activity_max_points),
    }


def markup(i18n: I18nContext, step: State, settings: Settings) -> InlineKeyboardMarkup:
    points = settings.points
    if step == ActivityFlow.time:
        cancel = [[kb.cancel_button(i18n.get)]]
        return day_keyboard(i18n.get, WHEN_FLOW, now_utc(), settings.tz, extra=cancel)
    if step == ActivityFlow.hours:
        return kb.hours(i18n.get, points.activity_max_hours)
    if step == ActivityFlow.capacity:
        return kb.capacity(i18n.get)
    if step == ActivityFlow.basis:
        return kb.basis(i18n.get)
    if step == ActivityFlow.points:
        return kb.activity_points(i18n.get, points.activity_max_points)
    return kb.cancel_only(i18n.get)


def preview(i18n: I18nContext, draft: service.Draft, settings: Settings) -> str:
    return i18n.get(
        "activities-preview",
        title=draft.title,
        place=draft.place,
        time=f"{draft.starts_at.astimezone(settings.tz):%Y-%m-%d %H:%M}",
        hours=f"{draft.hours:g}",
        capacity=draft.capacity,
        points=points_text(i18n, draft.points, per_hour=draft.per_hour),
    )


def draft_of(data: dict[str, Any]) -> service.Draft:
    return service.Draft(
        title=str(data["title"]),
        place=str(data["place"]),
        starts_at=datetime.fromisoformat(str(data["starts_at"])),
        hours=float(str(data["hours"])),
        capacity=int(str(data["capacity"])),
        points=int(str(data["points"])),
        per_hour=bool(data["per_hour"]),
    )
