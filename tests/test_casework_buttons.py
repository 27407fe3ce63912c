"""Issue 14 in casework, through the real bot: what is sent outside a flow is asked about
with buttons and kept; role refusals name the roles; photos as descriptions; the case card
tells the whole story (timeline, reason and appeal, resolution); reopening and appealing
ask why and then whether; validation that explains; merging and assigning by picking from
lists; "accepted on time"; at most one typed message per resident flow and two per chief
flow; the wording of both catalogues."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select, update

from linli.config import Settings
from linli.models import Grid, Resident
from linli.models.complaints import Complaint, ComplaintEvent, ComplaintStatus
from linli.models.deliberation import Scope, Topic, TopicComment, TopicState
from linli.models.wishes import Wish
from tests.support import ADMIN_ID, B1_CHIEF, GRID1_CHIEF, Harness
from tests.support_casework import (
    GRID1_GROUP,
    bind_grid_group,
    complaint,
    events,
    file_complaint,
    typed,
    unpaced,
)

AUTHOR = 5001
NEIGHBOUR = 5002
STRANGER = 5009
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return unpaced(settings)


async def only_complaint(h: Harness) -> Complaint:
    async with h.db() as session:
        found = (await session.scalars(select(Complaint))).one()
        return found


async def only_wish(h: Harness) -> Wish:
    async with h.db() as session:
        return (await session.scalars(select(Wish))).one()


# --- outside any flow ---------------------------------------------------------------------------


async def test_text_outside_a_flow_becomes_a_request_with_one_typed_message(h: Harness) -> None:
    await h.add_resident(AUTHOR, "第一网格", "1号楼")
    since = len(h.emu.history(AUTHOR))
    asked = await h.ask(AUTHOR, "3单元门口的路灯坏了好几天了")
    assert asked.has_button("反映问题") and asked.has_button("微心愿")
    assert not asked.has_button("议题")  # no open topic in their scope
    category = (await h.press(AUTHOR, asked, "反映问题")).messages[-1]
    assert not asked.buttons  # the question's buttons retire
    photos = (await h.press(AUTHOR, category, "维修与设施")).messages[-1]
    assert "照片" in photos.text  # the description question is skipped
    location = (await h.press(AUTHOR, photos, "不需要照片")).messages[-1]
    anonymous = (await h.press(AUTHOR, location, "跳过")).messages[-1]
    preview = (await h.press(AUTHOR, anonymous, "不匿名")).messages[-1]
    assert "路灯坏了" in preview.text and "编号在保存时生成" in preview.text
    await h.press(AUTHOR, preview, "确认提交")
    stored = await only_complaint(h)
    assert stored.text == "3单元门口的路灯坏了好几天了" and stored.category.value == "repairs"
    assert typed(h, AUTHOR, since) == 1


async def test_a_photo_with_a_caption_outside_a_flow_becomes_a_wish(h: Harness) -> None:
    await bind_grid_group(h)
    await h.add_resident(AUTHOR, "第一网格", "1号楼")
    asked = await h.ask(AUTHOR, photo=True, caption="想请人帮忙修这把椅子")
    assert not asked.has_button("议题")
    category = (await h.press(AUTHOR, asked, "微心愿")).messages[-1]
    name = (await h.press(AUTHOR, category, "维修帮忙")).messages[-1]
    assert "名字" in name.text  # the photo question is skipped: it came with the wish
    preview = (await h.press(AUTHOR, name, "不显示名字")).messages[-1]
    assert "照片：有" in preview.text and "修这把椅子" in preview.text
    await h.press(AUTHOR, preview, "确认发布")
    stored = await only_wish(h)
    assert stored.photo_file_id and stored.text == "想请人帮忙修这把椅子"
    assert typed(h, AUTHOR) == 0


async def test_voice_and_a_location_outside_a_flow_start_a_request(h: Harness) -> None:
    await h.add_resident(AUTHOR, "第一网格", "1号楼")
    asked = await h.ask(AUTHOR, voice=True)
    category = (await h.press(AUTHOR, asked, "反映问题")).messages[-1]
    photos = (await h.press(AUTHOR, category, "环境卫生")).messages[-1]
    location = (await h.press(AUTHOR, photos, "不需要照片")).messages[-1]
    anonymous = (await h.press(AUTHOR, location, "跳过")).messages[-1]
    preview = (await h.press(AUTHOR, anonymous, "不匿名")).messages[-1]
    await h.press(AUTHOR, preview, "确认提交")
    assert (await complaint(h)).voice_file_id
    # a place alone: a request (not a wish), asking for the description, not the place
    asked = await h.ask(AUTHOR, location=(31.2301, 121.4701))
    assert asked.has_button("反映问题") and not asked.has_button("微心愿")
    category = (await h.press(AUTHOR, asked, "反映问题")).messages[-1]
    text_question = (await h.press(AUTHOR, category, "安全隐患")).messages[-1]
    assert "描述问题" in text_question.text
    photos = await h.ask(AUTHOR, "井盖松了")
    anonymous = (await h.press(AUTHOR, photos, "不需要照片")).messages[-1]
    assert "匿名" in anonymous.text  # the place was given already
    preview = (await h.press(AUTHOR, anonymous, "不匿名")).messages[-1]
    await h.press(AUTHOR, preview, "确认提交")
    stored = await complaint(h, 2)
    assert stored.latitude == 31.2301 and stored.text == "井盖松了"
    # the chiefs get it on the map with the building
    pin = h.emu.last_message(B1_CHIEF)
    assert pin.content_type == "location" and pin.has_button("1号楼")
    card = (await h.press(B1_CHIEF, pin, "C2")).messages[-1]
    assert "C2" in card.text and "121.47" not in card.text
    again = await h.press(B1_CHIEF, card, "看位置")
    assert again.messages[-1].content_type == "location"


async def test_a_comment_on_an_open_topic_from_outside_a_flow(h: Harness) -> None:
    await h.add_resident(AUTHOR, "第一网格", "1号楼")
    async with h.db() as session:
        grid = await session.scalar(select(Grid).where(Grid.name == "第一网格"))
        assert grid is not None
        for title in ("加装电梯", "停车位划线"):
            session.add(
                Topic(
                    community_id=grid.community_id,
                    scope=Scope.GRID,
                    grid_id=grid.id,
                    title=title,
                    state=TopicState.DISCUSSING,
                )
            )
        await session.commit()
    asked = await h.ask(AUTHOR, "我支持加装电梯，老人上下楼太难了")
    which = (await h.press(AUTHOR, asked, "议题")).messages[-1]
    assert which.has_button("加装电梯") and which.has_button("停车位划线")
    preview = (await h.press(AUTHOR, which, "加装电梯")).messages[-1]
    assert "T1" in preview.text and "老人上下楼" in preview.text
    assert await h.count(TopicComment) == 0  # nothing saved before the confirmation
    await h.press(AUTHOR, preview, "确认")
    done = h.emu.message(AUTHOR, preview.message_id)
    assert "T1" in done.text and "已发表" in done.text and not done.buttons
    async with h.db() as session:
        comment = (await session.scalars(select(TopicComment))).one()
    assert comment.topic_id == 1 and "老人上下楼" in comment.text
    assert await h.count(Complaint) == 0 and await h.count(Wish) == 0


async def test_groups_strangers_pending_and_emoji_get_what_they_got(h: Harness) -> None:
    await bind_grid_group(h)
    await h.add_resident(AUTHOR, "第一网格", "1号楼")
    await h.add_resident(NEIGHBOUR, "第一网格", "1号楼", verified=False)
    h.emu.add_user(STRANGER, "路人")
    assert await h.send(AUTHOR, "大家好，今天停水吗？", chat_id=GRID1_GROUP) == []
    for uid in (STRANGER, NEIGHBOUR):
        reply = await h.ask(uid, "路灯坏了")
        assert not reply.buttons or not reply.has_button("反映问题")
    for chatter in ("👍👍", "。。。"):
        reply = await h.ask(AUTHOR, chatter)
        assert not reply.buttons and "/help" in reply.text
    sticker = await h.ask(AUTHOR, sticker=True)
    assert not sticker.buttons
    # a second message replaces the one kept; "none of these" keeps nothing
    await h.ask(AUTHOR, "第一条")
    asked = await h.ask(AUTHOR, "第二条：电梯坏了")
    done = (await h.press(AUTHOR, asked, "都不是")).messages[-1]
    assert "没有保存" in done.text
    assert await h.count(Complaint) == 0


async def test_role_refusals_name_the_roles(h: Harness) -> None:
    await h.add_resident(AUTHOR, "第一网格", "1号楼")
    await h.add_resident(NEIGHBOUR, "第一网格", "1号楼", language="en")
    assert "只有楼栋长、网格长和管理员" in (await h.ask(AUTHOR, "/queue")).text
    assert "只有网格长和管理员" in (await h.ask(AUTHOR, "/handlers")).text
    assert "只有网格长和管理员" in (await h.ask(B1_CHIEF, "/handlers")).text
    assert "只有管理员" in (await h.ask(GRID1_CHIEF, "/grant")).text
    en = await h.ask(NEIGHBOUR, "/stats")
    assert "Only building chiefs, grid chiefs and admins" in en.text
    # the services say the same to a forged chief's button
    await file_complaint(h, AUTHOR)
    pressed = await h.press_data(AUTHOR, h.emu.last_message(AUTHOR), "ca:1:accept")
    assert "只有楼栋长、网格长和管理员" in pressed.alert
    assert (await complaint(h)).status == ComplaintStatus.SUBMITTED


# --- photos, the card, appeals, confirmations ---------------------------------------------------


async def test_a_photo_is_a_description_in_complain_and_wish(h: Harness) -> None:
    await bind_grid_group(h)
    await h.add_resident(AUTHOR, "第一网格", "1号楼")
    question = await h.ask(AUTHOR, "/complain")
    await h.press(AUTHOR, question, "环境卫生")
    photos = await h.ask(AUTHOR, photo=True, caption="楼道里堆满了纸箱")
    assert "1/3" in photos.text
    await h.send(AUTHOR, photo=True)
    location = (await h.press(AUTHOR, h.emu.last_message(AUTHOR), "照片发完了")).messages[-1]
    anonymous = (await h.press(AUTHOR, location, "跳过")).messages[-1]
    preview = (await h.press(AUTHOR, anonymous, "不匿名")).messages[-1]
    assert "2 张" in preview.text
    await h.press(AUTHOR, preview, "确认提交")
    stored = await complaint(h)
    assert stored.text == "楼道里堆满了纸箱" and len(stored.photo_file_ids) == 2
    # a wish that is only a photo: the post says so, the volunteer sees it after claiming
    await h.ask(AUTHOR, "/wish")
    category = await h.ask(AUTHOR, photo=True)
    name = (await h.press(AUTHOR, category, "生活用品")).messages[-1]
    preview = (await h.press(AUTHOR, name, "不显示名字")).messages[-1]
    await h.press(AUTHOR, preview, "确认发布")
    await h.drain_outbox()
    post = h.emu.last_message(GRID1_GROUP)
    assert post is not None and "照片心愿" in post.text


async def test_the_card_tells_the_story_and_a_rejection_can_be_appealed(h: Harness) -> None:
    await h.add_resident(AUTHOR, "第一网格", "1号楼", name="张三")
    await file_complaint(h, AUTHOR, "小区东门的路面塌了一块")
    card = h.emu.last_message(B1_CHIEF)
    await h.press(B1_CHIEF, card, "不予受理")
    await h.ask(B1_CHIEF, "东门外属于市政道路，已转交街道")
    told = h.emu.last_message(AUTHOR)
    assert "市政道路" in told.text and told.has_button("申诉")
    since = len(h.emu.history(AUTHOR))
    why = (await h.press(AUTHOR, told, "申诉")).messages[-1]
    assert why.has_button("问题确实存在")
    sure = await h.ask(AUTHOR, "塌的地方在东门里面，是小区的路")
    assert "只能申诉一次" in sure.text
    assert (await complaint(h)).status == ComplaintStatus.REJECTED  # asked first
    await h.press(AUTHOR, sure, "确认申诉")
    assert (await complaint(h)).status == ComplaintStatus.SUBMITTED
    assert typed(h, AUTHOR, since) == 1
    # the grid chief reviews it; the building chief who rejected it cannot
    review = h.emu.last_message(GRID1_CHIEF)
    assert "申诉" in review.text and "小区的路" in review.text
    assert review.has_button("申诉成立") and review.has_button("维持不予受理")
    pressed = await h.press_data(B1_CHIEF, card, "ca:1:accept")
    assert "复核" in pressed.alert
    await h.press(GRID1_CHIEF, review, "申诉成立")
    assert (await complaint(h)).status == ComplaintStatus.ACCEPTED
    assert "申诉成立" in h.emu.last_message(AUTHOR).text
    # resolved, rated, closed: the card shows the resolution and the whole timeline
    queue = await h.ask(B1_CHIEF, "/queue")
    chief_card = (await h.press(B1_CHIEF, queue, "C1")).messages[-1]
    await h.press(B1_CHIEF, chief_card, "开始处理")
    await h.press(B1_CHIEF, chief_card, "已解决")
    await h.ask(B1_CHIEF, "已修补路面并设置警示牌")
    await h.press(B1_CHIEF, h.emu.last_message(B1_CHIEF), "不需要照片")
    await h.press(AUTHOR, h.emu.last_message(AUTHOR), "⭐⭐⭐⭐")
    mine = await h.ask(AUTHOR, "/my")
    story = (await h.press(AUTHOR, mine, "C1")).messages[-1].text
    for part in (
        "已办结",
        "处理结果：已修补路面",
        "不予受理（李建国）：东门外属于市政道路",
        "居民申诉：塌的地方在东门里面",
        "申诉成立，受理（王秀英）",
        "已解决（李建国）",
        "⭐⭐⭐⭐",
    ):
        assert part in story, part
    assert [e.action for e in await events(h)][:4] == [
        "submitted",
        "rejected",
        "appealed",
        "appeal_granted",
    ]


async def test_an_appeal_against_the_grid_chief_goes_to_the_admin(h: Harness) -> None:
    await h.ask(ADMIN_ID, "/whoami")  # the community admin has talked to the bot
    await h.add_resident(AUTHOR, "第一网格", "1号楼")
    await file_complaint(h, AUTHOR)
    card = h.emu.last_message(GRID1_CHIEF)
    await h.press(GRID1_CHIEF, card, "不予受理")
    await h.ask(GRID1_CHIEF, "车主已经挪车")
    why = (await h.press(AUTHOR, h.emu.last_message(AUTHOR), "申诉")).messages[-1]
    sure = (await h.press(AUTHOR, why, "没有人来现场看过")).messages[-1]
    await h.press(AUTHOR, sure, "确认申诉")
    review = h.emu.last_message(ADMIN_ID)
    assert "申诉" in review.text and review.has_button("维持不予受理")
    assert "申诉" not in (h.emu.last_message(GRID1_CHIEF).text or "")
    await h.press(ADMIN_ID, review, "维持不予受理")
    await h.ask(ADMIN_ID, "现场核实，车已挪走")
    assert (await complaint(h)).status == ComplaintStatus.REJECTED
    told = h.emu.last_message(AUTHOR)
    assert "现场核实" in told.text and not told.has_button("申诉")  # once only


async def test_reopen_asks_why_with_a_typed_line_and_then_whether(h: Harness) -> None:
    resident = await h.add_resident(AUTHOR, "第一网格", "1号楼")
    await file_complaint(h, AUTHOR, "The lift is broken", category="维修与设施")
    async with h.db() as session:  # they switch to English (/lang)
        await session.execute(
            update(Resident).where(Resident.id == resident.id).values(language="en")
        )
        await session.commit()
    card = h.emu.last_message(B1_CHIEF)
    for step in ("受理", "开始处理", "已解决"):
        await h.press(B1_CHIEF, card, step)
    await h.ask(B1_CHIEF, "已维修")
    await h.press(B1_CHIEF, h.emu.last_message(B1_CHIEF), "不需要照片")
    after = (await h.press(AUTHOR, h.emu.last_message(AUTHOR), "⭐⭐")).messages[-1]
    why = (await h.press(AUTHOR, after, "reopen")).messages[-1]
    assert why.has_button("The problem is not solved") and "at most 200" in why.text
    too_long = await h.ask(AUTHOR, "x" * 201)
    assert "at most 200" in too_long.text and "201" in too_long.text
    sure = await h.ask(AUTHOR, "It stops between floors again")
    assert "Reopen C1?" in sure.text
    await h.press(AUTHOR, sure, "Reopen it")
    assert (await complaint(h)).status == ComplaintStatus.IN_PROGRESS
    assert "between floors" in h.emu.last_message(B1_CHIEF).text


async def test_validation_explains_with_an_example_and_the_limits(h: Harness) -> None:
    await h.add_resident(AUTHOR, "第一网格", "1号楼")
    question = await h.ask(AUTHOR, "/complain")
    await h.press(AUTHOR, question, "噪音扰民")
    refused = await h.ask(AUTHOR, "😡😡😡")
    assert "例如" in refused.text and "1000" in refused.text
    refused = await h.ask(AUTHOR, "？？！！")
    assert "例如" in refused.text
    photos = await h.ask(AUTHOR, "楼上半夜跺脚")
    await h.press(AUTHOR, photos, "不需要照片")
    place = h.emu.last_message(AUTHOR)
    assert "200" in place.text
    assert "例如" in (await h.ask(AUTHOR, "📍📍")).text
    too_long = await h.ask(AUTHOR, "楼" * 201)
    assert "200" in too_long.text and "201" in too_long.text
    await h.ask(AUTHOR, "/cancel")
    await h.ask(AUTHOR, "/wish")
    refused = await h.ask(AUTHOR, "……")
    assert "例如" in refused.text and "500" in refused.text
    assert await h.count(Complaint) == 0 and await h.count(Wish) == 0


# --- picking instead of typing ids ----------------------------------------------------------


async def test_merge_and_assign_are_picked_from_lists(h: Harness) -> None:
    await h.add_resident(AUTHOR, "第一网格", "1号楼")
    await h.add_resident(NEIGHBOUR, "第一网格", "2号楼")
    await file_complaint(h, AUTHOR, "楼道灯坏了", category="维修与设施")
    for i in range(9):
        await file_complaint(h, NEIGHBOUR, f"第{i}件小事", category="其他")
    await file_complaint(h, AUTHOR, "一楼的灯也不亮", category="维修与设施")
    card = h.emu.last_message(GRID1_CHIEF)
    assert "C11" in card.text
    since = len(h.emu.history(GRID1_CHIEF))
    listing = (await h.press(GRID1_CHIEF, card, "合并")).messages[-1]
    labels = [text for row in listing.buttons for text, _ in row]
    assert labels[0].startswith("C1 ") and "搜索" in listing.text  # most alike first
    found = await h.ask(GRID1_CHIEF, "第7件")
    assert found.has_button("C9 ") and not found.has_button("C1 ")
    await h.press(GRID1_CHIEF, listing, "C1 ")
    sure = listing  # the list became the question
    assert "不能撤销" in sure.text and sure.has_button("确认合并")
    await h.press(GRID1_CHIEF, sure, "确认合并")
    assert (await complaint(h, 11)).status == ComplaintStatus.MERGED
    assert typed(h, GRID1_CHIEF, since) == 1  # only the search word
    # assign: a long list of handlers narrowed by one word
    for name in (
        "阳光物业",
        "绿化公司",
        "电梯维保",
        "水电班",
        "保洁队",
        "保安队",
        "停车管理",
        "快递站",
    ):
        await h.ask(GRID1_CHIEF, f"/handlers add {name}")
    queue = await h.ask(GRID1_CHIEF, "/queue")
    opened = (await h.press(GRID1_CHIEF, queue, "C2 ")).messages[-1]
    options = (await h.press(GRID1_CHIEF, opened, "指派")).messages[-1]
    assert "搜索" in options.text and not options.has_button("快递站")
    narrowed = await h.ask(GRID1_CHIEF, "快递")
    await h.press(GRID1_CHIEF, narrowed, "快递站")
    assert (await complaint(h, 2)).status == ComplaintStatus.IN_PROGRESS
    assert "快递站" in h.emu.last_message(NEIGHBOUR).text


async def test_stats_count_decisions_on_time_and_not_pending_requests(h: Harness) -> None:
    await h.add_resident(AUTHOR, "第一网格", "1号楼")
    for i in range(4):
        await file_complaint(h, AUTHOR, f"第{i}件事", category="其他")
    assert "按时受理：-\n" in (await h.ask(B1_CHIEF, "/stats")).text
    await h.press(B1_CHIEF, h.emu.messages(B1_CHIEF)[0], "受理")
    assert "按时受理：100%" in (await h.ask(B1_CHIEF, "/stats")).text
    queue = await h.ask(B1_CHIEF, "/queue")
    card = (await h.press(B1_CHIEF, queue, "C2 ")).messages[-1]
    await h.press(B1_CHIEF, card, "不予受理")
    await h.ask(B1_CHIEF, "重复反映")
    assert "按时受理：100%" in (await h.ask(B1_CHIEF, "/stats")).text


# --- typed messages per flow --------------------------------------------------------------------


async def test_chief_flows_take_at_most_two_typed_messages(h: Harness) -> None:
    since = len(h.emu.history(B1_CHIEF))
    await h.ask(B1_CHIEF, "/complain_for")
    category = await h.ask(B1_CHIEF, "王奶奶 3单元201")
    await h.press(B1_CHIEF, category, "维修与设施")
    photos = await h.ask(B1_CHIEF, "家里水管漏水")
    location = (await h.press(B1_CHIEF, photos, "不需要照片")).messages[-1]
    anonymous = (await h.press(B1_CHIEF, location, "跳过")).messages[-1]
    preview = (await h.press(B1_CHIEF, anonymous, "不匿名")).messages[-1]
    await h.press(B1_CHIEF, preview, "确认提交")
    assert typed(h, B1_CHIEF, since) == 2
    since = len(h.emu.history(B1_CHIEF))
    await h.ask(B1_CHIEF, "/wish_for")
    await h.ask(B1_CHIEF, "李爷爷 1单元101")
    category = await h.ask(B1_CHIEF, "想请人读报纸")
    photo = (await h.press(B1_CHIEF, category, "陪伴关爱")).messages[-1]
    consent = (await h.press(B1_CHIEF, photo, "不需要照片")).messages[-1]
    preview = (await h.press(B1_CHIEF, consent, "不显示")).messages[-1]
    await h.press(B1_CHIEF, preview, "确认发布")
    assert typed(h, B1_CHIEF, since) == 2
    # reject (a reason) and resolve (a note): one each
    card = h.emu.messages(GRID1_CHIEF)[-1]
    since = len(h.emu.history(GRID1_CHIEF))
    for step in ("受理", "开始处理", "已解决"):
        await h.press(GRID1_CHIEF, card, step)
    await h.ask(GRID1_CHIEF, "已换水管")
    await h.press(GRID1_CHIEF, h.emu.last_message(GRID1_CHIEF), "不需要照片")
    assert typed(h, GRID1_CHIEF, since) == 1
    assert (await complaint(h)).status == ComplaintStatus.RESOLVED
    async with h.db() as session:
        actions = (await session.scalars(select(ComplaintEvent.action))).all()
    assert "resolved" in actions


async def test_resident_flows_take_at_most_one_typed_message(h: Harness) -> None:
    await h.add_resident(AUTHOR, "第一网格", "1号楼")
    since = len(h.emu.history(AUTHOR))
    await file_complaint(h, AUTHOR)
    assert typed(h, AUTHOR, since) == 1
    since = len(h.emu.history(AUTHOR))
    await h.ask(AUTHOR, "/wish")
    category = await h.ask(AUTHOR, "想请人帮忙买一袋大米")
    photo = (await h.press(AUTHOR, category, "生活用品")).messages[-1]
    name = (await h.press(AUTHOR, photo, "不需要照片")).messages[-1]
    preview = (await h.press(AUTHOR, name, "不显示名字")).messages[-1]
    await h.press(AUTHOR, preview, "确认发布")
    assert typed(h, AUTHOR, since) == 1
    assert await h.count(Wish) == 1


# --- wording ----------------------------------------------------------------------------------


def _values(path: Path) -> list[tuple[str, str]]:
    """(message id, text) of each line of a catalogue: variant keys and placeables
    removed, so only the words a reader sees are left."""
    out: list[tuple[str, str]] = []
    key = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        if re.match(r"^[a-z][a-z0-9-]* =", line):
            key, _, line = line.partition(" =")
        line = re.sub(r"^\s*\*?\[[^\]]*\]", "", line)
        line = re.sub(r"\{[^{}]*\}", "", line)
        line = re.sub(r"\{[^{}]*$|^[^{}]*\}", "", line)
        out.append((key, line))
    return out


@pytest.mark.parametrize("feature", ["complaints", "wishes"])
def test_chinese_texts_use_full_width_punctuation_and_no_english(feature: str) -> None:
    for key, text in _values(ROOT / "bot" / "locales" / "zh" / f"{feature}.ftl"):
        if key.startswith("cmd-"):
            continue
        assert not re.search(r"[:;!?()]|,(?!\d)", text), (key, text)
        words = re.sub(r"/[a-z_]+( add)?", "", text)  # commands stay as they are typed
        assert not re.search(r"[A-Za-z]{2,}", words), (key, text)
        assert '"' not in text, (key, text)


@pytest.mark.parametrize("feature", ["complaints", "wishes"])
def test_english_texts_count_with_plurals_and_one_quote_style(feature: str) -> None:
    source = (ROOT / "bot" / "locales" / "en" / f"{feature}.ftl").read_text(encoding="utf-8")
    assert '"' not in source.replace('{ " " }', "")
    assert "、" not in source and "，" not in source
    for count in ("count", "days", "points", "ratings"):
        for match in re.finditer(rf"\{{ \${count} \}} [a-z]+", source):
            line_start = source.rfind("\n", 0, match.start())
            assert "[one]" in source[line_start - 200 : match.start()], match.group(0)
