"""Leaderboards (积分排名公示): points earned in a period, per grid or per community, and the
leaderboard privacy choice. Spending never lowers a rank: only earning kinds count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, Select, bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from linli.models import Building, ChatBinding, Grid, Resident
from linli.models.db import write_transaction
from linli.models.points import (
    EARNING_KINDS,
    LeaderboardPost,
    LedgerEntry,
    LedgerKind,
    PointsBalance,
    PointsPrivacy,
)
from linli.services import bindings, ledger, outbox
from linli.services.authz import require_verified
from linli.services.errors import StaleAction


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


# --- /points ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Overview:
    """What /points shows: the balance, this month's earnings, the all-time rank in the
    resident's grid and the latest entries."""

    balance: int
    month_earned: int
    grid: str | None
    rank: int | None
    entries: list[LedgerEntry]
    total: int


async def overview(
    session: AsyncSession, resident: Resident, now: datetime, tz: ZoneInfo, *, limit: int
) -> Overview:
    """Two statements (the hot path of /points): one row with the balance, this month's
    earnings (as `ledger.earned_between`), the grid, the all-time rank in it (as
    `rank_in_grid`) and the number of entries; then the latest entries."""
    require_verified(resident)
    start = ledger.month_start(now, tz)
    row = (
        await session.execute(
            _OVERVIEW,
            {
                "resident_id": resident.id,
                "building_id": resident.building_id,
                "month_start": start,
                "month_end": ledger.next_month(start),
            },
        )
    ).one()
    balance, month_earned, grid, earned_total, ahead, total = row
    entries = await session.scalars(
        _LATEST_ENTRIES, {"entries_of": resident.id, "entries_limit": limit}
    )
    has_rank = grid is not None and earned_total is not None and earned_total > 0
    return Overview(
        balance=int(balance or 0),
        month_earned=int(month_earned or 0),
        grid=grid,
        rank=1 + int(ahead or 0) if has_rank else None,
        entries=list(entries.all()),
        total=int(total or 0),
    )


def _overview_statements() -> tuple[Select[Any], Select[tuple[LedgerEntry]]]:
    """`overview`'s two statements, built once (building them cost more than running them)."""
    own = LedgerEntry.resident_id == bindparam("resident_id")
    earned = LedgerEntry.kind.in_(EARNING_KINDS)
    mine = select(func.sum(LedgerEntry.delta)).where(own, earned).scalar_subquery()
    grid_id = (
        select(Building.grid_id).where(Building.id == bindparam("building_id")).scalar_subquery()
    )
    better = (
        select(LedgerEntry.resident_id)
        .join(Resident, LedgerEntry.resident_id == Resident.id)
        .join(Building, Resident.building_id == Building.id)
        .where(Building.grid_id == grid_id, earned)
        .group_by(LedgerEntry.resident_id)
        .having(func.sum(LedgerEntry.delta) > mine)
        .subquery()
    )
    figures = select(
        select(PointsBalance.balance)
        .where(PointsBalance.resident_id == bindparam("resident_id"))
        .scalar_subquery(),
        select(func.coalesce(func.sum(LedgerEntry.delta), 0))
        .where(
            own,
            LedgerEntry.delta > 0,
            LedgerEntry.kind.in_([LedgerKind.ACTIVITY, LedgerKind.WISH, LedgerKind.AWARD]),
            LedgerEntry.created_at >= bindparam("month_start"),
            LedgerEntry.created_at < bindparam("month_end"),
        )
        .scalar_subquery(),
        select(Grid.name).where(Grid.id == grid_id).scalar_subquery(),
        mine,
        select(func.count()).select_from(better).scalar_subquery(),
        select(func.count()).select_from(LedgerEntry).where(own).scalar_subquery(),
    )
    latest = (
        select(LedgerEntry)
        .where(LedgerEntry.resident_id == bindparam("entries_of"))
        .order_by(LedgerEntry.created_at.desc(), LedgerEntry.id.desc())
        .limit(bindparam("entries_limit", type_=Integer))
    )
    return figures, latest


_OVERVIEW, _LATEST_ENTRIES = _overview_statements()


# --- boards ---------------------------------------------------------------------------------


class Period(StrEnum):
    MONTH = "m"  # this calendar month (community time)
    ALL = "a"  # all time


class Scope(StrEnum):
    GRID = "g"
    COMMUNITY = "c"


@dataclass(frozen=True)
class Board:
    """A leaderboard as one reader sees it. `grid` is None for the whole community;
    `viewer` is False in a group (no personal rank), else `mine` is the reader's row."""

    period: Period
    scope: Scope
    grid: Grid | None
    top: list[Standing]
    viewer: bool
    mine: Standing | None


async def _board(
    session: AsyncSession,
    *,
    period: Period,
    grid: Grid | None,
    community_id: int | None,
    viewer: Resident | None,
    now: datetime,
    tz: ZoneInfo,
    size: int,
) -> Board:
    start = end = None
    if period == Period.MONTH:
        start = ledger.month_start(now, tz)
        end = ledger.next_month(start)
    rows = await standings(
        session,
        community_id=community_id,
        grid_id=grid.id if grid is not None else None,
        start=start,
        end=end,
    )
    return Board(
        period=period,
        scope=Scope.GRID if grid is not None else Scope.COMMUNITY,
        grid=grid,
        top=rows[:size],
        viewer=viewer is not None,
        mine=rank_of(rows, viewer.id) if viewer is not None else None,
    )


async def for_resident(
    session: AsyncSession,
    resident: Resident | None,
    *,
    period: Period,
    scope: Scope,
    now: datetime,
    tz: ZoneInfo,
    size: int,
) -> Board:
    """In a private chat: the resident's grid (or, when asked or without a grid, the whole
    community), with their own rank."""
    resident = require_verified(resident)
    grid = await grid_of(session, resident)
    community_id = grid.community_id if grid is not None else resident.community_id
    return await _board(
        session,
        period=period,
        grid=grid if scope == Scope.GRID else None,
        community_id=community_id,
        viewer=resident,
        now=now,
        tz=tz,
        size=size,
    )


async def for_chat(
    session: AsyncSession, chat_id: int, *, period: Period, now: datetime, tz: ZoneInfo, size: int
) -> Board | None:
    """In a group: the grid the group is bound to, no personal rank; None when the group
    is not bound."""
    binding = await bindings.binding_for_chat(session, chat_id)
    if binding is None:
        return None
    grid = await bindings.grid_of_chat(session, binding)
    return await _board(
        session,
        period=period,
        grid=grid,
        community_id=grid.community_id,
        viewer=None,
        now=now,
        tz=tz,
        size=size,
    )


def parse_choice(period: str, scope: str) -> tuple[Period, Scope]:
    """The period and scope of a board button; anything else is a stale button."""
    try:
        return Period(period), Scope(scope)
    except ValueError:
        raise StaleAction() from None


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


@dataclass(frozen=True)
class MonthlyBoard:
    """Last month's top residents of one grid, for the groups bound to it that have not had
    it yet."""

    grid_name: str
    period: str  # "2026-11"
    chat_ids: list[int]
    top: list[Standing]


async def _bound_grids(session: AsyncSession) -> dict[int, tuple[int, str, list[int]]]:
    """grid id → (community id, grid name, active group chats bound to it)."""
    grids: dict[int, tuple[int, str, list[int]]] = {}
    rows = await session.execute(
        select(ChatBinding.chat_id, Grid)
        .join(Grid, ChatBinding.grid_id == Grid.id)
        .where(ChatBinding.active)
        .order_by(ChatBinding.id)
    )
    for chat_id, grid in rows.all():
        grids.setdefault(grid.id, (grid.community_id, grid.name, []))[2].append(chat_id)
    return grids


async def monthly_boards(
    session: AsyncSession, now: datetime, tz: ZoneInfo, *, size: int
) -> list[MonthlyBoard]:
    """The boards of the month before `now` still to post, one per grid with such groups.
    Reads only; `claim_and_post` decides, per group."""
    start, end = ledger.previous_month(now, tz)
    period = start.strftime("%Y-%m")
    boards: list[MonthlyBoard] = []
    for grid_id, (community_id, grid_name, chats) in (await _bound_grids(session)).items():
        done = await posted_chats(session, chats, period)
        chats = [chat for chat in chats if chat not in done]
        if not chats:
            continue
        rows = await standings(
            session, community_id=community_id, grid_id=grid_id, start=start, end=end
        )
        await session.commit()
        boards.append(MonthlyBoard(grid_name, period, chats, rows[:size]))
    return boards


async def record_post(session: AsyncSession, post_id: int, message_id: int | None) -> None:
    """The Telegram message id of a delivered leaderboard post."""
    async with write_transaction(session):
        await session.execute(
            update(LeaderboardPost)
            .where(LeaderboardPost.id == post_id)
            .values(message_id=message_id)
            .execution_options(synchronize_session=False)
        )
