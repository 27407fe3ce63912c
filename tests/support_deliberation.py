"""Deliberation test helpers: the groups, the people, a topic ready for a vote, a new vote."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from linli.emulator import StoredMessage
from linli.models.deliberation import Topic, Vote, VoteOption
from linli.models.notices import OutboxDelivery, OutboxMessage
from tests.support import B1_CHIEF, B4_CHIEF, GRID1_CHIEF, Harness, texts

G_B1 = -100101  # 1号楼楼道群
G_GRID1 = -100201  # 第一网格群
G_B4 = -100104  # 4号楼楼道群 (第二网格)
AUTHOR = 5001
NEIGHBOUR = 5002
OTHER_BUILDING = 5003  # 2号楼, same grid
FAR = 5004  # 4号楼, another grid


async def bind_groups(h: Harness) -> None:
    h.emu.add_group(G_B1, "1号楼楼道群", admins=[B1_CHIEF])
    await h.ask(B1_CHIEF, "/bind", chat_id=G_B1)
    h.emu.add_group(G_GRID1, "第一网格群", admins=[GRID1_CHIEF])
    question = await h.ask(GRID1_CHIEF, "/bind", chat_id=G_GRID1)
    await h.press(GRID1_CHIEF, question, "网格: 第一网格")
    h.emu.add_group(G_B4, "4号楼楼道群", admins=[B4_CHIEF])
    await h.ask(B4_CHIEF, "/bind", chat_id=G_B4)


async def people(h: Harness) -> None:
    await h.add_resident(AUTHOR, "第一网格", "1号楼", name="张阿姨")
    await h.add_resident(NEIGHBOUR, "第一网格", "1号楼", name="李大爷")
    await h.add_resident(OTHER_BUILDING, "第一网格", "2号楼", name="王叔")
    await h.add_resident(FAR, "第二网格", "4号楼", name="赵姐")


async def propose(
    h: Harness, user: int = AUTHOR, title: str = "1号楼加装电梯", scope: str = "我的楼栋"
) -> int:
    assert "标题" in (await h.ask(user, "/propose")).text
    assert "说明" in (await h.ask(user, title)).text
    question = await h.ask(user, "老人上下楼不方便,希望加装电梯。")
    await h.press(user, question, scope)
    assert title in question.text and "确认" in question.text
    await h.press(user, question, "确认")
    assert "已提交" in question.text
    await h.drain_outbox()  # the group posts go out through the outbox
    async with h.db() as session:
        return int(await session.scalar(select(func.max(Topic.id))) or 0)


async def topic(h: Harness, topic_id: int) -> Topic:
    async with h.db() as session:
        row = await session.get(Topic, topic_id)
        assert row is not None
        return row


async def deliveries(h: Harness, source: str, source_id: int) -> list[tuple[int, int | None]]:
    """(chat id, Telegram message id) of the outbox deliveries of a source, by chat."""
    async with h.db() as session:
        rows = await session.execute(
            select(OutboxDelivery.chat_id, OutboxDelivery.telegram_message_id)
            .join(OutboxMessage, OutboxMessage.id == OutboxDelivery.message_id)
            .where(OutboxMessage.source == source, OutboxMessage.source_id == source_id)
            .order_by(OutboxDelivery.chat_id, OutboxDelivery.id)
        )
        return [(chat, message) for chat, message in rows.all()]


def post_in(h: Harness, chat_id: int, needle: str) -> StoredMessage:
    for message in reversed(h.emu.messages(chat_id)):
        if needle in (message.text or ""):
            return message
    raise AssertionError(f"no post with {needle!r} in {chat_id}: {texts(h.emu.messages(chat_id))}")


async def card(h: Harness, user: int, topic_id: int) -> StoredMessage:
    return await h.ask(user, f"/topics T{topic_id}")


async def shortlist_and_discuss(h: Harness, topic_id: int, chief: int = B1_CHIEF) -> None:
    cards = await h.send(chief, "/pool")
    pool_card = next(m for m in cards if f"T{topic_id} " in (m.text or "") and m.buttons)
    await h.press(chief, pool_card, "入选")
    view = await card(h, chief, topic_id)
    pressed = await h.press(chief, view, "开始协商")
    ask_end = pressed.messages[-1]
    pressed = await h.press(chief, ask_end, "7 天")
    ask_meeting = pressed.messages[-1]
    pressed = await h.press(chief, ask_meeting, "不开协商会")
    preview = pressed.messages[-1]
    assert "协商" in preview.text
    await h.press(chief, preview, "确认")
    await h.drain_outbox()


async def new_vote(
    h: Harness,
    topic_id: int,
    chief: int = B1_CHIEF,
    *,
    options: str = "同意\n反对\n弃权",
    multiple: int | None = None,
    days: str = "1 天",
    quorum: str = "0%",
    change: str = "允许改票",
    live: str = "实时公布",
    drain: bool = True,
) -> int:
    assert "问题" in (await h.ask(chief, f"/vote_new T{topic_id}")).text
    assert "选项" in (await h.ask(chief, "是否同意加装电梯?")).text
    kind = await h.ask(chief, options)
    if multiple is None:
        ask = (await h.press(chief, kind, "单选")).messages[-1]
    else:
        ask_max = (await h.press(chief, kind, "多选")).messages[-1]
        ask = (await h.press(chief, ask_max, str(multiple))).messages[-1]
    ask = (await h.press(chief, ask, days)).messages[-1]
    if quorum.endswith("%"):
        ask = (await h.press(chief, ask, quorum)).messages[-1]
    else:
        ask = await h.ask(chief, quorum)
    ask = (await h.press(chief, ask, change)).messages[-1]
    preview = (await h.press(chief, ask, live)).messages[-1]
    assert "请确认投票" in preview.text
    await h.press(chief, preview, "确认")
    assert "投票已发起" in preview.text
    if drain:
        await h.drain_outbox()  # the vote's group posts go out through the outbox
    async with h.db() as session:
        return int(await session.scalar(select(func.max(Vote.id))) or 0)


async def ready_topic(h: Harness) -> int:
    await bind_groups(h)
    await people(h)
    topic_id = await propose(h)
    await shortlist_and_discuss(h, topic_id)
    return topic_id


async def totals(h: Harness, vote_id: int) -> list[int]:
    async with h.db() as session:
        rows = await session.scalars(
            select(VoteOption.votes)
            .where(VoteOption.vote_id == vote_id)
            .order_by(VoteOption.position)
        )
        return list(rows.all())


async def settle(h: Harness) -> None:
    """Wait until the live edits of topic and vote posts are done."""
    assert h.app is not None and h.app.delivery is not None
    await h.app.delivery.deliberation.idle()


async def deadline_of(h: Harness, vote_id: int) -> datetime:
    async with h.db() as session:
        vote = await session.get(Vote, vote_id)
        assert vote is not None
        return vote.deadline
