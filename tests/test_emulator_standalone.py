"""`python -m linli.emulator`: the emulator as a server of its own, driven over HTTP through
its control endpoints (`/_emulator/...`) and the Bot API."""

from __future__ import annotations

import asyncio
import re
import signal
import sys
from typing import Any

import aiohttp

from linli.emulator import BOT_ID

TOKEN = "123456:STANDALONE"
USER = 42
GROUP = -1001


async def test_standalone_server_with_control_endpoints() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "linli.emulator",
        "--port",
        "0",
        "--token",
        TOKEN,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    assert process.stdout is not None
    try:
        line = (await asyncio.wait_for(process.stdout.readline(), 30)).decode()
        found = re.search(r"listening on (http://127\.0\.0\.1:\d+)", line)
        assert found, line
        base = found.group(1)
        async with aiohttp.ClientSession() as http:

            async def control(action: str, **body: Any) -> Any:
                async with http.post(f"{base}/_emulator/{action}", json=body) as resp:
                    reply = await resp.json()
                    assert resp.status == 200 and reply["ok"], reply
                    return reply["result"]

            async def api(method: str, **params: Any) -> tuple[int, Any]:
                async with http.post(f"{base}/bot{TOKEN}/{method}", json=params) as resp:
                    return resp.status, await resp.json()

            assert (await control("user", user_id=USER, first_name="Ann"))["id"] == USER
            await control("group", chat_id=GROUP, title="G", members=[USER])
            pushed = await control("message", chat_id=USER, user_id=USER, text="/start")
            status, updates = await api("getUpdates")
            assert status == 200
            assert [u["update_id"] for u in updates["result"]] == [pushed["update_id"]]
            assert updates["result"][0]["message"]["entities"][0]["type"] == "bot_command"

            keyboard = {"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}
            status, sent = await api(
                "sendMessage",
                chat_id=USER,
                text="<b>hi</b>",
                parse_mode="HTML",
                reply_markup=keyboard,
            )
            assert status == 200 and sent["result"]["text"] == "hi"
            message_id = sent["result"]["message_id"]
            pressed = await control(
                "callback", user_id=USER, chat_id=USER, message_id=message_id, data="go"
            )
            status, updates = await api("getUpdates", offset=pushed["update_id"] + 1)
            assert updates["result"][0]["callback_query"]["data"] == "go"
            assert updates["result"][0]["update_id"] == pressed["update_id"]

            async with http.get(f"{base}/_emulator/messages?chat_id={USER}") as resp:
                messages = (await resp.json())["result"]
            assert [(m["text"], m["_deleted"]) for m in messages] == [("hi", False)]
            async with http.get(f"{base}/_emulator/requests?since=0") as resp:
                calls = (await resp.json())["result"]
            assert [c["method"] for c in calls] == ["getUpdates", "sendMessage", "getUpdates"]

            status, me = await api("getMe")
            assert (status, me["result"]["id"]) == (200, BOT_ID)
            async with http.get(f"{base}/bot999:OTHER/getMe") as resp:
                assert resp.status == 401  # only --token is accepted
            async with http.post(f"{base}/_emulator/nothing", json={}) as resp:
                assert resp.status == 400
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGINT)
        # communicate() drains the output while waiting, so a full pipe cannot hold the
        # server up; the time allows for a machine busy with other test runs
        output, _ = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, output.decode(errors="replace")
