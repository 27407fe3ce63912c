"""/leaderboard (积分排名公示): this month or all time, the grid or the community, the top
rows and the reader's own rank; in a bound group, that group's grid without a personal
rank (an unbound group gets no answer)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext

from linli.bot.callbacks.points import Board
from linli.bot.delivery.points import board_text
from linli.bot.keyboards import points as kb
from linli.config import Settings
from linli.handlers.points.common import message_of, now_utc, shows
from linli.models import Resident
from linli.services import DbSession
from linli.services import leaderboard as board_service
from linli.services.errors import StaleAction
from linli.services.leaderboard import Period, Scope

router = Router(name=__name__)


async def _board(
    session: DbSession,
    message: Message,
    resident: Resident | None,
    settings: Settings,
    period: Period,
    scope: Scope,
) -> board_service.Board | None:
    """The board for this chat: the reader's in a private chat, the group's grid's in a
    group (None: the group is not bound)."""
    size = settings.points.leaderboard_size
    if message.chat.type == "private":
        return await board_service.for_resident(
            session, resident, period=period, scope=scope, now=now_utc(), tz=settings.tz, size=size
        )
    return await board_service.for_chat(
        session, message.chat.id, period=period, now=now_utc(), tz=settings.tz, size=size
    )


def _markup(i18n: I18nContext, board: board_service.Board) -> InlineKeyboardMarkup:
    in_group = not board.viewer
    grid_id = board.grid.id if in_group and board.grid is not None else 0
    return kb.board(i18n.get, board.period, board.scope, grid_id, in_group=in_group)


@router.message(Command("leaderboard"))
async def show(
    message: Message,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    board = await _board(session, message, resident, settings, Period.MONTH, Scope.GRID)
    if board is not None:
        await message.answer(board_text(i18n.get, board), reply_markup=_markup(i18n, board))


@router.callback_query(Board.filter())
async def switch(
    query: CallbackQuery,
    callback_data: Board,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    period, scope = board_service.parse_choice(callback_data.period, callback_data.scope)
    message = message_of(query)
    board = await _board(session, message, resident, settings, period, scope)
    if board is None:
        raise StaleAction()
    text, markup = board_text(i18n.get, board), _markup(i18n, board)
    if not shows(message, text, markup):  # the choice shown pressed again
        await message.edit_text(text, reply_markup=markup)
