"""Scheduled jobs of micro-wishes and complaints.

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


@periodic("casework.reminders", seconds=300)
async def reminders(ctx: JobContext) -> int:
    from linli.bot.keyboards import complaints as ckb
    from linli.handlers.casework_common import complaint_card, fmt_time, send, tr_for
    from linli.services import complaints as complaint_service

    cfg, tz = ctx.settings.casework, ctx.settings.tz
    sent = 0
    async with ctx.sessionmaker() as session:
        due = await complaint_service.due_reminders(session, ctx.now, cfg)
        for reminder in due:
            data = await complaint_service.info(session, reminder.complaint.id)
            stage = "accept" if reminder.complaint.status.value == "submitted" else "resolve"
            for chief in reminder.recipients:
                tr = tr_for(ctx.translator, chief)
                text = (
                    tr(
                        f"complaint-{reminder.kind}-{stage}",
                        code=data.complaint.code,
                        due=fmt_time(reminder.due, tz),
                    )
                    + "\n\n"
                    + complaint_card(tr, data, tz, cfg, ctx.now, for_chief=True)
                )
                if await send(
                    ctx.bot, chief, text, reply_markup=ckb.open_card(tr, data.complaint.id)
                ):
                    sent += 1
    return sent


@periodic("casework.autoclose", seconds=1800)
async def autoclose(ctx: JobContext) -> int:
    from linli.handlers.casework_common import announce
    from linli.services import complaints as complaint_service

    cfg = ctx.settings.casework
    async with ctx.sessionmaker() as session:
        changes = await complaint_service.autoclose(session, ctx.now, cfg.autoclose_days)
        for change in changes:
            await announce(ctx.bot, ctx.translator, session, change, cfg, ctx.settings.tz, ctx.now)
    return len(changes)
