"""The notices job: what runs when.

`notices.due` starts the notices that are due (delivery.notices.start_due: claim in the
database, enqueue in the outbox, tell authors about missed runs). It runs every 30 s and
one second after start-up, like every interval job (scheduler/runner.py), so runs that fell
due while the bot was down are sent (marked delayed) or recorded as missed at once. A
notice sent "now" is started by /notice itself.
"""

from __future__ import annotations

from linli.scheduler.jobs import JobContext, periodic


@periodic("notices.due", seconds=30)
async def due_notices(ctx: JobContext) -> int:
    """Claim due notices and start their runs; returns how many runs were started."""
    return await ctx.delivery.notices.start_due(ctx.now)
