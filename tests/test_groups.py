"""Group chats: binding, unbinding, the bot leaving, public and private-only commands."""

from __future__ import annotations

from linli.models import ChatBinding
from tests.support import B1_CHIEF, GRID1_CHIEF, Harness

GROUP = -100100
NEW = 5001


async def test_building_chief_binds_own_building(h: Harness) -> None:
    h.emu.add_group(GROUP, "1号楼楼道群", admins=[B1_CHIEF])
    reply = await h.ask(B1_CHIEF, "/bind", chat_id=GROUP)
    assert "1号楼" in reply.text
    building = await h.building("第一网格", "1号楼")
    async with h.db() as session:
        binding = await session.get(ChatBinding, 1)
        assert binding is not None and binding.building_id == building.id and binding.active


async def test_grid_chief_is_asked_which_unit(h: Harness) -> None:
    h.emu.add_group(GROUP, "第一网格群", admins=[GRID1_CHIEF])
    question = await h.ask(GRID1_CHIEF, "/bind", chat_id=GROUP)
    labels = [text for row in question.buttons for text, _ in row]
    assert any("第一网格" in label for label in labels)
    assert not any("第二网格" in label for label in labels)
    # another member who is not a chief cannot press it
    await h.add_resident(NEW, "第一网格", "1号楼")
    pressed = await h.press(NEW, question, "网格: 第一网格")
    assert pressed.alert
    assert await h.count(ChatBinding) == 0
    await h.press(GRID1_CHIEF, question, "网格: 第一网格")
    assert "已绑定" in question.text
    assert await h.count(ChatBinding, ChatBinding.grid_id.is_not(None)) == 1


async def test_bind_refused_for_non_admin_of_group(h: Harness) -> None:
    h.emu.add_group(GROUP, "1号楼楼道群", members=[B1_CHIEF])
    reply = await h.ask(B1_CHIEF, "/bind", chat_id=GROUP)
    assert "管理员" in reply.text
    assert await h.count(ChatBinding) == 0


async def test_bind_refused_for_resident(h: Harness) -> None:
    await h.add_resident(NEW, "第一网格", "1号楼")
    h.emu.add_group(GROUP, "1号楼楼道群", admins=[NEW])
    reply = await h.ask(NEW, "/bind", chat_id=GROUP)
    assert "网格长" in reply.text
    assert await h.count(ChatBinding) == 0


async def test_forged_bind_button_for_other_grid_is_refused(h: Harness) -> None:
    h.emu.add_group(GROUP, "第一网格群", admins=[GRID1_CHIEF])
    question = await h.ask(GRID1_CHIEF, "/bind", chat_id=GROUP)
    grid2 = await h.building("第二网格", "4号楼")
    pressed = await h.press_data(GRID1_CHIEF, question, f"bu:building:{grid2.id}")
    assert "范围" in pressed.alert
    assert await h.count(ChatBinding) == 0


async def test_unbind_and_bot_removed(h: Harness) -> None:
    h.emu.add_group(GROUP, "1号楼楼道群", admins=[B1_CHIEF])
    await h.ask(B1_CHIEF, "/bind", chat_id=GROUP)
    reply = await h.ask(B1_CHIEF, "/unbind", chat_id=GROUP)
    assert "解除" in reply.text
    assert await h.count(ChatBinding, ChatBinding.active) == 0
    await h.ask(B1_CHIEF, "/bind", chat_id=GROUP)
    assert await h.count(ChatBinding, ChatBinding.active) == 1
    update = h.emu.push_my_chat_member(GROUP, B1_CHIEF, "left")
    await h.wait_handled(update.update_id)
    assert await h.count(ChatBinding, ChatBinding.active) == 0
    assert await h.count(ChatBinding) == 1


async def test_private_only_command_in_group_gets_deep_link(h: Harness) -> None:
    h.emu.add_group(GROUP, "1号楼楼道群", admins=[B1_CHIEF])
    await h.ask(B1_CHIEF, "/bind", chat_id=GROUP)
    await h.add_resident(NEW, "第一网格", "1号楼")
    reply = await h.ask(NEW, "/lang", chat_id=GROUP)
    [[(_, url)]] = reply.buttons
    assert url.endswith("?start=lang")
    # following the link opens the flow in private
    private = await h.ask(NEW, "/start lang")
    assert "语言" in private.text


async def test_complain_in_group_gets_deep_link_and_stores_nothing(h: Harness) -> None:
    h.emu.add_group(GROUP, "1号楼楼道群", admins=[B1_CHIEF])
    await h.ask(B1_CHIEF, "/bind", chat_id=GROUP)
    await h.add_resident(NEW, "第一网格", "1号楼")
    from linli.handlers import all_commands

    if not any(spec.name == "complain" for spec in all_commands()):
        # Until complaints exist the command is unknown: the bot stays quiet in groups.
        assert await h.send(NEW, "/complain", chat_id=GROUP) == []
        return
    reply = await h.ask(NEW, "/complain", chat_id=GROUP)
    [[(_, url)]] = reply.buttons
    assert url.endswith("?start=complain")


async def test_public_commands_in_bound_group(h: Harness) -> None:
    h.emu.add_group(GROUP, "1号楼楼道群", admins=[B1_CHIEF])
    await h.ask(B1_CHIEF, "/bind", chat_id=GROUP)
    await h.add_resident(NEW, "第一网格", "1号楼", name="赵六")
    reply = await h.ask(NEW, "/help", chat_id=GROUP)
    assert "/help" in reply.text and "/grant" not in reply.text
    reply = await h.ask(NEW, "/whoami@linli_test_bot", chat_id=GROUP)
    assert "赵六" in reply.text and "Telegram ID" not in reply.text


async def test_unbound_group_gets_hint_and_chatter_is_ignored(h: Harness) -> None:
    h.emu.add_group(GROUP, "随便聊聊", admins=[B1_CHIEF])
    await h.add_resident(NEW, "第一网格", "1号楼")
    reply = await h.ask(NEW, "/help", chat_id=GROUP)
    assert "/bind" in reply.text
    assert await h.send(NEW, "大家好,今天天气不错", chat_id=GROUP) == []
    assert await h.send(NEW, "/help@some_other_bot", chat_id=GROUP) == []
    assert await h.send(NEW, "/nonsense", chat_id=GROUP) == []
