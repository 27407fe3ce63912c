"""The "for a resident without a phone" step (代录) of `/complain_for`, `/wish_for` and any
later flow that files on someone's behalf: the chief sends the command, writes the
resident's name and flat, then picks the building when they manage several
(`services.proxy` holds the rules and checks them again when the record is stored).

A flow describes its side in a `ProxyStep` (its command, states, texts, keyboards and the
question that follows) and includes `router_for(step)` in its router. The draft keys are
the same for every flow: `offline` (True), `offline_name`, `building_id`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext

from linli.bot.commands import Access
from linli.bot.filters import HasAccess
from linli.handlers.casework_common import buttons_done
from linli.models import Building, Resident
from linli.services import DbSession
from linli.services import proxy as proxy_service
from linli.services.errors import StaleAction

DRAFT_KEYS = ("offline", "offline_name", "building_id")
"""What a flow keeps when the chief starts the draft over."""

Tr = Callable[..., str]


class BuildingPick(Protocol):
    """A flow's building button (`ComplaintBuildingPick`, `WishBuildingPick`)."""

    building_id: int


@dataclass(frozen=True)
class ProxyStep:
    """One flow's side of the step (`tr` translates in the chief's language)."""

    command: str
    name_state: State
    building_state: State
    ask_name: str
    ask_building: str
    cancel: Callable[[Tr], InlineKeyboardMarkup]
    buildings: Callable[[Tr, list[Building]], InlineKeyboardMarkup]
    building_pick: type[CallbackData]
    """Its factory has a `building_id` field."""
    then: Callable[[Message, FSMContext, I18nContext], Awaitable[None]]
    """Asks the flow's first own question once the building is settled."""
    draft: dict[str, Any] = field(default_factory=dict)
    """The flow's own keys of a new draft."""
    lost: str = "error-stale-button"
    """The "start again" answer when the draft is gone."""


def router_for(step: ProxyStep) -> Router:
    """The step's handlers for one flow: its command, the name, the building."""
    router = Router(name=f"{__name__}.{step.command}")

    @router.message(Command(step.command), HasAccess(Access.BUILDING_CHIEF))
    async def begin(message: Message, state: FSMContext, i18n: I18nContext) -> None:
        await state.clear()
        await state.set_state(step.name_state)
        await state.set_data({**step.draft, "offline": True})
        await message.answer(i18n.get(step.ask_name), reply_markup=step.cancel(i18n.get))

    @router.message(step.name_state, F.text, ~F.text.startswith("/"))
    async def name(
        message: Message,
        state: FSMContext,
        session: DbSession,
        resident: Resident,
        i18n: I18nContext,
    ) -> None:
        """Keep the name; ask for the building unless the chief has only one."""
        if not (await state.get_data()).get("offline"):
            raise StaleAction(step.lost)
        offline_name = proxy_service.check_name(message.text or "")
        buildings = await proxy_service.buildings(session, resident)
        await state.update_data(offline_name=offline_name)
        if len(buildings) == 1:
            await state.update_data(building_id=buildings[0].id)
            await step.then(message, state, i18n)
            return
        await state.set_state(step.building_state)
        await message.answer(
            i18n.get(step.ask_building), reply_markup=step.buildings(i18n.get, buildings)
        )

    @router.message(step.name_state, ~F.text.startswith("/"))
    async def name_wrong(message: Message, i18n: I18nContext) -> None:
        await message.answer(i18n.get(step.ask_name), reply_markup=step.cancel(i18n.get))

    @router.callback_query(step.building_state, step.building_pick.filter())
    async def building(
        query: CallbackQuery,
        callback_data: BuildingPick,
        state: FSMContext,
        session: DbSession,
        resident: Resident | None,
        i18n: I18nContext,
    ) -> None:
        """Keep the picked building (one of the chief's area)."""
        if not (await state.get_data()).get("offline"):
            raise StaleAction(step.lost)
        picked, _grid = await proxy_service.building(session, resident, callback_data.building_id)
        await state.update_data(building_id=picked.id)
        await step.then(await buttons_done(query), state, i18n)

    return router


def offline_fields(draft: dict[str, Any]) -> dict[str, Any]:
    """The `offline_author` and `building_id` arguments of a create service, from a draft
    (None for a draft of one's own)."""
    if not draft.get("offline"):
        return {"offline_author": None, "building_id": None}
    return {"offline_author": draft.get("offline_name"), "building_id": draft.get("building_id")}
