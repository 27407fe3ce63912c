"""Cockpit benchmark: how fast the web cockpit's overview answers on the 10,000-resident
seed (`common.seed`) with a year of casework on top.

On top of the seed: 6,000 requests over the last 180 days with their histories (accepted,
most resolved, many rated, some reopened), 3,000 micro-wishes (most fulfilled), 200
activities with 8,000 check-ins and their points. Then the overview (this month against
last month, plus the figures "now") is computed for the community admin, a grid chief and
a building chief, in-process through the same service the page calls, and over HTTP
(`GET /cockpit/<area>/` with a signed-in cookie: rendering included). Target: under
300 ms. Trends (12 weeks) and the breakdown are timed too, for information.

    python bench/cockpit.py [--database-url URL] [--runs 20]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from common import BenchEmulator, seed, sqlite_url
from sqlalchemy import insert, select

from linli.config import Settings
from linli.models import Building, Community, Resident, Role
from linli.models.complaints import Complaint, ComplaintCategory, ComplaintEvent, ComplaintStatus
from linli.models.db import create_engine, create_sessionmaker
from linli.models.points import (
    Activity,
    ActivitySignup,
    ActivityState,
    LedgerEntry,
    LedgerKind,
    SignupStatus,
)
from linli.models.wishes import Wish, WishCategory, WishEvent, WishStatus
from linli.services import cockpit, cockpit_access

REQUESTS = 6_000
WISHES = 3_000
ACTIVITIES = 200
CHECKINS = 8_000
DAYS = 180


async def _bulk(conn: Any, model: Any, rows: list[dict[str, Any]], chunk: int = 2000) -> None:
    for start in range(0, len(rows), chunk):
        await conn.execute(insert(model), rows[start : start + chunk])


async def add_casework(database_url: str) -> None:
    rng = random.Random(17)
    now = datetime.now(UTC)
    engine = create_engine(database_url)
    try:
        async with engine.begin() as conn:
            community_id = (await conn.execute(select(Community.id))).scalar_one()
            buildings = (await conn.execute(select(Building.id, Building.grid_id))).all()
            people = (
                await conn.execute(
                    select(Resident.id, Resident.building_id).where(Resident.role == Role.RESIDENT)
                )
            ).all()
            grid_of = dict(buildings)
            complaints: list[dict[str, Any]] = []
            plans: list[tuple[datetime, str]] = []
            categories = list(ComplaintCategory)
            for i in range(REQUESTS):
                author, building = people[rng.randrange(len(people))]
                filed = now - timedelta(days=rng.uniform(0, DAYS))
                fate = rng.random()
                status = (
                    ComplaintStatus.SUBMITTED
                    if fate < 0.08
                    else ComplaintStatus.IN_PROGRESS
                    if fate < 0.2
                    else ComplaintStatus.CLOSED
                )
                complaints.append(
                    {
                        "id": i + 1,
                        "grid_id": grid_of[building],
                        "building_id": building,
                        "author_id": author,
                        "anonymous": rng.random() < 0.15,
                        "category": categories[rng.randrange(len(categories))],
                        "text": "楼道灯坏了",
                        "status": status,
                        "stage_started_at": filed,
                        "created_at": filed,
                        "updated_at": filed,
                        "photo_file_ids": [],
                        "escalation_level": 0,
                    }
                )
                plans.append((filed, status.value))
            await _bulk(conn, Complaint, complaints)
            events: list[dict[str, Any]] = []
            for cid, (filed, status) in enumerate(plans, start=1):
                events.append(
                    {
                        "complaint_id": cid,
                        "at": filed,
                        "action": "submitted",
                        "to_status": "submitted",
                    }
                )
                if status == "submitted":
                    continue
                accepted = filed + timedelta(hours=rng.uniform(0.5, 40))
                events.append(
                    {
                        "complaint_id": cid,
                        "at": accepted,
                        "action": "accepted",
                        "from_status": "submitted",
                        "to_status": "accepted",
                    }
                )
                if status == "in_progress":
                    continue
                resolved = accepted + timedelta(hours=rng.uniform(2, 200))
                events.append(
                    {
                        "complaint_id": cid,
                        "at": resolved,
                        "action": "resolved",
                        "from_status": "in_progress",
                        "to_status": "resolved",
                        "note": "已处理",
                    }
                )
                if rng.random() < 0.05:
                    events.append(
                        {
                            "complaint_id": cid,
                            "at": resolved + timedelta(hours=5),
                            "action": "reopened",
                            "from_status": "resolved",
                            "to_status": "in_progress",
                        }
                    )
                events.append(
                    {
                        "complaint_id": cid,
                        "at": resolved + timedelta(hours=8),
                        "action": "rated",
                        "rating": rng.randint(2, 5),
                    }
                )
            await _bulk(
                conn,
                ComplaintEvent,
                [
                    {"from_status": None, "to_status": None, "note": "", "rating": None, **e}
                    for e in events
                ],
            )
            wishes: list[dict[str, Any]] = []
            wish_events: list[dict[str, Any]] = []
            wish_categories = list(WishCategory)
            for i in range(WISHES):
                author, building = people[rng.randrange(len(people))]
                posted = now - timedelta(days=rng.uniform(0, DAYS))
                done = rng.random() < 0.7
                wishes.append(
                    {
                        "id": i + 1,
                        "grid_id": grid_of[building],
                        "building_id": building,
                        "author_id": author,
                        "category": wish_categories[rng.randrange(len(wish_categories))],
                        "text": "想请人帮忙换灯泡",
                        "status": WishStatus.FULFILLED if done else WishStatus.OPEN,
                        "created_at": posted,
                        "updated_at": posted,
                        "show_name": False,
                    }
                )
                wish_events.append(
                    {"wish_id": i + 1, "at": posted, "action": "posted", "to_status": "open"}
                )
                if done:
                    wish_events.append(
                        {
                            "wish_id": i + 1,
                            "at": posted + timedelta(hours=rng.uniform(3, 120)),
                            "action": "fulfilled",
                            "to_status": "fulfilled",
                        }
                    )
            await _bulk(conn, Wish, wishes)
            await _bulk(
                conn,
                WishEvent,
                [{"from_status": None, "note": "", **e} for e in wish_events],
            )
            grids = sorted(set(grid_of.values()))
            activities = []
            for i in range(ACTIVITIES):
                starts = now - timedelta(days=rng.uniform(0, DAYS))
                activities.append(
                    {
                        "id": i + 1,
                        "community_id": community_id,
                        "grid_id": grids[i % len(grids)],
                        "title": "清扫楼道",
                        "place": "广场",
                        "starts_at": starts,
                        "ends_at": starts + timedelta(hours=2),
                        "capacity": 100,
                        "seats_taken": 0,
                        "points": 10,
                        "checkin_code": f"B{i:06d}",
                        "state": ActivityState.COMPLETED,
                        "completed_at": starts + timedelta(hours=3),
                    }
                )
            await _bulk(conn, Activity, activities)
            pairs = {
                (rng.randrange(ACTIVITIES) + 1, people[rng.randrange(len(people))][0])
                for _ in range(CHECKINS)
            }
            await _bulk(
                conn,
                ActivitySignup,
                [
                    {
                        "activity_id": a,
                        "resident_id": r,
                        "status": SignupStatus.GOING,
                        "attended_at": activities[a - 1]["starts_at"],
                    }
                    for a, r in pairs
                ],
            )
            await _bulk(
                conn,
                LedgerEntry,
                [
                    {
                        "resident_id": r,
                        "delta": 10,
                        "kind": LedgerKind.ACTIVITY,
                        "reason": "清扫楼道",
                        "idempotency_key": f"bench-activity:{a}:{r}",
                        "created_at": activities[a - 1]["ends_at"],
                    }
                    for a, r in pairs
                ],
            )
    finally:
        await engine.dispose()


def _summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return f"median {statistics.median(ordered):6.1f} ms   p95 {p95:6.1f} ms"


async def time_service(database_url: str, runs: int) -> dict[str, dict[str, list[float]]]:
    settings = Settings(database_url=database_url, _env_file=None)  # type: ignore[call-arg]
    engine = create_engine(database_url)
    sessionmaker = create_sessionmaker(engine)
    results: dict[str, dict[str, list[float]]] = {}
    try:
        async with sessionmaker() as session:
            viewers = {
                "admin (community)": await session.scalar(
                    select(Resident).where(Resident.role == Role.ADMIN)
                ),
                "grid chief": await session.scalar(
                    select(Resident).where(Resident.role == Role.GRID_CHIEF).limit(1)
                ),
                "building chief": await session.scalar(
                    select(Resident).where(Resident.role == Role.BUILDING_CHIEF).limit(1)
                ),
            }
        for label, viewer in viewers.items():
            assert viewer is not None
            timings: dict[str, list[float]] = {"overview": [], "trends": [], "breakdown": []}
            for run in range(runs + 2):
                now = datetime.now(UTC)
                async with sessionmaker() as session:
                    area = await cockpit.home_area(session, viewer)
                    period = cockpit.period_of(cockpit.PeriodKind.MONTH, now, settings.tz)
                    started = time.perf_counter()
                    await cockpit.overview(session, viewer, area, period, now, settings.casework)
                    overview_ms = (time.perf_counter() - started) * 1000
                    if run < 2:
                        continue  # warm-up
                    timings["overview"].append(overview_ms)
                    if run < 5:
                        started = time.perf_counter()
                        await cockpit.trends(
                            session, viewer, area, now, settings.tz, settings.casework
                        )
                        timings["trends"].append((time.perf_counter() - started) * 1000)
                        started = time.perf_counter()
                        await cockpit.breakdown(
                            session, viewer, area, period, now, settings.casework
                        )
                        timings["breakdown"].append((time.perf_counter() - started) * 1000)
            results[label] = timings
    finally:
        await engine.dispose()
    return results


async def time_http(database_url: str, runs: int) -> list[float]:
    """GET the admin's overview page over HTTP, signed in (rendering included)."""
    from aiohttp import ClientSession

    from linli.web import start_web

    settings = Settings(database_url=database_url, _env_file=None)  # type: ignore[call-arg]
    engine = create_engine(database_url)
    sessionmaker = create_sessionmaker(engine)
    runner = await start_web(settings, sessionmaker, port=0)
    port = runner.addresses[0][1]
    samples: list[float] = []
    try:
        async with sessionmaker() as session:
            admin = await session.scalar(select(Resident).where(Resident.role == Role.ADMIN))
            assert admin is not None
            token = await cockpit_access.create_link(session, admin, datetime.now(UTC), 10)
            secret, _ = await cockpit_access.sign_in(session, token, datetime.now(UTC), 8)
            area = await cockpit.home_area(session, admin)
        url = f"http://127.0.0.1:{port}/cockpit/{area.ref}/"
        async with ClientSession(cookies={"linli_cockpit": secret}) as http:
            for run in range(runs + 2):
                started = time.perf_counter()
                async with http.get(url) as response:
                    assert response.status == 200, response.status
                    await response.read()
                if run >= 2:
                    samples.append((time.perf_counter() - started) * 1000)
    finally:
        await runner.cleanup()
        await engine.dispose()
    return samples


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=None, help="default: SQLite in a temp dir")
    parser.add_argument("--residents", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or sqlite_url(tmp)
        emu = BenchEmulator()
        await emu.start()
        try:
            started = time.perf_counter()
            await seed(url, emu, residents=args.residents)
            await add_casework(url)
            print(
                f"seeded in {time.perf_counter() - started:.1f} s: {args.residents} residents, "
                f"{REQUESTS} requests, {WISHES} wishes, {ACTIVITIES} activities"
            )
        finally:
            await emu.stop()
        results = await time_service(url, args.runs)
        page = await time_http(url, args.runs)
    worst = 0.0
    for label, timings in results.items():
        print(f"{label:18} overview  {_summary(timings['overview'])}")
        print(f"{'':18} trends    {_summary(timings['trends'])}")
        print(f"{'':18} breakdown {_summary(timings['breakdown'])}")
        worst = max(worst, statistics.median(timings["overview"]))
    print(f"{'admin page (HTTP)':18} overview  {_summary(page)}")
    worst = max(worst, statistics.median(page))
    verdict = "OK" if worst < 300 else "SLOW"
    print(f"overview target < 300 ms: {verdict} (worst median {worst:.1f} ms)")
    return 0 if worst < 300 else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
