"""Posting a micro-wish: `/wish` (guided, one question per message) and `/wish_for` (a chief
enters one for a resident without a phone), up to the preview (`handlers.wishes.submit`)."""

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
from linli.handlers.casework_common import buttons_done, draft_of
from linli.models.wishes import WishCategory
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
        )
    )
)


@router.message(WishForm.text, F.text, ~F.text.startswith("/"))
async def wish_text(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    text = wish_service.check_text(message.text or "")
    await state.update_data(text=text, voice=None)
    await _ask_category(message, state, i18n)


@router.message(WishForm.text, F.voice)
async def wish_voice(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    assert message.voice is not None
    await state.update_data(text="", voice=message.voice.file_id)
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
    if callback_data.code not in {c.value for c in WishCategory} or "text" not in data:
        raise StaleAction()
    await state.update_data(category=callback_data.code)
    await state.set_state(WishForm.photo)
    message = await buttons_done(query)
    await message.answer(i18n.get("wish-ask-photo"), reply_markup=kb.photo_step(i18n.get))


@router.message(WishForm.photo, F.photo)
async def wish_photo(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    assert message.photo
    await state.update_data(photo=message.photo[-1].file_id)
    await ask_show_name(message, state, i18n)


@router.message(WishForm.photo, ~F.text.startswith("/"))
async def wish_photo_wrong(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("wish-reprompt-photo"), reply_markup=kb.photo_step(i18n.get))


async def ask_show_name(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await state.set_state(WishForm.show_name)
    await message.answer(i18n.get("wish-ask-show-name"), reply_markup=kb.show_name(i18n.get))


@router.message(
    StateFilter(WishForm.building, WishForm.category, WishForm.show_name, WishForm.preview),
    ~F.text.startswith("/"),
)
async def wish_expected_button(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("expected-button"))
