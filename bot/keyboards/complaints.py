"""Keyboards of complaints, /queue and /my. `tr` translates in the reader's language."""

from __future__ import annotations

from collections.abc import Callable

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from linli.bot.callbacks.complaints import (
    ComplaintAct,
    ComplaintAssign,
    ComplaintBuildingPick,
    ComplaintCategoryPick,
    ComplaintMerge,
    ComplaintRate,
    ComplaintReason,
    ComplaintStep,
    ComplaintView,
    HandlerRemove,
    MeToo,
    Unsorted,
)
from linli.bot.keyboards import button, rows
from linli.models import Building
from linli.models.complaints import ComplaintCategory
from linli.services.complaints import AssignOption, ComplaintAction

Tr = Callable[..., str]


def _cancel_button(tr: Tr) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=tr("complaint-button-cancel"), callback_data=ComplaintStep(action="cancel").pack()
    )


def cancel(tr: Tr) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[_cancel_button(tr)]])


def categories(tr: Tr) -> InlineKeyboardMarkup:
    picks = [
        button(tr("complaint-category", category=c.value), ComplaintCategoryPick(code=c.value))
        for c in ComplaintCategory
    ]
    return InlineKeyboardMarkup(inline_keyboard=[*rows(picks, 2), [_cancel_button(tr)]])


def buildings(tr: Tr, items: list[Building]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for building in items:
        builder.button(
            text=building.name, callback_data=ComplaintBuildingPick(building_id=building.id)
        )
    builder.adjust(3)
    builder.row(_cancel_button(tr))
    return builder.as_markup()


def similar(tr: Tr, items: list[tuple[int, str]]) -> InlineKeyboardMarkup:
    choices = [
        button(tr("complaint-button-metoo", title=title), MeToo(complaint_id=complaint_id))
        for complaint_id, title in items
    ]
    choices.append(button(tr("complaint-button-new"), ComplaintStep(action="new")))
    return InlineKeyboardMarkup(inline_keyboard=[*rows(choices), [_cancel_button(tr)]])


def step(tr: Tr, *pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    """Buttons (message id, step action) and a Cancel button."""
    steps = [button(tr(key), ComplaintStep(action=action)) for key, action in pairs]
    return InlineKeyboardMarkup(inline_keyboard=[*rows(steps), [_cancel_button(tr)]])


def preview(tr: Tr) -> InlineKeyboardMarkup:
    return step(tr, ("complaint-button-confirm", "confirm"), ("complaint-button-edit", "edit"))


APPEAL_KEYS = {
    ComplaintAction.ACCEPT: "complaint-button-grant",
    ComplaintAction.REJECT: "complaint-button-deny",
}
"""The reviewer's two decisions on an appeal."""


def chief_card(
    tr: Tr,
    complaint_id: int,
    actions: list[ComplaintAction],
    *,
    voice: bool,
    photos: int,
    pin: bool = False,
    appeal: bool = False,
) -> InlineKeyboardMarkup | None:
    """The chief's allowed moves (`services.complaints.chief_actions`; under `appeal` the
    reviewer's decisions), then voice, photos and the map pin when the complaint has them."""

    def view(action: ComplaintView) -> ComplaintAct:
        return ComplaintAct(complaint_id=complaint_id, action=action)

    buttons = [
        button(
            tr((APPEAL_KEYS.get(action) if appeal else None) or f"complaint-button-{action}"),
            ComplaintAct(complaint_id=complaint_id, action=action),
        )
        for action in actions
    ]
    if voice:
        buttons.append(button(tr("complaint-button-voice"), view(ComplaintView.VOICE)))
    if photos:
        buttons.append(
            button(tr("complaint-button-photos", count=photos), view(ComplaintView.PHOTOS))
        )
    if pin:
        buttons.append(button(tr("complaint-button-map"), view(ComplaintView.MAP)))
    return InlineKeyboardMarkup(inline_keyboard=rows(buttons, 2)) if buttons else None


def follower_card(
    tr: Tr, complaint_id: int, actions: list[ComplaintAction]
) -> InlineKeyboardMarkup | None:
    if not actions:
        return None
    builder = InlineKeyboardBuilder()
    for action in actions:
        builder.button(
            text=tr(f"complaint-button-{action}"),
            callback_data=ComplaintAct(complaint_id=complaint_id, action=action),
        )
    builder.adjust(1)
    return builder.as_markup()


def assign_options(tr: Tr, complaint_id: int, options: list[AssignOption]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for option in options:
        key = "complaint-assign-chief" if option.kind == "c" else "complaint-assign-handler"
        builder.button(
            text=tr(key, name=option.name),
            callback_data=ComplaintAssign(
                complaint_id=complaint_id, kind=option.kind, target_id=option.id
            ),
        )
    builder.button(
        text=tr("complaint-button-back"),
        callback_data=ComplaintAct(complaint_id=complaint_id, action=ComplaintView.OPEN),
    )
    builder.adjust(1)
    return builder.as_markup()


def stars(complaint_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for n in range(1, 6):
        builder.button(
            text="⭐" * n, callback_data=ComplaintRate(complaint_id=complaint_id, stars=n)
        )
    builder.adjust(1)
    return builder.as_markup()


def after_rating(tr: Tr, complaint_id: int, actions: list[ComplaintAction]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=tr("complaint-button-skip"), callback_data=ComplaintStep(action="nocomment")
    )
    for action in actions:
        builder.button(
            text=tr(f"complaint-button-{action}"),
            callback_data=ComplaintAct(complaint_id=complaint_id, action=action),
        )
    builder.adjust(1)
    return builder.as_markup()


def open_card(tr: Tr, complaint_id: int, label: str | None = None) -> InlineKeyboardMarkup:
    """One button that opens the chief's card (`label`: e.g. the code and the building)."""
    builder = InlineKeyboardBuilder()
    builder.button(
        text=label or tr("complaint-button-open"),
        callback_data=ComplaintAct(complaint_id=complaint_id, action=ComplaintView.OPEN),
    )
    return builder.as_markup()


def paged_list(
    items: list[tuple[str, CallbackData]],
    page: int,
    pages: int,
    page_factory: Callable[[int], CallbackData],
) -> InlineKeyboardMarkup:
    """One button per item, then ◀ n/m ▶ when there are several pages."""
    builder = InlineKeyboardBuilder()
    for label, data in items:
        builder.row(InlineKeyboardButton(text=label, callback_data=data.pack()))
    if pages > 1:
        nav = []
        if page > 0:
            nav.append(InlineKeyboardButton(text="◀", callback_data=page_factory(page - 1).pack()))
        nav.append(
            InlineKeyboardButton(
                text=f"{page + 1}/{pages}", callback_data=page_factory(page).pack()
            )
        )
        if page < pages - 1:
            nav.append(InlineKeyboardButton(text="▶", callback_data=page_factory(page + 1).pack()))
        builder.row(*nav)
    return builder.as_markup()


def handlers(tr: Tr, items: list[tuple[int, str]]) -> InlineKeyboardMarkup | None:
    if not items:
        return None
    builder = InlineKeyboardBuilder()
    for handler_id, name in items:
        builder.button(
            text=tr("complaint-button-remove-handler", name=name),
            callback_data=HandlerRemove(handler_id=handler_id),
        )
    builder.adjust(1)
    return builder.as_markup()


def reasons(tr: Tr, complaint_id: int, action: str, codes: tuple[str, ...]) -> InlineKeyboardMarkup:
    """The common reasons to reopen or to appeal, one a row, then Cancel."""
    builder = InlineKeyboardBuilder()
    for code in codes:
        builder.button(
            text=tr(f"complaint-reason-{action}", code=code),
            callback_data=ComplaintReason(complaint_id=complaint_id, action=action, code=code),
        )
    builder.adjust(1)
    builder.row(_cancel_button(tr))
    return builder.as_markup()


def confirm(tr: Tr, key: str, action: str) -> InlineKeyboardMarkup:
    """A confirmation: the button `key` (step `action`) and Cancel."""
    builder = InlineKeyboardBuilder()
    builder.button(text=tr(key), callback_data=ComplaintStep(action=action))
    builder.row(_cancel_button(tr))
    return builder.as_markup()


def merge_targets(tr: Tr, complaint_id: int, items: list[tuple[int, str]]) -> InlineKeyboardMarkup:
    """The complaints to merge `complaint_id` into, then Back to its card."""
    builder = InlineKeyboardBuilder()
    for target_id, label in items:
        builder.button(
            text=label, callback_data=ComplaintMerge(complaint_id=complaint_id, target_id=target_id)
        )
    builder.button(
        text=tr("complaint-button-back"),
        callback_data=ComplaintAct(complaint_id=complaint_id, action=ComplaintView.OPEN),
    )
    builder.adjust(1)
    return builder.as_markup()


def merge_confirm(tr: Tr, complaint_id: int, target_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=tr("complaint-button-merge-confirm"),
        callback_data=ComplaintMerge(complaint_id=complaint_id, target_id=target_id, ok=1),
    )
    builder.row(_cancel_button(tr))
    return builder.as_markup()


def unsorted(tr: Tr, kinds: list[str]) -> InlineKeyboardMarkup:
    """What something sent outside a flow is: a request, a micro-wish, a comment on a
    topic; or none of them."""
    builder = InlineKeyboardBuilder()
    for kind in (*kinds, "none"):
        builder.button(text=tr("fallback-button", kind=kind), callback_data=Unsorted(kind=kind))
    builder.adjust(1)
    return builder.as_markup()


def unsorted_topics(tr: Tr, items: list[tuple[int, str]]) -> InlineKeyboardMarkup:
    """The open topics to comment on, then "none of them"."""
    builder = InlineKeyboardBuilder()
    for topic_id, label in items:
        builder.button(text=label, callback_data=Unsorted(kind="topic", topic_id=topic_id))
    builder.button(text=tr("fallback-button", kind="none"), callback_data=Unsorted(kind="none"))
    builder.adjust(1)
    return builder.as_markup()
