"""The charity shop: redeeming, hand-over, cancellation, expiry, the catalogue flow, bad
input and correctness under concurrent load."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from linli.config import Settings
from linli.models import Resident
from linli.models.points import LedgerEntry, LedgerKind, Redemption, RedemptionState, RewardItem
from linli.services import rewards
from linli.services.ledger import NotEnoughPoints
from tests.support import ADMIN_ID, GRID1_CHIEF, GRID2_CHIEF, Harness
from tests.support_points import (
    add_item,
    assert_ledger_consistent,
    balance_of,
    bulk_residents,
    credit,
)

ALICE = 5101
RACE_GROUP = -100300


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Let one resident tap 20 times within a second (the flood limit is tested elsewhere),
    and let 200 updates at once share Redis (redis-py's pool stops at 100 connections by
    default; bot/app.py does not raise it yet)."""
    update: dict[str, object] = {"throttle_rate": 1000}
    if settings.redis_url:
        sep = "&" if "?" in settings.redis_url else "?"
        update["redis_url"] = f"{settings.redis_url}{sep}max_connections=1000"
    return settings.model_copy(update=update)


async def _stock(h: Harness, item_id: int) -> int:
    async with h.db() as session:
        item = await session.get(RewardItem, item_id)
        assert item is not None
        return item.stock


async def _open_confirm(h: Harness, user: int, item_name: str):
    shop = await h.ask(user, "/rewards")
    await h.press(user, shop, item_name)
    card = h.emu.last_message(user)
    assert card is not None and item_name in card.text
    pressed = await h.press(user, card, "兑换")
    assert not pressed.alert, pressed.alert
    confirm = h.emu.last_message(user)
    assert confirm is not None and "确认" in confirm.text
    return confirm


async def test_redeem_hand_over(h: Harness) -> None:
    await h.add_resident(ALICE, "第一网格", "1号楼", name="张三")
    await credit(h, ALICE, 30)
    item_id = await add_item(h, "大米一袋", cost=10, stock=5)
    confirm = await _open_confirm(h, ALICE, "大米一袋")
    data = confirm.button("确认")
    await h.press_data(ALICE, confirm, data)
    assert "兑换成功" in confirm.text and "R1" in confirm.text
    assert await _stock(h, item_id) == 4
    assert await balance_of(h, ALICE) == (20, 20)
    async with h.db() as session:
        redemption = await session.get(Redemption, 1)
        assert redemption is not None and redemption.state == RedemptionState.RESERVED
        code = redemption.pickup_code
    assert code in confirm.text
    # a second tap on the same confirmation changes nothing
    again = await h.press_data(ALICE, confirm, data)
    assert "已经兑换过" in again.alert
    assert await h.count(Redemption) == 1
    # the grid chief of another grid cannot see it; the right one hands it over
    refused = await h.ask(GRID2_CHIEF, "/rewards R1")
    assert "范围" in refused.text
    card = await h.ask(GRID1_CHIEF, "/rewards R1")
    assert code in card.text
    await h.press(GRID1_CHIEF, card, "已领取")
    assert "已领取" in card.text
    assert "已领取" in h.emu.last_message(ALICE).text
    async with h.db() as session:
        redemption = await session.get(Redemption, 1)
        assert redemption is not None and redemption.state == RedemptionState.HANDED_OVER
    # handing over twice is refused
    pressed = await h.press_data(GRID1_CHIEF, card, "rd:1:hand")
    assert "处理过" in pressed.alert
    assert await balance_of(h, ALICE) == (20, 20)
    await assert_ledger_consistent(h)


async def test_cancel_refunds_and_restocks(h: Harness) -> None:
    await h.add_resident(ALICE, "第一网格", "1号楼")
    await credit(h, ALICE, 10)
    item_id = await add_item(h, "肥皂", cost=10, stock=1)
    confirm = await _open_confirm(h, ALICE, "肥皂")
    await h.press(ALICE, confirm, "确认")
    assert await _stock(h, item_id) == 0
    assert await balance_of(h, ALICE) == (0, 0)
    card = await h.ask(ALICE, "/rewards R1")
    await h.press(ALICE, card, "取消兑换")
    assert "已取消" in card.text
    assert await _stock(h, item_id) == 1
    assert await balance_of(h, ALICE) == (10, 10)
    assert await h.count(LedgerEntry, LedgerEntry.kind == LedgerKind.REFUND) == 1
    pressed = await h.press_data(ALICE, card, "rd:1:cancel")
    assert pressed.alert
    assert await h.count(LedgerEntry, LedgerEntry.kind == LedgerKind.REFUND) == 1
    await assert_ledger_consistent(h)


async def test_unclaimed_redemption_expires_once(h: Harness) -> None:
    await h.add_resident(ALICE, "第一网格", "1号楼")
    await credit(h, ALICE, 10)
    item_id = await add_item(h, "毛巾", cost=10, stock=1)
    confirm = await _open_confirm(h, ALICE, "毛巾")
    await h.press(ALICE, confirm, "确认")
    assert await h.run_job("points.expire_redemptions") == 0
    later = datetime.now(UTC) + timedelta(days=h.settings.points.redemption_days, hours=1)
    assert await h.run_job("points.expire_redemptions", now=later) == 1
    assert await h.run_job("points.expire_redemptions", now=later) == 0
    assert "退回" in h.emu.last_message(ALICE).text
    assert await _stock(h, item_id) == 1
    assert await balance_of(h, ALICE) == (10, 10)
    async with h.db() as session:
        redemption = await session.get(Redemption, 1)
        assert redemption is not None and redemption.state == RedemptionState.EXPIRED
    await assert_ledger_consistent(h)


async def test_too_few_points_inactive_and_out_of_stock(h: Harness) -> None:
    await h.add_resident(ALICE, "第一网格", "1号楼")
    await credit(h, ALICE, 5)
    dear = await add_item(h, "电饭煲", cost=50, stock=3)
    gone = await add_item(h, "雨伞", cost=1, stock=0)
    hidden = await add_item(h, "旧货", cost=1, stock=3, active=False)
    shop = await h.ask(ALICE, "/rewards")
    assert "旧货" not in str(shop.buttons)
    await h.press(ALICE, shop, "电饭煲")
    card = h.emu.last_message(ALICE)
    pressed = await h.press(ALICE, card, "兑换")
    assert "积分不够" in pressed.alert
    # forged confirmations go through the transaction and are refused there too
    pressed = await h.press_data(ALICE, card, f"rc:{dear}:abcd1234")
    assert "积分不够" in pressed.alert
    pressed = await h.press_data(ALICE, card, f"rc:{gone}:abcd1234")
    assert "兑换完" in pressed.alert
    pressed = await h.press_data(ALICE, card, f"rc:{hidden}:abcd1234")
    assert "下架" in pressed.alert
    pressed = await h.press_data(ALICE, card, "rc:99999:abcd1234")
    assert pressed.alert
    assert await h.count(Redemption) == 0
    assert await h.count(LedgerEntry, LedgerEntry.kind == LedgerKind.REDEMPTION) == 0
    assert await _stock(h, dear) == 3
    assert await balance_of(h, ALICE) == (5, 5)


async def test_catalogue_flow_by_grid_chief(h: Harness) -> None:
    await h.add_resident(ALICE, "第一网格", "1号楼")
    # residents have no admin buttons, and a forged one is refused
    shop = await h.ask(ALICE, "/rewards")
    assert not shop.has_button("上架")
    pressed = await h.press_data(ALICE, shop, "ra:new")
    assert pressed.alert
    shop = await h.ask(GRID1_CHIEF, "/rewards")
    await h.press(GRID1_CHIEF, shop, "上架新商品")
    await h.ask(GRID1_CHIEF, "洗衣液")
    ask_photo = await h.ask(GRID1_CHIEF, "一瓶 2 升")
    assert "照片" in ask_photo.text
    again = await h.ask(GRID1_CHIEF, sticker=True)
    assert "照片" in again.text  # wrong content: asked again, the draft kept
    await h.ask(GRID1_CHIEF, photo=True)
    bad = await h.send(GRID1_CHIEF, "很多")
    assert "「很多」不是有效的数字" in bad[0].text and "1 到 100,000" in bad[0].text
    await h.ask(GRID1_CHIEF, "20")
    preview = await h.ask(GRID1_CHIEF, "3")
    assert "洗衣液" in preview.text and "20" in preview.text
    assert await h.count(RewardItem) == 0
    await h.press(GRID1_CHIEF, preview, "确认")
    async with h.db() as session:
        item = await session.scalar(select(RewardItem))
        assert item is not None
        assert (item.name, item.cost, item.stock, item.active) == ("洗衣液", 20, 3, True)
        assert item.photo_file_id
    # restock and withdraw from the item card
    shop = await h.ask(GRID1_CHIEF, "/rewards")
    await h.press(GRID1_CHIEF, shop, "洗衣液")
    card = h.emu.last_message(GRID1_CHIEF)
    assert card.photo
    await h.press(GRID1_CHIEF, card, "+5")
    assert await _stock(h, item.id) == 8
    await h.press(GRID1_CHIEF, card, "下架")
    shop = await h.ask(ALICE, "/rewards")
    assert "洗衣液" not in str(shop.buttons)


async def _confirm_messages(h: Harness, users: list[int]) -> dict[int, object]:
    """A bot message in each user's chat to press a button on (sent straight through the
    Bot API, not by making each user talk to the bot)."""
    assert h.app is not None
    await asyncio.gather(*(h.app.bot.send_message(uid, "…") for uid in users))
    return {uid: h.emu.last_message(uid) for uid in users}


async def _shared_message(h: Harness, users: list[int]) -> object:
    """One bot message in a group of `users`, for many people to press at once (one send
    instead of one per user keeps the test fast under the bot's send-rate limit)."""
    assert h.app is not None
    h.emu.add_group(RACE_GROUP, "抢兑群", members=users)
    await h.app.bot.send_message(RACE_GROUP, "…")
    return h.emu.last_message(RACE_GROUP)


async def test_200_residents_race_for_5_items(h: Harness) -> None:
    users = await bulk_residents(h, 700_000, 200, "第一网格", "2号楼", points=50)
    item_id = await add_item(h, "中秋月饼", cost=10, stock=5)
    message = await _shared_message(h, users)
    updates = [h.emu.push_callback(uid, message, f"rc:{item_id}:t{uid}") for uid in users]
    await asyncio.gather(*(h.wait_handled(u.update_id, seconds=60) for u in updates))
    assert await h.count(Redemption) == 5
    assert await _stock(h, item_id) == 0
    alerts = [h.emu.callback_answers[u.callback_query.id].get("text", "") for u in updates]
    assert sum("兑换完" in (a or "") for a in alerts) == 195
    assert await h.count(LedgerEntry, LedgerEntry.kind == LedgerKind.REDEMPTION) == 5
    await assert_ledger_consistent(h)


async def test_twenty_taps_make_one_redemption(h: Harness) -> None:
    await h.add_resident(ALICE, "第一网格", "1号楼")
    await credit(h, ALICE, 100)
    item_id = await add_item(h, "食用油", cost=10, stock=5)
    confirm = await _open_confirm(h, ALICE, "食用油")
    data = confirm.button("确认")
    updates = [h.emu.push_callback(ALICE, confirm, data) for _ in range(20)]
    await asyncio.gather(*(h.wait_handled(u.update_id) for u in updates))
    assert await h.count(Redemption) == 1
    assert await _stock(h, item_id) == 4
    assert await balance_of(h, ALICE) == (90, 90)
    await assert_ledger_consistent(h)


async def test_two_items_with_points_for_one(h: Harness) -> None:
    await h.add_resident(ALICE, "第一网格", "1号楼")
    await credit(h, ALICE, 10)
    first = await add_item(h, "牙膏", cost=8, stock=5)
    second = await add_item(h, "牙刷", cost=8, stock=5)
    [message] = (await _confirm_messages(h, [ALICE])).values()
    updates = [
        h.emu.push_callback(ALICE, message, f"rc:{first}:aa11"),
        h.emu.push_callback(ALICE, message, f"rc:{second}:bb22"),
    ]
    await asyncio.gather(*(h.wait_handled(u.update_id) for u in updates))
    assert await h.count(Redemption) == 1
    alerts = [h.emu.callback_answers[u.callback_query.id].get("text") or "" for u in updates]
    assert sum("积分不够" in a for a in alerts) == 1
    assert await balance_of(h, ALICE) == (2, 2)
    assert await _stock(h, first) + await _stock(h, second) == 9
    await assert_ledger_consistent(h)


async def test_service_level_race_never_goes_below_zero(h: Harness) -> None:
    """The same race without the bot's per-user event isolation: separate sessions."""
    await h.add_resident(ALICE, "第一网格", "1号楼")
    await credit(h, ALICE, 10)
    items = [await add_item(h, f"物品{i}", cost=8, stock=5) for i in range(4)]
    async with h.db() as session:
        resident = await session.scalar(select(Resident).where(Resident.telegram_id == ALICE))
    assert resident is not None

    async def attempt(item_id: int, token: str) -> str:
        async with h.db() as session:
            try:
                await rewards.redeem(
                    session, resident, item_id, token, now=datetime.now(UTC), days=14
                )
            except NotEnoughPoints:
                return "poor"
            return "ok"

    results = await asyncio.gather(
        *(attempt(item_id, f"x{n}") for n, item_id in enumerate(items * 2))
    )
    assert results.count("ok") == 1
    assert await balance_of(h, ALICE) == (2, 2)
    assert await h.count(Redemption) == 1
    await assert_ledger_consistent(h)


async def test_admin_sees_pending_pickups(h: Harness) -> None:
    await h.add_resident(ALICE, "第一网格", "1号楼", name="张三")
    await credit(h, ALICE, 10)
    await add_item(h, "挂面", cost=10, stock=1)
    confirm = await _open_confirm(h, ALICE, "挂面")
    await h.press(ALICE, confirm, "确认")
    shop = await h.ask(ADMIN_ID, "/rewards")
    replies = (await h.press(ADMIN_ID, shop, "待领取")).messages
    assert any("张三" in (m.text or "") for m in replies)
    card = replies[-1]
    await h.press(ADMIN_ID, card, "已领取")
    assert "已领取" in card.text
