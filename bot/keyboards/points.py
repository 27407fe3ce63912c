"""Keyboards of volunteer points, activities and the charity shop.

Builders take `t`, a translate function (`i18n.get` or a Translator bound to a locale), so
the button labels follow the reader's language.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from linli.bot.callbacks.points import (
    CONFIRMED,
    ActJoin,
    ActLeave,
    ActManage,
    ActMark,
    ActNew,
    ActView,
    Board,
    CancelFlow,
    GiftAdmin,
    GiftAmount,
    GiftConfirm,
    GiftTo,
    ItemAdmin,
    ItemNew,
    ItemRedeem,
    ItemView,
    PointsHistory,
    RedeemConfirm,
    RedemptionAct,
    ShopAdmin,
)
from linli.models.points import GiftRecipient, RewardItem
from linli.services.activities import ActivityAction
from linli.services.rewards import RedemptionAction

T = Callable[..., str]
GIFT_AMOUNTS = (5, 10, 20, 50)
HOURS = ("1", "2", "3", "4")


def _cancel(t: T) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=t("points-button-cancel"), callback_data=CancelFlow().pack())


def cancel_only(t: T) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[_cancel(t)]])


def confirm(t: T, data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=t("points-button-confirm"), callback_data=data)],
            [_cancel(t)],
        ]
    )


# --- points --------------------------------------------------------------------------------


def history_button(t: T) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=t("points-button-history"), callback_data=PointsHistory(page=0))
    return builder.as_markup()


def history_pages(t: T, page: int, pages: int) -> InlineKeyboardMarkup | None:
    builder = InlineKeyboardBuilder()
    if page > 0:
        builder.button(text=t("points-button-prev"), callback_data=PointsHistory(page=page - 1))
    if page + 1 < pages:
        builder.button(text=t("points-button-next"), callback_data=PointsHistory(page=page + 1))
    return builder.as_markup() if page > 0 or page + 1 < pages else None


def board(t: T, period: str, scope: str, grid_id: int, *, in_group: bool) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for value, key in (("m", "board-button-month"), ("a", "board-button-all")):
        mark = "• " if value == period else ""
        builder.button(
            text=mark + t(key), callback_data=Board(period=value, scope=scope, grid_id=grid_id)
        )
    if not in_group:
        for value, key in (("g", "board-button-grid"), ("c", "board-button-community")):
            mark = "• " if value == scope else ""
            builder.button(
                text=mark + t(key), callback_data=Board(period=period, scope=value, grid_id=0)
            )
    builder.adjust(2)
    return builder.as_markup()


# --- gifts -----------------------------------------------------------------------------------


def recipients(
    t: T, items: Sequence[GiftRecipient], labels: dict[int, str], *, admin: bool
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for recipient in items:
        builder.button(text=labels[recipient.id], callback_data=GiftTo(recipient_id=recipient.id))
    if admin:
        builder.button(text=t("gift-button-add-family"), callback_data=GiftAdmin(action="add"))
        for recipient in items[1:]:
            builder.button(
                text=t("gift-button-remove", name=recipient.name),
                callback_data=GiftAdmin(action="off", recipient_id=recipient.id),
            )
    builder.adjust(1)
    return builder.as_markup()


def gift_amounts(t: T, recipient_id: int, balance: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for amount in GIFT_AMOUNTS:
        if amount <= balance:
            builder.button(
                text=t("gift-button-amount", amount=str(amount)),
                callback_data=GiftAmount(recipient_id=recipient_id, amount=amount),
            )
    builder.button(
        text=t("gift-button-other"), callback_data=GiftAmount(recipient_id=recipient_id, amount=0)
    )
    builder.adjust(2)
    builder.row(_cancel(t))
    return builder.as_markup()


def gift_confirm(t: T, recipient_id: int, amount: int, token: str) -> InlineKeyboardMarkup:
    return confirm(t, GiftConfirm(recipient_id=recipient_id, amount=amount, token=token).pack())


# --- activities ------------------------------------------------------------------------------


def activity_list(
    t: T, rows: Sequence[tuple[int, str]], *, can_create: bool
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for activity_id, label in rows:
        builder.button(text=label, callback_data=ActView(activity_id=activity_id))
    if can_create:
        builder.button(text=t("activities-button-new"), callback_data=ActNew(step="start"))
    builder.adjust(1)
    return builder.as_markup()


_CARD_BUTTONS = (
    (ActivityAction.LEAVE, "activities-button-leave"),
    (ActivityAction.JOIN, "activities-button-join"),
    (ActivityAction.CODE, "activities-button-code"),
    (ActivityAction.PEOPLE, "activities-button-people"),
    (ActivityAction.CONFIRM, "activities-button-confirm"),
    (ActivityAction.STOP, "activities-button-stop"),
)


def activity_card(
    t: T, activity_id: int, actions: Collection[ActivityAction]
) -> InlineKeyboardMarkup:
    """One button per action the reader may take now (`services.activities.allowed_actions`)."""
    builder = InlineKeyboardBuilder()
    for action, key in _CARD_BUTTONS:
        if action not in actions:
            continue
        if action == ActivityAction.JOIN:
            data: CallbackData = ActJoin(activity_id=activity_id)
        elif action == ActivityAction.LEAVE:
            data = ActLeave(activity_id=activity_id)
        else:
            data = ActManage(activity_id=activity_id, action=action)
        builder.button(text=t(key), callback_data=data)
    builder.adjust(1)
    return builder.as_markup()


def attendance(
    t: T, activity_id: int, people: Sequence[tuple[int, str, bool]], *, can_confirm: bool
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for resident_id, name, present in people:
        builder.button(
            text=("✅ " if present else "⬜ ") + name,
            callback_data=ActMark(
                activity_id=activity_id, resident_id=resident_id, present=not present
            ),
        )
    if can_confirm:
        builder.button(
            text=t("activities-button-confirm"),
            callback_data=ActManage(activity_id=activity_id, action=ActivityAction.CONFIRM),
        )
    builder.adjust(1)
    return builder.as_markup()


def activity_manage_confirm(t: T, activity_id: int, action: ActivityAction) -> InlineKeyboardMarkup:
    """Confirm / Cancel under the question that `action` ("confirm", "stop") asks first."""
    return confirm(t, ActManage(activity_id=activity_id, action=CONFIRMED[action]).pack())


def hours(t: T) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for value in HOURS:
        builder.button(
            text=t("activities-button-hours", hours=value),
            callback_data=ActNew(step="hours", value=value),
        )
    builder.adjust(4)
    builder.row(_cancel(t))
    return builder.as_markup()


def basis(t: T) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=t("activities-button-flat"), callback_data=ActNew(step="basis", value="flat")
    )
    builder.button(
        text=t("activities-button-hourly"), callback_data=ActNew(step="basis", value="hour")
    )
    builder.adjust(1)
    builder.row(_cancel(t))
    return builder.as_markup()


def activity_preview(t: T) -> InlineKeyboardMarkup:
    return confirm(t, ActNew(step="ok").pack())


# --- shop ------------------------------------------------------------------------------------


def shop(t: T, items: Sequence[RewardItem], *, manager: bool) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for item in items:
        label = t(
            "rewards-item-button",
            name=item.name,
            cost=str(item.cost),
            stock=str(item.stock),
        )
        if not item.active:
            label = t("rewards-inactive-mark") + " " + label
        builder.button(text=label, callback_data=ItemView(item_id=item.id))
    if manager:
        builder.button(text=t("rewards-button-new"), callback_data=ShopAdmin(action="new"))
        builder.button(text=t("rewards-button-pending"), callback_data=ShopAdmin(action="pending"))
    builder.adjust(1)
    return builder.as_markup()


def item_card(
    t: T, item: RewardItem, *, can_redeem: bool, manager: bool
) -> InlineKeyboardMarkup | None:
    builder = InlineKeyboardBuilder()
    if can_redeem:
        builder.button(text=t("rewards-button-redeem"), callback_data=ItemRedeem(item_id=item.id))
    if manager:
        for amount in (1, 5, 10):
            builder.button(
                text=t("rewards-button-restock", amount=str(amount)),
                callback_data=ItemAdmin(item_id=item.id, action="add", amount=amount),
            )
        if item.active:
            builder.button(
                text=t("rewards-button-deactivate"),
                callback_data=ItemAdmin(item_id=item.id, action="off"),
            )
        else:
            builder.button(
                text=t("rewards-button-activate"),
                callback_data=ItemAdmin(item_id=item.id, action="on"),
            )
    if can_redeem:
        builder.adjust(1, 3, 1)
    else:
        builder.adjust(3, 1)
    return builder.as_markup() if can_redeem or manager else None


def redeem_confirm(t: T, item_id: int, token: str) -> InlineKeyboardMarkup:
    return confirm(t, RedeemConfirm(item_id=item_id, token=token).pack())


_REDEMPTION_BUTTONS = (
    (RedemptionAction.HAND_OVER, "rewards-button-hand-over"),
    (RedemptionAction.CANCEL, "rewards-button-cancel-redemption"),
)


def redemption(
    t: T, redemption_id: int, actions: Collection[RedemptionAction]
) -> InlineKeyboardMarkup | None:
    """One button per action the reader may take (`services.rewards.allowed_actions`)."""
    builder = InlineKeyboardBuilder()
    for action, key in _REDEMPTION_BUTTONS:
        if action in actions:
            builder.button(
                text=t(key),
                callback_data=RedemptionAct(redemption_id=redemption_id, action=action),
            )
    builder.adjust(1)
    return builder.as_markup() if actions else None


def skip(t: T) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=t("points-button-skip"), callback_data=ItemNew(step="skip"))
    builder.row(_cancel(t))
    return builder.as_markup()


def item_preview(t: T) -> InlineKeyboardMarkup:
    return confirm(t, ItemNew(step="ok").pack())
