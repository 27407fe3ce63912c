"""Deliberation steps 1–4 for topics, end to end through the Bot API emulator: proposal and
support, selection in the pool, discussion with comments and meeting reminders, decision,
progress, done and ratings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from linli.config import Settings
from linli.models.deliberation import (
    CommentLabel,
    Topic,
    TopicComment,
    TopicEvent,
    TopicRating,
    TopicState,
    TopicSupport,
)
from linli.models.notices import OutboxMessage
from tests.support import B1_CHIEF, B4_CHIEF, Harness, texts
from tests.support_deliberation import (
    AUTHOR,
    FAR,
    G_B1,
    G_B4,
    G_GRID1,
    NEIGHBOUR,
    OTHER_BUILDING,
    bind_groups,
    card,
    deliveries,
    people,
    post_in,
    propose,
    settle,
    shortlist_and_discuss,
    topic,
)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    settings.deliberation.tally_edit_interval = 0.2
    settings.throttle_rate = 50  # a chief clicking through a flow in a test is fast
    return settings


async def test_proposal_is_posted_and_supported_once_live(h: Harness) -> None:
    await bind_groups(h)
    await people(h)
    topic_id = await propose(h)
    post = post_in(h, G_B1, "1号楼加装电梯")
    assert "附议：0 人" in post.text
    grid_post = post_in(h, G_GRID1, "1号楼加装电梯")  # the building's grid group too
    assert "议题" not in texts(h.emu.messages(G_B4))  # another grid does not get it
    assert f"T{topic_id}" in post.text
    # posted through the outbox: one delivery per group, Telegram's message id kept
    assert await deliveries(h, "topic", topic_id) == [
        (G_GRID1, grid_post.message_id),
        (G_B1, post.message_id),
    ]

    pressed = await h.press(NEIGHBOUR, post, "附议")
    assert "1 人" in pressed.alert
    again = await h.press(NEIGHBOUR, grid_post, "附议")
    assert "已经附议" in again.alert
    # a resident of another building cannot support a building topic, and is told why
    refused = await h.press(OTHER_BUILDING, post, "附议")
    assert "不在您所在的范围" in refused.alert
    # a stranger who never registered is told to register
    h.emu.add_user(7777, "路人")
    assert "/start" in (await h.press(7777, post, "附议")).alert
    assert await h.count(TopicSupport) == 1
    assert (await topic(h, topic_id)).support_count == 1
    # the posts are edited (coalesced) to show the new count
    await settle(h)
    assert "附议：1 人" in post.text and "附议：1 人" in grid_post.text


async def test_concurrent_double_support_counts_once(h: Harness) -> None:
    await bind_groups(h)
    await people(h)
    topic_id = await propose(h)
    post = post_in(h, G_B1, "1号楼加装电梯")
    data = post.buttons[0][0][1]
    assert data is not None
    ups = [h.emu.push_callback(NEIGHBOUR, post, data) for _ in range(8)]
    for update in ups:
        await h.wait_handled(update.update_id)
    assert await h.count(TopicSupport, TopicSupport.topic_id == topic_id) == 1
    assert (await topic(h, topic_id)).support_count == 1


async def test_propose_bad_input_reprompts_and_keeps_draft(h: Harness) -> None:
    await people(h)
    await h.ask(AUTHOR, "/propose")
    too_long = await h.ask(AUTHOR, "长" * 81)
    assert "太长" in too_long.text
    sticker = await h.ask(AUTHOR, sticker=True)
    assert "文字" in sticker.text
    assert "说明" in (await h.ask(AUTHOR, "楼道灯坏了")).text
    # a voice message is accepted as the description
    update = h.emu.push_message(AUTHOR, AUTHOR, voice=True)
    await h.wait_handled(update.update_id)
    question = h.emu.last_message(AUTHOR)
    assert question is not None and "涉及哪里" in question.text
    await h.press(AUTHOR, question, "我的网格")
    await h.press(AUTHOR, question, "确认")
    async with h.db() as session:
        row = await session.scalar(select(Topic))
        assert row is not None and row.description_voice and row.scope.value == "grid"
    # /cancel interrupts a draft and nothing is stored
    await h.ask(AUTHOR, "/propose")
    assert "取消" in (await h.ask(AUTHOR, "/cancel")).text
    assert await h.count(Topic) == 1


async def test_pending_resident_cannot_propose(h: Harness) -> None:
    await h.add_resident(AUTHOR, "第一网格", "1号楼", verified=False)
    reply = await h.ask(AUTHOR, "/propose")
    assert "认证" in reply.text
    assert await h.count(Topic) == 0


async def test_non_chief_cannot_use_pool_or_forge_steps(h: Harness) -> None:
    await bind_groups(h)
    await people(h)
    topic_id = await propose(h)
    reply = await h.ask(NEIGHBOUR, "/pool")
    assert "网格长" in reply.text
    own = await card(h, NEIGHBOUR, topic_id)
    for data in (f"ta:{topic_id}:short", f"tk:{topic_id}:i:5", f"ta:{topic_id}:decline"):
        pressed = await h.press_data(NEIGHBOUR, own, data)
        assert pressed.alert
    # a chief of another grid cannot act on it either
    pressed = await h.press_data(B4_CHIEF, own, f"ta:{topic_id}:short")
    assert "范围" in pressed.alert
    row = await topic(h, topic_id)
    assert row.state == TopicState.PROPOSED and row.importance is None


async def test_pool_ranks_by_score_then_support_and_decline_tells_author(h: Harness) -> None:
    await bind_groups(h)
    await people(h)
    first = await propose(h, title="修车棚")
    second = await propose(h, title="楼道照明", scope="我的楼栋")
    await h.press(NEIGHBOUR, post_in(h, G_B1, "楼道照明"), "附议")
    cards = await h.send(B1_CHIEF, "/pool")
    ranking = cards[0].text
    assert ranking.index(f"T{second}") < ranking.index(f"T{first}")  # more support
    first_card = next(m for m in cards if f"T{first} " in (m.text or "") and m.buttons)
    for criterion_row in first_card.buttons[:3]:
        await h.press_data(B1_CHIEF, first_card, criterion_row[5][1] or "")  # 5 points each
    assert "15" in first_card.text
    ranking = (await h.send(B1_CHIEF, "/pool"))[0].text
    assert ranking.index(f"T{first}") < ranking.index(f"T{second}")  # higher score first

    view = await card(h, B1_CHIEF, second)
    ask = (await h.press(B1_CHIEF, view, "不采纳")).messages[-1]
    preview = await h.ask(B1_CHIEF, "已列入物业年度维修计划")
    await h.press(B1_CHIEF, preview, "确认")
    row = await topic(h, second)
    assert row.state == TopicState.DECLINED and row.decline_reason == "已列入物业年度维修计划"
    told = h.emu.last_message(AUTHOR)
    assert told is not None and "没有被采纳" in told.text and "物业年度维修计划" in told.text
    assert ask.text


async def test_four_steps_from_proposal_to_done(h: Harness) -> None:
    await bind_groups(h)
    await people(h)
    topic_id = await propose(h)
    await h.press(NEIGHBOUR, post_in(h, G_B1, "1号楼加装电梯"), "附议")

    # step 2: selection
    await shortlist_and_discuss(h, topic_id)
    assert "入选" in texts(h.emu.messages(AUTHOR))
    assert (await topic(h, topic_id)).state == TopicState.DISCUSSING
    discussion = post_in(h, G_B1, "进入协商")
    [[(_, url)]] = discussion.buttons
    assert url and url.endswith(f"?start=comment_T{topic_id}")

    # step 3: comments (one per resident, editable, shown with the name), the chief adds
    # the property's view
    preview = await h.ask(NEIGHBOUR, f"/comment T{topic_id} 支持加装,费用按楼层分摊")
    assert "费用按楼层分摊" in preview.text and "「李大爷」公开显示" in preview.text
    await h.press(NEIGHBOUR, preview, "确认")
    assert "已发表" in preview.text and not preview.buttons
    preview = await h.ask(NEIGHBOUR, f"/comment T{topic_id} 支持加装,低层少出钱")
    await h.press(NEIGHBOUR, preview, "确认")
    assert "已更新" in preview.text
    listing = await h.ask(AUTHOR, "/start comment")
    pressed = await h.press(AUTHOR, listing, f"T{topic_id}")
    assert "「张阿姨」公开显示" in pressed.messages[-1].text
    preview = await h.ask(AUTHOR, "希望尽快施工")
    await h.press(AUTHOR, preview, "确认")
    assert "已发表" in preview.text
    refused = await h.ask(FAR, f"/comment T{topic_id} 我也要说")
    assert "不在您所在的范围" in refused.text
    label_question = await h.ask(B1_CHIEF, f"/comment T{topic_id}")
    await h.press(B1_CHIEF, label_question, "物业公司")
    preview = await h.ask(B1_CHIEF, "物业同意配合施工")
    assert "物业意见" in preview.text
    await h.press(B1_CHIEF, preview, "确认")
    assert "已发表" in preview.text
    async with h.db() as session:
        labels = sorted(c.label.value for c in (await session.scalars(select(TopicComment))).all())
    assert labels == [CommentLabel.PROPERTY, CommentLabel.RESIDENT, CommentLabel.RESIDENT]
    assert "物业意见" in (await card(h, NEIGHBOUR, topic_id)).text

    # step 4: the vote (details in test_votes), closed early by the chief
    from tests.support_deliberation import new_vote

    await new_vote(h, topic_id, B1_CHIEF)
    vote_post = post_in(h, G_B1, "投票 · 议题")
    await h.press(NEIGHBOUR, vote_post, "同意")
    view = await card(h, B1_CHIEF, topic_id)
    ask = (await h.press(B1_CHIEF, view, "提前结束")).messages[-1]
    await h.press(B1_CHIEF, ask, "确认提前结束")
    await h.drain_outbox()
    assert "投票已结束" in vote_post.text
    assert any(m.photo for m in h.emu.messages(G_B1))

    # decision, progress updates and done: groups and followers are told
    view = await card(h, B1_CHIEF, topic_id)
    await h.press(B1_CHIEF, view, "记录决定")
    preview = await h.ask(B1_CHIEF, "同意加装电梯,下月开工")
    await h.press(B1_CHIEF, preview, "确认")
    await h.drain_outbox()
    assert "下月开工" in post_in(h, G_B1, "作出决定").text
    assert "下月开工" in h.emu.last_message(NEIGHBOUR).text  # supporter and commenter
    view = await card(h, B1_CHIEF, topic_id)
    await h.press(B1_CHIEF, view, "发布进展")
    preview = await h.ask(B1_CHIEF, "井道已经开挖")
    await h.press(B1_CHIEF, preview, "确认")
    await h.drain_outbox()
    assert (await topic(h, topic_id)).state == TopicState.IMPLEMENTING
    assert "井道已经开挖" in h.emu.last_message(AUTHOR).text
    assert "井道已经开挖" in post_in(h, G_GRID1, "落实进展").text
    view = await card(h, B1_CHIEF, topic_id)
    await h.press(B1_CHIEF, view, "办结")
    preview = await h.ask(B1_CHIEF, "电梯已投入使用")
    await h.press(B1_CHIEF, preview, "确认")
    assert (await topic(h, topic_id)).state == TopicState.DONE

    # residents rate the outcome once
    done_message = h.emu.last_message(NEIGHBOUR)
    assert done_message is not None and "已办结" in done_message.text
    await h.press(NEIGHBOUR, done_message, "⭐⭐⭐⭐⭐")
    again = await h.press_data(NEIGHBOUR, done_message, f"tr:{topic_id}:1")
    assert "已经评价" in again.alert
    assert await h.count(TopicRating) == 1

    # /topics shows the whole history
    history = (await card(h, AUTHOR, topic_id)).text
    for word in ("待筛选", "已入选", "协商中", "投票中", "已决定", "落实中", "已办结"):
        assert word in history
    async with h.db() as session:
        states = [e.state for e in (await session.scalars(select(TopicEvent))).all()]
    assert states[0] == TopicState.PROPOSED and states[-1] == TopicState.DONE


async def test_topics_list_private_paginated_and_group_short_form(h: Harness) -> None:
    await bind_groups(h)
    await people(h)
    h.settings.deliberation.page_size = 2
    for n in range(3):
        await propose(h, title=f"议题{n}")
    listing = await h.ask(NEIGHBOUR, "/topics")
    assert "第 1/2 页" in listing.text
    await h.press(NEIGHBOUR, listing, "下一页")
    assert "第 2/2 页" in listing.text
    group = await h.ask(NEIGHBOUR, "/topics", chat_id=G_B1)
    assert "议题0" in group.text and "附议" in group.text
    # another grid's residents do not see building topics of grid 1
    assert "议题0" not in (await h.ask(FAR, "/topics")).text
    bad = await h.ask(NEIGHBOUR, "/topics X9")
    assert "不是议题编号" in bad.text
    missing = await h.ask(NEIGHBOUR, "/topics T999")
    assert "没有找到" in missing.text


async def test_meeting_reminders_go_to_groups_once(h: Harness) -> None:
    await bind_groups(h)
    await people(h)
    topic_id = await propose(h)
    cards = await h.send(B1_CHIEF, "/pool")
    await h.press(B1_CHIEF, next(m for m in cards if m.buttons), "入选")
    view = await card(h, B1_CHIEF, topic_id)
    ask_end = (await h.press(B1_CHIEF, view, "开始协商")).messages[-1]
    ask_meeting = (await h.press(B1_CHIEF, ask_end, "14 天")).messages[-1]
    assert "协商会" in ask_meeting.text and not ask_end.buttons  # the step's buttons retire
    past = await h.ask(B1_CHIEF, "2020-01-01 19:00")
    assert "已经过去" in past.text
    garbage = await h.ask(B1_CHIEF, "下周吧")
    assert "看不懂" in garbage.text
    typed = datetime.now(UTC) + timedelta(days=5)
    local = typed.astimezone(h.settings.tz).strftime("%Y-%m-%d %H:%M")
    assert "地点" in (await h.ask(B1_CHIEF, local)).text
    preview = await h.ask(B1_CHIEF, "社区活动室")
    await h.press(B1_CHIEF, preview, "确认")
    await h.drain_outbox()
    assert "社区活动室" in post_in(h, G_B1, "进入协商").text
    meeting_at = (await topic(h, topic_id)).meeting_at
    assert meeting_at is not None
    clock = meeting_at.astimezone(h.settings.tz).strftime("%H:%M")

    before = len(h.emu.messages(G_B1))
    await h.run_job("deliberation.meeting_reminders", now=meeting_at - timedelta(days=2))
    await h.drain_outbox()
    assert len(h.emu.messages(G_B1)) == before
    await h.run_job("deliberation.meeting_reminders", now=meeting_at - timedelta(hours=20))
    await h.run_job("deliberation.meeting_reminders", now=meeting_at - timedelta(hours=19))
    await h.drain_outbox()
    reminders = [m for m in h.emu.messages(G_B1) if "⏰ 协商会" in (m.text or "")]
    assert len(reminders) == 1
    # the real time left when it was sent, and the time it starts
    assert "还有 20 小时" in reminders[0].text and clock in reminders[0].text
    await h.restart()  # claims live in the database: a restart does not repeat them
    await h.run_job("deliberation.meeting_reminders", now=meeting_at - timedelta(minutes=8))
    await h.run_job("deliberation.meeting_reminders", now=meeting_at - timedelta(minutes=5))
    await h.drain_outbox()
    reminders = [m for m in h.emu.messages(G_B1) if "⏰ 协商会" in (m.text or "")]
    assert len(reminders) == 2
    assert f"今天 {clock} 开始（还有 8 分钟）" in reminders[1].text or (
        f"明天 {clock} 开始（还有 8 分钟）" in reminders[1].text and clock < "00:08"
    )
    # one outbox message per reminder (day, hour), one delivery per group each
    assert await h.count(OutboxMessage, OutboxMessage.source == "topic.meeting") == 2
    sent = await deliveries(h, "topic.meeting", topic_id)
    assert sorted(chat for chat, _ in sent) == [G_GRID1, G_GRID1, G_B1, G_B1]
    assert len([m for m in h.emu.messages(G_GRID1) if "还有 20 小时" in (m.text or "")]) == 1
