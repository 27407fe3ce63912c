"""Issue 12 in casework, through the real bot: nobody is credited for a wish they posted or
entered; "me too" never shows another resident's words (nor anonymous complaints at all);
/wish_for posts "a neighbour" unless the resident agreed in person, never a door number;
the buttons of a draft that is gone say "start again" in every complaint and wish flow;
typed numbers are read strictly."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from sqlalchemy import update

from linli.config import Settings
from linli.emulator import StoredMessage
from linli.models.complaints import Complaint, ComplaintStatus
from linli.models.points import LedgerEntry
from linli.models.wishes import Wish, WishEvent, WishStatus
from tests.support import B1_CHIEF, GRID1_CHIEF, Harness
from tests.support_casework import (
    GRID1_GROUP,
    bind_grid_group,
    buttons,
    complaint,
    file_complaint,
    forget,
    unpaced,
    wish_for,
)

AUTHOR = 5001
NEIGHBOUR = 5002
VOLUNTEER = 5003

Recorded = list[tuple[StoredMessage, str]]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return unpaced(settings)


async def wish(h: Harness, wish_id: int = 1) -> Wish:
    async with h.db() as session:
        found = await session.get(Wish, wish_id)
        assert found is not None
        return found


# --- no credit for a wish one posted or entered -----------------------------------------------


async def test_a_chief_is_never_credited_for_a_wish_they_entered(h: Harness) -> None:
    await bind_grid_group(h)
    await h.add_resident(VOLUNTEER, "第一网格", "2号楼", name="小王")
    preview = await wish_for(h, B1_CHIEF, "张三 5单元101")
    await h.press(B1_CHIEF, preview, "确认")
    await h.drain_outbox()
    post = h.emu.last_message(GRID1_GROUP)
    assert post is not None and "W1" in post.text
    # the chief who entered it cannot claim it: the group's button, /claim, the list
    pressed = await h.press(B1_CHIEF, post, "我来认领")
    assert "代录" in pressed.alert
    assert "代录" in (await h.ask(B1_CHIEF, "/claim W1")).text
    assert not (await h.ask(B1_CHIEF, "/claim")).has_button("W1")
    assert (await wish(h)).status == WishStatus.OPEN
    # a claim that got past the rules anyway (written into the row) is never confirmed
    chief = await h.resident(B1_CHIEF)
    assert chief is not None
    async with h.db() as session:
        await session.execute(
            update(Wish).values(status=WishStatus.CLAIMED, claimer_id=chief.id, claimed_at=None)
        )
        await session.commit()
    listing = await h.ask(B1_CHIEF, "/my")
    card = (await h.press(B1_CHIEF, listing, "W1")).messages[-1]
    assert not card.has_button("心愿已实现")
    for data in ("wa:1:fulfil", "wf:1:fulfil"):
        pressed = await h.press_data(B1_CHIEF, card, data)
        assert "不能确认实现" in pressed.alert
    assert await h.count(LedgerEntry) == 0
    assert (await wish(h)).status == WishStatus.CLAIMED
    assert await h.count(WishEvent) == 1  # posted: nothing else happened


# --- me too -------------------------------------------------------------------------------------


async def test_me_too_shows_category_place_and_date_never_words(h: Harness) -> None:
    await h.add_resident(AUTHOR, "第一网格", "1号楼", name="张三")
    await h.add_resident(NEIGHBOUR, "第一网格", "1号楼", name="李四")
    await file_complaint(h, AUTHOR, "楼上302每天半夜装修", category="噪音扰民", anonymous=True)
    # the anonymous one is not offered to a neighbour at all
    question = await h.ask(NEIGHBOUR, "/complain")
    asked = (await h.press(NEIGHBOUR, question, "噪音扰民")).messages[-1]
    assert "描述问题" in asked.text and not asked.has_button("我也遇到")
    await h.ask(NEIGHBOUR, "/cancel")
    # a named one is offered by category, place and date, never by its words
    await file_complaint(h, AUTHOR, "301的狗整夜叫", category="噪音扰民", new=False)
    question = await h.ask(NEIGHBOUR, "/complain")
    similar = (await h.press(NEIGHBOUR, question, "噪音扰民")).messages[-1]
    labels = " ".join(text for row in similar.buttons for text, _ in row)
    assert "C2" in labels and "噪音扰民" in labels and "1号楼" in labels
    assert "C1" not in labels and "301" not in labels and "302" not in labels
    assert "张三" not in similar.text + labels
    await h.press(NEIGHBOUR, similar, "我也遇到")
    # following it shows the chiefs' steps, not the author's words
    mine = await h.ask(NEIGHBOUR, "/my")
    row = " ".join(text for r in mine.buttons for text, _ in r)
    assert "C2" in row and "301" not in row and "噪音扰民" in row
    card = (await h.press(NEIGHBOUR, mine, "C2")).messages[-1]
    assert "C2" in card.text and "301" not in card.text and "张三" not in card.text
    await h.press(B1_CHIEF, h.emu.messages(B1_CHIEF)[-1], "受理")
    update_for_neighbour = h.emu.last_message(NEIGHBOUR)
    assert "C2" in update_for_neighbour.text and "301" not in update_for_neighbour.text
    assert (await complaint(h, 1)).status == ComplaintStatus.SUBMITTED


# --- /wish_for in the group post ----------------------------------------------------------------


@pytest.mark.parametrize("consent", [False, True])
async def test_wish_for_posts_a_neighbour_unless_the_resident_agreed(
    h: Harness, consent: bool
) -> None:
    await bind_grid_group(h)
    preview = await wish_for(h, B1_CHIEF, "王奶奶 3单元201", consent=consent)
    assert "王奶奶 3单元201" in preview.text  # the chief sees what they wrote
    await h.press(B1_CHIEF, preview, "确认")
    await h.drain_outbox()
    post = h.emu.last_message(GRID1_GROUP)
    assert post is not None and "W1" in post.text
    assert "201" not in post.text and "3单元" not in post.text  # never the door number
    if consent:
        assert "王奶奶" in post.text
    else:
        assert "王奶奶" not in post.text and "1号楼的一位邻居" in post.text
    # the volunteer who claims it sees no door number either; the chiefs do
    await h.add_resident(VOLUNTEER, "第一网格", "2号楼", name="小王")
    details = await h.ask(VOLUNTEER, "/claim W1")
    assert "201" not in (details.text or details.caption or "")
    listing = await h.ask(GRID1_CHIEF, "/queue")
    card = (await h.press(GRID1_CHIEF, listing, "W1")).messages[-1]
    assert "王奶奶 3单元201" in card.text


async def test_wish_for_offers_no_name_when_none_comes_first(h: Harness) -> None:
    await h.ask(B1_CHIEF, "/wish_for")
    await h.ask(B1_CHIEF, "3单元201 王奶奶")
    category = await h.ask(B1_CHIEF, "想请人帮忙换个灯泡")
    photo_step = (await h.press(B1_CHIEF, category, "维修")).messages[-1]
    consent = (await h.press(B1_CHIEF, photo_step, "不需要照片")).messages[-1]
    assert consent.has_button("不显示") and not consent.has_button("本人当面同意")
    pressed = await h.press_data(B1_CHIEF, consent, "wd:consent_yes")  # forged
    assert pressed.alert
    assert await h.count(Wish) == 0


# --- the buttons of a draft that is gone --------------------------------------------------------


async def complaint_steps(h: Harness) -> Recorded:
    """Every step button of /complain (with "me too" offered), up to the preview."""
    await h.add_resident(NEIGHBOUR, "第一网格", "1号楼")
    await file_complaint(h, NEIGHBOUR, "楼道灯坏了", category="维修与设施")
    recorded: Recorded = []
    question = await h.ask(AUTHOR, "/complain")
    recorded += buttons(question, "维修与设施")
    similar = (await h.press(AUTHOR, question, "维修与设施")).messages[-1]
    recorded += buttons(similar, "提交新的诉求")
    await h.press(AUTHOR, similar, "提交新的诉求")
    photos = await h.ask(AUTHOR, "电梯按钮坏了")
    recorded += buttons(photos, "不需要照片")
    location = (await h.press(AUTHOR, photos, "不需要照片")).messages[-1]
    recorded += buttons(location, "跳过")
    anonymous = (await h.press(AUTHOR, location, "跳过")).messages[-1]
    recorded += buttons(anonymous, "不匿名", "匿名反映")
    preview = (await h.press(AUTHOR, anonymous, "不匿名")).messages[-1]
    return recorded + buttons(preview, "确认提交", "重新填写")


async def wish_steps(h: Harness) -> Recorded:
    recorded: Recorded = []
    await h.ask(AUTHOR, "/wish")
    category = await h.ask(AUTHOR, "想请人帮忙买药")
    recorded += buttons(category, "健康就医")
    photo = (await h.press(AUTHOR, category, "健康就医")).messages[-1]
    recorded += buttons(photo, "不需要照片")
    name = (await h.press(AUTHOR, photo, "不需要照片")).messages[-1]
    recorded += buttons(name, "不显示名字", "显示我的名字")
    preview = (await h.press(AUTHOR, name, "不显示名字")).messages[-1]
    return recorded + buttons(preview, "确认发布", "重新填写")


async def reopen_steps(h: Harness) -> Recorded:
    await file_complaint(h, AUTHOR)
    card = h.emu.last_message(B1_CHIEF)
    for step in ("受理", "开始处理", "已解决"):
        await h.press(B1_CHIEF, card, step)
    await h.ask(B1_CHIEF, "已处理")
    await h.press(B1_CHIEF, h.emu.last_message(B1_CHIEF), "不需要照片")
    after = (await h.press(AUTHOR, h.emu.last_message(AUTHOR), "⭐⭐")).messages[-1]
    why = (await h.press(AUTHOR, after, "重新处理")).messages[-1]
    recorded = buttons(why, "问题还没有解决")
    sure = (await h.press(AUTHOR, why, "问题还没有解决")).messages[-1]
    return recorded + buttons(sure, "确认重新处理")


async def unsent_steps(h: Harness) -> Recorded:
    asked = await h.ask(AUTHOR, "楼下的垃圾桶满了没人清")
    return buttons(asked, "反映问题", "发布微心愿")


FLOWS: dict[str, Callable[[Harness], Awaitable[Recorded]]] = {
    "complain": complaint_steps,
    "wish": wish_steps,
    "reopen": reopen_steps,
    "outside a flow": unsent_steps,
}


@pytest.mark.parametrize("keep_state", [False, True], ids=["state gone", "data gone"])
@pytest.mark.parametrize("flow", sorted(FLOWS))
async def test_buttons_of_a_gone_draft_say_start_again(
    h: Harness, flow: str, keep_state: bool
) -> None:
    """Every step and confirm button of the flow, pressed after its draft is gone: "start
    again" (or "send it again"), no crash, nothing stored."""
    await h.add_resident(AUTHOR, "第一网格", "1号楼")
    recorded = await FLOWS[flow](h)
    assert recorded
    complaints, wishes = await h.count(Complaint), await h.count(Wish)
    states = {c.status for c in [await complaint(h, i + 1) for i in range(complaints)]}
    await forget(h, AUTHOR, keep_state=keep_state)
    for message, data in recorded:
        pressed = await h.press_data(AUTHOR, message, data)
        assert "重新开始" in pressed.alert or "重新发送" in pressed.alert, (data, pressed.alert)
    assert (await h.count(Complaint), await h.count(Wish)) == (complaints, wishes)
    assert {c.status for c in [await complaint(h, i + 1) for i in range(complaints)]} == states


async def test_chief_buttons_of_a_gone_draft_say_start_again(h: Harness) -> None:
    """/complain_for's building, /wish_for's consent and preview, the resolution's photo."""
    await h.ask(GRID1_CHIEF, "/complain_for")
    buildings = await h.ask(GRID1_CHIEF, "李爷爷 2单元302")
    recorded = buttons(buildings, "2号楼")
    await forget(h, GRID1_CHIEF)
    preview = await wish_for(h, B1_CHIEF)
    recorded_b1 = buttons(preview, "确认发布", "重新填写")
    await h.add_resident(AUTHOR, "第一网格", "1号楼")
    await file_complaint(h, AUTHOR)
    card = h.emu.last_message(B1_CHIEF)
    for step in ("受理", "开始处理", "已解决"):
        await h.press(B1_CHIEF, card, step)
    photo = await h.ask(B1_CHIEF, "已处理")
    recorded_b1 += buttons(photo, "不需要照片")
    await forget(h, B1_CHIEF)
    for uid, pairs in ((GRID1_CHIEF, recorded), (B1_CHIEF, recorded_b1)):
        for message, data in pairs:
            pressed = await h.press_data(uid, message, data)
            assert "重新开始" in pressed.alert, (data, pressed.alert)
    assert await h.count(Wish) == 0
    assert (await complaint(h)).status == ComplaintStatus.IN_PROGRESS


async def test_the_for_someone_step_of_a_gone_draft_files_nothing_for_the_chief(
    h: Harness,
) -> None:
    """A state that outlived its data must not file the resident's words as the chief's
    own: the name and the building of /complain_for and /wish_for say "start again"."""
    for command in ("/complain_for", "/wish_for"):
        await h.ask(B1_CHIEF, command)
        await forget(h, B1_CHIEF, keep_state=True)
        assert "重新开始" in (await h.ask(B1_CHIEF, "王奶奶 3单元201")).text
        await h.ask(GRID1_CHIEF, command)
        buildings = await h.ask(GRID1_CHIEF, "李爷爷 2单元302")
        await forget(h, GRID1_CHIEF, keep_state=True)
        pressed = await h.press(GRID1_CHIEF, buildings, "2号楼")
        assert "重新开始" in pressed.alert
    assert await h.count(Complaint) == 0 and await h.count(Wish) == 0


# --- typed numbers ------------------------------------------------------------------------------


async def test_typed_ids_and_months_are_read_strictly(h: Harness) -> None:
    await h.add_resident(AUTHOR, "第一网格", "1号楼")
    for typed in ("W²", "W１", "W" + "9" * 40, "W-1", "W0"):
        reply = await h.ask(AUTHOR, f"/claim {typed}")
        assert "不是心愿编号" in reply.text, typed
    for typed in ("２０２６-11", "2026-13", "2026-1-1", "1999-12"):
        reply = await h.ask(B1_CHIEF, f"/stats {typed}")
        assert "2000–2100" in reply.text, typed
    await file_complaint(h, AUTHOR)
    await file_complaint(h, AUTHOR, "楼道灯坏了", category="维修与设施")
    card = h.emu.last_message(B1_CHIEF)
    await h.press(B1_CHIEF, card, "合并")
    for typed in ("C²", "W1", "C" + "1" * 30):
        reply = await h.ask(B1_CHIEF, typed)
        assert "不是诉求编号" in reply.text or "没有找到" in reply.text, typed
    assert (await complaint(h, 2)).status == ComplaintStatus.SUBMITTED
