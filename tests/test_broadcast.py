"""The broadcast engine: the shared rate limiter, the outbox sender's handling of 429 / 5xx /
403 / "chat not found", rows left `sending` by a dead process, the progress message and the
final report."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from linli.bot.delivery.ratelimit import RateLimiter
from linli.bot.delivery.sender import wake
from linli.config import Settings
from linli.emulator import BotAPIEmulator
from linli.models import ChatBinding
from linli.models.notices import DeliveryState, OutboxDelivery, OutboxMessage
from linli.services import outbox
from tests.support import ADMIN_ID, TOKEN, Harness
from tests.support_notices import bind, eventually, fast_notices, wait_outbox_done, wait_text

GROUPS = [-100500 - i for i in range(5)]


@pytest.fixture
def settings(emu: BotAPIEmulator, database_url: str, redis_url: str | None) -> Settings:
    return Settings(
        bot_token=TOKEN,
        database_url=database_url,
        telegram_api_url=emu.base_url,
        redis_url=redis_url,
        admin_ids=[ADMIN_ID],
        polling_timeout=1,
        scheduler_enabled=False,
        throttle_rate=1000,
        notices=fast_notices(max_attempts=3),
        _env_file=None,
    )


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


# --------------------------------------------------------------------------------------------
# The rate limiter
# --------------------------------------------------------------------------------------------


def test_global_rate_allows_a_second_of_burst_then_paces() -> None:
    clock = FakeClock()
    limiter = RateLimiter(global_rate=30, chat_rate=100, chat_burst=100, clock=clock)
    waits = [limiter.reserve_global() for _ in range(31)]
    assert waits[:30] == [0.0] * 30
    assert waits[30] == pytest.approx(1 / 30)


def test_one_chat_gets_one_message_per_second_after_a_short_burst() -> None:
    clock = FakeClock()
    limiter = RateLimiter(global_rate=1000, chat_rate=1, chat_burst=3, clock=clock)
    waits = [limiter.reserve_chat(42) for _ in range(5)]
    assert waits[:3] == [0.0, 0.0, 0.0]
    assert waits[3] == pytest.approx(1.0) and waits[4] == pytest.approx(2.0)
    assert limiter.reserve_chat(43) == 0.0  # other chats are not held up
    assert limiter.reserve_global() == 0.0
    assert limiter.chat_wait(42) == pytest.approx(3.0)


def test_a_group_gets_at_most_20_messages_a_minute() -> None:
    clock = FakeClock()
    limiter = RateLimiter(global_rate=1000, chat_rate=1000, chat_burst=1000, clock=clock)
    waits = [limiter.reserve_chat(-42) for _ in range(21)]
    assert waits[:20] == [0.0] * 20
    assert waits[20] == pytest.approx(3.0)  # 20 per 60 s: one more every 3 s
    assert limiter.reserve_chat(42) == 0.0  # a private chat has no per-minute limit


def test_a_429_pauses_every_send_and_broadcasts_leave_room_for_replies() -> None:
    clock = FakeClock()
    limiter = RateLimiter(global_rate=10, interactive_reserve=2, clock=clock)
    limiter.pause(5)
    assert limiter.reserve_global() == pytest.approx(5.0)
    assert limiter.rate_limited == 1
    clock.now += 100
    bulk = [limiter.reserve_global(bulk=True) for _ in range(9)]
    assert bulk[7] == 0.0 and bulk[8] > 0  # broadcasts get 8 of the 10 per second
    assert limiter.reserve_global() == 0.0  # a reply still goes at once


@pytest.mark.expect_refusals
async def test_a_reply_that_gets_429_is_retried(h: Harness) -> None:
    await h.add_resident(5001, "第一网格", "1号楼")
    h.emu.inject_fault("sendMessage", status=429, retry_after=1, chat_id=5001)
    reply = await h.ask(5001, "/help")
    assert reply.text
    assert len(h.emu.calls("sendMessage")) == 2


# --------------------------------------------------------------------------------------------
# The sender
# --------------------------------------------------------------------------------------------


async def _groups(h: Harness, chats: list[int]) -> None:
    for index, chat in enumerate(chats):
        await bind(h, chat, f"测试群{index}", "第一网格", None)


async def _post(h: Harness, chats: list[int], text: str = "群发测试") -> int:
    admin = await h.resident(ADMIN_ID)
    if admin is None:
        await h.send(ADMIN_ID, "/start")
        admin = await h.resident(ADMIN_ID)
    assert admin is not None
    async with h.db() as session:
        message_id = await outbox.post(
            session,
            chat_ids=chats,
            text=text,
            source="test",
            notify_resident_id=admin.id,
            progress_chat_id=ADMIN_ID,
        )
    wake()
    return message_id


async def _deliveries(h: Harness) -> dict[int, OutboxDelivery]:
    async with h.db() as session:
        rows = (await session.scalars(select(OutboxDelivery))).all()
        return {row.chat_id: row for row in rows}


async def test_broadcast_reaches_every_chat_once_with_progress_and_report(h: Harness) -> None:
    await h.send(ADMIN_ID, "/start")
    await _groups(h, GROUPS)
    await _post(h, GROUPS)
    await wait_outbox_done(h)
    for chat in GROUPS:
        assert [m.text for m in h.emu.messages(chat)] == ["群发测试"]
        assert h.emu.messages(chat)[0].parse_mode is None
    rows = await _deliveries(h)
    assert {r.state for r in rows.values()} == {DeliveryState.SENT}
    assert all(r.telegram_message_id for r in rows.values())
    assert "5 / 5" in await wait_text(h, ADMIN_ID, "发送完成")


async def test_unique_delivery_per_message_and_chat(h: Harness) -> None:
    for index, chat in enumerate(GROUPS[:2]):  # real groups: the sender may post at any time
        h.emu.add_group(chat, f"测试群{index}")
    async with h.db() as session:
        message_id = await outbox.post(
            session, chat_ids=[GROUPS[0], GROUPS[0], GROUPS[1]], text="x", source="test"
        )
        assert (await session.get(OutboxMessage, message_id)).total == 2  # type: ignore[union-attr]
    from sqlalchemy.exc import IntegrityError

    async with h.db() as session:
        session.add(OutboxDelivery(message_id=message_id, chat_id=GROUPS[0]))
        with pytest.raises(IntegrityError):
            await session.commit()
    await h.drain_outbox()
    assert [len(h.emu.messages(chat)) for chat in GROUPS[:2]] == [1, 1]


@pytest.mark.expect_refusals
async def test_429_retries_the_same_delivery(h: Harness) -> None:
    await _groups(h, GROUPS[:2])
    h.emu.inject_fault("sendMessage", status=429, retry_after=1, chat_id=GROUPS[0])
    await _post(h, GROUPS[:2])
    await wait_outbox_done(h)
    assert len(h.emu.messages(GROUPS[0])) == 1 and len(h.emu.messages(GROUPS[1])) == 1
    calls = [c for c in h.emu.calls("sendMessage") if c.params.get("chat_id") == GROUPS[0]]
    assert [c.status for c in calls] == [429, 200]
    rows = await _deliveries(h)
    assert rows[GROUPS[0]].state == DeliveryState.SENT and rows[GROUPS[0]].attempts == 1


@pytest.mark.expect_refusals
async def test_5xx_is_retried_with_backoff_then_fails(h: Harness) -> None:
    await h.send(ADMIN_ID, "/start")
    await _groups(h, GROUPS[:2])
    h.emu.inject_fault("sendMessage", status=502, times=2, chat_id=GROUPS[0])
    h.emu.inject_fault("sendMessage", status=500, times=-1, chat_id=GROUPS[1])
    await _post(h, GROUPS[:2])
    await wait_outbox_done(h)
    rows = await _deliveries(h)
    assert rows[GROUPS[0]].state == DeliveryState.SENT and rows[GROUPS[0]].attempts == 3
    assert len(h.emu.messages(GROUPS[0])) == 1
    assert rows[GROUPS[1]].state == DeliveryState.FAILED and rows[GROUPS[1]].attempts == 3
    assert h.emu.messages(GROUPS[1]) == []
    report = await wait_text(h, ADMIN_ID, "没有发出的群")
    assert "测试群1" in report and "服务器" in report and "测试群0" not in report


@pytest.mark.expect_refusals
async def test_kicked_or_missing_group_fails_at_once_and_is_unbound(h: Harness) -> None:
    await _groups(h, GROUPS[:3])
    h.emu.kick_from_group(GROUPS[0])
    missing = -100999
    await bind(h, missing, "消失的群", "第一网格", None)
    h.emu._chats.pop(missing)  # Telegram no longer knows the chat
    await _post(h, [*GROUPS[:3], missing])
    await wait_outbox_done(h)
    rows = await _deliveries(h)
    for chat in (GROUPS[0], missing):
        assert rows[chat].state == DeliveryState.FAILED and rows[chat].attempts == 1
        calls = [c for c in h.emu.calls("sendMessage") if c.params.get("chat_id") == chat]
        assert len(calls) == 1  # not retried
    assert rows[GROUPS[1]].state == DeliveryState.SENT
    async with h.db() as session:
        active = {b.chat_id: b.active for b in (await session.scalars(select(ChatBinding))).all()}
    assert active[GROUPS[0]] is False and active[missing] is False and active[GROUPS[1]]


async def test_row_left_sending_by_a_dead_process_is_not_sent_again(h: Harness) -> None:
    """The crash window: the claim was committed, then the process died before Telegram
    answered (here: before the request even left). The row is resolved as failed
    ("interrupted") once its lease expires, never re-sent; the report says so."""
    await h.send(ADMIN_ID, "/start")
    await _groups(h, GROUPS[:2])
    assert h.app is not None and h.app.sender is not None
    await h.app.sender.stop()  # no sender while we fake the dead process's claim
    message_id = await _post(h, GROUPS[:2])
    async with h.db() as session:
        claim = await outbox.claim_next(session, "dead-host:1:x", datetime.now(UTC))
        assert claim is not None and claim.chat_id == GROUPS[0]
    h.settings.notices.sending_lease_seconds = 0.3
    await h.app.sender.start()

    async def resolved() -> bool:
        return (await _deliveries(h))[GROUPS[0]].state == DeliveryState.FAILED

    await eventually(resolved, 10)
    await wait_outbox_done(h)
    rows = await _deliveries(h)
    assert rows[GROUPS[0]].last_error == outbox.INTERRUPTED
    assert h.emu.messages(GROUPS[0]) == []  # the window: this chat may miss the notice
    assert len(h.emu.messages(GROUPS[1])) == 1
    report = await wait_text(h, ADMIN_ID, "没有发出的群")
    assert "测试群0" in report and "中断" in report and "没有重发" in report
    assert message_id


async def test_owner_that_was_only_slow_corrects_an_interrupted_row(h: Harness) -> None:
    """If another process gave up on a slow claim, the owner's success still counts."""
    async with h.db() as session:
        await outbox.post(session, chat_ids=[GROUPS[0]], text="x", source="test")
    assert h.app is not None and h.app.sender is not None
    await h.app.sender.stop()
    async with h.db() as session:
        claim = await outbox.claim_next(session, "slow", datetime.now(UTC))
        assert claim is not None
        later = datetime.now(UTC) + timedelta(seconds=10)
        assert await outbox.expire_abandoned(session, later, 5) == 1
        await outbox.mark_sent(session, outbox.Sent(claim, 77, later), "slow")
        await outbox.mark_sent(session, outbox.Sent(claim, 78, later), "someone-else")
    row = (await _deliveries(h))[GROUPS[0]]
    assert row.state == DeliveryState.SENT and row.telegram_message_id == 77


async def test_progress_message_is_edited_then_final_report(h: Harness) -> None:
    await h.send(ADMIN_ID, "/start")
    chats = [-100600 - i for i in range(30)]
    await _groups(h, chats)
    h.emu.set_delay("sendMessage", 0.05)
    before = len(h.emu.messages(ADMIN_ID))
    await _post(h, chats)
    await wait_outbox_done(h, seconds=30)
    await h.emu.wait_for(lambda: len(h.emu.messages(ADMIN_ID)) >= before + 2)
    mine = h.emu.messages(ADMIN_ID)[before:]
    progress, report = mine[0], mine[-1]
    assert len(mine) == 2  # one progress message (edited), one report
    assert progress.edits >= 1
    assert any("正在发送" in (v.get("text") or "") for v in progress.history)
    assert "发送完成" in (progress.text or "") and "30 / 30" in (progress.text or "")
    assert "失败 0" in (report.text or "")
    for chat in chats:
        assert len(h.emu.messages(chat)) == 1
