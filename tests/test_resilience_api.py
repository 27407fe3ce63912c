"""Bot API faults (docs/resilience.md).

- getUpdates answers 500s, hangs past the client's timeout, then answers 502 for two
  seconds: the bot keeps polling with its backoff and handles every update exactly once
  (each update handled once by the dispatcher; one ballot and one answer per press).
- Sends: a reply that gets 429 waits `retry_after` and is sent; a 500 is retried; a 403
  ("bot was blocked by the user") is counted and logged, not retried, and nobody is told
  "something went wrong"; the bot keeps handling the next updates.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from typing import Any

import pytest
from aiogram import Bot
from aiogram.types import Update
from sqlalchemy import func, select

from linli.config import Settings
from linli.models.deliberation import VoteBallot, VoteOption
from tests.support import Harness
from tests.support_deliberation import new_vote, ready_topic
from tests.support_resilience import (
    REQUEST_TIMEOUT,
    add_residents,
    error_records,
    quick_recovery,
    vote_post,
)

VOTERS = list(range(610_000, 610_060))


@pytest.fixture(autouse=True)
def _quick_recovery(monkeypatch: pytest.MonkeyPatch) -> None:
    quick_recovery(monkeypatch)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    settings.deliberation.tally_edit_interval = 0.2  # group posts follow the votes quickly
    return settings


def count_handling(h: Harness) -> Counter[int]:
    """How many times the dispatcher handled each update id (from now on)."""
    assert h.app is not None
    dp = h.app.dp
    seen: Counter[int] = Counter()
    inner = dp.feed_update

    async def feed_update(bot: Bot, update: Update, **kwargs: Any) -> Any:
        seen[update.update_id] += 1
        return await inner(bot, update, **kwargs)

    dp.feed_update = feed_update  # type: ignore[method-assign]
    return seen


@pytest.mark.expect_errors
@pytest.mark.expect_refusals
async def test_get_updates_faults_then_every_update_handled_exactly_once(h: Harness) -> None:
    topic_id = await ready_topic(h)
    vote_id = await new_vote(h, topic_id)
    post = await vote_post(h)
    await add_residents(h, VOTERS)
    agree = post.button("同意")
    seen = count_handling(h)
    ups: list[Update] = []
    batches = [VOTERS[i : i + 20] for i in range(0, len(VOTERS), 20)]

    def failed_polls(status: int) -> int:
        return sum(r.status == status for r in h.emu.calls("getUpdates"))

    with error_records() as errors:
        # Each fault is seen by the bot before the updates are pushed, so that they can only
        # arrive through a poll made after (or despite) the fault.
        # 1) three 500s in a row
        h.emu.inject_fault("getUpdates", status=500, times=3)
        await h.emu.wait_for(lambda: failed_polls(500) >= 1, 5)
        ups += [h.emu.push_callback(uid, post, agree) for uid in batches[0]]
        await asyncio.gather(*(h.wait_handled(u.update_id) for u in ups))
        assert failed_polls(500) == 3

        # 2) a poll that hangs past the client's timeout (polling timeout 1 s + REQUEST_TIMEOUT)
        before = len(h.emu.calls("getUpdates"))
        h.emu.set_delay("getUpdates", REQUEST_TIMEOUT + 3)
        await h.emu.wait_for(lambda: len(h.emu.calls("getUpdates")) > before, 5)
        h.emu.set_delay("getUpdates", 0)  # only the poll that arrived meanwhile hangs
        hung = h.emu.calls("getUpdates")[before]
        ups += [h.emu.push_callback(uid, post, agree) for uid in batches[1]]
        await asyncio.gather(*(h.wait_handled(u.update_id, 15) for u in ups))
        assert not hung.done  # the bot gave up on it and polled again

        # 3) a 502 burst of two seconds
        h.emu.inject_fault("getUpdates", status=502, seconds=2)
        burst_end = time.monotonic() + 2
        await h.emu.wait_for(lambda: failed_polls(502) >= 1, 5)
        ups += [h.emu.push_callback(uid, post, agree) for uid in batches[2]]
        await asyncio.gather(*(h.wait_handled(u.update_id, 15) for u in ups))
        await h.emu.wait_until_consumed()

    assert failed_polls(502) >= 3  # it kept trying during the burst, with backoff
    assert time.monotonic() >= burst_end - 0.1  # the last batch came after the burst
    # exactly once: each update reached the dispatcher once...
    assert [seen[u.update_id] for u in ups] == [1] * len(VOTERS)
    assert len(seen) == len(VOTERS)
    # ...and left one ballot and one answer each
    async with h.db() as session:
        ballots = await session.scalar(
            select(func.count()).select_from(VoteBallot).where(VoteBallot.vote_id == vote_id)
        )
        total = await session.scalar(
            select(func.sum(VoteOption.votes)).where(VoteOption.vote_id == vote_id)
        )
    assert ballots == total == len(VOTERS)
    answers = Counter(
        str(r.params.get("callback_query_id")) for r in h.emu.calls("answerCallbackQuery")
    )
    for update in ups:
        assert update.callback_query is not None
        assert answers[update.callback_query.id] == 1
        assert "投票成功" in str(h.emu.callback_answers[update.callback_query.id].get("text"))
    # polling failures are logged by aiogram's dispatcher; nothing else went wrong
    crashes = [r for r in errors.records if r.name != "aiogram.dispatcher"]
    assert not crashes, errors.describe()


@pytest.mark.expect_refusals
async def test_reply_gets_429_then_is_sent_once(h: Harness) -> None:
    resident = 620_001
    await add_residents(h, [resident])
    h.emu.inject_fault("sendMessage", status=429, retry_after=1, chat_id=resident)
    with error_records() as errors:
        replies = await h.send(resident, "/points")
    assert len(replies) == 1 and "积分" in (replies[0].text or "")
    calls = [r for r in h.emu.calls("sendMessage") if r.params.get("chat_id") == resident]
    assert [r.status for r in calls] == [429, 200]
    assert calls[1].at - calls[0].at >= 0.9  # it waited retry_after
    assert not errors.records, errors.describe()


@pytest.mark.expect_refusals
async def test_reply_and_button_answer_get_500_then_are_retried(h: Harness) -> None:
    resident = 620_002
    await add_residents(h, [resident])
    h.emu.inject_fault("sendMessage", status=500, chat_id=resident)
    with error_records() as errors:
        replies = await h.send(resident, "/points")
    assert len(replies) == 1 and "积分" in (replies[0].text or ""), replies
    assert not errors.records, errors.describe()

    # A vote whose answer gets a 500: stored once, and the resident hears it was recorded
    # (not "nothing was saved").
    topic_id = await ready_topic(h)
    vote_id = await new_vote(h, topic_id)
    post = await vote_post(h)
    await add_residents(h, [620_003])
    h.emu.inject_fault("answerCallbackQuery", status=500)
    pressed = await h.press(620_003, post, "同意")
    assert "投票成功" in pressed.alert
    assert await h.count(VoteBallot, VoteBallot.vote_id == vote_id) == 1


@pytest.mark.expect_refusals
async def test_blocked_resident_is_recorded_not_retried_and_bot_goes_on(
    h: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    resident, other = 620_011, 620_012
    await add_residents(h, [resident, other])
    h.emu.block_user(resident)
    caplog.set_level(logging.INFO, logger="linli.errors")
    with error_records() as errors:
        replies = await h.send(resident, "/points")
        assert replies == []
        calls = [r for r in h.emu.calls("sendMessage") if r.params.get("chat_id") == resident]
        # one attempt: not retried, and no "something went wrong" sent after it
        assert [(r.status, r.description) for r in calls] == [
            (403, "Forbidden: bot was blocked by the user")
        ]
        # the next updates are handled as usual
        assert "积分" in ((await h.ask(other, "/points")).text or "")
        h.emu.unblock_user(resident)
        assert "积分" in ((await h.ask(resident, "/points")).text or "")
    assert not errors.records, errors.describe()
    # recorded: a log line and the metric linli_sends_total{result="forbidden"}
    assert any("blocked by the user" in r.getMessage() for r in caplog.records)
    assert h.app is not None
    forbidden = h.app.metrics.sends.labels("SendMessage", "forbidden")._value.get()
    assert forbidden == 1
