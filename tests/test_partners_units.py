"""Partner units and their members through the bot (双报到): an admin registers a unit and
invites its contact, the contact shares the members' link and approves, members see their
own menu (and nothing meant for residents of a building), party members are visible to
admins only, members leave; bad links, forged buttons and other units' ids are refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from linli.models import ResidentStatus
from linli.models.partners import MemberState, PartnerInvite, PartnerMember, PartnerUnit, UnitState
from tests.support import ADMIN_ID, GRID1_CHIEF, Harness, texts
from tests.support_partners import (
    CONTACT,
    MEMBER,
    OTHER_CONTACT,
    OTHER_MEMBER,
    members_link,
    open_section,
    register_unit,
    unit_with_member,
)


async def test_unit_contact_and_member_report_in(h: Harness) -> None:
    await unit_with_member(h, party=True)
    async with h.db() as session:
        unit = await session.get(PartnerUnit, 1)
        assert unit is not None and unit.state == UnitState.ACTIVE
    contact = await h.resident(CONTACT)
    member = await h.resident(MEMBER)
    assert contact is not None and member is not None
    assert unit.contact_id == contact.id
    assert member.status == ResidentStatus.VERIFIED and member.building_id is None
    told = h.emu.last_message(MEMBER)
    assert told is not None and "同意了您的报到申请" in (told.text or "")

    # the member's /start is their partner menu, not the registration
    menu = await h.ask(MEMBER, "/start")
    assert "阳光小学" in (menu.text or "") and "选择" not in (menu.text or "")
    labels = [text for row in menu.buttons for text, _data in row]
    assert any("我的单位" in label for label in labels)
    assert any("需求清单" in label for label in labels)
    # their own command menu
    commands = h.emu.get_commands({"type": "chat", "chat_id": MEMBER})
    assert [c["command"] for c in commands][:1] == ["partners"]
    # nothing meant for residents of a building
    refused = await h.ask(MEMBER, "/wish")
    assert "还没有通过认证" in (refused.text or "")

    # the party-member registration: admins see it, the contact does not
    page = await open_section(h, CONTACT, "我的单位")
    await h.press(CONTACT, page, "成员")
    listing = h.emu.message(page.chat_id, page.message_id)
    assert "小李" in texts([listing]) + str(listing.buttons)
    assert "☭" not in str(listing.buttons)
    units = await open_section(h, ADMIN_ID, "驻区单位")
    await h.press(ADMIN_ID, units, "阳光小学")
    await h.press(ADMIN_ID, units, "成员")
    admin_list = h.emu.message(units.chat_id, units.message_id)
    assert "☭ 小李" in str(admin_list.buttons)
    # the member changes it under "My unit"
    page = await open_section(h, MEMBER, "我的单位")
    assert "在职党员登记：是" in (page.text or "")
    replies = await h.press(MEMBER, page, "在职党员登记")
    await h.press(MEMBER, replies.messages[-1], "不是")
    async with h.db() as session:
        row = await session.get(PartnerMember, 2)
        assert row is not None and not row.party_member


async def test_member_leaves_and_is_pending_again(h: Harness) -> None:
    await unit_with_member(h)
    page = await open_section(h, MEMBER, "我的单位")
    await h.press(MEMBER, page, "退出本单位")
    ask = h.emu.message(page.chat_id, page.message_id)
    assert "确定退出" in (ask.text or "")
    await h.press(MEMBER, ask, "确认退出")
    assert "已退出" in (h.emu.message(page.chat_id, page.message_id).text or "")
    member = await h.resident(MEMBER)
    assert member is not None and member.status == ResidentStatus.PENDING
    # back to registering as a resident
    start = await h.ask(MEMBER, "/start")
    assert "网格" in (start.text or "")
    # the contact cannot just leave
    page = await open_section(h, CONTACT, "我的单位")
    assert "退出本单位" not in str(page.buttons)
    pressed = await h.press_data(CONTACT, page, "uu:1:leave")
    assert "联系人" in pressed.alert


async def test_bad_links_and_forged_buttons_are_refused(h: Harness) -> None:
    await unit_with_member(h)
    h.emu.add_user(OTHER_CONTACT, "赵经理")
    h.emu.add_user(OTHER_MEMBER, "小周")
    second = await register_unit(h, "幸福物业", "赵经理", "物业公司")
    # a made-up token, and a used one
    wrong = await h.ask(OTHER_MEMBER, "/start member_" + "x" * 32)
    assert "失效" in (wrong.text or "")
    await h.send(OTHER_CONTACT, f"/start {second}")
    again = await h.ask(OTHER_MEMBER, f"/start {second}")
    assert "失效" in (again.text or "")
    # an expired members' link
    link = await members_link(h, OTHER_CONTACT)
    async with h.db() as session:
        await session.execute(
            update(PartnerInvite).values(expires_at=datetime.now(UTC) - timedelta(minutes=1))
        )
        await session.commit()
    expired = await h.ask(OTHER_MEMBER, f"/start {link}")
    assert "失效" in (expired.text or "")
    assert await h.count(PartnerMember, PartnerMember.resident_id.is_not(None)) == 3

    # a request to the first unit, reviewed by the other unit's contact: refused
    link = await members_link(h, CONTACT)
    await h.send(OTHER_MEMBER, f"/start {link}")
    request = h.emu.last_message(CONTACT)
    assert request is not None
    pressed = await h.press_data(OTHER_CONTACT, request, request.buttons[0][0][1])
    assert "不是您所在的单位" in pressed.alert
    # nor may anyone open another unit's page or members
    page = await open_section(h, OTHER_CONTACT, "我的单位")
    assert "不是您所在的单位" in (await h.press_data(OTHER_CONTACT, page, "uo:1")).alert
    assert "不是您所在" in (await h.press_data(OTHER_CONTACT, page, "uu:1:members")).alert
    assert (await h.press_data(OTHER_CONTACT, page, "um:99:1")).alert
    # a grid chief is no admin of units
    menu = await h.ask(GRID1_CHIEF, "/partners")
    assert "驻区单位" not in str(menu.buttons)
    assert (await h.press_data(GRID1_CHIEF, menu, "uh:units")).alert
    async with h.db() as session:
        pending = await session.get(PartnerMember, 4)
        assert pending is not None and pending.state == MemberState.PENDING


async def test_english_contact_sees_english(h: Harness) -> None:
    h.emu.add_user(CONTACT, "Ms Wang", language_code="en")
    invite = await register_unit(h, "Sunshine School")
    welcome = await h.send(CONTACT, f"/start {invite}")
    assert "You are now the contact of “Sunshine School”" in texts(welcome)
    menu = welcome[-1]
    assert "My unit" in str(menu.buttons)


async def test_a_unit_ends_its_partnership(h: Harness) -> None:
    await unit_with_member(h)
    page = await open_section(h, CONTACT, "我的单位")
    await h.press(CONTACT, page, "结束共建")
    ask = h.emu.message(page.chat_id, page.message_id)
    assert "不能撤销" in (ask.text or "")
    # a member cannot end it with the confirming button
    assert (await h.press_data(MEMBER, ask, "us:end:1")).alert
    await h.press(CONTACT, ask, "确认结束共建")
    async with h.db() as session:
        unit = await session.get(PartnerUnit, 1)
        assert unit is not None and unit.state == UnitState.LEFT
        states = {m.state for m in (await session.scalars(select(PartnerMember))).all()}
    assert states == {MemberState.LEFT}
    told = h.emu.last_message(MEMBER)
    assert told is not None and "结束与社区的共驻共建" in (told.text or "")
    for uid in (CONTACT, MEMBER):
        person = await h.resident(uid)
        assert person is not None and person.status == ResidentStatus.PENDING
    # its links stop working; the admin still sees it, as left
    units = await open_section(h, ADMIN_ID, "驻区单位")
    assert "已退出" in str(units.buttons)
