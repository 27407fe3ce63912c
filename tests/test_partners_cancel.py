"""Every 共驻共建 flow has a way out: cancelling leaves nothing stored, the cancelled
question loses its buttons, and a button pressed on it afterwards is refused (zh and en)."""

from __future__ import annotations

from linli.models.complaints import Complaint
from linli.models.partners import HazardReport, PartnerUnit, Resource
from linli.services import residents
from tests.support import ADMIN_ID, Harness
from tests.support_partners import CONTACT, open_section, press_last, unit_with_member
from tests.test_partners_mobile import RIDER, invite_rider


async def test_the_admin_cancels_registering_a_unit(h: Harness) -> None:
    units = await open_section(h, ADMIN_ID, "驻区单位")
    await h.press(ADMIN_ID, units, "登记驻区单位")
    await h.ask(ADMIN_ID, "阳光小学")
    kinds = await press_last(h, ADMIN_ID, "取消")
    assert "已取消" in (kinds.text or "") and not kinds.buttons
    # the name typed again starts nothing; a kind pressed on the old question is refused
    await h.send(ADMIN_ID, "幸福物业")
    assert (await h.press_data(ADMIN_ID, kinds, "uk:school")).alert
    assert await h.count(PartnerUnit) == 0


async def test_a_contact_cancels_listing_a_resource_in_english(h: Harness) -> None:
    await unit_with_member(h)
    async with h.db() as session:
        contact = await residents.get_by_telegram_id(session, CONTACT)
        assert contact is not None
        contact.language = "en"
        await session.commit()
    page = await open_section(h, CONTACT, "My unit")
    await h.press(CONTACT, page, "Resources")
    listing = h.emu.message(page.chat_id, page.message_id)
    await h.press(CONTACT, listing, "List a resource")
    kinds = await press_last(h, CONTACT, "Cancel")
    assert "Cancelled. Nothing was saved." in (kinds.text or "") and not kinds.buttons
    assert await h.count(Resource) == 0


async def test_a_rider_cancels_a_snap_in_english(h: Harness) -> None:
    h.emu.add_user(RIDER, "Rider Ma", language_code="en")
    await h.send(RIDER, f"/start {await invite_rider(h)}")
    await h.ask(RIDER, "/snap")
    place = await h.ask(RIDER, photo=True)
    assert "Where is it?" in (place.text or "")
    cancelled = await press_last(h, RIDER, "Cancel")
    assert "Cancelled. Nothing was saved." in (cancelled.text or "") and not cancelled.buttons
    # the building pressed on the cancelled question files nothing
    assert (await h.press_data(RIDER, place, "uz:building:2")).alert
    assert await h.count(Complaint) == 0 and await h.count(HazardReport) == 0
