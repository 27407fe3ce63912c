"""Gifting points (转赠) to the community care fund (爱心基金) or to a family an admin has
listed. A gift is a pair of entries in one transaction: the resident's debit in the ledger
and the recipient's credit in `fund_entries`, both under the same idempotency key."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from linli.models import Resident, Role, utcnow
from linli.models.db import write_transaction
from linli.models.points import FundEntry, GiftRecipient, LedgerKind, RecipientKind
from linli.services import audit, ledger
from linli.services.authz import require_role, require_verified
from linli.services.errors import NotFound, StaleAction, ValidationFailed
from linli.services.rewards import community_of

CARE_FUND_NAME = "care_fund"  # internal name; shown through i18n


async def ensure_care_fund(session: AsyncSession, community_id: int) -> GiftRecipient:
    stmt = select(GiftRecipient).where(
        GiftRecipient.community_id == community_id,
        GiftRecipient.kind == RecipientKind.CARE_FUND,
    )
    fund = await session.scalar(stmt)
    if fund is not None:
        return fund
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    async with write_transaction(session):
        # ON CONFLICT DO NOTHING: two residents opening /gift first at the same moment.
        await session.execute(
            insert(GiftRecipient)
            .values(
                community_id=community_id,
                kind=RecipientKind.CARE_FUND,
                name=CARE_FUND_NAME,
                active=True,
                created_at=utcnow(),
            )
            .on_conflict_do_nothing(index_elements=["community_id", "kind", "name"])
        )
    fund = await session.scalar(stmt)
    assert fund is not None
    return fund


async def recipients(
    session: AsyncSession, resident: Resident, *, include_inactive: bool = False
) -> list[GiftRecipient]:
    """The care fund first, then the listed families."""
    require_verified(resident)
    community_id = await community_of(session, resident)
    await ensure_care_fund(session, community_id)
    stmt = select(GiftRecipient).where(GiftRecipient.community_id == community_id)
    if not include_inactive:
        stmt = stmt.where(GiftRecipient.active)
    rows = await session.scalars(stmt.order_by(GiftRecipient.kind, GiftRecipient.id))
    return sorted(rows.all(), key=lambda r: (r.kind != RecipientKind.CARE_FUND, r.id))


async def get_recipient(
    session: AsyncSession, resident: Resident, recipient_id: int
) -> GiftRecipient:
    require_verified(resident)
    recipient = await session.get(
        GiftRecipient, ledger.row_id(recipient_id), populate_existing=True
    )
    if recipient is None or recipient.community_id != await community_of(session, resident):
        raise NotFound()
    if not recipient.active:
        raise StaleAction()
    return recipient


async def add_family(session: AsyncSession, actor: Resident, name: str) -> GiftRecipient:
    require_role(actor, Role.ADMIN)
    name = name.strip()
    if not name or len(name) > 100:
        raise ValidationFailed("gift-error-name")
    community_id = await community_of(session, actor)
    try:
        async with write_transaction(session):
            family = GiftRecipient(
                community_id=community_id,
                kind=RecipientKind.FAMILY,
                name=name,
                active=True,
                created_by_id=actor.id,
            )
            session.add(family)
            await session.flush()
            await audit.record(session, actor, "gift.add_family", "gift_recipient", family.id)
    except IntegrityError:
        raise ValidationFailed("gift-error-duplicate", name=name) from None
    return family


async def set_active(
    session: AsyncSession, actor: Resident, recipient_id: int, active: bool
) -> GiftRecipient:
    require_role(actor, Role.ADMIN)
    async with write_transaction(session):
        recipient = await session.get(
            GiftRecipient, ledger.row_id(recipient_id), populate_existing=True
        )
        if recipient is None or recipient.community_id != await community_of(session, actor):
            raise StaleAction()
        if recipient.kind == RecipientKind.CARE_FUND:
            raise StaleAction()
        recipient.active = active
        await audit.record(
            session, actor, "gift.set_active", "gift_recipient", recipient.id, active=active
        )
    return recipient


@dataclass(frozen=True)
class Offer:
    recipient: GiftRecipient
    balance: int


async def offer(
    session: AsyncSession, resident: Resident, recipient_id: int, amount: int | None = None
) -> Offer:
    """The recipient and the giver's balance, when they could give `amount` now (without
    an amount: anything at all). `give` checks it again in its transaction."""
    recipient = await get_recipient(session, resident, recipient_id)
    balance = await ledger.cached_balance(session, resident.id)
    need = amount if amount is not None else 1
    if need > balance:
        raise ledger.NotEnoughPoints(need=str(need), have=str(balance))
    return Offer(recipient, balance)


@dataclass(frozen=True)
class Menu:
    """What /gift shows: the recipients, the giver's balance and, for admins, what each
    recipient has received (None for everyone else)."""

    recipients: list[GiftRecipient]
    balance: int
    funds: list[tuple[GiftRecipient, int]] | None


async def menu(session: AsyncSession, resident: Resident) -> Menu:
    return Menu(
        recipients=await recipients(session, resident),
        balance=await ledger.cached_balance(session, resident.id),
        funds=await fund_balances(session, resident) if resident.is_admin else None,
    )


@dataclass(frozen=True)
class Gift:
    recipient: GiftRecipient
    amount: int
    created: bool


async def give(
    session: AsyncSession,
    resident: Resident,
    recipient_id: int,
    amount_text: str,
    token: str,
) -> Gift:
    """Move `amount` points from the resident to the recipient; `token` identifies the
    confirmation, so a repeated tap gives once."""
    require_verified(resident)
    amount = ledger.parse_amount(amount_text)
    if not token.isalnum() or len(token) > 16:
        raise StaleAction()
    recipient = await get_recipient(session, resident, recipient_id)
    key = f"gift:{resident.id}:{token}"
    try:
        async with write_transaction(session):
            entry = await ledger.post(
                session,
                resident_id=resident.id,
                delta=-amount,
                kind=LedgerKind.GIFT,
                idempotency_key=key,
                reference=f"G{recipient.id}",
                reason=recipient.name,
                actor_id=resident.id,
            )
            if entry is None:
                return Gift(recipient, amount, created=False)
            session.add(
                FundEntry(
                    recipient_id=recipient.id,
                    delta=amount,
                    donor_id=resident.id,
                    idempotency_key=key,
                )
            )
            await session.flush()
    except IntegrityError:
        # A concurrent tap of the same confirmation won; the rollback expired `recipient`.
        recipient = await get_recipient(session, resident, recipient_id)
        return Gift(recipient, amount, created=False)
    return Gift(recipient, amount, created=True)


async def fund_balances(session: AsyncSession, actor: Resident) -> list[tuple[GiftRecipient, int]]:
    """Every recipient of the admin's community with the points it has received."""
    require_role(actor, Role.ADMIN)
    rows = await recipients(session, actor, include_inactive=True)
    totals = dict(
        (
            await session.execute(
                select(FundEntry.recipient_id, func.sum(FundEntry.delta))
                .where(FundEntry.recipient_id.in_([r.id for r in rows]))
                .group_by(FundEntry.recipient_id)
            )
        ).all()
    )
    return [(r, int(totals.get(r.id) or 0)) for r in rows]
