"""Buttons of a /notice flow that no step took: the draft is gone (it expired, or the flow
was finished or cancelled, e.g. on another device) — "start again", and the old buttons
go — or the button belongs to an earlier step of the draft still open. Nothing is saved
either way. This router comes after every other notice router."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import or_f
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from linli.bot.callbacks.common import WhenPick
from linli.bot.callbacks.notices import (
    NBuilding,
    NConfirm,
    NDay,
    NFormat,
    NKind,
    NMonthDay,
    NRecheck,
    NRepeat,
    NSkip,
    NTarget,
    NTime,
    NWhen,
)
from linli.handlers.notices.common import DRAFT_GONE, NoticeEdit, NoticeFlow
from linli.handlers.notices.scheduling import FLOW
from linli.services.errors import StaleAction

router = Router(name=__name__)

FLOW_BUTTONS = (
    NKind,
    NFormat,
    NSkip,
    NTarget,
    NBuilding,
    NWhen,
    NRepeat,
    NDay,
    NMonthDay,
    NTime,
    NRecheck,
    NConfirm,
)
_OPEN = {*NoticeFlow.__all_states_names__, *NoticeEdit.__all_states_names__}


@router.callback_query(
    or_f(
        *(factory.filter() for factory in FLOW_BUTTONS),
        WhenPick.filter((F.flow == FLOW) & (F.at != "")),
    )
)
async def stale_flow_button(query: CallbackQuery, state: FSMContext) -> None:
    if await state.get_state() in _OPEN:
        raise StaleAction("notice-error-old-step")
    message = query.message
    if isinstance(message, Message) and message.chat.type == "private" and message.reply_markup:
        await message.edit_reply_markup(reply_markup=None)
    raise StaleAction(DRAFT_GONE)
