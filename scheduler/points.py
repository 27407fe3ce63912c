"""Scheduled jobs of volunteer points: activity reminders, telling about credits a monthly
cap withheld, redemption expiry (refund), forgetting old wrong check-in codes, and the
monthly leaderboard posted to each bound grid group. Each job claims its rows in the
database first (services), so running twice (or in two processes) never repeats an effect;
what residents and groups see is the delivery layer's (`bot.delivery.points`)."""

from __future__ import annotations

from linli.scheduler.jobs import JobContext, periodic
from linli.services import activities, rewards
from linli.services import leaderboard as board_service


@periodic("points.activity_reminders", seconds=60)
async def activity_reminders(ctx: JobContext) -> int:
    """The evening before and one hour before, to everyone with a seat."""
    async with ctx.sessionmaker() as session:
        due = await activities.claim_reminders(
            session,
            ctx.now,
            tz=ctx.settings.tz,
            evening_hour=ctx.settings.points.evening_reminder_hour,
        )
    return await ctx.delivery.points.remind(due, ctx.now)


@periodic("points.tell_withheld", seconds=60)
async def tell_withheld(ctx: JobContext) -> int:
    """Credits a monthly cap withheld (a wish's, whose fulfilment the wishes flow handles):
    the resident and the wish's author are told once."""
    return await ctx.delivery.points.tell_withheld()


@periodic("points.purge_checkin_attempts", seconds=3600)
async def purge_checkin_attempts(ctx: JobContext) -> int:
    """Wrong check-in codes older than a day are forgotten."""
    async with ctx.sessionmaker() as session:
        return await activities.purge_checkin_attempts(session, ctx.now)


@periodic("points.expire_redemptions", seconds=300)
async def expire_redemptions(ctx: JobContext) -> int:
    """Unclaimed redemptions past their deadline: refund, stock back, tell the resident."""
    async with ctx.sessionmaker() as session:
        expired = await rewards.expire_due(session, ctx.now)
    await ctx.delivery.points.expired(expired)
    return len(expired)


@periodic("points.monthly_leaderboard", cron={"day": 1, "hour": 9, "minute": 0})
async def monthly_leaderboard(ctx: JobContext) -> int:
    """Last month's top residents of each grid, with a bar chart, once per group and month.
    Returns how many groups it was posted to (enqueued)."""
    async with ctx.sessionmaker() as session:
        boards = await board_service.monthly_boards(
            session, ctx.now, ctx.settings.tz, size=ctx.settings.points.leaderboard_size
        )
    posted = 0
    for board in boards:
        posted += await ctx.delivery.points.post_monthly(board)
    return posted
