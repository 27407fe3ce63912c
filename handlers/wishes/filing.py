"""Posting a micro-wish: `/wish` (guided, one question per message) and `/wish_for` (a chief
enters one for a resident without a phone), up to the preview and Confirm, which stores the
wish and enqueues its group post in one transaction."""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from linli.bot.callbacks.wishes import WishBuildingPick, WishCategoryPick, WishStep
from linli.bot.commands import Access
from linli.bot.delivery import Delivery
from linli.bot.filters import HasAccess
from linli.bot.keyboards import wishes as kb
from linli.handlers import proxy
from linli.handlers.casework_common import now
from linli.models import Resident
from linli.models.wishes import WishCategory
from linli.services import DbSession
from linli.services import wishes as wish_service
from linli.services.authz import require_verified
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


PROXY = proxy.ProxyStep(
    name_state=WishForm.offline_name,
    building_state=WishForm.building,
    ask_name="wish-ask-offline-name",
    ask_building="wish-ask-building",
    cancel=kb.cancel,
    buildings=kb.buildings,
)


async def _draft(state: FSMContext) -> dict[str, Any]:
    """The draft, or "start again" when it is gone (e.g. the bot restarted)."""
    data = await state.get_data()
    if data.get("kind") != "wish":
        raise StaleAction("wish-draft-lost")
    return data


async def _buttons_done(query: CallbackQuery) -> Message:
    assert isinstance(query.message, Message)
    await query.message.edit_reply_markup(reply_markup=None)
    return query.message


@router.message(Command("wish"), HasAccess(Access.RESIDENT))
async def wish_start(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await state.clear()
    await state.update_data(kind="wish")
    await _ask_text(message, state, i18n)


@router.message(Command("wish_for"), HasAccess(Access.BUILDING_CHIEF))
async def wish_for_start(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    """A chief enters a wish for a resident without a phone (recorded as "entered by")."""
    await proxy.start(message, state, PROXY, i18n.get, {"kind": "wish"})


@router.message(WishForm.offline_name, F.text, ~F.text.startswith("/"))
async def wish_offline_name(
    message: Message,
    state: FSMContext,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
) -> None:
    if await proxy.take_name(message, state, session, resident, PROXY, i18n.get):
        await _ask_text(message, state, i18n)


@router.message(WishForm.offline_name, ~F.text.startswith("/"))
async def wish_offline_name_wrong(message: Message, i18n: I18nContext) -> None:
    await proxy.wrong_name(message, PROXY, i18n.get)


@router.callback_query(WishForm.building, WishBuildingPick.filter())
async def wish_building_picked(
    query: CallbackQuery,
    callback_data: WishBuildingPick,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    message = await proxy.take_building(query, state, session, resident, callback_data.building_id)
    await _ask_text(message, state, i18n)


async def _ask_text(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await state.set_state(WishForm.text)
    await message.answer(
        i18n.get("wish-ask-text", limit=str(wish_service.TEXT_MAX)),
        reply_markup=kb.cancel(i18n.get),
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
    data = await _draft(state)
    if callback_data.code not in {c.value for c in WishCategory} or "text" not in data:
        raise StaleAction()
    await state.update_data(category=callback_data.code)
    await state.set_state(WishForm.photo)
    message = await _buttons_done(query)
    await message.answer(i18n.get("wish-ask-photo"), reply_markup=kb.photo_step(i18n.get))


@router.message(WishForm.photo, F.photo)
async def wish_photo(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    assert message.photo
    await state.update_data(photo=message.photo[-1].file_id)
    await _ask_show_name(message, state, i18n)


@router.message(WishForm.photo, ~F.text.startswith("/"))
async def wish_photo_wrong(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("wish-reprompt-photo"), reply_markup=kb.photo_step(i18n.get))


async def _ask_show_name(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await state.set_state(WishForm.show_name)
    await message.answer(i18n.get("wish-ask-show-name"), reply_markup=kb.show_name(i18n.get))


@router.message(
    StateFilter(WishForm.building, WishForm.category, WishForm.show_name, WishForm.preview),
    ~F.text.startswith("/"),
)
async def wish_expected_button(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("expected-button"))


# --- the step buttons -------------------------------------------------------------------------


@router.callback_query(WishStep.filter(F.action == "cancel"))
async def cancel(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    await state.clear()
    message = await _buttons_done(query)
    await message.answer(i18n.get("cancel-done"))


@router.callback_query(WishForm.photo, WishStep.filter(F.action == "nophoto"))
async def no_photo(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    await _draft(state)
    await state.update_data(photo=None)
    await _ask_show_name(await _buttons_done(query), state, i18n)


@router.callback_query(WishForm.show_name, WishStep.filter(F.action.in_({"name_yes", "name_no"})))
async def name_chosen(
    query: CallbackQuery, callback_data: WishStep, state: FSMContext, i18n: I18nContext
) -> None:
    await _draft(state)
    await state.update_data(show_name=callback_data.action == "name_yes")
    await state.set_state(WishForm.preview)
    message = await _buttons_done(query)
    await message.answer(_preview(await state.get_data(), i18n), reply_markup=kb.preview(i18n.get))


def _preview(data: dict[str, Any], i18n: I18nContext) -> str:
    lines = [
        i18n.get("wish-preview-title"),
        i18n.get("wish-card-title", code="W?", category=data["category"]),
    ]
    if data.get("offline"):
        lines.append(i18n.get("wish-card-offline", name=data["offline_name"]))
    lines += [
        data.get("text") or i18n.get("wish-post-voice"),
        i18n.get("wish-preview-photo" if data.get("photo") else "wish-preview-no-photo"),
        i18n.get("wish-preview-name-yes" if data.get("show_name") else "wish-preview-name-no"),
    ]
    return "\n".join(lines)


@router.callback_query(WishForm.preview, WishStep.filter(F.action == "edit"))
async def start_over(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    """Write it again from the text; who it is for and where stay."""
    data = await _draft(state)
    await state.set_data({"kind": "wish", **{k: data[k] for k in proxy.DRAFT_KEYS if k in data}})
    await _ask_text(await _buttons_done(query), state, i18n)


@router.callback_query(WishForm.preview, WishStep.filter(F.action == "confirm"))
async def confirm(
    query: CallbackQuery,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    data = await _draft(state)
    actor = require_verified(resident)
    wish = await wish_service.create(
        session,
        actor,
        category=data["category"],
        text=data.get("text") or "",
        voice_file_id=data.get("voice"),
        photo_file_id=data.get("photo"),
        show_name=bool(data.get("show_name")),
        now=now(),
        announce=delivery.wishes.render_post,
        **proxy.offline_fields(data),
    )
    delivery.wishes.send_soon()
    await state.clear()
    message = await _buttons_done(query)
    groups = await wish_service.group_count(session, wish.id)
    key = "wish-created-posted" if groups else "wish-created-no-group"
    await message.answer(i18n.get(key, code=wish.code))


@router.callback_query(WishStep.filter())
@router.callback_query(WishCategoryPick.filter())
@router.callback_query(WishBuildingPick.filter())
async def stale_step(query: CallbackQuery, state: FSMContext) -> None:
    """A button of a step the draft is not at, or of a draft that is gone."""
    await _draft(state)
    raise StaleAction()
