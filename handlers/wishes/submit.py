"""The buttons of a wish draft's steps (no photo, show the name or not; in /wish_for the
resident's consent), its preview with
Confirm / Start over / Cancel (Confirm stores the wish and enqueues its group post in one
transaction), and the stale buttons of a draft that moved on or is gone. This router comes
after the other wish routers: its catch-all answers the step buttons nothing else took."""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery
from aiogram_i18n import I18nContext

from linli.bot.callbacks.wishes import WishBuildingPick, WishCategoryPick, WishStep
from linli.bot.delivery import Delivery
from linli.bot.keyboards import wishes as kb
from linli.handlers import proxy
from linli.handlers.casework_common import buttons_done, now
from linli.handlers.wishes.filing import WishForm, ask_show_name, ask_text, draft
from linli.models import Resident
from linli.models.wishes import WishCategory
from linli.services import DbSession
from linli.services import proxy as proxy_service
from linli.services import wishes as wish_service
from linli.services.authz import require_verified
from linli.services.errors import StaleAction

router = Router(name=__name__)


@router.callback_query(WishStep.filter(F.action == "cancel"))
async def cancel(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    await state.clear()
    message = await buttons_done(query)
    await message.answer(i18n.get("cancel-done"))


async def _ready(state: FSMContext) -> dict[str, Any]:
    """The draft, with its category chosen (a draft without is gone: start again)."""
    data = await draft(state)
    if data.get("category") not in {c.value for c in WishCategory}:
        raise StaleAction("wish-draft-lost")
    return data


@router.callback_query(WishForm.photo, WishStep.filter(F.action == "nophoto"))
async def no_photo(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    await _ready(state)
    await state.update_data(photo=None)
    await ask_show_name(await buttons_done(query), state, i18n)


@router.callback_query(
    WishForm.show_name, WishStep.filter(F.action.in_({"name_yes", "name_no", "consent_yes"}))
)
async def name_chosen(
    query: CallbackQuery, callback_data: WishStep, state: FSMContext, i18n: I18nContext
) -> None:
    """Show the author's name or not; for /wish_for only with the resident's consent and
    only when a name (without the door number) can be shown."""
    data = await _ready(state)
    offline = bool(data.get("offline"))
    show = callback_data.action != "name_no"
    if show and callback_data.action != ("consent_yes" if offline else "name_yes"):
        raise StaleAction()
    if show and offline and proxy_service.public_name(data.get("offline_name")) is None:
        raise StaleAction()
    data = await state.update_data(show_name=show)
    await state.set_state(WishForm.preview)
    message = await buttons_done(query)
    await message.answer(_preview(data, i18n), reply_markup=kb.preview(i18n.get))


def _preview(data: dict[str, Any], i18n: I18nContext) -> str:
    """The wish as it will be stored and posted; its number is given on saving."""
    lines = [
        i18n.get("wish-preview-title"),
        i18n.get("wish-preview-heading", category=data["category"]),
    ]
    if data.get("offline"):
        lines.append(i18n.get("wish-card-offline", name=data.get("offline_name") or "-"))
    if data.get("text"):
        lines.append(data["text"])
    if data.get("voice"):
        lines.append(i18n.get("wish-preview-voice"))
    lines.append(i18n.get("wish-preview-photo" if data.get("photo") else "wish-preview-no-photo"))
    if data.get("offline"):
        name = proxy_service.public_name(data.get("offline_name"))
        lines.append(
            i18n.get("wish-preview-post-named", name=name)
            if data.get("show_name") and name
            else i18n.get("wish-preview-post-neighbour")
        )
    else:
        lines.append(
            i18n.get("wish-preview-name-yes" if data.get("show_name") else "wish-preview-name-no")
        )
    return "\n".join(lines)


@router.callback_query(WishForm.preview, WishStep.filter(F.action == "edit"))
async def start_over(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    """Write it again from the text; who it is for and where stay."""
    data = await _ready(state)
    await state.set_data({"kind": "wish", **{k: data[k] for k in proxy.DRAFT_KEYS if k in data}})
    await ask_text(await buttons_done(query), state, i18n)


@router.callback_query(WishForm.preview, WishStep.filter(F.action == "confirm"))
async def confirm(
    query: CallbackQuery,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    data = await _ready(state)
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
    message = await buttons_done(query)
    groups = await wish_service.group_count(session, wish.id)
    key = "wish-created-posted" if groups else "wish-created-no-group"
    await message.answer(i18n.get(key, code=wish.code))


@router.callback_query(WishStep.filter())
@router.callback_query(WishCategoryPick.filter())
@router.callback_query(WishBuildingPick.filter())
async def stale_step(query: CallbackQuery, state: FSMContext) -> None:
    """A button of a step the draft is not at, or of a draft that is gone."""
    await draft(state)
    raise StaleAction()
