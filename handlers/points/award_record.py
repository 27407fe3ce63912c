"""/award's recording step, shared by the typed form (`/award <who> <points> <reason>`) and
the confirmed flow: the ledger entry, the chief's answer and the resident's message."""

from __future__ import annotations

from aiogram.types import Message
from aiogram_i18n import I18nContext

from linli.bot.delivery import Delivery
from linli.config import Settings
from linli.handlers.points.common import now_utc
from linli.models import Resident
from linli.services import DbSession, ledger
from linli.services.people import shown_name


def label(resident: Resident) -> str:
    name = shown_name(None, resident, empty=str(resident.telegram_id))
    return f"{name} · {resident.building.name}" if resident.building is not None else name


async def typed_award(
    message: Message,
    args: list[str],
    correction: bool,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
    settings: Settings,
    delivery: Delivery,
) -> None:
    target_ref, amount_text, reason = args
    target = await ledger.find_target(session, resident, target_ref)
    await record(
        message,
        session,
        resident,
        i18n,
        settings,
        delivery,
        target_id=target.id,
        amount_text=amount_text,
        reason=reason,
        correction=correction,
        key=f"award:{resident.id}:{message.message_id}",
        edit=False,
    )


async def record(
    message: Message,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
    settings: Settings,
    delivery: Delivery,
    *,
    target_id: int,
    amount_text: str,
    reason: str,
    correction: bool,
    key: str,
    edit: bool,
) -> None:
    """Record the award (or correction), say so, and tell the resident."""
    if correction:
        target, points, created = await ledger.correct(
            session,
            resident,
            target_id=target_id,
            amount_text=amount_text,
            reason=reason,
            idempotency_key=key,
        )
    else:
        target, points, created = await ledger.award(
            session,
            resident,
            target_id=target_id,
            amount_text=amount_text,
            reason=reason,
            idempotency_key=key,
            settings=settings.points,
            now=now_utc(),
            tz=settings.tz,
        )
    done = i18n.get(
        "award-done", name=label(target), points=f"{points:+d}", reason=ledger.check_reason(reason)
    )
    if edit:
        await message.edit_text(done)
    else:
        await message.answer(done)
    if created:
        await delivery.points.awarded(target, resident, points, reason, correction=correction)
