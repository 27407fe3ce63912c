"""Casework test helpers: filing a complaint through the bot and reading it back; people,
complaints and wishes made straight through the services (the fast tier)."""

from __future__ import annotations

from datetime import datetime

from aiogram.fsm.storage.base import StorageKey
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from linli.config import Settings
from linli.config.notices import NoticeSettings
from linli.emulator import StoredMessage
from linli.models import Building, Grid, Resident, ResidentStatus, Role
from linli.models.complaints import Complaint, ComplaintEvent
from linli.services import complaints as complaint_service
from linli.services import residents
from linli.services import wishes as wish_service
from tests.support import GRID1_CHIEF, Harness


def unpaced(settings: Settings) -> Settings:
    """These tests are about casework, not about Telegram's pacing (tested with the
    sender) nor flood control: lift the per-chat send rate and the throttle so a scripted
    conversation does not wait 1 s a message."""
    fast = NoticeSettings(
        chat_rate=1000,
        chat_burst=1000,
        group_per_minute=100_000,
        global_rate=10_000,
        _env_file=None,
    )
    return settings.model_copy(update={"notices": fast, "throttle_rate": 1000})


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


# --- straight on the services (tests/services/) ------------------------------------------------


async def place(session: AsyncSession, grid: str, building: str) -> Building:
    found = await session.scalar(
        select(Building).join(Grid).where(Grid.name == grid, Building.name == building)
    )
    assert found is not None
    return found


async def neighbour(
    session: AsyncSession, telegram_id: int, grid: str = "第一网格", building: str = "1号楼"
) -> Resident:
    """A verified resident of `building` (the example community)."""
    home = await place(session, grid, building)
    found = await session.get(Grid, home.grid_id)
    assert found is not None
    resident = Resident(
        telegram_id=telegram_id,
        display_name=f"居民{telegram_id}",
        building_id=home.id,
        community_id=found.community_id,
        status=ResidentStatus.VERIFIED,
    )
    session.add(resident)
    await session.commit()
    return resident


async def person(session: AsyncSession, telegram_id: int) -> Resident:
    """A resident (a chief of the example community, or one made by `neighbour`) loaded in
    this session."""
    found = await residents.get_by_telegram_id(session, telegram_id)
    assert found is not None
    return found


async def new_complaint(
    session: AsyncSession,
    author: Resident,
    now: datetime,
    text: str = "楼道灯坏了",
    *,
    offline_author: str | None = None,
    building_id: int | None = None,
    anonymous: bool = False,
) -> int:
    change = await complaint_service.create(
        session,
        author,
        category="repairs",
        text=text,
        voice_file_id=None,
        photo_file_ids=[],
        latitude=None,
        longitude=None,
        location_text=None,
        anonymous=anonymous,
        now=now,
        offline_author=offline_author,
        building_id=building_id,
    )
    return change.complaint.id


async def new_wish(
    session: AsyncSession,
    author: Resident,
    now: datetime,
    *,
    offline_author: str | None = None,
    building_id: int | None = None,
) -> int:
    wish = await wish_service.create(
        session,
        author,
        category="daily",
        text="想请人帮忙买一袋大米",
        voice_file_id=None,
        photo_file_id=None,
        show_name=False,
        now=now,
        offline_author=offline_author,
        building_id=building_id,
    )
    return wish.id


async def demote(h: Harness, telegram_id: int) -> None:
    """A chief loses the role (e.g. a new building chief was appointed) mid-conversation."""
    async with h.db() as session:
        chief = await residents.get_by_telegram_id(session, telegram_id)
        assert chief is not None
        chief.role = Role.RESIDENT
        chief.chief_building_id = None
        chief.chief_grid_id = None
        await session.commit()


# --- conversations: drafts that are gone, typed messages ---------------------------------------


async def forget(h: Harness, uid: int, *, keep_state: bool = False) -> None:
    """The resident's draft is gone (FSM data expired, the bot restarted without a
    persistent storage, another device went on): its data, and its state unless
    `keep_state` (a state that outlived its data)."""
    assert h.app is not None
    key = StorageKey(bot_id=h.app.bot.id, chat_id=uid, user_id=uid)
    if not keep_state:
        await h.app.dp.storage.set_state(key, None)
    await h.app.dp.storage.set_data(key, {})


def typed(h: Harness, uid: int, since: int = 0) -> int:
    """How many messages the user typed in their private chat (not commands, not media,
    not button presses) from `since` on (an index into `h.emu.history(uid)`)."""
    return sum(
        1
        for m in h.emu.history(uid)[since:]
        if not m.from_bot and m.content_type == "text" and not (m.text or "").startswith("/")
    )


def buttons(message: StoredMessage, *labels: str) -> list[tuple[StoredMessage, str]]:
    """(message, callback data) of the buttons whose text holds each label, recorded
    before pressing them (a pressed step's buttons are removed)."""
    return [(message, message.button(label)) for label in labels]


GRID1_GROUP = -100200


async def bind_grid_group(h: Harness, group: int = GRID1_GROUP) -> None:
    """A group of 第一网格 (its grid chief binds it): wishes of the grid are posted there."""
    h.emu.add_group(group, "第一网格群", admins=[GRID1_CHIEF])
    question = await h.ask(GRID1_CHIEF, "/bind", chat_id=group)
    await h.press(GRID1_CHIEF, question, "网格: 第一网格")


async def wish_for(
    h: Harness,
    chief: int,
    written: str = "王奶奶 3单元201",
    text: str = "想请人帮忙换个灯泡",
    *,
    consent: bool = False,
) -> StoredMessage:
    """/wish_for to the preview (the chief has one building); returns the preview."""
    await h.ask(chief, "/wish_for")
    await h.ask(chief, written)
    category = await h.ask(chief, text)
    photo_step = (await h.press(chief, category, "维修")).messages[-1]
    consent_step = (await h.press(chief, photo_step, "不需要照片")).messages[-1]
    label = "本人当面同意" if consent else "不显示"
    return (await h.press(chief, consent_step, label)).messages[-1]
