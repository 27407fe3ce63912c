"""The needs list (需求清单): /needs and the menu's section, a need's card with the buttons its
reader may use (residents of its scope support it; a chief of its scope declines it with a
reason)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from linli.bot.callbacks.partners import Hub, NeedAct
from linli.bot.keyboards import partners as kb
from linli.handlers.partners.common import message_of, now_utc, private, typed
from linli.models import Resident
from linli.services import DbSession
from linli.services import needs as need_service
from linli.services.errors import StaleAction
from linli.services.needs import NeedAction
from linli.services.partners import Section

router = Router(name=__name__)


class NeedDecline(StatesGroup):
    reason = State()


def card_text(i18n: I18nContext, found: need_service.NeedCard) -> str:
    need = found.need
    lines = [
        i18n.get("need-card-title", code=need.code, category=need.category.value),
        need.title,
        i18n.get("need-card-scope", scope=need.scope.value, place=found.place.label or "-"),
        i18n.get("need-card-urgency", urgency=need.urgency.value),
        i18n.get("need-card-state", state=need.state.value),
    ]
    if need.beneficiaries:
        lines.append(i18n.get("need-card-beneficiaries", who=need.beneficiaries))
    if need.source_code:
        lines.append(
            i18n.get(
                "need-card-source",
                kind=need.source_kind.value if need.source_kind else "",
                code=need.source_code,
            )
        )
    lines.append(i18n.get("need-card-support", count=need.support_count))
    if found.projects:
        lines.append(
            i18n.get("need-card-projects", codes=i18n.get("partner-separator").join(found.projects))
        )
    if need.reason:
        lines.append(i18n.get("need-card-reason", reason=need.reason))
    if found.supported:
        lines.append(i18n.get("need-card-supported"))
    return "\n".join(lines)


async def show_list(
    message: Message,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    *,
    edit: bool,
) -> None:
    items = await need_service.listing(session, resident)
    can_add = resident is not None and resident.is_chief
    text = i18n.get("need-list-title") if items else i18n.get("need-list-none")
    markup = kb.needs(i18n.get, items, can_add=can_add)
    if edit:
        await message.edit_text(text, reply_markup=markup)
    else:
        await message.answer(text, reply_markup=markup)


@router.message(Command("needs"), private)
async def needs_command(
    message: Message,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    await state.clear()
    await show_list(message, session, resident, i18n, edit=False)


@router.callback_query(Hub.filter(F.view == Section.NEEDS))
async def needs_section(
    query: CallbackQuery,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    await state.clear()
    await show_list(message_of(query), session, resident, i18n, edit=True)


async def show_card(
    message: Message,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    need_id: int,
    *,
    edit: bool,
) -> None:
    found = await need_service.card(session, resident, need_id)
    text = card_text(i18n, found)
    markup = kb.need_card(i18n.get, found.need.id, found.actions)
    if edit:
        await message.edit_text(text, reply_markup=markup)
    else:
        await message.answer(text, reply_markup=markup)


@router.callback_query(NeedAct.filter(F.action == "open"))
async def open_need(
    query: CallbackQuery,
    callback_data: NeedAct,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    await show_card(message_of(query), session, resident, i18n, callback_data.need_id, edit=True)


@router.callback_query(NeedAct.filter(F.action == NeedAction.SUPPORT))
async def support(
    query: CallbackQuery,
    callback_data: NeedAct,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    callback_answer: CallbackAnswer,
) -> None:
    need = await need_service.support(session, resident, callback_data.need_id, now_utc())
    callback_answer.text = i18n.get("need-supported", code=need.code, count=need.support_count)
    await show_card(message_of(query), session, resident, i18n, need.id, edit=True)


@router.callback_query(NeedAct.filter(F.action == NeedAction.DECLINE))
async def ask_reason(
    query: CallbackQuery,
    callback_data: NeedAct,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    found = await need_service.require_action(
        session, resident, callback_data.need_id, NeedAction.DECLINE
    )
    await state.set_state(NeedDecline.reason)
    await state.update_data({"need_decline": found.need.id})
    await message_of(query).answer(
        i18n.get("need-ask-reason", code=found.need.code, limit=need_service.REASON_MAX),
        reply_markup=kb.cancel_only(i18n.get),
    )


@router.message(NeedDecline.reason, private, typed)
async def got_reason(
    message: Message,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    need_id = (await state.get_data()).get("need_decline")
    if not isinstance(need_id, int):
        await state.clear()
        raise StaleAction("partner-error-draft-lost")
    need = await need_service.decline(session, resident, need_id, message.text or "", now_utc())
    await state.clear()
    await message.answer(i18n.get("need-declined", code=need.code))
    await show_card(message, session, resident, i18n, need.id, edit=False)


@router.callback_query(NeedAct.filter())
async def unknown_need_action(query: CallbackQuery) -> None:
    raise StaleAction()
