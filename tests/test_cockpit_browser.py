"""The cockpit in a real browser: Debian's headless Chromium driven by Selenium (pointed at
/usr/bin/chromium and /usr/bin/chromedriver; nothing is downloaded). A chief signs in
through the link the bot sent in the emulator, every page is opened at 1280 px and 390 px,
the figures on screen are the service's, the console stays clean, nothing overflows
sideways on a phone, and a grid chief cannot open another grid's page by editing the URL.

Screenshots of every page go to the test's temporary folder, or to $LINLI_SCREENSHOTS.
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from linli.config import Settings
from linli.config.web import WebSettings
from linli.services import cockpit
from linli.web import start_web
from linli.web.render import count, hours, pct, rating
from tests.support import ADMIN_ID, GRID1_CHIEF, Harness
from tests.support_cockpit import AUTHOR_NAME, HIDDEN_NAME, World, chief, seed_world

CHROMIUM = os.environ.get("LINLI_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("LINLI_CHROMEDRIVER", "/usr/bin/chromedriver")
INSTALL = (
    "apt-get install chromium chromium-driver fonts-noto-cjk (Debian), then pip install selenium"
)
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:  # pragma: no cover - the test extra installs it
    webdriver = None  # type: ignore[assignment]

pytestmark = pytest.mark.skipif(
    webdriver is None or not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()),
    reason=f"no headless Chromium for the browser tests: {INSTALL}",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def port() -> int:
    return _free_port()


@pytest.fixture
def settings(settings: Settings, port: int) -> Settings:
    return settings.model_copy(
        update={
            "web": WebSettings(  # type: ignore[call-arg]
                public_url=f"http://127.0.0.1:{port}", port=port, _env_file=None
            )
        }
    )


@pytest.fixture
async def live(h: Harness, settings: Settings, port: int) -> AsyncIterator[str]:
    """The cockpit served on a real port, on the bot's database."""
    runner = await start_web(settings, h.sessionmaker, port=port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("LINLI_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Browser:
    """Selenium is blocking; every call runs in a thread so the bot and the cockpit,
    served on this test's event loop, keep answering."""

    def __init__(self, driver: Any) -> None:
        self.driver = driver

    async def run(self, fn: Any, *args: Any) -> Any:
        return await asyncio.to_thread(fn, *args)

    async def open(self, url: str) -> None:
        await self.run(self.driver.get, url)

    async def size(self, width: int, height: int) -> None:
        await self.run(self.driver.set_window_size, width, height)

    async def text(self, css: str) -> str:
        def read() -> str:
            return str(self.driver.find_element(By.CSS_SELECTOR, css).text)

        return str(await self.run(read))

    async def body(self) -> str:
        return await self.text("body")

    async def click(self, css: str) -> None:
        def press() -> None:
            self.driver.find_element(By.CSS_SELECTOR, css).click()

        await self.run(press)

    async def wait_until_left(self, path: str, seconds: float = 15) -> str:
        """Wait for the navigation a click started to leave `path`; the URL it reached (a
        click returns before the browser has followed a form's redirect)."""

        def wait() -> str:
            WebDriverWait(self.driver, seconds).until(lambda d: path not in d.current_url)
            return str(self.driver.current_url)

        return str(await self.run(wait))

    async def console_errors(self) -> list[str]:
        logs = await self.run(self.driver.get_log, "browser")
        return [entry["message"] for entry in logs if entry["level"] == "SEVERE"]

    async def overflow(self) -> int:
        """How far the page is wider than the window (0: nothing to scroll sideways)."""
        script = "return document.documentElement.scrollWidth - window.innerWidth"
        return int(await self.run(self.driver.execute_script, script))

    async def screenshot(self, path: Path) -> None:
        def shoot() -> None:
            # The whole page: the window grows to the document's height.
            height = self.driver.execute_script("return document.documentElement.scrollHeight")
            width = self.driver.get_window_size()["width"]
            self.driver.set_window_size(width, min(max(int(height) + 140, 600), 6000))
            self.driver.save_screenshot(str(path))

        await self.run(shoot)


@pytest.fixture
def browser() -> Iterator[Browser]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        "--lang=zh-CN",
    ):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        yield Browser(driver)
    finally:
        driver.quit()


async def _sign_in(h: Harness, browser: Browser, telegram_id: int) -> None:
    """/cockpit in the private chat, open the link the bot sent, press the button."""
    reply = await h.ask(telegram_id, "/cockpit")
    found = re.search(r"https?://\S+", reply.text or "")
    assert found is not None, reply.text
    await browser.open(found.group(0))
    await browser.click("form[action='/cockpit/login'] button")
    assert "/cockpit/" in await browser.wait_until_left("/cockpit/login")


def _pages(base: str, world: World) -> dict[str, str]:
    return {
        "overview": f"{base}/",
        "wall": f"{base}/wall",
        "trends": f"{base}/trends",
        "breakdown": f"{base}/breakdown",
        "requests": f"{base}/requests",
        "request": f"{base}/requests/{world.anonymous_id}",
        "wishes": f"{base}/wishes",
        "wish": f"{base}/wishes/{world.wish_id}",
        "topics": f"{base}/topics",
        "topic": f"{base}/topics/{world.topic_id}",
    }


async def _tour(
    browser: Browser, pages: dict[str, str], shots: Path, prefix: str
) -> dict[tuple[str, str], str]:
    """Every page at both widths: screenshot, clean console, no sideways scrolling."""
    seen: dict[tuple[str, str], str] = {}
    for width_name, (width, height) in WIDTHS.items():
        for name, url in pages.items():
            await browser.size(width, height)
            await browser.open(url)
            body = await browser.body()
            assert AUTHOR_NAME not in body and HIDDEN_NAME not in body, url
            assert await browser.console_errors() == [], url
            assert await browser.overflow() <= 1, (width_name, url)
            await browser.screenshot(shots / f"{prefix}-{name}-{width_name}.png")
            seen[(name, width_name)] = body
    return seen


async def test_a_grid_chief_signs_in_from_the_bot_and_reads_every_page(
    h: Harness, live: str, browser: Browser, shots: Path, settings: Settings
) -> None:
    world = await seed_world(h.sessionmaker)
    await _sign_in(h, browser, GRID1_CHIEF)
    base = f"{live}/cockpit/g{world.grid1}"
    await _tour(browser, _pages(base, world), shots, "grid")

    # The figures on screen are the service's.
    viewer = await chief(h.sessionmaker, GRID1_CHIEF)
    now = datetime.now(UTC)
    async with h.db() as session:
        area = await cockpit.open_area(session, viewer, f"g{world.grid1}")
        period = cockpit.period_of(cockpit.PeriodKind.MONTH, now, settings.tz)
        data = await cockpit.overview(session, viewer, area, period, now, settings.casework)
    await browser.size(*WIDTHS["desktop"])
    await browser.open(f"{base}/")
    cw = data.current.casework
    expected = {
        "received": count(cw.received),
        "requests_open": count(data.now.requests_open),
        "requests_overdue": count(data.now.requests_overdue),
        "accepted_in_time_pct": pct(cw.accepted_in_time_pct),
        "median_accept_hours": hours(cw.median_accept_hours),
        "median_resolve_hours": hours(cw.median_resolve_hours),
        "resolved_pct": pct(cw.resolved_pct),
        "average_rating": rating(cw.average_rating),
        "wishes_posted": count(cw.wishes_posted),
        "wishes_fulfilled": count(cw.wishes_fulfilled),
        "volunteer_hours": hours(data.current.volunteer_hours),
        "points_issued": count(data.current.points_issued),
        "residents_verified": count(data.now.residents_verified),
    }
    for name, value in expected.items():
        assert await browser.text(f"[data-figure='{name}']") == value, name
    assert expected["received"] == "3"

    # Another grid's pages, by editing the URL: refused, nothing of theirs on screen.
    for path in ("/", "/requests", f"/requests/{world.grid2_id}", "/trends"):
        await browser.open(f"{live}/cockpit/g{world.grid2}{path}")
        body = await browser.body()
        assert "不在您负责的范围" in body and "车位被占" not in body, path
        assert "第二网格" not in body
    await browser.open(f"{live}/cockpit/b{world.b4}/")
    assert "不在您负责的范围" in await browser.body()
    await browser.screenshot(shots / "grid-refused-desktop.png")


async def test_the_admin_sees_the_community_in_english(
    h: Harness, live: str, browser: Browser, shots: Path
) -> None:
    world = await seed_world(h.sessionmaker)
    await h.ask(ADMIN_ID, "/start")
    await _sign_in(h, browser, ADMIN_ID)
    base = (await browser.run(lambda: browser.driver.current_url)).rstrip("/")
    assert re.search(r"/cockpit/c\d+$", base), base
    await browser.click(".lang a")
    assert "Overview" in await browser.body()
    await _tour(browser, _pages(base, world), shots, "community-en")
    await browser.open(f"{base}/breakdown")
    body = await browser.body()
    assert "第一网格" in body and "第二网格" in body and "第三网格" in body
