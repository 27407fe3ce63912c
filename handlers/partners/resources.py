"""A unit's resources list (资源清单): its members see it; its contact (or an admin) adds a
resource (kind, what it is, availability and limits, how many — one question per message)
and withdraws one."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from linli.bot.callbacks.partners import ResourceAct, ResourceKindPick, Step, UnitAct
from linli.bot.keyboards import partners as kb
from linli.handlers.partners.common import draft, message_of, now_utc, private, remember, typed
from linli.models import Resident
from linli.models.partners import Resource
from linli.services import DbSession, parsing
from linli.services import partners as partner_service
from linli.services import resources as resource_service
from linli.services.partners import UnitAction

router = Router(name=__name__)
DRAFT = "resource_new"


class ResourceNew(StatesGroup):
    kind = State()
    title = State()
    details = State()
    quantity = State()
    confirm = State()


def resource_line(i18n: I18nContext, resource: Resource) -> str:
    text = i18n.get(
        "resource-line", code=resource.code, kind=resource.kind.value, title=resource.title
    )
    if resource.quantity is not None:
        text += i18n.get("resource-quantity", kind=resource.kind.value, count=resource.quantity)
    if resource.details:
        text += "\n    " + resource.details
    return text


@router.callback_query(UnitAct.filter(F.action == UnitAction.RESOURCES))
async def list_resources(
    query: CallbackQuery,
    callback_data: UnitAct,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    view, items = await resource_service.of_unit(session, resident, callback_data.unit_id)
    lines = [i18n.get("resource-title", unit=view.unit.name)]
    lines += [resource_line(i18n, r) for r in items] or [i18n.get("resource-none")]
    await message_of(query).edit_text(
        "\n".join(lines),
        reply_markup=kb.resources(i18n.get, view.unit.id, items, manager=view.manager),
    )


@router.callback_query(ResourceAct.filter(F.action == "withdraw"))
async def withdraw(
    query: CallbackQuery,
    callback_data: ResourceAct,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    callback_answer: CallbackAnswer,
) -> None:
    resource = await resource_service.withdraw(
        session, resident, callback_data.resource_id, now_utc()
    )
    view, items = await resource_service.of_unit(session, resident, resource.unit_id)
    lines = [i18n.get("resource-title", unit=view.unit.name)]
    lines += [resource_line(i18n, r) for r in items] or [i18n.get("resource-none")]
    await message_of(query).edit_text(
        "\n".join(lines),
        reply_markup=kb.resources(i18n.get, view.unit.id, items, manager=view.manager),
    )
    callback_answer.text = i18n.get("resource-withdrawn", code=resource.code)


# --- adding one ---------------------------------------------------------------------------------


@router.callback_query(UnitAct.filter(F.action == "add"))
async def add(
    query: CallbackQuery,
    callback_data: UnitAct,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    await partner_service.require_manager(session, resident, callback_data.unit_id)
    await state.set_state(ResourceNew.kind)
    await state.update_data({DRAFT: {"unit_id": callback_data.unit_id}})
    await message_of(query).answer(
        i18n.get("resource-ask-kind"), reply_markup=kb.resource_kinds(i18n.get)
    )


@router.callback_query(ResourceNew.kind, ResourceKindPick.filter())
async def got_kind(
    query: CallbackQuery, callback_data: ResourceKindPick, state: FSMContext, i18n: I18nContext
) -> None:
    await draft(state, DRAFT)
    await remember(state, DRAFT, kind=callback_data.kind)
    await state.set_state(ResourceNew.title)
    await message_of(query).edit_text(
        i18n.get("resource-ask-title", kind=callback_data.kind, limit=resource_service.TITLE_MAX),
        reply_markup=kb.cancel_only(i18n.get),
    )


@router.message(ResourceNew.title, private, typed)
async def got_title(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await draft(state, DRAFT)
    title = partner_service.check_text(message.text, resource_service.TITLE_MAX)
    await remember(state, DRAFT, title=title)
    await state.set_state(ResourceNew.details)
    await message.answer(
        i18n.get("resource-ask-details", limit=resource_service.DETAILS_MAX),
        reply_markup=kb.skip_or_cancel(i18n.get),
    )


@router.message(ResourceNew.details, private, typed)
async def got_details(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await draft(state, DRAFT)
    details = partner_service.check_text(message.text, resource_service.DETAILS_MAX)
    await remember(state, DRAFT, details=details)
    await _ask_quantity(message, state, i18n)


@router.callback_query(ResourceNew.details, Step.filter(F.action == "skip"))
async def skipped_details(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    await draft(state, DRAFT)
    await remember(state, DRAFT, details="")
    await _ask_quantity(message_of(query), state, i18n)


async def _ask_quantity(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    data = await draft(state, DRAFT)
    await state.set_state(ResourceNew.quantity)
    await message.answer(
        i18n.get(
            "resource-ask-quantity",
            kind=str(data.get("kind", "")),
            limit=resource_service.QUANTITY_MAX,
        ),
        reply_markup=kb.skip_or_cancel(i18n.get),
    )


@router.message(ResourceNew.quantity, private, typed)
async def got_quantity(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await draft(state, DRAFT)
    quantity = parsing.parse_int(message.text, low=1, high=resource_service.QUANTITY_MAX)
    if quantity is None:
        await message.answer(
            i18n.get("resource-error-quantity", limit=resource_service.QUANTITY_MAX)
        )
        return
    await _preview(message, state, i18n, quantity)


@router.callback_query(ResourceNew.quantity, Step.filter(F.action == "skip"))
async def skipped_quantity(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    await _preview(message_of(query), state, i18n, None)


async def _preview(
    message: Message, state: FSMContext, i18n: I18nContext, quantity: int | None
) -> None:
    data = await draft(state, DRAFT)
    data = await remember(state, DRAFT, quantity=quantity)
    await state.set_state(ResourceNew.confirm)
    text = i18n.get(
        "resource-preview",
        kind=str(data.get("kind", "")),
        title=str(data.get("title", "")),
        details=str(data.get("details") or "-"),
        quantity=str(quantity) if quantity is not None else "-",
    )
    await message.answer(text, reply_markup=kb.confirm(i18n.get))


@router.message(ResourceNew.kind, private, typed)
@router.message(ResourceNew.confirm, private, typed)
async def expected_button(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("expected-button"))


@router.callback_query(ResourceNew.confirm, Step.filter(F.action == "confirm"))
async def confirmed(
    query: CallbackQuery,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    data = await draft(state, DRAFT)
    quantity = data.get("quantity")
    resource = await resource_service.add(
        session,
        resident,
        int(data.get("unit_id") or 0),
        resource_service.ResourceDraft(
            kind=str(data.get("kind", "")),
            title=str(data.get("title", "")),
            details=str(data.get("details", "")),
            quantity=quantity if isinstance(quantity, int) else None,
        ),
        now_utc(),
    )
    await state.clear()
    await message_of(query).edit_text(
        i18n.get("resource-added", code=resource.code, title=resource.title),
        reply_markup=kb.menu_button(i18n.get),
    )
