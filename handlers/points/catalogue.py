"""The shop's managers (grid chiefs, admins): a new item (name → description → photo →
cost → stock → preview → Confirm), stock and withdrawal on an item's card, and the
redemptions waiting for pickup in their area."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from linli.bot.callbacks.points import ItemAdmin, ItemNew, ShopAdmin
from linli.bot.keyboards import points as kb
from linli.config import Settings
from linli.handlers.points.common import message_of, private, typed
from linli.handlers.points.shop import item_text, redemption_text
from linli.models import Resident
from linli.models.points import RewardItem
from linli.services import DbSession, ledger, rewards
from linli.services.authz import require_verified
from linli.services.errors import PermissionDenied

router = Router(name=__name__)


class ItemFlow(StatesGroup):
    name = State()
    description = State()
    photo = State()
    cost = State()
    stock = State()
    preview = State()


PROMPTS = {
    ItemFlow.name: ("rewards-ask-name", False),
    ItemFlow.description: ("rewards-ask-description", True),
    ItemFlow.photo: ("rewards-ask-photo", True),
    ItemFlow.cost: ("rewards-ask-cost", False),
    ItemFlow.stock: ("rewards-ask-stock", False),
}
"""Each step's question and whether it can be skipped."""

MOST = 100_000


def _shop_manager(resident: Resident | None) -> Resident:
    if not rewards.can_manage_shop(resident):
        raise PermissionDenied("error-role-required")
    assert resident is not None
    return resident


@router.callback_query(ShopAdmin.filter(F.action == "new"))
async def new_item(
    query: CallbackQuery, state: FSMContext, resident: Resident | None, i18n: I18nContext
) -> None:
    _shop_manager(resident)
    await state.set_state(ItemFlow.name)
    await state.update_data(item={})
    await message_of(query).answer(
        i18n.get("rewards-ask-name"), reply_markup=kb.cancel_only(i18n.get)
    )


@router.callback_query(ShopAdmin.filter(F.action == "pending"))
async def pending_pickups(
    query: CallbackQuery,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    cards, total = await rewards.pending(session, _shop_manager(resident))
    message = message_of(query)
    if not cards:
        await message.answer(i18n.get("rewards-pending-none"))
        return
    await message.answer(i18n.get("rewards-pending-header", count=str(total)))
    for card in cards:
        await message.answer(
            redemption_text(i18n, card, settings),
            reply_markup=kb.redemption(i18n.get, card.redemption.id, card.actions),
        )


# --- an item's card ------------------------------------------------------------------------


async def _show_saved(
    query: CallbackQuery, item: RewardItem, i18n: I18nContext, callback_answer: CallbackAnswer
) -> None:
    callback_answer.text = i18n.get("rewards-item-saved", stock=str(item.stock))
    message = message_of(query)
    markup = kb.item_card(i18n.get, item, can_redeem=item.active and item.stock > 0, manager=True)
    if message.photo:
        await message.edit_caption(caption=item_text(i18n, item), reply_markup=markup)
    else:
        await message.edit_text(item_text(i18n, item), reply_markup=markup)


@router.callback_query(ItemAdmin.filter(F.action == "add"))
async def restock(
    query: CallbackQuery,
    callback_data: ItemAdmin,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    callback_answer: CallbackAnswer,
) -> None:
    item = await rewards.restock(
        session, require_verified(resident), callback_data.item_id, callback_data.amount
    )
    await _show_saved(query, item, i18n, callback_answer)


@router.callback_query(ItemAdmin.filter(F.action.in_({"on", "off"})))
async def put_back_or_withdraw(
    query: CallbackQuery,
    callback_data: ItemAdmin,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    callback_answer: CallbackAnswer,
) -> None:
    item = await rewards.set_active(
        session, require_verified(resident), callback_data.item_id, callback_data.action == "on"
    )
    await _show_saved(query, item, i18n, callback_answer)


# --- a new item ------------------------------------------------------------------------------


async def _ask(message: Message, state: FSMContext, i18n: I18nContext, step: State) -> None:
    await state.set_state(step)
    key, skippable = PROMPTS[step]
    markup = kb.skip(i18n.get) if skippable else kb.cancel_only(i18n.get)
    await message.answer(i18n.get(key), reply_markup=markup)


async def _save(state: FSMContext, **values: object) -> None:
    data = (await state.get_data()).get("item", {})
    data.update(values)
    await state.update_data(item=data)


@router.message(StateFilter(ItemFlow.name), private, typed)
async def item_name(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    name = (message.text or "").strip()
    if not name or len(name) > 100:
        await _ask(message, state, i18n, ItemFlow.name)
        return
    await _save(state, name=name)
    await _ask(message, state, i18n, ItemFlow.description)


@router.message(StateFilter(ItemFlow.description), private, typed)
async def item_description(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    text = (message.text or "").strip()
    if not text or len(text) > 500:
        await _ask(message, state, i18n, ItemFlow.description)
        return
    await _save(state, description=text)
    await _ask(message, state, i18n, ItemFlow.photo)


@router.message(StateFilter(ItemFlow.photo), private, typed)
async def item_photo(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    if not message.photo:
        await _ask(message, state, i18n, ItemFlow.photo)
        return
    await _save(state, photo=message.photo[-1].file_id)
    await _ask(message, state, i18n, ItemFlow.cost)


@router.message(StateFilter(ItemFlow.cost), private, typed)
async def item_cost(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    cost = ledger.parse_whole(message.text, 1, MOST)
    if cost is None:
        await message.answer(i18n.get("points-error-amount", amount=message.text or "-"))
        await _ask(message, state, i18n, ItemFlow.cost)
        return
    await _save(state, cost=cost)
    await _ask(message, state, i18n, ItemFlow.stock)


@router.message(StateFilter(ItemFlow.stock), private, typed)
async def item_stock(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    stock = ledger.parse_whole(message.text, 0, MOST)
    if stock is None:
        await message.answer(i18n.get("points-error-amount", amount=message.text or "-"))
        await _ask(message, state, i18n, ItemFlow.stock)
        return
    await _save(state, stock=stock)
    data = (await state.get_data())["item"]
    await state.set_state(ItemFlow.preview)
    await message.answer(
        i18n.get(
            "rewards-preview",
            name=data["name"],
            description=data.get("description") or "-",
            photo=i18n.get("rewards-has-photo") if data.get("photo") else "-",
            cost=str(data["cost"]),
            stock=str(data["stock"]),
        ),
        reply_markup=kb.item_preview(i18n.get),
    )


@router.message(StateFilter(ItemFlow.preview), private, typed)
async def item_preview_text(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("expected-button"))


@router.callback_query(ItemNew.filter(F.step == "skip"), StateFilter(ItemFlow.description))
async def skip_description(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    await _ask(message_of(query), state, i18n, ItemFlow.photo)


@router.callback_query(ItemNew.filter(F.step == "skip"), StateFilter(ItemFlow.photo))
async def skip_photo(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    await _ask(message_of(query), state, i18n, ItemFlow.cost)


@router.callback_query(ItemNew.filter(F.step == "ok"), StateFilter(ItemFlow.preview))
async def publish_item(
    query: CallbackQuery,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    data = (await state.get_data())["item"]
    item = await rewards.create_item(
        session,
        require_verified(resident),
        name=data["name"],
        description=data.get("description") or "",
        photo_file_id=data.get("photo"),
        cost=int(data["cost"]),
        stock=int(data["stock"]),
    )
    await state.clear()
    await message_of(query).edit_text(i18n.get("rewards-created", name=item.name))
