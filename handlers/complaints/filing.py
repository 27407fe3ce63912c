"""Filing a complaint: `/complain` (guided, with "me too" for the same problem in one's
building) and `/complain_for` (a chief files for a resident without a phone), one question
per message up to the preview (`handlers.complaints.submit`).

The description is one message: text, a voice message, or a photo (its caption is the
text). What was sent outside any flow (handlers/fallback.py) starts the flow with it
(`start_with`): the questions it answers are skipped.
"""

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
from linli.config import Settings
from linli.handlers import proxy
from linli.handlers.casework_common import Content, buttons_done, draft_of, now
from linli.models import Resident
from linli.models.complaints import ComplaintCategory
from linli.services import DbSession
from linli.services import complaints as complaint_service
from linli.services.authz import require_verified
from linli.services.errors import StaleAction

router = Router(name=__name__)


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


async def start_with(
    message: Message, state: FSMContext, i18n: I18nContext, content: Content
) -> None:
    """A complaint whose description (or place) was already sent: it is kept, and only
    the questions it does not answer are asked. The caller checked the text."""
    await state.clear()
    await state.set_data(
        {
            "kind": "complaint",
            "text": content.text,
            "voice": content.voice,
            "photos": [content.photo] if content.photo else [],
            "lat": content.latitude,
            "lon": content.longitude,
        }
    )
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
            lost="complaint-draft-lost",
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
    settings: Settings,
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
                (
                    case.id,
                    i18n.get(
                        "complaint-similar-item",
                        code=case.code,
                        category=case.category,
                        building=case.building,
                        date=case.created_at.astimezone(settings.tz).strftime("%m-%d"),
                    ),
                )
                for case in similar
            ]
            await message.answer(
                i18n.get("complaint-similar"), reply_markup=kb.similar(i18n.get, items)
            )
            return
    await after_category(message, state, i18n)


async def after_category(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    """The description, unless it was sent already; then the photos."""
    data = await draft(state)
    if Content.from_draft(data).describes or data.get("photos"):
        await _ask_photos(message, state, i18n)
    else:
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
        i18n.get("complaint-metoo-done", code=data.complaint.code, count=data.affected)
    )


@router.message(ComplaintForm.text, F.text, ~F.text.startswith("/"))
async def complaint_text(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    text = complaint_service.check_text(message.text or "")
    await state.update_data(text=text, voice=None)
    await _ask_photos(message, state, i18n)


@router.message(ComplaintForm.text, F.voice)
async def complaint_voice(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    assert message.voice is not None
    text = complaint_service.check_text(message.caption or "", required=False)
    await state.update_data(text=text, voice=message.voice.file_id)
    await _ask_photos(message, state, i18n)


@router.message(ComplaintForm.text, F.photo)
async def complaint_photo_as_text(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    """A photo as the description: its caption is the text, the photo is attached."""
    assert message.photo
    text = complaint_service.check_text(message.caption or "", required=False)
    data = await draft(state)
    photos = [*(data.get("photos") or []), message.photo[-1].file_id]
    await state.update_data(text=text, voice=None, photos=photos[: complaint_service.PHOTOS_MAX])
    await _ask_photos(message, state, i18n)


@router.message(ComplaintForm.text, ~F.text.startswith("/"))
async def complaint_text_wrong(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("complaint-reprompt-text"), reply_markup=kb.cancel(i18n.get))


def _photos_done(
    i18n: I18nContext, key: str = "complaint-button-photos-done"
) -> InlineKeyboardMarkup:
    return kb.step(i18n.get, (key, "photos_done"))


async def _ask_photos(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    """More photos (up to the limit), or none: the step says how many it has."""
    await state.set_state(ComplaintForm.photos)
    photos = (await draft(state)).get("photos") or []
    limit = complaint_service.PHOTOS_MAX
    if photos:
        await message.answer(
            i18n.get("complaint-photo-added", count=len(photos), limit=str(limit)),
            reply_markup=_photos_done(i18n),
        )
        return
    await message.answer(
        i18n.get("complaint-ask-photos", limit=str(limit)),
        reply_markup=_photos_done(i18n, "complaint-button-no-photos"),
    )


@router.message(ComplaintForm.photos, F.photo)
async def complaint_photo(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    assert message.photo
    data = await draft(state)
    photos = list(data.get("photos") or [])
    limit = complaint_service.PHOTOS_MAX
    if len(photos) >= limit:
        await message.answer(
            i18n.get("complaint-error-photos", limit=str(limit)), reply_markup=_photos_done(i18n)
        )
        return
    photos.append(message.photo[-1].file_id)
    update: dict[str, Any] = {"photos": photos}
    if message.caption and not data.get("text"):
        update["text"] = complaint_service.check_text(message.caption, required=False)
    await state.update_data(update)
    await message.answer(
        i18n.get("complaint-photo-added", count=len(photos), limit=str(limit)),
        reply_markup=_photos_done(i18n),
    )


@router.message(ComplaintForm.photos, ~F.text.startswith("/"))
async def complaint_photo_wrong(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("complaint-reprompt-photo"), reply_markup=_photos_done(i18n))


async def ask_location(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    """Where it is, unless a location was sent already."""
    data = await draft(state)
    if data.get("lat") is not None or data.get("loc_text"):
        await ask_anonymous(message, state, i18n)
        return
    await state.set_state(ComplaintForm.location)
    await message.answer(
        i18n.get("complaint-ask-location", limit=str(complaint_service.LOCATION_TEXT_MAX)),
        reply_markup=_skip_location(i18n),
    )


def _skip_location(i18n: I18nContext) -> InlineKeyboardMarkup:
    return kb.step(i18n.get, ("complaint-button-no-location", "noloc"))


@router.message(ComplaintForm.location, F.location)
async def complaint_location(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    assert message.location is not None
    await state.update_data(lat=message.location.latitude, lon=message.location.longitude)
    await ask_anonymous(message, state, i18n)


@router.message(ComplaintForm.location, F.text, ~F.text.startswith("/"))
async def complaint_location_text(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    text = complaint_service.check_location_text(message.text or "")
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
