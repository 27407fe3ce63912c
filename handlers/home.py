"""The home menu: buttons for what a resident (or a chief) does, instead of a list of commands.

- `/start` of a verified resident (handlers/registration.py) puts the persistent "🏠 菜单"
  button under the input field and shows the menu; the button shows it again at any time.
- An entry pressed starts its flow exactly as typing its command would: the command message
  is handed to the dispatcher's routers with this update's context (same session, resident,
  FSM context), so the feature's own handler, filters and checks run. No feature handler is
  duplicated here.
- In the middle of a flow the menu button is never taken as the flow's content: the menu
  is shown and the draft is kept (answering the last question goes on with it); pressing an
  entry, or "drop", leaves the unfinished step first.

The router comes right after the groups' (handlers/__init__.py), before every flow.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aiogram import Dispatcher, F, Router
from aiogram.filters import BaseFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, MessageEntity
from aiogram_i18n import I18nContext

from linli.bot.callbacks.home import HomeDrop, HomeOpen, HomePick
from linli.bot.commands import CommandSpec, CommandTable
from linli.bot.i18n import LOCALES, Translator
from linli.bot.keyboards import home as kb
from linli.bot.menu import home_entries, home_entry
from linli.models import Resident, ResidentStatus
from linli.services import DbSession, structure
from linli.services.errors import StaleAction

router = Router(name=__name__)
router.message.filter(F.chat.type == "private")
router.callback_query.filter(F.message.chat.type == "private")

COMMANDS: list[CommandSpec] = []

MENU_WORDS = frozenset({"菜单", "主菜单", "menu", "main menu", "home"})
"""Typed words that open the menu too (compared without the icon, ignoring case)."""


def _plain(text: str) -> str:
    return text.replace("🏠", "").strip().casefold()


class MenuButton(BaseFilter):
    """The persistent menu button (its label in any language), or the word typed."""

    async def __call__(self, message: Message, translator: Translator) -> bool:
        if not message.text or len(message.text) > 20:
            return False
        labels = {_plain(translator.get("home-button", locale)) for locale in LOCALES}
        return _plain(message.text) in MENU_WORDS | labels


async def menu_text(
    session: DbSession, resident: Resident | None, i18n: I18nContext, *, in_flow: bool
) -> str:
    """What the menu says above its buttons: who may do what now."""
    if resident is not None and resident.is_verified:
        text = i18n.get("home-title", name=resident.display_name or "")
    elif resident is not None and resident.building_id is not None:
        building, grid = await structure.get_building(session, resident.building_id)
        text = (
            i18n.get("start-pending", grid=grid.name, building=building.name)
            + "\n\n"
            + i18n.get("home-pending")
        )
    else:
        text = i18n.get("home-unregistered")
    return i18n.get("home-in-flow") + "\n\n" + text if in_flow else text


async def show_menu(
    message: Message,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    commands: CommandTable,
    *,
    in_flow: bool = False,
) -> None:
    """The home menu as a new message."""
    if resident is not None and resident.status == ResidentStatus.BLOCKED:
        await message.answer(i18n.get("start-blocked"))
        return
    await message.answer(
        await menu_text(session, resident, i18n, in_flow=in_flow),
        reply_markup=kb.home_menu(i18n.get, home_entries(resident, commands), in_flow=in_flow),
    )


async def welcome(
    message: Message,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
    commands: CommandTable,
) -> None:
    """A verified resident's /start: the persistent menu button (it comes with a message of
    its own: a message carries one keyboard), then the menu."""
    await message.answer(
        i18n.get("start-welcome-back", name=resident.display_name or ""),
        reply_markup=kb.menu_button(i18n.get),
    )
    await show_menu(message, session, resident, i18n, commands)


@router.message(MenuButton())
async def menu_pressed(
    message: Message,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    commands: CommandTable,
) -> None:
    """In any state: a flow in progress keeps its draft (and is not given the word)."""
    in_flow = await state.get_state() is not None
    await show_menu(message, session, resident, i18n, commands, in_flow=in_flow)


def as_command(query: CallbackQuery, command: str) -> Message:
    """The message `/command` from the person who pressed, in the chat of the button."""
    assert query.message is not None
    text = f"/{command}"
    return Message(
        message_id=query.message.message_id,
        date=datetime.now(UTC),
        chat=query.message.chat,
        from_user=query.from_user,
        text=text,
        entities=[MessageEntity(type="bot_command", offset=0, length=len(text))],
    ).as_(query.bot)


async def run_command(
    command: str,
    query: CallbackQuery,
    dispatcher: Dispatcher,
    state: FSMContext,
    context: dict[str, Any],
) -> None:
    """Leave any unfinished step and hand `/command` to the routers, as if typed, with this
    update's context (the state just cleared)."""
    await state.clear()
    context = {k: v for k, v in context.items() if k not in ("callback_data", "callback_answer")}
    context.update(state=state, raw_state=None, dispatcher=dispatcher)
    await dispatcher.propagate_event("message", as_command(query, command), **context)


@router.callback_query(HomePick.filter())
async def entry_pressed(
    query: CallbackQuery,
    callback_data: HomePick,
    state: FSMContext,
    resident: Resident | None,
    i18n: I18nContext,
    commands: CommandTable,
    dispatcher: Dispatcher,
    **context: Any,
) -> None:
    """Start the entry's flow; the menu turns into a note of what was chosen."""
    entry = home_entry(callback_data.command)
    if entry is None or not entry.shown_to(resident, commands):
        raise StaleAction()
    if not isinstance(query.message, Message):
        raise StaleAction()
    context.update(resident=resident, i18n=i18n, commands=commands)
    await run_command(entry.command, query, dispatcher, state, context)
    await query.message.edit_text(i18n.get("home-chosen", entry=i18n.get(entry.label_key)))


@router.callback_query(HomeOpen.filter())
async def open_pressed(
    query: CallbackQuery,
    state: FSMContext,
    dispatcher: Dispatcher,
    **context: Any,
) -> None:
    """ "Open the menu" under a message: its button goes, and /start answers."""
    if not isinstance(query.message, Message):
        raise StaleAction()
    await query.message.edit_reply_markup(reply_markup=None)
    await run_command("start", query, dispatcher, state, context)


@router.callback_query(HomeDrop.filter())
async def drop_pressed(
    query: CallbackQuery,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    commands: CommandTable,
) -> None:
    """Leave the unfinished step; the menu stays, without the note and the button (with no
    step left, finished meanwhile, only the button goes). Pressed on a menu that no longer
    shows it (used already, or forged) it is stale and drops nothing."""
    if not isinstance(query.message, Message) or not _has_drop(query.message):
        raise StaleAction()
    dropped = await state.get_state() is not None
    await state.clear()
    text = await menu_text(session, resident, i18n, in_flow=False)
    await query.message.edit_text(
        (i18n.get("home-dropped") + "\n\n" if dropped else "") + text,
        reply_markup=kb.home_menu(i18n.get, home_entries(resident, commands), in_flow=False),
    )


def _has_drop(message: Message) -> bool:
    """Whether the menu `message` still shows its "drop" button."""
    drop = HomeDrop().pack()
    markup = message.reply_markup
    rows = markup.inline_keyboard if markup is not None else []
    return any(button.callback_data == drop for row in rows for button in row)
