"""Scheduled jobs catch up after downtime (docs/resilience.md): a cron job whose due time
passed while the bot was down runs at start-up, and its per-period claim keeps a second
start-up from doing it twice."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.cron import CronTrigger

import tests.support as support
from linli.bot.app import App
from linli.config import Settings
from linli.emulator import BotAPIEmulator
from linli.models.points import LeaderboardPost
from linli.scheduler import JOBS
from linli.scheduler.runner import CATCH_UP_WINDOW, create_scheduler, last_due
from tests.support import GRID1_CHIEF, GRID2_CHIEF, Harness
from tests.support_points import credit

A, B = 670_001, 670_002
GROUP1, GROUP2 = -100_670_001, -100_670_002
LEADERBOARD = "points.monthly_leaderboard"
TZ = ZoneInfo("Asia/Shanghai")


def test_last_due_is_the_latest_due_time_up_to_now() -> None:
    monthly = CronTrigger(timezone=TZ, day=1, hour=9, minute=0)
    first = datetime(2026, 1, 1, 9, 0, tzinfo=TZ)
    assert last_due(monthly, first + timedelta(hours=2)) == first
    assert last_due(monthly, first) == first
    assert last_due(monthly, first - timedelta(minutes=1)) == datetime(2025, 12, 1, 9, tzinfo=TZ)
    assert last_due(monthly, datetime(2026, 3, 31, 23, 59, tzinfo=TZ)) == datetime(
        2026, 3, 1, 9, tzinfo=TZ
    )
    daily = CronTrigger(timezone=TZ, hour=3, minute=30)
    assert last_due(daily, datetime(2026, 1, 1, 3, 0, tzinfo=TZ)) == datetime(
        2025, 12, 31, 3, 30, tzinfo=TZ
    )
    # every cron job's run, missed by a minute, is the one to catch up on
    for job in JOBS.values():
        if job.cron is not None:
            trigger = CronTrigger(timezone=TZ, **job.cron)
            run = trigger.get_next_fire_time(None, first)
            assert run is not None, job.name
            assert last_due(trigger, run + timedelta(minutes=1)) == run, job.name


def test_a_missed_run_is_made_up_only_within_the_window() -> None:
    first = datetime(2026, 1, 1, 9, 0, tzinfo=TZ)

    def start_up_jobs(now: datetime) -> set[str]:
        scheduler = create_scheduler(lambda: None, TZ, now=now)  # not started: nothing runs
        return {job.id for job in scheduler.get_jobs() if job.id.endswith("@start-up")}

    within = start_up_jobs(first + CATCH_UP_WINDOW)
    assert {f"{LEADERBOARD}@start-up", "privacy.retention@start-up"} <= within
    beyond = start_up_jobs(first + CATCH_UP_WINDOW + timedelta(minutes=1))
    assert f"{LEADERBOARD}@start-up" not in beyond
    assert "privacy.retention@start-up" in beyond  # daily: always within the window


@contextmanager
def clock_at(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> Iterator[None]:
    """Bots started by tests.support.Harness see `moment` as the time."""
    original = support.create_app

    def create(settings: Settings, **kwargs: Any) -> App:
        app = original(settings, **kwargs)
        app.clock = lambda: moment
        return app

    with monkeypatch.context() as patch:
        patch.setattr(support, "create_app", create)
        yield


def _runs(app: App, name: str) -> float:
    value = app.metrics.registry.get_sample_value(
        "linli_scheduler_job_runs_total", {"job": name, "result": "ok"}
    )
    return value or 0.0


async def _start_with_scheduler(emu: BotAPIEmulator, settings: Settings) -> Harness:
    """The bot with its scheduler on, once the start-up run of the leaderboard is done."""
    harness = Harness(emu, settings.model_copy(update={"scheduler_enabled": True}))
    await harness.start()
    app = harness.app
    assert app is not None
    await emu.wait_for(lambda: _runs(app, LEADERBOARD) >= 1, 20)
    await harness.drain_outbox()
    return harness


def _boards(emu: BotAPIEmulator, chat_id: int) -> list[str]:
    return [
        m.caption or m.text or ""
        for m in emu.messages(chat_id)
        if "积分排行榜" in (m.caption or m.text or "")
    ]


async def test_the_monthly_leaderboard_missed_while_down_is_posted_once_at_start_up(
    h: Harness, emu: BotAPIEmulator, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    await h.add_resident(A, "第一网格", "1号楼", name="张三")
    await h.add_resident(B, "第二网格", "4号楼", name="李四")
    await credit(h, A, 30)
    await credit(h, B, 20)
    for group, chief, name in (
        (GROUP1, GRID1_CHIEF, "第一网格"),
        (GROUP2, GRID2_CHIEF, "第二网格"),
    ):
        emu.add_group(group, f"{name}群", admins=[chief])
        question = await h.ask(chief, "/bind", chat_id=group)
        await h.press(chief, question, f"网格: {name}")
    await h.stop()  # down over the 1st at 09:00 ...

    local = datetime.now(TZ)
    first = (local.replace(day=1) + timedelta(days=32)).replace(
        day=1, hour=9, minute=0, second=0, microsecond=0
    )
    with clock_at(monkeypatch, first + timedelta(hours=2)):  # ... and back at 11:00
        bot = await _start_with_scheduler(emu, settings)
        await bot.stop()
        assert await h.count(LeaderboardPost) == 2
        assert len(_boards(emu, GROUP1)) == len(_boards(emu, GROUP2)) == 1
        assert (
            "张三" in _boards(emu, GROUP1)[0] and local.strftime("%Y-%m") in _boards(emu, GROUP1)[0]
        )
        assert "李四" in _boards(emu, GROUP2)[0]

        # restarted the same day: the start-up run finds both groups served
        bot = await _start_with_scheduler(emu, settings)
        await bot.stop()
    assert await h.count(LeaderboardPost) == 2
    assert len(_boards(emu, GROUP1)) == len(_boards(emu, GROUP2)) == 1
