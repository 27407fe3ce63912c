"""Notice rules, straight on the services (no bot, no HTTP): the actions each state allows,
the chief's area, refusals that change nothing, and runs claimed once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from linli.models import AuditLog, Grid, Resident, ResidentStatus, Role
from linli.models.notices import NoticeKind, NoticeRun, NoticeState, Repeat, RunStatus, TargetKind
from linli.services import notices as notice_service
from linli.services import residents
from linli.services.errors import InvalidState, PermissionDenied, StaleAction, ValidationFailed
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


# --- typed times, dates and days (issue 12: strict parsing, today's forms kept) -------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("9:30", "09:30"),
        ("09:30", "09:30"),
        ("19：30", "19:30"),
        ("9点", "09:00"),
        ("19点30分", "19:30"),
        ("9点半", "09:30"),
        ("下午3点", "15:00"),
        ("3pm", "15:00"),
        ("9", "09:00"),
        ("0", "00:00"),
        ("23:59", "23:59"),
    ],
)
def test_times_in_the_forms_accepted_before(typed: str, expected: str) -> None:
    assert notice_service.read_time(typed) == expected


@pytest.mark.parametrize("typed", ["", "24:00", "9:60", "²:00", "９:30", "٩:30", "25", "早上", "x"])
def test_unreadable_times_are_refused(typed: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        notice_service.read_time(typed)
    assert refused.value.key == "notice-error-bad-time"


NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai, a Friday


@pytest.mark.parametrize(
    ("typed", "local"),
    [
        ("2026-12-01 19:30", (2026, 12, 1, 19, 30)),
        ("12-01 19:30", (2026, 12, 1, 19, 30)),
        ("12/01 19:30", (2026, 12, 1, 19, 30)),
        ("12.01 19:30", (2026, 12, 1, 19, 30)),
        ("12月1日 19:30", (2026, 12, 1, 19, 30)),
        ("12月1日19点", (2026, 12, 1, 19, 0)),
        ("2026年12月1日 19点30分", (2026, 12, 1, 19, 30)),
        ("12-01T19:30", (2026, 12, 1, 19, 30)),
        ("12月8日 9点", (2026, 12, 8, 9, 0)),
        ("明天下午3点", (2026, 11, 21, 15, 0)),
        ("周六 9点", (2026, 11, 21, 9, 0)),
        ("下周一 14:30", (2026, 11, 23, 14, 30)),
        ("3-1 08:00", (2027, 3, 1, 8, 0)),  # 1 March has passed this year: next year's
        ("11-01 08:00", (2027, 11, 1, 8, 0)),
    ],
)
def test_dates_in_the_common_forms(typed: str, local: tuple[int, ...]) -> None:
    moment = notice_service.read_when(typed, NOW, TZ)
    assert moment.tzinfo is not None and moment.utcoffset() == timedelta(0)
    shown = moment.astimezone(TZ)
    assert (shown.year, shown.month, shown.day, shown.hour, shown.minute) == local


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("下周找个时间", "notice-error-bad-date"),
        ("2026-02-30 10:00", "notice-error-bad-date"),
        ("１２-０１ 19:30", "notice-error-bad-date"),
        ("12-01", "notice-error-bad-date"),
        ("2026-11-19 10:00", "notice-error-past"),
        ("今天 9点", "notice-error-past"),
    ],
)
def test_unreadable_or_past_dates_are_refused(typed: str, key: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        notice_service.read_when(typed, NOW, TZ)
    assert refused.value.key == key


def test_days_of_the_month_are_ascii_numbers_from_1_to_31() -> None:
    assert [notice_service.read_month_day(day) for day in ("1", "28", "31")] == [1, 28, 31]
    for typed in ("0", "32", "３", "²", "-1", "+5", "", "1" * 40):
        with pytest.raises(ValidationFailed):
            notice_service.read_month_day(typed)


# --- the author is checked again at every run (issue 12) -----------------------------------


async def _demote(db: Db, telegram_id: int, **changes: object) -> None:
    async with db() as session:
        values: dict[str, object] = {
            "role": Role.RESIDENT,
            "chief_grid_id": None,
            "chief_building_id": None,
        }
        values.update(changes)
        await session.execute(
            update(Resident).where(Resident.telegram_id == telegram_id).values(**values)
        )
        await session.commit()


async def _claim(db: Db, now: datetime) -> int:
    async with db() as session:
        return await notice_service.claim_due(
            session, now, TZ, grace_seconds=3600, delayed_after_seconds=120
        )


async def _runs(db: Db) -> list[tuple[RunStatus, bool]]:
    async with db() as session:
        rows = (await session.scalars(select(NoticeRun).order_by(NoticeRun.id))).all()
        return [(run.status, run.author_told) for run in rows]


async def test_a_demoted_authors_notice_is_withheld_and_paused_once(db: Db) -> None:
    notice_id = await _create(db, B1_CHIEF, kind=NoticeKind.AGENDA, building=True)
    async with db() as session:
        notice = await notice_service.get_notice(session, notice_id)
        assert notice is not None and notice.next_run_at is not None
        due = notice.next_run_at
        assert await notice_service.author_may_post(session, notice)
    await _demote(db, B1_CHIEF)
    for _ in range(2):  # a second tick, or a second process
        assert await _claim(db, due + timedelta(seconds=5)) == 0
    assert await _state(db, notice_id) == NoticeState.PAUSED
    assert await _runs(db) == [(RunStatus.WITHHELD, False)]
    async with db() as session:
        assert await notice_service.runs_to_start(session) == []
        told = await notice_service.runs_to_tell(session)
        assert [(run.notice_id, run.status) for run in told] == [(notice_id, RunStatus.WITHHELD)]
        assert await notice_service.claim_tell(session, told[0].id)
        assert not await notice_service.claim_tell(session, told[0].id)
        notice = await notice_service.get_notice(session, notice_id)
        assert notice is not None
        stewards = await notice_service.stewards_of(session, notice)
        assert [s.telegram_id for s in stewards] == [GRID1_CHIEF]  # the grid's chief
        log = (
            await session.scalars(select(AuditLog.action).where(AuditLog.target_id == notice_id))
        ).all()
        assert "notice.withhold" in log


async def test_a_moved_chief_may_not_post_to_the_old_grid(db: Db) -> None:
    notice_id = await _create(db, GRID1_CHIEF)
    async with db() as session:
        grid2 = await _grid_id(session, "第二网格")
        community_id = await session.scalar(select(Grid.community_id).where(Grid.id == grid2))
        session.add(
            Resident(
                telegram_id=1,
                display_name="管理员",
                role=Role.ADMIN,
                status=ResidentStatus.VERIFIED,
                community_id=community_id,
            )
        )
        await session.commit()
    await _demote(db, GRID1_CHIEF, role=Role.GRID_CHIEF, chief_grid_id=grid2)
    await _claim(db, datetime.now(UTC) + timedelta(days=3, seconds=5))
    assert await _state(db, notice_id) == NoticeState.PAUSED
    async with db() as session:
        notice = await notice_service.get_notice(session, notice_id)
        assert notice is not None
        # grid 1 has no chief now: the community's admins look after it
        stewards = await notice_service.stewards_of(session, notice)
        assert [(s.telegram_id, s.role) for s in stewards] == [(1, Role.ADMIN)]


async def test_whoever_resumes_a_withheld_notice_becomes_its_author(db: Db) -> None:
    notice_id = await _create(db, B1_CHIEF, kind=NoticeKind.AGENDA, building=True)
    async with db() as session:
        notice = await notice_service.get_notice(session, notice_id)
        assert notice is not None and notice.next_run_at is not None
        due = notice.next_run_at
    await _demote(db, B1_CHIEF)
    await _claim(db, due + timedelta(seconds=5))
    async with db() as session:
        grid_chief = await _chief(session, GRID1_CHIEF)
        await notice_service.resume(session, grid_chief, notice_id, due + timedelta(minutes=1), TZ)
    async with db() as session:
        notice = await notice_service.get_notice(session, notice_id)
        assert notice is not None and notice.state == NoticeState.SCHEDULED
        assert notice.author_id == (await _chief(session, GRID1_CHIEF)).id
        assert notice.next_run_at is not None and notice.next_run_at > due
        next_due = notice.next_run_at
        actions = (await session.scalars(select(AuditLog.action))).all()
        assert "notice.take_over" in actions
    assert await _claim(db, next_due + timedelta(seconds=5)) == 1  # runs again
    assert (await _runs(db))[-1] == (RunStatus.CLAIMED, False)


async def test_a_notice_of_a_chief_still_in_place_runs(db: Db) -> None:
    notice_id = await _create(db, GRID1_CHIEF)
    assert await _claim(db, datetime.now(UTC) + timedelta(days=3, seconds=5)) == 1
    assert await _state(db, notice_id) == NoticeState.DONE
    assert await _runs(db) == [(RunStatus.CLAIMED, False)]
