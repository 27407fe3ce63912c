"""Scheduled jobs of volunteer points: activity reminders, redemption expiry (refund) and
the monthly leaderboard posted to each bound grid group. Each job claims its rows in the
database first, so running twice (or in two processes) never repeats an effect."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy import select

from linli.bot.charts import render_bar_chart
from linli.bot.delivery.sender import Delivered, on_delivered, wake
from linli.bot.notify import tell
from linli.models import ChatBinding, Grid
from linli.scheduler.jobs import JobContext, periodic
from linli.services import activities, ledger, rewards
from linli.services import leaderboard as board_service

log = logging.getLogger(__name__)


@periodic("points.activity_reminders", seconds=60)
async def activity_reminders(ctx: JobContext) -> int:
    """The evening before and one hour before, to everyone with a seat."""
    sent = 0
    async with ctx.sessionmaker() as session:
        due = await activities.claim_reminders(
            session,
            ctx.now,
            tz=ctx.settings.tz,
            evening_hour=ctx.settings.points.evening_reminder_hour,
        )
    for activity, kind, people in due:
        start = activity.starts_at.astimezone(ctx.settings.tz)
        for person in people:
            if await tell(
                ctx.bot,
                ctx.translator,
                person,
                f"activities-remind-{kind}",
                title=activity.title,
                time=f"{start:%m-%d %H:%M}",
                place=activity.place,
            ):
                sent += 1
    return sent


@periodic("points.expire_redemptions", seconds=300)
async def expire_redemptions(ctx: JobContext) -> int:
    """Unclaimed redemptions past their deadline: refund, stock back, tell the resident."""
    async with ctx.sessionmaker() as session:
        expired = await rewards.expire_due(session, ctx.now)
    for redemption, item, owner in expired:
        await tell(
            ctx.bot,
            ctx.translator,
            owner,
            "rewards-told-expired",
            id=f"R{redemption.id}",
            item=item.name,
            points=str(redemption.cost),
        )
    return len(expired)


async def post_leaderboard(
    ctx: JobContext, chat_id: int, period: str, caption: str, chart: bytes | None
) -> bool:
    """The one place that posts a leaderboard to a group (a photo with a caption, or text):
    claimed per (chat, month) and enqueued in the outbox in one transaction. False when
    this group already had this month's leaderboard."""
    async with ctx.sessionmaker() as session:
        queued = await board_service.claim_and_post(
            session, chat_id, period, caption=caption, chart=chart
        )
    if queued is None:
        return False
    wake()
    return True


@on_delivered(board_service.POST_SOURCE)
async def leaderboard_delivered(ctx: JobContext, delivered: Delivered) -> None:
    """Remember the Telegram message id of the group's leaderboard post."""
    if delivered.source_id is not None:
        async with ctx.sessionmaker() as session:
            await board_service.record_post(session, delivered.source_id, delivered.message_id)


@periodic("points.monthly_leaderboard", cron={"day": 1, "hour": 9, "minute": 0})
async def monthly_leaderboard(ctx: JobContext) -> int:
    """Last month's top residents of each grid, with a bar chart, once per group and month.
    Returns how many groups it was posted to (enqueued)."""
    from linli.handlers.leaderboard import display_name

    tz = ctx.settings.tz
    start, end = ledger.previous_month(ctx.now, tz)
    period = start.strftime("%Y-%m")
    locale = ctx.settings.default_language

    def t(key: str, **kwargs: object) -> str:
        return ctx.translator.get(key, locale, **kwargs)

    grids: dict[int, tuple[int, str, list[int]]] = {}
    async with ctx.sessionmaker() as session:
        for chat_id, grid in (
            await session.execute(
                select(ChatBinding.chat_id, Grid)
                .join(Grid, ChatBinding.grid_id == Grid.id)
                .where(ChatBinding.active)
                .order_by(ChatBinding.id)
            )
        ).all():
            grids.setdefault(grid.id, (grid.community_id, grid.name, []))[2].append(chat_id)
        posted = 0
        for grid_id, (community_id, grid_name, chats) in grids.items():
            done = await board_service.posted_chats(session, chats, period)
            chats = [chat for chat in chats if chat not in done]
            if not chats:
                continue
            standings = await board_service.standings(
                session, community_id=community_id, grid_id=grid_id, start=start, end=end
            )
            await session.commit()
            top = standings[: ctx.settings.points.leaderboard_size]
            title = t("board-monthly-title", unit=grid_name, month=period)
            lines = [
                t("board-line", rank=str(r.rank), name=display_name(t, r), points=str(r.points))
                for r in top
            ]
            caption = title + "\n" + ("\n".join(lines) if lines else t("board-empty"))
            chart = None
            if top:
                chart = await asyncio.to_thread(
                    render_bar_chart,
                    t("board-chart-title", unit=grid_name, month=period),
                    [display_name(t, r) for r in top],
                    [r.points for r in top],
                )
            for chat_id in chats:
                posted += await post_leaderboard(ctx, chat_id, period, caption, chart)
    return posted
