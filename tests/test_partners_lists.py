"""The resources and needs lists through the bot (三张清单): a unit's contact lists a
resource its members see; a grid chief makes a need from a micro-wish with one pick, residents
of its scope support it, members see it, others do not; a chief outside its scope cannot
decline it; a need entered directly is declined with a reason."""

from __future__ import annotations

from linli.models.partners import Need, NeedState, NeedSupport, Resource, Scope, SourceKind
from tests.support import B4_CHIEF, GRID1_CHIEF, Harness, texts
from tests.support_partners import (
    CONTACT,
    MEMBER,
    OTHER_CONTACT,
    open_section,
    press_last,
    register_unit,
    unit_with_member,
    wish_by,
)

AUTHOR = 7101  # 第一网格 · 1号楼
NEIGHBOUR = 7102  # 第一网格 · 1号楼
FAR = 7103  # 第二网格 · 4号楼


async def test_a_unit_lists_a_resource(h: Harness) -> None:
    await unit_with_member(h)
    page = await open_section(h, CONTACT, "我的单位")
    await h.press(CONTACT, page, "资源清单")
    listing = h.emu.message(page.chat_id, page.message_id)
    await h.press(CONTACT, listing, "登记资源")
    await press_last(h, CONTACT, "场地")
    await h.send(CONTACT, "三楼会议室")
    await h.send(CONTACT, "周六 9–12 点，需提前 3 天预约")
    wrong = await h.ask(CONTACT, "三十")
    assert "整数" in (wrong.text or "")
    preview = await h.ask(CONTACT, "30")
    assert "三楼会议室" in (preview.text or "") and "30" in (preview.text or "")
    await h.press(CONTACT, preview, "确认")
    async with h.db() as session:
        resource = await session.get(Resource, 1)
        assert resource is not None and resource.quantity == 30 and resource.available
    # the member sees it, without the contact's buttons
    page = await open_section(h, MEMBER, "我的单位")
    await h.press(MEMBER, page, "资源清单")
    seen = h.emu.message(page.chat_id, page.message_id)
    assert "三楼会议室" in (seen.text or "") and "可容纳 30 人" in (seen.text or "")
    assert "下架" not in str(seen.buttons) and "登记资源" not in str(seen.buttons)
    assert (await h.press_data(MEMBER, seen, "ur:1:withdraw")).alert
    # another unit's contact cannot withdraw it either
    h.emu.add_user(OTHER_CONTACT, "赵经理")
    await h.send(
        OTHER_CONTACT, f"/start {await register_unit(h, '幸福物业', '赵经理', '物业公司')}"
    )
    other = await open_section(h, OTHER_CONTACT, "我的单位")
    assert "不是您所在的单位" in (await h.press_data(OTHER_CONTACT, other, "ur:1:withdraw")).alert
    # the contact withdraws it
    page = await open_section(h, CONTACT, "我的单位")
    await h.press(CONTACT, page, "资源清单")
    await h.press(CONTACT, h.emu.message(page.chat_id, page.message_id), "下架 S1")
    async with h.db() as session:
        resource = await session.get(Resource, 1)
        assert resource is not None and not resource.available


async def test_a_need_from_a_wish_is_supported_by_its_scope(h: Harness) -> None:
    await h.add_resident(AUTHOR, "第一网格", "1号楼", name="张奶奶")
    await h.add_resident(NEIGHBOUR, "第一网格", "1号楼", name="老陈")
    await h.add_resident(FAR, "第二网格", "4号楼", name="小赵")
    await unit_with_member(h)
    wish_id = await wish_by(h, AUTHOR)

    needs = await h.ask(GRID1_CHIEF, "/needs")
    await h.press(GRID1_CHIEF, needs, "新增需求")
    await press_last(h, GRID1_CHIEF, "来自微心愿")
    await press_last(h, GRID1_CHIEF, f"W{wish_id}")
    title = h.emu.last_message(GRID1_CHIEF)
    assert title is not None and "陪老人去医院复查" in (title.text or "")
    await h.press(GRID1_CHIEF, title, "使用这个标题")
    await press_last(h, GRID1_CHIEF, "助老")
    beneficiaries = h.emu.last_message(GRID1_CHIEF)
    assert beneficiaries is not None and "受益对象" in (beneficiaries.text or "")
    await h.send(GRID1_CHIEF, "独居老人 1 人")
    preview = await press_last(h, GRID1_CHIEF, "紧急")
    assert f"W{wish_id}" in (preview.text or "") and "1号楼" in (preview.text or "")
    await h.press(GRID1_CHIEF, preview, "确认")
    async with h.db() as session:
        need = await session.get(Need, 1)
    assert need is not None and need.source_kind == SourceKind.WISH and need.source_id == wish_id
    assert need.scope == Scope.BUILDING and need.state == NeedState.OPEN

    # a neighbour of the building supports it once
    listing = await h.ask(NEIGHBOUR, "/needs")
    await h.press(NEIGHBOUR, listing, "N1")
    card = h.emu.message(listing.chat_id, listing.message_id)
    assert f"W{wish_id}" in (card.text or "")
    pressed = await h.press(NEIGHBOUR, card, "附议")
    assert "1 人附议" in pressed.alert
    assert "附议" not in str(h.emu.message(card.chat_id, card.message_id).buttons)
    again = await h.press_data(NEIGHBOUR, card, "un:1:support")
    assert "已经附议" in again.alert
    assert await h.count(NeedSupport) == 1
    # the partner member sees it (open to them) but does not support it
    listing = await h.ask(MEMBER, "/needs")
    assert "N1" in str(listing.buttons)
    refused = await h.press_data(MEMBER, listing, "un:1:support")
    assert "范围内的居民" in refused.alert
    # a resident of another grid does not see it
    far = await h.ask(FAR, "/needs")
    assert "N1" not in str(far.buttons)
    assert "不对您公开" in (await h.press_data(FAR, far, "un:1:open")).alert
    # a chief of another grid can neither see nor decline it
    assert "不对您公开" in (await h.press_data(B4_CHIEF, far, "un:1:decline")).alert
    # the same wish cannot make a second need (typed as an id, it is no longer in the list)
    needs = await h.ask(GRID1_CHIEF, "/needs")
    await h.press(GRID1_CHIEF, needs, "新增需求")
    pick = await press_last(h, GRID1_CHIEF, "来自微心愿")
    assert f"W{wish_id}" not in str(pick.buttons)
    await h.send(GRID1_CHIEF, f"w{wish_id}")
    await h.send(GRID1_CHIEF, "陪老人复查")
    await press_last(h, GRID1_CHIEF, "助老")
    await press_last(h, GRID1_CHIEF, "跳过")
    preview = await press_last(h, GRID1_CHIEF, "一般")
    refused = await h.press(GRID1_CHIEF, preview, "确认")
    assert "已经有对应的需求" in refused.alert
    assert await h.count(Need) == 1


async def test_a_need_entered_directly_is_declined_with_a_reason(h: Harness) -> None:
    await h.add_resident(NEIGHBOUR, "第一网格", "1号楼", name="老陈")
    needs = await h.ask(GRID1_CHIEF, "/needs")
    await h.press(GRID1_CHIEF, needs, "新增需求")
    await press_last(h, GRID1_CHIEF, "直接填写")
    await h.send(GRID1_CHIEF, "小区需要一个助老食堂")
    await press_last(h, GRID1_CHIEF, "助老")
    await press_last(h, GRID1_CHIEF, "网格 第一网格")
    await press_last(h, GRID1_CHIEF, "跳过")
    preview = await press_last(h, GRID1_CHIEF, "一般")
    await h.press(GRID1_CHIEF, preview, "确认")
    card = h.emu.last_message(GRID1_CHIEF)
    assert card is not None and "N1" in (card.text or "") and "网格 第一网格" in (card.text or "")
    await h.press(GRID1_CHIEF, card, "谢绝")
    replies = await h.send(GRID1_CHIEF, "已有助餐点覆盖本网格")
    assert "已谢绝 N1" in texts(replies)
    async with h.db() as session:
        need = await session.get(Need, 1)
        assert need is not None and need.state == NeedState.DECLINED
        assert need.reason == "已有助餐点覆盖本网格"
    # residents no longer see it
    listing = await h.ask(NEIGHBOUR, "/needs")
    assert "N1" not in str(listing.buttons)


async def test_english_needs_list(h: Harness) -> None:
    h.emu.add_user(NEIGHBOUR, "Old Chen", language_code="en")
    await h.add_resident(NEIGHBOUR, "第一网格", "1号楼", name="Old Chen", language="en")
    needs = await h.ask(GRID1_CHIEF, "/needs")
    await h.press(GRID1_CHIEF, needs, "新增需求")
    await press_last(h, GRID1_CHIEF, "直接填写")
    await h.send(GRID1_CHIEF, "小区需要一个助老食堂")
    await press_last(h, GRID1_CHIEF, "助老")
    await press_last(h, GRID1_CHIEF, "网格 第一网格")
    await press_last(h, GRID1_CHIEF, "跳过")
    preview = await press_last(h, GRID1_CHIEF, "紧急")
    await h.press(GRID1_CHIEF, preview, "确认")
    listing = await h.ask(NEIGHBOUR, "/needs")
    assert "Needs list" in (listing.text or "") and "urgent" in str(listing.buttons)
    await h.press(NEIGHBOUR, listing, "N1")
    card = h.emu.message(listing.chat_id, listing.message_id)
    assert "Scope: grid 第一网格" in (card.text or "") and "Who benefits" not in (card.text or "")
    pressed = await h.press(NEIGHBOUR, card, "Support")
    assert "1 supporter now" in pressed.alert


async def test_the_home_menu_opens_the_lists(h: Harness) -> None:
    await h.add_resident(NEIGHBOUR, "第一网格", "1号楼", name="老陈")
    _, menu = await h.send(NEIGHBOUR, "/start")
    assert "需求清单" in str(menu.buttons) and "项目清单" in str(menu.buttons)
    assert "共驻共建" not in str(menu.buttons)  # registering units is the chiefs' and admins'
    pressed = await h.press(NEIGHBOUR, menu, "需求清单")
    assert "需求清单" in texts(pressed.messages)
    _, menu = await h.send(NEIGHBOUR, "/start")
    pressed = await h.press(NEIGHBOUR, menu, "项目清单")
    assert "项目清单" in texts(pressed.messages)
    # a grid chief reaches the partner menu (mobile grid members) from the home menu
    _, menu = await h.send(GRID1_CHIEF, "/start")
    pressed = await h.press(GRID1_CHIEF, menu, "共驻共建")
    assert "移动网格员" in str(pressed.messages[-1].buttons)
