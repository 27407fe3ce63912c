"""The ledger: append-only, idempotent, balance = sum, never below zero."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from linli.models.db import write_transaction
from linli.models.points import LedgerEntry, LedgerKind, PointsBalance
from linli.services import ledger
from tests.support import Harness
from tests.support_points import assert_ledger_consistent, balance_of, credit

A = 5401
AUTHOR = 5402


async def _resident_id(h: Harness) -> int:
    resident = await h.resident(A)
    assert resident is not None
    return resident.id


async def test_entries_cannot_be_changed_or_deleted(h: Harness) -> None:
    await h.add_resident(A, "第一网格", "1号楼")
    await credit(h, A, 5)
    async with h.db() as session:
        with pytest.raises(DBAPIError):
            await session.execute(update(LedgerEntry).values(delta=500))
        await session.rollback()
        with pytest.raises(DBAPIError):
            await session.execute(delete(LedgerEntry))
        await session.rollback()
    assert await balance_of(h, A) == (5, 5)


async def test_same_key_posts_once_and_wish_credit_once(h: Harness) -> None:
    await h.add_resident(A, "第一网格", "1号楼")
    author = await h.add_resident(AUTHOR, "第一网格", "2号楼")
    rid = await _resident_id(h)
    async with h.db() as session:
        for _ in range(3):
            async with write_transaction(session):
                await ledger.post(
                    session,
                    resident_id=rid,
                    delta=7,
                    kind=LedgerKind.AWARD,
                    idempotency_key="award:1:1",
                )
        for _ in range(2):
            async with write_transaction(session):
                await ledger.credit_wish_fulfilment(
                    session, wish_id=12, claimer_id=rid, author_id=author.id, points=10
                )
        # nobody is credited for their own wish
        async with write_transaction(session):
            own = await ledger.credit_wish_fulfilment(
                session, wish_id=13, claimer_id=rid, author_id=rid, points=10
            )
        assert own.credited == 0
        entries = (await session.scalars(select(LedgerEntry))).all()
    assert sorted(e.delta for e in entries) == [7, 10]
    assert [e.reference for e in entries if e.kind == LedgerKind.WISH] == ["W12"]
    assert await balance_of(h, A) == (17, 17)


async def test_debit_below_zero_is_refused_and_rolled_back(h: Harness) -> None:
    await h.add_resident(A, "第一网格", "1号楼")
    await credit(h, A, 5)
    rid = await _resident_id(h)
    async with h.db() as session:
        with pytest.raises(ledger.NotEnoughPoints):
            async with write_transaction(session):
                await ledger.post(
                    session,
                    resident_id=rid,
                    delta=-6,
                    kind=LedgerKind.GIFT,
                    idempotency_key="gift:x",
                )
    assert await h.count(LedgerEntry) == 1
    assert await balance_of(h, A) == (5, 5)
    # and the database itself refuses a negative cached balance
    async with h.db() as session:
        with pytest.raises(IntegrityError):
            await session.execute(
                update(PointsBalance).where(PointsBalance.resident_id == rid).values(balance=-1)
            )
        await session.rollback()
    await assert_ledger_consistent(h)


async def test_resident_without_points_cannot_spend(h: Harness) -> None:
    await h.add_resident(A, "第一网格", "1号楼")
    rid = await _resident_id(h)
    async with h.db() as session:
        with pytest.raises(ledger.NotEnoughPoints):
            async with write_transaction(session):
                await ledger.post(
                    session, resident_id=rid, delta=-1, kind=LedgerKind.GIFT, idempotency_key="g"
                )
    assert await h.count(LedgerEntry) == 0
