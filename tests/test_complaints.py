"""Complaints end to end through the Bot API emulator: the closed loop, me too, merge,
anonymity, assignment, rating and reopening, /queue, /my, /stats, and bad input."""

from __future__ import annotations

import pytest

from linli.config import Settings
from linli.models.complaints import (
    Complaint,
    ComplaintFollower,
    ComplaintHandler,
    ComplaintStatus,
)
from tests.support import (
    ADMIN_ID,
    B1_CHIEF,
    GRID1_CHIEF,
    GRID2_CHIEF,
    TEST_REDIS_URL,
    Harness,
    texts,
)
from tests.support_casework import complaint, demote, events, file_complaint, unpaced

AUTHOR = 5001
NEIGHBOUR = 5002
THIRD = 5003


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return unpaced(settings)


async def test_closed_loop_with_history_and_rating(h: Harness) -> None:
    await h.add_resident(AUTHOR, "第一网格", "1号楼", name="张三")
    receipt = await file_complaint(h, AUTHOR, photos=2, location="3单元门口")
    assert "C1" in receipt and "24" in receipt and "7" in receipt
    stored = await complaint(h)
    assert len(stored.photo_file_ids) == 2 and stored.location_text == "3单元门口"
    # both chiefs of the building got the card; the other grid did not
    card = h.emu.last_message(B1_CHIEF)
    assert card is not None and "C1" in card.text and "张三" in card.text
    assert h.emu.last_message(GRID1_CHIEF) is not None
    assert h.emu.last_message(GRID2_CHIEF) is None
    photos = await h.press(B1_CHIEF, card, "看照片")
    assert sum(m.photo for m in photos.messages) == 2

    before = len(h.emu.messages(AUTHOR))
    await h.press(B1_CHIEF, card, "受理")
    assert "已受理" in card.text
    await h.press(B1_CHIEF, card, "开始处理")
    await h.press(B1_CHIEF, card, "已解决")
    ask_note = h.emu.last_message(B1_CHIEF)
    assert "怎么解决" in ask_note.text
    await h.ask(B1_CHIEF, "已联系车主挪车,并加装了禁停标识")
    await h.press(B1_CHIEF, h.emu.last_message(B1_CHIEF), "不需要照片")
    assert (await complaint(h)).status == ComplaintStatus.RESOLVED
    updates = h.emu.messages(AUTHOR)[before:]
    assert [u for u in updates if "已受理" in (u.text or "")]
    assert [u for u in updates if "处理中" in (u.text or "")]
    rate = updates[-1]
    assert "禁停标识" in rate.text and "打分" in rate.text
    await h.press(AUTHOR, rate, "⭐⭐⭐⭐⭐")
    done = await complaint(h)
    assert done.status == ComplaintStatus.CLOSED and done.rating == 5
    await h.ask(AUTHOR, "谢谢,处理得很快")
    assert (await complaint(h)).rating_comment == "谢谢,处理得很快"
    history = await events(h)
    assert [e.action for e in history] == [
        "submitted",
        "accepted",
        "started",
        "resolved",
        "rated",
        "closed",
        "commented",
    ]
    assert history[3].note.startswith("已联系车主")
    chief = await h.resident(B1_CHIEF)
    assert chief is not None and history[1].actor_id == chief.id
    # statistics come from these rows
    stats = await h.ask(B1_CHIEF, "/stats")
    assert "收到诉求：1" in stats.text and "已解决：100%" in stats.text
    assert "平均评分：5.0" in stats.text


async def test_history_is_append_only(h: Harness) -> None:
    import pytest
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    await h.add_resident(AUTHOR, "第一网格", "1号楼")
    await file_complaint(h, AUTHOR)
    async with h.db() as session:
        with pytest.raises(DBAPIError):
            await session.execute(text("UPDATE complaint_events SET note = 'x'"))
        await session.rollback()
        with pytest.raises(DBAPIError):
            await session.execute(text("DELETE FROM complaint_events"))
        await session.rollback()
    assert len(await events(h)) == 1


async def test_anonymous_author_is_never_shown_to_chiefs(h: Harness) -> None:
    await h.add_resident(AUTHOR, "第一网格", "1号楼", name="张三")
    await file_complaint(h, AUTHOR, anonymous=True)
    card = h.emu.last_message(B1_CHIEF)
    assert card is not None and "匿名" in card.text and "张三" not in card.text
    queue = await h.ask(GRID1_CHIEF, "/queue")
    opened = (await h.press(GRID1_CHIEF, queue, "C1")).messages[-1]
    assert "匿名" in opened.text and "张三" not in opened.text
    history = await events(h)
    assert history[0].actor_id is None
    # the author still gets every update
    await h.press(B1_CHIEF, card, "受理")
    assert "已受理" in h.emu.last_message(AUTHOR).text


async def test_me_too_and_merge_follow_the_survivor(h: Harness) -> None:
    await h.add_resident(AUTHOR, "第一网格", "1号楼", name="张三")
    await h.add_resident(NEIGHBOUR, "第一网格", "1号楼", name="李四")
    await h.add_resident(THIRD, "第一网格", "1号楼", name="王五")
    await file_complaint(h, AUTHOR, "晚上十点以后还在装修,很吵", category="噪音扰民")
    # the neighbour sees the open complaint (title only) and says "me too"
    question = await h.ask(NEIGHBOUR, "/complain")
    similar = (await h.press(NEIGHBOUR, question, "噪音扰民")).messages[-1]
    assert "C1" in texts([similar]) or similar.has_button("C1")
    assert "张三" not in similar.text and not similar.has_button("张三")
    await h.press(NEIGHBOUR, similar, "我也遇到")
    assert "2 位" in h.emu.last_message(NEIGHBOUR).text
    assert await h.count(Complaint) == 1
    # the third files a separate one; the chief merges it into C1
    await file_complaint(h, THIRD, "楼上装修噪音", category="噪音扰民", new=True)
    card = h.emu.last_message(B1_CHIEF)
    assert card is not None and "C2" in card.text
    await h.press(B1_CHIEF, card, "合并")
    reply = await h.ask(B1_CHIEF, "C1")
    assert "C1" in reply.text and "不能撤销" in reply.text
    assert (await complaint(h, 2)).status == ComplaintStatus.SUBMITTED  # asked first
    await h.press(B1_CHIEF, reply, "确认合并")
    merged = await complaint(h, 2)
    assert merged.status == ComplaintStatus.MERGED and merged.merged_into_id == 1
    assert "C1" in h.emu.last_message(THIRD).text
    assert await h.count(ComplaintFollower, ComplaintFollower.complaint_id == 1) == 3
    # every follower of the survivor hears about its next step
    queue = await h.ask(B1_CHIEF, "/queue")
    opened = (await h.press(B1_CHIEF, queue, "C1")).messages[-1]
    assert "3 位" in opened.text
    await h.press(B1_CHIEF, opened, "受理")
    for uid in (AUTHOR, NEIGHBOUR, THIRD):
        assert "C1" in h.emu.last_message(uid).text and "已受理" in h.emu.last_message(uid).text


async def test_reject_needs_reason_and_wrong_state_is_refused(h: Harness) -> None:
    await h.add_resident(AUTHOR, "第一网格", "1号楼")
    await file_complaint(h, AUTHOR)
    card = h.emu.last_message(B1_CHIEF)
    await h.press(B1_CHIEF, card, "不予受理")
    empty = await h.ask(B1_CHIEF, sticker=True)
    assert "文字" in empty.text
    await h.ask(B1_CHIEF, "属于市政道路,已转交交警处理")
    rejected = await complaint(h)
    assert rejected.status == ComplaintStatus.REJECTED
    assert "交警" in h.emu.last_message(AUTHOR).text
    pressed = await h.press_data(B1_CHIEF, card, "ca:1:resolve")
    assert "不予受理" in pressed.alert
    pressed = await h.press_data(B1_CHIEF, card, "ca:1:accept")
    assert "不予受理" in pressed.alert
    assert (await complaint(h)).status == ComplaintStatus.REJECTED
    assert len(await events(h)) == 2


async def test_outside_area_is_refused(h: Harness) -> None:
    await h.add_resident(AUTHOR, "第一网格", "1号楼")
    await h.add_resident(NEIGHBOUR, "第一网格", "2号楼")
    await file_complaint(h, AUTHOR)
    own = await h.ask(GRID2_CHIEF, "/help")
    for data in ("ca:1:accept", "ca:1:open", "ca:1:reject", "cs:1:c:1"):
        pressed = await h.press_data(GRID2_CHIEF, own, data)
        assert "范围" in pressed.alert
    queue = await h.ask(GRID2_CHIEF, "/queue")
    assert "没有待办" in queue.text
    # a resident cannot act as a chief nor read someone else's complaint
    mine = await h.ask(NEIGHBOUR, "/help")
    pressed = await h.press_data(NEIGHBOUR, mine, "ca:1:accept")
    assert pressed.alert
    pressed = await h.press_data(NEIGHBOUR, mine, "ca:1:mine")
    assert "不是您的" in pressed.alert
    refused = await h.ask(NEIGHBOUR, "/queue")
    assert "网格长" in refused.text
    assert (await complaint(h)).status == ComplaintStatus.SUBMITTED
    assert len(await events(h)) == 1


async def test_assign_to_named_handler(h: Harness) -> None:
    await h.add_resident(AUTHOR, "第一网格", "1号楼")
    added = await h.ask(GRID1_CHIEF, "/handlers add 阳光物业")
    assert "阳光物业" in added.text
    refused = await h.ask(B1_CHIEF, "/handlers add 别的物业")
    assert "网格长" in refused.text
    assert await h.count(ComplaintHandler) == 1
    await file_complaint(h, AUTHOR, "电梯坏了", category="维修与设施")
    card = h.emu.last_message(GRID1_CHIEF)
    options = (await h.press(GRID1_CHIEF, card, "指派")).messages[-1]
    assert options.has_button("李建国") and options.has_button("阳光物业")
    await h.press(GRID1_CHIEF, options, "阳光物业")
    assigned = await complaint(h)
    assert assigned.status == ComplaintStatus.IN_PROGRESS and assigned.handler_id == 1
    assert "阳光物业" in h.emu.last_message(AUTHOR).text
    # assigning to a chief tells that chief
    await h.press(GRID1_CHIEF, card, "指派")
    options = h.emu.last_message(GRID1_CHIEF)
    await h.press(GRID1_CHIEF, options, "李建国")
    assert "指派给您" in h.emu.last_message(B1_CHIEF).text


async def test_low_rating_reopen_and_autoclose(h: Harness) -> None:
    from datetime import UTC, datetime, timedelta

    await h.add_resident(AUTHOR, "第一网格", "1号楼")
    await file_complaint(h, AUTHOR)
    card = h.emu.last_message(B1_CHIEF)
    await h.press(B1_CHIEF, card, "受理")
    await h.press(B1_CHIEF, card, "开始处理")
    await h.press(B1_CHIEF, card, "已解决")
    await h.ask(B1_CHIEF, "已处理")
    await h.press(B1_CHIEF, h.emu.last_message(B1_CHIEF), "不需要照片")
    rate = h.emu.last_message(AUTHOR)
    after = (await h.press(AUTHOR, rate, "⭐⭐")).messages[-1]
    assert (await complaint(h)).status == ComplaintStatus.RESOLVED
    why = (await h.press(AUTHOR, after, "重新处理")).messages[-1]
    sure = (await h.press(AUTHOR, why, "问题还没有解决")).messages[-1]
    assert "问题还没有解决" in sure.text
    assert (await complaint(h)).status == ComplaintStatus.RESOLVED  # asked first
    await h.press(AUTHOR, sure, "确认重新处理")
    assert (await complaint(h)).status == ComplaintStatus.IN_PROGRESS
    told = h.emu.last_message(B1_CHIEF).text
    assert "重新打开" in told and "问题还没有解决" in told
    # resolved again; no rating; the job closes it after 7 days, once
    card = h.emu.last_message(B1_CHIEF)
    await h.press(B1_CHIEF, card, "已解决")
    await h.ask(B1_CHIEF, "再次处理")
    await h.press(B1_CHIEF, h.emu.last_message(B1_CHIEF), "不需要照片")
    now = datetime.now(UTC)
    assert await h.run_job("casework.autoclose", now=now + timedelta(days=6)) == 0
    assert await h.run_job("casework.autoclose", now=now + timedelta(days=8)) == 1
    assert await h.run_job("casework.autoclose", now=now + timedelta(days=9)) == 0
    assert (await complaint(h)).status == ComplaintStatus.CLOSED
    assert "自动办结" in h.emu.last_message(AUTHOR).text
    closing = [e for e in await events(h) if e.to_status == "closed"]
    assert len(closing) == 1 and closing[0].actor_id is None


async def test_reminders_escalate_once_and_survive_restart(h: Harness) -> None:
    from datetime import UTC, datetime, timedelta

    await h.add_resident(AUTHOR, "第一网格", "1号楼")
    await h.ask(ADMIN_ID, "/whoami")  # the community admin has talked to the bot
    await file_complaint(h, AUTHOR)
    now = datetime.now(UTC)
    counts = {uid: len(h.emu.messages(uid)) for uid in (B1_CHIEF, GRID1_CHIEF, ADMIN_ID)}
    assert await h.run_job("casework.reminders", now=now + timedelta(hours=23)) == 0
    assert await h.run_job("casework.reminders", now=now + timedelta(hours=25)) == 2
    assert "超过受理时限" in h.emu.last_message(B1_CHIEF).text
    assert await h.run_job("casework.reminders", now=now + timedelta(hours=26)) == 0
    await h.restart()
    assert await h.run_job("casework.reminders", now=now + timedelta(hours=27)) == 0
    # past twice the target: the grid chief is told (escalation), once
    assert await h.run_job("casework.reminders", now=now + timedelta(hours=49)) >= 1
    assert "升级提醒" in h.emu.last_message(GRID1_CHIEF).text
    assert await h.run_job("casework.reminders", now=now + timedelta(hours=50)) == 0
    # past three times: the community admin too
    assert len(h.emu.messages(ADMIN_ID)) == counts[ADMIN_ID]
    assert await h.run_job("casework.reminders", now=now + timedelta(hours=73)) >= 1
    assert "升级提醒" in h.emu.last_message(ADMIN_ID).text
    # accepting starts the resolution stage: no reminder until its target passes
    card = h.emu.messages(B1_CHIEF)[counts[B1_CHIEF] - 1]
    await h.press(B1_CHIEF, card, "受理")
    assert await h.run_job("casework.reminders", now=now + timedelta(hours=74)) == 0


async def test_voice_and_complain_for_offline_resident(h: Harness) -> None:
    await h.add_resident(AUTHOR, "第一网格", "1号楼")
    question = await h.ask(AUTHOR, "/complain")
    await h.press(AUTHOR, question, "环境卫生")
    await h.ask(AUTHOR, voice=True)
    await h.press(AUTHOR, h.emu.last_message(AUTHOR), "不需要照片")
    await h.press(AUTHOR, h.emu.last_message(AUTHOR), "跳过")
    await h.press(AUTHOR, h.emu.last_message(AUTHOR), "不匿名")
    await h.press(AUTHOR, h.emu.last_message(AUTHOR), "确认提交")
    stored = await complaint(h)
    assert stored.voice_file_id and stored.text == ""
    card = h.emu.last_message(B1_CHIEF)
    played = await h.press(B1_CHIEF, card, "听语音")
    assert played.messages and played.messages[-1].voice

    # a building chief files for a resident without a phone
    await h.ask(B1_CHIEF, "/complain_for")
    category = await h.ask(B1_CHIEF, "王奶奶 3单元201")
    await h.press(B1_CHIEF, category, "维修与设施")
    await h.ask(B1_CHIEF, "家里水管漏水")
    await h.press(B1_CHIEF, h.emu.last_message(B1_CHIEF), "不需要照片")
    await h.press(B1_CHIEF, h.emu.last_message(B1_CHIEF), "跳过")
    await h.press(B1_CHIEF, h.emu.last_message(B1_CHIEF), "不匿名")
    await h.press(B1_CHIEF, h.emu.last_message(B1_CHIEF), "确认提交")
    offline = await complaint(h, 2)
    chief = await h.resident(B1_CHIEF)
    assert chief is not None
    assert offline.author_id is None and offline.offline_author == "王奶奶 3单元201"
    assert offline.entered_by_id == chief.id
    first = (await events(h, 2))[0]
    assert first.actor_id == chief.id and first.note == "entered_by"
    grid_card = h.emu.last_message(GRID1_CHIEF)
    assert "王奶奶" in grid_card.text and "李建国" in grid_card.text


async def test_complaint_bad_input(h: Harness) -> None:
    await h.add_resident(AUTHOR, "第一网格", "1号楼")
    question = await h.ask(AUTHOR, "/complain")
    typed = await h.ask(AUTHOR, "停车")
    assert "按钮" in typed.text
    await h.press(AUTHOR, question, "安全隐患")
    too_long = await h.ask(AUTHOR, "长" * 1001)
    assert "1000" in too_long.text and "1001" in too_long.text
    sticker = await h.ask(AUTHOR, sticker=True)
    assert "文字、语音或照片" in sticker.text
    document = await h.ask(AUTHOR, document=True)
    assert "文字、语音或照片" in document.text
    await h.ask(AUTHOR, "楼道堆放杂物,有火灾隐患")
    for _ in range(3):
        await h.send(AUTHOR, photo=True)
    fourth = await h.ask(AUTHOR, photo=True)
    assert "最多" in fourth.text and "3" in fourth.text
    document = await h.ask(AUTHOR, document=True)
    assert "照片" in document.text
    await h.press(AUTHOR, fourth, "照片发完了")
    await h.ask(AUTHOR, location=(31.23, 121.47))
    await h.press(AUTHOR, h.emu.last_message(AUTHOR), "不匿名")
    await h.press(AUTHOR, h.emu.last_message(AUTHOR), "确认提交")
    stored = await complaint(h)
    assert len(stored.photo_file_ids) == 3 and stored.latitude == 31.23
    # /cancel in the middle stores nothing
    question = await h.ask(AUTHOR, "/complain")
    await h.press(AUTHOR, question, "噪音扰民")
    await h.press(AUTHOR, h.emu.last_message(AUTHOR), "提交新的诉求") if h.emu.last_message(
        AUTHOR
    ).has_button("提交新的诉求") else None
    cancelled = await h.ask(AUTHOR, "/cancel")
    assert "取消" in cancelled.text
    assert await h.count(Complaint) == 1
    # the place reaches the chief as a map pin naming the building, not raw coordinates
    pin = h.emu.last_message(B1_CHIEF)
    assert pin.content_type == "location" and pin.has_button("1号楼")
    card = h.emu.messages(B1_CHIEF)[-2]
    assert "C1" in card.text and "31.23" not in card.text
    # nothing to merge into; then merging into a bad id, or into itself
    pressed = await h.press(B1_CHIEF, card, "合并")
    assert "无法合并" in pressed.alert
    await file_complaint(h, AUTHOR, "楼道灯坏了", category="维修与设施")
    await h.press(B1_CHIEF, card, "合并")
    assert "不是诉求编号" in (await h.ask(B1_CHIEF, "W1")).text
    assert "它自己" in (await h.ask(B1_CHIEF, "C1")).text
    assert (await complaint(h)).status == ComplaintStatus.SUBMITTED


async def test_my_and_queue_are_paginated(h: Harness) -> None:
    from datetime import UTC, datetime, timedelta

    from linli.services import complaints as service

    resident = await h.add_resident(AUTHOR, "第一网格", "1号楼")
    now = datetime.now(UTC)
    async with h.db() as session:
        for i in range(9):
            await service.create(
                session,
                resident,
                category="other",
                text=f"第{i + 1}件事",
                voice_file_id=None,
                photo_file_ids=[],
                latitude=None,
                longitude=None,
                location_text=None,
                anonymous=False,
                now=now - timedelta(hours=30 - i),
            )
    mine = await h.ask(AUTHOR, "/my")
    assert "9" in mine.text and mine.has_button("▶")
    labels = [t for row in mine.buttons for t, _ in row]
    assert "C9" in labels[0]  # newest first
    await h.press(AUTHOR, mine, "▶")
    assert mine.has_button("◀") and any("C1 " in t for row in mine.buttons for t, _ in row)
    queue = await h.ask(B1_CHIEF, "/queue")
    first = next(t for row in queue.buttons for t, _ in row)
    assert first.startswith("⚠️") and "C1 " in first  # overdue and oldest first
    await h.press(B1_CHIEF, queue, "▶")
    assert queue.has_button("◀")


async def test_complaint_draft_after_restart(h: Harness) -> None:
    await h.add_resident(AUTHOR, "第一网格", "1号楼")
    question = await h.ask(AUTHOR, "/complain")
    await h.press(AUTHOR, question, "停车管理")
    await h.ask(AUTHOR, "车位被占")
    photos_q = h.emu.last_message(AUTHOR)
    await h.restart()
    pressed = await h.press(AUTHOR, photos_q, "不需要照片")
    if TEST_REDIS_URL:
        assert not pressed.alert
        await h.press(AUTHOR, h.emu.last_message(AUTHOR), "跳过")
        await h.press(AUTHOR, h.emu.last_message(AUTHOR), "不匿名")
        await h.press(AUTHOR, h.emu.last_message(AUTHOR), "确认提交")
        assert await h.count(Complaint) == 1
    else:
        assert "重新开始" in pressed.alert
        assert await h.count(Complaint) == 0


def test_casework_texts_exist_in_both_languages() -> None:
    from linli.bot.i18n import Translator

    translator = Translator("zh")
    zh, en = translator.keys("zh"), translator.keys("en")
    ours = {k for k in zh | en if k.startswith(("wish-", "complaint-", "casework-"))}
    assert ours and ours <= zh and ours <= en
    for name in ("wish", "claim", "complain", "my", "queue", "complain-for", "stats", "handlers"):
        assert f"cmd-{name}" in zh and f"cmd-{name}" in en


async def test_complain_for_checks_the_name_the_area_and_the_role_when_stored(
    h: Harness,
) -> None:
    """The "for a resident without a phone" step shared with /wish_for."""
    await h.add_resident(AUTHOR, "第一网格", "2号楼")
    refused = await h.ask(AUTHOR, "/complain_for")
    assert "网格长" in refused.text
    # a grid chief picks one of their buildings; a forged one elsewhere changes nothing
    await h.ask(GRID1_CHIEF, "/complain_for")
    too_long = await h.ask(GRID1_CHIEF, "长" * 101)
    assert "100" in too_long.text
    question = await h.ask(GRID1_CHIEF, "李爷爷 2单元302")
    labels = [text for row in question.buttons for text, _ in row]
    assert "2号楼" in labels and "4号楼" not in labels
    other = await h.building("第二网格", "4号楼")
    pressed = await h.press_data(GRID1_CHIEF, question, f"cb:{other.id}")
    assert "范围" in pressed.alert
    # the building chief files; they lose the role before submitting: nothing is stored
    await h.ask(B1_CHIEF, "/complain_for")
    category = await h.ask(B1_CHIEF, "王奶奶 3单元201")
    await h.press(B1_CHIEF, category, "维修与设施")
    await h.ask(B1_CHIEF, "家里水管漏水")
    await h.press(B1_CHIEF, h.emu.last_message(B1_CHIEF), "不需要照片")
    await h.press(B1_CHIEF, h.emu.last_message(B1_CHIEF), "跳过")
    await h.press(B1_CHIEF, h.emu.last_message(B1_CHIEF), "不匿名")
    preview = h.emu.last_message(B1_CHIEF)
    assert "王奶奶" in preview.text
    await demote(h, B1_CHIEF)
    pressed = await h.press(B1_CHIEF, preview, "确认提交")
    assert "网格长" in pressed.alert
    assert await h.count(Complaint) == 0
