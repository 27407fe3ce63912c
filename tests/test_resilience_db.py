"""The database goes away for a few seconds and comes back, or stops answering without
closing the connections (PostgreSQL; docs/resilience.md).

The PostgreSQL cluster is shared, so it is not stopped: the bot reaches it through a TCP
proxy (tests.support_resilience.CuttableProxy) that the test cuts, which looks to the bot
exactly like the server going down: every open connection drops, new ones are refused.
Meanwhile residents are told "something went wrong, nothing was saved" (a message, or an
alert for a button); once the proxy listens again the bot works without a restart (the pool
checks a connection before using it: `pool_pre_ping`, models/db.py).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest
from sqlalchemy.engine import make_url

from linli.config import Settings
from linli.emulator import BotAPIEmulator
from linli.models.deliberation import VoteBallot
from tests.support import TEST_DATABASE_URL, Harness
from tests.support_deliberation import new_vote, ready_topic
from tests.support_resilience import (
    CuttableProxy,
    add_residents,
    error_records,
    quick_recovery,
    vote_post,
)

pytestmark = pytest.mark.skipif(
    not (TEST_DATABASE_URL or "").startswith("postgresql"),
    reason="the database going away is tested on PostgreSQL (a SQLite file cannot go away)",
)

RESIDENT = 650_001
NOTHING_SAVED = "出了点问题,没有保存任何内容"


@pytest.fixture(autouse=True)
def _quick_recovery(monkeypatch: pytest.MonkeyPatch) -> None:
    quick_recovery(monkeypatch)


@pytest.fixture
async def proxy(database_url: str) -> AsyncIterator[CuttableProxy]:
    url = make_url(database_url)
    server = CuttableProxy(url.host or "127.0.0.1", url.port or 5432)
    await server.start()
    try:
        yield server
    finally:
        await server.close()


@pytest.fixture
def settings(settings: Settings, proxy: CuttableProxy) -> Settings:
    url = make_url(settings.database_url).set(host="127.0.0.1", port=proxy.port)
    settings.database_url = url.render_as_string(hide_password=False)
    settings.deliberation.tally_edit_interval = 0.2
    settings.database_timeout = 1.0  # DATABASE_TIMEOUT: production waits 15 s
    return settings


@pytest.mark.expect_errors
async def test_database_down_then_back_without_restart(
    h: Harness, emu: BotAPIEmulator, proxy: CuttableProxy
) -> None:
    topic_id = await ready_topic(h)
    vote_id = await new_vote(h, topic_id)
    post = await vote_post(h)
    await add_residents(h, [RESIDENT])
    assert "积分" in ((await h.ask(RESIDENT, "/points")).text or "")
    connections = proxy.connections

    await proxy.cut()
    try:
        reply = await h.ask(RESIDENT, "/points")
        assert NOTHING_SAVED in (reply.text or "")
        pressed = await h.press(RESIDENT, post, "同意")
        assert NOTHING_SAVED in pressed.alert and pressed.answer.get("show_alert")
        await asyncio.sleep(1.5)  # down for a few seconds
        reply = await h.ask(RESIDENT, "/points")
        assert NOTHING_SAVED in (reply.text or "")
    finally:
        await proxy.restore()

    # back: the same process, new connections
    assert "积分" in ((await h.ask(RESIDENT, "/points")).text or "")
    pressed = await h.press(RESIDENT, post, "同意")
    assert "投票成功" in pressed.alert
    assert proxy.connections > connections
    assert await h.count(VoteBallot, VoteBallot.vote_id == vote_id) == 1


@pytest.mark.expect_errors
async def test_a_database_that_stops_answering_fails_updates_quickly_then_recovers(
    h: Harness, proxy: CuttableProxy
) -> None:
    """A network partition: the connections stay open but nothing comes back. Every
    statement is bounded (DATABASE_TIMEOUT, here 1 s), so the resident is told "nothing was
    saved, try again" within seconds instead of waiting forever; once the network is back,
    the same process answers again."""
    topic_id = await ready_topic(h)
    vote_id = await new_vote(h, topic_id)
    post = await vote_post(h)
    await add_residents(h, [RESIDENT])
    assert "积分" in ((await h.ask(RESIDENT, "/points")).text or "")

    proxy.stall()
    try:
        with error_records() as errors:
            started = time.monotonic()
            reply = await h.ask(RESIDENT, "/points")
            assert NOTHING_SAVED in (reply.text or "")
            pressed = await h.press(RESIDENT, post, "同意")
            assert NOTHING_SAVED in pressed.alert and pressed.answer.get("show_alert")
            assert time.monotonic() - started < 10
    finally:
        proxy.resume()
    # what was logged is the statements timing out, nothing else
    assert errors.records
    for record in errors.records:
        assert record.exc_info is not None, record.getMessage()
        assert isinstance(record.exc_info[1], TimeoutError), record.exc_info[1]

    assert "积分" in ((await h.ask(RESIDENT, "/points")).text or "")
    pressed = await h.press(RESIDENT, post, "同意")
    assert "投票成功" in pressed.alert
    assert await h.count(VoteBallot, VoteBallot.vote_id == vote_id) == 1
