"""随手拍 (snap and report), for mobile grid members: a photo, where it is (a location — the
nearest building with coordinates is found — or a building picked with buttons), an optional
line of text or a voice note, whether to hide their name from the chiefs (树洞), then a
preview to send. It becomes a request (category safety) that goes to the chiefs of the
place; confirmed reports earn points (scheduler/partners.py)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from linli.bot.callbacks.partners import Hub, SnapStep
from linli.bot.delivery import Delivery
from linli.bot.keyboards import partners as kb
from linli.config import Settings
from linli.handlers.partners.common import draft, message_of, now_utc, private, remember
from linli.models import Resident
from linli.services import DbSession, hazards
from linli.services.complaints import TEXT_MAX
from linli.services.errors import StaleAction
from linli.services.partners import Section

router = Router(name=__name__)
DRAFT = "snap"


class Snap(StatesGroup):
    photo = State()
    place = State()
    note = State()
    name = State()
    confirm = State()


async def _begin(
    message: Message,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    await hazards.require_mobile(session, resident)
    await state.set_state(Snap.photo)
    await state.update_data({DRAFT: {}})
    await message.answer(i18n.get("snap-ask-photo"), reply_markup=kb.snap_cancel(i18n.get))


@router.message(Command("snap"), private)
async def snap_command(
    message: Message,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    await state.clear()
    await _begin(message, state, session, resident, i18n)


@router.callback_query(Hub.filter(F.view == Section.SNAP))
async def snap_section(
    query: CallbackQuery,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    await _begin(message_of(query), state, session, resident, i18n)


@router.message(Snap.photo, private, F.photo)
async def got_photo(
    message: Message,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    await draft(state, DRAFT)
    assert message.photo is not None
    await remember(state, DRAFT, photo=message.photo[-1].file_id, caption=message.caption or "")
    await state.set_state(Snap.place)
    places = await hazards.places(session, resident)
    items = [
        (b.id, f"{g.name} · {b.name}" if len({g.id for _b, g in places}) > 1 else b.name)
        for b, g in places
    ]
    await message.answer(i18n.get("snap-ask-place"), reply_markup=kb.snap_places(i18n.get, items))


@router.message(Snap.photo, private, ~F.text.startswith("/"))
async def not_a_photo(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("snap-error-photo"))


@router.message(Snap.place, private, F.location)
async def got_location(
    message: Message,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    await draft(state, DRAFT)
    assert message.location is not None
    lat, lon = message.location.latitude, message.location.longitude
    found = await hazards.nearest(
        session, resident, lat, lon, settings.partners.nearest_building_meters
    )
    if found is None:
        await message.answer(
            i18n.get("snap-no-building", meters=settings.partners.nearest_building_meters)
        )
        return
    building, grid, meters = found
    await remember(
        state,
        DRAFT,
        building_id=building.id,
        place=f"{grid.name} · {building.name}",
        lat=lat,
        lon=lon,
    )
    await message.answer(
        i18n.get("snap-found", place=f"{grid.name} · {building.name}", meters=round(meters))
    )
    await _ask_note(message, state, i18n)


@router.callback_query(Snap.place, SnapStep.filter(F.action == "building"))
async def got_building(
    query: CallbackQuery,
    callback_data: SnapStep,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    await draft(state, DRAFT)
    chosen = {b.id: (b, g) for b, g in await hazards.places(session, resident)}
    if callback_data.building_id not in chosen:
        raise StaleAction()
    building, grid = chosen[callback_data.building_id]
    await remember(state, DRAFT, building_id=building.id, place=f"{grid.name} · {building.name}")
    await _ask_note(message_of(query), state, i18n)


@router.message(Snap.place, private, ~F.text.startswith("/"))
async def not_a_place(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("snap-error-place"))


async def _ask_note(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await state.set_state(Snap.note)
    await message.answer(
        i18n.get("snap-ask-note", limit=TEXT_MAX), reply_markup=kb.snap_skip(i18n.get)
    )


@router.message(Snap.note, private, F.voice)
async def got_voice(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await draft(state, DRAFT)
    assert message.voice is not None
    await remember(state, DRAFT, voice=message.voice.file_id)
    await _ask_name(message, state, i18n)


@router.message(Snap.note, private, F.text, ~F.text.startswith("/"))
async def got_note(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await draft(state, DRAFT)
    text = (message.text or "").strip()
    if len(text) > TEXT_MAX:
        await message.answer(i18n.get("partner-error-text-length", limit=TEXT_MAX))
        return
    await remember(state, DRAFT, text=text)
    await _ask_name(message, state, i18n)


@router.callback_query(Snap.note, SnapStep.filter(F.action == "notext"))
async def no_note(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    await draft(state, DRAFT)
    await _ask_name(message_of(query), state, i18n)


async def _ask_name(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await state.set_state(Snap.name)
    await message.answer(i18n.get("snap-ask-name"), reply_markup=kb.snap_name(i18n.get))


@router.callback_query(Snap.name, SnapStep.filter(F.action.in_({"anon", "named"})))
async def got_name(
    query: CallbackQuery, callback_data: SnapStep, state: FSMContext, i18n: I18nContext
) -> None:
    data = await draft(state, DRAFT)
    anonymous = callback_data.action == "anon"
    await remember(state, DRAFT, anonymous=anonymous)
    await state.set_state(Snap.confirm)
    note = str(data.get("text") or data.get("caption") or "")
    await message_of(query).edit_text(
        i18n.get(
            "snap-preview",
            place=str(data.get("place", "")),
            note=note or "-",
            voice="yes" if data.get("voice") else "no",
            anonymous="yes" if anonymous else "no",
        ),
        reply_markup=kb.snap_send(i18n.get),
    )


@router.message(Snap.name, private, ~F.text.startswith("/"))
@router.message(Snap.confirm, private, ~F.text.startswith("/"))
async def expected_button(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("expected-button"))


@router.callback_query(Snap.confirm, SnapStep.filter(F.action == "send"))
async def send(
    query: CallbackQuery,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    data = await draft(state, DRAFT)
    lat, lon = data.get("lat"), data.get("lon")
    now = now_utc()
    change = await hazards.report(
        session,
        resident,
        hazards.HazardDraft(
            building_id=int(data.get("building_id") or 0),
            text=str(data.get("text") or data.get("caption") or ""),
            photo_file_ids=[str(data["photo"])] if data.get("photo") else [],
            voice_file_id=str(data["voice"]) if data.get("voice") else None,
            lat=float(lat) if isinstance(lat, int | float) else None,
            lon=float(lon) if isinstance(lon, int | float) else None,
            anonymous=bool(data.get("anonymous")),
        ),
        now,
    )
    await state.clear()
    await message_of(query).edit_text(
        i18n.get("snap-sent", code=change.complaint.code), reply_markup=kb.menu_button(i18n.get)
    )
    await delivery.casework.announce(session, change, now, skip=resident)


@router.callback_query(SnapStep.filter(F.action == "cancel"))
async def cancel(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    await state.clear()
    await message_of(query).edit_text(i18n.get("cancel-done"))


@router.callback_query(SnapStep.filter())
async def stale_step(query: CallbackQuery) -> None:
    raise StaleAction()
