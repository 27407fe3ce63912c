"""Partner units: the admins' list, registering a unit (one question per message, then the
contact's invitation link), a unit's page with the buttons its reader may use, a new
invitation for the contact and the members' link."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from linli.bot.callbacks.partners import Hub, Step, UnitAct, UnitKindPick, UnitOpen
from linli.bot.delivery import Delivery
from linli.bot.keyboards import partners as kb
from linli.config import Settings
from linli.handlers.partners.common import (
    draft,
    message_of,
    now_utc,
    private,
    remember,
    typed,
)
from linli.models import Resident
from linli.services import DbSession, partner_invites
from linli.services import partners as partner_service
from linli.services.errors import PermissionDenied
from linli.services.partners import Section, UnitAction

router = Router(name=__name__)
DRAFT = "unit_new"


class UnitNew(StatesGroup):
    name = State()
    kind = State()
    address = State()
    contact = State()
    confirm = State()


# --- the admins' list and registering a unit ---------------------------------------------------


@router.callback_query(Hub.filter(F.view == Section.UNITS))
async def list_units(
    query: CallbackQuery, session: DbSession, resident: Resident | None, i18n: I18nContext
) -> None:
    await partner_service.require_section(session, resident, Section.UNITS)
    units = await partner_service.list_units(session, resident)
    text = i18n.get("partner-units-title") if units else i18n.get("partner-units-none")
    await message_of(query).edit_text(text, reply_markup=kb.units(i18n.get, units))


@router.callback_query(UnitAct.filter((F.action == "new") & (F.unit_id == 0)))
async def new_unit(
    query: CallbackQuery,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    await partner_service.require_admin(session, resident)
    await state.set_state(UnitNew.name)
    await state.update_data({DRAFT: {}})
    await message_of(query).answer(
        i18n.get("partner-unit-ask-name", limit=str(partner_service.NAME_MAX)),
        reply_markup=kb.cancel_only(i18n.get),
    )


@router.message(UnitNew.name, private, typed)
async def got_name(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await draft(state, DRAFT)
    name = partner_service.check_text(message.text, partner_service.NAME_MAX)
    await remember(state, DRAFT, name=name)
    await state.set_state(UnitNew.kind)
    await message.answer(i18n.get("partner-unit-ask-kind"), reply_markup=kb.unit_kinds(i18n.get))


@router.callback_query(UnitNew.kind, UnitKindPick.filter())
async def got_kind(
    query: CallbackQuery, callback_data: UnitKindPick, state: FSMContext, i18n: I18nContext
) -> None:
    await draft(state, DRAFT)
    await remember(state, DRAFT, kind=callback_data.kind)
    await state.set_state(UnitNew.address)
    await message_of(query).edit_text(
        i18n.get("partner-unit-ask-address", limit=str(partner_service.ADDRESS_MAX)),
        reply_markup=kb.skip_or_cancel(i18n.get),
    )


@router.message(UnitNew.address, private, typed)
async def got_address(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await draft(state, DRAFT)
    address = partner_service.check_text(message.text, partner_service.ADDRESS_MAX)
    await remember(state, DRAFT, address=address)
    await _ask_contact(message, state, i18n)


@router.callback_query(UnitNew.address, Step.filter(F.action == "skip"))
async def skipped_address(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    await draft(state, DRAFT)
    await remember(state, DRAFT, address="")
    await _ask_contact(message_of(query), state, i18n)


async def _ask_contact(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await state.set_state(UnitNew.contact)
    await message.answer(
        i18n.get("partner-unit-ask-contact", limit=str(partner_service.NAME_MAX)),
        reply_markup=kb.cancel_only(i18n.get),
    )


@router.message(UnitNew.contact, private, typed)
async def got_contact(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await draft(state, DRAFT)
    contact = partner_service.check_text(message.text, partner_service.NAME_MAX)
    data = await remember(state, DRAFT, contact=contact)
    await state.set_state(UnitNew.confirm)
    await message.answer(
        i18n.get(
            "partner-unit-preview",
            name=data["name"],
            kind=data["kind"],
            address=data.get("address") or "-",
            contact=contact,
        ),
        reply_markup=kb.confirm(i18n.get),
    )


@router.message(UnitNew.kind, private, typed)
@router.message(UnitNew.confirm, private, typed)
async def expected_button(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("expected-button"))


@router.callback_query(UnitNew.confirm, Step.filter(F.action == "confirm"))
async def confirmed(
    query: CallbackQuery,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
    settings: Settings,
) -> None:
    data = await draft(state, DRAFT)
    unit, invitation = await partner_invites.register_unit(
        session,
        resident,
        name=str(data.get("name", "")),
        kind=str(data.get("kind", "")),
        address=str(data.get("address", "")),
        contact_name=str(data.get("contact", "")),
        now=now_utc(),
        days=settings.partners.contact_invite_days,
    )
    await state.clear()
    await message_of(query).edit_text(
        i18n.get(
            "partner-unit-registered",
            code=unit.code,
            name=unit.name,
            contact=unit.contact_name,
            link=await delivery.partners.link(invitation.payload),
            until=delivery.local_time(invitation.expires_at),
        ),
        reply_markup=kb.unit_card(i18n.get, unit.id, []),
    )


# --- a unit's page -----------------------------------------------------------------------------


async def unit_text(
    i18n: I18nContext, view: partner_service.UnitView, mine: partner_service.Standing
) -> str:
    unit = view.unit
    if view.contact is not None:
        contact = i18n.get("partner-unit-contact", name=view.contact.display_name or "-")
    else:
        contact = i18n.get("partner-unit-contact-invited", name=unit.contact_name or "-")
    lines = [
        i18n.get("partner-unit-title", code=unit.code, name=unit.name, kind=unit.kind.value),
        i18n.get("partner-unit-address", address=unit.address or "-"),
        contact,
        i18n.get("partner-unit-state", state=unit.state.value),
        i18n.get(
            "partner-unit-members",
            count=view.members,
            pending=view.pending,
        ),
        i18n.get("partner-unit-resources", count=view.resources),
    ]
    own = mine.membership is not None and mine.membership.unit_id == unit.id
    if own and mine.is_pending:
        lines.append(i18n.get("partner-unit-you-pending"))
    elif own and mine.membership is not None:
        value = "yes" if mine.membership.party_member else "no"
        lines.append(i18n.get("partner-unit-you-party", value=value))
    return "\n".join(lines)


async def show_unit(
    message: Message,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    unit_id: int,
    *,
    edit: bool,
) -> None:
    view = await partner_service.unit_view(session, resident, unit_id)
    assert resident is not None
    mine = await partner_service.standing(session, resident)
    text = await unit_text(i18n, view, mine)
    own = mine.membership is not None and mine.membership.unit_id == unit_id
    markup = kb.unit_card(i18n.get, unit_id, view.actions, party=own and mine.is_member)
    if edit:
        await message.edit_text(text, reply_markup=markup)
    else:
        await message.answer(text, reply_markup=markup)


@router.callback_query(UnitOpen.filter())
async def open_unit(
    query: CallbackQuery,
    callback_data: UnitOpen,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    await state.clear()
    await show_unit(message_of(query), session, resident, i18n, callback_data.unit_id, edit=True)


@router.callback_query(Hub.filter(F.view == Section.UNIT))
async def my_unit(
    query: CallbackQuery, session: DbSession, resident: Resident | None, i18n: I18nContext
) -> None:
    mine = await partner_service.require_section(session, resident, Section.UNIT)
    if mine.unit is None:
        raise PermissionDenied("partner-error-not-member")
    await show_unit(message_of(query), session, resident, i18n, mine.unit.id, edit=True)


@router.callback_query(UnitAct.filter(F.action == UnitAction.INVITE))
async def invite_contact(
    query: CallbackQuery,
    callback_data: UnitAct,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
    settings: Settings,
) -> None:
    invitation = await partner_invites.invite_contact(
        session, resident, callback_data.unit_id, now_utc(), settings.partners.contact_invite_days
    )
    unit = await partner_service.get_unit(session, callback_data.unit_id)
    await message_of(query).answer(
        i18n.get(
            "partner-unit-contact-link",
            name=unit.name,
            link=await delivery.partners.link(invitation.payload),
            until=delivery.local_time(invitation.expires_at),
        )
    )


@router.callback_query(UnitAct.filter(F.action == UnitAction.LINK))
async def members_link(
    query: CallbackQuery,
    callback_data: UnitAct,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
    settings: Settings,
) -> None:
    invitation = await partner_invites.member_link(
        session, resident, callback_data.unit_id, now_utc(), settings.partners.member_link_days
    )
    unit = await partner_service.get_unit(session, callback_data.unit_id)
    await message_of(query).answer(
        i18n.get(
            "partner-unit-members-link",
            name=unit.name,
            link=await delivery.partners.link(invitation.payload),
            until=delivery.local_time(invitation.expires_at),
        )
    )


@router.callback_query(UnitAct.filter(F.action == "party"))
async def party_question(
    query: CallbackQuery,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    """A member changes their party-member registration (the answer is links.party_answer)."""
    await partner_service.require_member(session, resident)
    await message_of(query).answer(i18n.get("partner-party-ask"), reply_markup=kb.party(i18n.get))
