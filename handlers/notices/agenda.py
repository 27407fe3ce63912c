"""/notice → "Agenda": a recurring digest composed when it is sent (services.agenda). It
goes to one group (a grid's or one building's) and defaults to every Monday 09:00; the
other schedules are those of a recurring notice (scheduling.py)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from linli.bot.callbacks.notices import NKind, NWhen
from linli.bot.delivery import Delivery
from linli.handlers.notices.common import NoticeFlow
from linli.handlers.notices.scheduling import preview_schedule
from linli.handlers.notices.targets import ask_target
from linli.models import Resident
from linli.models.notices import NoticeKind, Repeat
from linli.services import DbSession
from linli.services import notices as notice_service

router = Router(name=__name__)


@router.callback_query(NKind.filter(F.kind == "agenda"), StateFilter(NoticeFlow.kind))
async def agenda_chosen(
    query: CallbackQuery,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    assert isinstance(query.message, Message)
    await state.update_data(kind=NoticeKind.AGENDA.value, text="")
    await query.message.edit_text(i18n.get("notice-agenda-intro"))
    await ask_target(query.message, state, session, resident, i18n)


@router.callback_query(NWhen.filter(F.kind == "agenda"), StateFilter(NoticeFlow.when))
async def default_schedule(
    query: CallbackQuery,
    state: FSMContext,
    session: DbSession,
    delivery: Delivery,
    i18n: I18nContext,
) -> None:
    schedule = {
        "repeat": Repeat.WEEKLY.value,
        "at_time": notice_service.AGENDA_DEFAULT_TIME,
        "weekdays": list(notice_service.AGENDA_DEFAULT_DAYS),
    }
    await preview_schedule(query, state, session, delivery, i18n, schedule)
