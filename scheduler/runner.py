"""Builds the AsyncIOScheduler from the job registry."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.events import EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from linli.scheduler.jobs import JOBS, JobContext, PeriodicJob

log = logging.getLogger(__name__)

STARTUP_DELAY_SECONDS = 1.0
"""Interval jobs first run this long after the scheduler starts."""


def create_scheduler(
    context_factory: Any, timezone: Any, metrics: Any | None = None
) -> AsyncIOScheduler:
    """`context_factory()` returns a fresh JobContext (with the current time) per run;
    `metrics` (bot.observability.Metrics) counts runs and misfires."""
    scheduler = AsyncIOScheduler(timezone=timezone)
    if metrics is not None:

        def _missed(event: JobExecutionEvent) -> None:
            metrics.job_misfires.labels(event.job_id).inc()

        scheduler.add_listener(_missed, EVENT_JOB_MISSED)
    start = datetime.now(UTC) + timedelta(seconds=STARTUP_DELAY_SECONDS)
    for job in JOBS.values():
        trigger = (
            IntervalTrigger(seconds=job.seconds, timezone=timezone)
            if job.seconds is not None
            else CronTrigger(timezone=timezone, **(job.cron or {}))
        )
        scheduler.add_job(
            _guarded,
            trigger,
            args=(job, context_factory, metrics),
            id=job.name,
            name=job.name,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
            replace_existing=True,
            # Interval jobs also run right after start-up, so what fell due while the bot
            # was down (a vote closing, a notice) happens at once, not one interval later.
            **({"next_run_time": start} if job.seconds is not None else {}),
        )
    return scheduler


async def _guarded(job: PeriodicJob, context_factory: Any, metrics: Any | None) -> None:
    result = "ok"
    try:
        await job.func(context_factory())
    except asyncio.CancelledError:
        # Shutdown cancelled the run. Jobs claim their rows one by one, so what it did is
        # kept and the rest is done by the next run (interval jobs run right after start-up).
        log.info("scheduled job %s stopped by shutdown", job.name)
        result = "cancelled"
    except Exception:
        result = "error"
        log.exception("scheduled job %s failed", job.name)
    if metrics is not None:
        metrics.job_runs.labels(job.name, result).inc()


async def run_job(name: str, context: JobContext, now: datetime | None = None) -> Any:
    """Run one registered job now (tests, and `linli` maintenance commands)."""
    if now is not None:
        context.now = now if now.tzinfo else now.replace(tzinfo=UTC)
    return await JOBS[name].func(context)
