"""Chiefs pick people instead of typing ids: `/grant` with buttons (person, role, area,
confirmation), `/residents` listing everyone of the area with filters, pages and a search;
a demoted chief's activities and notices handed over; `/bind` never takes a group away
from another unit; ambiguous @usernames refused. Through the real bot, in Chinese and
English."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from linli.models import AuditLog, ChatBinding, Resident, ResidentStatus, Role
from linli.models.notices import Notice, NoticeKind, NoticeState, Repeat, TargetKind
from linli.models.points import Activity
from tests.support import ADMIN_ID, B1_CHIEF, B4_CHIEF, GRID1_CHIEF, Harness
from tests.support_points import create_activity

ZHAO = 5101
NEIGHBOURS = list(range(5110, 5121))  # eleven verified residents of 1号楼: two pages
GROUP = -100_300


def buttons(message: object) -> list[str]:
    return [text for row in message.buttons for text, _data in row]  # type: ignore[attr-defined]


async def set_language(h: Harness, telegram_id: int, language: str) -> None:
    async with h.db() as session:
        await session.execute(
            update(Resident).where(Resident.telegram_id == telegram_id).values(language=language)
        )
        await session.commit()


# --- /grant with buttons --------------------------------------------------------------------


async def test_admin_picks_person_role_and_building(h: Harness) -> None:
    await h.add_resident(ZHAO, "第一网格", "2号楼", name="赵六")
    for n, uid in enumerate(NEIGHBOURS):
        await h.add_resident(uid, "第一网格", "1号楼", name=f"邻居{n}")
    picker = await h.ask(ADMIN_ID, "/grant")
    assert "请选择一位居民" in picker.text and "/grant" in picker.text  # typed form still works
    assert "发一个词" in picker.text  # a long list: one word searches it
    assert len(buttons(picker)) == 8 + 2  # a page of people, Next, Cancel
    assert not any("管理员" in label for label in buttons(picker))  # never themself
    # one typed word finds him; the first list loses its buttons
    found = await h.ask(ADMIN_ID, "赵六")
    assert "找到 1 人" in found.text and not picker.buttons
    await h.press(ADMIN_ID, found, "赵六")
    assert "赵六" in found.text and "现在是：居民" in found.text
    await h.press(ADMIN_ID, found, "楼栋长")
    assert "负责的楼栋" in found.text
    assert "第二网格 · 4号楼" in buttons(found)  # the whole community's buildings
    await h.press(ADMIN_ID, found, "第一网格 · 2号楼")
    assert "确定把 赵六 设为楼栋长，负责 第一网格 · 2号楼 吗" in found.text
    before = await h.resident(ZHAO)
    assert before is not None and before.role == Role.RESIDENT  # nothing yet
    pressed = await h.press(ADMIN_ID, found, "确定")
    assert pressed.alert == "已设置"
    assert "赵六" in found.text and "楼栋长" in found.text and not found.buttons
    after = await h.resident(ZHAO)
    building = await h.building("第一网格", "2号楼")
    assert after is not None and after.role == Role.BUILDING_CHIEF
    assert after.chief_building_id == building.id
    told = h.emu.last_message(ZHAO)
    assert told is not None and "楼栋长" in told.text and "第一网格 · 2号楼" in told.text
    assert await h.count(AuditLog, AuditLog.action == "resident.grant") == 1
    # two typed messages for the whole flow: /grant and the search word
    typed = [m for m in h.emu.history(ADMIN_ID) if not m.from_bot]
    assert [m.text for m in typed] == ["/grant", "赵六"]


async def test_the_picker_in_english_and_back_and_cancel(h: Harness) -> None:
    await h.add_resident(ZHAO, "第一网格", "2号楼", name="Zhao Liu")
    await h.ask(ADMIN_ID, "/whoami")  # the admin's row exists from their first message
    await set_language(h, ADMIN_ID, "en")
    picker = await h.ask(ADMIN_ID, "/grant Zhao")
    assert "1 person found for “Zhao”" in picker.text
    await h.press(ADMIN_ID, picker, "Zhao Liu")
    assert "Choose the new role of Zhao Liu (now: resident" in picker.text
    await h.press(ADMIN_ID, picker, "grid chief")
    assert "Choose the grid Zhao Liu will be in charge of" in picker.text
    await h.press(ADMIN_ID, picker, "Back")
    assert "Choose the new role" in picker.text
    await h.press(ADMIN_ID, picker, "community admin")
    assert "Make Zhao Liu community admin? (Now: resident)" in picker.text
    await h.press(ADMIN_ID, picker, "Cancel")
    assert "no role was changed" in picker.text and not picker.buttons
    kept = await h.resident(ZHAO)
    assert kept is not None and kept.role == Role.RESIDENT


async def test_grant_picker_buttons_are_checked_again(h: Harness) -> None:
    """Forged or stale picker buttons change nothing: a chief is no admin, a role that does
    not exist, someone outside the community, the admin themself."""
    await h.add_resident(ZHAO, "第一网格", "2号楼", name="赵六")
    picker = await h.ask(ADMIN_ID, "/grant 赵")
    zhao = await h.resident(ZHAO)
    admin = await h.resident(ADMIN_ID)
    assert zhao is not None and admin is not None
    refused = await h.press_data(GRID1_CHIEF, picker, f"gty:{zhao.id}:admin:0")
    assert refused.alert
    for data in (
        f"gty:{zhao.id}:mayor:0",
        f"gtr:{zhao.id}:king",
        f"gty:{admin.id}:resident:0",
        "gty:999999:admin:0",
        f"gtu:{zhao.id}:resident:1",
        f"gty:{zhao.id}:building_chief:0",
    ):
        pressed = await h.press_data(ADMIN_ID, picker, data)
        assert pressed.alert, data
    assert "自己" in (await h.press_data(ADMIN_ID, picker, f"gty:{admin.id}:resident:0")).alert
    for telegram_id, role in ((ZHAO, Role.RESIDENT), (ADMIN_ID, Role.ADMIN)):
        resident = await h.resident(telegram_id)
        assert resident is not None and resident.role == role
    assert await h.count(AuditLog, AuditLog.action == "resident.grant") == 0


async def test_an_ambiguous_username_is_refused_with_the_candidates(h: Harness) -> None:
    """`_` is no wildcard, case is ignored, and two rows with one @username pick nobody."""
    await h.add_resident(ZHAO, "第一网格", "2号楼", name="赵六")
    await h.add_resident(ZHAO + 1, "第二网格", "4号楼", name="赵七")
    await h.add_resident(ZHAO + 2, "第二网格", "5号楼", name="赵八")
    async with h.db() as session:
        for uid, username in ((ZHAO, "zhao_liu"), (ZHAO + 1, "ZHAO_LIU"), (ZHAO + 2, "zhaoxliu")):
            await session.execute(
                update(Resident).where(Resident.telegram_id == uid).values(username=username)
            )
        await session.commit()
    reply = await h.ask(ADMIN_ID, "/grant @Zhao_Liu building_chief 第一网格/2号楼")
    assert str(ZHAO) in reply.text and str(ZHAO + 1) in reply.text
    assert str(ZHAO + 2) not in reply.text and "没有设置任何人" in reply.text
    for uid in (ZHAO, ZHAO + 1, ZHAO + 2):
        resident = await h.resident(uid)
        assert resident is not None and resident.role == Role.RESIDENT
    # the Telegram id picks exactly one
    reply = await h.ask(ADMIN_ID, f"/grant {ZHAO + 1} building_chief 第二网格/4号楼")
    assert "赵七" in reply.text
    chosen = await h.resident(ZHAO + 1)
    assert chosen is not None and chosen.role == Role.BUILDING_CHIEF


# --- handing over -------------------------------------------------------------------------------


async def test_a_demoted_grid_chief_hands_over_to_the_other_grid_chief(h: Harness) -> None:
    """第一网格 gets a second grid chief; the first one is demoted: their activity and their
    weekly notice pass to the second, who is told; the admin's reply says so."""
    await h.add_resident(ZHAO, "第一网格", "2号楼", name="赵六")
    await h.ask(ADMIN_ID, f"/grant {ZHAO} grid_chief 第一网格")
    activity_id = await create_activity(h)
    chief = await h.resident(GRID1_CHIEF)
    assert chief is not None
    async with h.db() as session:
        await session.execute(
            update(Activity).where(Activity.id == activity_id).values(created_by_id=chief.id)
        )
        notice = Notice(
            community_id=chief.community_id,
            author_id=chief.id,
            kind=NoticeKind.MESSAGE,
            text="每周一早上打扫楼道",
            target_kind=TargetKind.GRID,
            target_grid_id=chief.chief_grid_id,
            area_grid_id=chief.chief_grid_id,
            repeat=Repeat.WEEKLY,
            at_time="09:00",
            weekdays="mon",
            next_run_at=datetime.now(UTC) + timedelta(days=3),
            state=NoticeState.SCHEDULED,
        )
        session.add(notice)
        await session.commit()
        notice_id = notice.id
    reply = await h.ask(ADMIN_ID, f"/grant {GRID1_CHIEF} resident")
    assert "已转交给 赵六" in reply.text
    told = h.emu.last_message(ZHAO)
    assert told is not None and "王秀英 不再负责" in told.text
    assert "清扫楼道" in told.text and f"N{notice_id}" in told.text
    zhao = await h.resident(ZHAO)
    assert zhao is not None
    async with h.db() as session:
        moved = await session.get(Activity, activity_id)
        assert moved is not None and moved.created_by_id == zhao.id
        passed = await session.get(Notice, notice_id)
        assert passed is not None and passed.author_id == zhao.id


# --- /residents ---------------------------------------------------------------------------------


async def _applicant(h: Harness, uid: int, name: str, grid: str, building: str) -> None:
    await h.add_resident(uid, grid, building, name=name, verified=False)
    async with h.db() as session:
        await session.execute(
            update(Resident)
            .where(Resident.telegram_id == uid)
            .values(applied_at=datetime.now(UTC), status=ResidentStatus.PENDING)
        )
        await session.commit()


async def test_residents_lists_the_area_with_filters_pages_and_search(h: Harness) -> None:
    await _applicant(h, ZHAO, "赵六", "第一网格", "2号楼")
    await _applicant(h, ZHAO + 1, "外网格的人", "第二网格", "4号楼")
    for n, uid in enumerate(NEIGHBOURS):
        await h.add_resident(uid, "第一网格", "1号楼", name=f"邻居{n}")
    await h.add_resident(ZHAO + 2, "第一网格", "3号楼", name="周大妈")

    listing = await h.ask(GRID1_CHIEF, "/residents")
    # applicants first; the other grid's is not there
    assert "第一网格" in listing.text and "待审核 1 人" in listing.text
    assert "赵六" in listing.text and "外网格的人" not in listing.text
    assert "✓ ⏳ 待审核 1" in buttons(listing)
    # everyone verified, in pages (the area's chiefs are listed too)
    await h.press(GRID1_CHIEF, listing, "已认证")
    assert "邻居0" in listing.text and "赵六" not in listing.text
    assert "第 1/" in listing.text
    await h.press(GRID1_CHIEF, listing, "下一页")
    assert "第 2/" in listing.text and "邻居0" not in listing.text
    # by building
    await h.press(GRID1_CHIEF, listing, "按楼栋")
    assert "2号楼" in buttons(listing) and "4号楼" not in buttons(listing)
    await h.press(GRID1_CHIEF, listing, "3号楼")
    assert "周大妈" in listing.text and "邻居0" not in listing.text
    # one typed word searches the area (name, @username or building)
    found = await h.ask(GRID1_CHIEF, "邻居1")
    assert "搜索「邻居1」" in found.text and "邻居1" in found.text and "邻居2" not in found.text
    # a card, and back to the list
    await h.press(GRID1_CHIEF, found, "邻居1")
    assert "住址：第一网格 · 1号楼" in found.text and "已认证" in found.text
    assert "设置角色" not in buttons(found)  # only admins set roles
    await h.press(GRID1_CHIEF, found, "返回")
    assert "搜索「邻居1」" in found.text


async def test_approve_and_reject_from_the_list(h: Harness) -> None:
    await _applicant(h, ZHAO, "赵六", "第一网格", "1号楼")
    await _applicant(h, ZHAO + 1, "钱七", "第一网格", "1号楼")
    listing = await h.ask(B1_CHIEF, "/residents")
    assert "待审核 2 人" in listing.text
    pressed = await h.press(B1_CHIEF, listing, "通过")
    assert pressed.alert == "已通过：赵六"
    assert "待审核 1 人" in listing.text and "赵六" not in listing.text
    approved = await h.resident(ZHAO)
    assert approved is not None and approved.status == ResidentStatus.VERIFIED
    told = h.emu.last_message(ZHAO)
    assert told is not None and "审核通过" in told.text
    pressed = await h.press(B1_CHIEF, listing, "拒绝")
    assert pressed.alert == "已拒绝：钱七"
    assert "没有待审核" in listing.text
    rejected = await h.resident(ZHAO + 1)
    assert rejected is not None and rejected.building_id is None
    # the same button again: already handled, nothing changes
    again = await h.press_data(B1_CHIEF, listing, f"rsd:{approved.id}:0:pending:0:0:0")
    assert "已经处理" in again.alert


async def test_residents_in_english_and_forged_buttons(h: Harness) -> None:
    await _applicant(h, ZHAO, "Zhao Liu", "第一网格", "1号楼")
    await _applicant(h, ZHAO + 1, "Qian Qi", "第二网格", "4号楼")
    await set_language(h, B1_CHIEF, "en")
    listing = await h.ask(B1_CHIEF, "/residents")
    assert "1 application is waiting" in listing.text and "Zhao Liu" in listing.text
    assert "By building" not in " ".join(buttons(listing))  # one building only
    outsider = await h.resident(ZHAO + 1)
    assert outsider is not None
    # a card or a decision about someone of another grid, a building outside the area
    for data in (
        f"rso:{outsider.id}:pending:0:0:0",
        f"rsd:{outsider.id}:1:pending:0:0:0",
    ):
        pressed = await h.press_data(B1_CHIEF, listing, data)
        assert "in charge" in pressed.alert or "outside" in pressed.alert.lower(), pressed.alert
    building4 = await h.building("第二网格", "4号楼")
    pressed = await h.press_data(B1_CHIEF, listing, f"rsl:pending:{building4.id}:0:0")
    assert pressed.alert
    pressed = await h.press_data(B1_CHIEF, listing, "rsl:nonsense:0:0:0")
    assert pressed.alert
    kept = await h.resident(ZHAO + 1)
    assert kept is not None and kept.status == ResidentStatus.PENDING
    # a resident cannot list anyone
    await h.add_resident(ZHAO + 5, "第一网格", "1号楼", name="Someone")
    refused = await h.press_data(ZHAO + 5, listing, "rsl:pending:0:0:0")
    assert refused.alert


# --- /bind never takes a group away -----------------------------------------------------------


async def test_a_bound_group_is_not_taken_over(h: Harness) -> None:
    h.emu.add_group(GROUP, "1号楼楼道群", admins=[B1_CHIEF, B4_CHIEF])
    await h.ask(B1_CHIEF, "/bind", chat_id=GROUP)
    building1 = await h.building("第一网格", "1号楼")
    refused = await h.ask(B4_CHIEF, "/bind", chat_id=GROUP)
    assert "已经绑定到 第一网格 · 1号楼" in refused.text and "/unbind" in refused.text
    building4 = await h.building("第二网格", "4号楼")
    forged = await h.press_data(B4_CHIEF, refused, f"bu:building:{building4.id}")
    assert "已经绑定" in forged.alert
    async with h.db() as session:
        binding = await session.get(ChatBinding, 1)
        assert binding is not None and binding.building_id == building1.id and binding.active
    # unbound by its chief, the group may go to 4号楼
    await h.ask(B1_CHIEF, "/unbind", chat_id=GROUP)
    reply = await h.ask(B4_CHIEF, "/bind", chat_id=GROUP)
    assert "4号楼" in reply.text
    async with h.db() as session:
        binding = await session.get(ChatBinding, 1)
        assert binding is not None and binding.building_id == building4.id and binding.active


async def test_typed_ids_are_read_strictly(h: Harness) -> None:
    """Digits `int()` would take or choke on (Arabic-Indic, superscripts, 40 digits) are no
    user id: a clear message, nothing stored, no traceback."""
    for ref in ("١٢٣", "²", "9" * 40, "-5"):
        reply = await h.ask(ADMIN_ID, f"/grant {ref} admin")
        assert "不是用户ID" in reply.text, ref
    assert await h.count(AuditLog, AuditLog.action == "resident.grant") == 0
    assert await h.count(Resident, Resident.role == Role.ADMIN) == 1
