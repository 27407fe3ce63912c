"""Webhook mode: the emulator POSTs updates to the bot like Telegram does."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator

import aiohttp
import pytest
from pydantic import SecretStr
from sqlalchemy import select

from linli.bot.app import App, create_app
from linli.bot.observability import health
from linli.bot.webhook import serve_webhook
from linli.config import ConfigError, Settings, webhook_config
from linli.emulator import BotAPIEmulator
from linli.models import Resident
from linli.models.db import create_engine, create_sessionmaker
from tests.support import seed_example

SECRET = "s3cret-Token_1"
NEW = 5001


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def webhook_app(emu: BotAPIEmulator, settings: Settings) -> AsyncIterator[App]:
    engine = create_engine(settings.database_url)
    await seed_example(create_sessionmaker(engine))
    await engine.dispose()
    port = _free_port()
    hook_settings = settings.model_copy(
        update={
            "webhook_url": f"http://127.0.0.1:{port}/hook",
            "webhook_secret": SecretStr(SECRET),
            "webhook_port": port,
            "webhook_path": "/hook",
            "health_port": _free_port(),
        }
    )
    app = create_app(hook_settings, webhook=True)
    stop = asyncio.Event()
    task = asyncio.create_task(serve_webhook(app, stop))
    await emu.wait_for(lambda: emu.webhook is not None, timeout=10)
    try:
        yield app
    finally:
        stop.set()
        await task
        await app.close()


async def _residents(app: App, telegram_id: int) -> int:
    async with app.sessionmaker() as session:
        rows = await session.scalars(select(Resident).where(Resident.telegram_id == telegram_id))
        return len(rows.all())


async def test_updates_arrive_by_webhook_with_the_secret(
    emu: BotAPIEmulator, webhook_app: App
) -> None:
    assert emu.webhook is not None
    assert emu.webhook["secret_token"] == SECRET
    assert "callback_query" in (emu.webhook["allowed_updates"] or [])
    emu.add_user(NEW, "张三")
    emu.push_message(NEW, NEW, "/start")
    reply = await emu.wait_for_message(NEW)
    assert "网格" in (reply.text or "")
    assert await _residents(webhook_app, NEW) == 1


async def test_wrong_or_missing_secret_gets_401_and_no_effect(
    emu: BotAPIEmulator, webhook_app: App
) -> None:
    emu.add_user(NEW, "张三")
    update = {
        "update_id": 777,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": NEW, "type": "private", "first_name": "张三"},
            "from": {"id": NEW, "is_bot": False, "first_name": "张三"},
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }
    assert (await emu.deliver(update, secret="wrong"))[0] == 401
    assert (await emu.deliver(update, secret=None))[0] == 401
    assert emu.messages(NEW) == []
    assert await _residents(webhook_app, NEW) == 0
    assert (await emu.deliver(update))[0] == 200
    assert len(emu.messages(NEW)) == 1


async def test_the_same_update_delivered_twice_is_handled_once(
    emu: BotAPIEmulator, webhook_app: App
) -> None:
    emu.add_user(NEW, "张三")
    update = emu.push_message(NEW, NEW, "/start")
    await emu.wait_for_message(NEW)
    await emu.wait_until_consumed()
    status, _ = await emu.deliver(update)
    assert status == 200
    await asyncio.sleep(0.2)
    assert len(emu.messages(NEW)) == 1
    assert await _residents(webhook_app, NEW) == 1


async def _post_raw(port: int, path: str, secret: bytes, body: bytes) -> int:
    """POST with the secret header exactly as given (bytes a client library would refuse to
    send); returns the HTTP status."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(
            b"POST " + path.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nConnection: close\r\n"
            b"X-Telegram-Bot-Api-Secret-Token: " + secret + b"\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
        )
        await writer.drain()
        status_line = await reader.readline()
    finally:
        writer.close()
    return int(status_line.split()[1])


async def test_a_non_ascii_secret_gets_401_like_any_wrong_secret(
    emu: BotAPIEmulator, webhook_app: App
) -> None:
    emu.add_user(NEW, "张三")
    update = emu.push_message(NEW, NEW, "/start")
    await emu.wait_for_message(NEW)
    await emu.wait_until_consumed()
    body = json.dumps(update.model_dump(mode="json", exclude_none=True)).encode()
    body = body.replace(str(update.update_id).encode(), b"778", 1)
    settings = webhook_app.settings
    for secret in (
        "秘密".encode(),
        SECRET.encode() + "é".encode(),
        b"s3cret\xff",
        "é".encode("latin-1"),
    ):
        status = await _post_raw(settings.webhook_port, settings.webhook_path, secret, body)
        assert status == 401, secret
    assert len(emu.messages(NEW)) == 1
    assert await _residents(webhook_app, NEW) == 1


def test_webhook_settings_are_checked(settings: Settings) -> None:
    with pytest.raises(ConfigError, match="WEBHOOK_URL"):
        webhook_config(settings)
    with pytest.raises(ConfigError, match="WEBHOOK_SECRET"):
        webhook_config(settings.model_copy(update={"webhook_url": "https://x.example/hook"}))
    bad = settings.model_copy(
        update={"webhook_url": "https://x.example/hook", "webhook_secret": SecretStr("a b")}
    )
    with pytest.raises(ConfigError, match="WEBHOOK_SECRET"):
        webhook_config(bad)


async def test_healthz_and_metrics_on_their_own_port_not_the_webhooks(
    emu: BotAPIEmulator, webhook_app: App
) -> None:
    emu.add_user(NEW, "张三")
    emu.push_message(NEW, NEW, "/help")
    await emu.wait_for_message(NEW)
    settings = webhook_app.settings
    webhook = f"http://127.0.0.1:{settings.webhook_port}"
    base = f"http://{settings.health_host}:{settings.health_port}"
    async with aiohttp.ClientSession() as client:
        for path in ("/healthz", "/metrics"):
            async with client.get(f"{webhook}{path}") as response:
                assert response.status == 404, path  # the internet-facing port has neither
        async with client.get(f"{base}/healthz") as response:
            assert response.status == 200
            body = await response.json()
        async with client.get(f"{base}/metrics") as response:
            assert response.status == 200
            metrics = await response.text()
    assert body["database"] == "ok" and body["scheduler"] == "disabled"
    assert body["last_update_seconds_ago"] is not None
    assert 'linli_updates_total{type="message"} 1.0' in metrics
    assert 'linli_sends_total{method="SendMessage",result="ok"}' in metrics
    assert "linli_broadcast_queue_depth 0.0" in metrics


async def test_healthz_fails_when_the_database_is_unreachable(settings: Settings) -> None:
    broken = settings.model_copy(
        update={"database_url": "sqlite+aiosqlite:////nonexistent-dir/linli.db"}
    )
    app = create_app(broken)
    try:
        healthy, checks = await health(app)
    finally:
        await app.close()
    assert not healthy and checks["database"].startswith("error")
