"""Complaint delivery: the card chiefs and followers see, the messages a transition sends
to every follower and to the chiefs concerned, reminders and escalations.

Cards are rendered with a `tr` (a message id → text function in the reader's language):
`i18n.get` for a reply, `self.tr(resident)` for a message to someone else. The buttons of a
card are the actions `services.complaints.allowed_actions` gives its reader.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from aiogram.types import InlineKeyboardMarkup
from sqlalchemy.ext.asyncio import AsyncSession

from linli.bot.keyboards import complaints as kb
from linli.config.casework import CaseworkSettings
from linli.models import Resident
from linli.services import complaints as complaint_service
from linli.services.complaints import ComplaintAction, ComplaintInfo
from linli.services.people import shown_name

if TYPE_CHECKING:
    from linli.bot.delivery import Delivery

Tr = Callable[..., str]
FOLLOWER_CARD_ACTIONS = (ComplaintAction.RATE, ComplaintAction.REOPEN)
"""The author's buttons on their card (closing without a rating is offered after a low
rating only)."""
AFTER_RATING_ACTIONS = (ComplaintAction.REOPEN, ComplaintAction.CLOSE)


class CaseworkDelivery:
    def __init__(self, core: Delivery) -> None:
        self.core = core

    @property
    def cfg(self) -> CaseworkSettings:
        return self.core.settings.casework

    def tr(self, resident: Resident | None) -> Tr:
        """Messages in `resident`'s language (the community's when None)."""
        return partial(self.core.translator.for_resident, resident)

    def allowed(
        self, data: ComplaintInfo, viewer: Resident, now: datetime
    ) -> list[ComplaintAction]:
        return complaint_service.allowed_actions(data, viewer, now, self.cfg.reopen_days)

    # --- the card ---------------------------------------------------------------------------

    def card_text(self, tr: Tr, data: ComplaintInfo, now: datetime, *, for_chief: bool) -> str:
        """The complaint as chiefs (`for_chief`: with its author, unless anonymous) or its
        followers see it."""
        c = data.complaint
        lines = [
            tr("complaint-card-title", code=c.code, category=c.category.value),
            tr("complaint-card-building", grid=data.grid.name, building=data.building.name),
        ]
        if for_chief:
            author = data.author_label_for_chiefs(tr)
            if author is None:
                lines.append(tr("complaint-card-anonymous"))
            elif c.offline_author:
                entered = shown_name(tr, data.entered_by)
                lines.append(tr("complaint-card-offline", name=author, chief=entered))
            else:
                lines.append(tr("complaint-card-author", name=author))
        lines.append(tr("complaint-card-status", status=c.status.value))
        due = complaint_service.deadline(c, self.cfg)
        if due is not None:
            key = "complaint-card-overdue" if now >= due else "complaint-card-due"
            lines.append(tr(key, due=self.core.local_time(due)))
        lines.append(tr("complaint-card-affected", count=str(data.affected)))
        lines.append(tr("complaint-card-created", at=self.core.local_time(c.created_at)))
        if c.text:
            lines.append(tr("complaint-card-text", text=c.text))
        if c.voice_file_id:
            lines.append(tr("complaint-card-voice"))
        if c.photo_file_ids:
            lines.append(tr("complaint-card-photos", count=str(len(c.photo_file_ids))))
        if c.location_text or c.latitude is not None:
            where = c.location_text or f"{c.latitude:.5f}, {c.longitude:.5f}"
            lines.append(tr("complaint-card-location", location=where))
        if data.handler is not None:
            lines.append(tr("complaint-card-handler", name=data.handler.name))
        elif data.assignee is not None:
            lines.append(tr("complaint-card-assignee", name=shown_name(tr, data.assignee)))
        if c.merged_into_id:
            lines.append(tr("complaint-card-merged", target=f"C{c.merged_into_id}"))
        if c.rating is not None:
            lines.append(tr("complaint-card-rating", stars="⭐" * c.rating))
        return "\n".join(lines)

    def chief_card(
        self, tr: Tr, data: ComplaintInfo, viewer: Resident, now: datetime
    ) -> tuple[str, InlineKeyboardMarkup | None]:
        """The card for a chief, with the moves they may make and the voice and photos."""
        c = data.complaint
        actions = complaint_service.chief_actions(data, viewer)
        markup = kb.chief_card(
            tr, c.id, actions, voice=bool(c.voice_file_id), photos=len(c.photo_file_ids)
        )
        return self.card_text(tr, data, now, for_chief=True), markup

    def follower_card(
        self, tr: Tr, data: ComplaintInfo, viewer: Resident, now: datetime
    ) -> tuple[str, InlineKeyboardMarkup | None]:
        """The card for a follower; its author may rate or reopen a resolved complaint."""
        actions = [a for a in self.allowed(data, viewer, now) if a in FOLLOWER_CARD_ACTIONS]
        markup = kb.follower_card(tr, data.complaint.id, actions)
        return self.card_text(tr, data, now, for_chief=False), markup

    def after_rating(
        self, tr: Tr, data: ComplaintInfo, viewer: Resident, now: datetime
    ) -> InlineKeyboardMarkup:
        """Skip the comment; after a low rating also reopen or close."""
        actions = [a for a in self.allowed(data, viewer, now) if a in AFTER_RATING_ACTIONS]
        return kb.after_rating(tr, data.complaint.id, actions)

    # --- messages to other people -----------------------------------------------------------

    async def send_chief_card(
        self,
        chief: Resident,
        data: ComplaintInfo,
        now: datetime,
        intro_key: str | None = None,
        **intro: Any,
    ) -> bool:
        tr = self.tr(chief)
        text, markup = self.chief_card(tr, data, chief, now)
        if intro_key:
            text = tr(intro_key, **intro) + "\n\n" + text
        return await self.core.send_to_resident(chief, text, reply_markup=markup)

    async def announce(
        self,
        session: AsyncSession,
        change: complaint_service.Change,
        now: datetime,
        *,
        skip: Resident | None = None,
    ) -> None:
        """Tell every follower (author, me-too, merged, entering chief) about a transition
        in their language, ask the author to rate a resolution, and send the card to the
        chiefs to be told (filed, reopened, assigned to them). `skip`: the resident who made
        the change and was answered already."""
        c = change.complaint
        for follower in change.followers:
            if skip is not None and follower.id == skip.id:
                continue
            tr = self.tr(follower)
            parts = [tr("complaint-update", code=c.code, status=c.status.value)]
            if change.action == "assigned" and change.note:
                parts.append(tr("complaint-update-assigned", name=change.note))
            elif change.action == "merged":
                parts.append(tr("complaint-update-merged", target=change.note))
            elif change.action == "closed" and change.note == "auto":
                parts.append(tr("complaint-update-auto-closed", days=str(self.cfg.autoclose_days)))
            elif change.note:
                parts.append(tr("complaint-update-note", note=change.note))
            markup = None
            if change.action == "resolved" and follower.id == c.author_id:
                parts.append(tr("complaint-rate-ask"))
                markup = kb.stars(c.id)
            await self.core.send_to_resident(
                follower, "\n".join(parts), reply_markup=markup, photo=change.photo_file_id
            )
        chiefs = [r for r in change.notify_chiefs if skip is None or r.id != skip.id]
        if chiefs:
            data = await complaint_service.info(session, c.id)
            for chief in chiefs:
                await self.send_chief_card(
                    chief, data, now, "complaint-chief-" + change.action, code=c.code
                )

    async def remind(
        self,
        session: AsyncSession,
        reminders: list[complaint_service.Reminder],
        now: datetime,
    ) -> int:
        """Reminders and escalations of overdue complaints to their recipients, with the
        card and a button to open it; returns how many messages went out."""
        sent = 0
        for reminder in reminders:
            data = await complaint_service.info(session, reminder.complaint.id)
            stage = "accept" if reminder.complaint.status.value == "submitted" else "resolve"
            for chief in reminder.recipients:
                tr = self.tr(chief)
                text = (
                    tr(
                        f"complaint-{reminder.kind}-{stage}",
                        code=data.complaint.code,
                        due=self.core.local_time(reminder.due),
                    )
                    + "\n\n"
                    + self.card_text(tr, data, now, for_chief=True)
                )
                markup = kb.open_card(tr, data.complaint.id)
                if await self.core.send_to_resident(chief, text, reply_markup=markup):
                    sent += 1
        return sent
