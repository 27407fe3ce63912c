"""What the notice conversations share: their FSM states, the draft kept in FSM data, and
how a schedule and a target are described to a chief."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aiogram.fsm.state import State, StatesGroup
from aiogram.types import Message
from aiogram_i18n import I18nContext

from linli.bot.delivery import Delivery
from linli.models.notices import NoticeKind, Repeat, TargetKind
from linli.services import DbSession
from linli.services import notices as notice_service


class NoticeFlow(StatesGroup):
    kind = State()
    text = State()
    media = State()
    target = State()
    buildings = State()
    when = State()
    at = State()
    repeat = State()
    days = State()
    month_day = State()
    time = State()
    confirm = State()


class NoticeEdit(StatesGroup):
    text = State()


# --- the draft in FSM data ------------------------------------------------------------------


def kind_from(data: dict[str, Any]) -> NoticeKind:
    return NoticeKind(data.get("kind", NoticeKind.MESSAGE.value))


def schedule_from(data: dict[str, Any]) -> notice_service.Schedule:
    raw = data.get("schedule") or {}
    run_at = raw.get("run_at")
    return notice_service.Schedule(
        repeat=Repeat(raw.get("repeat", "once")),
        run_at=datetime.fromisoformat(run_at) if run_at else None,
        at_time=raw.get("at_time"),
        weekdays=tuple(raw.get("weekdays") or ()),
        month_day=raw.get("month_day"),
    )


def target_from(data: dict[str, Any]) -> notice_service.Target:
    raw = data.get("target") or {}
    return notice_service.Target(
        TargetKind(raw["kind"]), raw.get("grid_id"), tuple(raw.get("building_ids") or ())
    )


def target_data(target: notice_service.Target) -> dict[str, Any]:
    return {
        "kind": target.kind.value,
        "grid_id": target.grid_id,
        "building_ids": list(target.building_ids),
    }


def draft_from(data: dict[str, Any]) -> notice_service.Draft:
    return notice_service.Draft(
        kind=kind_from(data),
        target=target_from(data),
        schedule=schedule_from(data),
        text=data.get("text", ""),
        media_kind=data.get("media_kind"),
        media_file_id=data.get("media_file_id"),
    )


_FORMATTING = frozenset(
    {
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "code",
        "pre",
        "text_link",
        "blockquote",
        "expandable_blockquote",
        "custom_emoji",
    }
)


def notice_html(message: Message) -> str:
    """The notice text as Telegram HTML: typed tags as they are; formatting made with
    Telegram's own editor (bold, links...) converted to tags."""
    text = message.text or message.caption or ""
    entities = message.entities or message.caption_entities or []
    if any(e.type in _FORMATTING for e in entities):
        return message.html_text
    return text


# --- describing notices ---------------------------------------------------------------------


def describe_schedule(
    i18n: I18nContext, schedule: notice_service.Schedule, delivery: Delivery
) -> str:
    if schedule.repeat == Repeat.ONCE:
        if schedule.run_at is None:
            return i18n.get("notice-when-now")
        return i18n.get("notice-when-once", when=delivery.local_time(schedule.run_at))
    time = schedule.at_time or ""
    if schedule.repeat == Repeat.DAILY:
        return i18n.get("notice-when-daily", time=time)
    if schedule.repeat == Repeat.WEEKLY:
        names = [
            i18n.get(f"notice-day-{notice_service.WEEKDAYS.index(d)}") for d in schedule.weekdays
        ]
        return i18n.get("notice-when-weekly", days="、".join(names), time=time)
    return i18n.get("notice-when-monthly", day=str(schedule.month_day), time=time)


async def describe_target(
    session: DbSession, i18n: I18nContext, target: notice_service.Target
) -> str:
    label = await notice_service.describe_target(session, target)
    if target.kind == TargetKind.ALL:
        return i18n.get("notice-target-all")
    if target.kind == TargetKind.GRID:
        return i18n.get("notice-target-grid", grid=label.grid)
    if target.kind == TargetKind.GRID_BUILDINGS:
        return i18n.get("notice-target-grid-buildings", grid=label.grid)
    return i18n.get("notice-target-buildings", buildings="、".join(label.buildings))
