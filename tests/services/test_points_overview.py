"""/points reads its overview in two statements (services/leaderboard.overview): the same
figures as the ledger and leaderboard functions it stands for, tie by tie."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from linli.models.points import LedgerKind
from linli.services import leaderboard as board_service
from linli.services import ledger
from tests.support_points import db_credit, db_resident

TZ = ZoneInfo("Asia/Shanghai")


async def _composed(session: AsyncSession, resident, now: datetime, limit: int):  # type: ignore[no-untyped-def]
    mine = await ledger.summary(session, resident, now, TZ)
    grid = await board_service.grid_of(session, resident)
    rank = (
        await board_service.rank_in_grid(session, resident.id, grid.id)
        if grid is not None
        else None
    )
    entries, total = await ledger.history(session, resident.id, limit=limit)
    return (
        mine.balance,
        mine.month_earned,
        grid.name if grid is not None else None,
        rank,
        [e.id for e in entries],
        total,
    )


async def test_overview_matches_the_functions_it_replaces(
    db: async_sessionmaker[AsyncSession],
) -> None:
    async with db() as session:
        people = {
            7101: ("第一网格", "1号楼"),
            7102: ("第一网格", "2号楼"),
            7103: ("第一网格", "1号楼"),
            7104: ("第二网格", "4号楼"),
            7105: ("第一网格", "2号楼"),
        }
        residents = {t: await db_resident(session, t, *place) for t, place in people.items()}
        for telegram_id, points in ((7101, 30), (7102, 30), (7103, 10), (7104, 50)):
            await db_credit(session, telegram_id, points)
        await db_credit(session, 7101, 5, kind=LedgerKind.WISH)
        await db_credit(session, 7101, -20, kind=LedgerKind.GIFT)  # spending keeps the rank
        await db_credit(session, 7102, 5)
        now = datetime.now(UTC)
        for resident in residents.values():
            for limit in (1, 10):
                got = await board_service.overview(session, resident, now, TZ, limit=limit)
                figures = (
                    got.balance,
                    got.month_earned,
                    got.grid,
                    got.rank,
                    [e.id for e in got.entries],
                    got.total,
                )
                assert figures == await _composed(session, resident, now, limit)
        ranks = {
            t: (await board_service.overview(session, r, now, TZ, limit=1)).rank
            for t, r in residents.items()
        }
        assert ranks == {7101: 1, 7102: 1, 7103: 3, 7104: 1, 7105: None}
