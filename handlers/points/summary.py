"""/points: the balance, this month's earnings, the rank in the grid and the latest ledger
entries; "Full ledger" pages through everything."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from linli.bot.callbacks.points import PointsHistory
from linli.bot.commands import Access
from linli.bot.filters import HasAccess
from linli.bot.keyboards import points as kb
from linli.config import Settings
from linli.handlers.points.common import message_of, now_utc, private
from linli.models import Resident
from linli.models.points import LedgerEntry, LedgerKind
from linli.services import DbSession, ledger
from linli.services import leaderboard as board_service

router = Router(name=__name__)

RECENT = 10
PAGE_SIZE = 10


def entry_line(i18n: I18nContext, entry: LedgerEntry, settings: Settings) -> str:
    """`11-05 +10 志愿活动 A3 清扫楼道` — what changed, when, and why."""
    when = entry.created_at.astimezone(settings.tz).strftime("%m-%d")
    parts = [when, f"{entry.delta:+d}", i18n.get(f"points-kind-{entry.kind.value}")]
    if entry.reference:
        parts.append(entry.reference)
    if entry.reason and entry.kind not in (LedgerKind.WISH, LedgerKind.REFUND):
        parts.append(entry.reason)
    return " ".join(parts)


@router.message(Command("points"), private, HasAccess(Access.RESIDENT))
async def show_points(
    message: Message,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    mine = await board_service.overview(session, resident, now_utc(), settings.tz, limit=RECENT)
    lines = [entry_line(i18n, e, settings) for e in mine.entries] or [i18n.get("points-no-entries")]
    text = i18n.get(
        "points-summary",
        balance=str(mine.balance),
        month=str(mine.month_earned),
        rank=str(mine.rank) if mine.rank is not None else "-",
        grid=mine.grid or "-",
    )
    await message.answer(
        text + "\n\n" + i18n.get("points-recent") + "\n" + "\n".join(lines),
        reply_markup=kb.history_button(i18n.get) if mine.total > len(mine.entries) else None,
    )


@router.callback_query(PointsHistory.filter())
async def history_page(
    query: CallbackQuery,
    callback_data: PointsHistory,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    entries, pages = await ledger.history_page(
        session, resident, callback_data.page, size=PAGE_SIZE
    )
    lines = [entry_line(i18n, e, settings) for e in entries]
    await message_of(query).edit_text(
        i18n.get("points-history", page=str(callback_data.page + 1), pages=str(pages))
        + "\n"
        + "\n".join(lines),
        reply_markup=kb.history_pages(i18n.get, callback_data.page, pages),
    )
