"""Micro-wishes: /wish (guided), Claim in the grid group or /claim, release, fulfil,
withdraw, and messages relayed between author and claimer."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from linli.bot.callbacks.wishes import (
    WishAct,
    WishBuildingPick,
    WishCategoryPick,
    WishClaim,
    WishStep,
)
from linli.bot.commands import Access, CommandSpec
from linli.bot.delivery.sender import Delivered, on_delivered, wake
from linli.bot.filters import HasAccess
from linli.bot.i18n import Translator
from linli.bot.keyboards import wishes as kb
from linli.config import Settings
from linli.handlers.casework_common import (
    Tr,
    command_arg,
    fmt_time,
    parse_ref,
    send,
    title_of,
    tr_for,
)
from linli.models import Resident, Role
from linli.models.wishes import Wish, WishCategory, WishStatus
from linli.scheduler.jobs import JobContext
from linli.services import structure
from linli.services import wishes as wish_service
from linli.services.authz import require_role, require_verified
from linli.services.errors import StaleAction, ValidationFailed

router = Router(name=__name__)

COMMANDS = [
    CommandSpec("wish", Access.RESIDENT, "private"),
    CommandSpec("claim", Access.RESIDENT, "private"),
    CommandSpec("wish_for", Access.BUILDING_CHIEF, "private"),
]

RELAY_MAX = 500


class WishForm(StatesGroup):
    offline_name = State()
    building = State()
    text = State()
    category = State()
    photo = State()
    show_name = State()
    preview = State()


class WishRelay(StatesGroup):
    text = State()


def _now() -> datetime:
    return datetime.now(UTC)


# --- rendering -----------------------------------------------------------------------------


def post_text(tr: Tr, data: wish_service.WishInfo) -> str:
    """The group post: never the author's name unless they chose to show it."""
    wish = data.wish
    name = data.public_author_name
    lines = [tr("wish-post-title", code=wish.code, category=wish.category.value)]
    lines.append(wish.text if wish.text else tr("wish-post-voice"))
    if name:
        lines.append(tr("wish-post-from-named", name=name, building=data.building.name))
    else:
        lines.append(tr("wish-post-from-neighbour", building=data.building.name))
    lines.append(tr("wish-post-status", status=wish.status.value))
    return "\n".join(lines)


def card_text(tr: Tr, data: wish_service.WishInfo, viewer: Resident, settings: Settings) -> str:
    wish = data.wish
    lines = [
        tr("wish-card-title", code=wish.code, category=wish.category.value),
        tr("wish-card-status", status=wish.status.value),
        wish.text if wish.text else tr("wish-post-voice"),
        tr("wish-card-building", grid=data.grid.name, building=data.building.name),
        tr("wish-card-created", at=fmt_time(wish.created_at, settings.tz)),
    ]
    is_party = viewer.id in (wish.author_id, wish.entered_by_id, wish.claimer_id)
    if data.claimer is not None and (is_party or viewer.is_chief):
        lines.append(tr("wish-card-claimer", name=data.claimer.display_name or "-"))
    if wish.offline_author and (is_party or viewer.is_chief):
        lines.append(tr("wish-card-offline", name=wish.offline_author))
    if wish.status == WishStatus.FULFILLED and wish.points:
        lines.append(tr("wish-card-points", points=str(wish.points)))
    return "\n".join(lines)


def card_actions(data: wish_service.WishInfo, viewer: Resident) -> list[str]:
    wish = data.wish
    is_author = viewer.id == (wish.author_id or wish.entered_by_id)
    actions: list[str] = []
    if wish.status == WishStatus.OPEN and not is_author:
        actions.append("claim")
    if is_author and wish.status == WishStatus.CLAIMED:
        actions += ["fulfil", "msg"]
    if viewer.id == wish.claimer_id and wish.status == WishStatus.CLAIMED:
        actions += ["msg", "release"]
    if is_author and wish.status in (WishStatus.OPEN, WishStatus.CLAIMED):
        actions.append("withdraw")
    return actions


def post_for(translator: Translator) -> Callable[[wish_service.WishInfo], tuple[str, Any]]:
    """How a new wish is announced to its grid's group(s): the post and its Claim button,
    in the community's language (enqueued by `wish_service.create` with the wish)."""
    tr = tr_for(translator, None)

    def render(data: wish_service.WishInfo) -> tuple[str, Any]:
        markup = kb.claim(tr, data.wish.id).model_dump(mode="json", exclude_none=True)
        return post_text(tr, data), markup

    return render


async def refresh_posts(
    bot: Bot, translator: Translator, session: AsyncSession, data: wish_service.WishInfo
) -> None:
    """Edit the wish's group posts to its current state (Claim button only while open)."""
    tr = tr_for(translator, None)
    markup = kb.claim(tr, data.wish.id) if data.wish.status == WishStatus.OPEN else None
    for chat_id, message_id in await wish_service.posts_of(session, data.wish.id):
        try:
            await bot.edit_message_text(
                post_text(tr, data), chat_id=chat_id, message_id=message_id, reply_markup=markup
            )
        except TelegramAPIError:  # a deleted post, or a group that removed the bot
            continue


@on_delivered(wish_service.POST_SOURCE)
async def post_delivered(ctx: JobContext, delivered: Delivered) -> None:
    """A wish's post reached a group after the wish changed (claimed, withdrawn… while the
    post waited in the outbox): edit it to the current state."""
    if delivered.source_id is None:
        return
    tr = tr_for(ctx.translator, None)
    async with ctx.sessionmaker() as session:
        data = await wish_service.info(session, delivered.source_id)
    text = post_text(tr, data)
    if text == delivered.text:
        return
    markup = kb.claim(tr, data.wish.id) if data.wish.status == WishStatus.OPEN else None
    with contextlib.suppress(TelegramAPIError):  # a deleted post, or the bot was removed
        await ctx.bot.edit_message_text(
            text, chat_id=delivered.chat_id, message_id=delivered.message_id, reply_markup=markup
        )


async def _show_card(
    message: Message,
    i18n: I18nContext,
    data: wish_service.WishInfo,
    viewer: Resident,
    settings: Settings,
    *,
    edit: bool,
) -> None:
    text = card_text(i18n.get, data, viewer, settings)
    markup = kb.card(i18n.get, data.wish.id, card_actions(data, viewer))
    if edit:
        await message.edit_text(text, reply_markup=markup)
    else:
        await message.answer(text, reply_markup=markup)


# --- /wish -----------------------------------------------------------------------------------


@router.message(Command("wish"), F.chat.type == "private", HasAccess(Access.RESIDENT))
async def wish_start(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await state.clear()
    await state.set_state(WishForm.text)
    await state.update_data(kind="wish")
    await message.answer(
        i18n.get("wish-ask-text", limit=str(wish_service.TEXT_MAX)),
        reply_markup=kb.cancel(i18n.get),
    )


@router.message(Command("wish_for"), F.chat.type == "private", HasAccess(Access.BUILDING_CHIEF))
async def wish_for_start(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    """A chief enters a wish for a resident without a phone (recorded as "entered by")."""
    await state.clear()
    await state.set_state(WishForm.offline_name)
    await state.update_data(kind="wish", offline=True)
    await message.answer(i18n.get("wish-ask-offline-name"), reply_markup=kb.cancel(i18n.get))


@router.message(WishForm.offline_name, F.text, ~F.text.startswith("/"))
async def wish_offline_name(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident,
    i18n: I18nContext,
) -> None:
    name = (message.text or "").strip()
    if not name or len(name) > wish_service.OFFLINE_NAME_MAX:
        await message.answer(
            i18n.get("wish-offline-name-length", limit=str(wish_service.OFFLINE_NAME_MAX)),
            reply_markup=kb.cancel(i18n.get),
        )
        return
    await state.update_data(offline_name=name)
    buildings = await structure.area_buildings(session, resident)
    if len(buildings) == 1:
        await state.update_data(building_id=buildings[0].id)
        await _ask_text(message, state, i18n)
        return
    await state.set_state(WishForm.building)
    await message.answer(
        i18n.get("wish-ask-building"), reply_markup=kb.buildings(i18n.get, buildings)
    )


@router.message(WishForm.offline_name, ~F.text.startswith("/"))
async def wish_offline_name_wrong(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("wish-ask-offline-name"), reply_markup=kb.cancel(i18n.get))


@router.callback_query(WishBuildingPick.filter())
async def wish_building_picked(
    query: CallbackQuery,
    callback_data: WishBuildingPick,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    data = await _draft(state)
    if not data.get("offline") or await state.get_state() != WishForm.building.state:
        raise StaleAction()
    actor = require_role(resident, Role.BUILDING_CHIEF)
    building, _grid = await structure.managed_building(session, actor, callback_data.building_id)
    await state.update_data(building_id=building.id)
    assert isinstance(query.message, Message)
    await query.message.edit_reply_markup(reply_markup=None)
    await _ask_text(query.message, state, i18n)


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


async def _draft(state: FSMContext) -> dict[str, Any]:
    """The draft, or "start again" when it is gone (e.g. the bot restarted)."""
    data = await state.get_data()
    if data.get("kind") != "wish":
        raise StaleAction("wish-draft-lost")
    return data


@router.callback_query(WishCategoryPick.filter())
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
    assert isinstance(query.message, Message)
    await query.message.edit_reply_markup(reply_markup=None)
    await query.message.answer(i18n.get("wish-ask-photo"), reply_markup=kb.photo_step(i18n.get))


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


@router.callback_query(WishStep.filter())
async def wish_step(
    query: CallbackQuery,
    callback_data: WishStep,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
    bot: Bot,
    translator: Translator,
    settings: Settings,
    callback_answer: CallbackAnswer,
) -> None:
    assert isinstance(query.message, Message)
    message = query.message
    action = callback_data.action
    if action == "cancel":
        await state.clear()
        await message.edit_reply_markup(reply_markup=None)
        await message.answer(i18n.get("cancel-done"))
        return
    data = await _draft(state)
    current = await state.get_state()
    if action == "nophoto" and current == WishForm.photo.state:
        await state.update_data(photo=None)
        await message.edit_reply_markup(reply_markup=None)
        await _ask_show_name(message, state, i18n)
    elif action in ("name_yes", "name_no") and current == WishForm.show_name.state:
        await state.update_data(show_name=action == "name_yes")
        await state.set_state(WishForm.preview)
        await message.edit_reply_markup(reply_markup=None)
        data = await state.get_data()
        await _preview(message, data, i18n)
    elif action == "edit" and current == WishForm.preview.state:
        keep = ("offline", "offline_name", "building_id")
        await state.set_data({"kind": "wish", **{k: data[k] for k in keep if k in data}})
        await state.set_state(WishForm.text)
        await message.edit_reply_markup(reply_markup=None)
        await message.answer(
            i18n.get("wish-ask-text", limit=str(wish_service.TEXT_MAX)),
            reply_markup=kb.cancel(i18n.get),
        )
    elif action == "confirm" and current == WishForm.preview.state:
        actor = require_verified(resident)
        wish = await wish_service.create(
            session,
            actor,
            category=data["category"],
            text=data.get("text") or "",
            voice_file_id=data.get("voice"),
            photo_file_id=data.get("photo"),
            show_name=bool(data.get("show_name")),
            now=_now(),
            offline_author=data.get("offline_name") if data.get("offline") else None,
            building_id=data.get("building_id") if data.get("offline") else None,
            announce=post_for(translator),
        )
        wake()
        await state.clear()
        await message.edit_reply_markup(reply_markup=None)
        groups = await wish_service.group_count(session, wish.id)
        key = "wish-created-posted" if groups else "wish-created-no-group"
        await message.answer(i18n.get(key, code=wish.code))
    else:
        raise StaleAction()


async def _preview(message: Message, data: dict[str, Any], i18n: I18nContext) -> None:
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
    await message.answer("\n".join(lines), reply_markup=kb.preview(i18n.get))


# --- claiming ----------------------------------------------------------------------------------


async def _claim(
    wish_id: int,
    session: AsyncSession,
    resident: Resident | None,
    bot: Bot,
    translator: Translator,
    settings: Settings,
) -> wish_service.WishInfo:
    wish = await wish_service.claim(session, resident, wish_id, _now())
    data = await wish_service.info(session, wish.id)
    await refresh_posts(bot, translator, session, data)
    claimer = data.claimer
    assert claimer is not None
    tr = tr_for(translator, claimer)
    await send(
        bot,
        claimer,
        tr("wish-claimed-you", code=wish.code) + "\n\n" + card_text(tr, data, claimer, settings),
        reply_markup=kb.card(tr, wish.id, card_actions(data, claimer)),
        photo=wish.photo_file_id,
    )
    if wish.voice_file_id:
        await send(bot, claimer, tr("wish-voice-caption", code=wish.code), voice=wish.voice_file_id)
    author = data.author or data.entered_by
    if author is not None:
        atr = tr_for(translator, author)
        await send(
            bot,
            author,
            atr("wish-claimed-author", code=wish.code, name=claimer.display_name or "-"),
            reply_markup=kb.card(atr, wish.id, card_actions(data, author)),
        )
    return data


@router.callback_query(WishClaim.filter())
async def claim_button(
    query: CallbackQuery,
    callback_data: WishClaim,
    session: AsyncSession,
    resident: Resident | None,
    bot: Bot,
    translator: Translator,
    settings: Settings,
    i18n: I18nContext,
    callback_answer: CallbackAnswer,
) -> None:
    data = await _claim(callback_data.wish_id, session, resident, bot, translator, settings)
    callback_answer.text = i18n.get("wish-claim-ok", code=data.wish.code)
    callback_answer.show_alert = True


@router.message(Command("claim"), F.chat.type == "private", HasAccess(Access.RESIDENT))
async def claim_command(
    message: Message,
    session: AsyncSession,
    resident: Resident,
    bot: Bot,
    translator: Translator,
    settings: Settings,
    i18n: I18nContext,
) -> None:
    arg = command_arg(message.text)
    if not arg:
        await _list_open(message, session, resident, i18n)
        return
    wish_id = parse_ref(arg, "W")
    if wish_id is None:
        raise ValidationFailed("wish-error-bad-ref", ref=arg)
    data = await _claim(wish_id, session, resident, bot, translator, settings)
    if message.chat.id != resident.telegram_id:
        await message.answer(i18n.get("wish-claim-ok", code=data.wish.code))


async def _list_open(
    message: Message, session: AsyncSession, resident: Resident, i18n: I18nContext
) -> None:
    """Open wishes of the resident's grid that they could claim."""
    grid_id = resident.building.grid_id if resident.building else None
    rows = (
        await session.scalars(
            select(Wish)
            .where(Wish.grid_id == grid_id, Wish.status == WishStatus.OPEN)
            .order_by(Wish.created_at)
            .limit(10)
        )
    ).all()
    items = [
        (w.id, f"{w.code} · {title_of(w.text, bool(w.voice_file_id), i18n.get)}")
        for w in rows
        if w.author_id != resident.id
    ]
    if not items:
        await message.answer(i18n.get("wish-claim-none"))
        return
    await message.answer(i18n.get("wish-claim-list"), reply_markup=kb.open_list(items))


# --- actions on a wish ---------------------------------------------------------------------------


@router.callback_query(WishAct.filter())
async def wish_action(
    query: CallbackQuery,
    callback_data: WishAct,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident | None,
    bot: Bot,
    translator: Translator,
    settings: Settings,
    i18n: I18nContext,
    callback_answer: CallbackAnswer,
) -> None:
    actor = require_verified(resident)
    assert isinstance(query.message, Message)
    message = query.message
    wish_id, action = callback_data.wish_id, callback_data.action
    now = _now()
    if action == "open":
        data = await wish_service.view_for(session, actor, wish_id)
        await _show_card(message, i18n, data, actor, settings, edit=False)
        return
    if action == "msg":
        data, _peer, _role = await wish_service.relay_peer(session, actor, wish_id)
        await state.set_state(WishRelay.text)
        await state.set_data({"kind": "relay", "wish_id": wish_id})
        await message.answer(
            i18n.get("wish-relay-ask", code=data.wish.code, limit=str(RELAY_MAX)),
            reply_markup=kb.cancel(i18n.get),
        )
        return
    if action == "fulfil":
        wish = await wish_service.fulfil(session, actor, wish_id, now, settings.casework.points_for)
    elif action == "withdraw":
        previous = await wish_service.info(session, wish_id)
        claimer = previous.claimer
        wish = await wish_service.withdraw(session, actor, wish_id, now)
        if claimer is not None:
            ctr = tr_for(translator, claimer)
            await send(bot, claimer, ctr("wish-withdrawn-claimer", code=wish.code))
    elif action == "release":
        wish = await wish_service.release(session, actor, wish_id, now)
    else:
        raise StaleAction()
    data = await wish_service.info(session, wish.id)
    await refresh_posts(bot, translator, session, data)
    await _show_card(message, i18n, data, actor, settings, edit=True)
    callback_answer.text = i18n.get(f"wish-done-{action}", code=wish.code)
    if action == "fulfil" and data.claimer is not None:
        ctr = tr_for(translator, data.claimer)
        await send(
            bot,
            data.claimer,
            ctr("wish-thanks-claimer", code=wish.code, points=str(wish.points or 0)),
        )
    if action == "release":
        author = data.author or data.entered_by
        if author is not None:
            atr = tr_for(translator, author)
            await send(bot, author, atr("wish-released-author", code=wish.code))


@router.message(WishRelay.text, F.text, ~F.text.startswith("/"))
async def relay_text(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident,
    bot: Bot,
    translator: Translator,
    i18n: I18nContext,
) -> None:
    text = (message.text or "").strip()
    if len(text) > RELAY_MAX:
        await message.answer(
            i18n.get("wish-error-too-long", limit=str(RELAY_MAX), length=str(len(text)))
        )
        return
    wish_id = int((await state.get_data()).get("wish_id", 0))
    data, peer, role = await wish_service.relay_peer(session, resident, wish_id)
    await state.clear()
    ptr = tr_for(translator, peer)
    delivered = await send(
        bot,
        peer,
        ptr(f"wish-relay-from-{role}", code=data.wish.code, text=text),
        reply_markup=kb.card(ptr, data.wish.id, ["msg"]),
    )
    await message.answer(i18n.get("wish-relay-sent" if delivered else "wish-relay-failed"))


@router.message(WishRelay.text, ~F.text.startswith("/"))
async def relay_wrong(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("wish-reprompt-relay"), reply_markup=kb.cancel(i18n.get))
