"""共驻共建 delivery: what partner units, their members and mobile grid members see outside a
reply — a contact asked to approve a new member, the outcome told to the applicant, a member
told they were taken off or their unit left, the command menu of someone whose only standing
here is a partner one, project posts to the groups concerned (with rating buttons once the
result is published), the monthly report with its CSV to each unit's contact, and points
for confirmed hazard reports."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from aiogram.exceptions import TelegramAPIError
from aiogram.types import BotCommand, BotCommandScopeChat, BufferedInputFile
from aiogram.utils.deep_linking import create_start_link
from sqlalchemy.ext.asyncio import AsyncSession

from linli.bot.delivery.sender import wake
from linli.bot.i18n import locale_of
from linli.bot.keyboards import partners as kb
from linli.models import Resident
from linli.models.partners import Project
from linli.services import hazards as hazard_service
from linli.services import partner_invites, partner_members, partner_reports
from linli.services import partners as partner_service
from linli.services import wishes as wish_service

if TYPE_CHECKING:
    from linli.bot.delivery import Delivery

log = logging.getLogger(__name__)

Tr = Callable[..., str]
MENU_COMMANDS = ("partners", "help", "lang", "privacy", "cancel")
"""The command menu of someone whose only standing here is a partner one (plus /snap for a
mobile grid member)."""


class PartnersDelivery:
    def __init__(self, core: Delivery) -> None:
        self.core = core

    def tr(self, resident: Resident | None) -> Tr:
        """Messages in `resident`'s language (the community's when None)."""
        return partial(self.core.translator.for_resident, resident)

    @staticmethod
    def send_soon() -> None:
        """Tell the outbox sender a post is waiting (after the change's transaction)."""
        wake()

    # --- members ----------------------------------------------------------------------------

    async def request_to_join(self, accepted: partner_invites.Accepted) -> None:
        """The unit's contact is asked to approve someone who opened the members' link."""
        assert accepted.unit is not None and accepted.membership is not None
        person = accepted.resident
        for contact in accepted.notify:
            tr = self.tr(contact)
            await self.core.send_to_resident(
                contact,
                tr(
                    "partner-join-request",
                    name=person.display_name or "-",
                    username=f"@{person.username}" if person.username else "-",
                    unit=accepted.unit.name,
                ),
                reply_markup=kb.review(tr, accepted.membership.id),
            )

    async def reviewed(self, reviewed: partner_members.Reviewed) -> None:
        key = "partner-join-approved" if reviewed.approved else "partner-join-rejected"
        person = reviewed.resident
        tr = self.tr(person)
        markup = kb.menu_button(tr) if reviewed.approved else None
        await self.core.send_to_resident(
            person, tr(key, unit=reviewed.unit.name), reply_markup=markup
        )
        if reviewed.approved:
            await self.set_menu(person, snap=False)

    async def left(
        self, session: AsyncSession, left: partner_members.Left, key: str | None
    ) -> None:
        """After a membership ended: the member is told (`key`, unless they left themselves),
        who moved up at a task is told, and the adopted wishes that went back to the pool
        are shown open again (their authors are told)."""
        if key is not None:
            await self.core.tell(left.resident, key, unit=left.unit.name)
        for resident, activity in left.promoted:
            await self.core.points.promoted(resident, activity)
        for wish in left.released:
            data = await wish_service.info(session, wish.id)
            await self.core.wishes.refresh_posts(session, data)
            await self.core.wishes.released(data)
        await self.after_standing_changed(session, left.resident)

    # --- projects ---------------------------------------------------------------------------

    def project_post(
        self, project: Project, what: str, note: str
    ) -> tuple[str, dict[str, Any] | None]:
        """A project's group post in the community's language ("created", "started",
        "progress", "done"); the published result carries the rating buttons. Passed to
        `services.projects` as its `announce`, which enqueues it in the change's transaction."""
        tr = self.tr(None)
        text = tr(
            f"project-post-{what}",
            code=project.code,
            title=project.title,
            goal=project.goal,
            note=note,
            start=self.core.local_time(project.starts_at, "%Y-%m-%d"),
            end=self.core.local_time(project.ends_at, "%Y-%m-%d"),
        )
        markup = None
        if what == "done":
            markup = kb.stars(project.id).model_dump(mode="json", exclude_none=True)
        return text, markup

    async def link(self, payload: str) -> str:
        """The deep link `t.me/<bot>?start=<payload>` of an invitation."""
        return await create_start_link(self.core.bot, payload)

    # --- reports back to the units ---------------------------------------------------------

    def report_text(self, tr: Tr, figures: partner_reports.UnitFigures) -> str:
        average = f"{figures.average:.1f}" if figures.average is not None else "-"
        return tr(
            "report-monthly",
            unit=figures.unit.name,
            period=figures.period,
            members=len(figures.members),
            active=figures.active,
            tasks=figures.tasks,
            hours=f"{figures.hours:g}",
            wishes=figures.wishes,
            led=figures.projects_led,
            joined=figures.projects_joined,
            ratings=figures.ratings,
            average=average,
        )

    async def monthly_report(self, report: partner_reports.MonthlyReport) -> bool:
        """Last month's report to the unit's contact: the figures, and the CSV with one line
        per member. False when it could not be delivered."""
        tr = self.tr(report.contact)
        figures = report.figures
        name = f"{figures.unit.code}-{figures.period}.csv"
        return await self.send_document(
            report.contact,
            name,
            partner_reports.monthly_csv(figures),
            self.report_text(tr, figures),
        )

    # --- hazard reports ---------------------------------------------------------------------

    async def hazards_settled(self, settled: Sequence[hazard_service.Settled]) -> int:
        """Reporters are told what their confirmed (or turned down) report earned."""
        sent = 0
        for item in settled:
            key = f"snap-settled-{item.report.state.value}"
            sent += await self.core.tell(
                item.reporter, key, code=item.code, points=item.report.points
            )
        return sent

    # --- the command menu -------------------------------------------------------------------

    async def set_menu(self, resident: Resident, *, snap: bool) -> None:
        """Someone without a home here gets the partner commands in their private chat (a
        chief keeps the chiefs' menu)."""
        if resident.building_id is not None or resident.is_chief:
            return
        if resident.private_chat_at is None:
            return
        translator = self.core.translator
        locale = locale_of(resident, None, translator.default_locale)
        names = [MENU_COMMANDS[0], *(["snap"] if snap else []), *MENU_COMMANDS[1:]]
        commands = [
            BotCommand(command=name, description=translator.get(f"cmd-{name}", locale))
            for name in names
        ]
        try:
            await self.core.bot.set_my_commands(
                commands, scope=BotCommandScopeChat(chat_id=resident.telegram_id)
            )
        except TelegramAPIError as exc:
            log.info("no partner menu for resident %s: %s", resident.id, exc)

    async def after_standing_changed(self, session: AsyncSession, resident: Resident) -> None:
        """The partner menu for someone whose only standing is a partner one; the common
        menu again when none is left."""
        mine = await partner_service.standing(session, resident)
        if mine.partner_only:
            await self.set_menu(resident, snap=mine.is_mobile)
        elif resident.building_id is None:
            await self.reset_menu(resident)

    async def reset_menu(self, resident: Resident) -> None:
        """Back to the common menu when the partner standing ended."""
        if resident.private_chat_at is None or resident.is_chief:
            return
        try:
            await self.core.bot.delete_my_commands(
                scope=BotCommandScopeChat(chat_id=resident.telegram_id)
            )
        except TelegramAPIError as exc:
            log.info("could not reset the menu of resident %s: %s", resident.id, exc)

    # --- documents --------------------------------------------------------------------------

    async def send_document(
        self, resident: Resident, name: str, body: bytes, caption: str, **kwargs: Any
    ) -> bool:
        if resident.deleted_at is not None:
            return False
        try:
            await self.core.bot.send_document(
                resident.telegram_id,
                BufferedInputFile(body, filename=name),
                caption=caption[:1024],
                **kwargs,
            )
        except TelegramAPIError as exc:
            log.info("could not send a document to resident %s: %s", resident.id, exc)
            return False
        return True
