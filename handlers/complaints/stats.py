"""`/stats` for chiefs (complaints and wishes of their area in a month) and `/handlers`
(a grid chief's named handlers, e.g. the property company)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from linli.bot.callbacks.complaints import HandlerRemove
from linli.bot.commands import Access
from linli.bot.delivery.points import unusual_text
from linli.bot.filters import HasAccess
from linli.bot.keyboards import complaints as kb
from linli.config import Settings
from linli.handlers.casework_common import command_arg, now
from linli.models import Resident
from linli.models.complaints import ComplaintHandler
from linli.services import DbSession, casework_stats, ledger
from linli.services import complaints as complaint_service
from linli.services.authz import require_verified
from linli.services.errors import ValidationFailed

router = Router(name=__name__)


def _fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _pct(value: float | None) -> str:
    """A share as "75%", or "-" when nothing counts yet."""
    return "-" if value is None else f"{value:.0f}%"


@router.message(Command("stats"), HasAccess(Access.BUILDING_CHIEF))
async def stats(
    message: Message,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    moment = now()
    start, end, label = casework_stats.month_bounds(command_arg(message.text), moment, settings.tz)
    result = await casework_stats.compute(
        session, resident, start, end, settings.casework, now=moment
    )
    await message.answer(
        i18n.get(
            "casework-stats",
            period=label,
            received=str(result.received),
            in_time=_pct(result.accepted_in_time_pct),
            accept_hours=_fmt(result.median_accept_hours),
            resolve_hours=_fmt(result.median_resolve_hours),
            resolved=_pct(result.resolved_pct),
            rating=_fmt(result.average_rating),
            ratings=result.ratings,
            wishes_posted=str(result.wishes_posted),
            wishes_fulfilled=str(result.wishes_fulfilled),
        )
    )
    unusual = await ledger.unusual_credits(session, resident, start, end, settings.points)
    if unusual:
        await message.answer(unusual_text(i18n.get, unusual))


def _handlers_list(
    i18n: I18nContext, rows: list[ComplaintHandler]
) -> tuple[str, InlineKeyboardMarkup | None]:
    key = "complaint-handlers-list" if rows else "complaint-handlers-none"
    return (
        i18n.get(key, names="\n".join(f"· {h.name}" for h in rows)),
        kb.handlers(i18n.get, [(h.id, h.name) for h in rows]),
    )


@router.message(Command("handlers"), HasAccess(Access.GRID_CHIEF))
async def handlers_command(
    message: Message, session: DbSession, resident: Resident, i18n: I18nContext
) -> None:
    """`/handlers` lists them with buttons to remove; `/handlers add NAME` adds one."""
    arg = command_arg(message.text)
    if arg:
        verb, _, name = arg.partition(" ")
        if verb.lower() not in ("add", "添加") or not name.strip():
            raise ValidationFailed("complaint-handlers-usage")
        handler = await complaint_service.add_handler(session, resident, name)
        await message.answer(i18n.get("complaint-handler-added", name=handler.name))
        return
    text, markup = _handlers_list(
        i18n, await complaint_service.handlers_of_actor(session, resident)
    )
    await message.answer(text, reply_markup=markup)


@router.callback_query(HandlerRemove.filter())
async def handler_remove(
    query: CallbackQuery,
    callback_data: HandlerRemove,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    callback_answer: CallbackAnswer,
) -> None:
    actor = require_verified(resident)
    handler = await complaint_service.remove_handler(session, actor, callback_data.handler_id)
    callback_answer.text = i18n.get("complaint-handler-removed", name=handler.name)
    text, markup = _handlers_list(i18n, await complaint_service.handlers_of_actor(session, actor))
    assert isinstance(query.message, Message)
    await query.message.edit_text(text, reply_markup=markup)
