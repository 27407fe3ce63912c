"""Secret votes end to end: creation, eligibility, one ballot each, changing a ballot,
coalesced live tallies, reminders, closing by the scheduled job with a bar chart, and the
bad inputs of the issue."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from linli.config import Settings
from linli.models.deliberation import Topic, TopicState, Vote, VoteBallot, VoteState
from linli.models.notices import OutboxMessage
from tests.support import B1_CHIEF, B4_CHIEF, GRID1_CHIEF, Harness, texts
from tests.support_deliberation import (
    AUTHOR,
    FAR,
    G_B1,
    G_B4,
    G_GRID1,
    NEIGHBOUR,
    OTHER_BUILDING,
    bind_groups,
    deadline_of,
    deliveries,
    new_vote,
    people,
    post_in,
    propose,
    ready_topic,
    settle,
    totals,
)

INTERVAL = 0.3


@pytest.fixture
def settings(settings: Settings) -> Settings:
    settings.deliberation.tally_edit_interval = INTERVAL
    settings.throttle_rate = 50  # a chief clicking through a flow in a test is fast
    return settings


async def test_vote_post_ballot_change_and_secret_storage(h: Harness) -> None:
    topic_id = await ready_topic(h)
    vote_id = await new_vote(h, topic_id)
    post = post_in(h, G_B1, "投票 · 议题")
    assert "已投票：0 人" in post.text and "可投票居民 3 人" in post.text
    assert post_in(h, G_GRID1, "投票 · 议题")  # the grid's group as well
    assert "投票" not in texts(h.emu.messages(G_B4))
    async with h.db() as session:
        assert (await session.get(Topic, topic_id)).state == TopicState.VOTING  # type: ignore[union-attr]

    pressed = await h.press(AUTHOR, post, "同意")
    assert "投票成功" in pressed.alert
    assert await totals(h, vote_id) == [1, 0, 0]
    # changing the ballot moves one vote; the total stays
    pressed = await h.press(AUTHOR, post, "反对")
    assert "改票" in pressed.alert
    assert await totals(h, vote_id) == [0, 1, 0]
    pressed = await h.press(AUTHOR, post, "反对")
    assert "已经投了" in pressed.alert
    assert await totals(h, vote_id) == [0, 1, 0]
    assert await h.count(VoteBallot) == 1
    # the ballot row holds no readable choice: only a sealed blob
    async with h.db() as session:
        ballot = await session.scalar(select(VoteBallot))
        assert ballot is not None and ballot.sealed and len(ballot.sealed) == 68
        assert "反对" not in ballot.sealed
    await settle(h)
    assert "已投票：1 人" in post.text and "反对 — 1 票" in post.text


async def test_double_tap_twenty_times_is_one_ballot(h: Harness) -> None:
    topic_id = await ready_topic(h)
    vote_id = await new_vote(h, topic_id)
    post = post_in(h, G_B1, "投票 · 议题")
    data = post.button("同意")
    ups = [h.emu.push_callback(NEIGHBOUR, post, data) for _ in range(20)]
    await asyncio.gather(*(h.wait_handled(u.update_id, 30) for u in ups))
    assert await h.count(VoteBallot, VoteBallot.vote_id == vote_id) == 1
    assert await totals(h, vote_id) == [1, 0, 0]
    answers = [h.emu.callback_answers.get(u.callback_query.id, {}) for u in ups]  # type: ignore[union-attr]
    assert all(a.get("text") for a in answers)
    assert not any("出了点问题" in str(a.get("text")) for a in answers)


async def test_final_ballots_cannot_be_changed_and_nothing_links_them(h: Harness) -> None:
    topic_id = await ready_topic(h)
    vote_id = await new_vote(h, topic_id, change="不允许改票", live="截止后公布")
    post = post_in(h, G_B1, "投票 · 议题")
    await h.press(AUTHOR, post, "弃权")
    pressed = await h.press(AUTHOR, post, "同意")
    assert "不能改票" in pressed.alert
    assert await totals(h, vote_id) == [0, 0, 1]
    async with h.db() as session:
        ballot = await session.scalar(select(VoteBallot))
        assert ballot is not None and ballot.sealed is None
    await settle(h)
    # running totals hidden: turnout only
    assert "已投票：1 人" in post.text and " 票" not in post.text


async def test_ineligible_residents_are_told_and_nothing_is_stored(h: Harness) -> None:
    topic_id = await ready_topic(h)
    vote_id = await new_vote(h, topic_id)
    post = post_in(h, G_GRID1, "投票 · 议题")
    for user in (OTHER_BUILDING, FAR, GRID1_CHIEF):  # building B, another grid, no building
        pressed = await h.press(user, post, "同意")
        assert "只有本范围内的认证居民" in pressed.alert
    h.emu.add_user(7777, "路人")
    assert "认证居民" in (await h.press(7777, post, "同意")).alert
    await h.add_resident(7778, "第一网格", "1号楼", verified=False)
    assert "认证居民" in (await h.press(7778, post, "同意")).alert
    assert await h.count(VoteBallot) == 0
    assert await totals(h, vote_id) == [0, 0, 0]


async def test_forged_option_and_closed_vote_are_refused(h: Harness) -> None:
    topic_id = await ready_topic(h)
    vote_id = await new_vote(h, topic_id)
    post = post_in(h, G_B1, "投票 · 议题")
    for data in (f"vc:{vote_id}:7", f"vc:{vote_id}:-1", f"vc:{vote_id + 50}:0", "vc:x:y"):
        pressed = await h.press_data(AUTHOR, post, data)
        assert pressed.alert
    assert await h.count(VoteBallot) == 0
    # a chief of another grid forges the early-close button: refused, the vote stays open
    pressed = await h.press_data(B4_CHIEF, post, f"vx:{vote_id}:1")
    assert "范围" in pressed.alert
    async with h.db() as session:
        assert (await session.get(Vote, vote_id)).state == VoteState.OPEN  # type: ignore[union-attr]
    # after the deadline (the job has not run yet) and after closing: refused
    deadline = await deadline_of(h, vote_id)
    async with h.db() as session:
        vote = await session.get(Vote, vote_id)
        assert vote is not None
        vote.deadline = datetime.now(UTC) - timedelta(seconds=1)
        await session.commit()
    pressed = await h.press(AUTHOR, post, "同意")
    assert "已经结束" in pressed.alert
    await h.run_job("deliberation.close_due_votes", now=deadline)
    pressed = await h.press_data(AUTHOR, post, f"vc:{vote_id}:0")
    assert "已经结束" in pressed.alert
    assert await h.count(VoteBallot) == 0


async def test_vote_new_bad_input(h: Harness) -> None:
    topic_id = await ready_topic(h)
    refused = await h.ask(NEIGHBOUR, f"/vote_new T{topic_id}")
    assert "网格长" in refused.text
    outside = await h.ask(B4_CHIEF, f"/vote_new T{topic_id}")
    assert "范围" in outside.text
    which = await h.ask(B1_CHIEF, "/vote_new")  # the topics in discussion, as buttons
    assert which.has_button(f"T{topic_id}")
    assert "没有协商中的议题" in (await h.ask(B4_CHIEF, "/vote_new")).text
    await h.ask(B1_CHIEF, f"/vote_new T{topic_id}")
    await h.ask(B1_CHIEF, "修不修?")
    assert "2 到 10" in (await h.ask(B1_CHIEF, "只有一个选项")).text
    eleven = "\n".join(f"选项{n}" for n in range(11))
    assert "11" in (await h.ask(B1_CHIEF, eleven)).text
    kind = await h.ask(B1_CHIEF, "修\n不修")
    ask = (await h.press(B1_CHIEF, kind, "单选")).messages[-1]
    assert "截止" in ask.text
    assert "已经过去" in (await h.ask(B1_CHIEF, "2020-01-01 10:00")).text
    assert "看不懂" in (await h.ask(B1_CHIEF, "明天下午吧")).text
    assert "看不懂" in (await h.ask(B1_CHIEF, "2026-13-45 10:00")).text
    assert "取消" in (await h.ask(B1_CHIEF, "/cancel")).text
    assert await h.count(Vote) == 0
    async with h.db() as session:
        assert (await session.get(Topic, topic_id)).state == TopicState.DISCUSSING  # type: ignore[union-attr]


async def test_vote_on_topic_not_in_discussion_is_refused(h: Harness) -> None:
    await bind_groups(h)
    await people(h)
    topic_id = await propose(h)
    reply = await h.ask(B1_CHIEF, f"/vote_new T{topic_id}")
    assert "不在协商阶段" in reply.text
    assert await h.count(Vote) == 0


async def test_multiple_choice_private_ballot(h: Harness) -> None:
    topic_id = await ready_topic(h)
    vote_id = await new_vote(h, topic_id, options="绿化\n路灯\n车棚\n健身器材", multiple=2)
    post = post_in(h, G_B1, "投票 · 议题")
    pressed = await h.press(AUTHOR, post, "去投票")
    assert "私聊" in pressed.alert
    ballot = h.emu.last_message(AUTHOR)
    assert ballot is not None and "最多选 2 项" in ballot.text
    await h.press(AUTHOR, ballot, "绿化")
    await h.press(AUTHOR, ballot, "车棚")
    too_many = await h.press(AUTHOR, ballot, "路灯")
    assert "最多只能选 2 项" in too_many.alert
    await h.press(AUTHOR, ballot, "提交选票")
    assert await totals(h, vote_id) == [1, 0, 1, 0]
    # a forged mask with three choices is refused
    pressed = await h.press_data(NEIGHBOUR, ballot, f"vs:{vote_id}:7")
    assert "没有这个选项" in pressed.alert
    assert await h.count(VoteBallot) == 1


async def test_reminders_only_to_eligible_non_voters_once(h: Harness) -> None:
    topic_id = await ready_topic(h)
    vote_id = await new_vote(h, topic_id, days="3 天")
    await h.press(AUTHOR, post_in(h, G_B1, "投票 · 议题"), "同意")
    deadline = await deadline_of(h, vote_id)
    before_author = len(h.emu.messages(AUTHOR))
    await h.run_job("deliberation.vote_reminders", now=deadline - timedelta(days=2))
    assert "提醒" not in texts(h.emu.messages(NEIGHBOUR))
    await h.run_job("deliberation.vote_reminders", now=deadline - timedelta(hours=20))
    await h.run_job("deliberation.vote_reminders", now=deadline - timedelta(hours=19))
    reminders = [m for m in h.emu.messages(NEIGHBOUR) if "提醒" in (m.text or "")]
    assert len(reminders) == 1 and reminders[0].buttons  # can vote from the reminder
    clock = deadline.astimezone(h.settings.tz).strftime("%H:%M")
    assert f"{clock} 截止（还有 20 小时）" in reminders[0].text
    assert len(h.emu.messages(AUTHOR)) == before_author  # voted: no reminder
    assert "截止" not in texts(h.emu.messages(OTHER_BUILDING))  # not eligible
    await h.press(NEIGHBOUR, reminders[0], "反对")
    assert await totals(h, vote_id) == [1, 1, 0]
    await h.run_job("deliberation.vote_reminders", now=deadline - timedelta(minutes=30))
    assert "还有 30 分钟" not in texts(h.emu.messages(NEIGHBOUR))  # everyone voted now


async def test_closing_job_after_restart_posts_result_chart_once(h: Harness) -> None:
    topic_id = await ready_topic(h)
    vote_id = await new_vote(h, topic_id, quorum="50%", live="截止后公布")
    post = post_in(h, G_B1, "投票 · 议题")
    await h.press(AUTHOR, post, "同意")
    await h.press(NEIGHBOUR, post, "同意")
    deadline = await deadline_of(h, vote_id)
    await h.run_job("deliberation.close_due_votes", now=deadline - timedelta(minutes=1))
    async with h.db() as session:
        assert (await session.get(Vote, vote_id)).state == VoteState.OPEN  # type: ignore[union-attr]
    await h.restart()  # the deadline passes while the bot is down
    await h.run_job("deliberation.close_due_votes", now=deadline + timedelta(hours=3))
    await h.run_job("deliberation.close_due_votes", now=deadline + timedelta(hours=4))
    await h.drain_outbox()
    async with h.db() as session:
        vote = await session.get(Vote, vote_id)
        assert vote is not None and vote.state == VoteState.CLOSED
        assert vote.turnout == 2 and vote.eligible_count == 3 and vote.quorum_met is True
        assert vote.result_posted_at is not None
    assert "投票已结束" in post.text and "同意 — 2 票" in post.text and not post.buttons
    photos = [m for m in h.emu.messages(G_B1) if m.photo]
    assert len(photos) == 1
    assert "达到法定人数" in (photos[0].caption or "") and "同意" in (photos[0].caption or "")
    png = h.emu.file_bytes(photos[0].file_id or "")
    assert png.startswith(b"\x89PNG")
    assert any(m.photo for m in h.emu.messages(AUTHOR))  # the proposer gets the result
    assert len([m for m in h.emu.messages(G_GRID1) if m.photo]) == 1


async def test_vote_posts_and_result_go_through_the_outbox_once(h: Harness) -> None:
    topic_id = await ready_topic(h)
    vote_id = await new_vote(h, topic_id)
    post = post_in(h, G_B1, "投票 · 议题")
    assert await deliveries(h, "vote", vote_id) == [
        (G_GRID1, post_in(h, G_GRID1, "投票 · 议题").message_id),
        (G_B1, post.message_id),
    ]
    await h.press(AUTHOR, post, "同意")
    deadline = await deadline_of(h, vote_id)
    # the closing job runs twice, and again after the result went out: one result each
    await h.run_job("deliberation.close_due_votes", now=deadline)
    assert await h.run_job("deliberation.close_due_votes", now=deadline) == 0
    await h.drain_outbox()
    assert await h.run_job("deliberation.close_due_votes", now=deadline) == 0
    await h.drain_outbox()
    assert [chat for chat, _ in await deliveries(h, "vote.result", vote_id)] == [G_GRID1, G_B1]
    assert await h.count(OutboxMessage, OutboxMessage.source == "vote.result") == 1
    photos = [m for chat in (G_B1, G_GRID1) for m in h.emu.messages(chat) if m.photo]
    assert len(photos) == 2 and "同意 — 1 票" in (photos[0].caption or "")
    # the chart was uploaded once: the second group got Telegram's file id of the first
    async with h.db() as session:
        result = await session.scalar(
            select(OutboxMessage).where(OutboxMessage.source == "vote.result")
        )
    assert result is not None and result.media_kind == "photo" and result.media_file_id
    assert {p.file_id for p in photos} == {result.media_file_id}
    assert h.emu.file_bytes(result.media_file_id).startswith(b"\x89PNG")
    # the live posts were edited to the final totals
    assert "投票已结束" in post.text and "同意 — 1 票" in post.text and not post.buttons


async def test_ballots_cast_before_the_post_went_out_are_shown_on_delivery(h: Harness) -> None:
    """The vote post waits in the outbox while residents vote (from a reminder, say): when
    it is delivered it is edited to the current turnout and totals."""
    topic_id = await ready_topic(h)
    assert h.app is not None and h.app.sender is not None
    await h.app.sender.stop()
    vote_id = await new_vote(h, topic_id, drain=False)
    assert await deliveries(h, "vote", vote_id) == [(G_GRID1, None), (G_B1, None)]
    somewhere = await h.ask(AUTHOR, "/help")
    pressed = await h.press_data(AUTHOR, somewhere, f"vc:{vote_id}:0")
    assert "投票成功" in pressed.alert
    await h.app.sender.start()
    await h.drain_outbox()
    for chat in (G_B1, G_GRID1):
        post = post_in(h, chat, "投票 · 议题")
        assert "已投票：1 人" in post.text and "同意 — 1 票" in post.text
        assert post.buttons  # still open: the ballot buttons stay
    # and later ballots still edit it (coalesced)
    post = post_in(h, G_B1, "投票 · 议题")
    await h.press(NEIGHBOUR, post, "反对")
    await settle(h)
    assert "已投票：2 人" in post.text and "反对 — 1 票" in post.text


async def test_quorum_missed_is_reported(h: Harness) -> None:
    topic_id = await ready_topic(h)
    vote_id = await new_vote(h, topic_id, quorum="100")
    await h.press(AUTHOR, post_in(h, G_B1, "投票 · 议题"), "同意")
    await h.run_job("deliberation.close_due_votes", now=await deadline_of(h, vote_id))
    await h.drain_outbox()
    photo = next(m for m in h.emu.messages(G_B1) if m.photo)
    assert "未达到法定人数" in (photo.caption or "")
    async with h.db() as session:
        assert (await session.get(Vote, vote_id)).quorum_met is False  # type: ignore[union-attr]
