"""Handing over (services/handover.py, called by residents.grant in the same transaction):
a chief who is demoted or moved passes their open activities and their scheduled notices to
the grid chief, or else to an admin; what they still manage stays with them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from linli.models import AuditLog, Role
from linli.models.notices import Notice, NoticeKind, NoticeState, Repeat, TargetKind
from linli.models.points import Activity, ActivityState
from linli.services import residents
from tests.support import ADMIN_ID, B1_CHIEF, GRID1_CHIEF, GRID2_CHIEF
from tests.support_services import admin, building, grid, resident

Db = async_sessionmaker[AsyncSession]
SOON = datetime.now(UTC) + timedelta(days=3)


async def _activity(
    session: AsyncSession,
    by: int,
    grid_id: int | None,
    *,
    state: ActivityState = ActivityState.OPEN,
) -> int:
    chief = await resident(session, by)
    activity = Activity(
        community_id=chief.community_id,
        grid_id=grid_id,
        title=f"活动{by}",
        place="活动室",
        starts_at=SOON,
        ends_at=SOON + timedelta(hours=2),
        capacity=5,
        points=10,
        checkin_code=f"{by % 1_000_000:06d}{grid_id or 0}{state.value[:2]}",
        state=state,
        created_by_id=chief.id,
    )
    session.add(activity)
    await session.commit()
    return activity.id


async def _notice(
    session: AsyncSession,
    by: int,
    *,
    area_grid_id: int | None,
    area_building_id: int | None = None,
    state: NoticeState = NoticeState.SCHEDULED,
) -> int:
    author = await resident(session, by)
    notice = Notice(
        community_id=author.community_id,
        author_id=author.id,
        kind=NoticeKind.MESSAGE,
        text="每周一打扫楼道",
        target_kind=TargetKind.GRID,
        target_grid_id=area_grid_id,
        area_grid_id=area_grid_id,
        area_building_id=area_building_id,
        repeat=Repeat.WEEKLY,
        at_time="09:00",
        weekdays="mon",
        next_run_at=SOON,
        state=state,
    )
    session.add(notice)
    await session.commit()
    return notice.id


async def _owner(session: AsyncSession, model: type, row_id: int) -> int | None:
    row = await session.get(model, row_id, populate_existing=True)
    assert row is not None
    return row.created_by_id if model is Activity else row.author_id


async def test_a_demoted_grid_chief_hands_over_to_the_admin(db: Db) -> None:
    """第一网格 has no other grid chief: its admin takes over, and is the one to tell."""
    async with db() as session:
        boss = await admin(session)
        g1 = (await grid(session, "第一网格")).id
        open_one = await _activity(session, GRID1_CHIEF, g1)
        done = await _activity(session, GRID1_CHIEF, g1, state=ActivityState.COMPLETED)
        weekly = await _notice(session, GRID1_CHIEF, area_grid_id=g1)
        paused = await _notice(session, GRID1_CHIEF, area_grid_id=g1, state=NoticeState.PAUSED)
        finished = await _notice(session, GRID1_CHIEF, area_grid_id=g1, state=NoticeState.DONE)
        chief_id = (await resident(session, GRID1_CHIEF)).id
    async with db() as session:
        change = await residents.grant(
            session, await admin(session), str(GRID1_CHIEF), "resident", None
        )
        [handover] = change.handovers
        assert handover.to.id == boss.id and handover.previous.id == chief_id
        assert [a.id for a in handover.activities] == [open_one]
        assert [n.id for n in handover.notices] == [weekly, paused]
    async with db() as session:
        assert await _owner(session, Activity, open_one) == boss.id
        assert await _owner(session, Activity, done) == chief_id  # history stays theirs
        assert await _owner(session, Notice, weekly) == boss.id
        assert await _owner(session, Notice, paused) == boss.id
        assert await _owner(session, Notice, finished) == chief_id
        logged = await session.scalar(
            select(func.count())
            .select_from(AuditLog)
            .where(AuditLog.action.in_(("handover.activity", "handover.notice")))
        )
        assert logged == 3


async def test_a_moved_building_chief_hands_over_to_their_old_grid_chief(db: Db) -> None:
    """The building chief of 1号楼 becomes building chief of 4号楼 (another grid): the
    notices of 1号楼 go to 第一网格's chief."""
    async with db() as session:
        await admin(session)
        g1 = (await grid(session, "第一网格")).id
        b1 = (await building(session, "第一网格", "1号楼")).id
        building_notice = await _notice(session, B1_CHIEF, area_grid_id=g1, area_building_id=b1)
    async with db() as session:
        change = await residents.grant(
            session, await admin(session), str(B1_CHIEF), "building_chief", "第二网格/4号楼"
        )
        [handover] = change.handovers
        assert handover.to.telegram_id == GRID1_CHIEF
        assert [n.id for n in handover.notices] == [building_notice]
    async with db() as session:
        assert (
            await _owner(session, Notice, building_notice)
            == (await resident(session, GRID1_CHIEF)).id
        )


async def test_what_the_new_role_still_manages_stays(db: Db) -> None:
    """A building chief of 1号楼 made grid chief of 第一网格 keeps the notices of 1号楼;
    a grid chief made admin keeps their grid's activities. Nothing to tell."""
    async with db() as session:
        await admin(session)
        g1 = (await grid(session, "第一网格")).id
        g2 = (await grid(session, "第二网格")).id
        b1 = (await building(session, "第一网格", "1号楼")).id
        kept_notice = await _notice(session, B1_CHIEF, area_grid_id=g1, area_building_id=b1)
        kept_activity = await _activity(session, GRID2_CHIEF, g2)
    async with db() as session:
        # 第一网格 has its grid chief already; a grid may have two
        change = await residents.grant(
            session, await admin(session), str(B1_CHIEF), "grid_chief", "第一网格"
        )
        assert change.handovers == []
    async with db() as session:
        change = await residents.grant(
            session, await admin(session), str(GRID2_CHIEF), "admin", None
        )
        assert change.handovers == []
        assert (await resident(session, GRID2_CHIEF)).role == Role.ADMIN
    async with db() as session:
        assert await _owner(session, Notice, kept_notice) == (await resident(session, B1_CHIEF)).id
        assert (
            await _owner(session, Activity, kept_activity)
            == (await resident(session, GRID2_CHIEF)).id
        )


async def test_the_grid_chief_comes_before_the_admin(db: Db) -> None:
    """An admin who steps down to resident: the activity of 第二网格 they ran goes to that
    grid's chief, a community-wide one to another admin."""
    async with db() as session:
        await admin(session)
        g2 = (await grid(session, "第二网格")).id
        await residents.grant(session, await admin(session), "6201", "admin", None)
    async with db() as session:
        grid_wide = await _activity(session, 6201, g2)
        community_wide = await _activity(session, 6201, None)
    async with db() as session:
        change = await residents.grant(session, await admin(session), "6201", "resident", None)
        by_owner = {h.to.telegram_id: [a.id for a in h.activities] for h in change.handovers}
        assert by_owner == {GRID2_CHIEF: [grid_wide], ADMIN_ID: [community_wide]}
