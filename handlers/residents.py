"""/residents: everyone of the chief's area, filtered with buttons (pending, verified, all; a
building), in pages, searched with one typed word; applicants approved or rejected from the
list, anyone opened as a card (admins set their role from there)."""

from __future__ import annotations

import contextlib

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from linli.bot.callbacks.people import (
    ResidentsBuildings,
    ResidentsDecide,
    ResidentsList,
    ResidentsOpen,
)
from linli.bot.commands import Access, CommandSpec
from linli.bot.delivery import Delivery
from linli.bot.filters import HasAccess
from linli.bot.keyboards import people as kb
from linli.models import Resident, ResidentStatus, Role
from linli.services import DbSession, people
from linli.services import residents as resident_service
from linli.services.errors import StaleAction

router = Router(name=__name__)
router.message.filter(F.chat.type == "private", HasAccess(Access.BUILDING_CHIEF))
router.callback_query.filter(HasAccess(Access.BUILDING_CHIEF))

COMMANDS = [CommandSpec("residents", Access.BUILDING_CHIEF, "private")]


class ResidentsSearch(StatesGroup):
    word = State()  # a long list is shown: a typed word searches it


def _message(query: CallbackQuery) -> Message:
    if not isinstance(query.message, Message):
        raise StaleAction()
    return query.message


async def _view(
    session: DbSession, resident: Resident, i18n: I18nContext, view: ResidentsList, word: str
) -> tuple[str, InlineKeyboardMarkup, int]:
    """The list's text and buttons, and how many people there are under the filters but
    the status (a page past the end shows the last one: after the last applicant of a page
    was approved)."""
    found = await people.people(
        session,
        resident,
        status=view.status,
        building_id=view.building or None,
        search=word,
        limit=kb.PAGE_SIZE,
        offset=view.page * kb.PAGE_SIZE,
    )
    if not found.people and view.page > 0:
        last = max(0, -(-found.total // kb.PAGE_SIZE) - 1)
        return await _view(session, resident, i18n, view.model_copy(update={"page": last}), word)
    buildings = await people.area_buildings(session, resident)
    building = next((b for b, _g in buildings if b.id == view.building), None)
    t = i18n.get
    lines = [
        t(
            "residents-list-header",
            area=await people.area_label(session, resident),
            count=found.pending + found.verified,
            pending=found.pending,
        )
    ]
    if word:
        lines.append(t("residents-list-search", word=word))
    if building is not None:
        lines.append(t("residents-list-building", building=building.name))
    if found.people:
        first = view.page * kb.PAGE_SIZE
        lines += [
            f"{first + n}. {kb.person_label(t, person)}" for n, person in enumerate(found.people, 1)
        ]
    else:
        lines.append(t("residents-list-empty"))
    if found.total > kb.PAGE_SIZE:
        pages = -(-found.total // kb.PAGE_SIZE)
        lines.append(t("people-page", page=view.page + 1, pages=pages))
    if found.pending + found.verified > kb.PAGE_SIZE or word:
        lines.append(t("people-search-hint"))
    markup = kb.residents_list(
        t,
        found,
        view,
        several_buildings=len(buildings) > 1,
        building=building.name if building is not None else None,
    )
    return "\n".join(lines), markup, found.pending + found.verified


async def _word(state: FSMContext, search: bool) -> str:
    return str((await state.get_data()).get("word", "")) if search else ""


async def _show(
    message: Message,
    bot: Bot,
    state: FSMContext,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
    word: str,
) -> None:
    """A new list message: applicants first when there are any, else everyone. While the
    list is long (or searched) a typed word searches it; the previous list loses its
    buttons."""
    view = ResidentsList(search=bool(word))
    if (await people.people(session, resident, search=word, limit=1)).pending:
        view = ResidentsList(status="pending", search=bool(word))
    text, markup, total = await _view(session, resident, i18n, view, word)
    previous = (await state.get_data()).get("list_message")
    if previous:
        with contextlib.suppress(TelegramAPIError):
            await bot.edit_message_reply_markup(chat_id=message.chat.id, message_id=previous)
    sent = await message.answer(text, reply_markup=markup)
    if total > kb.PAGE_SIZE or word:
        await state.set_state(ResidentsSearch.word)
        await state.set_data({"word": word, "list_message": sent.message_id})
    else:
        await state.clear()


@router.message(Command("residents"))
async def residents(
    message: Message,
    command: CommandObject,
    bot: Bot,
    state: FSMContext,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
) -> None:
    """`/residents`, or `/residents <word>` to search at once."""
    await state.clear()
    word = (command.args or "").strip().split()
    await _show(message, bot, state, session, resident, i18n, word[0][:50] if word else "")


@router.message(ResidentsSearch.word, F.text, ~F.text.startswith("/"))
async def typed_word(
    message: Message,
    bot: Bot,
    state: FSMContext,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
) -> None:
    word = (message.text or "").split()
    await _show(message, bot, state, session, resident, i18n, word[0][:50] if word else "")


@router.message(ResidentsSearch.word, ~F.text.startswith("/"))
async def not_a_word(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("people-search-hint"))


@router.callback_query(ResidentsList.filter())
async def show_page(
    query: CallbackQuery,
    callback_data: ResidentsList,
    state: FSMContext,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
) -> None:
    if callback_data.status not in ("", *people.PEOPLE_STATUSES) or callback_data.page < 0:
        raise StaleAction()
    word = await _word(state, callback_data.search)
    text, markup, _total = await _view(session, resident, i18n, callback_data, word)
    await _message(query).edit_text(text, reply_markup=markup)


@router.callback_query(ResidentsBuildings.filter())
async def pick_building(
    query: CallbackQuery,
    callback_data: ResidentsBuildings,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
) -> None:
    buildings = await people.area_buildings(session, resident)
    grids = {g.id for _b, g in buildings}
    await _message(query).edit_text(
        i18n.get("residents-pick-building"),
        reply_markup=kb.residents_buildings(
            i18n.get, buildings, callback_data, grid_too=len(grids) > 1
        ),
    )


@router.callback_query(ResidentsOpen.filter())
async def open_card(
    query: CallbackQuery,
    callback_data: ResidentsOpen,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    person = await people.person(session, resident, callback_data.rid)
    target = person.resident
    home = (
        f"{person.grid.name} · {person.building.name}"
        if person.building is not None and person.grid is not None
        else "-"
    )
    pending = target.status == ResidentStatus.PENDING
    await _message(query).edit_text(
        i18n.get(
            "residents-card-person",
            name=people.shown_name(i18n.get, target),
            username=f"@{target.username}" if target.username else "-",
            home=home,
            role=i18n.get(kb.role_key(target.role)),
            status=i18n.get(f"status-{target.status.value}"),
            since=delivery.local_time(target.applied_at if pending else target.verified_at),
        ),
        reply_markup=kb.resident_card(
            i18n.get, person, callback_data, may_grant=resident.role == Role.ADMIN
        ),
    )


@router.callback_query(ResidentsDecide.filter())
async def decide(
    query: CallbackQuery,
    callback_data: ResidentsDecide,
    state: FSMContext,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
    delivery: Delivery,
    callback_answer: CallbackAnswer,
) -> None:
    """Approve or reject from the list (or a card): the applicant is told, the list is
    shown again without them."""
    if callback_data.approve:
        decision = await resident_service.approve(session, resident, callback_data.rid)
    else:
        decision = await resident_service.reject(session, resident, callback_data.rid)
    grid, building = decision.grid.name, decision.building.name
    await delivery.tell(
        decision.resident,
        "start-approved" if decision.approved else "start-rejected",
        grid=grid,
        building=building,
    )
    callback_answer.text = i18n.get(
        "residents-approved" if decision.approved else "residents-rejected",
        name=people.shown_name(i18n.get, decision.resident),
    )
    view = ResidentsList(
        status=callback_data.status,
        building=callback_data.building,
        page=callback_data.page,
        search=callback_data.search,
    )
    word = await _word(state, callback_data.search)
    text, markup, _total = await _view(session, resident, i18n, view, word)
    await _message(query).edit_text(text, reply_markup=markup)
