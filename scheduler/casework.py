"""Scheduled jobs of complaints.

- `casework.reminders` (every 5 minutes): overdue complaints remind their responsible chief
  once per CASEWORK_REMINDER_HOURS and escalate to the grid chief (twice the target) and the
  community admins (three times). What was sent is stored in `complaints.reminded_at` and
  `escalation_level`, claimed with conditional UPDATEs: a restart loses nothing and a job
  running twice sends nothing twice.
- `casework.autoclose` (every 30 minutes): resolved complaints with no rating for
  CASEWORK_AUTOCLOSE_DAYS are closed, with a history row and a message to every follower.
"""

from __future__ import annotations

from linli.scheduler.jobs import JobContext, periodic
from linli.services import complaints as complaint_service


@periodic("casework.reminders", seconds=300)
async def reminders(ctx: JobContext) -> int:
    async with ctx.sessionmaker() as session:
        due = await complaint_service.due_reminders(session, ctx.now, ctx.settings.casework)
        return await ctx.delivery.casework.remind(session, due, ctx.now)


@periodic("casework.autoclose", seconds=1800)
async def autoclose(ctx: JobContext) -> int:
    days = ctx.settings.casework.autoclose_days
    async with ctx.sessionmaker() as session:
        changes = await complaint_service.autoclose(session, ctx.now, days)
        for change in changes:
            await ctx.delivery.casework.announce(session, change, ctx.now)
    return len(changes)
