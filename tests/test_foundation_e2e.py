"""Cross-cutting behaviour of the running bot: command menus, throttling, the error handler,
blocked residents and concurrent registrations."""

from __future__ import annotations

import asyncio
import logging

import pytest

import linli.services.structure as structure_service
from linli.config import Settings
from linli.emulator import BotAPIEmulator
from linli.models import Resident, ResidentStatus
from tests.support import B1_CHIEF, GRID1_CHIEF, Harness

NEW = 5001


async def test_command_menus_are_set_per_language_and_role(h: Harness) -> None:
    # A chief imported from the CSV gets their own menu once Telegram knows their private
    # chat (their first /start), never before (Telegram would answer "chat not found").
    assert not [r for r in h.emu.requests if (r.params.get("scope") or {}).get("chat_id")]
    await h.ask(GRID1_CHIEF, "/start")
    calls = [r for r in h.emu.requests if r.method.lower() == "setmycommands"]
    assert calls, "setMyCommands was never called"
    by_scope: dict[tuple[str, str | None], list[str]] = {}
    for call in calls:
        scope = call.params.get("scope") or {}
        key = (
            str(scope.get("type")) + str(scope.get("chat_id", "")),
            call.params.get("language_code"),
        )
        by_scope[key] = [c["command"] for c in call.params["commands"]]
    private_zh = by_scope[("all_private_chats", "zh")]
    assert "help" in private_zh and "residents" not in private_zh and "grant" not in private_zh
    assert "bind" not in private_zh
    group = by_scope[("all_group_chats", "en")]
    assert "help" in group and "lang" not in group
    chief = by_scope[(f"chat{GRID1_CHIEF}", None)]
    assert "residents" in chief and "grant" not in chief
    descriptions = {
        c["command"]: c["description"]
        for call in calls
        if call.params.get("language_code") == "en"
        for c in call.params["commands"]
    }
    assert descriptions["help"] == "Help"


async def test_a_flooding_user_is_throttled(
    emu: BotAPIEmulator, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    # a long window, so a slow (loaded) machine still sees the burst inside one or two
    harness = Harness(
        emu, settings.model_copy(update={"throttle_rate": 5, "throttle_period": 60.0})
    )
    await harness.start()
    caplog.set_level(logging.INFO, logger="linli.bot.middlewares")
    try:
        emu.add_user(NEW, "张三")
        updates = [emu.push_message(NEW, NEW, "/help") for _ in range(25)]
        await asyncio.gather(*(harness.wait_handled(u.update_id) for u in updates))
        replies = emu.messages(NEW)
        presses = [emu.push_callback(NEW, replies[0], "lg:zh") for _ in range(10)]
        await asyncio.gather(*(harness.wait_handled(u.update_id) for u in presses))
    finally:
        await harness.stop()
    slow_down = [m for m in replies if "太快" in (m.text or "")]
    helps = [m for m in replies if "/help" in (m.text or "")]
    # a fixed window: the burst may straddle two windows, never more
    assert 1 <= len(slow_down) <= 2
    assert len(helps) <= 2 * 5 < len(updates)
    # each dropped update is logged by its id (and nothing of what the user sent)
    dropped = [
        r.getMessage() for r in caplog.records if "over the throttling limit" in r.getMessage()
    ]
    pushed = {u.update_id for u in [*updates, *presses]}
    assert len(dropped) >= len(updates) - len(helps) - len(slow_down)
    assert all(int(message.split()[1]) in pushed for message in dropped)
    # every dropped button press is still answered, so no button spins
    answered = [
        u for u in presses if u.callback_query and u.callback_query.id in emu.callback_answers
    ]
    assert len(answered) == len(presses)


@pytest.mark.expect_errors
async def test_unexpected_error_tells_the_user_and_logs_update_id(
    h: Harness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(*args: object, **kwargs: object) -> list[object]:
        raise RuntimeError("database exploded")

    monkeypatch.setattr(structure_service, "grid_choices", broken)
    h.emu.add_user(NEW, "张三")
    with caplog.at_level(logging.ERROR, logger="linli.errors"):
        update = h.emu.push_message(NEW, NEW, "/start")
        await h.wait_handled(update.update_id)
    reply = h.emu.last_message(NEW)
    assert reply is not None and "没有保存" in reply.text
    assert any(str(update.update_id) in r.getMessage() for r in caplog.records)


async def test_blocked_resident_is_told(h: Harness) -> None:
    resident = await h.add_resident(NEW, "第一网格", "1号楼")
    async with h.db() as session:
        row = await session.get(Resident, resident.id)
        assert row is not None
        row.status = ResidentStatus.BLOCKED
        await session.commit()
    assert "停用" in (await h.ask(NEW, "/start")).text
    assert "认证" in (await h.ask(NEW, "/residents")).text


async def test_many_residents_register_at_the_same_moment(h: Harness) -> None:
    users = list(range(7000, 7040))
    for user in users:
        h.emu.add_user(user, f"居民{user}")
    starts = [h.emu.push_message(u, u, "/start") for u in users]
    await asyncio.gather(*(h.wait_handled(u.update_id) for u in starts))
    building = await h.building("第一网格", "1号楼")
    grid_msgs = [h.emu.last_message(u) for u in users]
    grid_presses = [
        h.emu.push_callback(u, m, m.buttons[0][0][1]) for u, m in zip(users, grid_msgs, strict=True)
    ]
    await asyncio.gather(*(h.wait_handled(u.update_id) for u in grid_presses))
    presses = [
        h.emu.push_callback(u, m, f"rb:{building.id}")
        for u, m in zip(users, grid_msgs, strict=True)
    ]
    await asyncio.gather(*(h.wait_handled(u.update_id) for u in presses))
    assert await h.count(
        Resident, Resident.building_id == building.id, Resident.status == ResidentStatus.PENDING
    ) == len(users)
    errors = [m for u in users for m in h.emu.messages(u) if "没有保存" in (m.text or "")]
    assert errors == []
    # each chief got one card per applicant
    cards = [m for m in h.emu.messages(B1_CHIEF) if "新居民" in (m.text or "")]
    assert len(cards) == len(users)


async def test_polling_mode_removes_a_webhook(h: Harness) -> None:
    assert h.emu.calls("deleteWebhook"), "linli run (polling) must delete a leftover webhook"


async def test_log_context_names_the_update_and_resident(
    h: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    from linli.bot.logging import current_resident_id, current_update_id

    seen: list[tuple[int | None, int | None]] = []
    original = structure_service.grid_choices

    async def spy(*args: object, **kwargs: object) -> object:
        seen.append((current_update_id.get(), current_resident_id.get()))
        return await original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(structure_service, "grid_choices", spy)
    h.emu.add_user(NEW, "张三")
    update = h.emu.push_message(NEW, NEW, "/start")
    await h.wait_handled(update.update_id)
    resident = await h.resident(NEW)
    assert resident is not None
    assert seen == [(update.update_id, resident.id)]
