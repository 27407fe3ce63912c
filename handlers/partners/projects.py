"""The projects list (项目清单): /projects and the menu's section, a project's card with the
buttons its reader may use — its manager starts it, posts progress, marks it done with the
result to publish, calls it off (asks first); the lead unit's contact posts progress;
residents of its scope rate the published result, here or on the group post."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from linli.bot.callbacks.partners import Hub, ProjectAct, ProjectRate, Sure
from linli.bot.delivery import Delivery
from linli.bot.keyboards import partners as kb
from linli.handlers.partners.common import message_of, now_utc, private, typed
from linli.models import Resident, Role
from linli.services import DbSession
from linli.services import projects as project_service
from linli.services.errors import PermissionDenied, StaleAction
from linli.services.partners import Section
from linli.services.projects import ProjectAction

router = Router(name=__name__)
TEXT = "project_text"
MAKERS = (Role.GRID_CHIEF, Role.ADMIN)


class ProjectText(StatesGroup):
    """A progress post or the result to publish (`ProjectText` data: project id, action)."""

    text = State()


def card_text(i18n: I18nContext, found: project_service.ProjectCard, delivery: Delivery) -> str:
    project = found.project
    lines = [
        i18n.get("project-card-title", code=project.code, title=project.title),
        i18n.get("project-card-goal", goal=project.goal),
        i18n.get("project-card-scope", place=found.place or "-"),
        i18n.get("project-card-lead", unit=found.lead.name if found.lead else "-"),
        i18n.get(
            "project-card-dates",
            start=delivery.local_time(project.starts_at, "%Y-%m-%d"),
            end=delivery.local_time(project.ends_at, "%Y-%m-%d"),
        ),
        i18n.get("project-card-state", state=project.state.value),
    ]
    if found.needs:
        codes = i18n.get("partner-separator").join(f"{n.code} {n.title}" for n in found.needs)
        lines.append(i18n.get("project-card-needs", needs=codes))
    if found.resources:
        offered = i18n.get("partner-separator").join(
            i18n.get("project-resource", code=r.code, title=r.title, unit=u.name)
            for r, u in found.resources
        )
        lines.append(i18n.get("project-card-resources", resources=offered))
    if found.tasks:
        lines.append(i18n.get("project-card-tasks", count=len(found.tasks)))
    if project.result:
        lines.append(i18n.get("project-card-result", result=project.result))
    if found.ratings:
        average = f"{found.average or 0:.1f}"
        lines.append(i18n.get("project-card-rating", average=average, count=found.ratings))
    return "\n".join(lines)


async def show_list(
    message: Message,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    *,
    edit: bool,
) -> None:
    items = await project_service.listing(session, resident)
    can_add = resident is not None and resident.is_verified and resident.role in MAKERS
    text = i18n.get("project-list-title") if items else i18n.get("project-list-none")
    markup = kb.projects(i18n.get, items, can_add=can_add)
    if edit:
        await message.edit_text(text, reply_markup=markup)
    else:
        await message.answer(text, reply_markup=markup)


@router.message(Command("projects"), private)
async def projects_command(
    message: Message,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    await state.clear()
    await show_list(message, session, resident, i18n, edit=False)


@router.callback_query(Hub.filter(F.view == Section.PROJECTS))
async def projects_section(
    query: CallbackQuery,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    await state.clear()
    await show_list(message_of(query), session, resident, i18n, edit=True)


async def show_card(
    message: Message,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
    project_id: int,
    *,
    edit: bool,
) -> None:
    found = await project_service.card(session, resident, project_id)
    text = card_text(i18n, found, delivery)
    markup = kb.project_card(i18n.get, found.project.id, found.actions, found.tasks)
    if edit:
        await message.edit_text(text, reply_markup=markup)
    else:
        await message.answer(text, reply_markup=markup)


@router.callback_query(ProjectAct.filter((F.action == "open") & (F.project_id > 0)))
async def open_project(
    query: CallbackQuery,
    callback_data: ProjectAct,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    await show_card(
        message_of(query), session, resident, i18n, delivery, callback_data.project_id, edit=True
    )


@router.callback_query(ProjectAct.filter(F.action == ProjectAction.START))
async def start(
    query: CallbackQuery,
    callback_data: ProjectAct,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
    callback_answer: CallbackAnswer,
) -> None:
    project = await project_service.start(
        session, resident, callback_data.project_id, now_utc(), delivery.partners.project_post
    )
    delivery.partners.send_soon()
    callback_answer.text = i18n.get("project-started", code=project.code)
    await show_card(message_of(query), session, resident, i18n, delivery, project.id, edit=True)


@router.callback_query(ProjectAct.filter(F.action == ProjectAction.CANCEL))
async def ask_cancel(
    query: CallbackQuery,
    callback_data: ProjectAct,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    found = await project_service.require_action(
        session, resident, callback_data.project_id, ProjectAction.CANCEL
    )
    await message_of(query).edit_text(
        i18n.get("project-cancel-ask", code=found.project.code, title=found.project.title),
        reply_markup=kb.sure(i18n.get, "project", found.project.id, "project-button-cancel-yes"),
    )


@router.callback_query(Sure.filter(F.what == "project"))
async def cancelled(
    query: CallbackQuery,
    callback_data: Sure,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    project = await project_service.cancel(session, resident, callback_data.item_id, now_utc())
    await message_of(query).edit_text(i18n.get("project-cancelled", code=project.code))


@router.callback_query(
    ProjectAct.filter(F.action.in_({ProjectAction.PROGRESS, ProjectAction.DONE}))
)
async def ask_text(
    query: CallbackQuery,
    callback_data: ProjectAct,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    action = ProjectAction(callback_data.action)
    found = await project_service.require_action(
        session, resident, callback_data.project_id, action
    )
    limit = (
        project_service.RESULT_MAX if action == ProjectAction.DONE else project_service.PROGRESS_MAX
    )
    await state.set_state(ProjectText.text)
    await state.update_data({TEXT: {"project_id": found.project.id, "action": action.value}})
    await message_of(query).answer(
        i18n.get(f"project-ask-{action.value}", code=found.project.code, limit=limit),
        reply_markup=kb.cancel_only(i18n.get),
    )


@router.message(ProjectText.text, private, typed)
async def got_text(
    message: Message,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    data = (await state.get_data()).get(TEXT)
    if not isinstance(data, dict) or not isinstance(data.get("project_id"), int):
        await state.clear()
        raise StaleAction("partner-error-draft-lost")
    project_id, text = data["project_id"], message.text or ""
    post = delivery.partners.project_post
    if data.get("action") == ProjectAction.DONE:
        project = await project_service.complete(
            session, resident, project_id, text, now_utc(), post
        )
        key = "project-done"
    else:
        project = await project_service.progress(
            session, resident, project_id, text, now_utc(), post
        )
        key = "project-progress-posted"
    await state.clear()
    delivery.partners.send_soon()
    await message.answer(i18n.get(key, code=project.code))
    await show_card(message, session, resident, i18n, delivery, project.id, edit=False)


@router.callback_query(ProjectRate.filter())
async def rate(
    query: CallbackQuery,
    callback_data: ProjectRate,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    callback_answer: CallbackAnswer,
) -> None:
    """Stars pressed on the card or on the group post of the published result."""
    if resident is None:
        raise PermissionDenied("project-error-not-in-scope")
    project, count, average = await project_service.rate(
        session, resident, callback_data.project_id, callback_data.stars, now_utc()
    )
    callback_answer.text = i18n.get(
        "project-rated", code=project.code, average=f"{average or 0:.1f}", count=count
    )
    callback_answer.show_alert = True


@router.callback_query(ProjectAct.filter(~F.action.in_({"new", "open", ProjectAction.TASK})))
async def unknown_project_action(query: CallbackQuery) -> None:
    raise StaleAction()
