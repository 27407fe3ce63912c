"""/privacy: what is stored about me, a copy of it (a JSON document), how I appear on
leaderboards, and deleting my account (with a confirmation step)."""

from __future__ import annotations

from datetime import UTC, datetime

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from linli.bot.callbacks.points import PrivacyChoice
from linli.bot.callbacks.privacy import PrivacyDelete, PrivacyMenu
from linli.bot.commands import Access, CommandSpec
from linli.bot.delivery import Delivery
from linli.bot.keyboards import privacy as kb
from linli.config import Settings
from linli.models import Resident, Role
from linli.services import DbSession
from linli.services import leaderboard as board_service
from linli.services import privacy as privacy_service
from linli.services import wishes as wish_service
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


async def _menu_text(session: DbSession, resident: Resident, i18n: I18nContext) -> str:
    info = await privacy_service.summary(session, resident)
    counts = dict(info.counts)  # numbers: the catalogues choose plural forms
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
    message: Message, session: DbSession, resident: Resident, i18n: I18nContext
) -> None:
    await message.answer(
        await _menu_text(session, resident, i18n),
        reply_markup=kb.menu(i18n.get, leaderboard=resident.is_verified),
    )


def _menu_message(query: CallbackQuery, resident: Resident | None) -> tuple[Message, Resident]:
    """The menu message a button sits on, and the caller (who still has an account)."""
    if not isinstance(query.message, Message):
        raise StaleAction()
    return query.message, _live(resident)


@router.callback_query(PrivacyMenu.filter(F.action == "dl"))
async def download(
    query: CallbackQuery,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    callback_answer: CallbackAnswer,
    settings: Settings,
) -> None:
    message, resident = _menu_message(query, resident)
    now = now_utc()
    document = await privacy_service.export(session, resident, now)
    await message.answer_document(
        BufferedInputFile(
            privacy_service.export_json(document),
            filename=f"linli-my-data-{now.astimezone(settings.tz):%Y%m%d}.json",
        ),
        caption=i18n.get("privacy-download-caption"),
    )
    callback_answer.text = i18n.get("privacy-download-sent")


@router.callback_query(PrivacyMenu.filter(F.action == "lb"))
async def leaderboard_menu(
    query: CallbackQuery, session: DbSession, resident: Resident | None, i18n: I18nContext
) -> None:
    message, resident = _menu_message(query, resident)
    if not resident.is_verified:
        raise PermissionDenied("error-not-verified")
    await message.edit_text(
        await _leaderboard_text(session, resident, i18n),
        reply_markup=kb.leaderboard(i18n.get, _building(resident)),
    )


@router.callback_query(PrivacyMenu.filter(F.action == "del"))
async def delete_asked(query: CallbackQuery, resident: Resident | None, i18n: I18nContext) -> None:
    message, resident = _menu_message(query, resident)
    if resident.role != Role.RESIDENT:
        raise PermissionDenied(
            "privacy-error-admin" if resident.role == Role.ADMIN else "privacy-error-chief"
        )
    await message.edit_text(
        i18n.get("privacy-delete-explain"),
        reply_markup=kb.confirm_delete(i18n.get, resident.id, _minutes(now_utc())),
    )


@router.callback_query(PrivacyMenu.filter(F.action == "menu"))
async def back_to_menu(
    query: CallbackQuery, session: DbSession, resident: Resident | None, i18n: I18nContext
) -> None:
    message, resident = _menu_message(query, resident)
    await message.edit_text(
        await _menu_text(session, resident, i18n),
        reply_markup=kb.menu(i18n.get, leaderboard=resident.is_verified),
    )


# --- leaderboard: show me as ... ----------------------------------------------------------


async def _leaderboard_text(session: DbSession, resident: Resident, i18n: I18nContext) -> str:
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
    session: DbSession,
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


def _delete_button(
    query: CallbackQuery, button: PrivacyDelete, resident: Resident | None, settings: Settings
) -> tuple[Message, Resident]:
    """A confirmation button is good for the account it was made for, for a few minutes."""
    message, resident = _menu_message(query, resident)
    age = _minutes(now_utc()) - button.ts
    if button.rid != resident.id or not 0 <= age <= settings.privacy.delete_confirm_minutes:
        raise StaleAction()
    return message, resident


@router.callback_query(PrivacyDelete.filter(~F.go))
async def delete_cancelled(
    query: CallbackQuery,
    callback_data: PrivacyDelete,
    resident: Resident | None,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    message, _ = _delete_button(query, callback_data, resident, settings)
    await message.edit_text(i18n.get("privacy-delete-cancelled"))


@router.callback_query(PrivacyDelete.filter(F.go))
async def delete_confirmed(
    query: CallbackQuery,
    callback_data: PrivacyDelete,
    session: DbSession,
    resident: Resident | None,
    state: FSMContext,
    i18n: I18nContext,
    settings: Settings,
    delivery: Delivery,
) -> None:
    message, resident = _delete_button(query, callback_data, resident, settings)
    deleted = await privacy_service.delete_account(session, resident.id, now_utc())
    await state.clear()
    await message.edit_text(i18n.get("privacy-deleted"))
    await _tell_others(session, delivery, deleted)


async def _tell_others(
    session: DbSession, delivery: Delivery, deleted: privacy_service.Deleted
) -> None:
    """Whoever the deletion changed something for is told: a seat that came free, a wish
    back in the pool (its author), a claimed wish withdrawn (its claimer); the wishes'
    group posts show their new state."""
    for moved_up in deleted.promoted:
        activity = moved_up.activity
        await delivery.tell(
            moved_up.resident,
            "activities-promoted",
            title=activity.title,
            time=(
                f"{delivery.local_time(activity.starts_at)}"
                f"–{delivery.local_time(activity.ends_at, '%H:%M')}"
            ),
            place=activity.place,
        )
    for wish_id in deleted.released:
        data = await wish_service.info(session, wish_id)
        await delivery.wishes.refresh_posts(session, data)
        author = data.author or data.entered_by
        if author is not None:
            await delivery.tell(author, "privacy-wish-released", code=data.wish.code)
    for wish_id in deleted.withdrawn:
        data = await wish_service.info(session, wish_id)
        await delivery.wishes.refresh_posts(session, data)
        await delivery.wishes.withdrawn(data.wish, data.claimer)
