"""Filing a complaint: `/complain` (guided, with "me too" for the same problem in one's
building) and `/complain_for` (a chief files for a resident without a phone), one question
per message up to the preview (`handlers.complaints.submit`)."""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext

from linli.bot.callbacks.complaints import ComplaintBuildingPick, ComplaintCategoryPick, MeToo
from linli.bot.commands import Access
from linli.bot.filters import HasAccess
from linli.bot.keyboards import complaints as kb
from linli.handlers import proxy
from linli.handlers.casework_common import buttons_done, draft_of, now, title_of
from linli.models import Resident
from linli.models.complaints import ComplaintCategory
from linli.services import DbSession
from linli.services import complaints as complaint_service
from linli.services.authz import require_verified
from linli.services.errors import StaleAction, ValidationFailed

router = Router(name=__name__)

LOCATION_MAX = complaint_service.LOCATION_TEXT_MAX


class ComplaintForm(StatesGroup):
    offline_name = State()
    building = State()
    category = State()
    similar = State()
    text = State()
    photos = State()
    location = State()
    anonymous = State()
    preview = State()


async def draft(state: FSMContext) -> dict[str, Any]:
    return await draft_of(state, "complaint", "complaint-draft-lost")


@router.message(Command("complain"), HasAccess(Access.RESIDENT))
async def complain_start(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await state.clear()
    await state.set_data({"kind": "complaint", "photos": []})
    await _ask_category(message, state, i18n)


async def _ask_category(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await state.set_state(ComplaintForm.category)
    await message.answer(i18n.get("complaint-ask-category"), reply_markup=kb.categories(i18n.get))


router.include_router(
    proxy.router_for(
        proxy.ProxyStep(
            command="complain_for",
            name_state=ComplaintForm.offline_name,
            building_state=ComplaintForm.building,
            ask_name="complaint-ask-offline-name",
            ask_building="complaint-ask-building",
            cancel=kb.cancel,
            buildings=kb.buildings,
            building_pick=ComplaintBuildingPick,
            then=_ask_category,
            draft={"kind": "complaint", "photos": []},
        )
    )
)


@router.callback_query(ComplaintForm.category, ComplaintCategoryPick.filter())
async def category_picked(
    query: CallbackQuery,
    callback_data: ComplaintCategoryPick,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    data = await draft(state)
    if callback_data.code not in {c.value for c in ComplaintCategory}:
        raise StaleAction()
    actor = require_verified(resident)
    await state.update_data(category=callback_data.code)
    message = await buttons_done(query)
    if not data.get("offline") and actor.building_id is not None:
        similar = await complaint_service.similar_open(
            session, actor, actor.building_id, callback_data.code
        )
        if similar:
            await state.set_state(ComplaintForm.similar)
            items = [
                (c.id, f"{c.code} {title_of(c.text, bool(c.voice_file_id), i18n.get)}")
                for c in similar
            ]
            await message.answer(
                i18n.get("complaint-similar"), reply_markup=kb.similar(i18n.get, items)
            )
            return
    await ask_text(message, state, i18n)


async def ask_text(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await state.set_state(ComplaintForm.text)
    await message.answer(
        i18n.get("complaint-ask-text", limit=str(complaint_service.TEXT_MAX)),
        reply_markup=kb.cancel(i18n.get),
    )


@router.callback_query(MeToo.filter())
async def me_too(
    query: CallbackQuery,
    callback_data: MeToo,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    actor = require_verified(resident)
    data = await complaint_service.me_too(session, actor, callback_data.complaint_id, now())
    await state.clear()
    message = await buttons_done(query)
    await message.answer(
        i18n.get("complaint-metoo-done", code=data.complaint.code, count=str(data.affected))
    )


@router.message(ComplaintForm.text, F.text, ~F.text.startswith("/"))
async def complaint_text(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    text = complaint_service.check_text(message.text or "")
    await state.update_data(text=text, voice=None)
    await _ask_photos(message, state, i18n)


@router.message(ComplaintForm.text, F.voice)
async def complaint_voice(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    assert message.voice is not None
    await state.update_data(text="", voice=message.voice.file_id)
    await _ask_photos(message, state, i18n)


@router.message(ComplaintForm.text, ~F.text.startswith("/"))
async def complaint_text_wrong(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("complaint-reprompt-text"), reply_markup=kb.cancel(i18n.get))


def _photos_done(
    i18n: I18nContext, key: str = "complaint-button-photos-done"
) -> InlineKeyboardMarkup:
    return kb.step(i18n.get, (key, "photos_done"))


async def _ask_photos(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await state.set_state(ComplaintForm.photos)
    await message.answer(
        i18n.get("complaint-ask-photos", limit=str(complaint_service.PHOTOS_MAX)),
        reply_markup=_photos_done(i18n, "complaint-button-no-photos"),
    )


@router.message(ComplaintForm.photos, F.photo)
async def complaint_photo(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    assert message.photo
    photos = list((await state.get_data()).get("photos") or [])
    limit = complaint_service.PHOTOS_MAX
    if len(photos) >= limit:
        await message.answer(
            i18n.get("complaint-error-photos", limit=str(limit)), reply_markup=_photos_done(i18n)
        )
        return
    photos.append(message.photo[-1].file_id)
    await state.update_data(photos=photos)
    await message.answer(
        i18n.get("complaint-photo-added", count=str(len(photos)), limit=str(limit)),
        reply_markup=_photos_done(i18n),
    )


@router.message(ComplaintForm.photos, ~F.text.startswith("/"))
async def complaint_photo_wrong(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("complaint-reprompt-photo"), reply_markup=_photos_done(i18n))


async def ask_location(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await state.set_state(ComplaintForm.location)
    await message.answer(i18n.get("complaint-ask-location"), reply_markup=_skip_location(i18n))


def _skip_location(i18n: I18nContext) -> InlineKeyboardMarkup:
    return kb.step(i18n.get, ("complaint-button-no-location", "noloc"))


@router.message(ComplaintForm.location, F.location)
async def complaint_location(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    assert message.location is not None
    await state.update_data(lat=message.location.latitude, lon=message.location.longitude)
    await ask_anonymous(message, state, i18n)


@router.message(ComplaintForm.location, F.text, ~F.text.startswith("/"))
async def complaint_location_text(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    text = (message.text or "").strip()
    if len(text) > LOCATION_MAX:
        raise ValidationFailed(
            "complaint-error-too-long", limit=str(LOCATION_MAX), length=str(len(text))
        )
    await state.update_data(loc_text=text)
    await ask_anonymous(message, state, i18n)


@router.message(ComplaintForm.location, ~F.text.startswith("/"))
async def complaint_location_wrong(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("complaint-reprompt-location"), reply_markup=_skip_location(i18n))


async def ask_anonymous(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await state.set_state(ComplaintForm.anonymous)
    await message.answer(
        i18n.get("complaint-ask-anonymous"),
        reply_markup=kb.step(
            i18n.get,
            ("complaint-button-anon-no", "anon_no"),
            ("complaint-button-anon-yes", "anon_yes"),
        ),
    )


@router.message(
    StateFilter(
        ComplaintForm.building,
        ComplaintForm.category,
        ComplaintForm.similar,
        ComplaintForm.anonymous,
        ComplaintForm.preview,
    ),
    ~F.text.startswith("/"),
)
async def complaint_expected_button(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("expected-button"))
