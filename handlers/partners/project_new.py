"""A grid chief or an admin makes a project: its title, goal, scope (admins: a grid or the
whole community), the lead unit, the open needs it meets and the resources it uses (ticked on
buttons), when it starts and ends (the date picker, or typed), then a preview to confirm. The
post goes to the groups of its scope with the project."""

from __future__ import annotations

from datetime import datetime

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from linli.bot.callbacks.common import WhenPick
from linli.bot.callbacks.partners import GridPick, ProjectAct, Step, Toggle
from linli.bot.delivery import Delivery
from linli.bot.keyboards import partners as kb
from linli.bot.keyboards.when import day_keyboard, picked
from linli.config import Settings
from linli.handlers.partners.common import draft, message_of, now_utc, private, remember, typed
from linli.handlers.partners.projects import show_card
from linli.models import Resident
from linli.services import DbSession, parsing
from linli.services import partners as partner_service
from linli.services import projects as project_service
from linli.services.errors import StaleAction, ValidationFailed

router = Router(name=__name__)
DRAFT = "project_new"


class ProjectNew(StatesGroup):
    title = State()
    goal = State()
    grid = State()
    lead = State()
    needs = State()
    resources = State()
    starts = State()
    ends = State()
    confirm = State()


@router.callback_query(ProjectAct.filter((F.action == "new") & (F.project_id == 0)))
async def start(
    query: CallbackQuery,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    offered = await project_service.choices(session, resident, _home_grid(resident))
    if not offered.units:
        await message_of(query).answer(i18n.get("project-error-no-units"))
        return
    await state.set_state(ProjectNew.title)
    await state.update_data({DRAFT: {"needs": [], "resources": []}})
    await message_of(query).answer(
        i18n.get("project-ask-title", limit=project_service.TITLE_MAX),
        reply_markup=kb.cancel_only(i18n.get),
    )


def _home_grid(resident: Resident | None) -> int:
    """The grid a grid chief's project is for (admins choose; 0 is the whole community)."""
    return resident.chief_grid_id or 0 if resident is not None else 0


@router.message(ProjectNew.title, private, typed)
async def got_title(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await draft(state, DRAFT)
    title = partner_service.check_text(message.text, project_service.TITLE_MAX)
    await remember(state, DRAFT, title=title)
    await state.set_state(ProjectNew.goal)
    await message.answer(
        i18n.get("project-ask-goal", limit=project_service.GOAL_MAX),
        reply_markup=kb.cancel_only(i18n.get),
    )


@router.message(ProjectNew.goal, private, typed)
async def got_goal(
    message: Message,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    await draft(state, DRAFT)
    goal = partner_service.check_text(message.text, project_service.GOAL_MAX)
    await remember(state, DRAFT, goal=goal)
    if resident is not None and resident.is_admin:
        offered = await project_service.choices(session, resident, 0)
        items = [(g, name or i18n.get("project-whole-community")) for g, name in offered.grids]
        await state.set_state(ProjectNew.grid)
        await message.answer(
            i18n.get("project-ask-grid"), reply_markup=kb.choose_one(i18n.get, "grid", items)
        )
        return
    await _ask_lead(message, state, session, resident, i18n, _home_grid(resident))


@router.callback_query(ProjectNew.grid, GridPick.filter())
async def got_grid(
    query: CallbackQuery,
    callback_data: GridPick,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    await draft(state, DRAFT)
    await _ask_lead(message_of(query), state, session, resident, i18n, callback_data.grid_id)


async def _ask_lead(
    message: Message,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    grid_id: int,
) -> None:
    offered = await project_service.choices(session, resident, grid_id)
    await remember(state, DRAFT, grid_id=grid_id)
    await state.set_state(ProjectNew.lead)
    items = [(u.id, f"{u.code} {u.name}") for u in offered.units]
    await message.answer(
        i18n.get("project-ask-lead"), reply_markup=kb.choose_one(i18n.get, "lead", items)
    )


@router.callback_query(ProjectNew.lead, Toggle.filter(F.kind == "lead"))
async def got_lead(
    query: CallbackQuery,
    callback_data: Toggle,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    data = await draft(state, DRAFT)
    offered = await project_service.choices(session, resident, int(data.get("grid_id") or 0))
    if callback_data.item_id not in {u.id for u in offered.units}:
        raise StaleAction("project-error-unit")
    await remember(state, DRAFT, lead=callback_data.item_id)
    await state.set_state(ProjectNew.needs)
    await _show_toggles(message_of(query), state, session, resident, i18n, "n", edit=True)


async def _show_toggles(
    message: Message,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    kind: str,
    *,
    edit: bool,
) -> None:
    data = await draft(state, DRAFT)
    offered = await project_service.choices(session, resident, int(data.get("grid_id") or 0))
    if kind == "n":
        items = [(n.id, f"{n.code} {n.title}") for n in offered.needs]
        chosen = data.get("needs") or []
        text = i18n.get("project-ask-needs" if items else "project-ask-needs-none")
    else:
        items = [
            (r.id, i18n.get("project-resource", code=r.code, title=r.title, unit=u.name))
            for r, u in offered.resources
        ]
        chosen = data.get("resources") or []
        text = i18n.get("project-ask-resources" if items else "project-ask-resources-none")
    markup = kb.toggles(i18n.get, kind, items, chosen)
    if edit:
        await message.edit_text(text, reply_markup=markup)
    else:
        await message.answer(text, reply_markup=markup)


@router.callback_query(ProjectNew.needs, Toggle.filter(F.kind == "n"))
@router.callback_query(ProjectNew.resources, Toggle.filter(F.kind == "s"))
async def toggled(
    query: CallbackQuery,
    callback_data: Toggle,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    data = await draft(state, DRAFT)
    field = "needs" if callback_data.kind == "n" else "resources"
    chosen = [int(i) for i in data.get(field) or []]
    if callback_data.item_id in chosen:
        chosen.remove(callback_data.item_id)
    else:
        chosen.append(callback_data.item_id)
    await remember(state, DRAFT, **{field: chosen})
    await _show_toggles(
        message_of(query), state, session, resident, i18n, callback_data.kind, edit=True
    )


@router.callback_query(ProjectNew.needs, Step.filter(F.action == "next"))
async def needs_done(
    query: CallbackQuery,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    data = await draft(state, DRAFT)
    if not data.get("needs"):
        raise ValidationFailed("project-error-no-needs")
    await state.set_state(ProjectNew.resources)
    await _show_toggles(message_of(query), state, session, resident, i18n, "s", edit=True)


@router.callback_query(ProjectNew.resources, Step.filter(F.action == "next"))
async def resources_done(
    query: CallbackQuery, state: FSMContext, i18n: I18nContext, settings: Settings
) -> None:
    await draft(state, DRAFT)
    await state.set_state(ProjectNew.starts)
    await _ask_date(message_of(query), i18n, settings, "pfrom", "project-ask-starts")


async def _ask_date(
    message: Message, i18n: I18nContext, settings: Settings, flow: str, key: str
) -> None:
    markup = day_keyboard(
        i18n.get, flow, now_utc(), settings.tz, extra=[[kb.cancel_button(i18n.get)]]
    )
    await message.answer(i18n.get(key) + "\n" + i18n.get("when-hint"), reply_markup=markup)


async def _got_date(
    message: Message,
    state: FSMContext,
    i18n: I18nContext,
    settings: Settings,
    moment: datetime | None,
) -> None:
    data = await draft(state, DRAFT)
    if moment is None or moment <= now_utc():
        await message.answer(i18n.get("project-error-date"))
        return
    if await state.get_state() == ProjectNew.starts.state:
        await remember(state, DRAFT, starts=moment.isoformat())
        await state.set_state(ProjectNew.ends)
        await _ask_date(message, i18n, settings, "pto", "project-ask-ends")
        return
    if moment <= datetime.fromisoformat(str(data.get("starts"))):
        await message.answer(i18n.get("project-error-dates"))
        return
    data = await remember(state, DRAFT, ends=moment.isoformat())
    await state.set_state(ProjectNew.confirm)
    await message.answer(
        i18n.get(
            "project-preview",
            title=str(data.get("title", "")),
            goal=str(data.get("goal", "")),
            needs=len(data.get("needs") or []),
            resources=len(data.get("resources") or []),
            start=datetime.fromisoformat(str(data["starts"]))
            .astimezone(settings.tz)
            .strftime("%Y-%m-%d"),
            end=moment.astimezone(settings.tz).strftime("%Y-%m-%d"),
        ),
        reply_markup=kb.confirm(i18n.get),
    )


@router.callback_query(ProjectNew.starts, WhenPick.filter((F.flow == "pfrom") & (F.at != "")))
@router.callback_query(ProjectNew.ends, WhenPick.filter((F.flow == "pto") & (F.at != "")))
async def picked_date(
    query: CallbackQuery,
    callback_data: WhenPick,
    state: FSMContext,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    await _got_date(message_of(query), state, i18n, settings, picked(callback_data, settings.tz))


@router.message(ProjectNew.starts, private, typed)
@router.message(ProjectNew.ends, private, typed)
async def typed_date(
    message: Message, state: FSMContext, i18n: I18nContext, settings: Settings
) -> None:
    moment = parsing.parse_when(message.text, now_utc(), settings.tz)
    await _got_date(message, state, i18n, settings, moment)


@router.message(ProjectNew.grid, private, typed)
@router.message(ProjectNew.lead, private, typed)
@router.message(ProjectNew.needs, private, typed)
@router.message(ProjectNew.resources, private, typed)
@router.message(ProjectNew.confirm, private, typed)
async def expected_button(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("expected-button"))


@router.callback_query(ProjectNew.confirm, Step.filter(F.action == "confirm"))
async def confirmed(
    query: CallbackQuery,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    data = await draft(state, DRAFT)
    try:
        starts = datetime.fromisoformat(str(data.get("starts")))
        ends = datetime.fromisoformat(str(data.get("ends")))
    except ValueError:
        raise StaleAction("partner-error-draft-lost") from None
    project = await project_service.create(
        session,
        resident,
        project_service.ProjectDraft(
            title=str(data.get("title", "")),
            goal=str(data.get("goal", "")),
            grid_id=int(data.get("grid_id") or 0),
            lead_unit_id=int(data.get("lead") or 0),
            need_ids=[int(i) for i in data.get("needs") or []],
            resource_ids=[int(i) for i in data.get("resources") or []],
            starts_at=starts,
            ends_at=ends,
        ),
        now_utc(),
        delivery.partners.project_post,
    )
    await state.clear()
    delivery.partners.send_soon()
    await message_of(query).edit_text(i18n.get("project-created", code=project.code))
    await show_card(message_of(query), session, resident, i18n, delivery, project.id, edit=False)
