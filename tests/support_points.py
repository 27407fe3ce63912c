"""Points test helpers: set-up straight in the database (on a Harness, or on a session for
the service tests), ledger consistency checks, activities created and joined through the
bot."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from linli.models import Building, Grid, Resident, ResidentStatus, Role
from linli.models.db import write_transaction
from linli.models.points import (
    Activity,
    ActivitySignup,
    LedgerEntry,
    LedgerKind,
    PointsBalance,
    RewardItem,
    SignupStatus,
)
from linli.services import ledger
from tests.support import Harness

_keys = itertools.count(1)


# --- on a session (service tests) ----------------------------------------------------------


async def resident_by_telegram_id(session: AsyncSession, telegram_id: int) -> Resident:
    resident = await session.scalar(select(Resident).where(Resident.telegram_id == telegram_id))
    assert resident is not None
    return resident


async def db_resident(
    session: AsyncSession,
    telegram_id: int,
    grid: str,
    building: str,
    *,
    role: Role = Role.RESIDENT,
) -> Resident:
    """A verified resident of `building` (an admin of its community with `role=ADMIN`)."""
    target = await session.scalar(
        select(Building).join(Grid).where(Grid.name == grid, Building.name == building)
    )
    assert target is not None
    grid_row = await session.get(Grid, target.grid_id)
    assert grid_row is not None
    resident = Resident(
        telegram_id=telegram_id,
        display_name=f"居民{telegram_id}",
        building_id=target.id,
        community_id=grid_row.community_id,
        status=ResidentStatus.VERIFIED,
        role=role,
    )
    session.add(resident)
    await session.commit()
    return resident


async def db_credit(
    session: AsyncSession, telegram_id: int, points: int, kind: LedgerKind = LedgerKind.AWARD
) -> None:
    """Give a resident points through the ledger service (as an award would)."""
    resident = await resident_by_telegram_id(session, telegram_id)
    async with write_transaction(session):
        await ledger.post(
            session,
            resident_id=resident.id,
            delta=points,
            kind=kind,
            idempotency_key=f"test:{next(_keys)}",
            reason="test",
        )


async def db_item(
    session: AsyncSession,
    name: str = "大米一袋",
    *,
    cost: int = 10,
    stock: int = 5,
    active: bool = True,
) -> int:
    community_id = (await session.scalars(select(Grid.community_id).limit(1))).one()
    item = RewardItem(community_id=community_id, name=name, cost=cost, stock=stock, active=active)
    session.add(item)
    await session.commit()
    return item.id


async def db_activity(
    session: AsyncSession,
    *,
    starts_at: datetime,
    hours: float = 2,
    capacity: int = 2,
    points: int = 10,
    per_hour: bool = False,
    code: str = "246810",
    grid: str = "第一网格",
) -> int:
    grid_row = await session.scalar(select(Grid).where(Grid.name == grid))
    assert grid_row is not None
    activity = Activity(
        community_id=grid_row.community_id,
        grid_id=grid_row.id,
        title="清扫楼道",
        place="1号楼门口",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        capacity=capacity,
        seats_taken=0,
        points=points,
        per_hour=per_hour,
        checkin_code=code,
    )
    session.add(activity)
    await session.commit()
    return activity.id


# --- on a Harness (conversation tests) ---------------------------------------------------------


async def credit(
    h: Harness, telegram_id: int, points: int, kind: LedgerKind = LedgerKind.AWARD
) -> None:
    """Give a resident points through the ledger service (as an award would)."""
    async with h.db() as session:
        await db_credit(session, telegram_id, points, kind)


async def bulk_residents(
    h: Harness, first_id: int, count: int, grid: str, building: str, *, points: int = 0
) -> list[int]:
    """`count` verified residents created in one INSERT (plus their points), not through
    the bot; returns their Telegram ids."""
    target = await h.building(grid, building)
    ids = list(range(first_id, first_id + count))
    for telegram_id in ids:
        h.emu.add_user(telegram_id, f"居民{telegram_id}")
    async with h.db() as session:
        grid_row = await session.get(Grid, target.grid_id)
        assert grid_row is not None
        async with write_transaction(session):
            await session.execute(
                insert(Resident),
                [
                    {
                        "telegram_id": telegram_id,
                        "display_name": f"居民{telegram_id}",
                        "building_id": target.id,
                        "community_id": grid_row.community_id,
                        "status": ResidentStatus.VERIFIED,
                    }
                    for telegram_id in ids
                ],
            )
            if points:
                rows = (
                    (
                        await session.execute(
                            select(Resident.id).where(Resident.telegram_id.in_(ids))
                        )
                    )
                    .scalars()
                    .all()
                )
                await session.execute(
                    insert(LedgerEntry),
                    [
                        {
                            "resident_id": rid,
                            "delta": points,
                            "kind": LedgerKind.AWARD,
                            "reason": "seed",
                            "idempotency_key": f"seed:{rid}",
                        }
                        for rid in rows
                    ],
                )
                await session.execute(
                    insert(PointsBalance),
                    [{"resident_id": rid, "balance": points} for rid in rows],
                )
    return ids


async def add_item(
    h: Harness, name: str = "大米一袋", *, cost: int = 10, stock: int = 5, active: bool = True
) -> int:
    async with h.db() as session:
        return await db_item(session, name, cost=cost, stock=stock, active=active)


async def balance_of(h: Harness, telegram_id: int) -> tuple[int, int]:
    """(sum of the ledger, cached balance)."""
    async with h.db() as session:
        resident = await session.scalar(select(Resident).where(Resident.telegram_id == telegram_id))
        assert resident is not None
        return await ledger.balance(session, resident.id), await ledger.cached_balance(
            session, resident.id
        )


async def assert_ledger_consistent(h: Harness) -> None:
    """Every cached balance equals the sum of the resident's entries; none is negative."""
    async with h.db() as session:
        sums = dict(
            (
                await session.execute(
                    select(LedgerEntry.resident_id, func.sum(LedgerEntry.delta)).group_by(
                        LedgerEntry.resident_id
                    )
                )
            ).all()
        )
        cached = dict(
            (await session.execute(select(PointsBalance.resident_id, PointsBalance.balance))).all()
        )
    for resident_id, total in sums.items():
        assert cached.get(resident_id, 0) == total, (resident_id, total, cached.get(resident_id))
        assert total >= 0
    for resident_id, value in cached.items():
        assert sums.get(resident_id, 0) == value


async def create_activity(
    h: Harness,
    *,
    starts_in: timedelta = timedelta(days=2),
    hours: float = 2,
    capacity: int = 2,
    points: int = 10,
    per_hour: bool = False,
    code: str = "246810",
    grid: str = "第一网格",
) -> int:
    async with h.db() as session:
        return await db_activity(
            session,
            starts_at=datetime.now(UTC).replace(microsecond=0) + starts_in,
            hours=hours,
            capacity=capacity,
            points=points,
            per_hour=per_hour,
            code=code,
            grid=grid,
        )


async def signup_status(h: Harness, activity_id: int, telegram_id: int) -> SignupStatus | None:
    resident = await h.resident(telegram_id)
    assert resident is not None
    async with h.db() as session:
        signup = await session.scalar(
            select(ActivitySignup).where(
                ActivitySignup.activity_id == activity_id,
                ActivitySignup.resident_id == resident.id,
            )
        )
        return signup.status if signup is not None else None


async def join_activity(h: Harness, user: int, button: str = "报名") -> str:
    listing = await h.ask(user, "/activities")
    await h.press(user, listing, "清扫楼道")
    card = h.emu.last_message(user)
    assert card is not None and "1号楼门口" in card.text
    pressed = await h.press(user, card, button)
    return pressed.alert


async def set_language(h: Harness, telegram_id: int, language: str) -> None:
    """The resident's /lang choice, set in the database."""
    async with h.db() as session:
        await session.execute(
            update(Resident).where(Resident.telegram_id == telegram_id).values(language=language)
        )
        await session.commit()
