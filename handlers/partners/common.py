"""What the partner conversations share: the private-chat filter, the clock, the button's
message, the filter that recognises someone whose only standing here is a partner one, and
the Cancel step that leaves any partner flow."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aiogram import F, Router
from aiogram.filters import BaseFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, TelegramObject
from aiogram_i18n import I18nContext

from linli.bot.callbacks.partners import Step
from linli.models import Resident, Role
from linli.services import DbSession
from linli.services import partners as partner_service
from linli.services.errors import StaleAction

router = Router(name=__name__)

private = F.chat.type == "private"
typed = ~F.text.startswith("/")
"""A message that is not a command (a command leaves the flow through its own handler)."""


def now_utc() -> datetime:
    return datetime.now(UTC)


def message_of(query: CallbackQuery) -> Message:
    """The message a button is on; one too old for Telegram to show makes it stale."""
    if not isinstance(query.message, Message):
        raise StaleAction()
    return query.message


async def draft(state: FSMContext, key: str) -> dict[str, Any]:
    """The flow's draft kept under `key`; a flow whose draft is gone (expired, another
    device, a restart without Redis) must start again."""
    data = (await state.get_data()).get(key)
    if not isinstance(data, dict):
        await state.clear()
        raise StaleAction("partner-error-draft-lost")
    return data


async def remember(state: FSMContext, key: str, **values: object) -> dict[str, Any]:
    data = dict((await state.get_data()).get(key) or {})
    data.update(values)
    await state.update_data({key: data})
    return data


class PartnerOnly(BaseFilter):
    """Passes for someone without a home here whose standing is a partner one (a member, a
    pending member, a mobile grid member); injects it as `standing`."""

    async def __call__(
        self, event: TelegramObject, session: DbSession, resident: Resident | None = None
    ) -> bool | dict[str, Any]:
        if resident is None or resident.building_id is not None or resident.role != Role.RESIDENT:
            return False
        found = await partner_service.standing(session, resident)
        return {"standing": found} if found.partner_only else False


@router.callback_query(Step.filter(F.action == "cancel"))
async def cancel(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    await state.clear()
    await message_of(query).edit_text(i18n.get("cancel-done"))
