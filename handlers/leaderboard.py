"""/leaderboard (积分排名公示), in private chats and in bound groups."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from linli.bot.callbacks.points import Board
from linli.bot.commands import Access, CommandSpec
from linli.bot.keyboards import points as kb
from linli.config import Settings
from linli.models import Resident
from linli.services import bindings, ledger, structure
from linli.services import leaderboard as board_service
from linli.services.authz import require_verified
from linli.services.errors import StaleAction

router = Router(name=__name__)

COMMANDS = [CommandSpec("leaderboard", Access.RESIDENT, "both")]


def display_name(t: Callable[..., str], row: board_service.Standing) -> str:
    if row.as_neighbour:
        return t("board-neighbour", building=row.building)
    return row.name or t("board-neighbour", building=row.building)


def board_lines(t: Callable[..., str], rows: list[board_service.Standing]) -> list[str]:
    return [
        t("board-line", rank=str(row.rank), name=display_name(t, row), points=str(row.points))
        for row in rows
    ]


async def render(
    session: AsyncSession,
    i18n: I18nContext,
    settings: Settings,
    *,
    period: str,
    scope: str,
    grid_id: int | None,
    community_id: int | None,
    viewer: Resident | None,
) -> str:
    now = datetime.now(UTC)
    start = end = None
    if period == "m":
        start = ledger.month_start(now, settings.tz)
        end = ledger.next_month(start)
    rows = await board_service.standings(
        session,
        community_id=community_id,
        grid_id=grid_id if scope == "g" else None,
        start=start,
        end=end,
    )
    if scope == "g" and grid_id is not None:
        unit = (await structure.get_grid(session, grid_id)).name
    else:
        unit = i18n.get("board-community")
    title = i18n.get(
        "board-title",
        unit=unit,
        period=i18n.get("board-month" if period == "m" else "board-all"),
    )
    top = rows[: settings.points.leaderboard_size]
    lines = board_lines(i18n.get, top) or [i18n.get("board-empty")]
    text = title + "\n" + "\n".join(lines)
    if viewer is not None:
        mine = board_service.rank_of(rows, viewer.id)
        text += "\n\n" + (
            i18n.get("board-you", rank=str(mine.rank), points=str(mine.points))
            if mine is not None
            else i18n.get("board-you-none")
        )
    return text


@router.message(Command("leaderboard"))
async def show(
    message: Message,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    if message.chat.type == "private":
        resident = require_verified(resident)
        grid = await board_service.grid_of(session, resident)
        grid_id = grid.id if grid is not None else None
        community_id = grid.community_id if grid is not None else resident.community_id
        scope = "g" if grid_id is not None else "c"
        text = await render(
            session,
            i18n,
            settings,
            period="m",
            scope=scope,
            grid_id=grid_id,
            community_id=community_id,
            viewer=resident,
        )
        await message.answer(text, reply_markup=kb.board(i18n.get, "m", scope, 0, in_group=False))
        return
    binding = await bindings.binding_for_chat(session, message.chat.id)
    if binding is None:
        return
    grid = await bindings.grid_of_chat(session, binding)
    text = await render(
        session,
        i18n,
        settings,
        period="m",
        scope="g",
        grid_id=grid.id,
        community_id=grid.community_id,
        viewer=None,
    )
    await message.answer(text, reply_markup=kb.board(i18n.get, "m", "g", grid.id, in_group=True))


@router.callback_query(Board.filter())
async def switch(
    query: CallbackQuery,
    callback_data: Board,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    if callback_data.period not in ("m", "a") or callback_data.scope not in ("g", "c"):
        raise StaleAction()
    message = query.message
    if not isinstance(message, Message):
        raise StaleAction()
    if message.chat.type != "private":
        binding = await bindings.binding_for_chat(session, message.chat.id)
        if binding is None:
            raise StaleAction()
        grid = await bindings.grid_of_chat(session, binding)
        grid_id, community_id, scope, viewer = grid.id, grid.community_id, "g", None
    else:
        viewer = require_verified(resident)
        grid = await board_service.grid_of(session, viewer)
        grid_id = grid.id if grid is not None else None
        community_id = grid.community_id if grid is not None else viewer.community_id
        scope = callback_data.scope if grid_id is not None else "c"
    text = await render(
        session,
        i18n,
        settings,
        period=callback_data.period,
        scope=scope,
        grid_id=grid_id,
        community_id=community_id,
        viewer=viewer,
    )
    await message.edit_text(
        text,
        reply_markup=kb.board(
            i18n.get,
            callback_data.period,
            scope,
            grid_id if viewer is None and grid_id is not None else 0,
            in_group=viewer is None,
        ),
    )
