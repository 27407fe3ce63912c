"""/help, /lang, /whoami and /cancel: available to everyone, in private and in groups."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from linli.bot.callbacks.registration import PickLanguage
from linli.bot.commands import Access, CommandSpec, CommandTable
from linli.bot.keyboards import registration as kb
from linli.models import Resident
from linli.services import DbSession, structure
from linli.services.authz import role_rank
from linli.services.errors import StaleAction

router = Router(name=__name__)

COMMANDS = [
    CommandSpec("help", Access.ANYONE, "both"),
    CommandSpec("lang", Access.ANYONE, "private"),
    CommandSpec("whoami", Access.ANYONE, "both"),
    CommandSpec("cancel", Access.ANYONE, "private"),
]


HELP_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("help-section-wishes", ("wish", "claim")),
    ("help-section-requests", ("complain", "my")),
    ("help-section-deliberation", ("topics", "propose", "comment")),
    ("help-section-points", ("points", "activities", "checkin", "rewards", "gift", "leaderboard")),
    ("help-section-account", ("start", "whoami", "lang", "privacy", "cancel", "help")),
)
"""/help in a private chat, grouped by what residents do. The chiefs' commands form a section
of their own; a command in no section is listed under "more"."""


def help_text(
    i18n: I18nContext, commands: CommandTable, resident: Resident | None, *, private: bool
) -> str:
    """The commands the caller may use here, in their language: grouped by what they do in a
    private chat, one list in a group."""
    rank = role_rank(resident)
    visible = commands.visible(rank, private=private)

    def line(spec: CommandSpec) -> str:
        return f"/{spec.name} — {i18n.get(spec.description_key)}"

    if not private:
        footer = "" if rank >= Access.RESIDENT else "\n\n" + i18n.get("help-group-footer")
        return i18n.get("help-header-group") + "\n" + "\n".join(map(line, visible)) + footer
    own = {spec.name: spec for spec in visible if spec.access < Access.BUILDING_CHIEF}
    sections = [(key, [own.pop(n) for n in names if n in own]) for key, names in HELP_SECTIONS]
    sections.append(("help-section-more", list(own.values())))
    chiefs = [spec for spec in visible if spec.access >= Access.BUILDING_CHIEF]
    sections.append(("help-section-chiefs", chiefs))
    if rank < Access.RESIDENT:
        header, footer = i18n.get("help-header-unverified"), i18n.get("help-unverified-footer")
    else:
        header, footer = i18n.get("help-header"), ""
    blocks = ["\n".join([i18n.get(key), *map(line, specs)]) for key, specs in sections if specs]
    return "\n\n".join([header, *blocks, *([footer] if footer else [])])


@router.message(Command("help"))
async def show_help(
    message: Message, resident: Resident | None, i18n: I18nContext, commands: CommandTable
) -> None:
    await message.answer(
        help_text(i18n, commands, resident, private=message.chat.type == "private")
    )


@router.message(Command("lang"), F.chat.type == "private")
async def choose_language(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("lang-choose"), reply_markup=kb.languages())


@router.callback_query(PickLanguage.filter())
async def language_chosen(
    query: CallbackQuery, callback_data: PickLanguage, i18n: I18nContext
) -> None:
    if callback_data.code not in ("zh", "en"):
        raise StaleAction()
    await i18n.set_locale(callback_data.code)
    if isinstance(query.message, Message):
        await query.message.edit_text(i18n.get("lang-set"))


@router.message(Command("whoami"))
async def whoami(
    message: Message, session: DbSession, resident: Resident | None, i18n: I18nContext
) -> None:
    if resident is None:
        await message.answer(i18n.get("whoami-stranger"))
        return
    grid_name = building_name = "-"
    if resident.building_id is not None:
        building, grid = await structure.get_building(session, resident.building_id)
        grid_name, building_name = grid.name, building.name
    area = "-"
    if resident.chief_grid is not None:
        area = resident.chief_grid.name
    elif resident.chief_building is not None:
        area = resident.chief_building.name
    role = i18n.get(f"role-{resident.role.value.replace('_', '-')}")
    status = i18n.get(f"status-{resident.status.value}")
    if message.chat.type != "private":
        await message.answer(
            i18n.get("whoami-short", name=resident.display_name, role=role, status=status)
        )
        return
    await message.answer(
        i18n.get(
            "whoami",
            name=resident.display_name or "-",
            telegram_id=str(resident.telegram_id),
            role=role,
            status=status,
            grid=grid_name,
            building=building_name,
            area=area,
        )
    )


@router.message(Command("cancel"), F.chat.type == "private")
async def cancel(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    if await state.get_state() is None:
        await message.answer(i18n.get("cancel-nothing"))
        return
    await state.clear()
    await message.answer(i18n.get("cancel-done"))
