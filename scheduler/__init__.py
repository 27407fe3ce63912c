"""Scheduled work. APScheduler 3 is only the clock: what is due lives in our own tables, and
each job scans for due rows and claims them in the database, so nothing is lost on restart
and nothing happens twice.

Feature modules register jobs with `@periodic(...)`; importing this package imports them.
"""

from linli.scheduler import (  # noqa: F401
    casework,
    deliberation,
    notices,
    partners,
    points,
    privacy,
)
from linli.scheduler.jobs import JOBS, JobContext, PeriodicJob, periodic
from linli.scheduler.runner import create_scheduler, run_job

__all__ = ["JOBS", "JobContext", "PeriodicJob", "create_scheduler", "periodic", "run_job"]
