"""/privacy: what is stored about me, a copy of it (a JSON document), how I appear on
leaderboards, and deleting my account (with a confirmation step)."""

from __future__ import annotations

from datetime import UTC, datetime

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from linli.bot.callbacks.points import PrivacyChoice
from linli.bot.callbacks.privacy import PrivacyDelete, PrivacyMenu
from linli.bot.commands import Access, CommandSpec
from linli.bot.delivery.points import when
from linli.bot.i18n import Translator
from linli.bot.keyboards import privacy as kb
from linli.bot.notify import tell
from linli.config import Settings
from linli.models import Resident, Role
from linli.services import leaderboard as board_service
from linli.services import privacy as privacy_service
from linli.services.errors import PermissionDenied, StaleAction

router = Router(name=__name__)
router.message.filter(F.chat.type == "private")

COMMANDS = [CommandSpec("privacy", Access.ANYONE, "private")]


def now_utc() -> datetime:
    return datetime.now(UTC)


def _minutes(moment: datetime) -> int:
    return int(moment.timestamp() // 60)


def _building(resident: Resident) -> str:
    return resident.building.name if resident.building is not None else "-"


async def _menu_text(session: AsyncSession, resident: Resident, i18n: I18nContext) -> str:
    info = await privacy_service.summary(session, resident)
    counts = {key: str(value) for key, value in info.counts.items()}
    return i18n.get(
        "privacy-summary",
        name=info.name or "-",
        username=f"@{info.username}" if info.username else "-",
        telegram_id=str(info.telegram_id),
        role=i18n.get(f"role-{info.role.value.replace('_', '-')}"),
        status=i18n.get(f"status-{info.status.value}"),
        grid=info.grid or "-",
        building=info.building or "-",
        **counts,
    )


def _live(resident: Resident | None) -> Resident:
    """The caller, unless they have no account (any more)."""
    if resident is None or resident.is_deleted:
        raise StaleAction()
    return resident


@router.message(Command("privacy"))
async def privacy_menu(
    message: Message, session: AsyncSession, resident: Resident, i18n: I18nContext
) -> None:
    await message.answer(
        await _menu_text(session, resident, i18n),
        reply_markup=kb.menu(i18n.get, leaderboard=resident.is_verified),
    )


@router.callback_query(PrivacyMenu.filter())
async def menu_action(
    query: CallbackQuery,
    callback_data: PrivacyMenu,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
    callback_answer: CallbackAnswer,
    settings: Settings,
) -> None:
    resident = _live(resident)
    if not isinstance(query.message, Message):
        raise StaleAction()
    action = callback_data.action
    if action == "dl":
        now = now_utc()
        document = await privacy_service.export(session, resident, now)
        await query.message.answer_document(
            BufferedInputFile(
                privacy_service.export_json(document),
                filename=f"linli-my-data-{now.astimezone(settings.tz):%Y%m%d}.json",
            ),
            caption=i18n.get("privacy-download-caption"),
        )
        callback_answer.text = i18n.get("privacy-download-sent")
    elif action == "lb":
        if not resident.is_verified:
            raise PermissionDenied("error-not-verified")
        await query.message.edit_text(
            await _leaderboard_text(session, resident, i18n),
            reply_markup=kb.leaderboard(i18n.get, _building(resident)),
        )
    elif action == "del":
        if resident.role != Role.RESIDENT:
            raise PermissionDenied(
                "privacy-error-admin" if resident.role == Role.ADMIN else "privacy-error-chief"
            )
        await query.message.edit_text(
            i18n.get("privacy-delete-explain"),
            reply_markup=kb.confirm_delete(i18n.get, resident.id, _minutes(now_utc())),
        )
    elif action == "menu":
        await query.message.edit_text(
            await _menu_text(session, resident, i18n),
            reply_markup=kb.menu(i18n.get, leaderboard=resident.is_verified),
        )
    else:
        raise StaleAction()


# --- leaderboard: show me as ... ----------------------------------------------------------


async def _leaderboard_text(session: AsyncSession, resident: Resident, i18n: I18nContext) -> str:
    neighbour = await board_service.is_neighbour(session, resident.id)
    current = (
        i18n.get("board-neighbour", building=_building(resident))
        if neighbour
        else (resident.display_name or "-")
    )
    return i18n.get("privacy-current", shown=current)


@router.callback_query(PrivacyChoice.filter())
async def leaderboard_chosen(
    query: CallbackQuery,
    callback_data: PrivacyChoice,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    resident = _live(resident)
    await board_service.set_privacy(session, resident, callback_data.neighbour)
    shown = (
        i18n.get("board-neighbour", building=_building(resident))
        if callback_data.neighbour
        else (resident.display_name or "-")
    )
    assert isinstance(query.message, Message)
    await query.message.edit_text(i18n.get("privacy-saved", shown=shown))


# --- deleting the account ---------------------------------------------------------------------


@router.callback_query(PrivacyDelete.filter())
async def delete_answer(
    query: CallbackQuery,
    callback_data: PrivacyDelete,
    session: AsyncSession,
    resident: Resident | None,
    state: FSMContext,
    i18n: I18nContext,
    settings: Settings,
    bot: Bot,
    translator: Translator,
) -> None:
    resident = _live(resident)
    now = now_utc()
    age = _minutes(now) - callback_data.ts
    if callback_data.rid != resident.id or not 0 <= age <= settings.privacy.delete_confirm_minutes:
        raise StaleAction()
    if not isinstance(query.message, Message):
        raise StaleAction()
    if not callback_data.go:
        await query.message.edit_text(i18n.get("privacy-delete-cancelled"))
        return
    promoted = await privacy_service.delete_account(session, resident.id, now)
    await state.clear()
    await query.message.edit_text(i18n.get("privacy-deleted"))
    for moved_up in promoted:
        activity = moved_up.activity
        await tell(
            bot,
            translator,
            moved_up.resident,
            "activities-promoted",
            title=activity.title,
            time=when(activity, settings),
            place=activity.place,
        )
