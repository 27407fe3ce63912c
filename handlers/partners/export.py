"""`/export partners 2026` for admins: the yearly evaluation table of the community's partner
units and their members (two Excel-safe CSV files). Other `/export` kinds go on to the points
export (handlers/points/export.py): this handler only takes `partners`."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import BufferedInputFile, Message
from aiogram_i18n import I18nContext

from linli.config import Settings
from linli.handlers.partners.common import now_utc, private
from linli.models import Resident
from linli.services import DbSession, partner_reports

router = Router(name=__name__)


@router.message(Command("export"), private, F.text.regexp(r"^/export(@\w+)?\s+partners(\s|$)"))
async def export_partners(
    message: Message,
    command: CommandObject,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    args = (command.args or "").split()
    if len(args) > 2:
        await message.answer(i18n.get("partner-export-usage"))
        return
    now = now_utc()
    year = partner_reports.parse_year(args[1] if len(args) > 1 else "", now, settings.tz)
    evaluation = await partner_reports.yearly(session, resident, year, now, settings.tz)
    await message.answer_document(
        BufferedInputFile(evaluation.units_csv, filename=f"partner-units-{year}.csv"),
        caption=i18n.get("partner-export-units", year=str(year), count=evaluation.units),
    )
    await message.answer_document(
        BufferedInputFile(evaluation.members_csv, filename=f"partner-members-{year}.csv"),
        caption=i18n.get(
            "partner-export-members",
            year=str(year),
            count=evaluation.members,
            remind=evaluation.to_remind,
        ),
    )
