"""Leaderboards (积分排名公示): points earned in a period, per grid or per community, and the
leaderboard privacy choice. Spending never lowers a rank: only earning kinds count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from linli.models import Building, Grid, Resident
from linli.models.db import write_transaction
from linli.models.points import EARNING_KINDS, LeaderboardPost, LedgerEntry, PointsPrivacy
from linli.services import outbox
from linli.services.authz import require_verified


@dataclass(frozen=True)
class Standing:
    rank: int
    resident_id: int
    name: str
    building: str
    as_neighbour: bool
    points: int


async def standings(
    session: AsyncSession,
    *,
    community_id: int | None,
    grid_id: int | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> list[Standing]:
    """Everyone with points earned in [start, end), best first; equal totals share a rank."""
    total = func.sum(LedgerEntry.delta).label("total")
    stmt = (
        select(
            Resident.id,
            Resident.display_name,
            Building.name,
            func.max(PointsPrivacy.resident_id),  # not NULL: chose to appear as a neighbour
            total,
        )
        .select_from(LedgerEntry)
        .join(Resident, LedgerEntry.resident_id == Resident.id)
        .join(Building, Resident.building_id == Building.id)
        .join(Grid, Building.grid_id == Grid.id)
        .outerjoin(
            PointsPrivacy,
            (PointsPrivacy.resident_id == Resident.id) & PointsPrivacy.as_neighbour,
        )
        .where(LedgerEntry.kind.in_(EARNING_KINDS))
        .group_by(Resident.id, Resident.display_name, Building.name)
        .having(func.sum(LedgerEntry.delta) > 0)
        .order_by(total.desc(), Resident.id)
    )
    if community_id is not None:
        stmt = stmt.where(Grid.community_id == community_id)
    if grid_id is not None:
        stmt = stmt.where(Grid.id == grid_id)
    if start is not None:
        stmt = stmt.where(LedgerEntry.created_at >= start)
    if end is not None:
        stmt = stmt.where(LedgerEntry.created_at < end)
    rows = (await session.execute(stmt)).all()
    result: list[Standing] = []
    previous: int | None = None
    rank = 0
    for position, (resident_id, name, building, private, points) in enumerate(rows, start=1):
        if points != previous:
            rank, previous = position, points
        result.append(
            Standing(
                rank=rank,
                resident_id=resident_id,
                name=name or "",
                building=building,
                as_neighbour=private is not None,
                points=int(points),
            )
        )
    return result


def rank_of(rows: list[Standing], resident_id: int) -> Standing | None:
    return next((row for row in rows if row.resident_id == resident_id), None)


async def rank_in_grid(session: AsyncSession, resident_id: int, grid_id: int) -> int | None:
    """The resident's all-time rank in the grid, as in `standings` (equal totals share a
    rank), counted in SQL: 1 + how many earned more. None without earned points."""
    earned = (LedgerEntry.kind.in_(EARNING_KINDS),)
    mine = await session.scalar(
        select(func.sum(LedgerEntry.delta)).where(LedgerEntry.resident_id == resident_id, *earned)
    )
    if mine is None or mine <= 0:
        return None
    better = (
        select(LedgerEntry.resident_id)
        .join(Resident, LedgerEntry.resident_id == Resident.id)
        .join(Building, Resident.building_id == Building.id)
        .where(Building.grid_id == grid_id, *earned)
        .group_by(LedgerEntry.resident_id)
        .having(func.sum(LedgerEntry.delta) > mine)
        .subquery()
    )
    return 1 + int(await session.scalar(select(func.count()).select_from(better)) or 0)


async def grid_of(session: AsyncSession, resident: Resident) -> Grid | None:
    if resident.building_id is None:
        return None
    building = await session.get(Building, resident.building_id)
    return await session.get(Grid, building.grid_id) if building is not None else None


# --- privacy ----------------------------------------------------------------------------------


async def is_neighbour(session: AsyncSession, resident_id: int) -> bool:
    row = await session.get(PointsPrivacy, resident_id)
    return bool(row and row.as_neighbour)


async def set_privacy(session: AsyncSession, resident: Resident, as_neighbour: bool) -> None:
    require_verified(resident)
    async with write_transaction(session):
        row = await session.get(PointsPrivacy, resident.id, populate_existing=True)
        if row is None:
            session.add(PointsPrivacy(resident_id=resident.id, as_neighbour=as_neighbour))
        else:
            row.as_neighbour = as_neighbour


# --- monthly posting ----------------------------------------------------------------------------


POST_SOURCE = "leaderboard"
"""`outbox_messages.source` of the monthly leaderboard posts (source id: the
`leaderboard_posts` row)."""


async def posted_chats(session: AsyncSession, chat_ids: list[int], period: str) -> set[int]:
    """Which of these chats already had the leaderboard of `period` (a cheap read before
    rendering a chart; `claim_and_post` decides)."""
    if not chat_ids:
        return set()
    rows = await session.scalars(
        select(LeaderboardPost.chat_id).where(
            LeaderboardPost.chat_id.in_(chat_ids), LeaderboardPost.period == period
        )
    )
    result = set(rows.all())
    await session.commit()
    return result


async def claim_and_post(
    session: AsyncSession,
    chat_id: int,
    period: str,
    *,
    caption: str,
    chart: bytes | None,
) -> int | None:
    """Claim the (chat, month) posting and enqueue the post in the outbox, in one
    transaction: a second claim (the job ran twice, or in two processes) finds the unique
    row and enqueues nothing. Returns the outbox message id, None when claimed before.
    Call `bot.delivery.sender.wake()` after."""
    try:
        async with write_transaction(session):
            post = LeaderboardPost(chat_id=chat_id, period=period)
            session.add(post)
            await session.flush()
            message = await outbox.enqueue(
                session,
                chat_ids=[chat_id],
                text=caption,
                source=POST_SOURCE,
                source_id=post.id,
                media_kind="photo" if chart is not None else None,
                media_bytes=chart,
            )
            return message.id
    except IntegrityError:
        return None


async def record_post(session: AsyncSession, post_id: int, message_id: int | None) -> None:
    """The Telegram message id of a delivered leaderboard post."""
    async with write_transaction(session):
        await session.execute(
            update(LeaderboardPost)
            .where(LeaderboardPost.id == post_id)
            .values(message_id=message_id)
            .execution_options(synchronize_session=False)
        )
