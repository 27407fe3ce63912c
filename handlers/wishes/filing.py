"""Posting a micro-wish: `/wish` (guided, one question per message) and `/wish_for` (a chief
enters one for a resident without a phone), up to the preview (`handlers.wishes.submit`).

The wish is one message: text, a voice message, or a photo (its caption is the text). What
was sent outside any flow (handlers/fallback.py) starts the flow with it (`start_with`).
In /wish_for the group post names the resident only if they agreed in person: a separate
question, whose button shows the name exactly as it would be posted (never a door number).
"""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from linli.bot.callbacks.wishes import WishBuildingPick, WishCategoryPick
from linli.bot.commands import Access
from linli.bot.filters import HasAccess
from linli.bot.keyboards import wishes as kb
from linli.handlers import proxy
from linli.handlers.casework_common import Content, buttons_done, draft_of
from linli.models.wishes import WishCategory
from linli.services import proxy as proxy_service
from linli.services import wishes as wish_service
from linli.services.errors import StaleAction

router = Router(name=__name__)


class WishForm(StatesGroup):
    offline_name = State()
    building = State()
    text = State()
    category = State()
    photo = State()
    show_name = State()
    preview = State()


async def draft(state: FSMContext) -> dict[str, Any]:
    return await draft_of(state, "wish", "wish-draft-lost")


@router.message(Command("wish"), HasAccess(Access.RESIDENT))
async def wish_start(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await state.clear()
    await state.update_data(kind="wish")
    await ask_text(message, state, i18n)


async def start_with(
    message: Message, state: FSMContext, i18n: I18nContext, content: Content
) -> None:
    """A wish already sent (text, voice or photo): kept, and the category asked next. The
    caller checked the text."""
    await state.clear()
    await state.set_data(
        {"kind": "wish", "text": content.text, "voice": content.voice, "photo": content.photo}
    )
    await _ask_category(message, state, i18n)


async def ask_text(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await state.set_state(WishForm.text)
    await message.answer(
        i18n.get("wish-ask-text", limit=str(wish_service.TEXT_MAX)),
        reply_markup=kb.cancel(i18n.get),
    )


router.include_router(
    proxy.router_for(
        proxy.ProxyStep(
            command="wish_for",
            name_state=WishForm.offline_name,
            building_state=WishForm.building,
            ask_name="wish-ask-offline-name",
            ask_building="wish-ask-building",
            cancel=kb.cancel,
            buildings=kb.buildings,
            building_pick=WishBuildingPick,
            then=ask_text,
            draft={"kind": "wish"},
            lost="wish-draft-lost",
        )
    )
)


@router.message(WishForm.text, F.text, ~F.text.startswith("/"))
async def wish_text(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await draft(state)
    text = wish_service.check_text(message.text or "")
    await state.update_data(text=text, voice=None)
    await _ask_category(message, state, i18n)


@router.message(WishForm.text, F.voice)
async def wish_voice(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    assert message.voice is not None
    await draft(state)
    text = wish_service.check_text(message.caption or "", required=False)
    await state.update_data(text=text, voice=message.voice.file_id)
    await _ask_category(message, state, i18n)


@router.message(WishForm.text, F.photo)
async def wish_photo_as_text(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    """A photo as the wish: its caption is the text, the photo is attached."""
    assert message.photo
    await draft(state)
    text = wish_service.check_text(message.caption or "", required=False)
    await state.update_data(text=text, voice=None, photo=message.photo[-1].file_id)
    await _ask_category(message, state, i18n)


@router.message(WishForm.text, ~F.text.startswith("/"))
async def wish_text_wrong(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("wish-reprompt-text"), reply_markup=kb.cancel(i18n.get))


async def _ask_category(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await state.set_state(WishForm.category)
    await message.answer(i18n.get("wish-ask-category"), reply_markup=kb.categories(i18n.get))


@router.callback_query(WishForm.category, WishCategoryPick.filter())
async def wish_category(
    query: CallbackQuery,
    callback_data: WishCategoryPick,
    state: FSMContext,
    i18n: I18nContext,
) -> None:
    data = await draft(state)
    described = Content.from_draft(data).describes
    if callback_data.code not in {c.value for c in WishCategory} or not described:
        raise StaleAction("wish-draft-lost")
    await state.update_data(category=callback_data.code)
    message = await buttons_done(query)
    if data.get("photo"):
        await ask_show_name(message, state, i18n)
        return
    await state.set_state(WishForm.photo)
    await message.answer(i18n.get("wish-ask-photo"), reply_markup=kb.photo_step(i18n.get))


@router.message(WishForm.photo, F.photo)
async def wish_photo(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    assert message.photo
    await draft(state)
    await state.update_data(photo=message.photo[-1].file_id)
    await ask_show_name(message, state, i18n)


@router.message(WishForm.photo, ~F.text.startswith("/"))
async def wish_photo_wrong(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("wish-reprompt-photo"), reply_markup=kb.photo_step(i18n.get))


async def ask_show_name(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    """Whether the group post names the author; for a resident a chief enters it for,
    whether they agreed in person to their name (as shown on the button) being posted."""
    data = await draft(state)
    await state.set_state(WishForm.show_name)
    if data.get("offline"):
        name = proxy_service.public_name(data.get("offline_name"))
        key = "wish-ask-consent" if name else "wish-ask-consent-no-name"
        await message.answer(
            i18n.get(key, name=name or "-", written=str(data.get("offline_name") or "-")),
            reply_markup=kb.consent(i18n.get, name),
        )
        return
    await message.answer(i18n.get("wish-ask-show-name"), reply_markup=kb.show_name(i18n.get))


@router.message(
    StateFilter(WishForm.building, WishForm.category, WishForm.show_name, WishForm.preview),
    ~F.text.startswith("/"),
)
async def wish_expected_button(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("expected-button"))
