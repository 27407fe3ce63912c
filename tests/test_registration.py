"""Registration, approval and roles, end to end through the Bot API emulator."""

from __future__ import annotations

from linli.models import AuditLog, Resident, ResidentStatus, Role
from tests.support import ADMIN_ID, B1_CHIEF, B4_CHIEF, GRID1_CHIEF, GRID2_CHIEF, Harness

NEW = 5001


async def _apply(h: Harness, user_id: int, grid: str = "第一网格", building: str = "1号楼"):
    h.emu.add_user(user_id, "张三", username="zhangsan")
    greeting = await h.ask(user_id, "/start")
    assert "网格" in greeting.text
    pressed = await h.press(user_id, greeting, grid)
    assert "楼栋" in greeting.text  # the same message was edited to the building step
    pressed = await h.press(user_id, greeting, building)
    assert building in greeting.text
    return pressed


async def test_new_user_registers_and_building_chief_approves(h: Harness) -> None:
    await _apply(h, NEW)
    resident = await h.resident(NEW)
    assert resident is not None and resident.status == ResidentStatus.PENDING
    # both the building chief and the grid chief got a card with buttons
    card = h.emu.last_message(B1_CHIEF)
    assert card is not None and "张三" in card.text
    assert h.emu.last_message(GRID1_CHIEF) is not None
    assert h.emu.last_message(GRID2_CHIEF) is None  # another grid is not asked

    await h.press(B1_CHIEF, card, "通过")
    resident = await h.resident(NEW)
    assert resident is not None and resident.status == ResidentStatus.VERIFIED
    assert "审核通过" in h.emu.last_message(NEW).text
    assert "已通过" in card.text
    assert await h.count(AuditLog, AuditLog.action == "resident.approve") == 1

    # the grid chief's card is now stale: pressing it changes nothing
    grid_card = h.emu.last_message(GRID1_CHIEF)
    pressed = await h.press(GRID1_CHIEF, grid_card, "拒绝")
    assert "已经处理" in pressed.alert
    resident = await h.resident(NEW)
    assert resident is not None and resident.status == ResidentStatus.VERIFIED


async def test_rejected_resident_is_told_and_can_apply_again(h: Harness) -> None:
    await _apply(h, NEW)
    card = h.emu.last_message(B1_CHIEF)
    await h.press(B1_CHIEF, card, "拒绝")
    resident = await h.resident(NEW)
    assert resident is not None and resident.building_id is None
    assert "未通过" in h.emu.last_message(NEW).text
    again = await h.ask(NEW, "/start")
    assert "网格" in again.text and again.buttons


async def test_registering_twice_shows_current_status(h: Harness) -> None:
    await _apply(h, NEW)
    reply = await h.ask(NEW, "/start")
    assert "审核中" in reply.text and "1号楼" in reply.text
    assert await h.count(Resident, Resident.telegram_id == NEW) == 1


async def test_text_where_a_button_was_expected_reprompts(h: Harness) -> None:
    h.emu.add_user(NEW, "张三")
    await h.ask(NEW, "/start")
    reply = await h.ask(NEW, "我住在1号楼")
    assert "按钮" in reply.text
    sticker = await h.ask(NEW, sticker=True)
    assert "按钮" in sticker.text
    resident = await h.resident(NEW)
    assert resident is not None and resident.building_id is None


async def test_grid_chief_cannot_approve_other_grid_even_with_forged_button(h: Harness) -> None:
    await _apply(h, NEW, "第二网格", "4号楼")
    resident = await h.resident(NEW)
    assert resident is not None
    # A chief of grid 1 forges the approve button of a grid-2 applicant.
    h.emu.add_user(GRID1_CHIEF, "王秀英")
    own = await h.ask(GRID1_CHIEF, "/help")
    pressed = await h.press_data(GRID1_CHIEF, own, f"rv:{resident.id}:1")
    assert "范围" in pressed.alert
    resident = await h.resident(NEW)
    assert resident is not None and resident.status == ResidentStatus.PENDING
    # and a building chief of another building cannot either
    pressed = await h.press_data(B1_CHIEF, own, f"rv:{resident.id}:1")
    assert "范围" in pressed.alert
    # the right building chief can
    card = h.emu.last_message(B4_CHIEF)
    await h.press(B4_CHIEF, card, "通过")
    resident = await h.resident(NEW)
    assert resident is not None and resident.status == ResidentStatus.VERIFIED


async def test_forged_and_malformed_buttons_are_refused(h: Harness) -> None:
    await _apply(h, NEW)
    resident = await h.resident(NEW)
    assert resident is not None
    msg = h.emu.last_message(NEW)
    # the applicant approves themself
    pressed = await h.press_data(NEW, msg, f"rv:{resident.id}:1")
    assert pressed.alert
    # garbage and unknown prefixes
    for data in ("rv:abc:1", "zz:1", "rv:999999:1", ""):
        pressed = await h.press_data(B1_CHIEF, msg, data or "x")
        assert pressed.alert
    resident = await h.resident(NEW)
    assert resident is not None and resident.status == ResidentStatus.PENDING


async def test_pending_resident_can_only_use_basic_commands(h: Harness) -> None:
    await _apply(h, NEW)
    for command in ("/help", "/whoami", "/lang"):
        reply = await h.ask(NEW, command)
        assert "认证" not in reply.text or command == "/help"
    refused = await h.ask(NEW, "/residents")
    assert "认证" in refused.text
    help_text = (await h.ask(NEW, "/help")).text
    assert "/residents" not in help_text and "/grant" not in help_text
    assert "/start" in help_text


async def test_unknown_command_hints_at_help(h: Harness) -> None:
    h.emu.add_user(NEW, "张三")
    reply = await h.ask(NEW, "/frobnicate")
    assert "/help" in reply.text


async def test_residents_lists_pending_in_chiefs_area_only(h: Harness) -> None:
    await _apply(h, NEW)
    await _apply(h, NEW + 1, "第二网格", "4号楼")
    replies = await h.send(GRID1_CHIEF, "/residents")
    joined = "\n".join(m.text for m in replies)
    assert "1号楼" in joined and "4号楼" not in joined
    card = replies[-1]
    await h.press(GRID1_CHIEF, card, "通过")
    resident = await h.resident(NEW)
    assert resident is not None and resident.status == ResidentStatus.VERIFIED
    assert "没有待审核" in (await h.ask(GRID1_CHIEF, "/residents")).text


async def test_resident_cannot_use_chief_commands(h: Harness) -> None:
    await h.add_resident(NEW, "第一网格", "2号楼")
    reply = await h.ask(NEW, "/residents")
    assert "网格长" in reply.text
    reply = await h.ask(NEW, "/grant 5002 admin")
    assert "网格长" in reply.text or "管理员" in reply.text
    assert await h.count(AuditLog, AuditLog.action == "resident.grant") == 0


async def test_admin_grants_roles(h: Harness) -> None:
    await h.add_resident(NEW, "第一网格", "2号楼", name="赵六")
    reply = await h.ask(ADMIN_ID, "/grant 5001 building_chief 第一网格/2号楼")
    assert "楼栋长" in reply.text
    resident = await h.resident(NEW)
    assert resident is not None and resident.role == Role.BUILDING_CHIEF
    assert "楼栋长" in h.emu.last_message(NEW).text
    menus = [
        r.params
        for r in h.emu.requests
        if r.method.lower() == "setmycommands"
        and (r.params.get("scope") or {}).get("chat_id") == NEW
    ]
    assert menus and "residents" in [c["command"] for c in menus[-1]["commands"]]
    reply = await h.ask(ADMIN_ID, "/grant 5001 grid_chief 不存在的网格")
    assert "没有找到" in reply.text
    reply = await h.ask(ADMIN_ID, "/grant 5001 mayor")
    assert "mayor" in reply.text
    reply = await h.ask(ADMIN_ID, "/grant")
    assert "/grant" in reply.text
    resident = await h.resident(NEW)
    assert resident is not None and resident.role == Role.BUILDING_CHIEF
    assert await h.count(AuditLog, AuditLog.action == "resident.grant") == 1


async def test_chief_cannot_grant(h: Harness) -> None:
    reply = await h.ask(GRID1_CHIEF, "/grant 900002 resident")
    assert "管理员" in reply.text or "网格长" in reply.text
    chief = await h.resident(GRID2_CHIEF)
    assert chief is not None and chief.role == Role.GRID_CHIEF


async def test_language_follows_telegram_and_lang_switches(h: Harness) -> None:
    h.emu.add_user(NEW, "John", language_code="en")
    reply = await h.ask(NEW, "/start")
    assert "grid" in reply.text
    menu = await h.ask(NEW, "/lang")
    await h.press(NEW, menu, "中文")
    assert "中文" in menu.text
    resident = await h.resident(NEW)
    assert resident is not None and resident.language == "zh"
    reply = await h.ask(NEW, "/help")
    assert "命令" in reply.text


async def test_cancel_leaves_the_flow(h: Harness) -> None:
    h.emu.add_user(NEW, "张三")
    await h.ask(NEW, "/start")
    assert "取消" in (await h.ask(NEW, "/cancel")).text
    assert "没有" in (await h.ask(NEW, "/cancel")).text
    reply = await h.ask(NEW, "hello")
    assert "/help" in reply.text


async def test_admin_from_config_is_verified_admin(h: Harness) -> None:
    reply = await h.ask(ADMIN_ID, "/whoami")
    assert "社区管理员" in reply.text and "已认证" in reply.text
    help_text = (await h.ask(ADMIN_ID, "/help")).text
    assert "/grant" in help_text and "/residents" in help_text
