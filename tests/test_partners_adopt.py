"""A unit adopts a micro-wish (认领) through the bot: a member claims it for the unit, the
author confirms it fulfilled, the member is credited and it counts for the unit. A member
leaving mid-project: their adopted wish goes back to the pool (its author is told), their
seat at a task goes to the one waiting (who is told), and they are pending again."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from linli.models import ResidentStatus
from linli.models.partners import WishAdoption
from linli.models.points import ActivitySignup, LedgerEntry, SignupStatus
from linli.models.wishes import Wish, WishStatus
from linli.services import residents, wishes
from tests.support import GRID1_CHIEF, Harness
from tests.support_partners import (
    CONTACT,
    MEMBER,
    OTHER_MEMBER,
    join_member,
    need_from_wish,
    open_section,
    press_last,
    project_with_task,
    unit_with_member,
    wish_by,
)

AUTHOR = 7301  # 第一网格 · 1号楼


async def adopt(h: Harness, member: int, wish_id: int) -> None:
    listing = await open_section(h, member, "认领微心愿")
    await h.press(member, listing, f"W{wish_id}")
    card = h.emu.message(listing.chat_id, listing.message_id)
    assert "阳光小学" in (card.text or "")
    await h.press(member, card, "代表「阳光小学」认领")


async def test_an_adopted_wish_is_fulfilled_by_a_member(h: Harness) -> None:
    await h.add_resident(AUTHOR, "第一网格", "1号楼", name="张奶奶")
    await unit_with_member(h)
    wish_id = await wish_by(h, AUTHOR)
    await adopt(h, MEMBER, wish_id)
    async with h.db() as session:
        wish = await session.get(Wish, wish_id)
        assert wish is not None and wish.status == WishStatus.CLAIMED
        assert wish.claimer_id == (await h.resident(MEMBER)).id  # type: ignore[union-attr]
    told = h.emu.last_message(AUTHOR)
    assert told is not None and "小李" in (told.text or "")
    assert await h.count(WishAdoption) == 1
    # a second member cannot adopt it any more
    await join_member(h, CONTACT, OTHER_MEMBER)
    listing = await open_section(h, OTHER_MEMBER, "认领微心愿")
    assert f"W{wish_id}" not in str(listing.buttons)
    assert "已经被" in (await h.press_data(OTHER_MEMBER, listing, f"uw:{wish_id}:adopt")).alert
    # the author confirms it: the member is credited, and it counts for the unit
    async with h.db() as session:
        author = await residents.get_by_telegram_id(session, AUTHOR)
        await wishes.fulfil(session, author, wish_id, datetime.now(UTC), lambda _c: 10)  # type: ignore[arg-type]
    assert await h.count(LedgerEntry, LedgerEntry.delta == 10) == 1
    hours = await open_section(h, MEMBER, "我的时长与积分")
    assert "为单位实现微心愿 1 个" in (hours.text or "")


async def test_a_member_leaves_mid_project(h: Harness) -> None:
    await h.add_resident(AUTHOR, "第一网格", "1号楼", name="张奶奶")
    await unit_with_member(h)
    await join_member(h, CONTACT, OTHER_MEMBER)
    wish_id = await wish_by(h, AUTHOR)
    other_wish = await wish_by(h, AUTHOR, "想请人修一下门锁")
    await project_with_task(
        h, GRID1_CHIEF, await need_from_wish(h, GRID1_CHIEF, other_wish), capacity=1
    )
    await adopt(h, MEMBER, wish_id)
    for person in (MEMBER, OTHER_MEMBER):
        tasks = await open_section(h, person, "可以报名的任务")
        await h.press(person, tasks, "上门义诊")
        await press_last(h, person, "报名")
    async with h.db() as session:
        signups = {
            s.resident_id: s.status for s in (await session.scalars(select(ActivitySignup))).all()
        }
    member = await h.resident(MEMBER)
    other = await h.resident(OTHER_MEMBER)
    assert member is not None and other is not None
    assert signups == {member.id: SignupStatus.GOING, other.id: SignupStatus.WAITING}

    page = await open_section(h, MEMBER, "我的单位")
    await h.press(MEMBER, page, "退出本单位")
    await h.press(MEMBER, h.emu.message(page.chat_id, page.message_id), "确认退出")
    async with h.db() as session:
        wish = await session.get(Wish, wish_id)
        assert wish is not None and wish.status == WishStatus.OPEN and wish.claimer_id is None
        statuses = {
            s.resident_id: s.status
            for s in (await session.scalars(select(ActivitySignup))).all()  # type: ignore[union-attr]
        }
    assert statuses == {member.id: SignupStatus.CANCELLED, other.id: SignupStatus.GOING}
    assert "放弃" in (h.emu.last_message(AUTHOR).text or "") or "重新" in (
        h.emu.last_message(AUTHOR).text or ""
    )  # type: ignore[union-attr]
    moved_up = h.emu.last_message(OTHER_MEMBER)
    assert moved_up is not None and "上门义诊" in (moved_up.text or "")
    assert (await h.resident(MEMBER)).status == ResidentStatus.PENDING  # type: ignore[union-attr]
