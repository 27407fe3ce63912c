"""1,000 distinct verified residents vote on one vote concurrently through the emulator:
the stored total is exactly 1,000, the final post shows 1,000, no error reaches anyone, and
the coalesced edits stay within Telegram's limits (the emulator caps sends and edits)."""

from __future__ import annotations

import asyncio
import itertools

import pytest
from sqlalchemy import func, insert, select

from linli.config import Settings
from linli.models import Building, Grid, Resident, ResidentStatus
from linli.models.deliberation import VoteBallot, VoteOption
from tests.support import Harness
from tests.support_deliberation import G_B1, deadline_of, new_vote, post_in, ready_topic, settle

VOTERS = 1_000
FIRST_ID = 600_000
INTERVAL = 1.0


@pytest.fixture
def settings(settings: Settings) -> Settings:
    settings.deliberation.tally_edit_interval = INTERVAL
    settings.throttle_rate = 50
    if settings.redis_url:
        # redis-py's default pool (100 connections, non-blocking) fails a burst of 1,000
        # concurrent updates with "Too many connections" inside aiogram's Redis storage;
        # until bot/app.py uses a BlockingConnectionPool, allow enough connections here.
        settings.redis_url += "?max_connections=1200"
    return settings


async def add_voters(h: Harness) -> list[int]:
    """Verified residents of 1号楼 in one INSERT; registered in the emulator with the same
    name so that the resident middleware has nothing to write."""
    ids = list(range(FIRST_ID, FIRST_ID + VOTERS))
    async with h.db() as session:
        building = await session.scalar(
            select(Building).join(Grid).where(Grid.name == "第一网格", Building.name == "1号楼")
        )
        assert building is not None
        grid = await session.get(Grid, building.grid_id)
        assert grid is not None
        await session.execute(
            insert(Resident),
            [
                {
                    "telegram_id": uid,
                    "display_name": "居民",
                    "building_id": building.id,
                    "community_id": grid.community_id,
                    "status": ResidentStatus.VERIFIED,
                }
                for uid in ids
            ],
        )
        await session.commit()
    for uid in ids:
        h.emu.add_user(uid, "居民")
    return ids


async def test_thousand_residents_vote_concurrently(h: Harness) -> None:
    topic_id = await ready_topic(h)
    vote_id = await new_vote(h, topic_id, live="实时公布")
    post = post_in(h, G_B1, "投票 · 议题")
    ids = await add_voters(h)
    h.emu.set_rate_limit(30)  # Telegram-like global cap on sends and edits
    labels = ("同意", "反对", "弃权")
    data = [post.button(label) for label in labels]
    requests_before = len(h.emu.requests)

    ups = [h.emu.push_callback(uid, post, data[uid % 3]) for uid in ids]
    await asyncio.gather(*(h.wait_handled(u.update_id, 110) for u in ups))
    await settle(h)

    # exactly one ballot each, totals add up
    async with h.db() as session:
        ballots = await session.scalar(
            select(func.count()).select_from(VoteBallot).where(VoteBallot.vote_id == vote_id)
        )
        counts = list(
            (
                await session.scalars(
                    select(VoteOption.votes)
                    .where(VoteOption.vote_id == vote_id)
                    .order_by(VoteOption.position)
                )
            ).all()
        )
    assert ballots == VOTERS
    assert counts == [334, 333, 333]

    # every resident got the success answer; nobody saw an error
    for update in ups:
        assert update.callback_query is not None
        answer = h.emu.callback_answers.get(update.callback_query.id)
        assert answer is not None and "投票成功" in str(answer.get("text")), answer
    assert not any(h.emu.messages(uid) for uid in ids[:50])

    # the post shows 1,000; its edits were coalesced and never refused
    assert "已投票：1,000 人" in post.text and "同意 — 334 票" in post.text
    later = h.emu.requests[requests_before:]
    assert not [r for r in later if r.status == 429]
    edits = [
        r.at
        for r in later
        if r.method == "editMessageText"
        and str(r.params.get("chat_id")) == str(G_B1)
        and str(r.params.get("message_id")) == str(post.message_id)
    ]
    assert 1 <= len(edits) < VOTERS // 10
    gaps = [b - a for a, b in itertools.pairwise(edits)]
    assert all(gap >= INTERVAL * 0.9 for gap in gaps), gaps

    # closing shows the same final totals
    h.emu.set_rate_limit(None)
    await h.run_job("deliberation.close_due_votes", now=await deadline_of(h, vote_id))
    assert "投票已结束" in post.text and "投票人数：1,000 人" in post.text
