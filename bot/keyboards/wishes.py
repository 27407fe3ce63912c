"""Keyboards of micro-wishes. `tr` translates a message id in the reader's language."""

from __future__ import annotations

from collections.abc import Callable

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from linli.bot.callbacks.wishes import (
    WishAct,
    WishBuildingPick,
    WishCategoryPick,
    WishClaim,
    WishConfirm,
    WishStep,
)
from linli.models import Building
from linli.models.wishes import WishCategory
from linli.services.wishes import WishAction

Tr = Callable[..., str]


def categories(tr: Tr) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for category in WishCategory:
        builder.button(
            text=tr("wish-category", category=category.value),
            callback_data=WishCategoryPick(code=category.value),
        )
    builder.adjust(2)
    builder.row(*cancel(tr).inline_keyboard[0])
    return builder.as_markup()


def cancel(tr: Tr) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=tr("wish-button-cancel"), callback_data=WishStep(action="cancel"))
    return builder.as_markup()


def buildings(tr: Tr, items: list[Building]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for building in items:
        builder.button(text=building.name, callback_data=WishBuildingPick(building_id=building.id))
    builder.adjust(3)
    builder.row(*cancel(tr).inline_keyboard[0])
    return builder.as_markup()


def photo_step(tr: Tr) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=tr("wish-button-no-photo"), callback_data=WishStep(action="nophoto"))
    builder.button(text=tr("wish-button-cancel"), callback_data=WishStep(action="cancel"))
    builder.adjust(1)
    return builder.as_markup()


def consent(tr: Tr, name: str | None) -> InlineKeyboardMarkup:
    """/wish_for: post as "a neighbour" (the default), or with the resident's `name` (no
    door number) when they agreed in person; no such button when no name can be shown."""
    builder = InlineKeyboardBuilder()
    builder.button(text=tr("wish-button-consent-no"), callback_data=WishStep(action="name_no"))
    if name:
        builder.button(
            text=tr("wish-button-consent-yes", name=name),
            callback_data=WishStep(action="consent_yes"),
        )
    builder.button(text=tr("wish-button-cancel"), callback_data=WishStep(action="cancel"))
    builder.adjust(1)
    return builder.as_markup()


def show_name(tr: Tr) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=tr("wish-button-name-no"), callback_data=WishStep(action="name_no"))
    builder.button(text=tr("wish-button-name-yes"), callback_data=WishStep(action="name_yes"))
    builder.button(text=tr("wish-button-cancel"), callback_data=WishStep(action="cancel"))
    builder.adjust(1)
    return builder.as_markup()


def preview(tr: Tr) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=tr("wish-button-confirm"), callback_data=WishStep(action="confirm"))
    builder.button(text=tr("wish-button-edit"), callback_data=WishStep(action="edit"))
    builder.button(text=tr("wish-button-cancel"), callback_data=WishStep(action="cancel"))
    builder.adjust(1, 2)
    return builder.as_markup()


def claim(tr: Tr, wish_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=tr("wish-button-claim"), callback_data=WishClaim(wish_id=wish_id))
    return builder.as_markup()


ACTION_KEYS = {
    WishAction.CLAIM: "wish-button-claim",
    WishAction.FULFIL: "wish-button-fulfil",
    WishAction.MSG: "wish-button-message",
    WishAction.RELEASE: "wish-button-release",
    WishAction.WITHDRAW: "wish-button-withdraw",
}


def card(tr: Tr, wish_id: int, actions: list[WishAction]) -> InlineKeyboardMarkup | None:
    """One button per allowed action (`services.wishes.allowed_actions`)."""
    if not actions:
        return None
    builder = InlineKeyboardBuilder()
    for action in actions:
        if action == WishAction.CLAIM:
            builder.button(text=tr(ACTION_KEYS[action]), callback_data=WishClaim(wish_id=wish_id))
        else:
            builder.button(
                text=tr(ACTION_KEYS[action]), callback_data=WishAct(wish_id=wish_id, action=action)
            )
    builder.adjust(1)
    return builder.as_markup()


def open_list(items: list[tuple[int, str]]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for wish_id, label in items:
        builder.button(text=label, callback_data=WishAct(wish_id=wish_id, action="open"))
    builder.adjust(1)
    return builder.as_markup()


def confirm(tr: Tr, wish_id: int, action: WishAction) -> InlineKeyboardMarkup:
    """Confirm `action` (fulfil, release, withdraw), or keep the wish as it is."""
    builder = InlineKeyboardBuilder()
    builder.button(
        text=tr("wish-button-confirm-action", action=action.value),
        callback_data=WishConfirm(wish_id=wish_id, action=action.value),
    )
    builder.button(
        text=tr("wish-button-keep"), callback_data=WishConfirm(wish_id=wish_id, action="keep")
    )
    builder.adjust(1)
    return builder.as_markup()
