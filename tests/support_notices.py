"""Notices and broadcast test helpers: fast send limits, bound groups, waiting for the outbox."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import select

from linli.config.notices import NoticeSettings
from linli.emulator import StoredMessage
from linli.models import ChatBinding, Grid
from linli.models.notices import OutboxMessage
from tests.support import Harness

GRID1_GROUP = -100900
B1_GROUP = -100901
B2_GROUP = -100902
B4_GROUP = -100904  # 第二网格 · 4号楼


def fast_notices(**overrides: object) -> NoticeSettings:
    """Limits high enough that tests do not wait; short polls and backoffs."""
    values: dict[str, object] = {
        "global_rate": 2000.0,
        "chat_rate": 1000.0,
        "chat_burst": 100,
        "group_per_minute": 100_000,
        "sender_poll_seconds": 0.05,
        "progress_seconds": 0.2,
        "backoff_seconds": 0.05,
        "backoff_max_seconds": 0.2,
        "_env_file": None,
    }
    values.update(overrides)
    return NoticeSettings(**values)  # type: ignore[arg-type]


async def bind(h: Harness, chat_id: int, title: str, grid: str, building: str | None) -> None:
    """A group the bot is in, bound to a grid (building None) or a building."""
    h.emu.add_group(chat_id, title)
    async with h.db() as session:
        if building is None:
            row = await session.scalar(select(Grid).where(Grid.name == grid))
            assert row is not None
            session.add(ChatBinding(chat_id=chat_id, title=title, grid_id=row.id))
        else:
            b = await h.building(grid, building)
            session.add(ChatBinding(chat_id=chat_id, title=title, building_id=b.id))
        await session.commit()


async def bind_example_groups(h: Harness) -> None:
    await bind(h, GRID1_GROUP, "第一网格群", "第一网格", None)
    await bind(h, B1_GROUP, "1号楼楼道群", "第一网格", "1号楼")
    await bind(h, B2_GROUP, "2号楼楼道群", "第一网格", "2号楼")
    await bind(h, B4_GROUP, "4号楼楼道群", "第二网格", "4号楼")


async def eventually(check: Callable[[], Awaitable[bool]], seconds: float = 15.0) -> None:
    """Poll `check` until it is true; TimeoutError after `seconds`."""
    for _ in range(int(seconds / 0.05)):
        if await check():
            return
        await asyncio.sleep(0.05)
    raise TimeoutError(f"condition not met within {seconds}s")


async def wait_outbox_done(h: Harness, seconds: float = 15.0) -> None:
    """Until every outbox message is finished (every delivery sent or failed)."""

    async def done() -> bool:
        open_messages = await h.count(OutboxMessage, OutboxMessage.finished_at.is_(None))
        return open_messages == 0 and await h.count(OutboxMessage) > 0

    await eventually(done, seconds)


async def wait_text(h: Harness, chat_id: int, needle: str, seconds: float = 10.0) -> str:
    """The first bot message in the chat containing `needle` (waits for it)."""
    found = await h.emu.wait_for_message(
        chat_id, predicate=lambda m: needle in (m.text or ""), timeout=seconds
    )
    return found.text or ""


def group_texts(h: Harness, chat_id: int) -> list[str]:
    return [m.text or "" for m in h.emu.messages(chat_id)]


async def start_message_flow(
    h: Harness, chief: int, text: str, *, html: bool = False, **kwargs: Any
) -> StoredMessage:
    """/notice → "write a notice" (→ "I write HTML myself" when `html`) → the text (with
    `kwargs` such as entities); returns the bot's next question."""
    question = await h.ask(chief, "/notice")
    await h.press(chief, question, "写一条通知")
    if html:
        pressed = await h.press(chief, question, "我自己写 HTML")
        assert not pressed.alert, pressed.alert
    return await h.ask(chief, text, **kwargs)


async def pick(h: Harness, chief: int, message: StoredMessage, button: str) -> StoredMessage:
    pressed = await h.press(chief, message, button)
    assert not pressed.alert, pressed.alert
    return h.emu.last_message(chief) or message
