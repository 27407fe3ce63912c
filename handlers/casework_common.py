"""Helpers shared by the wishes and complaints handlers and their scheduled jobs: id
parsing, time display, complaint cards and the messages a transition sends to followers."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot
from aiogram.types import InlineKeyboardMarkup
from sqlalchemy.ext.asyncio import AsyncSession

from linli.bot.i18n import Translator
from linli.bot.keyboards import complaints as ckb
from linli.bot.notify import send_to_resident as send
from linli.config.casework import CaseworkSettings
from linli.models import Resident
from linli.models.complaints import OPEN_STATUSES, ComplaintStatus
from linli.services import complaints as complaint_service

Tr = Callable[..., str]
TITLE_LEN = 24
_REF = re.compile(r"^\s*#?([A-Za-z]?)\s*(\d{1,12})\s*$")


def parse_ref(text: str | None, letter: str) -> int | None:
    """`W12`, `w12`, `12` or `#12` → 12; None for anything else (another letter too)."""
    match = _REF.match(text or "")
    if match is None:
        return None
    if match.group(1) and match.group(1).upper() != letter:
        return None
    return int(match.group(2))


def command_arg(text: str | None) -> str:
    parts = (text or "").split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


def fmt_time(value: datetime | None, tz: ZoneInfo) -> str:
    return value.astimezone(tz).strftime("%Y-%m-%d %H:%M") if value else "-"


def title_of(text: str, voice: bool, tr: Tr) -> str:
    """A short title for lists: the first characters of the text, or "voice message"."""
    text = " ".join(text.split())
    if not text:
        return tr("casework-voice-title") if voice else "-"
    return text if len(text) <= TITLE_LEN else text[: TITLE_LEN - 1] + "…"


def tr_for(translator: Translator, resident: Resident | None) -> Tr:
    return partial(translator.for_resident, resident)


# --- complaint cards ---------------------------------------------------------------------


def complaint_card(
    tr: Tr,
    data: complaint_service.ComplaintInfo,
    tz: ZoneInfo,
    cfg: CaseworkSettings,
    now: datetime,
    *,
    for_chief: bool,
) -> str:
    c = data.complaint
    lines = [
        tr("complaint-card-title", code=c.code, category=c.category.value),
        tr("complaint-card-building", grid=data.grid.name, building=data.building.name),
    ]
    if for_chief:
        author = data.author_label_for_chiefs()
        if author is None:
            lines.append(tr("complaint-card-anonymous"))
        elif c.offline_author:
            entered = data.entered_by.display_name if data.entered_by else "-"
            lines.append(tr("complaint-card-offline", name=author, chief=entered))
        else:
            lines.append(tr("complaint-card-author", name=author))
    lines.append(tr("complaint-card-status", status=c.status.value))
    due = complaint_service.deadline(c, cfg)
    if due is not None:
        key = "complaint-card-overdue" if now >= due else "complaint-card-due"
        lines.append(tr(key, due=fmt_time(due, tz)))
    lines.append(tr("complaint-card-affected", count=str(data.affected)))
    lines.append(tr("complaint-card-created", at=fmt_time(c.created_at, tz)))
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
        lines.append(tr("complaint-card-assignee", name=data.assignee.display_name or "-"))
    if c.merged_into_id:
        lines.append(tr("complaint-card-merged", target=f"C{c.merged_into_id}"))
    if c.rating is not None:
        lines.append(tr("complaint-card-rating", stars="⭐" * c.rating))
    return "\n".join(lines)


def chief_keyboard(tr: Tr, data: complaint_service.ComplaintInfo) -> InlineKeyboardMarkup | None:
    c = data.complaint
    return ckb.chief_card(
        tr, c.id, c.status, voice=bool(c.voice_file_id), photos=len(c.photo_file_ids)
    )


def follower_actions(
    resident: Resident,
    data: complaint_service.ComplaintInfo,
    now: datetime,
    cfg: CaseworkSettings,
) -> list[str]:
    c = data.complaint
    if c.author_id != resident.id or c.status != ComplaintStatus.RESOLVED:
        return []
    actions = []
    if c.rating is None:
        actions.append("rate")
    if c.resolved_at is not None and (now - c.resolved_at).days < cfg.reopen_days:
        actions.append("reopen")
    return actions


async def send_chief_card(
    bot: Bot,
    translator: Translator,
    chief: Resident,
    data: complaint_service.ComplaintInfo,
    cfg: CaseworkSettings,
    tz: ZoneInfo,
    now: datetime,
    intro_key: str | None = None,
    **intro: Any,
) -> None:
    tr = tr_for(translator, chief)
    text = complaint_card(tr, data, tz, cfg, now, for_chief=True)
    if intro_key:
        text = tr(intro_key, **intro) + "\n\n" + text
    await send(bot, chief, text, reply_markup=chief_keyboard(tr, data))


async def announce(
    bot: Bot,
    translator: Translator,
    session: AsyncSession,
    change: complaint_service.Change,
    cfg: CaseworkSettings,
    tz: ZoneInfo,
    now: datetime,
    *,
    skip: Resident | None = None,
) -> None:
    """Tell every follower (author, me-too, merged, entering chief) about a transition in
    their language, ask the author to rate a resolution, and show the chiefs to be told
    (reopened) the card."""
    c = change.complaint
    for follower in change.followers:
        if skip is not None and follower.id == skip.id:
            continue
        tr = tr_for(translator, follower)
        parts = [tr("complaint-update", code=c.code, status=c.status.value)]
        if change.action == "assigned" and change.note:
            parts.append(tr("complaint-update-assigned", name=change.note))
        elif change.action == "merged":
            parts.append(tr("complaint-update-merged", target=change.note))
        elif change.action == "closed" and change.note == "auto":
            parts.append(tr("complaint-update-auto-closed", days=str(cfg.autoclose_days)))
        elif change.note:
            parts.append(tr("complaint-update-note", note=change.note))
        if change.action == "resolved" and follower.id == c.author_id:
            parts.append(tr("complaint-rate-ask"))
            markup = ckb.stars(c.id)
        else:
            markup = None
        await send(bot, follower, "\n".join(parts), reply_markup=markup, photo=change.photo_file_id)
    if change.notify_chiefs:
        data = await complaint_service.info(session, c.id)
        for chief in change.notify_chiefs:
            await send_chief_card(
                bot,
                translator,
                chief,
                data,
                cfg,
                tz,
                now,
                "complaint-chief-" + change.action,
                code=c.code,
            )


def is_open(status: ComplaintStatus) -> bool:
    return status in OPEN_STATUSES
