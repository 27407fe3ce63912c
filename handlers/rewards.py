"""The charity shop (邻礼公益超市): /rewards, redeeming, pickups and the catalogue flow."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from linli.bot.callbacks.points import (
    ItemAdmin,
    ItemNew,
    ItemRedeem,
    ItemView,
    RedeemConfirm,
    RedemptionAction,
    ShopAdmin,
)
from linli.bot.commands import Access, CommandSpec
from linli.bot.filters import HasAccess
from linli.bot.i18n import Translator
from linli.bot.keyboards import points as kb
from linli.bot.notify import tell
from linli.config import Settings
from linli.models import Resident
from linli.models.points import Redemption, RedemptionState, RewardItem
from linli.services import ledger, rewards
from linli.services.authz import require_verified
from linli.services.errors import PermissionDenied, StaleAction

router = Router(name=__name__)

COMMANDS = [CommandSpec("rewards", Access.RESIDENT, "private")]

private = F.chat.type == "private"


class ItemFlow(StatesGroup):
    name = State()
    description = State()
    photo = State()
    cost = State()
    stock = State()
    preview = State()


def _fmt(moment: datetime, settings: Settings) -> str:
    return moment.astimezone(settings.tz).strftime("%Y-%m-%d")


def redemption_text(
    i18n: I18nContext, redemption: Redemption, item: RewardItem, owner: Resident, settings: Settings
) -> str:
    return i18n.get(
        "rewards-redemption-card",
        id=f"R{redemption.id}",
        item=item.name,
        cost=str(redemption.cost),
        name=owner.display_name or str(owner.telegram_id),
        code=redemption.pickup_code,
        state=i18n.get(f"rewards-state-{redemption.state.value.replace('_', '-')}"),
        expires=_fmt(redemption.expires_at, settings),
    )


@router.message(Command("rewards"), private, HasAccess(Access.RESIDENT))
async def shop(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    await state.clear()
    if command.args:
        redemption, item, owner = await rewards.get_redemption(
            session, resident, rewards.parse_ref(command.args, "R")
        )
        manager = owner.id != resident.id or resident.is_admin
        await message.answer(
            redemption_text(i18n, redemption, item, owner, settings),
            reply_markup=kb.redemption(i18n.get, redemption.id, manager=manager)
            if redemption.state == RedemptionState.RESERVED
            else None,
        )
        return
    manager = rewards.can_manage_shop(resident)
    items = await rewards.list_items(session, resident, include_inactive=manager)
    balance = await ledger.cached_balance(session, resident.id)
    text = i18n.get("rewards-header", balance=str(balance))
    if not items:
        text += "\n" + i18n.get("rewards-empty")
    mine = await rewards.my_redemptions(session, resident)
    if mine:
        text += (
            "\n\n"
            + i18n.get("rewards-mine")
            + "\n"
            + "\n".join(
                i18n.get(
                    "rewards-mine-line",
                    id=f"R{r.id}",
                    item=item.name,
                    code=r.pickup_code,
                    expires=_fmt(r.expires_at, settings),
                )
                for r, item in mine
            )
        )
    await message.answer(text, reply_markup=kb.shop(i18n.get, items, manager=manager))


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


@router.callback_query(ItemView.filter())
async def view_item(
    query: CallbackQuery,
    callback_data: ItemView,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    resident = require_verified(resident)
    item = await rewards.get_item(session, resident, callback_data.item_id)
    manager = rewards.can_manage_shop(resident)
    markup = kb.item_card(
        i18n.get, item, can_redeem=item.active and item.stock > 0, manager=manager
    )
    assert isinstance(query.message, Message)
    if item.photo_file_id:
        await query.message.answer_photo(
            item.photo_file_id, caption=item_text(i18n, item), reply_markup=markup
        )
    else:
        await query.message.answer(item_text(i18n, item), reply_markup=markup)


@router.callback_query(ItemRedeem.filter())
async def ask_redeem(
    query: CallbackQuery,
    callback_data: ItemRedeem,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    resident = require_verified(resident)
    item = await rewards.get_item(session, resident, callback_data.item_id)
    if not item.active:
        raise StaleAction("rewards-error-inactive")
    if item.stock <= 0:
        raise rewards.OutOfStock(item=item.name)
    balance = await ledger.cached_balance(session, resident.id)
    if balance < item.cost:
        raise ledger.NotEnoughPoints(need=str(item.cost), have=str(balance))
    assert isinstance(query.message, Message)
    await query.message.answer(
        i18n.get(
            "rewards-confirm", item=item.name, cost=str(item.cost), after=str(balance - item.cost)
        ),
        reply_markup=kb.redeem_confirm(i18n.get, item.id, secrets.token_hex(4)),
    )


@router.callback_query(RedeemConfirm.filter())
async def redeem(
    query: CallbackQuery,
    callback_data: RedeemConfirm,
    session: AsyncSession,
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
        now=datetime.now(UTC),
        days=settings.points.redemption_days,
    )
    if result.already:
        callback_answer.text = i18n.get("rewards-already", id=f"R{result.redemption.id}")
        return
    balance = await ledger.cached_balance(session, resident.id)
    assert isinstance(query.message, Message)
    await query.message.edit_text(
        i18n.get(
            "rewards-done",
            id=f"R{result.redemption.id}",
            item=result.item.name,
            code=result.redemption.pickup_code,
            expires=_fmt(result.redemption.expires_at, settings),
            balance=str(balance),
        )
    )


@router.callback_query(RedemptionAction.filter())
async def redemption_action(
    query: CallbackQuery,
    callback_data: RedemptionAction,
    bot: Bot,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
    translator: Translator,
    settings: Settings,
) -> None:
    resident = require_verified(resident)
    now = datetime.now(UTC)
    if callback_data.action == "hand":
        redemption, item, owner = await rewards.hand_over(
            session, resident, callback_data.redemption_id, now=now
        )
        tell_key = "rewards-told-handed-over"
    elif callback_data.action == "cancel":
        redemption, item, owner = await rewards.cancel(
            session, resident, callback_data.redemption_id, now=now
        )
        tell_key = "rewards-told-cancelled"
    else:
        raise StaleAction()
    assert isinstance(query.message, Message)
    await query.message.edit_text(redemption_text(i18n, redemption, item, owner, settings))
    if owner.id != resident.id:
        await tell(bot, translator, owner, tell_key, id=f"R{redemption.id}", item=item.name)


# --- managing the catalogue --------------------------------------------------------------


@router.callback_query(ShopAdmin.filter())
async def shop_admin(
    query: CallbackQuery,
    callback_data: ShopAdmin,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    if not rewards.can_manage_shop(resident):
        raise PermissionDenied("error-role-required")
    assert resident is not None and isinstance(query.message, Message)
    if callback_data.action == "new":
        await state.set_state(ItemFlow.name)
        await state.update_data(item={})
        await query.message.answer(
            i18n.get("rewards-ask-name"), reply_markup=kb.cancel_only(i18n.get)
        )
    elif callback_data.action == "pending":
        rows, total = await rewards.pending(session, resident)
        if not rows:
            await query.message.answer(i18n.get("rewards-pending-none"))
            return
        await query.message.answer(i18n.get("rewards-pending-header", count=str(total)))
        for redemption, item, owner in rows:
            await query.message.answer(
                redemption_text(i18n, redemption, item, owner, settings),
                reply_markup=kb.redemption(i18n.get, redemption.id, manager=True),
            )
    else:
        raise StaleAction()


@router.callback_query(ItemAdmin.filter())
async def item_admin(
    query: CallbackQuery,
    callback_data: ItemAdmin,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
    callback_answer: CallbackAnswer,
) -> None:
    resident = require_verified(resident)
    if callback_data.action == "add":
        item = await rewards.restock(session, resident, callback_data.item_id, callback_data.amount)
    elif callback_data.action in ("on", "off"):
        item = await rewards.set_active(
            session, resident, callback_data.item_id, callback_data.action == "on"
        )
    else:
        raise StaleAction()
    callback_answer.text = i18n.get("rewards-item-saved", stock=str(item.stock))
    assert isinstance(query.message, Message)
    markup = kb.item_card(i18n.get, item, can_redeem=item.active and item.stock > 0, manager=True)
    if query.message.photo:
        await query.message.edit_caption(caption=item_text(i18n, item), reply_markup=markup)
    else:
        await query.message.edit_text(item_text(i18n, item), reply_markup=markup)


async def _ask(message: Message, state: FSMContext, i18n: I18nContext, step: State) -> None:
    await state.set_state(step)
    prompts = {
        ItemFlow.name: ("rewards-ask-name", False),
        ItemFlow.description: ("rewards-ask-description", True),
        ItemFlow.photo: ("rewards-ask-photo", True),
        ItemFlow.cost: ("rewards-ask-cost", False),
        ItemFlow.stock: ("rewards-ask-stock", False),
    }
    key, skippable = prompts[step]
    markup = kb.skip(i18n.get) if skippable else kb.cancel_only(i18n.get)
    await message.answer(i18n.get(key), reply_markup=markup)


async def _preview(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    data = (await state.get_data())["item"]
    await state.set_state(ItemFlow.preview)
    text = i18n.get(
        "rewards-preview",
        name=data["name"],
        description=data.get("description") or "-",
        photo=i18n.get("rewards-has-photo") if data.get("photo") else "-",
        cost=str(data["cost"]),
        stock=str(data["stock"]),
    )
    await message.answer(text, reply_markup=kb.item_preview(i18n.get))


async def _save(state: FSMContext, **values: object) -> None:
    data = (await state.get_data()).get("item", {})
    data.update(values)
    await state.update_data(item=data)


def _number(text: str | None, *, allow_zero: bool) -> int | None:
    value = (text or "").strip()
    if not value.isdigit():
        return None
    number = int(value)
    if number > 100_000 or (number == 0 and not allow_zero):
        return None
    return number


@router.message(StateFilter(ItemFlow.name), private, ~F.text.startswith("/"))
async def item_name(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    name = (message.text or "").strip()
    if not name or len(name) > 100:
        await _ask(message, state, i18n, ItemFlow.name)
        return
    await _save(state, name=name)
    await _ask(message, state, i18n, ItemFlow.description)


@router.message(StateFilter(ItemFlow.description), private, ~F.text.startswith("/"))
async def item_description(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    text = (message.text or "").strip()
    if not text or len(text) > 500:
        await _ask(message, state, i18n, ItemFlow.description)
        return
    await _save(state, description=text)
    await _ask(message, state, i18n, ItemFlow.photo)


@router.message(StateFilter(ItemFlow.photo), private, ~F.text.startswith("/"))
async def item_photo(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    if not message.photo:
        await _ask(message, state, i18n, ItemFlow.photo)
        return
    await _save(state, photo=message.photo[-1].file_id)
    await _ask(message, state, i18n, ItemFlow.cost)


@router.message(StateFilter(ItemFlow.cost), private, ~F.text.startswith("/"))
async def item_cost(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    cost = _number(message.text, allow_zero=False)
    if cost is None:
        await message.answer(i18n.get("points-error-amount", amount=message.text or "-"))
        await _ask(message, state, i18n, ItemFlow.cost)
        return
    await _save(state, cost=cost)
    await _ask(message, state, i18n, ItemFlow.stock)


@router.message(StateFilter(ItemFlow.stock), private, ~F.text.startswith("/"))
async def item_stock(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    stock = _number(message.text, allow_zero=True)
    if stock is None:
        await message.answer(i18n.get("points-error-amount", amount=message.text or "-"))
        await _ask(message, state, i18n, ItemFlow.stock)
        return
    await _save(state, stock=stock)
    await _preview(message, state, i18n)


@router.message(StateFilter(ItemFlow.preview), private, ~F.text.startswith("/"))
async def item_preview_text(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("expected-button"))


@router.callback_query(ItemNew.filter())
async def item_new_button(
    query: CallbackQuery,
    callback_data: ItemNew,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    current = await state.get_state()
    assert isinstance(query.message, Message)
    if callback_data.step == "skip" and current == ItemFlow.description.state:
        await _ask(query.message, state, i18n, ItemFlow.photo)
    elif callback_data.step == "skip" and current == ItemFlow.photo.state:
        await _ask(query.message, state, i18n, ItemFlow.cost)
    elif callback_data.step == "ok" and current == ItemFlow.preview.state:
        resident = require_verified(resident)
        data = (await state.get_data())["item"]
        item = await rewards.create_item(
            session,
            resident,
            name=data["name"],
            description=data.get("description") or "",
            photo_file_id=data.get("photo"),
            cost=int(data["cost"]),
            stock=int(data["stock"]),
        )
        await state.clear()
        await query.message.edit_text(i18n.get("rewards-created", name=item.name))
    else:
        raise StaleAction()
