"""/award (grid chiefs and admins): pick the resident from a list of the chief's area (one
typed word searches by name or building when the list is long), the points with buttons,
type the reason, confirm. Admins also make corrections (±) and lift a resident's monthly
caps from the same flow (`/award correct` starts there). The typed forms still work:
`/award <id|@username> <points> <reason>`, `/award correct <id|@username> <±points> <reason>`.
The resident is told why."""

from __future__ import annotations

import secrets

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from linli.bot.callbacks.points import AwardPage, AwardStep, AwardWho
from linli.bot.commands import Access
from linli.bot.delivery import Delivery
from linli.bot.filters import HasAccess
from linli.bot.keyboards import points as kb
from linli.config import Settings
from linli.handlers.points.award_record import label, record, typed_award
from linli.handlers.points.common import (
    draft_lost,
    message_of,
    now_utc,
    private,
    read_draft,
    remember,
    send_question,
    typed,
)
from linli.models import Resident, Role
from linli.services import DbSession, ledger
from linli.services.authz import require_role
from linli.services.errors import StaleAction, ValidationFailed
from linli.services.parsing import parse_int

router = Router(name=__name__)

DRAFT = "award"
CORRECTION_MAX = 1_000_000
CORRECT = ("correct", "更正")
"""The first word of `/award correct …` (in either language)."""


class AwardFlow(StatesGroup):
    person = State()  # the list of people; a typed word searches
    amount = State()  # the amount buttons; "other" lets one type it
    typed_amount = State()
    reason = State()
    preview = State()
    lift = State()


# --- the flow ---------------------------------------------------------------------------------


@router.message(Command("award"), private, HasAccess(Access.GRID_CHIEF))
async def award(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
    settings: Settings,
    delivery: Delivery,
) -> None:
    await state.clear()
    args = (command.args or "").split(maxsplit=3)
    correction = bool(args) and args[0].lower() in CORRECT
    args = args[1:] if correction else (command.args or "").split(maxsplit=2)
    if correction:
        require_role(resident, Role.ADMIN)
    if len(args) == 3:
        await typed_award(message, args, correction, session, resident, i18n, settings, delivery)
        return
    if args:
        await message.answer(i18n.get("award-usage", max=settings.points.award_max))
        return
    await state.set_state(AwardFlow.person)
    await state.update_data({DRAFT: {"correction": correction, "word": ""}})
    await _people(message, state, session, resident, i18n, page=0, edit=False)


async def _people(
    message: Message,
    state: FSMContext,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
    *,
    page: int,
    edit: bool,
) -> None:
    """A page of the people of the chief's area (matching the search word, if any)."""
    draft = await read_draft(state, DRAFT, "word")
    word = str(draft["word"])
    people = await ledger.awardable(session, resident, word)
    size = kb.PEOPLE_PAGE
    pages = max(1, -(-len(people) // size))
    if page >= pages:
        raise StaleAction()
    if not people and not word:
        await state.clear()
        await message.answer(i18n.get("award-nobody"))
        return
    if not people:
        text = i18n.get("award-no-match", word=word)
    else:
        text = i18n.get("award-choose", count=len(people), word=word or "-", size=size)
    rows = [(p.id, f"{p.name} · {p.building}") for p in people[page * size : (page + 1) * size]]
    await send_question(message, state, text, kb.people(i18n.get, rows, page, pages), edit=edit)


@router.message(StateFilter(AwardFlow.person), private, typed)
async def search(
    message: Message,
    state: FSMContext,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
) -> None:
    """One typed word: the people whose name or building contains it."""
    word = " ".join((message.text or "").split())
    if not word or len(word) > 50:
        await message.answer(i18n.get("award-search-hint", limit=50))
        return
    await read_draft(state, DRAFT)
    await remember(state, DRAFT, word=word)
    await _people(message, state, session, resident, i18n, page=0, edit=False)


@router.callback_query(AwardPage.filter(), StateFilter(AwardFlow.person))
async def page(
    query: CallbackQuery,
    callback_data: AwardPage,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    if callback_data.page < 0:
        raise StaleAction()
    await _people(
        message_of(query),
        state,
        session,
        require_role(resident, Role.GRID_CHIEF),
        i18n,
        page=callback_data.page,
        edit=True,
    )


@router.callback_query(AwardWho.filter(), StateFilter(AwardFlow.person))
async def picked(
    query: CallbackQuery,
    callback_data: AwardWho,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    actor = require_role(resident, Role.GRID_CHIEF)
    draft = await read_draft(state, DRAFT, "correction")
    target = await ledger.target_in_area(session, actor, callback_data.resident_id)
    await remember(state, DRAFT, target=target.id, name=label(target))
    if draft["correction"]:
        await _ask_correction(message_of(query), state, i18n, label(target), edit=True)
        return
    await state.set_state(AwardFlow.amount)
    now = now_utc()
    left = await ledger.awards_left(session, actor, settings.points, now=now, tz=settings.tz)
    withheld = await ledger.withheld_in(session, target.id, ledger.period_of(now, settings.tz))
    text = i18n.get("award-how-much", name=label(target), max=settings.points.award_max, left=left)
    if withheld:
        text += "\n" + i18n.get("award-withheld", withheld=withheld)
    await send_question(
        message_of(query),
        state,
        text,
        kb.award_amounts(
            i18n.get,
            min(settings.points.award_max, left),
            admin=actor.role == Role.ADMIN,
            withheld=withheld,
        ),
        edit=True,
    )


async def _ask_correction(
    message: Message, state: FSMContext, i18n: I18nContext, name: str, *, edit: bool
) -> None:
    await remember(state, DRAFT, correction=True)
    await state.set_state(AwardFlow.amount)
    await send_question(
        message,
        state,
        i18n.get("award-how-much-correct", name=name),
        kb.corrections(i18n.get),
        edit=edit,
    )


@router.callback_query(AwardStep.filter(F.action == "correct"), StateFilter(AwardFlow.amount))
async def correction(
    query: CallbackQuery, state: FSMContext, resident: Resident | None, i18n: I18nContext
) -> None:
    require_role(resident, Role.ADMIN)
    draft = await read_draft(state, DRAFT, "target", "name")
    await _ask_correction(message_of(query), state, i18n, str(draft["name"]), edit=True)


@router.callback_query(AwardStep.filter(F.action == "other"), StateFilter(AwardFlow.amount))
async def other_amount(
    query: CallbackQuery, state: FSMContext, i18n: I18nContext, settings: Settings
) -> None:
    draft = await read_draft(state, DRAFT, "target", "correction")
    await state.set_state(AwardFlow.typed_amount)
    key = "award-type-correction" if draft["correction"] else "award-type-amount"
    text = i18n.get(key, max=settings.points.award_max, most=CORRECTION_MAX)
    await send_question(message_of(query), state, text, kb.cancel_only(i18n.get), edit=True)


async def _amount_chosen(
    message: Message,
    state: FSMContext,
    i18n: I18nContext,
    settings: Settings,
    amount: int | None,
    *,
    edit: bool,
) -> None:
    """Check the amount against the flow's kind (an award: 1 to POINTS_AWARD_MAX; a
    correction: not 0), then ask for the reason."""
    draft = await read_draft(state, DRAFT, "target", "correction")
    if draft["correction"]:
        valid = amount is not None and amount != 0
        error = i18n.get("points-error-signed-amount", amount="-", max=CORRECTION_MAX)
    else:
        valid = amount is not None and 0 < amount <= settings.points.award_max
        error = i18n.get("points-error-award-max", max=settings.points.award_max)
    if not valid:
        if edit:
            raise StaleAction()
        await message.answer(error)
        return
    await remember(state, DRAFT, amount=amount)
    await state.set_state(AwardFlow.reason)
    await send_question(
        message,
        state,
        i18n.get("award-ask-reason", name=str(draft["name"]), limit=ledger.REASON_MAX),
        kb.cancel_only(i18n.get),
        edit=edit,
    )


@router.callback_query(AwardStep.filter(F.action == "amount"), StateFilter(AwardFlow.amount))
async def amount_button(
    query: CallbackQuery,
    callback_data: AwardStep,
    state: FSMContext,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    await _amount_chosen(message_of(query), state, i18n, settings, callback_data.value, edit=True)


@router.message(StateFilter(AwardFlow.typed_amount), private, typed)
async def amount_typed(
    message: Message, state: FSMContext, i18n: I18nContext, settings: Settings
) -> None:
    amount = parse_int(message.text, low=-CORRECTION_MAX, high=CORRECTION_MAX, signed=True)
    await _amount_chosen(message, state, i18n, settings, amount, edit=False)


@router.message(StateFilter(AwardFlow.reason), private, typed)
async def reason_typed(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    draft = await read_draft(state, DRAFT, "target", "name", "amount", "correction")
    try:
        reason = ledger.check_reason(message.text or "")
    except ValidationFailed as error:
        await message.answer(i18n.get(error.key, **error.params))
        return
    await remember(state, DRAFT, reason=reason, token=secrets.token_hex(4))
    await state.set_state(AwardFlow.preview)
    key = "award-preview-correct" if draft["correction"] else "award-preview"
    await send_question(
        message,
        state,
        i18n.get(key, name=str(draft["name"]), points=f"{int(draft['amount']):+d}", reason=reason),
        kb.award_confirm(i18n.get),
    )


@router.message(StateFilter(AwardFlow.amount, AwardFlow.preview, AwardFlow.lift), private, typed)
async def expected_button(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("expected-button"))


@router.callback_query(AwardStep.filter(F.action == "ok"), StateFilter(AwardFlow.preview))
async def confirmed(
    query: CallbackQuery,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    settings: Settings,
    delivery: Delivery,
) -> None:
    actor = require_role(resident, Role.GRID_CHIEF)
    draft = await read_draft(state, DRAFT, "target", "amount", "reason", "token", "correction")
    await record(
        message_of(query),
        session,
        actor,
        i18n,
        settings,
        delivery,
        target_id=int(draft["target"]),
        amount_text=str(draft["amount"]),
        reason=str(draft["reason"]),
        correction=bool(draft["correction"]),
        key=f"award:{actor.id}:{draft['token']}",
        edit=True,
    )
    await state.clear()


@router.callback_query(AwardPage.filter())
@router.callback_query(AwardWho.filter())
@router.callback_query(AwardStep.filter())
async def stale(query: CallbackQuery, state: FSMContext) -> None:
    """A button of a step the flow is not at, or of a draft that is gone."""
    await draft_lost(state, DRAFT)
