"""Lifting a resident's monthly caps (admins), a branch of the /award flow: after picking
the resident, "lift the caps" asks for confirmation and releases the withheld credits."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery
from aiogram_i18n import I18nContext

from linli.bot.callbacks.points import AwardStep
from linli.bot.delivery import Delivery
from linli.bot.keyboards import points as kb
from linli.config import Settings
from linli.handlers.points.award import DRAFT, AwardFlow
from linli.handlers.points.common import message_of, now_utc, read_draft, send_question
from linli.models import Resident, Role
from linli.services import DbSession, ledger
from linli.services.authz import require_role

router = Router(name=__name__)


@router.callback_query(AwardStep.filter(F.action == "lift"), StateFilter(AwardFlow.amount))
async def ask_lift(
    query: CallbackQuery,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    require_role(resident, Role.ADMIN)
    draft = await read_draft(state, DRAFT, "target", "name")
    now = now_utc()
    month = ledger.period_of(now, settings.tz)
    withheld = await ledger.withheld_in(session, int(draft["target"]), month)
    await state.set_state(AwardFlow.lift)
    await send_question(
        message_of(query),
        state,
        i18n.get("award-lift-ask", name=str(draft["name"]), month=month, withheld=withheld),
        kb.award_confirm(i18n.get, "lifted"),
        edit=True,
    )


@router.callback_query(AwardStep.filter(F.action == "lifted"), StateFilter(AwardFlow.lift))
async def lift(
    query: CallbackQuery,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    settings: Settings,
    delivery: Delivery,
) -> None:
    actor = require_role(resident, Role.ADMIN)
    draft = await read_draft(state, DRAFT, "target", "name")
    lifted = await ledger.lift_cap(
        session, actor, int(draft["target"]), now=now_utc(), tz=settings.tz
    )
    await state.clear()
    await message_of(query).edit_text(
        i18n.get(
            "award-lifted", name=str(draft["name"]), month=lifted.period, released=lifted.released
        )
    )
    await delivery.points.cap_lifted(lifted)
