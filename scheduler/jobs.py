"""The job registry and what a job receives."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from aiogram import Bot
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from linli.config import Settings

if TYPE_CHECKING:
    from linli.bot.delivery import Delivery
    from linli.bot.i18n import Translator


@dataclass
class JobContext:
    """What a job receives: the delivery layer (bot, database, catalogues, settings and each
    feature's rendering and posting) and the time of the run, injectable so tests can move
    time."""

    delivery: Delivery
    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def bot(self) -> Bot:
        return self.delivery.bot

    @property
    def sessionmaker(self) -> async_sessionmaker[AsyncSession]:
        return self.delivery.sessionmaker

    @property
    def translator(self) -> Translator:
        return self.delivery.translator

    @property
    def settings(self) -> Settings:
        return self.delivery.settings


JobFunc = Callable[[JobContext], Awaitable[Any]]


@dataclass(frozen=True)
class PeriodicJob:
    """Runs every `seconds`, or on a cron schedule (`cron`, community time zone).

    Both also run at start-up, so what fell due while the bot was down happens then:
    interval jobs always, a cron job when its schedule had a due time before start-up (its
    latest one; `scheduler.runner.last_due`). A job claims per period what it does (the
    monthly leaderboard per group and month), so a start-up run after a run that did happen
    does nothing."""

    name: str
    func: JobFunc
    seconds: int | None = None
    cron: dict[str, str | int] | None = None


JOBS: dict[str, PeriodicJob] = {}


def periodic(
    name: str, *, seconds: int | None = None, cron: dict[str, str | int] | None = None
) -> Callable[[JobFunc], JobFunc]:
    """Register a job. Jobs must be idempotent: claim due rows in the database (or what
    they did per period), since every job also runs at start-up."""
    if (seconds is None) == (cron is None):
        raise ValueError("give exactly one of seconds or cron")

    def register(func: JobFunc) -> JobFunc:
        JOBS[name] = PeriodicJob(name=name, func=func, seconds=seconds, cron=cron)
        return func

    return register
