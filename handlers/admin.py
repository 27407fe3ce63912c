"""Community admin commands: /grant, with buttons (pick a person, a role, an area, confirm)
or typed (`/grant <user> <role> [area]`)."""

from __future__ import annotations

import contextlib
from functools import partial

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from linli.bot.callbacks.people import (
    GrantCancel,
    GrantConfirm,
    GrantPage,
    GrantRole,
    GrantUnit,
    GrantWho,
)
from linli.bot.commands import Access, CommandSpec, CommandTable
from linli.bot.delivery import Delivery
from linli.bot.filters import HasAccess
from linli.bot.keyboards import people as kb
from linli.bot.menu import set_menu_for_resident
from linli.config import Settings
from linli.models import Resident, Role
from linli.services import DbSession, people, structure
from linli.services import residents as resident_service
from linli.services.errors import StaleAction

router = Router(name=__name__)
router.message.filter(F.chat.type == "private", HasAccess(Access.ADMIN))
router.callback_query.filter(HasAccess(Access.ADMIN))

COMMANDS = [CommandSpec("grant", Access.ADMIN, "private")]


class GrantFlow(StatesGroup):
    person = State()  # the picker is shown: a typed word searches it


def _role(value: str) -> Role:
    """A role from a button (a forged value is a stale button)."""
    try:
        return Role(value)
    except ValueError:
        raise StaleAction() from None


def _message(query: CallbackQuery) -> Message:
    if not isinstance(query.message, Message):
        raise StaleAction()
    return query.message


# --- typed, or the picker -----------------------------------------------------------------------


@router.message(Command("grant"))
async def grant(
    message: Message,
    command: CommandObject,
    bot: Bot,
    state: FSMContext,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
    delivery: Delivery,
    commands: CommandTable,
    settings: Settings,
) -> None:
    """`/grant <user> <role> [area]` at once; `/grant` alone shows the people to pick from,
    `/grant <word>` searches them, `/grant @name` or a Telegram id picks that person."""
    await state.clear()
    parts = (command.args or "").split(maxsplit=2)
    if len(parts) >= 2:
        target_ref, role_name = parts[0], parts[1]
        change = await resident_service.grant(
            session, resident, target_ref, role_name, parts[2] if len(parts) > 2 else None
        )
        await message.answer(_done_text(i18n, change, settings))
        await _announce(change, delivery, commands)
        return
    word = parts[0] if parts else ""
    if word and _is_ref(word):
        target = await resident_service.find(session, word)
        await _ask_role(message, session, resident, i18n, target.id, edit=False)
        return
    await _show_people(message, bot, state, session, resident, i18n, word=word)


def _is_ref(word: str) -> bool:
    return word.startswith("@") or resident_service.parse_telegram_id(word) is not None


async def _people_view(
    session: DbSession, resident: Resident, i18n: I18nContext, page: int, word: str
) -> tuple[str, InlineKeyboardMarkup]:
    found = await people.people(
        session,
        resident,
        search=word,
        limit=kb.PAGE_SIZE,
        offset=page * kb.PAGE_SIZE,
        exclude_self=True,
    )
    if not found.people and page > 0:
        return await _people_view(session, resident, i18n, 0, word)
    lines = [
        i18n.get("grant-pick-person", count=found.total)
        if not word
        else i18n.get("grant-pick-person-found", count=found.total, word=word)
    ]
    if found.total > kb.PAGE_SIZE or word:
        lines.append(i18n.get("people-search-hint"))
    lines.append(i18n.get("grant-usage"))
    markup = kb.grant_people(i18n.get, found, page, search=bool(word))
    return "\n\n".join(lines), markup


async def _show_people(
    message: Message,
    bot: Bot,
    state: FSMContext,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
    *,
    word: str,
) -> None:
    """A new list message; the previous one (of an earlier search) loses its buttons."""
    text, markup = await _people_view(session, resident, i18n, 0, word)
    previous = (await state.get_data()).get("list_message")
    if previous:
        with contextlib.suppress(TelegramAPIError):
            await bot.edit_message_reply_markup(chat_id=message.chat.id, message_id=previous)
    sent = await message.answer(text, reply_markup=markup)
    await state.set_state(GrantFlow.person)
    await state.set_data({"word": word, "list_message": sent.message_id})


@router.message(GrantFlow.person, F.text, ~F.text.startswith("/"))
async def typed_word(
    message: Message,
    bot: Bot,
    state: FSMContext,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
) -> None:
    """One word searches the list (name, @username or building); an @username or a
    Telegram id picks that person."""
    word = (message.text or "").strip().split()[0] if (message.text or "").strip() else ""
    if word and _is_ref(word):
        target = await resident_service.find(session, word)
        await _ask_role(message, session, resident, i18n, target.id, edit=False)
        return
    await _show_people(message, bot, state, session, resident, i18n, word=word[:50])


@router.message(GrantFlow.person, ~F.text.startswith("/"))
async def not_a_word(message: Message, i18n: I18nContext) -> None:
    """A photo, a sticker... while the picker waits for a word or a button."""
    await message.answer(i18n.get("people-search-hint"))


@router.callback_query(GrantPage.filter())
async def page(
    query: CallbackQuery,
    callback_data: GrantPage,
    state: FSMContext,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
) -> None:
    word = str((await state.get_data()).get("word", "")) if callback_data.search else ""
    text, markup = await _people_view(session, resident, i18n, max(0, callback_data.page), word)
    await _message(query).edit_text(text, reply_markup=markup)


# --- role, area, confirmation ---------------------------------------------------------------


async def _ask_role(
    message: Message,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
    rid: int,
    *,
    edit: bool,
) -> None:
    person = await people.person(session, resident, rid)
    target = person.resident
    text = i18n.get(
        "grant-pick-role",
        name=people.shown_name(i18n.get, target),
        role=i18n.get(kb.role_key(target.role)),
        home=_home(person),
    )
    markup = kb.grant_roles(i18n.get, target.id, target.role)
    if edit:
        await message.edit_text(text, reply_markup=markup)
    else:
        await message.answer(text, reply_markup=markup)


def _home(person: people.Person) -> str:
    if person.building is None or person.grid is None:
        return "-"
    return f"{person.grid.name} · {person.building.name}"


@router.callback_query(GrantWho.filter())
async def picked_person(
    query: CallbackQuery,
    callback_data: GrantWho,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
) -> None:
    await _ask_role(_message(query), session, resident, i18n, callback_data.rid, edit=True)


@router.callback_query(GrantRole.filter())
async def picked_role(
    query: CallbackQuery,
    callback_data: GrantRole,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
) -> None:
    role = _role(callback_data.role)
    target = (await people.person(session, resident, callback_data.rid)).resident
    name = people.shown_name(i18n.get, target)
    if role not in resident_service.CHIEF_ROLES:
        await _confirm(query, i18n, target, name, role, 0, unit="")
        return
    grids, buildings = await people.community_units(session, resident)
    units = (
        [(g.id, g.name) for g in grids]
        if role == Role.GRID_CHIEF
        else [(b.id, f"{g.name} · {b.name}") for b, g in buildings]
    )
    await _message(query).edit_text(
        i18n.get(
            "grant-pick-grid" if role == Role.GRID_CHIEF else "grant-pick-building", name=name
        ),
        reply_markup=kb.grant_units(i18n.get, target.id, role, units),
    )


@router.callback_query(GrantUnit.filter())
async def picked_unit(
    query: CallbackQuery,
    callback_data: GrantUnit,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
) -> None:
    role = _role(callback_data.role)
    if role not in resident_service.CHIEF_ROLES:
        raise StaleAction()
    target = (await people.person(session, resident, callback_data.rid)).resident
    if role == Role.GRID_CHIEF:
        unit = (await structure.get_grid(session, callback_data.unit)).name
    else:
        building, grid = await structure.get_building(session, callback_data.unit)
        unit = f"{grid.name} · {building.name}"
    await _confirm(
        query,
        i18n,
        target,
        people.shown_name(i18n.get, target),
        role,
        callback_data.unit,
        unit=unit,
    )


async def _confirm(
    query: CallbackQuery,
    i18n: I18nContext,
    target: Resident,
    name: str,
    role: Role,
    unit_id: int,
    *,
    unit: str,
) -> None:
    key = "grant-confirm-unit" if unit else "grant-confirm"
    await _message(query).edit_text(
        i18n.get(
            key,
            name=name,
            role=i18n.get(kb.role_key(role)),
            unit=unit,
            was=i18n.get(kb.role_key(target.role)),
        ),
        reply_markup=kb.grant_confirm(i18n.get, target.id, role, unit_id),
    )


@router.callback_query(GrantConfirm.filter())
async def confirmed(
    query: CallbackQuery,
    callback_data: GrantConfirm,
    state: FSMContext,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
    delivery: Delivery,
    commands: CommandTable,
    settings: Settings,
    callback_answer: CallbackAnswer,
) -> None:
    role = _role(callback_data.role)
    unit = callback_data.unit or None
    change = await resident_service.set_role(
        session,
        resident,
        callback_data.rid,
        role,
        grid_id=unit if role == Role.GRID_CHIEF else None,
        building_id=unit if role == Role.BUILDING_CHIEF else None,
    )
    await state.clear()
    await _message(query).edit_text(_done_text(i18n, change, settings))
    callback_answer.text = i18n.get("grant-done-short")
    await _announce(change, delivery, commands)


@router.callback_query(GrantCancel.filter())
async def cancelled(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    await state.clear()
    await _message(query).edit_text(i18n.get("grant-cancelled"))


# --- after a change -------------------------------------------------------------------------


def _done_text(i18n: I18nContext, change: resident_service.RoleChange, settings: Settings) -> str:
    target = change.resident
    text = i18n.get(
        "grant-done",
        name=people.shown_name(i18n.get, target, empty=str(target.telegram_id)),
        role=i18n.get(kb.role_key(target.role)),
        unit=change.unit or "-",
    )
    if target.telegram_id in settings.admin_ids and target.role != Role.ADMIN:
        text += "\n" + i18n.get("grant-admin-ids-note")
    for handover in change.handovers:
        text += "\n" + i18n.get(
            "grant-handed-over",
            name=people.shown_name(i18n.get, handover.to),
            activities=len(handover.activities),
            notices=len(handover.notices),
        )
    return text


async def _announce(
    change: resident_service.RoleChange, delivery: Delivery, commands: CommandTable
) -> None:
    """The person gets their new menu and is told; whoever took over their activities and
    notices is told what."""
    target = change.resident
    await set_menu_for_resident(delivery.bot, delivery.translator, target, commands)
    role = delivery.translator.for_resident(target, kb.role_key(target.role))
    await delivery.tell(target, "grant-told", role=role, unit=change.unit or "-")
    for handover in change.handovers:
        tr = partial(delivery.translator.for_resident, handover.to)
        items = [
            tr(
                "handover-item-activity",
                title=activity.title,
                when=delivery.local_time(activity.starts_at),
            )
            for activity in handover.activities
        ] + [tr("handover-item-notice", id=f"N{notice.id}") for notice in handover.notices]
        await delivery.tell(
            handover.to,
            "handover-told",
            name=people.shown_name(tr, handover.previous),
            items="\n".join(items),
        )
