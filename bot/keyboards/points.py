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
    AwardPage,
    AwardStep,
    AwardWho,
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
from linli.bot.keyboards import button, rows
from linli.models.points import GiftRecipient, RewardItem
from linli.services.activities import ActivityAction
from linli.services.rewards import RedemptionAction

T = Callable[..., str]
GIFT_AMOUNTS = (5, 10, 20, 50)
HOURS = (1, 2, 3, 4)
CAPACITIES = (5, 10, 20, 30)
ACTIVITY_POINTS = (1, 2, 5, 10, 20, 50)
AWARD_AMOUNTS = (5, 10, 20, 50)
CORRECTIONS = (-50, -20, -10, -5, 5, 10, 20, 50)
PEOPLE_PAGE = 8


def cancel_button(t: T) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=t("points-button-cancel"), callback_data=CancelFlow().pack())


_cancel = cancel_button


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
    (ActivityAction.QR, "activities-button-qr"),
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


def _choices(
    t: T, step: str, values: Sequence[int], key: str, per_row: int
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for value in values:
        builder.button(text=t(key, value=value), callback_data=ActNew(step=step, value=str(value)))
    builder.adjust(per_row)
    builder.row(_cancel(t))
    return builder.as_markup()


def hours(t: T, most: int) -> InlineKeyboardMarkup:
    """An activity's length: 1–4 hours (up to `most`), or typed."""
    values = [h for h in HOURS if h <= most]
    return _choices(t, "hours", values, "activities-button-hours", 4)


def capacity(t: T) -> InlineKeyboardMarkup:
    return _choices(t, "capacity", CAPACITIES, "activities-button-capacity", 4)


def activity_points(t: T, most: int) -> InlineKeyboardMarkup:
    values = [p for p in ACTIVITY_POINTS if p <= most]
    return _choices(t, "points", values, "activities-button-points", 3)


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
    buttons = []
    for item in items:
        label = t(
            "rewards-item-button",
            name=item.name,
            cost=str(item.cost),
            stock=str(item.stock),
        )
        if not item.active:
            label = t("rewards-inactive-mark") + " " + label
        buttons.append(button(label, ItemView(item_id=item.id)))
    if manager:
        buttons.append(button(t("rewards-button-new"), ShopAdmin(action="new")))
        buttons.append(button(t("rewards-button-pending"), ShopAdmin(action="pending")))
    return InlineKeyboardMarkup(inline_keyboard=rows(buttons))


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


# --- /award ----------------------------------------------------------------------------------


def people(
    t: T, page_rows: Sequence[tuple[int, str]], page: int, pages: int
) -> InlineKeyboardMarkup:
    """One page of people to pick (their id and a label), the pager, and Cancel."""
    builder = InlineKeyboardBuilder()
    for resident_id, label in page_rows:
        builder.button(text=label, callback_data=AwardWho(resident_id=resident_id))
    builder.adjust(2)
    pager = []
    if page > 0:
        pager.append(
            InlineKeyboardButton(
                text=t("points-button-prev"), callback_data=AwardPage(page=page - 1).pack()
            )
        )
    if page + 1 < pages:
        pager.append(
            InlineKeyboardButton(
                text=t("points-button-next"), callback_data=AwardPage(page=page + 1).pack()
            )
        )
    if pager:
        builder.row(*pager)
    builder.row(_cancel(t))
    return builder.as_markup()


def award_amounts(t: T, most: int, *, admin: bool, withheld: int) -> InlineKeyboardMarkup:
    """Amounts up to `most`, another amount; for admins a correction instead, and lifting
    the monthly caps (with what they withheld, if anything)."""
    builder = InlineKeyboardBuilder()
    for amount in AWARD_AMOUNTS:
        if amount <= most:
            builder.button(
                text=t("award-button-amount", amount=amount),
                callback_data=AwardStep(action="amount", value=amount),
            )
    builder.button(text=t("award-button-other"), callback_data=AwardStep(action="other"))
    builder.adjust(4)
    if admin:
        builder.row(
            InlineKeyboardButton(
                text=t("award-button-correct"), callback_data=AwardStep(action="correct").pack()
            )
        )
        builder.row(
            InlineKeyboardButton(
                text=t("award-button-lift", withheld=withheld),
                callback_data=AwardStep(action="lift").pack(),
            )
        )
    builder.row(_cancel(t))
    return builder.as_markup()


def corrections(t: T) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for amount in CORRECTIONS:
        builder.button(text=f"{amount:+d}", callback_data=AwardStep(action="amount", value=amount))
    builder.button(text=t("award-button-other"), callback_data=AwardStep(action="other"))
    builder.adjust(4)
    builder.row(_cancel(t))
    return builder.as_markup()


def award_confirm(t: T, action: str = "ok") -> InlineKeyboardMarkup:
    return confirm(t, AwardStep(action=action).pack())
