"""The web cockpit on aiohttp's test client: sign-in (expired, reused and forged links and
cookies, a demoted chief), scope checked on every request, anonymity, inert CSV, and the
bot's /cockpit and /stats against the page."""

from __future__ import annotations

import asyncio
import csv
import io
import os
import re
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from aiohttp import ClientSession, CookieJar
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from linli.config import Settings
from linli.config.web import WebSettings
from linli.models import AuditLog, Community, Resident, Role
from linli.models.cockpit import CockpitLink, CockpitSession
from linli.models.complaints import Complaint
from linli.services import casework_stats, cockpit, cockpit_access, residents
from linli.services.casework_stats import month_bounds
from linli.services.errors import PermissionDenied
from linli.web import create_web_app
from linli.web.app import SESSION_COOKIE
from tests.support import ADMIN_ID, B1_CHIEF, GRID1_CHIEF, Harness
from tests.support_cockpit import (
    AUTHOR_NAME,
    FORMULA_TEXT,
    HIDDEN_NAME,
    SHOWN_NAME,
    World,
    chief,
    seed_world,
)

PUBLIC = "http://cockpit.test"


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The test settings with the cockpit's public address set."""
    return settings.model_copy(
        update={"web": WebSettings(public_url=PUBLIC, _env_file=None)}  # type: ignore[call-arg]
    )


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def world(db: async_sessionmaker[AsyncSession]) -> World:
    return await seed_world(db)


@pytest.fixture
async def client(
    db: async_sessionmaker[AsyncSession], settings: Settings, clock: Clock
) -> AsyncIterator[TestClient]:
    app = create_web_app(settings, db, clock=clock)
    async with TestClient(TestServer(app)) as test_client:
        yield test_client


async def link_for(db: async_sessionmaker[AsyncSession], telegram_id: int, now: datetime) -> str:
    async with db() as session:
        resident = await session.scalar(select(Resident).where(Resident.telegram_id == telegram_id))
        assert resident is not None
        return await cockpit_access.create_link(session, resident, now, 10)


async def sign_in(client: TestClient, token: str) -> str:
    """POST the sign-in form; returns the session cookie's value."""
    response = await client.post("/cockpit/login", data={"token": token}, allow_redirects=False)
    assert response.status == 303, await response.text()
    assert response.headers["Location"] == "/cockpit/"
    cookie = response.cookies[SESSION_COOKIE]
    return cookie.value


async def admin(db: async_sessionmaker[AsyncSession]) -> Resident:
    async with db() as session:
        return await residents.load(
            session,
            residents.TelegramProfile(telegram_id=ADMIN_ID, display_name="管理员", username=None),
            create=True,
            admin_ids=[ADMIN_ID],
        )  # type: ignore[return-value]


def figure(html: str, name: str) -> str:
    found = re.search(rf'data-figure="{name}">([^<]*)<', html)
    assert found is not None, name
    return found.group(1)


# --- sign-in --------------------------------------------------------------------------------


async def test_sign_in_once_with_a_strict_http_only_cookie(
    client: TestClient, db: async_sessionmaker[AsyncSession], world: World, clock: Clock
) -> None:
    token = await link_for(db, GRID1_CHIEF, clock.now)
    page = await client.get(f"/cockpit/login?token={token}")
    text = await page.text()
    assert page.status == 200 and "王秀英" in text and 'method="post"' in text
    # Showing the page does not spend the link (link previews fetch it).
    assert (await client.get(f"/cockpit/login?token={token}")).status == 200

    response = await client.post("/cockpit/login", data={"token": token}, allow_redirects=False)
    assert response.status == 303
    header = response.headers["Set-Cookie"]
    assert "HttpOnly" in header and "SameSite=Strict" in header and "Path=/cockpit" in header
    assert "Max-Age=28800" in header and "Secure" not in header
    home = await client.get("/cockpit/", allow_redirects=False)
    assert home.headers["Location"] == f"/cockpit/g{world.grid1}/"
    overview = await client.get(f"/cockpit/g{world.grid1}/")
    assert overview.status == 200
    assert "第一网格" in await overview.text()
    assert "default-src 'none'" in overview.headers["Content-Security-Policy"]
    assert overview.headers["Cache-Control"] == "no-store"

    # The same link again: refused, and no second session.
    again = await client.post("/cockpit/login", data={"token": token}, allow_redirects=False)
    assert again.status == 410 and SESSION_COOKIE not in again.cookies
    assert (await client.get(f"/cockpit/login?token={token}")).status == 410
    async with db() as session:
        assert await session.scalar(select(func.count()).select_from(CockpitSession)) == 1
        # Only hashes are stored.
        stored = (await session.scalars(select(CockpitLink.token_hash))).all()
        assert token not in stored and cockpit_access.token_hash(token) in stored
        actions = (await session.scalars(select(AuditLog.action))).all()
        assert "cockpit.sign_in" in actions


async def test_an_expired_link_does_not_sign_in(
    client: TestClient, db: async_sessionmaker[AsyncSession], world: World, clock: Clock
) -> None:
    token = await link_for(db, GRID1_CHIEF, clock.now)
    clock.now += timedelta(minutes=10, seconds=1)
    page = await client.get(f"/cockpit/login?token={token}")
    assert page.status == 410 and "/cockpit" in await page.text()
    response = await client.post("/cockpit/login", data={"token": token}, allow_redirects=False)
    assert response.status == 410 and SESSION_COOKIE not in response.cookies
    forged = await client.post("/cockpit/login", data={"token": "x" * 43}, allow_redirects=False)
    assert forged.status == 410


async def test_a_forged_cookie_opens_nothing(
    client: TestClient, db: async_sessionmaker[AsyncSession], world: World
) -> None:
    client.session.cookie_jar.update_cookies({SESSION_COOKIE: "forged-" + "a" * 40})
    for path in (f"/cockpit/g{world.grid1}/", f"/cockpit/g{world.grid1}/requests.csv", "/cockpit/"):
        response = await client.get(path, allow_redirects=False)
        assert response.status == 401, path
        body = await response.text()
        assert "楼道灯坏了" not in body and "/cockpit" in body


async def test_the_session_ends_after_eight_hours(
    client: TestClient, db: async_sessionmaker[AsyncSession], world: World, clock: Clock
) -> None:
    await sign_in(client, await link_for(db, B1_CHIEF, clock.now))
    assert (await client.get(f"/cockpit/b{world.b1}/")).status == 200
    clock.now += timedelta(hours=8)
    response = await client.get(f"/cockpit/b{world.b1}/")
    assert response.status == 401 and "过期" in await response.text()
    async with db() as session:
        assert await session.scalar(select(func.count()).select_from(CockpitSession)) == 0


async def test_a_demoted_chief_is_signed_out_at_the_next_request(
    client: TestClient, db: async_sessionmaker[AsyncSession], world: World, clock: Clock
) -> None:
    await sign_in(client, await link_for(db, GRID1_CHIEF, clock.now))
    assert (await client.get(f"/cockpit/g{world.grid1}/requests")).status == 200
    async with db() as session:
        await session.execute(
            update(Resident)
            .where(Resident.telegram_id == GRID1_CHIEF)
            .values(role=Role.RESIDENT, chief_grid_id=None)
        )
        await session.commit()
    response = await client.get(f"/cockpit/g{world.grid1}/requests")
    body = await response.text()
    assert response.status == 401 and "职务或负责区域有变化" in body
    assert "楼道灯坏了" not in body
    async with db() as session:
        assert await session.scalar(select(func.count()).select_from(CockpitSession)) == 0
    # Even promoted back, the old cookie is gone for good.
    async with db() as session:
        grid1 = world.grid1
        await session.execute(
            update(Resident)
            .where(Resident.telegram_id == GRID1_CHIEF)
            .values(role=Role.GRID_CHIEF, chief_grid_id=grid1)
        )
        await session.commit()
    assert (await client.get(f"/cockpit/g{world.grid1}/")).status == 401


async def test_residents_get_no_link(db: async_sessionmaker[AsyncSession], world: World) -> None:
    async with db() as session:
        resident = await session.scalar(select(Resident).where(Resident.telegram_id == 7001))
        with pytest.raises(PermissionDenied):
            await cockpit_access.create_link(session, resident, datetime.now(UTC), 10)  # type: ignore[arg-type]


async def test_sign_out(
    client: TestClient, db: async_sessionmaker[AsyncSession], world: World, clock: Clock
) -> None:
    await sign_in(client, await link_for(db, B1_CHIEF, clock.now))
    response = await client.post("/cockpit/logout")
    assert response.status == 200
    assert (await client.get(f"/cockpit/b{world.b1}/")).status == 401


async def test_secure_cookie_behind_a_trusted_tls_proxy(
    client: TestClient, db: async_sessionmaker[AsyncSession], world: World, clock: Clock
) -> None:
    token = await link_for(db, B1_CHIEF, clock.now)
    response = await client.post(
        "/cockpit/login",
        data={"token": token},
        headers={"X-Forwarded-Proto": "https"},
        allow_redirects=False,
    )
    assert response.status == 303 and "Secure" in response.headers["Set-Cookie"]


# --- scope ----------------------------------------------------------------------------------


async def test_a_grid_chief_cannot_open_another_area_by_editing_the_url(
    client: TestClient, db: async_sessionmaker[AsyncSession], world: World, clock: Clock
) -> None:
    await sign_in(client, await link_for(db, GRID1_CHIEF, clock.now))
    async with db() as session:
        community_id = await session.scalar(select(Community.id))
    allowed = [
        f"/cockpit/g{world.grid1}/",
        f"/cockpit/g{world.grid1}/breakdown",
        f"/cockpit/b{world.b1}/requests",
        f"/cockpit/g{world.grid1}/requests/{world.anonymous_id}",
    ]
    for path in allowed:
        assert (await client.get(path)).status == 200, path
    refused = [
        f"/cockpit/g{world.grid2}/",
        f"/cockpit/g{world.grid2}/trends",
        f"/cockpit/g{world.grid2}/wall",
        f"/cockpit/b{world.b4}/requests",
        f"/cockpit/b{world.b4}/requests.csv",
        f"/cockpit/g{world.grid2}/requests/{world.grid2_id}",
        f"/cockpit/c{community_id}/",
        f"/cockpit/c{community_id}/wishes.csv",
    ]
    for path in refused:
        response = await client.get(path)
        body = await response.text()
        assert response.status == 403, path
        assert "车位被占" not in body and "不在您负责的范围" in body
    # Another grid's request through one's own grid, a building filter outside the area,
    # ids that do not exist, ids that are not ASCII digits.
    assert (await client.get(f"/cockpit/g{world.grid1}/requests/{world.grid2_id}")).status == 404
    filtered = await client.get(f"/cockpit/g{world.grid1}/requests?building={world.b4}")
    assert filtered.status == 200 and "车位被占" not in await filtered.text()
    assert (await client.get("/cockpit/g999999/")).status == 404
    assert (await client.get("/cockpit/g１/")).status == 404
    assert (await client.get(f"/cockpit/g{world.grid1}/requests?state=bogus")).status == 400


# --- what pages show ------------------------------------------------------------------------


async def test_every_page_in_both_languages_never_names_anonymous_authors(
    client: TestClient, db: async_sessionmaker[AsyncSession], world: World, clock: Clock
) -> None:
    viewer = await admin(db)
    async with db() as session:
        token = await cockpit_access.create_link(session, viewer, clock.now, 10)
    await sign_in(client, token)
    home = await client.get("/cockpit/", allow_redirects=False)
    base = home.headers["Location"].rstrip("/")
    pages = [
        "/",
        "/?period=week",
        "/?period=quarter",
        f"/?period=custom&from={(clock.now - timedelta(days=3)).date()}&to={clock.now.date()}",
        "/wall",
        "/trends",
        "/breakdown",
        "/requests",
        "/requests?state=active&overdue=1",
        f"/requests/{world.anonymous_id}",
        f"/requests/{world.named_id}",
        "/wishes",
        f"/wishes/{world.wish_id}",
        "/topics",
        f"/topics/{world.topic_id}",
        f"/../g{world.grid1}/",
        f"/../b{world.b1}/breakdown",
    ]
    for lang in ("zh", "en"):
        switched = await client.get(f"/cockpit/lang?to={lang}&next={base}/", allow_redirects=False)
        assert switched.headers["Location"] == f"{base}/"
        for path in pages:
            url = f"/cockpit/{path[4:]}" if path.startswith("/../") else f"{base}{path}"
            response = await client.get(url)
            body = await response.text()
            assert response.status == 200, (lang, url, body[-800:])
            assert AUTHOR_NAME not in body and HIDDEN_NAME not in body, url
    anonymous = await (await client.get(f"{base}/requests/{world.anonymous_id}")).text()
    assert "Anonymous" in anonymous and "楼道灯坏了" in anonymous
    named = await (await client.get(f"{base}/requests/{world.named_id}")).text()
    assert SHOWN_NAME in named
    formula = await (await client.get(f"{base}/requests/{world.formula_id}")).text()
    assert "a neighbour of 1号楼" in formula
    assert "&#34;" in formula or "&quot;" in formula  # escaped, not markup
    # No open redirect through the language switch.
    away = await client.get("/cockpit/lang?to=en&next=//evil.example/", allow_redirects=False)
    assert away.headers["Location"] == "/cockpit/"


async def test_csv_exports_are_inert_and_anonymous(
    client: TestClient, db: async_sessionmaker[AsyncSession], world: World, clock: Clock
) -> None:
    await sign_in(client, await link_for(db, GRID1_CHIEF, clock.now))
    response = await client.get(f"/cockpit/g{world.grid1}/requests.csv")
    assert response.status == 200 and response.content_type == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    raw = await response.read()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert "'" + FORMULA_TEXT in cells and FORMULA_TEXT not in cells
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    assert AUTHOR_NAME not in raw.decode("utf-8-sig") and HIDDEN_NAME not in raw.decode()
    assert "匿名（树洞）" in cells and "车位被占" not in cells
    assert len(rows) == 4  # header + the three requests of grid 1
    for kind in ("wishes", "topics"):
        export = await client.get(f"/cockpit/g{world.grid1}/{kind}.csv")
        assert export.status == 200
    async with db() as session:
        audited = await session.scalar(
            select(func.count()).select_from(AuditLog).where(AuditLog.action == "cockpit.export")
        )
        assert audited == 3


async def test_page_figures_are_the_services(
    client: TestClient,
    db: async_sessionmaker[AsyncSession],
    world: World,
    clock: Clock,
    settings: Settings,
) -> None:
    await sign_in(client, await link_for(db, GRID1_CHIEF, clock.now))
    viewer = await chief(db, GRID1_CHIEF)
    async with db() as session:
        area = await cockpit.open_area(session, viewer, f"g{world.grid1}")
        period = cockpit.period_of(cockpit.PeriodKind.MONTH, clock.now, settings.tz)
        data = await cockpit.overview(session, viewer, area, period, clock.now, settings.casework)
    html = await (await client.get(f"/cockpit/g{world.grid1}/")).text()
    assert figure(html, "received") == str(data.current.casework.received) == "3"
    assert figure(html, "requests_open") == str(data.now.requests_open)
    assert figure(html, "wishes_fulfilled") == "1"
    assert figure(html, "average_rating") == "5.0"
    assert figure(html, "volunteer_hours") == "1.5"
    assert figure(html, "points_issued") == "15"


# --- the bot --------------------------------------------------------------------------------


async def test_cockpit_command_and_stats_agree_with_the_page(
    h: Harness, settings: Settings
) -> None:
    world = await seed_world(h.sessionmaker)
    refused = await h.ask(7001, "/cockpit")
    assert "http" not in (refused.text or "")
    reply = await h.ask(GRID1_CHIEF, "/cockpit")
    assert reply.params.get("link_preview_options", {}).get("is_disabled") is True
    url = re.search(r"https?://\S+", reply.text or "")
    assert url is not None and url.group(0).startswith(f"{PUBLIC}/cockpit/login?token=")
    link = urlsplit(url.group(0))

    app = create_web_app(settings, h.sessionmaker)
    async with TestClient(TestServer(app)) as client:
        token = dict(p.split("=", 1) for p in link.query.split("&"))["token"]
        await sign_in(client, token)
        html = await (await client.get(f"/cockpit/g{world.grid1}/?period=month")).text()
    stats = await h.ask(GRID1_CHIEF, "/stats")
    viewer = await chief(h.sessionmaker, GRID1_CHIEF)
    async with h.db() as session:
        start, end, _ = month_bounds("", datetime.now(UTC), settings.tz)
        bot_side = await casework_stats.compute(session, viewer, start, end, settings.casework)
    for name, value in (
        ("received", bot_side.received),
        ("wishes_posted", bot_side.wishes_posted),
        ("wishes_fulfilled", bot_side.wishes_fulfilled),
    ):
        assert figure(html, name) == str(value)
        assert str(value) in (stats.text or "")
    assert figure(html, "average_rating") == f"{bot_side.average_rating:.1f}"
    assert f"{bot_side.average_rating:.1f}" in (stats.text or "")
    assert figure(html, "median_resolve_hours") == f"{bot_side.median_resolve_hours:.1f}"
    assert f"{bot_side.median_resolve_hours:.1f}" in (stats.text or "")


async def test_linli_demo_prints_a_cockpit_link_that_opens_the_demo_community(
    tmp_path: Path,
) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "DEFAULT_LANGUAGE": "zh"}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "linli",
        "demo",
        "--dir",
        str(tmp_path),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env=env,
    )
    assert process.stdout is not None and process.stdin is not None
    try:
        link = None
        async with asyncio.timeout(60):
            while link is None:
                line = (await process.stdout.readline()).decode()
                assert line, "the demo ended without printing a cockpit link"
                link = re.search(r"(http://127\.0\.0\.1:\d+)/cockpit/login\?token=(\S+)", line)
        origin, token = link.group(1), link.group(2)
        # unsafe: keep cookies for an IP address (127.0.0.1), as a browser does
        async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as http:
            async with http.get(f"{origin}/cockpit/login?token={token}") as page:
                assert page.status == 200 and "社区管理员" in await page.text()
            async with http.post(f"{origin}/cockpit/login", data={"token": token}) as signed:
                body = await signed.text()
                assert signed.status == 200 and "阳光社区" in body and "第一网格" in body
    finally:
        process.stdin.write(b":quit\n")
        await process.stdin.drain()
        try:
            await asyncio.wait_for(process.wait(), 30)
        except TimeoutError:
            process.kill()
            await process.wait()


async def test_overdue_in_sql_is_the_reminders_rule(
    db: async_sessionmaker[AsyncSession], world: World, settings: Settings
) -> None:
    """`overdue_now` (SQL, for counts and the filter) and `complaints.deadline` (per row)
    agree: a submitted request past its acceptance target, an accepted one within its
    resolution target."""
    old = world.now - timedelta(days=2)
    async with db() as session:
        await session.execute(
            update(Complaint)
            .where(Complaint.id.in_((world.formula_id, world.named_id)))
            .values(stage_started_at=old)
        )
        await session.commit()
    viewer = await chief(db, GRID1_CHIEF)
    async with db() as session:
        area = await cockpit.open_area(session, viewer, f"g{world.grid1}")
        now = await cockpit.snapshot(session, viewer, area, world.now, settings.casework)
        listed = await cockpit.requests(
            session, viewer, area, cockpit.Filters(overdue=True), world.now, settings.casework
        )
        every = await cockpit.requests(
            session, viewer, area, cockpit.Filters(), world.now, settings.casework
        )
    late = {r.complaint.id for r in every.rows if r.overdue}
    assert late == {world.formula_id}  # the accepted one has a week to be resolved
    assert now.requests_overdue == 1 == listed.total
    assert {r.complaint.id for r in listed.rows} == late
