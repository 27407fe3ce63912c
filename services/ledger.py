"""The points ledger: the one place that credits or debits volunteer points."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models.points import LedgerEntry, LedgerKind


async def post(
    session: AsyncSession,
    *,
    resident_id: int,
    delta: int,
    kind: LedgerKind,
    idempotency_key: str,
    reference: str | None = None,
    reason: str = "",
    actor_id: int | None = None,
) -> LedgerEntry | None:
    """Add an entry inside the caller's write transaction.

    Returns None (and adds nothing) when an entry with the same `idempotency_key` exists.
    Uses a SAVEPOINT so a concurrent duplicate does not spoil the caller's transaction.
    """
    existing = await session.scalar(
        select(LedgerEntry).where(LedgerEntry.idempotency_key == idempotency_key)
    )
    if existing is not None:
        return None
    entry = LedgerEntry(
        resident_id=resident_id,
        delta=delta,
        kind=kind,
        reference=reference,
        reason=reason[:500],
        actor_id=actor_id,
        idempotency_key=idempotency_key,
    )
    try:
        async with session.begin_nested():
            session.add(entry)
    except IntegrityError:
        return None
    return entry


async def balance(session: AsyncSession, resident_id: int) -> int:
    total = await session.scalar(
        select(func.coalesce(func.sum(LedgerEntry.delta), 0)).where(
            LedgerEntry.resident_id == resident_id
        )
    )
    return int(total or 0)


async def credit_wish_fulfilment(
    session: AsyncSession, *, wish_id: int, claimer_id: int, author_id: int, points: int
) -> LedgerEntry | None:
    """Credit the claimer of a fulfilled micro-wish, once per wish. Called inside the
    fulfilment's write transaction by the wishes service (and only there)."""
    if points <= 0:
        return None
    return await post(
        session,
        resident_id=claimer_id,
        delta=points,
        kind=LedgerKind.WISH,
        idempotency_key=f"wish:{wish_id}",
        reference=f"W{wish_id}",
        reason="micro-wish fulfilled",
        actor_id=author_id,
    )
