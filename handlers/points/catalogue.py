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
from linli.handlers.points.common import (
    Questions,
    current_step,
    draft_lost,
    message_of,
    private,
    read_draft,
    send_question,
    typed,
)
from linli.handlers.points.shop import item_text, redemption_text
from linli.models import Resident, Role
from linli.models.points import RewardItem
from linli.services import DbSession, rewards
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


QUESTIONS = {
    ItemFlow.name: "rewards-ask-name",
    ItemFlow.description: "rewards-ask-description",
    ItemFlow.photo: "rewards-ask-photo",
    ItemFlow.cost: "rewards-ask-cost",
    ItemFlow.stock: "rewards-ask-stock",
}
SKIPPABLE = {ItemFlow.description, ItemFlow.photo}
NEXT = {
    ItemFlow.name: ItemFlow.description,
    ItemFlow.description: ItemFlow.photo,
    ItemFlow.photo: ItemFlow.cost,
    ItemFlow.cost: ItemFlow.stock,
    ItemFlow.stock: ItemFlow.preview,
}
MOST = rewards.ITEM_MAX
DRAFT = "item"
PREVIEW = ("name", "cost", "stock")
"""What the preview (and the item) cannot do without."""
TEXTS = {ItemFlow.name: ("name", 100), ItemFlow.description: ("description", 500)}
"""Steps that take a short text: the draft's field and the longest text allowed."""
NUMBERS = {ItemFlow.cost: ("cost", 1, MOST), ItemFlow.stock: ("stock", 0, MOST)}
"""Steps that take a whole number: the draft's field and the bounds."""


def _shop_manager(resident: Resident | None) -> Resident:
    if not rewards.can_manage_shop(resident):
        raise PermissionDenied("error-role-required", role=Role.GRID_CHIEF.value)
    assert resident is not None
    return resident


@router.callback_query(ShopAdmin.filter(F.action == "new"))
async def new_item(
    query: CallbackQuery, state: FSMContext, resident: Resident | None, i18n: I18nContext
) -> None:
    _shop_manager(resident)
    await state.clear()
    await state.update_data({DRAFT: {}})
    await _ask(message_of(query), state, i18n, ItemFlow.name)


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
    await message.answer(i18n.get("rewards-pending-header", count=total))
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
    """Go to `step` and ask its question (Skip where it may be skipped); at the end, show
    the preview with Confirm."""
    data = await read_draft(state, DRAFT, *(PREVIEW if step == ItemFlow.preview else ()))
    await state.set_state(step)
    if step == ItemFlow.preview:
        text = i18n.get(
            "rewards-preview",
            name=data["name"],
            description=data.get("description") or "-",
            photo=i18n.get("rewards-has-photo") if data.get("photo") else "-",
            cost=data["cost"],
            stock=data["stock"],
        )
        await send_question(message, state, text, kb.item_preview(i18n.get))
        return
    markup = kb.skip(i18n.get) if step in SKIPPABLE else kb.cancel_only(i18n.get)
    await send_question(message, state, i18n.get(QUESTIONS[step], max=MOST), markup)


FLOW = Questions(DRAFT, _ask, NEXT)
"""The questions of a new item; the draft is kept under "item"."""


@router.message(StateFilter(*TEXTS), private, typed)
async def item_text_step(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await FLOW.short_text(message, state, i18n, TEXTS)


@router.message(StateFilter(ItemFlow.photo), private, typed)
async def item_photo(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    if not message.photo:
        await _ask(message, state, i18n, ItemFlow.photo)
        return
    await FLOW.answered(message, state, i18n, ItemFlow.photo, photo=message.photo[-1].file_id)


@router.message(StateFilter(*NUMBERS), private, typed)
async def item_number_step(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await FLOW.whole_number(message, state, i18n, NUMBERS)


@router.message(StateFilter(ItemFlow.preview), private, typed)
async def item_preview_text(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("expected-button"))


@router.callback_query(ItemNew.filter(F.step == "skip"), StateFilter(*SKIPPABLE))
async def skip(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    await _ask(message_of(query), state, i18n, NEXT[await current_step(state, SKIPPABLE)])


@router.callback_query(ItemNew.filter(F.step == "ok"), StateFilter(ItemFlow.preview))
async def publish_item(
    query: CallbackQuery,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    data = await read_draft(state, DRAFT, *PREVIEW)
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


@router.callback_query(ItemNew.filter())
async def stale_step(query: CallbackQuery, state: FSMContext) -> None:
    """A button of a step the flow is not at, or of a draft that is gone."""
    await draft_lost(state, DRAFT)
