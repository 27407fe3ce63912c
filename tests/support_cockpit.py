"""Cockpit test helpers: a little history in the example community (requests, wishes, a
topic, an activity, points), made through the services where they exist."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from linli.models import Building, Grid, Resident, ResidentStatus, Role
from linli.models.deliberation import Scope
from linli.models.points import (
    Activity,
    ActivitySignup,
    ActivityState,
    LedgerEntry,
    LedgerKind,
    PointsPrivacy,
    RewardItem,
    SignupStatus,
)
from linli.services import complaints, topics, wishes
from tests.support import B1_CHIEF, B4_CHIEF, GRID1_CHIEF, GRID2_CHIEF

AUTHOR_NAME = "周明亮"  # files an anonymous request: never on a page or in a CSV
SHOWN_NAME = "吴晓红"  # by name on the leaderboard
HIDDEN_NAME = "郑秘密"  # a neighbour on the leaderboard: never by name
FORMULA_TEXT = '=HYPERLINK("http://evil.example","点我")'


@dataclass
class World:
    now: datetime
    anonymous_id: int
    named_id: int
    formula_id: int
    grid2_id: int
    wish_id: int
    topic_id: int
    grid1: int
    grid2: int
    b1: int
    b4: int


async def _building(session: AsyncSession, grid: str, name: str) -> Building:
    found = await session.scalar(
        select(Building).join(Grid).where(Grid.name == grid, Building.name == name)
    )
    assert found is not None
    return found


async def _resident(session: AsyncSession, telegram_id: int) -> Resident:
    found = await session.scalar(select(Resident).where(Resident.telegram_id == telegram_id))
    assert found is not None
    return found


async def _person(
    session: AsyncSession, telegram_id: int, name: str, building: Building, now: datetime
) -> Resident:
    grid = await session.get(Grid, building.grid_id)
    assert grid is not None
    resident = Resident(
        telegram_id=telegram_id,
        display_name=name,
        building_id=building.id,
        community_id=grid.community_id,
        status=ResidentStatus.VERIFIED,
        verified_at=now - timedelta(hours=3),
        role=Role.RESIDENT,
    )
    session.add(resident)
    await session.commit()
    return resident


def _complaint(**kw: Any) -> dict[str, Any]:
    return {
        "voice_file_id": None,
        "photo_file_ids": [],
        "latitude": None,
        "longitude": None,
        "location_text": None,
        **kw,
    }


async def seed_world(
    sessionmaker: async_sessionmaker[AsyncSession], now: datetime | None = None
) -> World:
    """Requests in grid 1 (one anonymous, one by name, one whose text is a formula) and
    grid 2, a fulfilled wish, a topic, a completed activity, points and a shop item; all
    within the last few hours of `now`."""
    now = now or datetime.now(UTC)
    t0 = now - timedelta(hours=2)
    async with sessionmaker() as session:
        b1 = await _building(session, "第一网格", "1号楼")
        b4 = await _building(session, "第二网格", "4号楼")
        author = await _person(session, 7001, AUTHOR_NAME, b1, now)
        shown = await _person(session, 7002, SHOWN_NAME, b1, now)
        hidden = await _person(session, 7003, HIDDEN_NAME, b1, now)
        other = await _person(session, 7004, "钱多多", b4, now)
        session.add(PointsPrivacy(resident_id=hidden.id, as_neighbour=True))
        await session.commit()
        b1_id, b4_id, grid1, grid2 = b1.id, b4.id, b1.grid_id, b4.grid_id
        ids = [author.id, shown.id, hidden.id, other.id]
        chiefs = {
            tid: (await _resident(session, tid)).id for tid in (B1_CHIEF, GRID1_CHIEF, GRID2_CHIEF)
        }

    async def act(fn: Any, who: int, *args: Any, **kw: Any) -> Any:
        """`who`: 0-3 the residents above, or a chief's Telegram id."""
        async with sessionmaker() as session:
            actor = await session.get(Resident, ids[who] if who < 10 else chiefs[who])
            return await fn(session, actor, *args, **kw)

    anonymous = await act(
        complaints.create,
        0,
        **_complaint(category="repairs", text="楼道灯坏了", anonymous=True, now=t0),
    )
    named = await act(
        complaints.create,
        1,
        **_complaint(category="sanitation", text="垃圾没人收", anonymous=False, now=t0),
    )
    formula = await act(
        complaints.create,
        2,
        **_complaint(category="noise", text=FORMULA_TEXT, anonymous=False, now=t0),
    )
    in_grid2 = await act(
        complaints.create,
        3,
        **_complaint(category="parking", text="车位被占", anonymous=False, now=t0),
    )
    anonymous_id = anonymous.complaint.id
    await act(complaints.accept, B1_CHIEF, anonymous_id, t0 + timedelta(minutes=30))
    await act(complaints.start, B1_CHIEF, anonymous_id, t0 + timedelta(minutes=40))
    await act(complaints.resolve, B1_CHIEF, anonymous_id, "换了新灯", None, t0 + timedelta(hours=1))
    await act(complaints.rate, 0, anonymous_id, 5, t0 + timedelta(hours=1, minutes=5), 7)
    await act(complaints.accept, GRID1_CHIEF, named.complaint.id, t0 + timedelta(hours=1))
    await act(complaints.accept, GRID2_CHIEF, in_grid2.complaint.id, t0 + timedelta(minutes=10))

    wish = await act(
        wishes.create,
        1,
        category="daily",
        text="想请人帮忙换灯泡",
        voice_file_id=None,
        photo_file_id=None,
        show_name=True,
        now=t0,
    )
    await act(wishes.claim, 2, wish.id, t0 + timedelta(minutes=20))
    await act(wishes.fulfil, 1, wish.id, t0 + timedelta(minutes=90), lambda _c: 10)
    topic = await act(
        topics.propose,
        2,
        title="加装电梯",
        description="三号楼老人多",
        voice=None,
        scope=Scope.GRID,
    )
    async with sessionmaker() as session:
        activity = Activity(
            community_id=(await session.get(Grid, grid1)).community_id,  # type: ignore[union-attr]
            grid_id=grid1,
            title="清扫楼道",
            place="1号楼",
            starts_at=t0,
            ends_at=t0 + timedelta(hours=1, minutes=30),
            capacity=10,
            seats_taken=1,
            points=5,
            checkin_code="CK1",
            state=ActivityState.COMPLETED,
            completed_at=t0 + timedelta(hours=2),
        )
        session.add(activity)
        await session.flush()
        session.add(
            ActivitySignup(
                activity_id=activity.id,
                resident_id=ids[1],
                status=SignupStatus.GOING,
                attended_at=t0 + timedelta(minutes=5),
            )
        )
        session.add(
            LedgerEntry(
                resident_id=ids[1],
                delta=5,
                kind=LedgerKind.ACTIVITY,
                reason="清扫楼道",
                idempotency_key="test-activity-1",
                created_at=t0 + timedelta(hours=2),
            )
        )
        session.add(
            RewardItem(
                community_id=activity.community_id, name="大米", cost=30, stock=12, active=True
            )
        )
        await session.commit()
    return World(
        now=now,
        anonymous_id=anonymous_id,
        named_id=named.complaint.id,
        formula_id=formula.complaint.id,
        grid2_id=in_grid2.complaint.id,
        wish_id=wish.id,
        topic_id=topic.id,
        grid1=grid1,
        grid2=grid2,
        b1=b1_id,
        b4=b4_id,
    )


async def chief(sessionmaker: async_sessionmaker[AsyncSession], telegram_id: int) -> Resident:
    async with sessionmaker() as session:
        return await _resident(session, telegram_id)


__all__ = ["B1_CHIEF", "B4_CHIEF", "GRID1_CHIEF", "GRID2_CHIEF", "World", "seed_world"]
