"""Mobile grid members, for grid chiefs and admins: the list of their area's, inviting one (what
they do; admins also the grid or the whole community) with a single-use link, taking one off
(asks first). Their own side is snap.py."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from linli.bot.callbacks.partners import GridPick, Hub, MobileAct, MobileKindPick
from linli.bot.delivery import Delivery
from linli.bot.keyboards import partners as kb
from linli.config import Settings
from linli.handlers.partners.common import draft, message_of, now_utc
from linli.models import Resident
from linli.services import DbSession, hazards
from linli.services.errors import StaleAction
from linli.services.partners import Section

router = Router(name=__name__)
DRAFT = "mobile_invite"


class MobileInvite(StatesGroup):
    grid = State()


async def _list(
    message: Message, session: DbSession, resident: Resident | None, i18n: I18nContext
) -> None:
    rows = await hazards.mobile_members(session, resident)
    items = [
        (
            row.mobile.id,
            i18n.get(
                "mobile-line",
                name=row.resident.display_name or "-",
                kind=row.mobile.kind.value,
                grid=row.grid or i18n.get("project-whole-community"),
            ),
        )
        for row in rows
    ]
    text = i18n.get("mobile-title", count=len(items)) if items else i18n.get("mobile-none")
    await message.edit_text(text, reply_markup=kb.mobile_members(i18n.get, items))


@router.callback_query(Hub.filter(F.view == Section.MOBILE))
async def mobile_section(
    query: CallbackQuery,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    await state.clear()
    await _list(message_of(query), session, resident, i18n)


@router.callback_query(MobileAct.filter((F.action == "invite") & (F.mobile_id == 0)))
async def ask_kind(
    query: CallbackQuery, session: DbSession, resident: Resident | None, i18n: I18nContext
) -> None:
    await hazards.grid_choices(session, resident)  # grid chiefs and admins only
    await message_of(query).answer(
        i18n.get("mobile-ask-kind"), reply_markup=kb.mobile_kinds(i18n.get)
    )


@router.callback_query(MobileKindPick.filter())
async def got_kind(
    query: CallbackQuery,
    callback_data: MobileKindPick,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
    settings: Settings,
) -> None:
    grids = await hazards.grid_choices(session, resident)
    if len(grids) == 1:
        await _invite(
            message_of(query),
            session,
            resident,
            i18n,
            delivery,
            settings,
            callback_data.kind,
            grids[0][0],
        )
        return
    await state.set_state(MobileInvite.grid)
    await state.update_data({DRAFT: {"kind": callback_data.kind}})
    items = [(g, name or i18n.get("project-whole-community")) for g, name in grids]
    await message_of(query).edit_text(
        i18n.get("mobile-ask-grid"), reply_markup=kb.choose_one(i18n.get, "grid", items)
    )


@router.callback_query(MobileInvite.grid, GridPick.filter())
async def got_grid(
    query: CallbackQuery,
    callback_data: GridPick,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
    settings: Settings,
) -> None:
    data = await draft(state, DRAFT)
    await state.clear()
    await _invite(
        message_of(query),
        session,
        resident,
        i18n,
        delivery,
        settings,
        str(data.get("kind", "")),
        callback_data.grid_id,
    )


async def _invite(
    message: Message,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
    settings: Settings,
    kind: str,
    grid_id: int,
) -> None:
    invitation = await hazards.invite_mobile(
        session, resident, kind, grid_id, now_utc(), settings.partners.mobile_invite_days
    )
    link = await delivery.partners.link(invitation.payload)
    await message.edit_text(
        i18n.get("mobile-invited", link=link, until=delivery.local_time(invitation.expires_at)),
        reply_markup=kb.menu_button(i18n.get),
    )


@router.callback_query(MobileAct.filter(F.action == "remove"))
async def ask_remove(
    query: CallbackQuery,
    callback_data: MobileAct,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    rows = {row.mobile.id: row for row in await hazards.mobile_members(session, resident)}
    row = rows.get(callback_data.mobile_id)
    if row is None:
        raise StaleAction("partner-error-handled")
    await message_of(query).edit_text(
        i18n.get("mobile-remove-ask", name=row.resident.display_name or "-"),
        reply_markup=kb.mobile_remove_sure(i18n.get, row.mobile.id),
    )


@router.callback_query(MobileAct.filter(F.action == "removed"))
async def removed(
    query: CallbackQuery,
    callback_data: MobileAct,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    person = await hazards.remove_mobile(session, resident, callback_data.mobile_id, now_utc())
    await message_of(query).edit_text(i18n.get("mobile-removed", name=person.display_name or "-"))
    await delivery.tell(person, "mobile-removed-you")
    await delivery.partners.after_standing_changed(session, person)


@router.callback_query(MobileAct.filter())
async def unknown_mobile_action(query: CallbackQuery) -> None:
    raise StaleAction()
