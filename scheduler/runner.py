"""Builds the AsyncIOScheduler from the job registry."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.events import EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from linli.scheduler.jobs import JOBS, JobContext, PeriodicJob

log = logging.getLogger(__name__)

STARTUP_DELAY_SECONDS = 1.0
"""Interval jobs, and the catch-up runs of cron jobs, first run this long after the
scheduler starts."""

CATCH_UP_WINDOW = timedelta(days=3)
"""A cron job's missed due time is made up for at start-up if it is at most this old. Later
it is stale news (last month's leaderboard on the 20th), and a run at a restart weeks later
would reach groups bound after the due time."""

_LOOKBACK = (timedelta(hours=1), timedelta(days=1), timedelta(days=32), timedelta(days=367))


def last_due(trigger: CronTrigger, now: datetime) -> datetime | None:
    """The latest time at or before `now` the cron schedule was due (within a year)."""
    for span in _LOOKBACK:
        due: datetime | None = trigger.get_next_fire_time(None, now - span)
        if due is None or due > now:
            continue
        while True:
            following: datetime | None = trigger.get_next_fire_time(due, due + timedelta(seconds=1))
            if following is None or following > now:
                return due
            due = following
    return None


def create_scheduler(
    context_factory: Any,
    timezone: Any,
    metrics: Any | None = None,
    *,
    now: datetime | None = None,
) -> AsyncIOScheduler:
    """`context_factory()` returns a fresh JobContext (with the current time) per run;
    `metrics` (bot.observability.Metrics) counts runs and misfires; `now` is the start-up
    time (tests move it).

    Catching up after downtime: interval jobs run right after start-up. A cron job (the
    monthly leaderboard on the 1st at 09:00, the daily retention) runs right after start-up
    too when its schedule was due before `now` (`last_due`), at most CATCH_UP_WINDOW ago:
    the bot may have been down at that minute. Its own per-period claim keeps a due time
    that was handled from being handled twice (docs/resilience.md)."""
    scheduler = AsyncIOScheduler(timezone=timezone)
    if metrics is not None:

        def _missed(event: JobExecutionEvent) -> None:
            metrics.job_misfires.labels(event.job_id).inc()

        scheduler.add_listener(_missed, EVENT_JOB_MISSED)
    now = now or datetime.now(UTC)
    start = datetime.now(UTC) + timedelta(seconds=STARTUP_DELAY_SECONDS)
    for job in JOBS.values():
        trigger: IntervalTrigger | CronTrigger
        if job.seconds is not None:
            trigger = IntervalTrigger(seconds=job.seconds, timezone=timezone)
        else:
            trigger = CronTrigger(timezone=timezone, **(job.cron or {}))
            due = last_due(trigger, now)
            if due is not None and now - due <= CATCH_UP_WINDOW:
                log.info("scheduled job %s was due at %s: it runs at start-up", job.name, due)
                scheduler.add_job(
                    _guarded,
                    DateTrigger(run_date=start, timezone=timezone),
                    args=(job, context_factory, metrics),
                    id=f"{job.name}@start-up",
                    name=job.name,
                    misfire_grace_time=None,
                    replace_existing=True,
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
