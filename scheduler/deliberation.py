"""Deliberation's jobs: closing votes at their deadline (and publishing results), vote
reminders to non-voters, meeting reminders to the groups. What they post is rendered by
`bot.delivery.deliberation` (`ctx.delivery.deliberation`)."""

from __future__ import annotations

import logging

from linli.scheduler.jobs import JobContext, periodic
from linli.services import topics as topic_service
from linli.services import votes as vote_service

log = logging.getLogger(__name__)


@periodic("deliberation.close_due_votes", seconds=30)
async def close_due_votes(ctx: JobContext) -> int:
    """Close every vote whose deadline passed (also after downtime) and publish results,
    including results a crash left unpublished. Returns how many results were posted."""
    async with ctx.sessionmaker() as session:
        for vote_id in await vote_service.due(session, ctx.now):
            await vote_service.close(session, vote_id, ctx.now)
        pending = await vote_service.unposted_results(session)
    posted = 0
    for vote_id in pending:
        try:
            posted += await ctx.delivery.deliberation.finish_vote(vote_id, ctx.now)
        except Exception:
            log.exception("could not publish the result of vote %s", vote_id)
    return posted


@periodic("deliberation.vote_reminders", seconds=60)
async def vote_reminders(ctx: JobContext) -> int:
    """A day and an hour before a deadline, remind eligible residents who have not voted
    (saying how long is left). Returns how many reminders went out."""
    async with ctx.sessionmaker() as session:
        claimed = await vote_service.claim_reminders(session, ctx.now)
    sent = 0
    for vote_id, kind in claimed:
        sent += await ctx.delivery.deliberation.remind_voters(vote_id, kind, ctx.now)
    return sent


@periodic("deliberation.meeting_reminders", seconds=60)
async def meeting_reminders(ctx: JobContext) -> int:
    """A day and an hour before a discussion meeting, remind the scope's groups (each
    reminder claimed and enqueued in one transaction). Returns how many groups it went to."""
    async with ctx.sessionmaker() as session:
        due = await topic_service.due_meeting_reminders(session, ctx.now)
    posted = 0
    for topic_id, kind in due:
        posted += await ctx.delivery.deliberation.remind_meeting(topic_id, kind, ctx.now)
    return posted
