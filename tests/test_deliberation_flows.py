"""Deliberation's flows as issues 12 and 14 ask for them, through the real bot: each step
and its group post stored together, "start again" for a flow's button whose draft is gone,
dates from the picker (or typed), vote options on one line, the group's Comment button
opening that topic's comment step with the name shown, topics that show "vote counted",
and the English wording."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiogram.fsm.storage.base import StorageKey
from sqlalchemy import select

from linli.bot.callbacks.common import WhenPick
from linli.bot.callbacks.deliberation import TopicFlow, VoteFlow
from linli.config import Settings
from linli.models.deliberation import Topic, TopicComment, TopicState, Vote, VoteOption
from linli.models.notices import OutboxMessage
from linli.services import outbox
from tests.support import B1_CHIEF, Harness
from tests.support_deliberation import (
    AUTHOR,
    G_B1,
    G_GRID1,
    NEIGHBOUR,
    bind_groups,
    card,
    deadline_of,
    new_vote,
    people,
    post_in,
    propose,
    ready_topic,
    settle,
    shortlist_and_discuss,
    topic,
)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    settings.deliberation.tally_edit_interval = 0.2
    settings.throttle_rate = 50  # a chief clicking through a flow in a test is fast
    return settings


class BrokenOutbox:
    """Makes the next `outbox.enqueue` fail right after it wrote its rows, as a database
    that fails before the commit would: the step's transaction must roll back with it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.armed = False
        self.failures = 0
        real = outbox.enqueue

        async def enqueue(*args: Any, **kwargs: Any) -> Any:
            result = await real(*args, **kwargs)
            if self.armed:
                self.armed, self.failures = False, self.failures + 1
                raise RuntimeError("the outbox write failed")
            return result

        monkeypatch.setattr(outbox, "enqueue", enqueue)


async def outbox_rows(h: Harness, source: str) -> int:
    return await h.count(OutboxMessage, OutboxMessage.source == source)


@pytest.mark.expect_errors
async def test_each_step_and_its_group_post_are_stored_together(
    h: Harness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Propose, open the discussion, open a vote, decide, post progress, mark done: when
    the group post cannot be written, the step is not taken either (nothing was saved, the
    chief may press Confirm again); when it is, both are there."""
    broken = BrokenOutbox(monkeypatch)
    await bind_groups(h)
    await people(h)
    caplog.set_level(logging.ERROR, logger="linli.errors")

    # step 1: the proposal
    await h.ask(AUTHOR, "/propose")
    await h.ask(AUTHOR, "楼道装声控灯")
    question = await h.ask(AUTHOR, "晚上楼道太暗。")
    await h.press(AUTHOR, question, "我的楼栋")
    broken.armed = True
    failed = await h.press(AUTHOR, question, "确认")
    assert "没有保存" in failed.alert
    assert await h.count(Topic) == 0 and await h.count(OutboxMessage) == 0
    await h.press(AUTHOR, question, "确认")  # the draft is still there
    assert "已提交" in question.text and "2 个群" in question.text
    await h.drain_outbox()
    async with h.db() as session:
        topic_id = int(await session.scalar(select(Topic.id)) or 0)
    assert post_in(h, G_B1, "楼道装声控灯")

    # step 3: the discussion
    cards = await h.send(B1_CHIEF, "/pool")
    await h.press(B1_CHIEF, next(m for m in cards if m.buttons), "入选")
    ask_end = (await h.press(B1_CHIEF, await card(h, B1_CHIEF, topic_id), "开始协商")).messages[-1]
    ask_meeting = (await h.press(B1_CHIEF, ask_end, "7 天")).messages[-1]
    preview = (await h.press(B1_CHIEF, ask_meeting, "不开协商会")).messages[-1]
    broken.armed = True
    assert "没有保存" in (await h.press(B1_CHIEF, preview, "确认")).alert
    assert (await topic(h, topic_id)).state == TopicState.SHORTLISTED
    assert await outbox_rows(h, "topic.discussion") == 0
    await h.press(B1_CHIEF, preview, "确认")
    assert (await topic(h, topic_id)).state == TopicState.DISCUSSING
    await h.drain_outbox()
    assert post_in(h, G_B1, "进入协商")

    # step 4: the vote
    await h.ask(B1_CHIEF, f"/vote_new T{topic_id}")
    await h.ask(B1_CHIEF, "装不装？")
    kind = await h.ask(B1_CHIEF, "装、不装")
    ask = (await h.press(B1_CHIEF, kind, "单选")).messages[-1]
    for button in ("1 天", "0%", "允许改票"):
        ask = (await h.press(B1_CHIEF, ask, button)).messages[-1]
    preview = (await h.press(B1_CHIEF, ask, "实时公布")).messages[-1]
    broken.armed = True
    assert "没有保存" in (await h.press(B1_CHIEF, preview, "确认")).alert
    assert await h.count(Vote) == 0 and await outbox_rows(h, "vote") == 0
    assert (await topic(h, topic_id)).state == TopicState.DISCUSSING
    await h.press(B1_CHIEF, preview, "确认")
    assert "投票已发起" in preview.text
    await h.drain_outbox()
    vote_post = post_in(h, G_B1, "投票 · 议题")
    await h.press(NEIGHBOUR, vote_post, "装")
    ask = (await h.press(B1_CHIEF, await card(h, B1_CHIEF, topic_id), "提前结束")).messages[-1]
    await h.press(B1_CHIEF, ask, "确认提前结束")
    await h.drain_outbox()

    # decision, progress, done
    steps = (
        ("记录决定", "同意装灯", TopicState.VOTING, TopicState.DECIDED),
        ("发布进展", "灯已买好", TopicState.DECIDED, TopicState.IMPLEMENTING),
        ("办结", "灯已装好", TopicState.IMPLEMENTING, TopicState.DONE),
    )
    for button, text, before, after in steps:
        await h.press(B1_CHIEF, await card(h, B1_CHIEF, topic_id), button)
        preview = await h.ask(B1_CHIEF, text)
        announced = await outbox_rows(h, "topic.announce")
        broken.armed = True
        assert "没有保存" in (await h.press(B1_CHIEF, preview, "确认")).alert
        assert (await topic(h, topic_id)).state == before
        assert await outbox_rows(h, "topic.announce") == announced
        await h.press(B1_CHIEF, preview, "确认")
        assert (await topic(h, topic_id)).state == after
        await h.drain_outbox()
        assert text in post_in(h, G_B1, text).text

    assert broken.failures == 6
    logged = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(logged) == 6 and all("the outbox write failed" in r.getMessage() for r in logged)


async def test_a_post_stored_with_its_step_goes_out_after_a_crash(h: Harness) -> None:
    """The bot stops right after the decision was stored (its post still waits in the
    outbox): the next process sends it."""
    topic_id = await ready_topic(h)
    await new_vote(h, topic_id)
    ask = (await h.press(B1_CHIEF, await card(h, B1_CHIEF, topic_id), "提前结束")).messages[-1]
    await h.press(B1_CHIEF, ask, "确认提前结束")
    await h.drain_outbox()
    assert h.app is not None and h.app.sender is not None
    await h.app.sender.stop()  # nothing is sent from here on in this process
    await h.press(B1_CHIEF, await card(h, B1_CHIEF, topic_id), "记录决定")
    preview = await h.ask(B1_CHIEF, "下个月开工")
    await h.press(B1_CHIEF, preview, "确认")
    assert "已记录" in preview.text
    assert not [m for m in h.emu.messages(G_B1) if "下个月开工" in (m.text or "")]
    await h.restart()
    await h.drain_outbox()
    assert "作出决定" in post_in(h, G_B1, "下个月开工").text
    assert post_in(h, G_GRID1, "下个月开工")


# --- buttons of a flow whose draft is gone ------------------------------------------------------

LOST_BUTTONS = [
    TopicFlow(action="confirm").pack(),
    TopicFlow(action="scope", value="building").pack(),
    TopicFlow(action="days", value="7").pack(),
    TopicFlow(action="meeting", value="none").pack(),
    TopicFlow(action="label", value="property").pack(),
    VoteFlow(action="confirm").pack(),
    VoteFlow(action="kind", value="single").pack(),
    VoteFlow(action="max", value="2").pack(),
    VoteFlow(action="days", value="1").pack(),
    VoteFlow(action="quorum", value="10").pack(),
    VoteFlow(action="change", value="1").pack(),
    VoteFlow(action="live", value="0").pack(),
    WhenPick(flow="topic_end", day="20301201", at="0900").pack(),
    WhenPick(flow="topic_meeting", day="20301201", at="0900").pack(),
    WhenPick(flow="vote_deadline", day="20301201", at="0900").pack(),
]
# The confirmation steps, with a state that outlived its draft.
CONFIRM_STATES = [
    ("Propose:confirm", TopicFlow(action="confirm").pack()),
    ("Discuss:confirm", TopicFlow(action="confirm").pack()),
    ("Note:confirm", TopicFlow(action="confirm").pack()),
    ("Commenting:confirm", TopicFlow(action="confirm").pack()),
    ("VoteNew:confirm", VoteFlow(action="confirm").pack()),
    ("VoteNew:live", VoteFlow(action="live", value="1").pack()),
    ("VoteNew:kind", VoteFlow(action="kind", value="multiple").pack()),
]


async def _snapshot(h: Harness) -> tuple[int, ...]:
    async with h.db() as session:
        states = tuple((await session.scalars(select(Topic.state).order_by(Topic.id))).all())
    counts = [await h.count(model) for model in (Topic, Vote, TopicComment, OutboxMessage)]
    return (*counts, hash(states))


async def test_flow_buttons_without_their_draft_say_start_again(h: Harness) -> None:
    topic_id = await ready_topic(h)
    assert h.app is not None
    before = await _snapshot(h)
    somewhere = await h.ask(B1_CHIEF, "/help")
    for user in (B1_CHIEF, NEIGHBOUR):
        for data in LOST_BUTTONS:  # pressed again on another device, or after the flow ended
            pressed = await h.press_data(user, somewhere, data)
            assert "重新开始" in pressed.alert, data
    key = StorageKey(bot_id=h.app.bot.id, chat_id=B1_CHIEF, user_id=B1_CHIEF)
    for state, data in CONFIRM_STATES:  # the state outlived its data (storage cleared)
        await h.app.dp.storage.set_state(key, state)
        await h.app.dp.storage.set_data(key, {})
        pressed = await h.press_data(B1_CHIEF, somewhere, data)
        assert "重新开始" in pressed.alert, state
        assert await h.app.dp.storage.get_state(key) is None  # the flow ended
    assert await _snapshot(h) == before
    assert (await topic(h, topic_id)).state == TopicState.DISCUSSING


# --- dates, options, comments ------------------------------------------------------------------


async def test_vote_with_the_picker_options_on_one_line_and_strict_numbers(h: Harness) -> None:
    topic_id = await ready_topic(h)
    which = await h.ask(B1_CHIEF, "/vote_new")
    ask = (await h.press(B1_CHIEF, which, f"T{topic_id}")).messages[-1]
    assert "第一步" in ask.text
    await h.ask(B1_CHIEF, "车棚建在哪里？")
    long_option = "东" * 101
    refused = await h.ask(B1_CHIEF, f"东侧空地，{long_option}")
    assert "最多 100 字" in refused.text and "101 字" in refused.text
    kind = await h.ask(B1_CHIEF, "东侧空地，西侧草坪; 不建")
    ask = (await h.press(B1_CHIEF, kind, "多选")).messages[-1]
    forged = await h.press_data(B1_CHIEF, ask, VoteFlow(action="max", value="²").pack())
    assert forged.alert and await h.count(Vote) == 0
    ask = (await h.press(B1_CHIEF, ask, "2")).messages[-1]
    # the deadline: a day from the picker, then an hour
    assert "截止" in ask.text and ask.has_button("后天") and ask.has_button("1 天")
    await h.press(B1_CHIEF, ask, "后天")
    assert ask.has_button("10:00") and ask.has_button("取消") and ask.has_button("1 天")
    pressed = await h.press(B1_CHIEF, ask, "10:00")
    assert not ask.buttons  # the step's buttons retire
    ask = pressed.messages[-1]
    assert "法定人数" in ask.text
    for typed in ("²0", "٣٠", "101", "-5"):
        assert "0 到 100" in (await h.ask(B1_CHIEF, typed)).text
    ask = await h.ask(B1_CHIEF, "30%")
    ask = (await h.press(B1_CHIEF, ask, "不允许改票")).messages[-1]
    preview = (await h.press(B1_CHIEF, ask, "截止后公布")).messages[-1]
    assert "1. 东侧空地\n2. 西侧草坪\n3. 不建" in preview.text
    assert "多选（最多 2 项）" in preview.text and "法定人数 30%" in preview.text
    await h.press(B1_CHIEF, preview, "确认")
    assert "2 个群" in preview.text
    async with h.db() as session:
        vote = await session.scalar(select(Vote))
        assert vote is not None
        labels = (
            await session.scalars(
                select(VoteOption.label)
                .where(VoteOption.vote_id == vote.id)
                .order_by(VoteOption.position)
            )
        ).all()
    assert labels == ["东侧空地", "西侧草坪", "不建"]
    assert vote.multiple and vote.max_choices == 2 and vote.quorum_percent == 30
    local = vote.deadline.astimezone(h.settings.tz)
    today = datetime.now(UTC).astimezone(h.settings.tz).date()
    assert local.date() == today + timedelta(days=2) and (local.hour, local.minute) == (10, 0)


async def test_discussion_dates_typed_in_common_forms_and_picked(h: Harness) -> None:
    await bind_groups(h)
    await people(h)
    topic_id = await propose(h)
    cards = await h.send(B1_CHIEF, "/pool")
    await h.press(B1_CHIEF, next(m for m in cards if m.buttons), "入选")
    ask_end = (await h.press(B1_CHIEF, await card(h, B1_CHIEF, topic_id), "开始协商")).messages[-1]
    assert "例如" in ask_end.text and ask_end.has_button("14 天")
    assert "太远" in (await h.ask(B1_CHIEF, "2099-01-01 10:00")).text
    ask_meeting = await h.ask(B1_CHIEF, "下周五 18:00")
    assert "协商会" in ask_meeting.text and ask_meeting.has_button("不开协商会")
    await h.press(B1_CHIEF, ask_meeting, "明天")
    ask_place = (await h.press(B1_CHIEF, ask_meeting, "19:00")).messages[-1]
    assert "地点" in ask_place.text and "最多 200 字" in ask_place.text
    preview = await h.ask(B1_CHIEF, "社区活动室")
    assert "协商会：" in preview.text and "社区活动室" in preview.text
    await h.press(B1_CHIEF, preview, "确认")
    row = await topic(h, topic_id)
    assert row.discussion_ends_at is not None and row.meeting_at is not None
    ends = row.discussion_ends_at.astimezone(h.settings.tz)
    meeting = row.meeting_at.astimezone(h.settings.tz)
    today = datetime.now(UTC).astimezone(h.settings.tz).date()
    monday = today - timedelta(days=today.weekday())
    assert ends.date() == monday + timedelta(days=11) and (ends.hour, ends.minute) == (18, 0)
    assert meeting.date() == today + timedelta(days=1) and meeting.hour == 19


async def test_a_discussion_without_a_meeting_says_so(h: Harness) -> None:
    topic_id = await ready_topic(h)  # "no meeting"
    post = post_in(h, G_B1, "进入协商")
    assert "本次不开协商会" in post.text and "- -" not in post.text
    view = await card(h, AUTHOR, topic_id)
    assert "本次不开协商会" in view.text and "- -" not in view.text


async def test_the_groups_comment_button_opens_that_topics_comment_step(h: Harness) -> None:
    topic_id = await ready_topic(h)
    other = await propose(h, title="楼下装充电桩")
    post = post_in(h, G_B1, "进入协商")
    [[(_, url)]] = post.buttons
    assert url is not None and url.endswith(f"start=comment_T{topic_id}")
    # what Telegram sends when the resident follows the link
    ask = await h.ask(NEIGHBOUR, f"/start comment_T{topic_id}")
    assert f"T{topic_id}" in ask.text and "「李大爷」公开显示" in ask.text
    update = h.emu.push_message(NEIGHBOUR, NEIGHBOUR, voice=True)
    await h.wait_handled(update.update_id)
    preview = h.emu.last_message(NEIGHBOUR)
    assert preview is not None and "（语音意见）" in preview.text and "李大爷" in preview.text
    await h.press(NEIGHBOUR, preview, "确认")
    assert "已发表" in preview.text
    async with h.db() as session:
        comment = await session.scalar(select(TopicComment))
        assert comment is not None and comment.voice_file_id and comment.topic_id == topic_id
    # a topic that is not in discussion: refused as usual, nothing stored
    refused = await h.ask(NEIGHBOUR, f"/start comment_T{other}")
    assert "不在协商阶段" in refused.text
    # typed with the text: straight to the confirmation; Cancel keeps nothing
    preview = await h.ask(AUTHOR, f"/comment T{topic_id} 赞成")
    assert "赞成" in preview.text and "「张阿姨」" in preview.text
    await h.press(AUTHOR, preview, "取消")
    assert await h.count(TopicComment) == 1
    # the card lists the comment under the commenter's name
    assert "李大爷：（语音意见）" in (await card(h, AUTHOR, topic_id)).text


async def test_the_topic_shows_its_real_state_after_the_vote(h: Harness) -> None:
    topic_id = await ready_topic(h)
    proposal = post_in(h, G_B1, "📌 议题")
    discussion = post_in(h, G_B1, "进入协商")
    assert discussion.buttons and "请点下面的按钮" in discussion.text
    vote_id = await new_vote(h, topic_id)
    await settle(h)
    assert "状态：投票中" in proposal.text
    # the discussion is over: its post says so and its Comment button is gone
    assert "协商已结束" in discussion.text and not discussion.buttons
    assert "请点下面的按钮" not in discussion.text
    await h.press(NEIGHBOUR, post_in(h, G_B1, "投票 · 议题"), "同意")
    await h.run_job("deliberation.close_due_votes", now=await deadline_of(h, vote_id))
    await h.drain_outbox()
    await settle(h)
    assert "状态：投票已结束，待记录决定" in proposal.text
    assert "状态：投票已结束，待记录决定" in post_in(h, G_GRID1, "📌 议题").text
    view = await card(h, AUTHOR, topic_id)
    assert "投票已结束，待记录决定" in view.text and "等待网格长、楼栋长记录决定" in view.text
    assert "投票中" not in view.text.split("全过程")[0]
    listing = await h.ask(AUTHOR, "/topics")
    assert "投票已结束，待记录决定" in listing.text
    group = await h.ask(AUTHOR, "/topics", chat_id=G_B1)
    assert "投票已结束，待记录决定" in group.text
    await h.press(B1_CHIEF, await card(h, B1_CHIEF, topic_id), "记录决定")
    await h.press(B1_CHIEF, await h.ask(B1_CHIEF, "同意加装"), "确认")
    await settle(h)
    assert "状态：已决定" in proposal.text


async def test_english_wording(h: Harness) -> None:
    """A resident who reads English: plurals, quotes, the comment step and the reminder."""
    await bind_groups(h)
    await people(h)
    await h.add_resident(5010, "第一网格", "1号楼", name="Ann", language="en")
    topic_id = await propose(h)
    await h.press(5010, post_in(h, G_B1, "1号楼加装电梯"), "附议")
    view = await card(h, 5010, topic_id)
    assert "Support: 1 neighbour" in view.text and "State: proposed" in view.text
    await h.press(NEIGHBOUR, post_in(h, G_B1, "1号楼加装电梯"), "附议")
    assert "Support: 2 neighbours" in (await card(h, 5010, topic_id)).text
    await shortlist_and_discuss(h, topic_id)
    ask = await h.ask(5010, f"/start comment_T{topic_id}")
    assert "shown publicly with your name, “Ann”" in ask.text
    preview = await h.ask(5010, "Yes, please")
    assert "It is shown on the topic's card with your name, “Ann”." in preview.text
    await h.press(5010, preview, "Confirm")
    assert "1 comment (signed" in (await card(h, 5010, topic_id)).text
    vote_id = await new_vote(h, topic_id, days="3 天")
    deadline = await deadline_of(h, vote_id)
    await h.run_job("deliberation.vote_reminders", now=deadline - timedelta(hours=20))
    reminder = h.emu.last_message(5010)
    assert reminder is not None
    assert "closes" in reminder.text and "in 20 hours, and you have not voted" in reminder.text
    await h.run_job("deliberation.vote_reminders", now=deadline - timedelta(minutes=1))
    last = h.emu.last_message(5010)
    assert last is not None and "in 1 minute," in last.text
    assert "Voted: 0 of 4 eligible residents" in (await card(h, 5010, topic_id)).text
