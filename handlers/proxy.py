"""The "for a resident without a phone" step (代录) of `/complain_for`, `/wish_for` and any
later flow that files on someone's behalf: the chief writes the resident's name and flat,
then picks the building when they manage several (`services.proxy` holds the rules).

A flow keeps its own states, texts and keyboards and calls these helpers from its
handlers; the draft keys are the same for every flow: `offline` (True), `offline_name`,
`building_id`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from linli.models import Building, Resident
from linli.services import DbSession
from linli.services import proxy as proxy_service

DRAFT_KEYS = ("offline", "offline_name", "building_id")
"""What a flow keeps when the chief starts the draft over."""


@dataclass(frozen=True)
class ProxyStep:
    """One flow's side of the step: its states, its questions and keyboards (`tr`
    translates in the chief's language)."""

    name_state: State
    building_state: State
    ask_name: str
    ask_building: str
    cancel: Callable[[Callable[..., str]], InlineKeyboardMarkup]
    buildings: Callable[[Callable[..., str], list[Building]], InlineKeyboardMarkup]


async def start(
    message: Message,
    state: FSMContext,
    step: ProxyStep,
    tr: Callable[..., str],
    draft: dict[str, Any],
) -> None:
    """A new draft for someone else (`draft`: the flow's own keys): ask for their name."""
    await state.clear()
    await state.set_state(step.name_state)
    await state.set_data({**draft, "offline": True})
    await message.answer(tr(step.ask_name), reply_markup=step.cancel(tr))


async def take_name(
    message: Message,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    step: ProxyStep,
    tr: Callable[..., str],
) -> bool:
    """Keep the resident's name; True when the building is settled too (the chief has
    one), else the building question is asked and the flow waits for `take_building`."""
    name = proxy_service.check_name(message.text or "")
    buildings = await proxy_service.buildings(session, resident)
    await state.update_data(offline_name=name)
    if len(buildings) == 1:
        await state.update_data(building_id=buildings[0].id)
        return True
    await state.set_state(step.building_state)
    await message.answer(tr(step.ask_building), reply_markup=step.buildings(tr, buildings))
    return False


async def take_building(
    query: CallbackQuery,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    building_id: int,
) -> Message:
    """Keep the picked building (one of the chief's area); returns the question's message,
    its buttons removed, for the flow to ask its next question."""
    building, _grid = await proxy_service.building(session, resident, building_id)
    await state.update_data(building_id=building.id)
    assert isinstance(query.message, Message)
    await query.message.edit_reply_markup(reply_markup=None)
    return query.message


async def wrong_name(message: Message, step: ProxyStep, tr: Callable[..., str]) -> None:
    """Anything but text at the name question: ask again."""
    await message.answer(tr(step.ask_name), reply_markup=step.cancel(tr))


def offline_fields(draft: dict[str, Any]) -> dict[str, Any]:
    """The `offline_author` and `building_id` arguments of a create service, from a draft
    (None for a draft of one's own)."""
    if not draft.get("offline"):
        return {"offline_author": None, "building_id": None}
    return {"offline_author": draft.get("offline_name"), "building_id": draft.get("building_id")}
