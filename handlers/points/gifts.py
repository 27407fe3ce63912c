"""/gift (转赠): points to the care fund (爱心基金) or to a family an admin has listed —
recipient, amount (buttons, or typed), Confirm. Admins also see what each recipient has
received and add or remove families."""

from __future__ import annotations

import secrets

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from linli.bot.callbacks.points import GiftAdmin, GiftAmount, GiftConfirm, GiftTo
from linli.bot.commands import Access
from linli.bot.filters import HasAccess
from linli.bot.keyboards import points as kb
from linli.handlers.points.common import DRAFT_LOST, message_of, private, typed
from linli.models import Resident, Role
from linli.models.points import GiftRecipient, RecipientKind
from linli.services import DbSession, gifts, ledger
from linli.services.authz import require_role
from linli.services.errors import StaleAction

router = Router(name=__name__)


class GiftFlow(StatesGroup):
    amount = State()
    family_name = State()


def recipient_label(i18n: I18nContext, recipient: GiftRecipient) -> str:
    """The care fund by its name in the reader's language; a family by the name given."""
    if recipient.kind == RecipientKind.CARE_FUND:
        return i18n.get("gift-care-fund")
    return recipient.name


def _giver(resident: Resident | None) -> Resident:
    if resident is None:
        raise StaleAction()
    return resident


@router.message(Command("gift"), private, HasAccess(Access.RESIDENT))
async def gift_start(
    message: Message,
    state: FSMContext,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
) -> None:
    await state.clear()
    menu = await gifts.menu(session, resident)
    text = i18n.get("gift-choose", balance=str(menu.balance))
    if menu.funds is not None:
        lines = [
            i18n.get(
                "gift-fund-line",
                name=recipient_label(i18n, recipient),
                points=str(points),
                active="" if recipient.active else i18n.get("gift-inactive"),
            )
            for recipient, points in menu.funds
        ]
        text += "\n\n" + i18n.get("gift-funds") + "\n" + "\n".join(lines)
    labels = {r.id: recipient_label(i18n, r) for r in menu.recipients}
    await message.answer(
        text,
        reply_markup=kb.recipients(i18n.get, menu.recipients, labels, admin=menu.funds is not None),
    )


@router.callback_query(GiftTo.filter())
async def gift_recipient(
    query: CallbackQuery,
    callback_data: GiftTo,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    offer = await gifts.offer(session, _giver(resident), callback_data.recipient_id)
    await message_of(query).edit_text(
        i18n.get(
            "gift-how-much",
            name=recipient_label(i18n, offer.recipient),
            balance=str(offer.balance),
        ),
        reply_markup=kb.gift_amounts(i18n.get, offer.recipient.id, offer.balance),
    )


async def _ask_to_confirm(
    message: Message,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
    recipient_id: int,
    amount: int,
    *,
    edit: bool,
) -> None:
    offer = await gifts.offer(session, resident, recipient_id, amount)
    text = i18n.get(
        "gift-confirm",
        amount=str(amount),
        name=recipient_label(i18n, offer.recipient),
        after=str(offer.balance - amount),
    )
    markup = kb.gift_confirm(i18n.get, offer.recipient.id, amount, secrets.token_hex(4))
    if edit:
        await message.edit_text(text, reply_markup=markup)
    else:
        await message.answer(text, reply_markup=markup)


@router.callback_query(GiftAmount.filter(F.amount > 0))
async def gift_amount(
    query: CallbackQuery,
    callback_data: GiftAmount,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    await _ask_to_confirm(
        message_of(query),
        session,
        _giver(resident),
        i18n,
        callback_data.recipient_id,
        callback_data.amount,
        edit=True,
    )


@router.callback_query(GiftAmount.filter(F.amount == 0))
async def gift_other_amount(
    query: CallbackQuery,
    callback_data: GiftAmount,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    """The "other amount" button: the next message is the amount."""
    await gifts.get_recipient(session, _giver(resident), callback_data.recipient_id)
    await state.set_state(GiftFlow.amount)
    await state.update_data(recipient_id=callback_data.recipient_id)
    await message_of(query).edit_text(
        i18n.get("gift-type-amount"), reply_markup=kb.cancel_only(i18n.get)
    )


@router.message(StateFilter(GiftFlow.amount), private, typed)
async def gift_amount_typed(
    message: Message,
    state: FSMContext,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
) -> None:
    if not message.text:
        await message.answer(i18n.get("gift-type-amount"), reply_markup=kb.cancel_only(i18n.get))
        return
    recipient_id = (await state.get_data()).get("recipient_id")
    if not isinstance(recipient_id, int):
        await state.clear()
        raise StaleAction(DRAFT_LOST)
    amount = ledger.parse_amount(message.text)
    await _ask_to_confirm(message, session, resident, i18n, recipient_id, amount, edit=False)
    await state.clear()


@router.callback_query(GiftConfirm.filter())
async def gift_confirmed(
    query: CallbackQuery,
    callback_data: GiftConfirm,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    callback_answer: CallbackAnswer,
) -> None:
    giver = _giver(resident)
    gift = await gifts.give(
        session, giver, callback_data.recipient_id, str(callback_data.amount), callback_data.token
    )
    if not gift.created:
        callback_answer.text = i18n.get("gift-already")
        return
    balance = await ledger.cached_balance(session, giver.id)
    await message_of(query).edit_text(
        i18n.get(
            "gift-done",
            amount=str(gift.amount),
            name=recipient_label(i18n, gift.recipient),
            balance=str(balance),
        )
    )


# --- the admins' list of families ---------------------------------------------------------


@router.callback_query(GiftAdmin.filter(F.action == "add"))
async def family_add(
    query: CallbackQuery, state: FSMContext, resident: Resident | None, i18n: I18nContext
) -> None:
    require_role(_giver(resident), Role.ADMIN)
    await state.set_state(GiftFlow.family_name)
    await message_of(query).answer(
        i18n.get("gift-family-name"), reply_markup=kb.cancel_only(i18n.get)
    )


@router.callback_query(GiftAdmin.filter(F.action == "off"))
async def family_remove(
    query: CallbackQuery,
    callback_data: GiftAdmin,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    recipient = await gifts.set_active(session, _giver(resident), callback_data.recipient_id, False)
    await message_of(query).edit_text(i18n.get("gift-family-removed", name=recipient.name))


@router.message(StateFilter(GiftFlow.family_name), private, typed)
async def family_named(
    message: Message,
    state: FSMContext,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
) -> None:
    if not message.text:
        await message.answer(i18n.get("gift-family-name"), reply_markup=kb.cancel_only(i18n.get))
        return
    family = await gifts.add_family(session, resident, message.text)
    await state.clear()
    await message.answer(i18n.get("gift-family-added", name=family.name))
