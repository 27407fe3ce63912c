"""The resident cache (services/resident_cache.py) through the bot: a resident whose row
changed gets the new state on their very next update, whoever changed it. Each test first
makes sure the resident is cached (so the test fails if the change did not invalidate)."""

from __future__ import annotations

from linli.services.resident_cache import ResidentCache
from tests.support import ADMIN_ID, B1_CHIEF, Harness

NEW = 5031


def _cache(h: Harness) -> ResidentCache:
    assert h.app is not None and h.app.resident_cache is not None
    return h.app.resident_cache


async def _warm(h: Harness, user_id: int, text: str = "/whoami") -> str:
    """Two updates: the first may write (first contact), the second is stored."""
    await h.ask(user_id, text)
    reply = await h.ask(user_id, text)
    assert user_id in _cache(h)
    hits = _cache(h).hits
    again = await h.ask(user_id, text)
    assert _cache(h).hits == hits + 1, "the resident was not served from the cache"
    assert again.text == reply.text
    return reply.text


async def test_approval_reaches_the_next_update(h: Harness) -> None:
    h.emu.add_user(NEW, "张三")
    greeting = await h.ask(NEW, "/start")
    await h.press(NEW, greeting, "第一网格")
    await h.press(NEW, greeting, "1号楼")
    assert "待审核" in await _warm(h, NEW)
    card = h.emu.last_message(B1_CHIEF)
    assert card is not None
    await h.press(B1_CHIEF, card, "通过")
    assert NEW not in _cache(h)
    whoami = (await h.ask(NEW, "/whoami")).text
    assert "已认证" in whoami and "待审核" not in whoami


async def test_granted_role_reaches_the_next_update(h: Harness) -> None:
    await h.add_resident(NEW, "第一网格", "2号楼", name="赵六")
    help_text = await _warm(h, NEW, "/help")
    assert "/residents" not in help_text
    reply = await h.ask(ADMIN_ID, "/grant 5031 building_chief 第一网格/2号楼")
    assert "楼栋长" in reply.text
    assert NEW not in _cache(h)
    assert "/residents" in (await h.ask(NEW, "/help")).text
    assert "楼栋长" in (await h.ask(NEW, "/whoami")).text


async def test_language_switch_reaches_the_next_update(h: Harness) -> None:
    h.emu.add_user(NEW, "John", language_code="en")
    await h.ask(NEW, "/start")
    assert "command" in (await _warm(h, NEW, "/help")).lower()
    menu = await h.ask(NEW, "/lang")
    await h.press(NEW, menu, "中文")
    assert NEW not in _cache(h)
    assert "命令" in (await h.ask(NEW, "/help")).text


async def test_deleted_account_is_a_stranger_on_the_next_update(h: Harness) -> None:
    await h.add_resident(NEW, "第一网格", "1号楼", name="钱七")
    assert "已认证" in await _warm(h, NEW)
    menu = await h.ask(NEW, "/privacy")
    await h.press(NEW, menu, "删除我的账号")
    await h.press(NEW, menu, "永久删除")
    assert "已经删除" in menu.text
    assert NEW not in _cache(h)
    again = await h.ask(NEW, "/start")
    assert "网格" in again.text and again.buttons  # registration starts afresh
    resident = await h.resident(NEW)
    assert resident is not None and not resident.is_deleted and not resident.is_verified
