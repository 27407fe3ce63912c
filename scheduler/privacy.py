"""Scheduled job of personal data handling.

- `privacy.retention` (daily at 03:30 community time): complaints closed, rejected or merged
  more than PRIVACY_RETENTION_DAYS ago lose their photos and voice message; anonymous ones
  also their text, rating comment and location (services.privacy.purge_expired). Setting
  fixed values is idempotent, and purged complaints are no longer selected, so a second run
  (or a run in another process) changes nothing. Each batch is counted in the audit log.
"""

from __future__ import annotations

from linli.scheduler.jobs import JobContext, periodic


@periodic("privacy.retention", cron={"hour": 3, "minute": 30})
async def retention(ctx: JobContext) -> int:
    from linli.services import privacy

    async with ctx.sessionmaker() as session:
        return await privacy.purge_expired(session, ctx.now, ctx.settings.privacy.retention_days)
