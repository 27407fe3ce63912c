"""The charity shop (邻礼公益超市) for residents: /rewards, an item, redeeming with a
confirmation, and a redemption's card (`/rewards R8`) with the actions
`services.rewards.allowed_actions` allows (hand over, cancel), one handler each."""

from __future__ import annotations

import secrets
from datetime import datetime

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from linli.bot.callbacks.points import ItemRedeem, ItemView, RedeemConfirm, RedemptionAct
from linli.bot.commands import Access
from linli.bot.delivery import Delivery
from linli.bot.filters import HasAccess
from linli.bot.keyboards import points as kb
from linli.config import Settings
from linli.handlers.points.common import message_of, now_utc, private
from linli.models import Resident
from linli.models.points import RewardItem
from linli.services import DbSession, ledger, rewards
from linli.services.authz import require_verified
from linli.services.people import shown_name
from linli.services.rewards import RedemptionAction, RedemptionCard

router = Router(name=__name__)


def day(moment: datetime, settings: Settings) -> str:
    return moment.astimezone(settings.tz).strftime("%Y-%m-%d")


def redemption_text(i18n: I18nContext, card: RedemptionCard, settings: Settings) -> str:
    redemption, owner = card.redemption, card.owner
    return i18n.get(
        "rewards-redemption-card",
        id=f"R{redemption.id}",
        item=card.item.name,
        cost=str(redemption.cost),
        name=shown_name(i18n.get, owner, empty=str(owner.telegram_id)),
        code=redemption.pickup_code,
        state=i18n.get(f"rewards-state-{redemption.state.value.replace('_', '-')}"),
        expires=day(redemption.expires_at, settings),
    )


def item_text(i18n: I18nContext, item: RewardItem) -> str:
    text = i18n.get(
        "rewards-item-card",
        name=item.name,
        cost=str(item.cost),
        stock=str(item.stock),
        description=item.description or "-",
    )
    if not item.active:
        text += "\n" + i18n.get("rewards-item-inactive")
    return text


@router.message(Command("rewards"), private, HasAccess(Access.RESIDENT))
async def shop(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    await state.clear()
    if command.args:
        card = await rewards.redemption_card(
            session, resident, rewards.parse_ref(command.args, "R")
        )
        await message.answer(
            redemption_text(i18n, card, settings),
            reply_markup=kb.redemption(i18n.get, card.redemption.id, card.actions),
        )
        return
    front = await rewards.shop_front(session, resident)
    text = i18n.get("rewards-header", balance=str(front.balance))
    if not front.items:
        text += "\n" + i18n.get("rewards-empty")
    if front.mine:
        lines = [
            i18n.get(
                "rewards-mine-line",
                id=f"R{r.id}",
                item=item.name,
                code=r.pickup_code,
                expires=day(r.expires_at, settings),
            )
            for r, item in front.mine
        ]
        text += "\n\n" + i18n.get("rewards-mine") + "\n" + "\n".join(lines)
    await message.answer(text, reply_markup=kb.shop(i18n.get, front.items, manager=front.manager))


@router.callback_query(ItemView.filter())
async def view_item(
    query: CallbackQuery,
    callback_data: ItemView,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    resident = require_verified(resident)
    item = await rewards.get_item(session, resident, callback_data.item_id)
    markup = kb.item_card(
        i18n.get,
        item,
        can_redeem=item.active and item.stock > 0,
        manager=rewards.can_manage_shop(resident),
    )
    message = message_of(query)
    if item.photo_file_id:
        await message.answer_photo(
            item.photo_file_id, caption=item_text(i18n, item), reply_markup=markup
        )
    else:
        await message.answer(item_text(i18n, item), reply_markup=markup)


@router.callback_query(ItemRedeem.filter())
async def ask_redeem(
    query: CallbackQuery,
    callback_data: ItemRedeem,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    item, balance = await rewards.offer(session, require_verified(resident), callback_data.item_id)
    await message_of(query).answer(
        i18n.get(
            "rewards-confirm", item=item.name, cost=str(item.cost), after=str(balance - item.cost)
        ),
        reply_markup=kb.redeem_confirm(i18n.get, item.id, secrets.token_hex(4)),
    )


@router.callback_query(RedeemConfirm.filter())
async def redeem(
    query: CallbackQuery,
    callback_data: RedeemConfirm,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    settings: Settings,
    callback_answer: CallbackAnswer,
) -> None:
    resident = require_verified(resident)
    result = await rewards.redeem(
        session,
        resident,
        callback_data.item_id,
        callback_data.token,
        now=now_utc(),
        days=settings.points.redemption_days,
    )
    if result.already:
        callback_answer.text = i18n.get("rewards-already", id=f"R{result.redemption.id}")
        return
    balance = await ledger.cached_balance(session, resident.id)
    await message_of(query).edit_text(
        i18n.get(
            "rewards-done",
            id=f"R{result.redemption.id}",
            item=result.item.name,
            code=result.redemption.pickup_code,
            expires=day(result.redemption.expires_at, settings),
            balance=str(balance),
        )
    )


async def _after(
    query: CallbackQuery,
    card: RedemptionCard,
    action: RedemptionAction,
    actor: Resident,
    i18n: I18nContext,
    settings: Settings,
    delivery: Delivery,
) -> None:
    """The card shows the new state, without buttons; the owner hears of a chief's action."""
    await message_of(query).edit_text(redemption_text(i18n, card, settings))
    await delivery.points.redemption_closed(card, action, actor)


@router.callback_query(RedemptionAct.filter(F.action == RedemptionAction.HAND_OVER))
async def hand_over(
    query: CallbackQuery,
    callback_data: RedemptionAct,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    settings: Settings,
    delivery: Delivery,
) -> None:
    resident = require_verified(resident)
    card = await rewards.hand_over(session, resident, callback_data.redemption_id, now=now_utc())
    await _after(query, card, RedemptionAction.HAND_OVER, resident, i18n, settings, delivery)


@router.callback_query(RedemptionAct.filter(F.action == RedemptionAction.CANCEL))
async def cancel(
    query: CallbackQuery,
    callback_data: RedemptionAct,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    settings: Settings,
    delivery: Delivery,
) -> None:
    resident = require_verified(resident)
    card = await rewards.cancel(session, resident, callback_data.redemption_id, now=now_utc())
    await _after(query, card, RedemptionAction.CANCEL, resident, i18n, settings, delivery)
