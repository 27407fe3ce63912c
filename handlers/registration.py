"""Registration: /start (the home menu once verified), picking a grid and a building,
chiefs approving."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import CommandStart, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from linli.bot.callbacks.registration import BackToGrids, PickBuilding, PickGrid, ReviewApplicant
from linli.bot.commands import Access, CommandSpec, CommandTable
from linli.bot.delivery import Delivery
from linli.bot.keyboards import home as home_kb
from linli.bot.keyboards import registration as kb
from linli.bot.menu import set_menu_for_resident
from linli.handlers import home
from linli.models import Resident, ResidentStatus
from linli.services import DbSession, structure
from linli.services import residents as resident_service
from linli.services.authz import require_verified
from linli.services.errors import StaleAction

router = Router(name=__name__)
router.message.filter(F.chat.type == "private")

COMMANDS = [
    CommandSpec("start", Access.ANYONE, "private"),
]


class Registration(StatesGroup):
    choosing_grid = State()
    choosing_building = State()


@router.message(CommandStart())
async def start(
    message: Message,
    state: FSMContext,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
    commands: CommandTable,
    delivery: Delivery,
) -> None:
    await state.clear()
    if resident.status == ResidentStatus.BLOCKED:
        await message.answer(i18n.get("start-blocked"))
    elif resident.is_verified:
        if resident.is_chief:  # their own menu, now that Telegram knows the chat
            await set_menu_for_resident(delivery.bot, delivery.translator, resident, commands)
        await home.welcome(message, session, resident, i18n, commands)
    elif resident.building_id is not None:
        await home.show_menu(message, session, resident, i18n, commands)
    else:
        await ask_grid(message, state, session, i18n, greet=True)


async def ask_grid(
    message: Message,
    state: FSMContext,
    session: DbSession,
    i18n: I18nContext,
    *,
    greet: bool = False,
    edit: bool = False,
) -> None:
    grids = await structure.grid_choices(session)
    if not grids:
        await message.answer(i18n.get("start-no-structure"))
        return
    labels = [
        (g, g.name if community is None else f"{community} · {g.name}") for g, community in grids
    ]
    text = (i18n.get("start-greeting") + "\n\n" if greet else "") + i18n.get("start-pick-grid")
    await state.set_state(Registration.choosing_grid)
    if edit:
        await message.edit_text(text, reply_markup=kb.grids(labels))
    else:
        await message.answer(text, reply_markup=kb.grids(labels))


@router.callback_query(PickGrid.filter())
async def picked_grid(
    query: CallbackQuery,
    callback_data: PickGrid,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    if resident is None or resident.status != ResidentStatus.PENDING or resident.building_id:
        raise StaleAction()
    grid = await structure.get_grid(session, callback_data.grid_id)
    buildings = await structure.list_buildings(session, grid.id)
    if not buildings:
        raise StaleAction("start-grid-empty")
    await state.set_state(Registration.choosing_building)
    assert isinstance(query.message, Message)
    await query.message.edit_text(
        i18n.get("start-pick-building", grid=grid.name),
        reply_markup=kb.buildings(buildings, i18n.get("button-back")),
    )


@router.callback_query(BackToGrids.filter())
async def back_to_grids(
    query: CallbackQuery,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    if resident is None or resident.status != ResidentStatus.PENDING or resident.building_id:
        raise StaleAction()
    assert isinstance(query.message, Message)
    await ask_grid(query.message, state, session, i18n, edit=True)


@router.callback_query(PickBuilding.filter())
async def picked_building(
    query: CallbackQuery,
    callback_data: PickBuilding,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    if resident is None or resident.status != ResidentStatus.PENDING or resident.building_id:
        raise StaleAction()
    application = await resident_service.apply(session, resident, callback_data.building_id)
    grid, building = application.grid.name, application.building.name
    await state.clear()
    assert isinstance(query.message, Message)
    await query.message.edit_text(i18n.get("start-applied", grid=grid, building=building))
    for chief in application.approvers:
        await delivery.tell(
            chief,
            "review-request",
            name=resident.display_name or str(resident.telegram_id),
            username=f"@{resident.username}" if resident.username else "-",
            grid=grid,
            building=building,
            reply_markup=kb.review(
                resident.id,
                delivery.translator.for_resident(chief, "button-approve"),
                delivery.translator.for_resident(chief, "button-reject"),
            ),
        )


@router.message(
    StateFilter(Registration.choosing_grid, Registration.choosing_building),
    ~F.text.startswith("/"),
)
async def expected_button(message: Message, i18n: I18nContext) -> None:
    """Typed text (or a sticker, a voice...) where a button was expected."""
    await message.answer(i18n.get("expected-button"))


@router.callback_query(ReviewApplicant.filter(F.approve))
async def approve(
    query: CallbackQuery,
    callback_data: ReviewApplicant,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    chief = require_verified(resident)
    decision = await resident_service.approve(session, chief, callback_data.resident_id)
    await _reviewed(query, decision, chief, i18n, delivery)


@router.callback_query(ReviewApplicant.filter(~F.approve))
async def reject(
    query: CallbackQuery,
    callback_data: ReviewApplicant,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    chief = require_verified(resident)
    decision = await resident_service.reject(session, chief, callback_data.resident_id)
    await _reviewed(query, decision, chief, i18n, delivery)


async def _reviewed(
    query: CallbackQuery,
    decision: resident_service.Decision,
    chief: Resident,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    """The chief's card says who decided; the applicant is told."""
    key, tell_key = (
        ("review-approved", "start-approved")
        if decision.approved
        else ("review-rejected", "start-rejected")
    )
    target, grid, building = decision.resident, decision.grid.name, decision.building.name
    if isinstance(query.message, Message):
        await query.message.edit_text(
            i18n.get(
                key,
                name=target.display_name or str(target.telegram_id),
                grid=grid,
                building=building,
                chief=chief.display_name,
            )
        )
    # The approved resident gets a button that opens the home menu (and its menu button).
    opener = (
        home_kb.open_menu(lambda key: delivery.translator.for_resident(target, key))
        if decision.approved
        else None
    )
    await delivery.tell(target, tell_key, grid=grid, building=building, reply_markup=opener)
