"""Group chats: /bind and /unbind, the bot leaving a group, hints for unbound groups and
deep-link buttons for commands that belong in a private chat."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.filters import BaseFilter, Command
from aiogram.types import (
    CallbackQuery,
    ChatMemberUpdated,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from aiogram.utils.deep_linking import create_start_link
from aiogram_i18n import I18nContext

from linli.bot.callbacks.registration import BindUnit
from linli.bot.commands import Access, CommandSpec, CommandTable
from linli.bot.keyboards import registration as kb
from linli.models import Resident
from linli.services import DbSession, bindings
from linli.services.authz import role_rank
from linli.services.errors import PermissionDenied, StaleAction

router = Router(name=__name__)
router.message.filter(F.chat.type.in_({"group", "supergroup"}))

COMMANDS = [
    CommandSpec("bind", Access.BUILDING_CHIEF, "group"),
    CommandSpec("unbind", Access.BUILDING_CHIEF, "group"),
]

ADMIN_STATUSES = {"creator", "administrator"}


class GroupCommand(BaseFilter):
    """A /command addressed to this bot (plain or /cmd@this_bot); passes `group_command`."""

    async def __call__(self, message: Message, bot: Bot) -> bool | dict[str, str]:
        text = message.text or message.caption or ""
        if not text.startswith("/"):
            return False
        head = text.split(maxsplit=1)[0][1:]
        name, _, mention = head.partition("@")
        if mention and mention.lower() != ((await bot.me()).username or "").lower():
            return False
        return {"group_command": name.lower()}


async def is_group_admin(bot: Bot, chat_id: int, user_id: int) -> bool:
    member = await bot.get_chat_member(chat_id, user_id)
    return member.status in ADMIN_STATUSES


@router.message(Command("bind"))
async def bind(
    message: Message,
    bot: Bot,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    if role_rank(resident) < Access.BUILDING_CHIEF:
        raise PermissionDenied("error-bind-not-chief")
    assert resident is not None and message.from_user is not None
    if not await is_group_admin(bot, message.chat.id, message.from_user.id):
        raise PermissionDenied("error-bind-not-group-admin")
    # A group bound to a unit the chief does not manage is not theirs to take over.
    await bindings.current_unit(session, resident, message.chat.id)
    units = await bindings.bindable_units(session, resident)
    if len(units) == 1:
        unit = await bindings.bind(
            session,
            resident,
            chat_id=message.chat.id,
            title=message.chat.title or "",
            kind=units[0].kind,
            unit_id=units[0].id,
            is_group_admin=True,
        )
        await message.answer(i18n.get("bind-done", unit=unit.label))
        return
    await message.answer(
        i18n.get("bind-which"),
        reply_markup=kb.units(units, i18n.get("unit-grid"), i18n.get("unit-building")),
    )


@router.callback_query(BindUnit.filter())
async def bind_chosen(
    query: CallbackQuery,
    callback_data: BindUnit,
    bot: Bot,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    message = query.message
    if not isinstance(message, Message) or message.chat.type not in ("group", "supergroup"):
        raise StaleAction()
    if callback_data.kind not in ("grid", "building"):
        raise StaleAction()
    if role_rank(resident) < Access.BUILDING_CHIEF:
        raise PermissionDenied("error-bind-not-chief")
    assert resident is not None
    unit = await bindings.bind(
        session,
        resident,
        chat_id=message.chat.id,
        title=message.chat.title or "",
        kind=callback_data.kind,  # type: ignore[arg-type]
        unit_id=callback_data.unit_id,
        is_group_admin=await is_group_admin(bot, message.chat.id, query.from_user.id),
    )
    await message.edit_text(i18n.get("bind-done", unit=unit.label))


@router.message(Command("unbind"))
async def unbind(
    message: Message,
    bot: Bot,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    if role_rank(resident) < Access.BUILDING_CHIEF:
        raise PermissionDenied("error-bind-not-chief")
    assert resident is not None and message.from_user is not None
    unit = await bindings.unbind(
        session,
        resident,
        chat_id=message.chat.id,
        is_group_admin=await is_group_admin(bot, message.chat.id, message.from_user.id),
    )
    await message.answer(i18n.get("unbind-done", unit=unit.label))


@router.my_chat_member(F.chat.type.in_({"group", "supergroup"}))
async def bot_membership_changed(event: ChatMemberUpdated, session: DbSession) -> None:
    if event.new_chat_member.status in ("left", "kicked"):
        await bindings.deactivate(session, event.chat.id, reason=event.new_chat_member.status)


@router.message(GroupCommand())
async def group_command(
    message: Message,
    group_command: str,
    bot: Bot,
    session: DbSession,
    i18n: I18nContext,
    commands: CommandTable,
) -> None:
    """Runs before the public group commands: refuses everything in an unbound group, and
    answers private-only commands with a button into the private chat."""
    spec = commands.get(group_command)
    if spec is None:
        return
    if await bindings.binding_for_chat(session, message.chat.id) is None:
        await message.reply(i18n.get("group-unbound"))
        return
    if spec.in_group:
        raise SkipHandler
    link = await create_start_link(bot, spec.name)
    await message.reply(
        i18n.get("group-private-only", command=spec.name),
        reply_markup=InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text=i18n.get("button-open-private"), url=link)]]
        ),
    )
