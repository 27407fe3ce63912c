"""Keyboards of notices."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from linli.bot.callbacks.notices import (
    NBuilding,
    NCancel,
    NConfirm,
    NDay,
    NFormat,
    NKind,
    NManage,
    NMonthDay,
    NRecheck,
    NRepeat,
    NSkip,
    NTarget,
    NTime,
    NWhen,
)
from linli.services.notices import NoticeAction

Tr = Callable[..., str]
Markup = InlineKeyboardMarkup
TIMES = ("07:00", "08:00", "09:00", "12:00", "18:00", "19:30", "20:00", "21:00")


def cancel_button(tr: Tr) -> InlineKeyboardButton:
    """Leave the /notice flow (kept below the date picker's own buttons too)."""
    return InlineKeyboardButton(text=tr("notice-button-cancel"), callback_data=NCancel().pack())


def kinds(tr: Tr) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=tr("notice-button-message"), callback_data=NKind(kind="msg"))
    builder.button(text=tr("notice-button-agenda"), callback_data=NKind(kind="agenda"))
    builder.adjust(1)
    builder.row(cancel_button(tr))
    return builder.as_markup()


def skip(tr: Tr) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=tr("notice-button-skip"), callback_data=NSkip())
    builder.row(cancel_button(tr))
    return builder.as_markup()


def cancel_only(tr: Tr) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[cancel_button(tr)]])


def text_prompt(tr: Tr, *, html: bool) -> InlineKeyboardMarkup:
    """Under "send the text": switch between plain text and raw HTML, and Cancel."""
    label = "notice-button-plain" if html else "notice-button-html"
    builder = InlineKeyboardBuilder()
    builder.button(text=tr(label), callback_data=NFormat(html=not html))
    builder.row(cancel_button(tr))
    return builder.as_markup()


def targets(rows: Sequence[tuple[str, NTarget]], tr: Tr) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for text, data in rows:
        builder.button(text=text, callback_data=data)
    builder.adjust(1)
    builder.row(cancel_button(tr))
    return builder.as_markup()


def buildings(items: Sequence[tuple[int, str]], picked: set[int], tr: Tr) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for building_id, name in items:
        mark = "✅ " if building_id in picked else "▫️ "
        builder.button(text=mark + name, callback_data=NBuilding(building_id=building_id))
    builder.adjust(2)
    builder.row(
        InlineKeyboardButton(
            text=tr("notice-button-done"), callback_data=NTarget(kind="done").pack()
        )
    )
    builder.row(cancel_button(tr))
    return builder.as_markup()


def when(tr: Tr, *, agenda: bool) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    if agenda:
        builder.button(text=tr("notice-button-agenda-default"), callback_data=NWhen(kind="agenda"))
        builder.button(text=tr("notice-button-other-schedule"), callback_data=NWhen(kind="repeat"))
    else:
        builder.button(text=tr("notice-button-now"), callback_data=NWhen(kind="now"))
        builder.button(text=tr("notice-button-at"), callback_data=NWhen(kind="at"))
        builder.button(text=tr("notice-button-repeat"), callback_data=NWhen(kind="repeat"))
    builder.adjust(1)
    builder.row(cancel_button(tr))
    return builder.as_markup()


def repeats(tr: Tr) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for kind in ("daily", "weekly", "monthly"):
        builder.button(text=tr(f"notice-button-{kind}"), callback_data=NRepeat(kind=kind))
    builder.adjust(1)
    builder.row(cancel_button(tr))
    return builder.as_markup()


def weekdays(names: Sequence[str], picked: set[int], tr: Tr) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for day, name in enumerate(names):
        mark = "✅ " if day in picked else ""
        builder.button(text=mark + name, callback_data=NDay(day=day))
    builder.adjust(4)
    builder.row(
        InlineKeyboardButton(text=tr("notice-button-done"), callback_data=NDay(day=7).pack())
    )
    builder.row(cancel_button(tr))
    return builder.as_markup()


def month_days(tr: Tr) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for day in range(1, 29):
        builder.button(text=str(day), callback_data=NMonthDay(day=day))
    builder.adjust(7)
    builder.row(cancel_button(tr))
    return builder.as_markup()


def times(tr: Tr) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for value in TIMES:
        builder.button(text=value, callback_data=NTime(hhmm=value.replace(":", "")))
    builder.adjust(4)
    builder.row(cancel_button(tr))
    return builder.as_markup()


def confirm(tr: Tr) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=tr("notice-button-confirm"), callback_data=NConfirm())
    builder.row(cancel_button(tr))
    return builder.as_markup()


def recheck(tr: Tr) -> InlineKeyboardMarkup:
    """No group bound for a notice to send now: look again once /bind was sent, or leave."""
    builder = InlineKeyboardBuilder()
    builder.button(text=tr("notice-button-recheck"), callback_data=NRecheck())
    builder.row(cancel_button(tr))
    return builder.as_markup()


_CARD_LABELS = {
    NoticeAction.PAUSE: "notice-button-pause",
    NoticeAction.RESUME: "notice-button-resume",
    NoticeAction.EDIT: "notice-button-edit",
    NoticeAction.CANCEL: "notice-button-cancel-notice",
    NoticeAction.REPORT: "notice-button-report",
}


def card(notice_id: int, actions: Sequence[NoticeAction], tr: Tr) -> Markup:
    """A /notices card: one button per action the chief may take now."""
    builder = InlineKeyboardBuilder()
    for action in actions:
        builder.button(
            text=tr(_CARD_LABELS[action]), callback_data=NManage(action=action, notice_id=notice_id)
        )
    builder.adjust(2)
    return builder.as_markup()


def cancel_confirm(notice_id: int, tr: Tr) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=tr("notice-button-cancel-yes"),
        callback_data=NManage(action="cancelyes", notice_id=notice_id),
    )
    builder.button(
        text=tr("notice-button-cancel-no"),
        callback_data=NManage(action="keep", notice_id=notice_id),
    )
    builder.adjust(2)
    return builder.as_markup()
