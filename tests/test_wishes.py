"""Micro-wishes end to end through the Bot API emulator: post, claim (also fifty at once),
release, withdraw, relay, fulfil with volunteer points, and bad input."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from linli.config import Settings
from linli.emulator import StoredMessage
from linli.models.notices import OutboxDelivery, OutboxMessage
from linli.models.points import LedgerEntry
from linli.models.wishes import Wish, WishEvent, WishStatus
from tests.support import B1_CHIEF, GRID1_CHIEF, TEST_REDIS_URL, Harness
from tests.support_casework import demote, unpaced

GROUP = -100200
AUTHOR = 5001
HELPER = 5002
OTHER = 5003


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return unpaced(settings)


async def bind_grid_group(h: Harness) -> None:
    h.emu.add_group(GROUP, "第一网格群", admins=[GRID1_CHIEF])
    question = await h.ask(GRID1_CHIEF, "/bind", chat_id=GROUP)
    await h.press(GRID1_CHIEF, question, "网格: 第一网格")


async def post_wish(
    h: Harness,
    uid: int,
    text: str = "想请人帮忙买一袋大米送到家",
    *,
    category: str = "生活用品",
    photo: bool = False,
    show_name: bool = False,
    drain: bool = True,
) -> StoredMessage:
    """The /wish flow to the end; by default waits until the group post went out (the
    outbox delivers it)."""
    await h.ask(uid, "/wish")
    question = await h.ask(uid, text)
    await h.press(uid, question, category)
    photo_q = h.emu.last_message(uid)
    assert photo_q is not None and "照片" in photo_q.text
    if photo:
        await h.send(uid, photo=True)
    else:
        await h.press(uid, photo_q, "不需要照片")
    name_q = h.emu.last_message(uid)
    assert name_q is not None
    await h.press(uid, name_q, "显示我的名字" if show_name else "不显示名字")
    preview = h.emu.last_message(uid)
    assert preview is not None and "确认" in preview.text
    await h.press(uid, preview, "确认发布")
    receipt = h.emu.last_message(uid)
    assert receipt is not None
    if drain:
        await h.drain_outbox()
    return receipt


async def wish(h: Harness, wish_id: int = 1) -> Wish:
    async with h.db() as session:
        found = await session.get(Wish, wish_id)
        assert found is not None
        return found


async def test_post_claim_fulfil_credits_the_claimer(h: Harness) -> None:
    await bind_grid_group(h)
    await h.add_resident(AUTHOR, "第一网格", "1号楼", name="张奶奶")
    await h.add_resident(HELPER, "第一网格", "2号楼", name="小王")
    receipt = await post_wish(h, AUTHOR)
    assert "W1" in receipt.text
    post = h.emu.last_message(GROUP)
    assert post is not None and "W1" in post.text and "大米" in post.text
    assert "张奶奶" not in post.text  # the author chose not to show the name
    pressed = await h.press(HELPER, post, "我来认领")
    assert "认领成功" in pressed.alert
    assert "已被认领" in post.text and not post.buttons
    assert (await wish(h)).status == WishStatus.CLAIMED
    told = h.emu.last_message(AUTHOR)
    assert told is not None and "小王" in told.text
    details = h.emu.last_message(HELPER)
    assert details is not None and "大米" in details.text

    # the author confirms from /my
    listing = await h.ask(AUTHOR, "/my")
    card_replies = await h.press(AUTHOR, listing, "W1")
    card = card_replies.messages[-1]
    await h.press(AUTHOR, card, "心愿已实现")
    assert "10 分" in card.text and "不能撤销" in card.text  # asked first
    assert (await wish(h)).status == WishStatus.CLAIMED
    pressed = await h.press(AUTHOR, card, "确认已实现")
    assert "已确认实现" in pressed.alert
    assert "已实现" in post.text
    done = await wish(h)
    assert done.status == WishStatus.FULFILLED and done.points == 10
    async with h.db() as session:
        entries = (await session.scalars(select(LedgerEntry))).all()
    assert [(e.delta, e.reference) for e in entries] == [(10, "W1")]
    assert "10" in (h.emu.last_message(HELPER).text or "")
    assert await h.count(WishEvent) == 3
    # pressing again changes nothing and credits nothing twice
    pressed = await h.press_data(AUTHOR, card, "wa:1:fulfil")
    assert "已实现" in pressed.alert
    assert await h.count(LedgerEntry) == 1


async def test_wish_post_goes_through_the_outbox(h: Harness) -> None:
    await bind_grid_group(h)
    h.emu.add_group(GROUP - 1, "第一网格二群", admins=[GRID1_CHIEF])
    question = await h.ask(GRID1_CHIEF, "/bind", chat_id=GROUP - 1)
    await h.press(GRID1_CHIEF, question, "网格: 第一网格")
    await h.add_resident(AUTHOR, "第一网格", "1号楼")
    receipt = await post_wish(h, AUTHOR)
    assert "W1" in receipt.text
    async with h.db() as session:
        (message,) = (await session.scalars(select(OutboxMessage))).all()
        deliveries = (await session.scalars(select(OutboxDelivery))).all()
    assert (message.source, message.source_id, message.total) == ("wish", 1, 2)
    assert sorted(d.chat_id for d in deliveries) == [GROUP - 1, GROUP]
    for delivery in deliveries:
        post = h.emu.last_message(delivery.chat_id)
        assert post is not None and "W1" in post.text and post.has_button("我来认领")
        assert delivery.telegram_message_id == post.message_id
    # exactly one post per group
    assert sum("W1" in (m.text or "") for m in h.emu.messages(GROUP)) == 1


async def test_wish_claimed_before_its_post_went_out_is_shown_claimed(h: Harness) -> None:
    """A post delivered after the wish changed is edited to the current state on delivery."""
    await bind_grid_group(h)
    await h.add_resident(AUTHOR, "第一网格", "1号楼")
    await h.add_resident(HELPER, "第一网格", "2号楼", name="小王")
    assert h.app is not None and h.app.sender is not None
    await h.app.sender.stop()  # the post waits in the outbox
    await post_wish(h, AUTHOR, drain=False)
    assert "W1" not in (h.emu.last_message(GROUP).text or "")  # type: ignore[union-attr]
    details = await h.ask(HELPER, "/claim W1")
    assert "认领了微心愿 W1" in (details.text or details.caption or "")
    await h.app.sender.start()
    await h.drain_outbox()
    post = h.emu.last_message(GROUP)
    assert post is not None and "W1" in post.text
    assert "已被认领" in post.text and not post.buttons


async def test_author_may_show_their_name(h: Harness) -> None:
    await bind_grid_group(h)
    await h.add_resident(AUTHOR, "第一网格", "1号楼", name="张奶奶")
    await post_wish(h, AUTHOR, show_name=True, photo=True)
    post = h.emu.last_message(GROUP)
    assert post is not None and "张奶奶" in post.text
    assert (await wish(h)).photo_file_id


async def test_fifty_claims_at_once_store_exactly_one(h: Harness) -> None:
    await bind_grid_group(h)
    await h.add_resident(AUTHOR, "第一网格", "1号楼")
    await post_wish(h, AUTHOR)
    post = h.emu.last_message(GROUP)
    assert post is not None
    ids = [7000 + i for i in range(50)]
    for uid in ids:
        await h.add_resident(uid, "第一网格", "3号楼")
    data = post.button("我来认领")
    ups = [h.emu.push_callback(uid, post, data) for uid in ids]
    await asyncio.gather(*(h.wait_handled(u.update_id) for u in ups))
    answers = [h.emu.callback_answers[u.callback_query.id]["text"] for u in ups if u.callback_query]
    assert sum("认领成功" in a for a in answers) == 1
    assert sum("已经被其他邻居认领" in a for a in answers) == 49
    claimed = await wish(h)
    assert claimed.status == WishStatus.CLAIMED and claimed.claimer_id is not None
    assert await h.count(WishEvent, WishEvent.action == "claimed") == 1


async def test_claim_release_withdraw_and_relay(h: Harness) -> None:
    await h.add_resident(AUTHOR, "第一网格", "1号楼", name="张奶奶")
    await h.add_resident(HELPER, "第一网格", "2号楼", name="小王")
    receipt = await post_wish(h, AUTHOR)
    assert "网格群还没有绑定" in receipt.text
    # /claim lists open wishes; /claim W1 claims it
    listing = await h.ask(HELPER, "/claim")
    assert listing.has_button("W1")
    details = await h.ask(HELPER, "/claim w1")
    assert "认领了微心愿 W1" in (details.text or details.caption or "")
    # the claimer writes to the author through the bot
    pressed = await h.press(HELPER, details, "给对方留言")
    assert "留言" in pressed.messages[-1].text
    reply = await h.ask(HELPER, "明天上午十点送过去可以吗?")
    assert "已转达" in reply.text
    relayed = h.emu.last_message(AUTHOR)
    assert relayed is not None and "明天上午十点" in relayed.text and "认领人" in relayed.text
    # the claimer gives it back: open again
    await h.press(HELPER, details, "放弃认领")
    assert (await wish(h)).status == WishStatus.CLAIMED  # asked first
    card = await h.press(HELPER, details, "确认放弃认领")
    assert "放弃" in card.alert
    assert (await wish(h)).status == WishStatus.OPEN
    assert "放弃了认领" in (h.emu.last_message(AUTHOR).text or "")
    # the author withdraws it; claiming a withdrawn wish is refused with a clear message
    listing = await h.ask(AUTHOR, "/my")
    card_msg = (await h.press(AUTHOR, listing, "W1")).messages[-1]
    await h.press(AUTHOR, card_msg, "撤回心愿")
    await h.press(AUTHOR, card_msg, "确认撤回")
    assert (await wish(h)).status == WishStatus.WITHDRAWN
    refused = await h.ask(HELPER, "/claim W1")
    assert "已撤回" in refused.text
    assert (await wish(h)).claimer_id is None


async def test_wish_bad_input(h: Harness) -> None:
    await h.add_resident(AUTHOR, "第一网格", "1号楼")
    await h.add_resident(OTHER, "第一网格", "1号楼")
    await h.ask(AUTHOR, "/wish")
    too_long = await h.ask(AUTHOR, "长" * 501)
    assert "500" in too_long.text and "501" in too_long.text
    sticker = await h.ask(AUTHOR, sticker=True)
    assert "文字、语音或照片" in sticker.text
    document = await h.ask(AUTHOR, document=True)
    assert "文字、语音或照片" in document.text
    # the draft is still at the text step
    question = await h.ask(AUTHOR, "帮忙修一下门锁")
    assert question.has_button("维修帮忙")
    await h.press(AUTHOR, question, "维修帮忙")
    sticker = await h.ask(AUTHOR, sticker=True)
    assert "照片" in sticker.text
    await h.ask(AUTHOR, "/cancel")
    assert await h.count(Wish) == 0
    # voice is accepted as the wish text
    await h.ask(AUTHOR, "/wish")
    question = await h.ask(AUTHOR, voice=True)
    await h.press(AUTHOR, question, "陪伴关爱")
    await h.press(AUTHOR, h.emu.last_message(AUTHOR), "不需要照片")
    await h.press(AUTHOR, h.emu.last_message(AUTHOR), "不显示名字")
    await h.press(AUTHOR, h.emu.last_message(AUTHOR), "确认发布")
    stored = await wish(h)
    assert stored.voice_file_id and stored.text == ""
    # own wish cannot be claimed; a forged "fulfil" by someone else changes nothing
    refused = await h.ask(AUTHOR, "/claim W1")
    assert "自己" in refused.text
    own = await h.ask(OTHER, "/help")
    pressed = await h.press_data(OTHER, own, "wa:1:fulfil")
    assert "心愿人" in pressed.alert
    pressed = await h.press_data(OTHER, own, "wa:1:withdraw")
    assert "心愿人" in pressed.alert
    assert (await wish(h)).status == WishStatus.OPEN
    bad = await h.ask(OTHER, "/claim T3")
    assert "不是心愿编号" in bad.text
    missing = await h.ask(OTHER, "/claim W99")
    assert "W99" in missing.text


async def test_unverified_cannot_claim_in_group(h: Harness) -> None:
    await bind_grid_group(h)
    await h.add_resident(AUTHOR, "第一网格", "1号楼")
    await post_wish(h, AUTHOR)
    post = h.emu.last_message(GROUP)
    assert post is not None
    h.emu.add_user(OTHER, "陌生人")
    pressed = await h.press(OTHER, post, "我来认领")
    assert "认证" in pressed.alert
    assert (await wish(h)).status == WishStatus.OPEN


async def test_wish_draft_after_restart(h: Harness) -> None:
    await h.add_resident(AUTHOR, "第一网格", "1号楼")
    await h.ask(AUTHOR, "/wish")
    question = await h.ask(AUTHOR, "帮忙买药")
    await h.restart()
    pressed = await h.press(AUTHOR, question, "健康就医")
    if TEST_REDIS_URL:
        assert not pressed.alert
        assert "照片" in h.emu.last_message(AUTHOR).text
    else:
        assert "重新开始" in pressed.alert
    assert await h.count(Wish) == 0


async def test_chief_enters_a_wish_for_a_resident_without_a_phone(h: Harness) -> None:
    # the building chief of 1号楼 has one building: no building question
    prompt = await h.ask(B1_CHIEF, "/wish_for")
    assert "代居民" in prompt.text
    assert "请写下" in (await h.ask(B1_CHIEF, "王奶奶 3单元201")).text
    category = await h.ask(B1_CHIEF, "想请人帮忙换个灯泡")
    photo_step = (await h.press(B1_CHIEF, category, "维修")).messages[-1]
    name_step = (await h.press(B1_CHIEF, photo_step, "不需要照片")).messages[-1]
    preview = (await h.press(B1_CHIEF, name_step, "不显示")).messages[-1]
    assert "王奶奶" in preview.text
    await h.press(B1_CHIEF, preview, "确认")
    chief = await h.resident(B1_CHIEF)
    building = await h.building("第一网格", "1号楼")
    async with h.db() as session:
        wish = await session.scalar(select(Wish))
    assert wish is not None and wish.offline_author == "王奶奶 3单元201"
    assert chief is not None and wish.entered_by_id == chief.id and wish.author_id is None
    assert wish.building_id == building.id


async def test_wish_for_is_refused_outside_the_chiefs_area(h: Harness) -> None:
    # a grid chief picks the building; a forged button for another grid changes nothing
    await h.ask(GRID1_CHIEF, "/wish_for")
    question = await h.ask(GRID1_CHIEF, "李爷爷")
    labels = [text for row in question.buttons for text, _ in row]
    assert "1号楼" in labels and "4号楼" not in labels
    other = await h.building("第二网格", "4号楼")
    pressed = await h.press_data(GRID1_CHIEF, question, f"wb:{other.id}")
    assert "范围" in pressed.alert
    # a resident cannot use it at all
    await h.add_resident(5301, "第一网格", "2号楼")
    refused = await h.ask(5301, "/wish_for")
    assert "网格长" in refused.text
    assert await h.count(Wish) == 0


async def test_wish_for_checks_the_name_and_the_role_when_stored(h: Harness) -> None:
    """The "for a resident without a phone" step shared with /complain_for: one name limit,
    and the chief's role checked again by the service when the wish is stored."""
    await h.ask(B1_CHIEF, "/wish_for")
    too_long = await h.ask(B1_CHIEF, "长" * 101)
    assert "100" in too_long.text
    assert "请写下" in (await h.ask(B1_CHIEF, "王奶奶 3单元201")).text
    category = await h.ask(B1_CHIEF, "想请人帮忙换个灯泡")
    photo_step = (await h.press(B1_CHIEF, category, "维修")).messages[-1]
    name_step = (await h.press(B1_CHIEF, photo_step, "不需要照片")).messages[-1]
    preview = (await h.press(B1_CHIEF, name_step, "不显示")).messages[-1]
    assert "王奶奶" in preview.text
    await demote(h, B1_CHIEF)
    pressed = await h.press(B1_CHIEF, preview, "确认")
    assert "网格长" in pressed.alert
    assert await h.count(Wish) == 0
