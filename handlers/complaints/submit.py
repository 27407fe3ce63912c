"""The buttons of a complaint draft's steps (skip photos, skip the location, anonymous or
not), its preview with Submit / Start over / Cancel, and the stale buttons of a draft that
moved on or is gone. This router comes last among the complaint routers: its catch-all
answers the step buttons no other handler took."""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.filters.callback_data import CallbackQueryFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery
from aiogram_i18n import I18nContext

from linli.bot.callbacks.complaints import (
    ComplaintAct,
    ComplaintBuildingPick,
    ComplaintCategoryPick,
    ComplaintReason,
    ComplaintStep,
)
from linli.bot.delivery import Delivery
from linli.bot.keyboards import complaints as kb
from linli.handlers import proxy
from linli.handlers.casework_common import buttons_done, now
from linli.handlers.complaints.filing import (
    ComplaintForm,
    after_category,
    ask_anonymous,
    ask_location,
    ask_text,
    draft,
)
from linli.models import Resident
from linli.models.complaints import ComplaintCategory
from linli.services import DbSession
from linli.services import complaints as complaint_service
from linli.services.authz import require_verified
from linli.services.errors import StaleAction

router = Router(name=__name__)


def _step(action: str) -> CallbackQueryFilter:
    return ComplaintStep.filter(F.action == action)


@router.callback_query(_step("cancel"))
async def cancel(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    """Cancel of any complaint question (the draft, a chief's note): nothing is stored."""
    await state.clear()
    message = await buttons_done(query)
    await message.answer(i18n.get("cancel-done"))


async def _ready(state: FSMContext) -> dict[str, Any]:
    """The draft, with its category chosen (a draft without is gone: start again)."""
    data = await draft(state)
    if data.get("category") not in {c.value for c in ComplaintCategory}:
        raise StaleAction("complaint-draft-lost")
    return data


@router.callback_query(ComplaintForm.similar, _step("new"))
async def file_new(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    await _ready(state)
    await after_category(await buttons_done(query), state, i18n)


@router.callback_query(ComplaintForm.photos, _step("photos_done"))
async def photos_done(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    await _ready(state)
    await ask_location(await buttons_done(query), state, i18n)


@router.callback_query(ComplaintForm.location, _step("noloc"))
async def no_location(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    await _ready(state)
    await ask_anonymous(await buttons_done(query), state, i18n)


@router.callback_query(ComplaintForm.anonymous, ComplaintStep.filter(F.action.startswith("anon_")))
async def anonymous_chosen(
    query: CallbackQuery, callback_data: ComplaintStep, state: FSMContext, i18n: I18nContext
) -> None:
    await _ready(state)
    data = await state.update_data(anonymous=callback_data.action == "anon_yes")
    await state.set_state(ComplaintForm.preview)
    message = await buttons_done(query)
    await message.answer(_preview_text(i18n, data), reply_markup=kb.preview(i18n.get))


def _preview_text(i18n: I18nContext, data: dict[str, Any]) -> str:
    """The draft as it will be stored; its number is given on saving."""
    lines = [i18n.get("complaint-preview-title")]
    if data.get("offline"):
        lines.append(i18n.get("complaint-preview-offline", name=data.get("offline_name", "-")))
    lines.append(i18n.get("complaint-preview-heading", category=data["category"]))
    if data.get("text"):
        lines.append(i18n.get("complaint-card-text", text=data["text"]))
    if data.get("voice"):
        lines.append(i18n.get("complaint-card-voice"))
    photos = len(data.get("photos") or [])
    lines.append(
        i18n.get("complaint-card-photos", count=photos)
        if photos
        else i18n.get("complaint-preview-no-photos")
    )
    if data.get("loc_text"):
        lines.append(i18n.get("complaint-card-location", location=data["loc_text"]))
    elif data.get("lat") is not None:
        lines.append(i18n.get("complaint-card-pin"))
    lines.append(
        i18n.get(
            "complaint-preview-anon-yes" if data.get("anonymous") else "complaint-preview-anon-no"
        )
    )
    return "\n".join(lines)


@router.callback_query(ComplaintForm.preview, _step("edit"))
async def start_over(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    """Write it again from the text; who it is for, where and the category stay."""
    data = await _ready(state)
    keep = {k: data[k] for k in ("kind", "category", *proxy.DRAFT_KEYS) if k in data}
    await state.set_data({**keep, "photos": []})
    await ask_text(await buttons_done(query), state, i18n)


@router.callback_query(ComplaintForm.preview, _step("confirm"))
async def submit(
    query: CallbackQuery,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    data = await _ready(state)
    actor = require_verified(resident)
    moment = now()
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
        now=moment,
        **proxy.offline_fields(data),
    )
    await state.clear()
    message = await buttons_done(query)
    cfg = delivery.settings.casework
    category = data["category"]
    await message.answer(
        i18n.get(
            "complaint-created",
            code=change.complaint.code,
            accept_hours=_num(cfg.accept_target(category).total_seconds() / 3600),
            resolve_days=_num(cfg.resolve_target(category).total_seconds() / 86400),
        )
    )
    await delivery.casework.announce(session, change, moment, skip=actor)


def _num(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.1f}"


@router.callback_query(ComplaintStep.filter())
@router.callback_query(ComplaintCategoryPick.filter())
@router.callback_query(ComplaintBuildingPick.filter())
@router.callback_query(ComplaintReason.filter())
async def stale_step(query: CallbackQuery, state: FSMContext) -> None:
    """A button of a step the draft is not at, or of a draft that is gone."""
    await draft(state)
    raise StaleAction()


@router.callback_query(ComplaintAct.filter())
async def stale_action(query: CallbackQuery, resident: Resident | None) -> None:
    """An action no handler takes (a forged one, or voice on a complaint without)."""
    require_verified(resident)
    raise StaleAction()
