"""Complaints and requests: /complain (guided, with "me too"), /complain_for, the chiefs'
card actions (accept, reject, assign, start, resolve, merge), rating and reopening, and the
shared lists /my and /queue, /stats and /handlers."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from linli.bot.callbacks.complaints import (
    ComplaintAct,
    ComplaintAssign,
    ComplaintBuildingPick,
    ComplaintCategoryPick,
    ComplaintRate,
    ComplaintStep,
    HandlerRemove,
    MeToo,
    MyPage,
    QueuePage,
)
from linli.bot.callbacks.wishes import WishAct
from linli.bot.commands import Access, CommandSpec
from linli.bot.filters import HasAccess
from linli.bot.i18n import Translator
from linli.bot.keyboards import complaints as kb
from linli.config import Settings
from linli.handlers.casework_common import (
    announce,
    chief_keyboard,
    command_arg,
    complaint_card,
    follower_actions,
    parse_ref,
    send_chief_card,
    title_of,
)
from linli.models import Building, Resident, Role
from linli.models.complaints import ComplaintCategory
from linli.services import casework_stats, structure
from linli.services import complaints as complaint_service
from linli.services import wishes as wish_service
from linli.services.authz import require_role, require_verified
from linli.services.errors import InvalidState, StaleAction, ValidationFailed

router = Router(name=__name__)
router.message.filter(F.chat.type == "private")

COMMANDS = [
    CommandSpec("complain", Access.RESIDENT, "private"),
    CommandSpec("my", Access.RESIDENT, "private"),
    CommandSpec("queue", Access.BUILDING_CHIEF, "private"),
    CommandSpec("complain_for", Access.BUILDING_CHIEF, "private"),
    CommandSpec("stats", Access.BUILDING_CHIEF, "private"),
    CommandSpec("handlers", Access.GRID_CHIEF, "private"),
]

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


class ChiefInput(StatesGroup):
    reject_reason = State()
    resolve_note = State()
    resolve_photo = State()
    merge_target = State()


class RateComment(StatesGroup):
    comment = State()


def _now() -> datetime:
    return datetime.now(UTC)


# --- filing --------------------------------------------------------------------------------


@router.message(Command("complain"), HasAccess(Access.RESIDENT))
async def complain_start(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await state.clear()
    await state.set_data({"kind": "complaint", "photos": []})
    await state.set_state(ComplaintForm.category)
    await message.answer(i18n.get("complaint-ask-category"), reply_markup=kb.categories(i18n.get))


@router.message(Command("complain_for"), HasAccess(Access.BUILDING_CHIEF))
async def complain_for_start(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await state.clear()
    await state.set_data({"kind": "complaint", "photos": [], "offline": True})
    await state.set_state(ComplaintForm.offline_name)
    await message.answer(i18n.get("complaint-ask-offline-name"), reply_markup=kb.cancel(i18n.get))


@router.message(ComplaintForm.offline_name, F.text, ~F.text.startswith("/"))
async def offline_name(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident,
    i18n: I18nContext,
) -> None:
    name = (message.text or "").strip()
    if not name or len(name) > 100:
        raise ValidationFailed("complaint-error-too-long", limit="100", length=str(len(name)))
    await state.update_data(offline_name=name)
    buildings = await structure.area_buildings(session, resident)
    if len(buildings) == 1:
        await state.update_data(building_id=buildings[0].id)
        await _ask_category(message, state, i18n)
        return
    await state.set_state(ComplaintForm.building)
    await message.answer(
        i18n.get("complaint-ask-building"), reply_markup=kb.buildings(i18n.get, buildings)
    )


@router.callback_query(ComplaintBuildingPick.filter())
async def building_picked(
    query: CallbackQuery,
    callback_data: ComplaintBuildingPick,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    await _draft(state)
    actor = require_role(resident, Role.BUILDING_CHIEF)
    building, _grid = await structure.managed_building(session, actor, callback_data.building_id)
    await state.update_data(building_id=building.id)
    assert isinstance(query.message, Message)
    await query.message.edit_reply_markup(reply_markup=None)
    await _ask_category(query.message, state, i18n)


async def _ask_category(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await state.set_state(ComplaintForm.category)
    await message.answer(i18n.get("complaint-ask-category"), reply_markup=kb.categories(i18n.get))


async def _draft(state: FSMContext) -> dict[str, Any]:
    """The complaint draft, or "start again" when it is gone (the bot restarted without a
    persistent FSM storage): nothing was saved."""
    data = await state.get_data()
    if data.get("kind") != "complaint":
        raise StaleAction("complaint-draft-lost")
    return data


@router.callback_query(ComplaintCategoryPick.filter())
async def category_picked(
    query: CallbackQuery,
    callback_data: ComplaintCategoryPick,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    data = await _draft(state)
    if callback_data.code not in {c.value for c in ComplaintCategory}:
        raise StaleAction()
    actor = require_verified(resident)
    await state.update_data(category=callback_data.code)
    assert isinstance(query.message, Message)
    await query.message.edit_reply_markup(reply_markup=None)
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
            await query.message.answer(
                i18n.get("complaint-similar"), reply_markup=kb.similar(i18n.get, items)
            )
            return
    await _ask_text(query.message, state, i18n)


async def _ask_text(message: Message, state: FSMContext, i18n: I18nContext) -> None:
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
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    actor = require_verified(resident)
    data = await complaint_service.me_too(session, actor, callback_data.complaint_id, _now())
    await state.clear()
    assert isinstance(query.message, Message)
    await query.message.edit_reply_markup(reply_markup=None)
    await query.message.answer(
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


async def _ask_photos(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await state.set_state(ComplaintForm.photos)
    await message.answer(
        i18n.get("complaint-ask-photos", limit=str(complaint_service.PHOTOS_MAX)),
        reply_markup=kb.step(i18n.get, ("complaint-button-no-photos", "photos_done")),
    )


@router.message(ComplaintForm.photos, F.photo)
async def complaint_photo(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    assert message.photo
    photos = list((await state.get_data()).get("photos") or [])
    limit = complaint_service.PHOTOS_MAX
    if len(photos) >= limit:
        await message.answer(
            i18n.get("complaint-error-photos", limit=str(limit)),
            reply_markup=kb.step(i18n.get, ("complaint-button-photos-done", "photos_done")),
        )
        return
    photos.append(message.photo[-1].file_id)
    await state.update_data(photos=photos)
    await message.answer(
        i18n.get("complaint-photo-added", count=str(len(photos)), limit=str(limit)),
        reply_markup=kb.step(i18n.get, ("complaint-button-photos-done", "photos_done")),
    )


@router.message(ComplaintForm.photos, ~F.text.startswith("/"))
async def complaint_photo_wrong(message: Message, i18n: I18nContext) -> None:
    await message.answer(
        i18n.get("complaint-reprompt-photo"),
        reply_markup=kb.step(i18n.get, ("complaint-button-photos-done", "photos_done")),
    )


async def _ask_location(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await state.set_state(ComplaintForm.location)
    await message.answer(
        i18n.get("complaint-ask-location"),
        reply_markup=kb.step(i18n.get, ("complaint-button-no-location", "noloc")),
    )


@router.message(ComplaintForm.location, F.location)
async def complaint_location(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    assert message.location is not None
    await state.update_data(lat=message.location.latitude, lon=message.location.longitude)
    await _ask_anonymous(message, state, i18n)


@router.message(ComplaintForm.location, F.text, ~F.text.startswith("/"))
async def complaint_location_text(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    text = (message.text or "").strip()
    if len(text) > LOCATION_MAX:
        raise ValidationFailed(
            "complaint-error-too-long", limit=str(LOCATION_MAX), length=str(len(text))
        )
    await state.update_data(loc_text=text)
    await _ask_anonymous(message, state, i18n)


@router.message(ComplaintForm.location, ~F.text.startswith("/"))
async def complaint_location_wrong(message: Message, i18n: I18nContext) -> None:
    await message.answer(
        i18n.get("complaint-reprompt-location"),
        reply_markup=kb.step(i18n.get, ("complaint-button-no-location", "noloc")),
    )


async def _ask_anonymous(message: Message, state: FSMContext, i18n: I18nContext) -> None:
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


@router.message(ComplaintForm.offline_name, ~F.text.startswith("/"))
async def offline_name_wrong(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("complaint-ask-offline-name"), reply_markup=kb.cancel(i18n.get))


def _preview_text(i18n: I18nContext, data: dict[str, Any]) -> str:
    lines = [i18n.get("complaint-preview-title")]
    if data.get("offline"):
        lines.append(i18n.get("complaint-preview-offline", name=data.get("offline_name", "-")))
    lines.append(i18n.get("complaint-card-title", code="C?", category=data["category"]))
    lines.append(data.get("text") or i18n.get("complaint-card-voice"))
    lines.append(i18n.get("complaint-card-photos", count=str(len(data.get("photos") or []))))
    if data.get("loc_text") or data.get("lat") is not None:
        where = data.get("loc_text") or f"{data['lat']:.5f}, {data['lon']:.5f}"
        lines.append(i18n.get("complaint-card-location", location=where))
    lines.append(
        i18n.get(
            "complaint-preview-anon-yes" if data.get("anonymous") else "complaint-preview-anon-no"
        )
    )
    return "\n".join(lines)


@router.callback_query(ComplaintStep.filter())
async def complaint_step(
    query: CallbackQuery,
    callback_data: ComplaintStep,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
    bot: Bot,
    translator: Translator,
    settings: Settings,
) -> None:
    assert isinstance(query.message, Message)
    message = query.message
    action = callback_data.action
    current = await state.get_state()
    if action == "cancel":
        await state.clear()
        await message.edit_reply_markup(reply_markup=None)
        await message.answer(i18n.get("cancel-done"))
        return
    if action == "nophoto" and current == ChiefInput.resolve_photo.state:
        await message.edit_reply_markup(reply_markup=None)
        await _finish_resolve(
            message, state, session, resident, i18n, bot, translator, settings, None
        )
        return
    if action == "nocomment":
        await state.clear()
        await message.edit_reply_markup(reply_markup=None)
        await message.answer(i18n.get("complaint-rate-thanks"))
        return
    data = await _draft(state)
    if action == "new" and current == ComplaintForm.similar.state:
        await message.edit_reply_markup(reply_markup=None)
        await _ask_text(message, state, i18n)
    elif action == "photos_done" and current == ComplaintForm.photos.state:
        await message.edit_reply_markup(reply_markup=None)
        await _ask_location(message, state, i18n)
    elif action == "noloc" and current == ComplaintForm.location.state:
        await message.edit_reply_markup(reply_markup=None)
        await _ask_anonymous(message, state, i18n)
    elif action in ("anon_yes", "anon_no") and current == ComplaintForm.anonymous.state:
        await state.update_data(anonymous=action == "anon_yes")
        await state.set_state(ComplaintForm.preview)
        await message.edit_reply_markup(reply_markup=None)
        await message.answer(
            _preview_text(i18n, await state.get_data()), reply_markup=kb.preview(i18n.get)
        )
    elif action == "edit" and current == ComplaintForm.preview.state:
        keep = {
            k: data[k]
            for k in ("kind", "offline", "offline_name", "building_id", "category")
            if k in data
        }
        await state.set_data({**keep, "photos": []})
        await message.edit_reply_markup(reply_markup=None)
        await _ask_text(message, state, i18n)
    elif action == "confirm" and current == ComplaintForm.preview.state:
        actor = require_verified(resident)
        now = _now()
        change = await complaint_service.create(
            session,
            actor,
            category=data["category"],
            text=data.get("text") or "",
            voice_file_id=data.get("voice"),
            photo_file_ids=list(data.get("photos") or []),
            latitude=data.get("lat"),
            longitude=data.get("lon"),
            location_text=data.get("loc_text"),
            anonymous=bool(data.get("anonymous")),
            now=now,
            offline_author=data.get("offline_name") if data.get("offline") else None,
            building_id=data.get("building_id"),
        )
        await state.clear()
        await message.edit_reply_markup(reply_markup=None)
        category = data["category"]
        cfg = settings.casework
        await message.answer(
            i18n.get(
                "complaint-created",
                code=change.complaint.code,
                accept_hours=_num(cfg.accept_target(category).total_seconds() / 3600),
                resolve_days=_num(cfg.resolve_target(category).total_seconds() / 86400),
            )
        )
        info = await complaint_service.info(session, change.complaint.id)
        for chief in change.notify_chiefs:
            if chief.id == actor.id:
                continue
            await send_chief_card(
                bot,
                translator,
                chief,
                info,
                cfg,
                settings.tz,
                now,
                "complaint-chief-submitted",
                code=change.complaint.code,
            )
    else:
        raise StaleAction()


def _num(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.1f}"


# --- chiefs' actions -------------------------------------------------------------------------


@router.callback_query(ComplaintAct.filter())
async def complaint_action(
    query: CallbackQuery,
    callback_data: ComplaintAct,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
    bot: Bot,
    translator: Translator,
    settings: Settings,
    callback_answer: CallbackAnswer,
) -> None:
    actor = require_verified(resident)
    assert isinstance(query.message, Message)
    message = query.message
    cid, action = callback_data.complaint_id, callback_data.action
    cfg, tz, now = settings.casework, settings.tz, _now()
    if action == "mine":
        data = await complaint_service.for_follower(session, actor, cid)
        await message.answer(
            complaint_card(i18n.get, data, tz, cfg, now, for_chief=False),
            reply_markup=kb.follower_card(i18n.get, cid, follower_actions(actor, data, now, cfg)),
        )
        return
    if action in ("reopen", "close", "rate"):
        await _author_action(
            message,
            action,
            cid,
            state,
            session,
            actor,
            i18n,
            bot,
            translator,
            settings,
            callback_answer,
        )
        return
    data = await complaint_service.for_chief(session, actor, cid)
    if action == "open":
        text = complaint_card(i18n.get, data, tz, cfg, now, for_chief=True)
        markup = chief_keyboard(i18n.get, data)
        if (
            message.text
            and message.text.startswith(("📋", data.complaint.code))
            and message.reply_markup
        ):
            await message.edit_text(text, reply_markup=markup)
        else:
            await message.answer(text, reply_markup=markup)
    elif action in ("accept", "start"):
        service = complaint_service.accept if action == "accept" else complaint_service.start
        change = await service(session, actor, cid, now)
        await _refresh_card(message, session, i18n, settings, cid)
        callback_answer.text = i18n.get(
            "complaint-done", code=change.complaint.code, status=change.new or ""
        )
        await announce(bot, translator, session, change, cfg, tz, now)
    elif action in ("reject", "resolve", "merge"):
        if data.complaint.status.value not in _ALLOWED_INPUT[action]:
            raise _state_error(data)
        target = {
            "reject": ChiefInput.reject_reason,
            "resolve": ChiefInput.resolve_note,
            "merge": ChiefInput.merge_target,
        }[action]
        await state.set_state(target)
        await state.set_data({"kind": "chief", "complaint_id": cid})
        await message.answer(
            i18n.get(f"complaint-ask-{action}", code=data.complaint.code),
            reply_markup=kb.cancel(i18n.get),
        )
    elif action == "assign":
        if data.complaint.status.value not in _ALLOWED_INPUT["assign"]:
            raise _state_error(data)
        options = await complaint_service.assign_options(session, actor, cid)
        await message.answer(
            i18n.get("complaint-ask-assign", code=data.complaint.code),
            reply_markup=kb.assign_options(i18n.get, cid, options),
        )
    elif action == "voice" and data.complaint.voice_file_id:
        await bot.send_voice(
            message.chat.id, data.complaint.voice_file_id, caption=data.complaint.code
        )
    elif action == "photos" and data.complaint.photo_file_ids:
        for photo in data.complaint.photo_file_ids:
            await bot.send_photo(message.chat.id, photo, caption=data.complaint.code)
    else:
        raise StaleAction()


_ALLOWED_INPUT = {
    "reject": ("submitted", "accepted"),
    "resolve": ("in_progress",),
    "merge": ("submitted", "accepted", "in_progress"),
    "assign": ("submitted", "accepted", "in_progress"),
}


def _state_error(data: complaint_service.ComplaintInfo) -> Exception:
    return InvalidState(
        "complaint-error-state", code=data.complaint.code, status=data.complaint.status.value
    )


async def _refresh_card(
    message: Message, session: AsyncSession, i18n: I18nContext, settings: Settings, cid: int
) -> None:
    data = await complaint_service.info(session, cid)
    await message.edit_text(
        complaint_card(i18n.get, data, settings.tz, settings.casework, _now(), for_chief=True),
        reply_markup=chief_keyboard(i18n.get, data),
    )


@router.callback_query(ComplaintAssign.filter())
async def assign_chosen(
    query: CallbackQuery,
    callback_data: ComplaintAssign,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
    bot: Bot,
    translator: Translator,
    settings: Settings,
    callback_answer: CallbackAnswer,
) -> None:
    actor = require_verified(resident)
    now = _now()
    change, assignee = await complaint_service.assign(
        session, actor, callback_data.complaint_id, callback_data.kind, callback_data.target_id, now
    )
    assert isinstance(query.message, Message)
    await _refresh_card(query.message, session, i18n, settings, callback_data.complaint_id)
    callback_answer.text = i18n.get(
        "complaint-assigned", code=change.complaint.code, name=change.note
    )
    await announce(bot, translator, session, change, settings.casework, settings.tz, now)
    if assignee is not None and assignee.id != actor.id:
        data = await complaint_service.info(session, change.complaint.id)
        await send_chief_card(
            bot,
            translator,
            assignee,
            data,
            settings.casework,
            settings.tz,
            now,
            "complaint-chief-assigned",
            code=change.complaint.code,
        )


@router.message(ChiefInput.reject_reason, F.text, ~F.text.startswith("/"))
async def reject_reason(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident,
    i18n: I18nContext,
    bot: Bot,
    translator: Translator,
    settings: Settings,
) -> None:
    cid = int((await state.get_data()).get("complaint_id", 0))
    now = _now()
    change = await complaint_service.reject(session, resident, cid, message.text or "", now)
    await state.clear()
    await message.answer(i18n.get("complaint-done", code=change.complaint.code, status=change.new))
    await announce(bot, translator, session, change, settings.casework, settings.tz, now)


@router.message(ChiefInput.resolve_note, F.text, ~F.text.startswith("/"))
async def resolve_note(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    note = complaint_service.check_note(message.text or "")
    await state.update_data(note=note)
    await state.set_state(ChiefInput.resolve_photo)
    await message.answer(
        i18n.get("complaint-ask-resolve-photo"),
        reply_markup=kb.step(i18n.get, ("complaint-button-no-photos", "nophoto")),
    )


@router.message(ChiefInput.resolve_photo, F.photo)
async def resolve_photo(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident,
    i18n: I18nContext,
    bot: Bot,
    translator: Translator,
    settings: Settings,
) -> None:
    assert message.photo
    await _finish_resolve(
        message,
        state,
        session,
        resident,
        i18n,
        bot,
        translator,
        settings,
        message.photo[-1].file_id,
    )


async def _finish_resolve(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
    bot: Bot,
    translator: Translator,
    settings: Settings,
    photo: str | None,
) -> None:
    actor = require_verified(resident)
    data = await state.get_data()
    if data.get("kind") != "chief" or not data.get("note"):
        raise StaleAction("complaint-draft-lost")
    now = _now()
    change = await complaint_service.resolve(
        session, actor, int(data["complaint_id"]), data["note"], photo, now
    )
    await state.clear()
    await message.answer(i18n.get("complaint-done", code=change.complaint.code, status=change.new))
    await announce(bot, translator, session, change, settings.casework, settings.tz, now)


@router.message(ChiefInput.merge_target, F.text, ~F.text.startswith("/"))
async def merge_target(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident,
    i18n: I18nContext,
    bot: Bot,
    translator: Translator,
    settings: Settings,
) -> None:
    target = parse_ref(message.text, "C")
    if target is None:
        raise ValidationFailed("complaint-error-bad-ref", ref=(message.text or "")[:20])
    source = int((await state.get_data()).get("complaint_id", 0))
    now = _now()
    change = await complaint_service.merge(session, resident, source, target, now)
    await state.clear()
    await message.answer(
        i18n.get("complaint-merged", code=change.complaint.code, target=f"C{target}")
    )
    await announce(bot, translator, session, change, settings.casework, settings.tz, now)


@router.message(
    StateFilter(ChiefInput.reject_reason, ChiefInput.resolve_note, ChiefInput.merge_target),
    ~F.text.startswith("/"),
)
async def chief_input_wrong(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("complaint-reprompt-note"), reply_markup=kb.cancel(i18n.get))


@router.message(ChiefInput.resolve_photo, ~F.text.startswith("/"))
async def resolve_photo_wrong(message: Message, i18n: I18nContext) -> None:
    await message.answer(
        i18n.get("complaint-ask-resolve-photo"),
        reply_markup=kb.step(i18n.get, ("complaint-button-no-photos", "nophoto")),
    )


# --- the author: rating, reopening ------------------------------------------------------------


async def _author_action(
    message: Message,
    action: str,
    cid: int,
    state: FSMContext,
    session: AsyncSession,
    actor: Resident,
    i18n: I18nContext,
    bot: Bot,
    translator: Translator,
    settings: Settings,
    callback_answer: CallbackAnswer,
) -> None:
    now = _now()
    cfg = settings.casework
    if action == "rate":
        data = await complaint_service.for_follower(session, actor, cid)
        if "rate" not in follower_actions(actor, data, now, cfg):
            raise _state_error(data)
        await message.answer(i18n.get("complaint-rate-ask"), reply_markup=kb.stars(cid))
        return
    if action == "reopen":
        change = await complaint_service.reopen(session, actor, cid, now, cfg.reopen_days)
    else:
        change = await complaint_service.close_by_author(session, actor, cid, now)
    await state.clear()
    await message.edit_reply_markup(reply_markup=None)
    callback_answer.text = i18n.get(
        "complaint-done", code=change.complaint.code, status=change.new or ""
    )
    await announce(bot, translator, session, change, cfg, settings.tz, now)


@router.callback_query(ComplaintRate.filter())
async def rated(
    query: CallbackQuery,
    callback_data: ComplaintRate,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
    bot: Bot,
    translator: Translator,
    settings: Settings,
) -> None:
    actor = require_verified(resident)
    now = _now()
    cid, stars = callback_data.complaint_id, callback_data.stars
    change = await complaint_service.rate(session, actor, cid, stars, now)
    assert isinstance(query.message, Message)
    await query.message.edit_reply_markup(reply_markup=None)
    await state.set_state(RateComment.comment)
    await state.set_data({"kind": "rate", "complaint_id": cid})
    low = stars <= 2
    await query.message.answer(
        i18n.get(
            "complaint-rated-low" if low else "complaint-rated", code=f"C{cid}", stars="⭐" * stars
        ),
        reply_markup=kb.after_rating(i18n.get, cid, low=low),
    )
    if change is not None:
        await announce(
            bot, translator, session, change, settings.casework, settings.tz, now, skip=actor
        )


@router.message(RateComment.comment, F.text, ~F.text.startswith("/"))
async def rating_comment(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident,
    i18n: I18nContext,
) -> None:
    cid = int((await state.get_data()).get("complaint_id", 0))
    await complaint_service.comment(session, resident, cid, message.text or "", _now())
    await state.clear()
    await message.answer(i18n.get("complaint-rate-thanks"))


@router.message(RateComment.comment, ~F.text.startswith("/"))
async def rating_comment_wrong(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("complaint-reprompt-note"))


# --- /my and /queue ----------------------------------------------------------------------------


async def _my_items(
    session: AsyncSession, resident: Resident, i18n: I18nContext
) -> list[tuple[str, Any]]:
    rows: list[tuple[datetime, str, Any]] = []
    for c in await complaint_service.list_mine(session, resident):
        label = i18n.get(
            "casework-my-complaint",
            code=c.code,
            title=title_of(c.text, bool(c.voice_file_id), i18n.get),
            status=c.status.value,
        )
        rows.append((c.created_at, label, ComplaintAct(complaint_id=c.id, action="mine")))
    for w in await wish_service.list_mine(session, resident):
        label = i18n.get(
            "casework-my-wish",
            code=w.code,
            title=title_of(w.text, bool(w.voice_file_id), i18n.get),
            status=w.status.value,
        )
        rows.append((w.created_at, label, WishAct(wish_id=w.id, action="open")))
    rows.sort(key=lambda r: r[0], reverse=True)
    return [(label, data) for _, label, data in rows]


async def _queue_items(
    session: AsyncSession, resident: Resident, i18n: I18nContext, settings: Settings
) -> list[tuple[str, Any]]:
    now = _now()
    cfg = settings.casework
    names = {b.id: b.name for b in (await session.scalars(select(Building))).all()}
    rows: list[tuple[tuple[int, datetime], str, Any]] = []
    for c in await complaint_service.open_in_area(session, resident):
        due = complaint_service.deadline(c, cfg)
        overdue = due is not None and now >= due
        label = i18n.get(
            "casework-queue-complaint",
            overdue="yes" if overdue else "no",
            code=c.code,
            category=c.category.value,
            building=names.get(c.building_id, "-"),
            status=c.status.value,
        )
        key = (0, due) if overdue and due else (1, c.created_at)
        rows.append((key, label, ComplaintAct(complaint_id=c.id, action="open")))
    for w in await wish_service.open_in_area(session, resident):
        label = i18n.get(
            "casework-queue-wish",
            code=w.code,
            category=w.category.value,
            building=names.get(w.building_id, "-"),
            status=w.status.value,
        )
        rows.append(((1, w.created_at), label, WishAct(wish_id=w.id, action="open")))
    rows.sort(key=lambda r: r[0])
    return [(label, data) for _, label, data in rows]


async def _show_page(
    message: Message,
    items: list[tuple[str, Any]],
    page: int,
    size: int,
    header: str,
    factory: Any,
    *,
    edit: bool,
) -> None:
    pages = max(1, math.ceil(len(items) / size))
    page = min(max(page, 0), pages - 1)
    chunk = items[page * size : (page + 1) * size]
    markup = kb.paged_list(chunk, page, pages, lambda p: factory(page=p))
    if edit:
        await message.edit_text(header, reply_markup=markup)
    else:
        await message.answer(header, reply_markup=markup)


@router.message(Command("my"), HasAccess(Access.RESIDENT))
async def my_items(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    await state.clear()
    items = await _my_items(session, resident, i18n)
    if not items:
        await message.answer(i18n.get("casework-my-empty"))
        return
    await _show_page(
        message,
        items,
        0,
        settings.casework.page_size,
        i18n.get("casework-my-header", count=str(len(items))),
        MyPage,
        edit=False,
    )


@router.callback_query(MyPage.filter())
async def my_page(
    query: CallbackQuery,
    callback_data: MyPage,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    actor = require_verified(resident)
    items = await _my_items(session, actor, i18n)
    assert isinstance(query.message, Message)
    await _show_page(
        query.message,
        items,
        callback_data.page,
        settings.casework.page_size,
        i18n.get("casework-my-header", count=str(len(items))),
        MyPage,
        edit=True,
    )


@router.message(Command("queue"), HasAccess(Access.BUILDING_CHIEF))
async def queue(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    await state.clear()
    items = await _queue_items(session, resident, i18n, settings)
    if not items:
        await message.answer(i18n.get("casework-queue-empty"))
        return
    await _show_page(
        message,
        items,
        0,
        settings.casework.page_size,
        i18n.get("casework-queue-header", count=str(len(items))),
        QueuePage,
        edit=False,
    )


@router.callback_query(QueuePage.filter())
async def queue_page(
    query: CallbackQuery,
    callback_data: QueuePage,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    actor = require_role(resident, Role.BUILDING_CHIEF)
    items = await _queue_items(session, actor, i18n, settings)
    assert isinstance(query.message, Message)
    await _show_page(
        query.message,
        items,
        callback_data.page,
        settings.casework.page_size,
        i18n.get("casework-queue-header", count=str(len(items))),
        QueuePage,
        edit=True,
    )


# --- /stats ------------------------------------------------------------------------------------


def month_bounds(arg: str, now: datetime, settings: Settings) -> tuple[datetime, datetime, str]:
    """`YYYY-MM` (or this month in the community's time zone) → [start, end) in UTC."""
    local = now.astimezone(settings.tz)
    year, month = local.year, local.month
    if arg:
        try:
            year_s, month_s = arg.replace("/", "-").split("-")
            year, month = int(year_s), int(month_s)
            if not 1 <= month <= 12 or not 2000 <= year <= 2100:
                raise ValueError
        except ValueError:
            raise ValidationFailed("casework-stats-usage") from None
    start = datetime(year, month, 1, tzinfo=settings.tz)
    end = (start + timedelta(days=32)).replace(day=1)
    return start.astimezone(UTC), end.astimezone(UTC), f"{year}-{month:02d}"


def _fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


@router.message(Command("stats"), HasAccess(Access.BUILDING_CHIEF))
async def stats(
    message: Message,
    session: AsyncSession,
    resident: Resident,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    start, end, label = month_bounds(command_arg(message.text), _now(), settings)
    result = await casework_stats.compute(session, resident, start, end, settings.casework)
    await message.answer(
        i18n.get(
            "casework-stats",
            period=label,
            received=str(result.received),
            in_time=_fmt(result.accepted_in_time_pct, 0),
            accept_hours=_fmt(result.median_accept_hours),
            resolve_hours=_fmt(result.median_resolve_hours),
            resolved=_fmt(result.resolved_pct, 0),
            rating=_fmt(result.average_rating),
            ratings=str(result.ratings),
            wishes_posted=str(result.wishes_posted),
            wishes_fulfilled=str(result.wishes_fulfilled),
        )
    )


# --- /handlers (named handlers per grid) -------------------------------------------------------


@router.message(Command("handlers"), HasAccess(Access.GRID_CHIEF))
async def handlers_command(
    message: Message, session: AsyncSession, resident: Resident, i18n: I18nContext
) -> None:
    arg = command_arg(message.text)
    if arg:
        verb, _, name = arg.partition(" ")
        if verb.lower() not in ("add", "添加") or not name.strip():
            raise ValidationFailed("complaint-handlers-usage")
        handler = await complaint_service.add_handler(session, resident, name)
        await message.answer(i18n.get("complaint-handler-added", name=handler.name))
        return
    rows = await complaint_service.handlers_of_actor(session, resident)
    key = "complaint-handlers-list" if rows else "complaint-handlers-none"
    await message.answer(
        i18n.get(key, names="\n".join(f"· {h.name}" for h in rows)),
        reply_markup=kb.handlers(i18n.get, [(h.id, h.name) for h in rows]),
    )


@router.callback_query(HandlerRemove.filter())
async def handler_remove(
    query: CallbackQuery,
    callback_data: HandlerRemove,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
    callback_answer: CallbackAnswer,
) -> None:
    actor = require_verified(resident)
    handler = await complaint_service.remove_handler(session, actor, callback_data.handler_id)
    callback_answer.text = i18n.get("complaint-handler-removed", name=handler.name)
    rows = await complaint_service.handlers_of_actor(session, actor)
    assert isinstance(query.message, Message)
    key = "complaint-handlers-list" if rows else "complaint-handlers-none"
    await query.message.edit_text(
        i18n.get(key, names="\n".join(f"· {h.name}" for h in rows)),
        reply_markup=kb.handlers(i18n.get, [(h.id, h.name) for h in rows]),
    )
