"""Complaint delivery: the card chiefs and followers see, the messages a transition sends
to every follower and to the chiefs concerned, map pins, reminders and escalations.

Cards are rendered with a `tr` (a message id → text function in the reader's language):
`i18n.get` for a reply, `self.tr(resident)` for a message to someone else. The buttons of a
card are the actions `services.complaints.allowed_actions` gives its reader.

A card tells the whole story: the state, the rejection's reason, the resolution note, the
rating, and a timeline of the history with the chiefs' notes. Residents never read another
resident's words: the text, voice, photos and place of a complaint, and the author's reasons
and comment, are shown to the chiefs and to the one who filed or entered it only (a "me
too" follower sees the category, the place, the dates and the chiefs' notes).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from functools import partial
from typing import TYPE_CHECKING, Any

from aiogram.exceptions import TelegramAPIError, TelegramForbiddenError
from aiogram.types import InlineKeyboardMarkup
from sqlalchemy.ext.asyncio import AsyncSession

from linli.bot.keyboards import complaints as kb
from linli.config.casework import CaseworkSettings
from linli.models import Resident
from linli.models.complaints import ComplaintEvent, ComplaintStatus
from linli.services import complaints as complaint_service
from linli.services.complaints import ComplaintAction, ComplaintInfo
from linli.services.people import shown_name

if TYPE_CHECKING:
    from linli.bot.delivery import Delivery

log = logging.getLogger(__name__)

Tr = Callable[..., str]
FOLLOWER_CARD_ACTIONS = (ComplaintAction.RATE, ComplaintAction.REOPEN, ComplaintAction.APPEAL)
"""The author's buttons on their card (closing without a rating is offered after a low
rating only)."""
AFTER_RATING_ACTIONS = (ComplaintAction.REOPEN, ComplaintAction.CLOSE)
CARD_MAX = 4000
"""A card stays under Telegram's 4096 characters."""
TIMELINE_MAX = 8
"""The latest history rows a card shows."""
TIMELINE_NOTE = 80
"""Characters of a note in the timeline (the reason and the resolution are shown whole)."""
CHIEF_EVENTS = frozenset(
    {
        "accepted",
        "started",
        "assigned",
        "rejected",
        "resolved",
        "merged",
        "merged_in",
        "appeal_granted",
        "appeal_denied",
    }
)
"""History rows written by a chief: their name and note are shown to everyone."""
RESIDENT_WORDS = frozenset({"reopened", "appealed", "commented"})
"""History rows whose note is the author's own words."""


class Reader(StrEnum):
    """Who reads a card: what they may see of it."""

    CHIEF = "chief"  # a chief of the area, the assignee, a reviewer
    AUTHOR = "author"  # who filed it, or the chief who entered it for someone
    FOLLOWER = "follower"  # "me too", or the author of a complaint merged into it


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

    @staticmethod
    def reader(data: ComplaintInfo, viewer: Resident) -> Reader:
        """A follower's standing: the one who filed or entered it, or anyone else."""
        c = data.complaint
        return Reader.AUTHOR if viewer.id in (c.author_id, c.entered_by_id) else Reader.FOLLOWER

    # --- the card ---------------------------------------------------------------------------

    def card_text(self, tr: Tr, data: ComplaintInfo, now: datetime, reader: Reader) -> str:
        """The complaint as `reader` may see it (chiefs: with its author, unless anonymous)."""
        c = data.complaint
        words = reader in (Reader.CHIEF, Reader.AUTHOR)
        lines = [
            tr("complaint-card-title", code=c.code, category=c.category.value),
            tr("complaint-card-building", grid=data.grid.name, building=data.building.name),
        ]
        if reader == Reader.CHIEF:
            author = data.author_label_for_chiefs(tr)
            if author is None:
                lines.append(tr("complaint-card-anonymous"))
            elif c.offline_author:
                entered = shown_name(tr, data.entered_by)
                lines.append(tr("complaint-card-offline", name=author, chief=entered))
            else:
                lines.append(tr("complaint-card-author", name=author))
        lines.append(tr("complaint-card-status", status=c.status.value))
        if data.appeal_pending:
            lines.append(tr("complaint-card-appeal", code=c.code))
        due = complaint_service.deadline(c, self.cfg)
        if due is not None:
            key = "complaint-card-overdue" if now >= due else "complaint-card-due"
            lines.append(tr(key, due=self.core.local_time(due)))
        lines.append(tr("complaint-card-affected", count=data.affected))
        lines.append(tr("complaint-card-created", at=self.core.local_time(c.created_at)))
        if words:
            if c.text:
                lines.append(tr("complaint-card-text", text=c.text))
            if c.voice_file_id:
                lines.append(tr("complaint-card-voice"))
            if c.photo_file_ids:
                lines.append(tr("complaint-card-photos", count=len(c.photo_file_ids)))
            if c.location_text:
                lines.append(tr("complaint-card-location", location=c.location_text))
            if c.latitude is not None:
                lines.append(tr("complaint-card-pin"))
        if data.handler is not None:
            lines.append(tr("complaint-card-handler", name=data.handler.name))
        elif data.assignee is not None:
            lines.append(tr("complaint-card-assignee", name=shown_name(tr, data.assignee)))
        if c.merged_into_id:
            lines.append(tr("complaint-card-merged", target=f"C{c.merged_into_id}"))
        if c.status == ComplaintStatus.REJECTED:
            reason = data.last_note("rejected", "appeal_denied")
            if reason:
                lines.append(tr("complaint-card-reject-reason", reason=reason))
        if c.status in (ComplaintStatus.RESOLVED, ComplaintStatus.CLOSED):
            resolution = data.last_note("resolved")
            if resolution:
                lines.append(tr("complaint-card-resolution", note=resolution))
        if c.rating is not None:
            lines.append(tr("complaint-card-rating", stars="⭐" * c.rating))
            if c.rating_comment and words:
                lines.append(tr("complaint-card-comment", comment=c.rating_comment))
        lines += self.timeline(tr, data, reader)
        text = "\n".join(lines)
        return text if len(text) <= CARD_MAX else text[: CARD_MAX - 1] + "…"

    def timeline(self, tr: Tr, data: ComplaintInfo, reader: Reader) -> list[str]:
        """The latest history rows, one line each: when, what, which chief, their note."""
        shown = data.events[-TIMELINE_MAX:]
        if not shown:
            return []
        lines = [tr("complaint-timeline-title")]
        if len(data.events) > len(shown):
            lines.append(tr("complaint-timeline-earlier", count=len(data.events) - len(shown)))
        lines += [self._entry(tr, data, event, reader) for event in shown]
        return lines

    def _entry(self, tr: Tr, data: ComplaintInfo, event: ComplaintEvent, reader: Reader) -> str:
        action = event.action
        if action == "closed" and event.note == "auto":
            action = "auto_closed"
        text = tr(
            "complaint-timeline-entry",
            at=self.core.local_time(event.at, "%m-%d %H:%M"),
            action=action,
        )
        if event.action in CHIEF_EVENTS and event.actor_id in data.names:
            text += tr("complaint-timeline-by", name=data.names[event.actor_id])
        if event.rating is not None:
            text += " " + "⭐" * event.rating
        shows_note = event.action in CHIEF_EVENTS or (
            event.action in RESIDENT_WORDS and reader != Reader.FOLLOWER
        )
        note = event.note if shows_note else ""
        if note:
            short = note if len(note) <= TIMELINE_NOTE else note[: TIMELINE_NOTE - 1] + "…"
            text += tr("complaint-timeline-note", note=short)
        return text

    def chief_card(
        self, tr: Tr, data: ComplaintInfo, viewer: Resident, now: datetime
    ) -> tuple[str, InlineKeyboardMarkup | None]:
        """The card for a chief, with the moves they may make, the voice, the photos and
        the map pin."""
        c = data.complaint
        actions = complaint_service.chief_actions(data, viewer)
        markup = kb.chief_card(
            tr,
            c.id,
            actions,
            voice=bool(c.voice_file_id),
            photos=len(c.photo_file_ids),
            pin=c.latitude is not None,
            appeal=data.appeal_pending,
        )
        return self.card_text(tr, data, now, Reader.CHIEF), markup

    def follower_card(
        self, tr: Tr, data: ComplaintInfo, viewer: Resident, now: datetime
    ) -> tuple[str, InlineKeyboardMarkup | None]:
        """The card for a follower; its author may rate or reopen a resolved complaint, and
        appeal a rejected one."""
        actions = [a for a in self.allowed(data, viewer, now) if a in FOLLOWER_CARD_ACTIONS]
        markup = kb.follower_card(tr, data.complaint.id, actions)
        return self.card_text(tr, data, now, self.reader(data, viewer)), markup

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
        return await self.core.send_to_resident(chief, text[:4096], reply_markup=markup)

    async def send_pin(self, chief: Resident, data: ComplaintInfo) -> bool:
        """The complaint's location as a map pin, with a button naming its building that
        opens the card; False when there is none or Telegram refuses."""
        c = data.complaint
        if c.latitude is None or c.longitude is None or chief.deleted_at is not None:
            return False
        tr = self.tr(chief)
        label = tr("complaint-pin", code=c.code, grid=data.grid.name, building=data.building.name)
        try:
            await self.core.bot.send_location(
                chief.telegram_id,
                latitude=c.latitude,
                longitude=c.longitude,
                reply_markup=kb.open_card(tr, c.id, label),
            )
        except TelegramForbiddenError:
            log.info("resident %s has blocked the bot", chief.id)
            return False
        except TelegramAPIError as exc:
            log.warning("could not send a map pin to resident %s: %s", chief.id, exc)
            return False
        return True

    async def announce(
        self,
        session: AsyncSession,
        change: complaint_service.Change,
        now: datetime,
        *,
        skip: Resident | None = None,
    ) -> None:
        """Tell every follower (author, me-too, merged, entering chief) about a transition
        in their language, ask the author to rate a resolution or offer the appeal of a
        rejection, and send the card to the chiefs to be told (filed, with its map pin;
        reopened; assigned to them; appealed to them). `skip`: the resident who made the
        change and was answered already."""
        c = change.complaint
        data = await complaint_service.info(session, c.id)
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
                parts.append(tr("complaint-update-auto-closed", days=self.cfg.autoclose_days))
            elif change.action == "appeal_granted":
                parts.append(tr("complaint-update-appeal-granted"))
            elif change.action in ("rejected", "appeal_denied"):
                parts.append(tr("complaint-update-reason", note=change.note))
            elif change.action == "resolved":
                parts.append(tr("complaint-update-resolution", note=change.note))
            elif change.note and change.action not in RESIDENT_WORDS:
                parts.append(tr("complaint-update-note", note=change.note))
            markup = None
            if follower.id == c.author_id:
                if change.action == "resolved":
                    parts.append(tr("complaint-rate-ask"))
                    markup = kb.stars(c.id)
                elif ComplaintAction.APPEAL in self.allowed(data, follower, now):
                    parts.append(tr("complaint-appeal-offer", days=self.cfg.reopen_days))
                    markup = kb.follower_card(tr, c.id, [ComplaintAction.APPEAL])
            await self.core.send_to_resident(
                follower, "\n".join(parts), reply_markup=markup, photo=change.photo_file_id
            )
        chiefs = [r for r in change.notify_chiefs if skip is None or r.id != skip.id]
        for chief in chiefs:
            await self.send_chief_card(
                chief,
                data,
                now,
                "complaint-chief-" + change.action,
                code=c.code,
                note=change.note or "-",
            )
            if change.action == "submitted":
                await self.send_pin(chief, data)

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
                    + self.card_text(tr, data, now, Reader.CHIEF)
                )
                markup = kb.open_card(tr, data.complaint.id)
                if await self.core.send_to_resident(chief, text[:4096], reply_markup=markup):
                    sent += 1
        return sent
