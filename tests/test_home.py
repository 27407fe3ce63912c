"""The home menu (issue 14): buttons instead of commands, the persistent menu button, what
it does in the middle of a flow, chiefs' entries, pending residents, forged entries."""

from __future__ import annotations

from linli.bot.menu import HOME_MENU
from linli.emulator import StoredMessage
from linli.models import Resident, ResidentStatus, Role
from linli.models.complaints import Complaint
from linli.models.wishes import Wish
from tests.support import ADMIN_ID, B1_CHIEF, GRID1_CHIEF, Harness, texts

NEW = 5101
RESIDENT_ENTRIES = ["发心愿", "反映问题", "我的", "积分", "活动", "议事"]
CHIEF_ENTRIES = ["待办", "居民", "通知", "统计"]


def labels(message: StoredMessage) -> list[str]:
    return [text for row in message.buttons for text, _ in row]


def has(message: StoredMessage, label: str) -> bool:
    return any(label in text for text in labels(message))


async def menu_of(h: Harness, user: int, word: str = "🏠 菜单") -> StoredMessage:
    """Press the persistent menu button (it sends its label as text)."""
    replies = await h.send(user, word)
    assert len(replies) == 1, texts(replies)
    return replies[0]


async def test_start_gives_the_persistent_menu_button_and_the_menu(h: Harness) -> None:
    await h.add_resident(NEW, "第一网格", "1号楼", name="张阿姨")
    welcome, menu = await h.send(NEW, "/start")
    assert "欢迎回来" in welcome.text and "菜单" in welcome.text
    keyboard = h.emu.reply_keyboard(NEW)
    assert keyboard is not None and keyboard.get("is_persistent") is True
    assert [[b["text"] for b in row] for row in keyboard["keyboard"]] == [["🏠 菜单"]]
    assert "张阿姨" in menu.text and "/" not in menu.text  # buttons, not a list of commands
    for label in RESIDENT_ENTRIES:
        assert has(menu, label), labels(menu)
    assert not any(has(menu, label) for label in CHIEF_ENTRIES)
    assert all(len(row) <= 2 for row in menu.buttons[:3])  # big buttons for residents
    # the button opens the same menu again, at any time
    again = await menu_of(h, NEW)
    assert labels(again) == labels(menu)


async def test_an_entry_starts_its_flow_and_the_menu_becomes_a_note(h: Harness) -> None:
    await h.add_resident(NEW, "第一网格", "1号楼")
    menu = await menu_of(h, NEW)
    pressed = await h.press(NEW, menu, "发心愿")
    assert not pressed.alert
    assert "微心愿" in texts(pressed.messages)  # the wish flow's first question
    assert menu.text == "🏠 菜单 › 🎁 发心愿" and menu.buttons == []
    # the flow goes on as if /wish had been typed: the one typed message is the content
    category = await h.ask(NEW, "想请人帮忙修一下楼道的灯")
    assert "类别" in category.text and category.buttons
    # another entry from a new menu: the complaint flow (the unfinished wish is left)
    menu = await menu_of(h, NEW)
    assert "没有完成" in menu.text
    pressed = await h.press(NEW, menu, "反映问题")
    assert "诉求类别" in texts(pressed.messages)
    assert await h.count(Wish) == 0 and await h.count(Complaint) == 0


async def test_the_menu_button_in_the_middle_of_a_flow_keeps_the_draft(h: Harness) -> None:
    await h.add_resident(NEW, "第一网格", "1号楼")
    await h.ask(NEW, "/wish")
    # tapping the menu button is not taken as the wish's text
    menu = await menu_of(h, NEW)
    assert "没有完成" in menu.text and "保留" in menu.text
    assert has(menu, "放弃") and has(menu, "发心愿")
    assert "类别" not in menu.text
    # answering the last question goes on with the wish
    category = await h.ask(NEW, "想请人帮忙修一下楼道的灯")
    assert "类别" in category.text
    # "drop" leaves the flow: the next text is no longer the wish's
    menu = await menu_of(h, NEW, "菜单")  # the word typed works too
    pressed = await h.press(NEW, menu, "放弃")
    assert "已放弃" in menu.text and not has(menu, "放弃") and has(menu, "发心愿")
    assert not pressed.alert
    reply = await h.ask(NEW, "想请人帮忙修一下楼道的灯")
    assert "类别" not in reply.text
    assert await h.count(Wish) == 0
    # "drop" pressed again on a menu without it: stale, the menu untouched, nothing dropped
    shown = menu.text
    pressed = await h.press_data(NEW, menu, "hmx")
    assert pressed.alert and pressed.messages == [] and menu.text == shown
    assert reply.has_button("反映问题")  # the question about that text still waits
    await h.press(NEW, reply, "都不是")
    # a menu opened mid-flow whose flow ended meanwhile: "drop" only loses its button
    await h.ask(NEW, "/wish")
    menu = await menu_of(h, NEW)
    await h.ask(NEW, "/cancel")
    pressed = await h.press(NEW, menu, "放弃")
    assert not pressed.alert and not has(menu, "放弃") and has(menu, "发心愿")
    assert "已放弃" not in menu.text


async def test_chiefs_get_their_own_entries(h: Harness) -> None:
    _, menu = await h.send(GRID1_CHIEF, "/start")
    for label in [*RESIDENT_ENTRIES, *CHIEF_ENTRIES, "奖励积分", "发活动"]:
        assert has(menu, label), labels(menu)
    assert not has(menu, "设置角色")  # admins only
    pressed = await h.press(GRID1_CHIEF, menu, "待办")
    assert "待办" in texts(pressed.messages)
    _, menu = await h.send(B1_CHIEF, "/start")
    assert has(menu, "待办") and not has(menu, "奖励积分")  # grid chiefs only
    _, menu = await h.send(ADMIN_ID, "/start")
    assert has(menu, "设置角色")


async def test_forged_and_stale_entries_change_nothing(h: Harness) -> None:
    await h.add_resident(NEW, "第一网格", "1号楼")
    menu = await menu_of(h, NEW)
    for data in ("hm:queue", "hm:grant", "hm:nonsense", "hm:", "hmx:extra"):
        pressed = await h.press_data(NEW, menu, data)
        assert pressed.alert, data
        assert pressed.messages == []
    assert labels(menu)  # the menu is untouched
    # an entry of a role the resident lost: refused, as typing the command would be
    _, chief_menu = await h.send(B1_CHIEF, "/start")
    before = await h.resident(B1_CHIEF)
    assert before is not None
    async with h.db() as session:
        chief = await session.get(Resident, before.id)
        assert chief is not None
        chief.role = Role.RESIDENT
        await session.commit()
    pressed = await h.press(B1_CHIEF, chief_menu, "待办")
    assert pressed.alert and pressed.messages == []
    # a menu entry pressed in a group does nothing there
    group = -100777
    h.emu.add_group(group, "测试群", members=[NEW])
    post = h.emu.push_message(group, NEW, "你好")
    await h.wait_handled(post.update_id)
    stored = h.emu.history(group)[-1]
    pressed = await h.press_data(NEW, stored, "hm:wish")
    assert pressed.alert and h.emu.messages(group) == []


async def test_pending_resident_sees_what_they_can_do_now(h: Harness) -> None:
    h.emu.add_user(NEW, "张三")
    greeting = await h.ask(NEW, "/start")
    await h.press(NEW, greeting, "第一网格")
    await h.press(NEW, greeting, "1号楼")
    resident = await h.resident(NEW)
    assert resident is not None and resident.status == ResidentStatus.PENDING
    status = await h.ask(NEW, "/start")
    assert "审核中" in status.text and "1号楼" in status.text
    assert not any(has(status, label) for label in RESIDENT_ENTRIES)
    for label in ("帮助", "语言", "隐私"):
        assert has(status, label), labels(status)
    assert not has(status, "登记")  # they did that already
    shown = status.buttons
    pressed = await h.press(NEW, status, "帮助")
    assert "/start" in texts(pressed.messages) and "/wish" not in texts(pressed.messages)
    assert (await menu_of(h, NEW, "菜单")).buttons == shown
    # someone who has not registered yet: registering is the first button
    h.emu.add_user(NEW + 1, "李四")
    menu = await menu_of(h, NEW + 1, "菜单")
    assert "还没有登记" in menu.text and labels(menu)[0] == "📝 登记"
    pressed = await h.press(NEW + 1, menu, "登记")
    assert "第一步" in texts(pressed.messages)


async def test_approval_comes_with_a_button_that_opens_the_menu(h: Harness) -> None:
    h.emu.add_user(NEW, "张三")
    greeting = await h.ask(NEW, "/start")
    await h.press(NEW, greeting, "第一网格")
    await h.press(NEW, greeting, "1号楼")
    await h.press(B1_CHIEF, h.emu.last_message(B1_CHIEF), "通过")
    approved = h.emu.last_message(NEW)
    assert approved is not None and "审核通过" in approved.text
    pressed = await h.press(NEW, approved, "打开主菜单")
    assert approved.buttons == []  # the button retired
    welcome, menu = pressed.messages
    assert "欢迎" in welcome.text and h.emu.reply_keyboard(NEW) is not None
    assert has(menu, "发心愿")


async def test_the_menu_in_english(h: Harness) -> None:
    await h.add_resident(NEW, "第一网格", "1号楼", name="Ann", language="en")
    welcome, menu = await h.send(NEW, "/start")
    assert "Welcome back" in welcome.text
    keyboard = h.emu.reply_keyboard(NEW)
    assert keyboard is not None and keyboard["keyboard"][0][0]["text"] == "🏠 Menu"
    for label in ("Make a wish", "Report a problem", "Mine", "Points", "Activities"):
        assert has(menu, label), labels(menu)
    await h.ask(NEW, "/wish")
    menu = await menu_of(h, NEW, "🏠 Menu")
    assert "not finished" in menu.text and has(menu, "Drop")
    pressed = await h.press(NEW, menu, "Points")
    assert pressed.messages and menu.text == "🏠 Menu › ⭐ Points"


async def test_help_is_grouped_by_what_residents_do(h: Harness) -> None:
    await h.add_resident(NEW, "第一网格", "1号楼")
    resident_help = (await h.ask(NEW, "/help")).text
    assert resident_help.index("【邻里互助 · 微心愿】") < resident_help.index("/wish")
    assert resident_help.index("【反映问题 · 诉求】") < resident_help.index("/complain")
    assert "【网格长、楼栋长和管理员】" not in resident_help and "/queue" not in resident_help
    assert "菜单" in resident_help.splitlines()[0]
    chief_help = (await h.ask(GRID1_CHIEF, "/help")).text
    chiefs = chief_help.index("【网格长、楼栋长和管理员】")
    assert chief_help.index("/queue") > chiefs and chief_help.index("/award") > chiefs
    assert chief_help.index("/wish") < chiefs
    await h.add_resident(NEW + 1, "第一网格", "1号楼", language="en")
    english = (await h.ask(NEW + 1, "/help")).text
    assert "— Deliberation —" in english and "/propose" in english


def test_every_entry_has_a_label_in_both_languages() -> None:
    from linli.bot.i18n import Translator

    translator = Translator("zh")
    for entry in HOME_MENU:
        for locale in ("zh", "en"):
            assert entry.label_key in translator.keys(locale), (entry.command, locale)
