"""/notice: where it goes. The target buttons cover the chief's area only (a building
chief's one choice is made for them); an admin first opens a grid; "choose buildings"
toggles buildings of a grid. Services check every target again (a forged button is
refused)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from linli.bot.callbacks.notices import NBuilding, NTarget
from linli.bot.keyboards import notices as kb
from linli.handlers.notices.common import (
    NoticeFlow,
    describe_target,
    kind_from,
    read_draft,
    target_data,
)
from linli.models import Grid, Resident, Role
from linli.models.notices import NoticeKind, TargetKind
from linli.services import DbSession, structure
from linli.services import notices as notice_service
from linli.services.errors import StaleAction, ValidationFailed

router = Router(name=__name__)

CHOOSING = StateFilter(NoticeFlow.target, NoticeFlow.buildings)

_DIRECT = {
    "all": TargetKind.ALL,
    "grid": TargetKind.GRID,
    "gridb": TargetKind.GRID_BUILDINGS,
    "bld": TargetKind.BUILDINGS,
}
"""Target buttons that name the target itself (the unit id is a grid, or for "bld" a
building)."""


async def ask_target(
    message: Message,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    *,
    grid_id: int | None = None,
    edit: bool = False,
) -> None:
    """Target buttons for the actor's area (a building chief's only choice is taken)."""
    assert resident is not None
    agenda_kind = kind_from(await read_draft(state, "kind")) == NoticeKind.AGENDA
    options = await notice_service.target_options(session, resident)
    if resident.role == Role.BUILDING_CHIEF:
        building = options.buildings[options.grids[0].id][0]
        target = notice_service.Target(TargetKind.BUILDINGS, None, (building.id,))
        await _set_target(message, state, session, resident, i18n, target)
        return
    rows: list[tuple[str, NTarget]] = []
    grids = options.grids
    if grid_id is None and len(grids) > 1:
        if options.all and not agenda_kind:
            rows.append((i18n.get("notice-target-all"), NTarget(kind="all")))
        rows += [(f"{g.name} …", NTarget(kind="g", unit_id=g.id)) for g in grids]
    else:
        grid = next((g for g in grids if g.id == grid_id), grids[0])
        if options.all and not agenda_kind and len(grids) == 1:
            rows.append((i18n.get("notice-target-all"), NTarget(kind="all")))
        rows.append(
            (i18n.get("notice-target-grid", grid=grid.name), NTarget(kind="grid", unit_id=grid.id))
        )
        if agenda_kind:
            rows += [
                (f"{grid.name} · {b.name}", NTarget(kind="bld", unit_id=b.id))
                for b in options.buildings.get(grid.id, [])
            ]
        else:
            rows.append(
                (
                    i18n.get("notice-target-grid-buildings", grid=grid.name),
                    NTarget(kind="gridb", unit_id=grid.id),
                )
            )
            rows.append((i18n.get("notice-target-pick"), NTarget(kind="pick", unit_id=grid.id)))
    await state.set_state(NoticeFlow.target)
    markup = kb.targets(rows, i18n.get)
    if edit:
        await message.edit_text(i18n.get("notice-ask-target"), reply_markup=markup)
    else:
        await message.answer(i18n.get("notice-ask-target"), reply_markup=markup)


async def _set_target(
    message: Message,
    state: FSMContext,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
    target: notice_service.Target,
    *,
    edit: bool = False,
) -> None:
    kind = kind_from(await read_draft(state, "kind"))
    await notice_service.check_target(session, resident, target, kind)
    await state.update_data(target=target_data(target))
    await state.set_state(NoticeFlow.when)
    text = i18n.get("notice-ask-when", target=await describe_target(session, i18n, target))
    markup = kb.when(i18n.get, agenda=kind == NoticeKind.AGENDA)
    if edit:
        await message.edit_text(text, reply_markup=markup)
    else:
        await message.answer(text, reply_markup=markup)


async def _grid_in_area(session: DbSession, resident: Resident, grid_id: int) -> Grid:
    grid = await structure.get_grid(session, grid_id)
    await notice_service.check_target(
        session, resident, notice_service.Target(TargetKind.GRID, grid.id)
    )
    return grid


@router.callback_query(NTarget.filter(F.kind.in_(_DIRECT)), CHOOSING)
async def target_chosen(
    query: CallbackQuery,
    callback_data: NTarget,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    assert isinstance(query.message, Message) and resident is not None
    kind, unit = _DIRECT[callback_data.kind], callback_data.unit_id
    target = notice_service.Target(
        kind,
        unit if kind in (TargetKind.GRID, TargetKind.GRID_BUILDINGS) else None,
        (unit,) if kind == TargetKind.BUILDINGS else (),
    )
    await _set_target(query.message, state, session, resident, i18n, target, edit=True)


@router.callback_query(NTarget.filter(F.kind == "g"), CHOOSING)
async def grid_opened(
    query: CallbackQuery,
    callback_data: NTarget,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    """An admin with several grids opens one of them."""
    assert isinstance(query.message, Message) and resident is not None
    grid = await _grid_in_area(session, resident, callback_data.unit_id)
    await ask_target(query.message, state, session, resident, i18n, grid_id=grid.id, edit=True)


@router.callback_query(NTarget.filter(F.kind == "pick"), CHOOSING)
async def pick_buildings(
    query: CallbackQuery,
    callback_data: NTarget,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    assert isinstance(query.message, Message) and resident is not None
    grid = await _grid_in_area(session, resident, callback_data.unit_id)
    buildings = await structure.list_buildings(session, grid.id)
    await state.update_data(pick_grid=grid.id, picked=[])
    await state.set_state(NoticeFlow.buildings)
    await query.message.edit_text(
        i18n.get("notice-ask-buildings", grid=grid.name),
        reply_markup=kb.buildings([(b.id, b.name) for b in buildings], set(), i18n.get),
    )


@router.callback_query(NTarget.filter(F.kind == "done"), CHOOSING)
async def buildings_picked(
    query: CallbackQuery,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    assert isinstance(query.message, Message) and resident is not None
    picked = tuple((await read_draft(state, "kind", "pick_grid")).get("picked") or ())
    if not picked:
        raise ValidationFailed("notice-error-no-buildings")
    target = notice_service.Target(TargetKind.BUILDINGS, None, picked)
    await _set_target(query.message, state, session, resident, i18n, target, edit=True)


@router.callback_query(NBuilding.filter(), StateFilter(NoticeFlow.buildings))
async def building_toggled(
    query: CallbackQuery,
    callback_data: NBuilding,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    assert isinstance(query.message, Message) and resident is not None
    data = await read_draft(state, "kind", "pick_grid")
    grid = await structure.get_grid(session, int(data["pick_grid"]))
    buildings = await structure.list_buildings(session, grid.id)
    if callback_data.building_id not in {b.id for b in buildings}:
        raise StaleAction()
    await notice_service.check_target(
        session,
        resident,
        notice_service.Target(TargetKind.BUILDINGS, None, (callback_data.building_id,)),
    )
    picked = set(data.get("picked") or ())
    picked ^= {callback_data.building_id}
    await state.update_data(picked=sorted(picked))
    await query.message.edit_reply_markup(
        reply_markup=kb.buildings([(b.id, b.name) for b in buildings], picked, i18n.get)
    )
