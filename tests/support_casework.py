"""Complaint test helpers: filing one through the bot, reading it back."""

from __future__ import annotations

from sqlalchemy import select

from linli.models.complaints import Complaint, ComplaintEvent
from tests.support import Harness


async def file_complaint(
    h: Harness,
    uid: int,
    text: str = "楼下消防通道被车堵住了",
    *,
    category: str = "停车管理",
    photos: int = 0,
    location: str | None = None,
    anonymous: bool = False,
    new: bool = False,
) -> str:
    question = await h.ask(uid, "/complain")
    pressed = await h.press(uid, question, category)
    if new:
        await h.press(uid, pressed.messages[-1], "提交新的诉求")
    await h.ask(uid, text)
    for _ in range(photos):
        await h.send(uid, photo=True)
    await h.press(uid, h.emu.last_message(uid), "照片发完了" if photos else "不需要照片")
    if location:
        await h.ask(uid, location)
    else:
        await h.press(uid, h.emu.last_message(uid), "跳过")
    await h.press(uid, h.emu.last_message(uid), "匿名反映" if anonymous else "不匿名")
    preview = h.emu.last_message(uid)
    assert preview is not None and "确认" in preview.text
    await h.press(uid, preview, "确认提交")
    return h.emu.last_message(uid).text or ""


async def complaint(h: Harness, complaint_id: int = 1) -> Complaint:
    async with h.db() as session:
        found = await session.get(Complaint, complaint_id)
        assert found is not None
        return found


async def events(h: Harness, complaint_id: int = 1) -> list[ComplaintEvent]:
    async with h.db() as session:
        return list(
            (
                await session.scalars(
                    select(ComplaintEvent)
                    .where(ComplaintEvent.complaint_id == complaint_id)
                    .order_by(ComplaintEvent.id)
                )
            ).all()
        )
