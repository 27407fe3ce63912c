"""Mobile grid members through the bot (移动网格员, 随手拍): a grid chief invites a rider with a
single-use link; the rider snaps a hazard, sends a location that finds the nearest building
(coordinates from the structure CSV) and reports anonymously; the request reaches the grid
chief without the rider's name; once accepted the rider earns points, once, within the
monthly limit. Riders file only hazard reports, only in their grid; chiefs manage only their
own grid's riders."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from linli.config import Settings
from linli.config.partners import PartnersSettings
from linli.models.complaints import Complaint, ComplaintCategory
from linli.models.partners import HazardReport, HazardState, MobileMember, MobileState
from linli.models.points import LedgerEntry
from linli.services import complaints, residents
from linli.services.structure import import_structure, parse_structure_csv
from tests.support import GRID1_CHIEF, GRID2_CHIEF, Harness, texts
from tests.support_partners import open_section, payload, press_last

RIDER = 7401
COURIER = 7402
NEIGHBOUR = 7403  # 第一网格 · 1号楼

COORDINATES = """community,grid,building,lat,lon
阳光社区,第一网格,1号楼,31.23000,121.47000
阳光社区,第一网格,2号楼,31.23100,121.47100
阳光社区,第二网格,4号楼,31.24000,121.48000
"""


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={"partners": PartnersSettings(hazard_points=5, hazard_monthly_max=8, _env_file=None)}
    )


async def invite_rider(h: Harness, chief: int = GRID1_CHIEF) -> str:
    section = await open_section(h, chief, "移动网格员")
    await h.press(chief, section, "邀请移动网格员")
    link = await press_last(h, chief, "外卖骑手")
    return payload(link)


async def snap(
    h: Harness, uid: int, *, location: tuple[float, float] | None, anonymous: bool
) -> None:
    await h.ask(uid, "/snap")
    place = await h.ask(uid, photo=True)
    assert "在哪里" in (place.text or "")
    if location is not None:
        await h.send(uid, location=location)
    else:
        await h.press(uid, place, "1号楼")
    await press_last(h, uid, "不补充")
    preview = await press_last(h, uid, "匿名上报" if anonymous else "显示我的名字")
    await h.press(uid, preview, "上报")


async def test_a_riders_anonymous_report_is_routed_by_location(h: Harness) -> None:
    async with h.db() as session:
        await import_structure(session, parse_structure_csv(COORDINATES))
    h.emu.add_user(RIDER, "骑手小马")
    invite = await invite_rider(h)
    welcome = await h.send(RIDER, f"/start {invite}")
    assert "移动网格员" in texts(welcome) and "随手拍" in str(welcome[-1].buttons)
    rider = await h.resident(RIDER)
    assert rider is not None and rider.is_verified and rider.building_id is None
    # the link worked once
    h.emu.add_user(COURIER, "快递小刘")
    assert "失效" in texts(await h.send(COURIER, f"/start {invite}"))
    # a rider files hazard reports, and nothing meant for residents
    assert "还没有通过认证" in texts(await h.send(RIDER, "/complain"))

    # a location near 2号楼 finds it; the report goes to the grid chief, without the name
    await snap(h, RIDER, location=(31.23105, 121.47102), anonymous=True)
    async with h.db() as session:
        complaint = await session.get(Complaint, 1)
        assert complaint is not None
        assert complaint.category == ComplaintCategory.SAFETY and complaint.anonymous
        assert complaint.photo_file_ids and complaint.latitude is not None
        two = (await session.execute(select(Complaint.building_id))).scalar_one()
    # the card, then its map pin naming the building (casework's pins)
    *_, card, pin = h.emu.messages(GRID1_CHIEF)
    assert "C1" in (card.text or "") and "2号楼" in (card.text or "")
    assert "骑手小马" not in (card.text or "")
    assert pin.content_type == "location" and pin.has_button("2号楼")
    assert "骑手小马" not in str(pin.buttons)
    assert "C1" in texts(h.emu.messages(RIDER)[-1:])

    # accepted by the chief: 5 points, once
    async with h.db() as session:
        chief = await residents.get_by_telegram_id(session, GRID1_CHIEF)
        await complaints.accept(session, chief, 1, datetime.now(UTC))  # type: ignore[arg-type]
    assert await h.run_job("partners.hazard_points") == 1
    assert await h.run_job("partners.hazard_points") == 0
    assert await h.count(LedgerEntry, LedgerEntry.delta == 5) == 1
    assert "获得 5 志愿积分" in (h.emu.last_message(RIDER).text or "")  # type: ignore[union-attr]

    # the monthly limit (8): the next report earns 3, the one after none
    for _ in range(2):
        await snap(h, RIDER, location=None, anonymous=False)
    async with h.db() as session:
        chief = await residents.get_by_telegram_id(session, GRID1_CHIEF)
        for complaint_id in (2, 3):
            await complaints.accept(session, chief, complaint_id, datetime.now(UTC))  # type: ignore[arg-type]
    await h.run_job("partners.hazard_points")
    async with h.db() as session:
        states = [
            (r.state, r.points)
            for r in (await session.scalars(select(HazardReport).order_by(HazardReport.id))).all()
        ]
    assert states == [
        (HazardState.CREDITED, 5),
        (HazardState.CREDITED, 3),
        (HazardState.CAPPED, 0),
    ]
    assert two == 2


async def test_riders_stay_in_their_grid_and_chiefs_manage_their_own(h: Harness) -> None:
    async with h.db() as session:
        await import_structure(session, parse_structure_csv(COORDINATES))
    h.emu.add_user(RIDER, "骑手小马")
    await h.send(RIDER, f"/start {await invite_rider(h)}")
    # a location near 4号楼 (第二网格) finds no building of the rider's grid
    await h.ask(RIDER, "/snap")
    place = await h.ask(RIDER, photo=True)
    no = await h.ask(RIDER, location=(31.24001, 121.48001))
    assert "没有登记了坐标的楼栋" in (no.text or "")
    assert "4号楼" not in str(place.buttons)
    assert "按钮已经失效" in (await h.press_data(RIDER, place, "uz:building:4")).alert
    assert await h.count(Complaint) == 0
    # a resident is no mobile grid member
    await h.add_resident(NEIGHBOUR, "第一网格", "1号楼")
    assert "只有移动网格员" in texts(await h.send(NEIGHBOUR, "/snap"))
    assert "随手拍" not in str((await h.ask(NEIGHBOUR, "/partners")).buttons)
    # the other grid's chief neither sees nor removes the rider
    section = await open_section(h, GRID2_CHIEF, "移动网格员")
    assert "骑手小马" not in str(section.buttons)
    assert (await h.press_data(GRID2_CHIEF, section, "ub:1:removed")).alert
    # the grid chief takes the rider off: pending again, the menu gone
    section = await open_section(h, GRID1_CHIEF, "移动网格员")
    await h.press(GRID1_CHIEF, section, "骑手小马")
    await h.press(GRID1_CHIEF, h.emu.message(section.chat_id, section.message_id), "确认移出")
    async with h.db() as session:
        mobile = await session.get(MobileMember, 1)
        assert mobile is not None and mobile.state == MobileState.REMOVED
    rider = await h.resident(RIDER)
    assert rider is not None and not rider.is_verified


async def test_an_english_rider_reports_with_a_building_button(h: Harness) -> None:
    h.emu.add_user(RIDER, "Rider Ma", language_code="en")
    welcome = await h.send(RIDER, f"/start {await invite_rider(h)}")
    assert "Welcome, mobile grid member!" in texts(welcome)
    menu = await h.ask(RIDER, "/partners")
    await h.press(RIDER, menu, "Snap and report")
    wrong = await h.ask(RIDER, "a manhole cover is loose")
    assert "Please send a photo" in (wrong.text or "")
    place = await h.ask(RIDER, photo=True)
    assert "Where is it?" in (place.text or "")
    await h.press(RIDER, place, "2号楼")
    await h.send(RIDER, "The manhole cover by the gate is loose")
    preview = await press_last(h, RIDER, "Show my name")
    assert "With your name" in (preview.text or "") and "manhole" in (preview.text or "")
    await h.press(RIDER, preview, "Report")
    assert "Reported as C1" in (h.emu.message(preview.chat_id, preview.message_id).text or "")
    card = h.emu.last_message(GRID1_CHIEF)
    assert card is not None and "Rider Ma" in (card.text or "")
