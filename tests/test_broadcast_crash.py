"""Crash safety and several processes, with the real bot as separate processes.

- The bot (`python -m linli run`) broadcasts a notice to 500 groups and is SIGKILLed in
  the middle; started again, it finishes: every group has the notice exactly once (counted
  in the emulator, which runs in this test process).
- Two sender processes (`linli sender`) on one PostgreSQL database share a
  500-group broadcast, claiming with FOR UPDATE SKIP LOCKED: no delivery twice.
"""

from __future__ import annotations

import asyncio
import os
import signal
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from linli.emulator import BotAPIEmulator, StoredMessage
from linli.models import ChatBinding, Grid, Resident, ResidentStatus, Role
from linli.models.db import create_engine, create_sessionmaker
from linli.models.notices import (
    DeliveryState,
    NoticeKind,
    OutboxDelivery,
    OutboxMessage,
    Repeat,
    TargetKind,
)
from linli.services import notices as notice_service
from linli.services import outbox
from tests.support import (
    ADMIN_ID,
    TEST_DATABASE_URL,
    process_env,
    seed_example,
    spawn,
    stop,
)
from tests.support_notices import eventually

CHATS = 500
FIRST_CHAT = -1002000000


def _env(emu: BotAPIEmulator, database_url: str, **extra: str) -> dict[str, str]:
    return process_env(
        emu,
        database_url,
        NOTICES_GLOBAL_RATE="5000",
        NOTICES_GROUP_PER_MINUTE="100000",
        NOTICES_PROGRESS_SECONDS="0.5",
        NOTICES_SENDING_LEASE_SECONDS="2",
        **extra,
    )


async def _community(database_url: str, emu: BotAPIEmulator) -> None:
    """The example community, an admin, and CHATS groups bound to its grids."""
    engine = create_engine(database_url)
    sessionmaker = create_sessionmaker(engine)
    await seed_example(sessionmaker)
    emu.add_user(ADMIN_ID, "管理员")
    async with sessionmaker() as session:
        grids = list((await session.scalars(select(Grid).order_by(Grid.id))).all())
        session.add(
            Resident(
                telegram_id=ADMIN_ID,
                display_name="管理员",
                role=Role.ADMIN,
                status=ResidentStatus.VERIFIED,
                community_id=grids[0].community_id,
            )
        )
        for index in range(CHATS):
            chat = FIRST_CHAT - index
            emu.add_group(chat, f"群{index}")
            grid = grids[index % len(grids)]
            session.add(ChatBinding(chat_id=chat, title=f"群{index}", grid_id=grid.id))
        await session.commit()
    await engine.dispose()


def _counts(emu: BotAPIEmulator) -> list[int]:
    return [len(emu.messages(FIRST_CHAT - index)) for index in range(CHATS)]


async def _finished(database_url: str) -> bool:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            total = await conn.scalar(select(func.count()).select_from(OutboxMessage))
            open_ = await conn.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.finished_at.is_(None))
            )
        return bool(total) and open_ == 0
    finally:
        await engine.dispose()


async def _states(database_url: str) -> dict[str, int]:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                select(OutboxDelivery.state, func.count()).group_by(OutboxDelivery.state)
            )
            return {str(state): int(n) for state, n in rows.all()}
    finally:
        await engine.dispose()


async def test_sigkill_mid_broadcast_then_restart_delivers_each_chat_exactly_once(
    emu: BotAPIEmulator, database_url: str, redis_url: str | None, tmp_path: Path
) -> None:
    await _community(database_url, emu)
    engine = create_engine(database_url)
    async with create_sessionmaker(engine)() as session:
        admin = await session.scalar(select(Resident).where(Resident.telegram_id == ADMIN_ID))
        assert admin is not None
        notice = await notice_service.create(
            session,
            admin,
            notice_service.Draft(
                NoticeKind.MESSAGE,
                notice_service.Target(TargetKind.ALL),
                notice_service.Schedule(Repeat.ONCE),
                text="<b>停电通知</b> 今晚 8 点",
            ),
            datetime.now(UTC),
            ZoneInfo("Asia/Shanghai"),
        )
        assert notice.next_run_at is not None
    await engine.dispose()

    # One delivery in flight at a time, so the kill below lands in a known place: right
    # after Telegram (the emulator) stored a message and before the bot heard the answer.
    env = _env(emu, database_url, NOTICES_SENDER_CONCURRENCY="1")
    first = await spawn("linli.bot.cli", ["run"], env, tmp_path)
    killed: list[StoredMessage] = []

    def kill_mid_way(event: str, message: StoredMessage) -> None:
        half_way = sum(_counts(emu)) >= CHATS // 2
        if event == "sent" and message.chat_id < 0 and not killed and half_way:
            killed.append(message)
            os.kill(first.pid, signal.SIGKILL)

    unsubscribe = emu.on_event(kill_mid_way)
    try:
        await asyncio.wait_for(first.wait(), 60)
    finally:
        unsubscribe()
        if first.returncode is None:
            first.kill()
    assert first.returncode == -signal.SIGKILL, await stop(first)
    delivered_before = sum(_counts(emu))
    assert CHATS // 2 <= delivered_before < CHATS

    second = await spawn("linli.bot.cli", ["run"], env, tmp_path)
    try:
        await eventually(lambda: _finished(database_url), 90)
    finally:
        log = await stop(second)
    counts = _counts(emu)
    assert counts == [1] * CHATS, (
        f"duplicates: {sum(c > 1 for c in counts)}, lost: {sum(c == 0 for c in counts)}\n{log}"
    )
    states = await _states(database_url)
    # The delivery whose answer the killed process never read was resolved without sending
    # it again: failed ("interrupted"); it had in fact arrived, and the report says it may.
    assert states.get("sent", 0) + states.get("failed", 0) == CHATS
    assert states.get("failed", 0) <= 1
    assert "pending" not in states and "sending" not in states
    report = emu.messages(ADMIN_ID)[-1].text or ""
    assert "发送完成" in report


@pytest.mark.skipif(
    not (TEST_DATABASE_URL or "").startswith("postgresql"),
    reason="FOR UPDATE SKIP LOCKED across processes needs PostgreSQL "
    "(SQLite has one writer at a time; set LINLI_TEST_DATABASE_URL)",
)
async def test_two_sender_processes_never_send_a_delivery_twice(
    emu: BotAPIEmulator, database_url: str, redis_url: str | None, tmp_path: Path
) -> None:
    await _community(database_url, emu)
    emu.set_delay("sendMessage", 0.005)
    env = _env(emu, database_url, NOTICES_SENDER_CONCURRENCY="4")
    workers = [await spawn("linli.bot.cli", ["sender"], env, tmp_path) for _ in range(2)]
    try:
        for worker in workers:
            assert worker.stdout is not None
            async with asyncio.timeout(30):
                line = b""
                while not line.startswith(b"sender ready"):  # (runpy may warn first)
                    line = await worker.stdout.readline()
                    assert line, "the sender process exited"
        engine = create_engine(database_url)
        async with create_sessionmaker(engine)() as session:
            await outbox.post(
                session,
                chat_ids=[FIRST_CHAT - i for i in range(CHATS)],
                text="两个进程一起发",
                source="test",
            )
        await eventually(lambda: _finished(database_url), 90)
        async with engine.connect() as conn:
            senders = await conn.scalar(
                select(func.count(func.distinct(OutboxDelivery.claimed_by))).where(
                    OutboxDelivery.state == DeliveryState.SENT
                )
            )
        await engine.dispose()
    finally:
        logs = [await stop(worker) for worker in workers]
    counts = _counts(emu)
    assert counts == [1] * CHATS, f"{sum(c > 1 for c in counts)} duplicates\n{logs}"
    assert (await _states(database_url)) == {"sent": CHATS}
    assert senders == 2  # both processes took part
