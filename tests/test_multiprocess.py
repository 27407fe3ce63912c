"""Two webhook processes on one PostgreSQL database and one Redis: the emulator stands for
Telegram behind a load balancer and spreads about 2,000 updates (votes, /points, whole
complaint flows whose steps land on either process, redemptions) between them.

Every effect is stored exactly once, every multi-step flow completes (its FSM state lives
in Redis), and the scheduled jobs — a vote closing, a notice — run in BOTH processes (both
run the scheduler here, which the deployment docs advise against) yet take effect once,
because every scheduled effect is claimed in the database.
"""

from __future__ import annotations

import asyncio
import re
import socket
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from sqlalchemy import func, select, update

from linli.bot.callbacks.deliberation import CastVote
from linli.emulator import BotAPIEmulator, StoredMessage
from linli.models import Resident
from linli.models.complaints import Complaint
from linli.models.deliberation import Vote, VoteBallot, VoteOption, VoteState
from linli.models.notices import NoticeKind, OutboxMessage, Repeat, TargetKind
from linli.models.points import Redemption, RewardItem
from linli.services import notices as notice_service
from tests.support import (
    GRID1_CHIEF,
    TEST_DATABASE_URL,
    TEST_REDIS_URL,
    Harness,
    process_env,
    spawn,
    stop,
)
from tests.support_deliberation import G_B1, G_GRID1, new_vote, ready_topic
from tests.support_notices import eventually, wait_outbox_done
from tests.support_points import add_item, assert_ledger_consistent, bulk_residents

pytestmark = [
    pytest.mark.skipif(
        not ((TEST_DATABASE_URL or "").startswith("postgresql") and TEST_REDIS_URL),
        reason="several processes share PostgreSQL and Redis (set LINLI_TEST_DATABASE_URL "
        "and LINLI_TEST_REDIS_URL)",
    ),
    # two bot processes and ~2,000 updates: more than the suite's 120 s on a loaded machine
    pytest.mark.timeout(480),
]

SECRET = "multi-process-secret"
VOTERS = 1_000
SHOPPERS = 200
STOCK = 150
COMPLAINERS = 100
POINTS_ASKERS = 100
SHOP_GROUP = -100500


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Workers:
    """Two `linli run --webhook` processes behind the emulator's load balancer."""

    def __init__(self, emu: BotAPIEmulator, database_url: str, cwd: Path) -> None:
        self.emu = emu
        self.database_url = database_url
        self.cwd = cwd
        self.ports = [_free_port(), _free_port()]
        self.health_ports = [_free_port(), _free_port()]  # /metrics is not on the webhook's
        self.urls = [f"http://127.0.0.1:{port}/hook" for port in self.ports]
        self.processes: list[asyncio.subprocess.Process] = []
        self.logs: list[str] = []

    async def start(self) -> None:
        self.emu.webhook_targets = list(self.urls)
        before = len(self.emu.calls("setWebhook"))
        for port, url, health in zip(self.ports, self.urls, self.health_ports, strict=True):
            env = process_env(
                self.emu,
                self.database_url,
                WEBHOOK_URL=url,
                WEBHOOK_SECRET=SECRET,
                WEBHOOK_HOST="127.0.0.1",
                WEBHOOK_PORT=str(port),
                WEBHOOK_PATH="/hook",
                HEALTH_PORT=str(health),
            )
            self.processes.append(await spawn("linli.bot.cli", ["run", "--webhook"], env, self.cwd))
        await self.emu.wait_for(
            lambda: len(self.emu.calls("setWebhook")) >= before + 2,
            60,
            message=lambda: "the webhook processes did not start",
        )

    async def stop(self) -> None:
        self.logs += [await stop(process) for process in self.processes]
        self.processes = []

    async def job_runs(self, job: str) -> list[float]:
        """Runs of a scheduled job in each process, read from its /metrics."""
        pattern = re.compile(
            rf'linli_scheduler_job_runs_total\{{job="{re.escape(job)}",result="ok"\}} (\S+)'
        )
        runs = []
        async with aiohttp.ClientSession() as session:
            for port in self.health_ports:
                async with session.get(f"http://127.0.0.1:{port}/metrics") as response:
                    found = pattern.search(await response.text())
                    runs.append(float(found.group(1)) if found else 0.0)
        return runs


def _handled_by(emu: BotAPIEmulator) -> dict[int, list[str]]:
    """Update id → the processes that answered it with 2xx (Telegram stops there)."""
    handled: dict[int, list[str]] = defaultdict(list)
    for update_id, target, status in emu.webhook_deliveries:
        if 200 <= status < 300:
            handled[update_id].append(target)
    return handled


async def _handled(emu: BotAPIEmulator, update_id: int) -> None:
    def done() -> bool:
        return any(
            u == update_id and 200 <= s < 300 for u, _, s in reversed(emu.webhook_deliveries)
        )

    def why() -> str:
        statuses = Counter(status for _, _, status in emu.webhook_deliveries)
        return f"update {update_id} was not handled ({statuses}, {emu.pending_updates()} queued)"

    await emu.wait_for(done, 120, message=why)


async def _press(emu: BotAPIEmulator, uid: int, message: StoredMessage, button: str) -> int:
    update = emu.push_callback(uid, message, message.button(button))
    await _handled(emu, update.update_id)
    return update.update_id


async def _say(emu: BotAPIEmulator, uid: int, text: str) -> int:
    update = emu.push_message(uid, uid, text)
    await _handled(emu, update.update_id)
    return update.update_id


def _last(emu: BotAPIEmulator, uid: int) -> StoredMessage:
    message = emu.last_message(uid)
    assert message is not None
    return message


async def _complain(emu: BotAPIEmulator, uid: int) -> list[int]:
    """The whole /complain flow, one step after the other's reply; returns its update ids."""
    steps = [await _say(emu, uid, "/complain")]
    steps.append(await _press(emu, uid, _last(emu, uid), "停车管理"))
    if _last(emu, uid).has_button("提交新的诉求"):  # similar open complaints in the building
        steps.append(await _press(emu, uid, _last(emu, uid), "提交新的诉求"))
    steps.append(await _say(emu, uid, f"消防通道被车堵住了({uid})"))
    steps.append(await _press(emu, uid, _last(emu, uid), "不需要照片"))
    steps.append(await _press(emu, uid, _last(emu, uid), "跳过"))
    steps.append(await _press(emu, uid, _last(emu, uid), "不匿名"))
    assert "确认" in (_last(emu, uid).text or "")
    steps.append(await _press(emu, uid, _last(emu, uid), "确认提交"))
    return steps


async def test_two_webhook_processes_share_2000_updates_and_scheduled_jobs_run_once(
    h: Harness, emu: BotAPIEmulator, database_url: str, tmp_path: Path
) -> None:
    # --- the community, a vote, a shop, set up through the bot in this process -------------
    topic_id = await ready_topic(h)
    vote_id = await new_vote(h, topic_id, change="不允许改票")
    voters = await bulk_residents(h, 600_000, VOTERS, "第一网格", "1号楼")
    shoppers = await bulk_residents(h, 700_000, SHOPPERS, "第一网格", "2号楼", points=30)
    complainers = await bulk_residents(h, 800_000, COMPLAINERS, "第二网格", "4号楼")
    item_id = await add_item(h, "大米一袋", cost=10, stock=STOCK)
    assert h.app is not None
    vote_post = await emu.wait_for_message(
        G_B1, predicate=lambda m: "投票 · 议题" in (m.text or ""), timeout=10
    )
    emu.add_group(SHOP_GROUP, "兑换群", members=shoppers)
    await h.app.bot.send_message(SHOP_GROUP, "…")
    shop_post = _last(emu, SHOP_GROUP)
    await h.stop()

    workers = Workers(emu, database_url, tmp_path)
    await workers.start()
    try:
        # --- phase 1: the workload, spread over both processes ---------------------------
        single = [
            emu.push_callback(uid, vote_post, CastVote(vote_id=vote_id, position=uid % 3).pack())
            for uid in voters
        ]
        single += [  # a hundred impatient second taps: still one ballot each
            emu.push_callback(uid, vote_post, CastVote(vote_id=vote_id, position=uid % 3).pack())
            for uid in voters[:100]
        ]
        single += [emu.push_callback(uid, shop_post, f"rc:{item_id}:t{uid}") for uid in shoppers]
        single += [  # a double tap on the same confirmation redeems once
            emu.push_callback(uid, shop_post, f"rc:{item_id}:t{uid}") for uid in shoppers[:50]
        ]
        single += [emu.push_message(uid, uid, "/points") for uid in voters[:POINTS_ASKERS]]
        flows = await asyncio.gather(*(_complain(emu, uid) for uid in complainers))
        await asyncio.gather(*(_handled(emu, u.update_id) for u in single))

        handled = _handled_by(emu)
        pushed = [u.update_id for u in single] + [u for flow in flows for u in flow]
        assert len(pushed) >= 2_000
        assert all(len(handled[u]) == 1 for u in pushed), "an update was handled twice"
        per_process = {url: sum(handled[u] == [url] for u in pushed) for url in workers.urls}
        assert all(n > 300 for n in per_process.values()), per_process
        split = [flow for flow in flows if len({handled[u][0] for u in flow}) == 2]
        assert len(split) > COMPLAINERS // 2  # most flows moved between processes

        async with h.db() as session:
            ballots = await session.scalar(
                select(func.count()).select_from(VoteBallot).where(VoteBallot.vote_id == vote_id)
            )
            totals = list(
                (
                    await session.scalars(
                        select(VoteOption.votes)
                        .where(VoteOption.vote_id == vote_id)
                        .order_by(VoteOption.position)
                    )
                ).all()
            )
            redemptions = await session.scalar(select(func.count()).select_from(Redemption))
            per_shopper = list(
                (
                    await session.scalars(
                        select(func.count())
                        .select_from(Redemption)
                        .group_by(Redemption.resident_id)
                    )
                ).all()
            )
            item = await session.get(RewardItem, item_id)
            complaints = list(
                (
                    await session.execute(
                        select(Resident.telegram_id, func.count(Complaint.id))
                        .join(Complaint, Complaint.author_id == Resident.id)
                        .group_by(Resident.telegram_id)
                    )
                ).all()
            )
        assert ballots == VOTERS
        assert totals == [sum(uid % 3 == p for uid in voters) for p in range(3)]
        assert redemptions == STOCK and item is not None and item.stock == 0
        assert per_shopper == [1] * STOCK
        assert sorted(complaints) == [(uid, 1) for uid in complainers]
        await assert_ledger_consistent(h)
        for uid in complainers:  # every flow ended with its receipt
            assert "C" in (_last(emu, uid).text or "")

        # --- phase 2: scheduled effects, with both processes running the scheduler -------
        now = datetime.now(UTC)
        async with h.db() as session:
            await session.execute(
                update(Vote).where(Vote.id == vote_id).values(deadline=now - timedelta(minutes=1))
            )
            chief = await session.scalar(
                select(Resident).where(Resident.telegram_id == GRID1_CHIEF)
            )
            assert chief is not None and chief.chief_grid_id is not None
            notice = await notice_service.create(
                session,
                chief,
                notice_service.Draft(
                    NoticeKind.MESSAGE,
                    notice_service.Target(TargetKind.GRID, grid_id=chief.chief_grid_id),
                    notice_service.Schedule(Repeat.ONCE, run_at=now + timedelta(seconds=2)),
                    text="停水通知:明天九点到十二点",
                ),
                now,
                ZoneInfo(h.settings.timezone),
            )
            await session.commit()
        await workers.stop()
        await asyncio.sleep(2)  # the notice falls due while the bot is down
        await workers.start()  # interval jobs run one second after start-up, in both

        async def settled() -> bool:
            async with h.db() as session:
                vote = await session.get(Vote, vote_id)
                sent = await session.scalar(
                    select(func.count())
                    .select_from(OutboxMessage)
                    .where(OutboxMessage.source == "notice", OutboxMessage.finished_at.is_not(None))
                )
                return bool(vote and vote.result_posted_at and sent)

        await eventually(settled, 60)
        await eventually(
            lambda: _both_ran(workers, "deliberation.close_due_votes", "notices.due"), 30
        )
        async with h.db() as session:
            vote = await session.get(Vote, vote_id)
            assert vote is not None and vote.state == VoteState.CLOSED
        # The result is enqueued with its claim and posted by the outbox sender: wait for it.
        await wait_outbox_done(h, 60)
        results = [m for m in emu.messages(G_B1) if "投票结果" in (m.text or m.caption or "")]
        assert len(results) == 1
        for chat in (G_GRID1,):
            got = [m for m in emu.messages(chat) if "停水通知" in (m.text or m.caption or "")]
            assert len(got) == 1, f"notice {notice.id} reached {chat} {len(got)} times"
    finally:
        await workers.stop()
    assert not any("Traceback" in log for log in workers.logs), "\n".join(workers.logs)


async def _both_ran(workers: Workers, *jobs: str) -> bool:
    for job in jobs:
        if not all(runs >= 1 for runs in await workers.job_runs(job)):
            return False
    return True
