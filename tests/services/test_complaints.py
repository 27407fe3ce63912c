"""Complaint rules straight on the services (no bot, no HTTP): the actions each resident
may take in each state, the refusals, and that a repeated press changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from linli.models.complaints import ComplaintEvent, ComplaintStatus
from linli.services import complaints
from linli.services.complaints import ComplaintAction
from linli.services.errors import InvalidState, PermissionDenied
from tests.support import B1_CHIEF, B4_CHIEF, GRID1_CHIEF, GRID2_CHIEF
from tests.support_casework import neighbour, new_complaint, person

A = ComplaintAction
B3_CHIEF = 900013  # 第一网格 · 3号楼
AUTHOR, OTHER = 5001, 5002
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
Db = async_sessionmaker[AsyncSession]


async def allowed(
    db: Db, telegram_id: int, complaint_id: int, now: datetime = NOW
) -> list[ComplaintAction]:
    async with db() as session:
        data = await complaints.info(session, complaint_id)
        return complaints.allowed_actions(data, await person(session, telegram_id), now, 7)


async def history(db: Db, complaint_id: int) -> list[str]:
    async with db() as session:
        rows = await session.scalars(
            select(ComplaintEvent.action)
            .where(ComplaintEvent.complaint_id == complaint_id)
            .order_by(ComplaintEvent.id)
        )
        return list(rows.all())


async def filed(db: Db) -> int:
    """A complaint of AUTHOR in 第一网格 · 1号楼 (OTHER lives there too)."""
    async with db() as session:
        author = await neighbour(session, AUTHOR)
        await neighbour(session, OTHER)
        return await new_complaint(session, author, NOW)


async def resolved(db: Db) -> int:
    cid = await filed(db)
    for move in (complaints.accept, complaints.start):
        async with db() as session:
            await move(session, await person(session, B1_CHIEF), cid, NOW)
    async with db() as session:
        chief = await person(session, B1_CHIEF)
        await complaints.resolve(session, chief, cid, "换了灯泡", None, NOW)
    return cid


async def test_allowed_actions_follow_the_state_and_the_role(db: Db) -> None:
    cid = await filed(db)
    submitted = [A.ACCEPT, A.REJECT, A.ASSIGN, A.MERGE]
    assert await allowed(db, B1_CHIEF, cid) == submitted
    assert await allowed(db, GRID1_CHIEF, cid) == submitted
    for outsider in (GRID2_CHIEF, B4_CHIEF, B3_CHIEF, AUTHOR, OTHER):
        assert await allowed(db, outsider, cid) == []

    async with db() as session:
        await complaints.accept(session, await person(session, B1_CHIEF), cid, NOW)
    assert await allowed(db, B1_CHIEF, cid) == [A.START, A.ASSIGN, A.REJECT, A.MERGE]
    async with db() as session:
        await complaints.start(session, await person(session, B1_CHIEF), cid, NOW)
    assert await allowed(db, GRID1_CHIEF, cid) == [A.RESOLVE, A.ASSIGN, A.MERGE]
    async with db() as session:
        chief = await person(session, B1_CHIEF)
        await complaints.resolve(session, chief, cid, "换了灯泡", None, NOW)

    # resolved: nothing left for the chiefs; the author rates, reopens (in time) or closes
    assert await allowed(db, B1_CHIEF, cid) == []
    assert await allowed(db, AUTHOR, cid) == [A.RATE, A.REOPEN, A.CLOSE]
    assert await allowed(db, OTHER, cid) == []
    assert await allowed(db, AUTHOR, cid, NOW + timedelta(days=8)) == [A.RATE, A.CLOSE]
    async with db() as session:
        assert await complaints.rate(session, await person(session, AUTHOR), cid, 2, NOW, 7) is None
    assert await allowed(db, AUTHOR, cid) == [A.REOPEN, A.CLOSE]


async def test_each_transition_checks_the_same_rules(db: Db) -> None:
    cid = await filed(db)
    refusals = [
        (GRID2_CHIEF, PermissionDenied, "error-outside-area"),
        (AUTHOR, PermissionDenied, "error-role-required"),
    ]
    for telegram_id, error, key in refusals:
        async with db() as session:
            with pytest.raises(error) as refused:
                await complaints.accept(session, await person(session, telegram_id), cid, NOW)
        assert refused.value.key == key
    async with db() as session:  # resolve is allowed from in progress only
        with pytest.raises(InvalidState) as refused:
            chief = await person(session, B1_CHIEF)
            await complaints.resolve(session, chief, cid, "好了", None, NOW)
    assert refused.value.key == "complaint-error-state"
    async with db() as session:  # the author's actions wait for the resolution
        with pytest.raises(InvalidState):
            await complaints.reopen(session, await person(session, AUTHOR), cid, NOW, 7, "没修好")
    async with db() as session:  # asking for a reason checks the same rule
        with pytest.raises(PermissionDenied):
            await complaints.for_chief_action(
                session, await person(session, B4_CHIEF), cid, A.REJECT
            )

    async with db() as session:
        await complaints.reject(session, await person(session, B1_CHIEF), cid, "不属于社区", NOW)
    async with db() as session:  # a second press changes nothing
        with pytest.raises(InvalidState):
            await complaints.reject(session, await person(session, GRID1_CHIEF), cid, "再次", NOW)
    async with db() as session:
        with pytest.raises(InvalidState):
            await complaints.for_chief_action(
                session, await person(session, B1_CHIEF), cid, A.MERGE
            )
    assert await history(db, cid) == ["submitted", "rejected"]


async def test_an_assigned_chief_may_act_and_is_told(db: Db) -> None:
    cid = await filed(db)
    async with db() as session:
        other_building = await person(session, B3_CHIEF)
        grid_chief = await person(session, GRID1_CHIEF)
        change = await complaints.assign(session, grid_chief, cid, "c", other_building.id, NOW)
    assert [chief.telegram_id for chief in change.notify_chiefs] == [B3_CHIEF]
    assert change.complaint.status == ComplaintStatus.IN_PROGRESS
    assert await allowed(db, B3_CHIEF, cid) == [A.RESOLVE, A.ASSIGN, A.MERGE]
    async with db() as session:  # assigning to oneself tells nobody else
        chief = await person(session, B1_CHIEF)
        change = await complaints.assign(session, chief, cid, "c", chief.id, NOW)
    assert change.notify_chiefs == []
    assert await allowed(db, B3_CHIEF, cid) == []


async def test_a_rating_is_given_once_and_reopening_has_a_deadline(db: Db) -> None:
    cid = await resolved(db)
    async with db() as session:
        assert await complaints.rate(session, await person(session, AUTHOR), cid, 1, NOW, 7) is None
    async with db() as session:
        with pytest.raises(InvalidState) as refused:
            await complaints.rate(session, await person(session, AUTHOR), cid, 5, NOW, 7)
    assert refused.value.key == "complaint-error-rated"
    async with db() as session:
        with pytest.raises(PermissionDenied) as refused:
            await complaints.close_by_author(session, await person(session, B1_CHIEF), cid, NOW, 7)
    assert refused.value.key == "complaint-error-not-yours"
    late = NOW + timedelta(days=8)
    async with db() as session:
        with pytest.raises(InvalidState) as refused:
            await complaints.reopen(session, await person(session, AUTHOR), cid, late, 7, "没修好")
    assert refused.value.key == "complaint-error-reopen-late"
    async with db() as session:
        change = await complaints.close_by_author(
            session, await person(session, AUTHOR), cid, late, 7
        )
    assert change.complaint.status == ComplaintStatus.CLOSED
    assert await allowed(db, AUTHOR, cid, late) == []
    assert await history(db, cid) == [
        "submitted",
        "accepted",
        "started",
        "resolved",
        "rated",
        "closed",
    ]
