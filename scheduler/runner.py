"""Builds the AsyncIOScheduler from the job registry."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from scheduler.jobs import JOBS, JobContext, PeriodicJob

log = logging.getLogger(__name__)


def create_scheduler(context_factory: Any, timezone: Any) -> AsyncIOScheduler:
    """`context_factory()` returns a fresh JobContext (with the current time) per run."""
    scheduler = AsyncIOScheduler(timezone=timezone)
    for job in JOBS.values():
        trigger = (
            IntervalTrigger(seconds=job.seconds, timezone=timezone)
            if job.seconds is not None
            else CronTrigger(timezone=timezone, **(job.cron or {}))
        )
        scheduler.add_job(
            _guarded,
            trigger,
            args=(job, context_factory),
            id=job.name,
            name=job.name,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
            replace_existing=True,
        )
    return scheduler


async def _guarded(job: PeriodicJob, context_factory: Any) -> None:
    try:
        await job.func(context_factory())
    except Exception:
        log.exception("scheduled job %s failed", job.name)


async def run_job(name: str, context: JobContext, now: datetime | None = None) -> Any:
    """Run one registered job now (tests, and `linli` maintenance commands)."""
    if now is not None:
        context.now = now if now.tzinfo else now.replace(tzinfo=UTC)
    return await JOBS[name].func(context)
