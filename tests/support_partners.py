"""Helpers of the 共驻共建 conversation tests: registering a unit through the bot, opening
invitation links, members reporting in."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from linli.emulator import StoredMessage
from linli.services import activities, partners, residents
from linli.services import needs as need_service
from linli.services import projects as project_service
from linli.services import resources as resource_service
from linli.services import wishes as wish_service
from tests.support import ADMIN_ID, Harness

LINK = re.compile(r"t\.me/\w+\?start=(\S+)")
CONTACT = 7001
MEMBER = 7002
OTHER_MEMBER = 7003
OTHER_CONTACT = 7011


def payload(message: StoredMessage | None) -> str:
    """The deep-link payload in a message (`unit_…`, `member_…`, `mobile_…`)."""
    assert message is not None and message.text is not None
    found = LINK.search(message.text)
    assert found is not None, message.text
    return found.group(1)


async def open_section(h: Harness, uid: int, button: str) -> StoredMessage:
    """/partners, then the section `button`; returns the message it shows."""
    menu = await h.ask(uid, "/partners")
    await h.press(uid, menu, button)
    return h.emu.message(menu.chat_id, menu.message_id)


async def register_unit(
    h: Harness, name: str = "阳光小学", contact: str = "王老师", kind: str = "学校"
) -> str:
    """The admin registers a unit; returns the contact's invitation payload."""
    units = await open_section(h, ADMIN_ID, "驻区单位")
    await h.press(ADMIN_ID, units, "登记驻区单位")
    await h.ask(ADMIN_ID, name)
    kinds = h.emu.last_message(ADMIN_ID)
    assert kinds is not None
    await h.press(ADMIN_ID, kinds, kind)
    address = h.emu.last_message(ADMIN_ID)
    assert address is not None
    await h.press(ADMIN_ID, address, "跳过")
    preview = await h.ask(ADMIN_ID, contact)
    assert name in (preview.text or "")
    await h.press(ADMIN_ID, preview, "确认")
    done = h.emu.message(preview.chat_id, preview.message_id)
    return payload(done)


async def unit_with_member(
    h: Harness,
    *,
    name: str = "阳光小学",
    contact: int = CONTACT,
    member: int = MEMBER,
    member_name: str = "小李",
    party: bool = False,
) -> None:
    """A unit whose contact (`contact`) accepted and approved one member (`member`)."""
    h.emu.add_user(contact, "王老师")
    h.emu.add_user(member, member_name)
    invite = await register_unit(h, name)
    await h.send(contact, f"/start {invite}")
    link = await members_link(h, contact)
    replies = await h.send(member, f"/start {link}")
    ask = replies[-1]
    await h.press(member, ask, "是，在职党员" if party else "不是")
    request = h.emu.last_message(contact)
    assert request is not None and "申请" in (request.text or "")
    await h.press(contact, request, "同意")


async def members_link(h: Harness, contact: int) -> str:
    page = await open_section(h, contact, "我的单位")
    replies = await h.press(contact, page, "成员报到链接")
    return payload(replies.messages[-1])


async def wish_by(h: Harness, telegram_id: int, text: str = "想请人帮忙陪老人去医院复查") -> int:
    """A micro-wish posted by a verified resident (straight through the wishes service)."""
    async with h.db() as session:
        author = await residents.get_by_telegram_id(session, telegram_id)
        assert author is not None
        wish = await wish_service.create(
            session,
            author,
            category="health",
            text=text,
            voice_file_id=None,
            photo_file_id=None,
            show_name=False,
            now=datetime.now(UTC),
        )
        return wish.id


async def press_last(h: Harness, uid: int, button: str) -> StoredMessage:
    """Press `button` on the last message of `uid`'s chat; returns that message as it is now."""
    last = h.emu.last_message(uid)
    assert last is not None
    await h.press(uid, last, button)
    return h.emu.message(last.chat_id, last.message_id)


GROUP = -100_716_001  # 第一网格's group


async def bind_grid_group(
    h: Harness, chief: int, chat_id: int = GROUP, grid: str = "第一网格"
) -> None:
    h.emu.add_group(chat_id, f"{grid}群", admins=[chief])
    question = await h.ask(chief, "/bind", chat_id=chat_id)
    await h.press(chief, question, f"网格: {grid}")


async def add_resource(
    h: Harness, contact: int, title: str = "上门义诊", kind: str = "service"
) -> int:
    """A resource listed by a unit's contact (straight through the service)."""
    async with h.db() as session:
        person = await residents.get_by_telegram_id(session, contact)
        mine = await partners.standing(session, person)  # type: ignore[arg-type]
        assert mine.unit is not None
        resource = await resource_service.add(
            session,
            person,
            mine.unit.id,
            resource_service.ResourceDraft(
                kind=kind, title=title, details="周六上午", quantity=None
            ),
            datetime.now(UTC),
        )
        return resource.id


async def need_from_wish(h: Harness, chief: int, wish_id: int, title: str = "陪老人复查") -> int:
    async with h.db() as session:
        person = await residents.get_by_telegram_id(session, chief)
        need = await need_service.create(
            session,
            person,
            need_service.NeedDraft(
                title=title,
                category="elderly",
                place_value="",
                beneficiaries="",
                urgency="high",
                source_letter="W",
                source_id=wish_id,
            ),
            datetime.now(UTC),
        )
        return need.id


def day(days: int, hour: int = 9) -> str:
    """A date and time typed as the community writes it, `days` from now."""
    moment = datetime.now(ZoneInfo("Asia/Shanghai")) + timedelta(days=days)
    return moment.strftime(f"%Y-%m-%d {hour:02d}:00")


async def project_with_task(
    h: Harness, chief: int, need_id: int, *, capacity: int = 5, points: int = 5
) -> int:
    """P1 led by the first unit, started, with one task (an activity) two days ahead;
    returns the activity's id (straight through the services)."""
    now = datetime.now(UTC)
    async with h.db() as session:
        person = await residents.get_by_telegram_id(session, chief)
        assert person is not None
        project = await project_service.create(
            session,
            person,
            project_service.ProjectDraft(
                title="关爱独居老人",
                goal="上门义诊",
                grid_id=person.chief_grid_id or 0,
                lead_unit_id=1,
                need_ids=[need_id],
                resource_ids=[],
                starts_at=now + timedelta(days=1),
                ends_at=now + timedelta(days=30),
            ),
            now,
        )
        await project_service.start(session, person, project.id, now)
        activity = await project_service.add_task(
            session,
            person,
            project.id,
            activities.Draft(
                title="上门义诊",
                place="活动室",
                starts_at=now + timedelta(days=2),
                hours=2,
                capacity=capacity,
                points=points,
                per_hour=False,
            ),
            now,
        )
        return activity.id


async def join_member(h: Harness, contact: int, member: int, name: str = "小周") -> None:
    """Another member opens the unit's link and is approved."""
    h.emu.add_user(member, name)
    link = await members_link(h, contact)
    replies = await h.send(member, f"/start {link}")
    await h.press(member, replies[-1], "不是")
    request = h.emu.last_message(contact)
    assert request is not None
    await h.press(contact, request, "同意")
