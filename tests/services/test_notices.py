"""Notice rules, straight on the services (no bot, no HTTP): the actions each state allows,
the chief's area, refusals that change nothing, and runs claimed once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from linli.models import Grid, Resident
from linli.models.notices import NoticeKind, NoticeRun, NoticeState, Repeat, TargetKind
from linli.services import notices as notice_service
from linli.services import residents
from linli.services.errors import InvalidState, PermissionDenied, StaleAction
from linli.services.notices import NoticeAction
from tests.support import B1_CHIEF, GRID1_CHIEF, GRID2_CHIEF

TZ = ZoneInfo("Asia/Shanghai")
Db = async_sessionmaker[AsyncSession]
A = NoticeAction


async def _chief(session: AsyncSession, telegram_id: int) -> Resident:
    chief = await residents.get_by_telegram_id(session, telegram_id)
    assert chief is not None
    return chief


async def _grid_id(session: AsyncSession, name: str) -> int:
    grid_id = await session.scalar(select(Grid.id).where(Grid.name == name))
    assert grid_id is not None
    return grid_id


async def _create(
    db: Db, author: int, *, kind: NoticeKind = NoticeKind.MESSAGE, building: bool = False
) -> int:
    """A notice of grid 1 (or, with `building`, of the building chief's building) due in
    three days; returns its id."""
    async with db() as session:
        chief = await _chief(session, author)
        if building:
            target = notice_service.Target(TargetKind.BUILDINGS, None, (chief.chief_building_id,))
        else:
            target = notice_service.Target(TargetKind.GRID, await _grid_id(session, "第一网格"))
        now = datetime.now(UTC)
        schedule = (
            notice_service.Schedule(Repeat.ONCE, run_at=now + timedelta(days=3))
            if kind == NoticeKind.MESSAGE
            else notice_service.Schedule(Repeat.WEEKLY, at_time="09:00", weekdays=("mon",))
        )
        draft = notice_service.Draft(kind, target, schedule, text="停水通知")
        return (await notice_service.create(session, chief, draft, now, TZ)).id


async def _actions(db: Db, telegram_id: int, notice_id: int) -> list[NoticeAction]:
    async with db() as session:
        notice = await notice_service.get_notice(session, notice_id)
        assert notice is not None
        return notice_service.allowed_actions(notice, await _chief(session, telegram_id))


async def _state(db: Db, notice_id: int) -> NoticeState:
    async with db() as session:
        notice = await notice_service.get_notice(session, notice_id)
        assert notice is not None
        return notice.state


async def test_allowed_actions_follow_the_state(db: Db) -> None:
    notice_id = await _create(db, GRID1_CHIEF)
    assert await _actions(db, GRID1_CHIEF, notice_id) == [A.PAUSE, A.EDIT, A.CANCEL, A.REPORT]
    async with db() as session:
        await notice_service.pause(session, await _chief(session, GRID1_CHIEF), notice_id)
    assert await _actions(db, GRID1_CHIEF, notice_id) == [A.RESUME, A.EDIT, A.CANCEL, A.REPORT]
    async with db() as session:
        chief = await _chief(session, GRID1_CHIEF)
        await notice_service.resume(session, chief, notice_id, datetime.now(UTC), TZ)
    assert await _state(db, notice_id) == NoticeState.SCHEDULED
    async with db() as session:
        await notice_service.cancel(session, await _chief(session, GRID1_CHIEF), notice_id)
    assert await _actions(db, GRID1_CHIEF, notice_id) == [A.REPORT]


async def test_an_agenda_cannot_be_edited(db: Db) -> None:
    agenda_id = await _create(db, GRID1_CHIEF, kind=NoticeKind.AGENDA)
    assert await _actions(db, GRID1_CHIEF, agenda_id) == [A.PAUSE, A.CANCEL, A.REPORT]
    async with db() as session:
        with pytest.raises(InvalidState) as refused:
            await notice_service.edit_text(
                session, await _chief(session, GRID1_CHIEF), agenda_id, "新的文字"
            )
    assert refused.value.key == "notice-error-agenda-text"


async def test_only_chiefs_of_the_area_may_act(db: Db) -> None:
    grid_notice = await _create(db, GRID1_CHIEF)
    building_notice = await _create(db, B1_CHIEF, building=True)
    # Another grid's chief, and a building chief on a grid-wide notice: nothing.
    assert await _actions(db, GRID2_CHIEF, grid_notice) == []
    assert await _actions(db, B1_CHIEF, grid_notice) == []
    for outsider in (GRID2_CHIEF, B1_CHIEF):
        async with db() as session:
            with pytest.raises(PermissionDenied):
                await notice_service.pause(session, await _chief(session, outsider), grid_notice)
    assert await _state(db, grid_notice) == NoticeState.SCHEDULED
    # The grid chief manages the notices of the buildings of their grid.
    assert A.PAUSE in await _actions(db, GRID1_CHIEF, building_notice)
    assert await _actions(db, GRID2_CHIEF, building_notice) == []
    async with db() as session:
        listed, _active = await notice_service.list_for(session, await _chief(session, GRID2_CHIEF))
    assert listed == []


async def test_target_outside_the_area_is_refused(db: Db) -> None:
    async with db() as session:
        grid2 = await _grid_id(session, "第二网格")
        chief = await _chief(session, GRID1_CHIEF)
        with pytest.raises(PermissionDenied):
            await notice_service.check_target(
                session, chief, notice_service.Target(TargetKind.GRID, grid2)
            )
        with pytest.raises(PermissionDenied):  # only admins reach every group
            await notice_service.check_target(session, chief, notice_service.Target(TargetKind.ALL))


async def test_refusals_in_the_wrong_state_change_nothing(db: Db) -> None:
    notice_id = await _create(db, GRID1_CHIEF)
    async with db() as session:
        with pytest.raises(InvalidState) as refused:
            chief = await _chief(session, GRID1_CHIEF)
            await notice_service.resume(session, chief, notice_id, datetime.now(UTC), TZ)
    assert refused.value.key == "notice-error-not-paused"
    async with db() as session:
        await notice_service.pause(session, await _chief(session, GRID1_CHIEF), notice_id)
    async with db() as session:  # a second press of Pause
        with pytest.raises(InvalidState) as refused:
            await notice_service.pause(session, await _chief(session, GRID1_CHIEF), notice_id)
    assert refused.value.key == "notice-error-not-active"
    async with db() as session:
        await notice_service.cancel(session, await _chief(session, GRID1_CHIEF), notice_id)
    for action in (A.CANCEL, A.EDIT, A.PAUSE, A.RESUME):
        async with db() as session:  # a button left on an older card
            with pytest.raises(StaleAction):
                await notice_service.get_for(
                    session, await _chief(session, GRID1_CHIEF), notice_id, action
                )
    async with db() as session:
        with pytest.raises(InvalidState):
            await notice_service.cancel(session, await _chief(session, GRID1_CHIEF), notice_id)
        with pytest.raises(InvalidState):
            await notice_service.edit_text(
                session, await _chief(session, GRID1_CHIEF), notice_id, "新的文字"
            )
    async with db() as session:
        notice = await notice_service.get_notice(session, notice_id)
        assert notice is not None
        assert notice.state == NoticeState.CANCELLED and notice.text == "停水通知"


async def test_a_due_notice_is_claimed_and_started_once(db: Db) -> None:
    notice_id = await _create(db, GRID1_CHIEF)
    due = datetime.now(UTC) + timedelta(days=3, seconds=5)
    for _ in range(2):  # a second tick, or a second process
        async with db() as session:
            await notice_service.claim_due(
                session, due, TZ, grace_seconds=3600, delayed_after_seconds=120
            )
    async with db() as session:
        runs = await notice_service.runs_to_start(session)
        assert [run.notice_id for run in runs] == [notice_id]
        started = [
            await notice_service.start_run(
                session,
                runs[0].id,
                chat_ids=[-100900],
                text="停水通知",
                media_kind=None,
                media_file_id=None,
                reply_markup=None,
                notify_resident_id=None,
                progress_chat_id=None,
                now=due,
            )
            for _ in range(2)
        ]
    assert started[0] is not None and started[1] is None
    async with db() as session:
        assert await session.scalar(select(func.count()).select_from(NoticeRun)) == 1
        assert await notice_service.runs_to_start(session) == []
    assert await _state(db, notice_id) == NoticeState.DONE
