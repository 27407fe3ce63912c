"""/export points <period>: every ledger entry of the period in the chief's area as a CSV
document (`2026-11`, `2026`, `last`, `all`, nothing = this month). Other kinds can be
added to this handler later."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import BufferedInputFile, Message
from aiogram_i18n import I18nContext

from linli.bot.commands import Access
from linli.bot.filters import HasAccess
from linli.config import Settings
from linli.handlers.points.common import now_utc, private
from linli.models import Resident
from linli.services import DbSession, ledger

router = Router(name=__name__)


@router.message(Command("export"), private, HasAccess(Access.GRID_CHIEF))
async def export(
    message: Message,
    command: CommandObject,
    session: DbSession,
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
        BufferedInputFile(ledger.export_csv(rows, settings.tz), filename=f"points-{label}.csv"),
        caption=i18n.get("export-done", period=label, count=len(rows)),
    )
