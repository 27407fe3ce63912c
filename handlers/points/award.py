"""/award <user> <points> <reason> (grid chiefs and admins) and /award correct <user>
<±points> <reason> (admins): the resident is told why."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message
from aiogram_i18n import I18nContext

from linli.bot.commands import Access
from linli.bot.delivery import Delivery
from linli.bot.filters import HasAccess
from linli.config import Settings
from linli.handlers.points.common import now_utc, private
from linli.models import Resident
from linli.services import DbSession, ledger
from linli.services.people import shown_name

router = Router(name=__name__)


@router.message(Command("award"), private, HasAccess(Access.GRID_CHIEF))
async def award(
    message: Message,
    command: CommandObject,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
    settings: Settings,
    delivery: Delivery,
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
    name = shown_name(i18n.get, target, empty=str(target.telegram_id))
    await message.answer(i18n.get("award-done", name=name, points=f"{points:+d}", reason=reason))
    if created:
        await delivery.points.awarded(target, resident, points, reason, correction=correction)
