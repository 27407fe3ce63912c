"""Volunteer points: /points, /gift, /award and /export; includes the routers of
activities, the charity shop and leaderboards."""

from __future__ import annotations

import csv
import io
import secrets
from datetime import UTC, datetime

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from linli.bot.callbacks.points import (
    CancelFlow,
    GiftAdmin,
    GiftAmount,
    GiftConfirm,
    GiftTo,
    PointsHistory,
)
from linli.bot.commands import Access, CommandSpec
from linli.bot.filters import HasAccess
from linli.bot.i18n import Translator
from linli.bot.keyboards import points as kb
from linli.bot.notify import tell
from linli.config import Settings
from linli.handlers import activities, leaderboard, rewards
from linli.models import Resident
from linli.models.points import LedgerEntry, LedgerKind, RecipientKind
from linli.services import gifts, ledger
from linli.services import leaderboard as board_service
from linli.services.errors import StaleAction

router = Router(name=__name__)
router.include_routers(activities.router, rewards.router, leaderboard.router)

COMMANDS = [
    CommandSpec("points", Access.RESIDENT, "private"),
    CommandSpec("gift", Access.RESIDENT, "private"),
    *activities.COMMANDS,
    *rewards.COMMANDS,
    *leaderboard.COMMANDS,
    CommandSpec("award", Access.GRID_CHIEF, "private"),
    CommandSpec("export", Access.GRID_CHIEF, "private"),
]

PAGE_SIZE = 10
private = F.chat.type == "private"


class GiftFlow(StatesGroup):
    amount = State()
    family_name = State()


def now_utc() -> datetime:
    return datetime.now(UTC)


def entry_line(i18n: I18nContext, entry: LedgerEntry, settings: Settings) -> str:
    """`11-05 +10 志愿活动 A3 清扫楼道` — what changed, when, and why."""
    when = entry.created_at.astimezone(settings.tz).strftime("%m-%d")
    kind = i18n.get(f"points-kind-{entry.kind.value}")
    parts = [when, f"{entry.delta:+d}", kind]
    if entry.reference:
        parts.append(entry.reference)
    if entry.reason and entry.kind not in (LedgerKind.WISH, LedgerKind.REFUND):
        parts.append(entry.reason)
    return " ".join(parts)


# --- /points ---------------------------------------------------------------------------------


@router.message(Command("points"), private, HasAccess(Access.RESIDENT))
async def show_points(
    message: Message,
    session: AsyncSession,
    resident: Resident,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    now = now_utc()
    summary = await ledger.summary(session, resident, now, settings.tz)
    grid = await board_service.grid_of(session, resident)
    rank = "-"
    if grid is not None:
        mine = await board_service.rank_in_grid(session, resident.id, grid.id)
        if mine is not None:
            rank = str(mine)
    entries, total = await ledger.history(session, resident.id, limit=10)
    lines = [entry_line(i18n, e, settings) for e in entries] or [i18n.get("points-no-entries")]
    await message.answer(
        i18n.get(
            "points-summary",
            balance=str(summary.balance),
            month=str(summary.month_earned),
            rank=rank,
            grid=grid.name if grid is not None else "-",
        )
        + "\n\n"
        + i18n.get("points-recent")
        + "\n"
        + "\n".join(lines),
        reply_markup=kb.history_button(i18n.get) if total > len(entries) else None,
    )


@router.callback_query(PointsHistory.filter())
async def history_page(
    query: CallbackQuery,
    callback_data: PointsHistory,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    if resident is None or not resident.is_verified or callback_data.page < 0:
        raise StaleAction()
    entries, total = await ledger.history(
        session, resident.id, limit=PAGE_SIZE, offset=callback_data.page * PAGE_SIZE
    )
    pages = max(1, -(-total // PAGE_SIZE))
    if callback_data.page >= pages:
        raise StaleAction()
    lines = [entry_line(i18n, e, settings) for e in entries]
    assert isinstance(query.message, Message)
    await query.message.edit_text(
        i18n.get("points-history", page=str(callback_data.page + 1), pages=str(pages))
        + "\n"
        + "\n".join(lines),
        reply_markup=kb.history_pages(i18n.get, callback_data.page, pages),
    )


# --- leaving a flow ------------------------------------------------------------------------------


@router.callback_query(CancelFlow.filter())
async def cancel_flow(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    await state.clear()
    if isinstance(query.message, Message):
        await query.message.edit_text(i18n.get("cancel-done"))


# --- /gift --------------------------------------------------------------------------------------


def recipient_label(i18n: I18nContext, kind: RecipientKind, name: str) -> str:
    return i18n.get("gift-care-fund") if kind == RecipientKind.CARE_FUND else name


@router.message(Command("gift"), private, HasAccess(Access.RESIDENT))
async def gift_start(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident,
    i18n: I18nContext,
) -> None:
    await state.clear()
    items = await gifts.recipients(session, resident)
    balance = await ledger.cached_balance(session, resident.id)
    labels = {r.id: recipient_label(i18n, r.kind, r.name) for r in items}
    text = i18n.get("gift-choose", balance=str(balance))
    if resident.is_admin:
        funds = await gifts.fund_balances(session, resident)
        text += (
            "\n\n"
            + i18n.get("gift-funds")
            + "\n"
            + "\n".join(
                i18n.get(
                    "gift-fund-line",
                    name=recipient_label(i18n, r.kind, r.name),
                    points=str(points),
                    active="" if r.active else i18n.get("gift-inactive"),
                )
                for r, points in funds
            )
        )
    await message.answer(
        text, reply_markup=kb.recipients(i18n.get, items, labels, admin=resident.is_admin)
    )


@router.callback_query(GiftTo.filter())
async def gift_recipient(
    query: CallbackQuery,
    callback_data: GiftTo,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    if resident is None:
        raise StaleAction()
    recipient = await gifts.get_recipient(session, resident, callback_data.recipient_id)
    balance = await ledger.cached_balance(session, resident.id)
    if balance <= 0:
        raise ledger.NotEnoughPoints(need="1", have="0")
    assert isinstance(query.message, Message)
    await query.message.edit_text(
        i18n.get(
            "gift-how-much",
            name=recipient_label(i18n, recipient.kind, recipient.name),
            balance=str(balance),
        ),
        reply_markup=kb.gift_amounts(i18n.get, recipient.id, balance),
    )


async def _ask_gift_confirm(
    message: Message,
    session: AsyncSession,
    resident: Resident,
    i18n: I18nContext,
    recipient_id: int,
    amount: int,
    *,
    edit: bool,
) -> None:
    recipient = await gifts.get_recipient(session, resident, recipient_id)
    balance = await ledger.cached_balance(session, resident.id)
    if amount > balance:
        raise ledger.NotEnoughPoints(need=str(amount), have=str(balance))
    text = i18n.get(
        "gift-confirm",
        amount=str(amount),
        name=recipient_label(i18n, recipient.kind, recipient.name),
        after=str(balance - amount),
    )
    markup = kb.gift_confirm(i18n.get, recipient.id, amount, secrets.token_hex(4))
    if edit:
        await message.edit_text(text, reply_markup=markup)
    else:
        await message.answer(text, reply_markup=markup)


@router.callback_query(GiftAmount.filter())
async def gift_amount(
    query: CallbackQuery,
    callback_data: GiftAmount,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    if resident is None:
        raise StaleAction()
    assert isinstance(query.message, Message)
    if callback_data.amount == 0:
        await gifts.get_recipient(session, resident, callback_data.recipient_id)
        await state.set_state(GiftFlow.amount)
        await state.update_data(recipient_id=callback_data.recipient_id)
        await query.message.edit_text(
            i18n.get("gift-type-amount"), reply_markup=kb.cancel_only(i18n.get)
        )
        return
    await _ask_gift_confirm(
        query.message,
        session,
        resident,
        i18n,
        callback_data.recipient_id,
        callback_data.amount,
        edit=True,
    )


@router.message(StateFilter(GiftFlow.amount), private, ~F.text.startswith("/"))
async def gift_amount_typed(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident,
    i18n: I18nContext,
) -> None:
    if not message.text:
        await message.answer(i18n.get("gift-type-amount"), reply_markup=kb.cancel_only(i18n.get))
        return
    amount = ledger.parse_amount(message.text)
    data = await state.get_data()
    await _ask_gift_confirm(
        message, session, resident, i18n, int(data["recipient_id"]), amount, edit=False
    )
    await state.clear()


@router.callback_query(GiftConfirm.filter())
async def gift_confirmed(
    query: CallbackQuery,
    callback_data: GiftConfirm,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
    callback_answer: CallbackAnswer,
) -> None:
    if resident is None:
        raise StaleAction()
    gift = await gifts.give(
        session,
        resident,
        callback_data.recipient_id,
        str(callback_data.amount),
        callback_data.token,
    )
    name = recipient_label(i18n, gift.recipient.kind, gift.recipient.name)
    if not gift.created:
        callback_answer.text = i18n.get("gift-already")
        return
    balance = await ledger.cached_balance(session, resident.id)
    assert isinstance(query.message, Message)
    await query.message.edit_text(
        i18n.get("gift-done", amount=str(gift.amount), name=name, balance=str(balance))
    )


@router.callback_query(GiftAdmin.filter())
async def gift_admin(
    query: CallbackQuery,
    callback_data: GiftAdmin,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    if resident is None:
        raise StaleAction()
    assert isinstance(query.message, Message)
    if callback_data.action == "add":
        await gifts.fund_balances(session, resident)  # admins only
        await state.set_state(GiftFlow.family_name)
        await query.message.answer(
            i18n.get("gift-family-name"), reply_markup=kb.cancel_only(i18n.get)
        )
    elif callback_data.action == "off":
        recipient = await gifts.set_active(session, resident, callback_data.recipient_id, False)
        await query.message.edit_text(i18n.get("gift-family-removed", name=recipient.name))
    else:
        raise StaleAction()


@router.message(StateFilter(GiftFlow.family_name), private, ~F.text.startswith("/"))
async def gift_family_named(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident,
    i18n: I18nContext,
) -> None:
    if not message.text:
        await message.answer(i18n.get("gift-family-name"), reply_markup=kb.cancel_only(i18n.get))
        return
    family = await gifts.add_family(session, resident, message.text)
    await state.clear()
    await message.answer(i18n.get("gift-family-added", name=family.name))


# --- /award -------------------------------------------------------------------------------------


@router.message(Command("award"), private, HasAccess(Access.GRID_CHIEF))
async def award(
    message: Message,
    command: CommandObject,
    bot: Bot,
    session: AsyncSession,
    resident: Resident,
    i18n: I18nContext,
    translator: Translator,
    settings: Settings,
) -> None:
    args = (command.args or "").split(maxsplit=3)
    correction = bool(args) and args[0].lower() == "correct"
    args = args[1:] if correction else (command.args or "").split(maxsplit=2)
    if len(args) < 3:
        await message.answer(i18n.get("award-usage", max=str(settings.points.award_max)))
        return
    target_ref, amount_text, reason = args
    key = f"award:{resident.id}:{message.message_id}"
    if correction:
        target, points, created = await ledger.correct(
            session,
            resident,
            target_ref=target_ref,
            amount_text=amount_text,
            reason=reason,
            idempotency_key=key,
        )
    else:
        target, points, created = await ledger.award(
            session,
            resident,
            target_ref=target_ref,
            amount_text=amount_text,
            reason=reason,
            idempotency_key=key,
            settings=settings.points,
            now=now_utc(),
            tz=settings.tz,
        )
    name = target.display_name or str(target.telegram_id)
    await message.answer(i18n.get("award-done", name=name, points=f"{points:+d}", reason=reason))
    if created:
        await tell(
            bot,
            translator,
            target,
            "award-told" if not correction else "award-corrected",
            points=f"{points:+d}",
            reason=reason,
            chief=resident.display_name or "-",
        )


# --- /export points <period> -------------------------------------------------------------------

CSV_HEADER = (
    "entry_id",
    "time",
    "telegram_id",
    "name",
    "grid",
    "building",
    "delta",
    "kind",
    "reference",
    "reason",
    "actor_id",
)


def points_csv(rows: list[ledger.ExportRow], settings: Settings) -> bytes:
    """UTF-8 with a BOM so that Excel opens Chinese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for row in rows:
        entry = row.entry
        writer.writerow(
            (
                entry.id,
                entry.created_at.astimezone(settings.tz).strftime("%Y-%m-%d %H:%M:%S"),
                row.telegram_id,
                row.name,
                row.grid,
                row.building,
                entry.delta,
                entry.kind.value,
                entry.reference or "",
                entry.reason,
                entry.actor_id or "",
            )
        )
    return buffer.getvalue().encode("utf-8-sig")


@router.message(Command("export"), private, HasAccess(Access.GRID_CHIEF))
async def export(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    resident: Resident,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    args = (command.args or "").split()
    if not args or args[0].lower() != "points" or len(args) > 2:
        await message.answer(i18n.get("export-usage"))
        return
    start, end, label = ledger.parse_period(
        args[1] if len(args) > 1 else "", now_utc(), settings.tz
    )
    rows = await ledger.export_rows(session, resident, start, end)
    await message.answer_document(
        BufferedInputFile(points_csv(rows, settings), filename=f"points-{label}.csv"),
        caption=i18n.get("export-done", period=label, count=str(len(rows))),
    )
