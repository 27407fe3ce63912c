"""Chiefs pick instead of typing (issue 14): /award from a list of the area's residents
(pages, one typed word to search), points with buttons, the reason typed, a preview; an
admin's correction from the same list; the check-in QR image for the door."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from linli.bot.delivery.points import checkin_qr
from linli.models.points import LedgerEntry, LedgerKind
from tests.support import ADMIN_ID, GRID1_CHIEF, GRID2_CHIEF, Harness
from tests.support_points import (
    balance_of,
    bulk_residents,
    create_activity,
    credit,
    set_language,
)

A = 5801  # 钱多多, 第一网格 · 1号楼


async def test_award_from_the_list_with_a_search_word(h: Harness) -> None:
    """Two typed messages: one word to search, the reason."""
    await h.add_resident(A, "第一网格", "1号楼", name="钱多多")
    await bulk_residents(h, 5810, 20, "第一网格", "2号楼")
    await bulk_residents(h, 5850, 3, "第二网格", "4号楼")  # not in this chief's area
    typed = 0
    menu = await h.ask(GRID1_CHIEF, "/award")
    assert "共 23 人" in menu.text and "发一个字或词" in menu.text  # with 2 building chiefs
    assert len([b for row in menu.buttons for b in row if "·" in b[0]]) == 8
    assert not menu.has_button("居民5850")
    await h.press(GRID1_CHIEF, menu, "下一页")
    assert menu.has_button("上一页") and menu.has_button("居民5818")
    found = await h.ask(GRID1_CHIEF, "钱")
    typed += 1
    assert "共 1 人" in found.text and found.has_button("钱多多 · 1号楼")
    assert not menu.buttons  # the list before retired
    await h.press(GRID1_CHIEF, found, "钱多多 · 1号楼")
    assert "奖励给：钱多多 · 1号楼" in found.text and "还能奖励 300 分" in found.text
    assert found.has_button("+50") and not found.has_button("更正")  # corrections: admins
    await h.press(GRID1_CHIEF, found, "+10")
    assert "请写一行原因" in found.text
    preview = await h.ask(GRID1_CHIEF, "帮孤寡老人买菜")
    typed += 1
    assert "奖励 钱多多 · 1号楼 +10 分" in preview.text and "帮孤寡老人买菜" in preview.text
    assert not found.buttons
    assert await h.count(LedgerEntry) == 0
    await h.press(GRID1_CHIEF, preview, "确认")
    assert "已记录" in preview.text and not preview.buttons
    assert "帮孤寡老人买菜" in h.emu.last_message(A).text
    assert await balance_of(h, A) == (10, 10)
    assert typed == 2
    # a word that matches nobody says so and keeps the flow
    await h.ask(GRID1_CHIEF, "/award")
    nobody = await h.ask(GRID1_CHIEF, "赵")
    assert "没有找到名字或楼栋含有「赵」" in nobody.text
    by_building = await h.ask(GRID1_CHIEF, "1号楼")
    assert by_building.has_button("钱多多 · 1号楼") and by_building.has_button("李建国 · 1号楼")


async def test_award_amounts_and_the_reason_are_checked(h: Harness) -> None:
    await h.add_resident(A, "第一网格", "1号楼", name="张三")
    menu = await h.ask(GRID1_CHIEF, "/award")
    await h.press(GRID1_CHIEF, menu, "张三")
    forged = await h.press_data(GRID1_CHIEF, menu, "pws:amount:500")
    assert forged.alert and "请写一行原因" not in menu.text
    await h.press(GRID1_CHIEF, menu, "其他分数")
    assert "1 到 50 之间" in menu.text
    too_many = await h.send(GRID1_CHIEF, "51")
    assert "最多 50 分" in too_many[0].text
    asked = await h.ask(GRID1_CHIEF, "7")
    assert "请写一行原因" in asked.text
    long = await h.send(GRID1_CHIEF, "长" * 201)
    assert "201 个字，最多 200 个字" in long[0].text
    preview = await h.ask(GRID1_CHIEF, "打扫楼道")
    assert "+7 分" in preview.text
    refused = await h.press_data(GRID2_CHIEF, preview, preview.button("确认"))
    assert refused.alert  # another chief's button does nothing
    await h.press(GRID1_CHIEF, preview, "确认")
    assert await balance_of(h, A) == (7, 7)


async def test_admin_corrects_from_the_list_in_english(h: Harness) -> None:
    await h.add_resident(A, "第一网格", "1号楼", name="张三")
    await credit(h, A, 30)
    await h.ask(ADMIN_ID, "/help")  # the admin's first message registers them
    await set_language(h, ADMIN_ID, "en")
    menu = await h.ask(ADMIN_ID, "/award correct")
    assert "(5 residents)" in menu.text  # A and the four building chiefs with a building
    await h.press(ADMIN_ID, menu, "张三")
    assert "add or take away" in menu.text
    await h.press(ADMIN_ID, menu, "-10")
    preview = await h.ask(ADMIN_ID, "counted twice")
    assert "by -10" in preview.text
    await h.press(ADMIN_ID, preview, "Confirm")
    async with h.db() as session:
        entries = (
            await session.scalars(
                select(LedgerEntry.delta).where(LedgerEntry.kind == LedgerKind.CORRECTION)
            )
        ).all()
    assert entries == [-10]
    assert await balance_of(h, A) == (20, 20)
    # a grid chief has no correction button, and a forged one is refused
    menu = await h.ask(GRID1_CHIEF, "/award")
    await h.press(GRID1_CHIEF, menu, "张三")
    assert not menu.has_button("更正")
    pressed = await h.press_data(GRID1_CHIEF, menu, "pws:correct:0")
    assert "管理员" in pressed.alert or "权限" in pressed.alert
    refused = await h.ask(GRID1_CHIEF, "/award correct")
    assert "管理员" in refused.text or "权限" in refused.text


async def test_check_in_qr_image_for_the_door(h: Harness) -> None:
    await create_activity(h, code="987654", starts_in=timedelta(days=1))
    listing = await h.ask(GRID1_CHIEF, "/activities")
    card = (await h.press(GRID1_CHIEF, listing, "清扫楼道")).messages[-1]
    code = (await h.press(GRID1_CHIEF, card, "签到码")).messages[-1]
    link = code.text.splitlines()[-1]
    assert link.endswith("start=checkin_987654")
    image = (await h.press(GRID1_CHIEF, card, "签到二维码")).messages[-1]
    assert image.photo and "打印贴在活动现场门口" in image.caption and "987654" in image.caption
    png = h.emu.file_bytes(image.file_id)
    assert png.startswith(b"\x89PNG") and png == checkin_qr(link)
    # residents have no such button, and a forged one is refused
    await h.add_resident(A, "第一网格", "1号楼")
    listing = await h.ask(A, "/activities")
    card = (await h.press(A, listing, "清扫楼道")).messages[-1]
    assert not card.has_button("二维码")
    pressed = await h.press_data(A, card, card.buttons[0][0][1].replace("aj", "am") + ":qr")
    assert pressed.alert
