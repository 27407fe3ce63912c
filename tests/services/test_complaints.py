"""Complaint rules straight on the services (no bot, no HTTP): the actions each resident
may take in each state, the refusals, and that a repeated press changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from linli.config.casework import CaseworkSettings
from linli.models import Grid, Resident, ResidentStatus, Role
from linli.models.complaints import Complaint, ComplaintEvent, ComplaintStatus
from linli.services import casework_stats, complaints, privacy
from linli.services.casework_stats import month_bounds
from linli.services.complaints import ComplaintAction
from linli.services.errors import InvalidState, NotFound, PermissionDenied, ValidationFailed
from tests.support import B1_CHIEF, B4_CHIEF, GRID1_CHIEF, GRID2_CHIEF
from tests.support_casework import neighbour, new_complaint, person, place

A = ComplaintAction
B3_CHIEF = 900013  # 第一网格 · 3号楼
AUTHOR, OTHER = 5001, 5002
ADMIN = 1
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


async def test_me_too_offers_no_words_and_no_anonymous_ones(db: Db) -> None:
    """Issue 12: "me too" showed another resident's words, anonymous ones included."""
    async with db() as session:
        author = await neighbour(session, AUTHOR)
        other = await neighbour(session, OTHER)
        named = await new_complaint(session, author, NOW, "楼上 302 天天半夜装修")
        hidden = await new_complaint(session, author, NOW, "楼上 301 吵架", anonymous=True)
    async with db() as session:
        offered = await complaints.similar_open(
            session, await person(session, OTHER), other.building_id or 0, "repairs"
        )
    assert [case.id for case in offered] == [named]
    assert offered[0].category == "repairs" and offered[0].building == "1号楼"
    assert not hasattr(offered[0], "text")
    async with db() as session:  # the building's chief sees both
        chief = await person(session, B1_CHIEF)
        seen = await complaints.similar_open(session, chief, other.building_id or 0, "repairs")
    assert sorted(case.id for case in seen) == sorted([named, hidden])
    async with db() as session:  # a forged "me too" on the anonymous one finds nothing
        with pytest.raises(NotFound):
            await complaints.me_too(session, await person(session, OTHER), hidden, NOW)
    assert await history(db, hidden) == ["submitted"]


async def rejected_by(db: Db, chief: int) -> int:
    cid = await filed(db)
    async with db() as session:
        await complaints.reject(session, await person(session, chief), cid, "不属于社区", NOW)
    return cid


async def admin(db: Db) -> None:
    async with db() as session:
        home = await place(session, "第一网格", "1号楼")
        grid = await session.get(Grid, home.grid_id)
        assert grid is not None
        session.add(
            Resident(
                telegram_id=ADMIN,
                display_name="管理员",
                community_id=grid.community_id,
                role=Role.ADMIN,
                status=ResidentStatus.VERIFIED,
            )
        )
        await session.commit()


async def test_an_appeal_goes_to_the_grid_chief_once(db: Db) -> None:
    await admin(db)
    cid = await rejected_by(db, B1_CHIEF)
    assert await allowed(db, AUTHOR, cid) == [A.APPEAL]
    assert await allowed(db, OTHER, cid) == []
    assert await allowed(db, AUTHOR, cid, NOW + timedelta(days=8)) == []
    async with db() as session:
        change = await complaints.appeal(
            session, await person(session, AUTHOR), cid, NOW, 7, "问题确实存在"
        )
    assert change.complaint.status == ComplaintStatus.SUBMITTED
    assert [r.telegram_id for r in change.notify_chiefs] == [GRID1_CHIEF]
    # only the reviewers decide: not the building chief who rejected it
    assert await allowed(db, B1_CHIEF, cid) == []
    assert await allowed(db, GRID1_CHIEF, cid) == [A.ACCEPT, A.REJECT]
    assert await allowed(db, ADMIN, cid) == [A.ACCEPT, A.REJECT]
    async with db() as session:
        with pytest.raises(PermissionDenied) as refused:
            await complaints.accept(session, await person(session, B1_CHIEF), cid, NOW)
    assert refused.value.key == "complaint-error-appeal-reviewer"
    async with db() as session:
        await complaints.reject(session, await person(session, GRID1_CHIEF), cid, "确属市政", NOW)
    assert await allowed(db, AUTHOR, cid) == []  # once only
    async with db() as session:
        with pytest.raises(InvalidState) as late:
            await complaints.appeal(session, await person(session, AUTHOR), cid, NOW, 7, "再申诉")
    assert late.value.key == "complaint-error-appealed"
    assert await history(db, cid) == ["submitted", "rejected", "appealed", "appeal_denied"]


async def test_an_appeal_against_the_grid_chief_goes_to_the_admins(db: Db) -> None:
    await admin(db)
    cid = await rejected_by(db, GRID1_CHIEF)
    async with db() as session:
        change = await complaints.appeal(
            session, await person(session, AUTHOR), cid, NOW, 7, "没有人来看过"
        )
    assert [r.telegram_id for r in change.notify_chiefs] == [ADMIN]
    assert await allowed(db, GRID1_CHIEF, cid) == []
    async with db() as session:
        change = await complaints.accept(session, await person(session, ADMIN), cid, NOW)
    assert change.action == "appeal_granted" and change.complaint.status == ComplaintStatus.ACCEPTED
    assert await allowed(db, B1_CHIEF, cid) == [A.START, A.ASSIGN, A.REJECT, A.MERGE]


async def test_accepted_on_time_counts_decisions_not_pending_requests(db: Db) -> None:
    """Issue 14: four requests inside their 24-hour window showed 25 % or 50 %, and one
    rejected in time counted as late."""
    cfg = CaseworkSettings(_env_file=None)
    start, end, _ = month_bounds("", NOW, ZoneInfo("Asia/Shanghai"))
    filed_at = NOW - timedelta(hours=2)
    async with db() as session:
        author = await neighbour(session, AUTHOR)
        ids = [await new_complaint(session, author, filed_at, f"第{i}件") for i in range(4)]

    async def in_time() -> float | None:
        async with db() as session:
            chief = await person(session, B1_CHIEF)
            stats = await casework_stats.compute(session, chief, start, end, cfg, now=NOW)
        assert stats.received == len(ids)
        return stats.accepted_in_time_pct

    assert await in_time() is None  # all four still inside their window
    async with db() as session:
        await complaints.accept(session, await person(session, B1_CHIEF), ids[0], NOW)
    assert await in_time() == 100.0
    async with db() as session:
        chief = await person(session, B1_CHIEF)
        await complaints.reject(session, chief, ids[1], "不属于社区", NOW)
    assert await in_time() == 100.0  # a rejection in time is on time
    async with db() as session:  # one waiting past its window, one accepted late
        waited = await new_complaint(session, author, NOW - timedelta(hours=30), "等了很久")
        late = await new_complaint(session, author, NOW - timedelta(hours=40), "受理晚了")
        ids += [waited, late]
    async with db() as session:
        await complaints.accept(session, await person(session, B1_CHIEF), late, NOW)
    assert await in_time() == 50.0  # 2 on time, 2 late, 2 still pending


async def test_merge_options_list_the_most_alike_first(db: Db) -> None:
    async with db() as session:
        author = await neighbour(session, AUTHOR)
        await neighbour(session, OTHER, building="2号楼")
        source = await new_complaint(session, author, NOW, "楼道灯坏了")
        other = await person(session, OTHER)
        elsewhere = await new_complaint(session, other, NOW, "2号楼灯也坏了")
        alike = await new_complaint(session, author, NOW - timedelta(hours=1), "灯还是不亮")
    async with db() as session:
        options = await complaints.merge_options(session, await person(session, B1_CHIEF), source)
    assert [o.id for o in options] == [alike]  # the building chief's area only
    async with db() as session:
        grid = await person(session, GRID1_CHIEF)
        options = await complaints.merge_options(session, grid, source)
    assert [o.id for o in options] == [alike, elsewhere]
    assert options[0].building == "1号楼" and options[1].building == "2号楼"


def test_descriptions_and_notes_need_words() -> None:
    for check in (complaints.check_text, complaints.check_note, complaints.check_location_text):
        for text in ("🙂🙂", "……！", "?!"):
            with pytest.raises(ValidationFailed) as error:
                check(text)
            assert "limit" in error.value.params
    assert complaints.check_text("📷", required=False) == ""
    assert complaints.check_text("3单元门口路灯坏了 💡") == "3单元门口路灯坏了 💡"


async def test_retention_purges_the_words_of_an_appeal(db: Db) -> None:
    """Issue 12 (retention): an old anonymous request's appeal reason and the reviewer's
    reason are someone's words: the purge removes them with the text; a named one's stay."""
    await admin(db)
    async with db() as session:
        author = await neighbour(session, AUTHOR)
        ids = [
            await new_complaint(session, author, NOW, "隔壁在走廊堆煤气罐", anonymous=anonymous)
            for anonymous in (True, False)
        ]
    for cid in ids:
        async with db() as session:
            await complaints.reject(
                session, await person(session, B1_CHIEF), cid, "看过了没有", NOW
            )
        async with db() as session:
            await complaints.appeal(
                session, await person(session, AUTHOR), cid, NOW, 7, "煤气罐还在3单元门口"
            )
        async with db() as session:
            await complaints.reject(
                session, await person(session, GRID1_CHIEF), cid, "已请物业核实清走", NOW
            )
    async with db() as session:
        purged = await privacy.purge_expired(session, NOW + timedelta(days=400), 365)
    assert purged == 1
    words = ("煤气罐", "看过了没有", "3单元", "物业核实")
    async with db() as session:
        rows = await session.execute(
            select(ComplaintEvent.complaint_id, ComplaintEvent.action, ComplaintEvent.note)
        )
        notes = {(cid, action): note for cid, action, note in rows.all()}
        texts = dict((await session.execute(select(Complaint.id, Complaint.text))).all())
    anonymous_id, named_id = ids
    for action in ("rejected", "appealed", "appeal_denied"):
        assert not any(w in notes[(anonymous_id, action)] for w in words), action
    assert notes[(named_id, "appealed")] == "煤气罐还在3单元门口"
    assert texts[anonymous_id] == privacy.RETENTION_MARKER and "煤气罐" in texts[named_id]
