"""`/my` (a resident's wishes and complaints) and `/queue` (what a chief's area has open):
two lists of micro-wishes and complaints, one pager."""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from linli.bot.callbacks.complaints import ComplaintAct, ComplaintView, MyPage, QueuePage
from linli.bot.callbacks.wishes import WishAct
from linli.bot.commands import Access
from linli.bot.filters import HasAccess
from linli.bot.keyboards import complaints as kb
from linli.config import Settings
from linli.handlers.casework_common import now, title_of
from linli.models import Resident
from linli.services import DbSession, casework
from linli.services.casework import CaseItem, CaseKind

router = Router(name=__name__)


def _open(item: CaseItem, complaint_view: ComplaintView) -> CallbackData:
    if item.kind == CaseKind.WISH:
        return WishAct(wish_id=item.id, action="open")
    return ComplaintAct(complaint_id=item.id, action=complaint_view)


def _mine(i18n: I18nContext, item: CaseItem) -> tuple[str, CallbackData]:
    """Own items by their first words; a complaint someone else filed by its category."""
    title = (
        title_of(item.text, item.voice, i18n.get)
        if item.own and (item.text or item.voice)
        else i18n.get(f"casework-{item.kind}-category", category=item.category)
    )
    label = i18n.get(f"casework-my-{item.kind}", code=item.code, title=title, status=item.status)
    return label, _open(item, ComplaintView.MINE)


def _queued(i18n: I18nContext, item: CaseItem) -> tuple[str, CallbackData]:
    label = i18n.get(
        f"casework-queue-{item.kind}",
        overdue="yes" if item.overdue else "no",
        code=item.code,
        category=item.category,
        building=item.building,
        status=item.status,
    )
    return label, _open(item, ComplaintView.OPEN)


@dataclass(frozen=True)
class CaseList:
    """One list: how to load it, label its rows, page it, and its texts."""

    load: Callable[[DbSession, Resident | None, Settings], Awaitable[list[CaseItem]]]
    row: Callable[[I18nContext, CaseItem], tuple[str, CallbackData]]
    page: type[MyPage] | type[QueuePage]
    header: str
    empty: str


MY = CaseList(
    load=lambda session, actor, settings: casework.my_items(session, actor),
    row=_mine,
    page=MyPage,
    header="casework-my-header",
    empty="casework-my-empty",
)
QUEUE = CaseList(
    load=lambda session, actor, settings: casework.queue_items(
        session, actor, now(), settings.casework
    ),
    row=_queued,
    page=QueuePage,
    header="casework-queue-header",
    empty="casework-queue-empty",
)

COMMANDS = {"my": MY, "queue": QUEUE}
PAGED: dict[type[CallbackData], CaseList] = {MyPage: MY, QueuePage: QUEUE}


async def show(
    message: Message,
    view: CaseList,
    page: int,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    settings: Settings,
    *,
    edit: bool,
) -> None:
    """Page `page` of the list: a new message for the command (or "nothing here"), the
    same message edited for ◀ ▶."""
    items = await view.load(session, resident, settings)
    if not items and not edit:
        await message.answer(i18n.get(view.empty))
        return
    size = settings.casework.page_size
    pages = max(1, math.ceil(len(items) / size))
    page = min(max(page, 0), pages - 1)
    rows = [view.row(i18n, item) for item in items[page * size : (page + 1) * size]]
    markup = kb.paged_list(rows, page, pages, lambda p: view.page(page=p))
    header = i18n.get(view.header, count=len(items))
    if edit:
        await message.edit_text(header, reply_markup=markup)
    else:
        await message.answer(header, reply_markup=markup)


@router.message(Command("my"), HasAccess(Access.RESIDENT))
@router.message(Command("queue"), HasAccess(Access.BUILDING_CHIEF))
async def list_command(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    await state.clear()
    view = COMMANDS[command.command.lower()]
    await show(message, view, 0, session, resident, i18n, settings, edit=False)


@router.callback_query(MyPage.filter())
@router.callback_query(QueuePage.filter())
async def turn_page(
    query: CallbackQuery,
    callback_data: MyPage | QueuePage,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    view = PAGED[type(callback_data)]
    assert isinstance(query.message, Message)
    await show(
        query.message, view, callback_data.page, session, resident, i18n, settings, edit=True
    )
