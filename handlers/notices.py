"""/notice (a guided flow: text and attachment, or an agenda digest; target; when; preview;
confirm) and /notices (scheduled and recurring notices: pause, resume, edit, cancel,
delivery reports). Notices are sent with parse_mode HTML; every other message is plain."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from linli.bot.callbacks.notices import (
    NBuilding,
    NCancel,
    NConfirm,
    NDay,
    NKind,
    NManage,
    NMonthDay,
    NRepeat,
    NSkip,
    NTarget,
    NTime,
    NWhen,
)
from linli.bot.commands import Access, CommandSpec
from linli.bot.delivery import Delivery
from linli.bot.filters import HasAccess
from linli.bot.i18n import Translator
from linli.bot.keyboards import notices as kb
from linli.config import Settings
from linli.models import Resident, Role
from linli.models.notices import Notice, NoticeKind, NoticeState, Repeat, RunStatus, TargetKind
from linli.scheduler.jobs import JobContext
from linli.scheduler.notices import due_notices, local_time, render_agenda
from linli.services import agenda, structure
from linli.services import notices as notice_service
from linli.services.errors import StaleAction, ValidationFailed

router = Router(name=__name__)
router.message.filter(F.chat.type == "private")

COMMANDS = [
    CommandSpec("notice", Access.BUILDING_CHIEF, "private"),
    CommandSpec("notices", Access.BUILDING_CHIEF, "private"),
]


class NoticeFlow(StatesGroup):
    kind = State()
    text = State()
    media = State()
    target = State()
    buildings = State()
    when = State()
    at = State()
    repeat = State()
    days = State()
    month_day = State()
    time = State()
    confirm = State()


class NoticeEdit(StatesGroup):
    text = State()


# --------------------------------------------------------------------------------------------
# Describing notices
# --------------------------------------------------------------------------------------------


def _schedule_from(data: dict[str, Any]) -> notice_service.Schedule:
    raw = data.get("schedule") or {}
    run_at = raw.get("run_at")
    return notice_service.Schedule(
        repeat=Repeat(raw.get("repeat", "once")),
        run_at=datetime.fromisoformat(run_at) if run_at else None,
        at_time=raw.get("at_time"),
        weekdays=tuple(raw.get("weekdays") or ()),
        month_day=raw.get("month_day"),
    )


def _target_from(data: dict[str, Any]) -> notice_service.Target:
    raw = data.get("target") or {}
    return notice_service.Target(
        TargetKind(raw["kind"]), raw.get("grid_id"), tuple(raw.get("building_ids") or ())
    )


def describe_schedule(
    i18n: I18nContext, schedule: notice_service.Schedule, settings: Settings
) -> str:
    if schedule.repeat == Repeat.ONCE:
        if schedule.run_at is None:
            return i18n.get("notice-when-now")
        return i18n.get("notice-when-once", when=local_time(schedule.run_at, settings.tz))
    time = schedule.at_time or ""
    if schedule.repeat == Repeat.DAILY:
        return i18n.get("notice-when-daily", time=time)
    if schedule.repeat == Repeat.WEEKLY:
        names = [
            i18n.get(f"notice-day-{notice_service.WEEKDAYS.index(d)}") for d in schedule.weekdays
        ]
        return i18n.get("notice-when-weekly", days="、".join(names), time=time)
    return i18n.get("notice-when-monthly", day=str(schedule.month_day), time=time)


async def describe_target(
    session: AsyncSession, i18n: I18nContext, target: notice_service.Target
) -> str:
    label = await notice_service.describe_target(session, target)
    if target.kind == TargetKind.ALL:
        return i18n.get("notice-target-all")
    if target.kind == TargetKind.GRID:
        return i18n.get("notice-target-grid", grid=label.grid)
    if target.kind == TargetKind.GRID_BUILDINGS:
        return i18n.get("notice-target-grid-buildings", grid=label.grid)
    return i18n.get("notice-target-buildings", buildings="、".join(label.buildings))


def _job_context(
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    translator: Translator,
    settings: Settings,
) -> JobContext:
    return JobContext(delivery=Delivery(bot, sessionmaker, translator, settings))


# --------------------------------------------------------------------------------------------
# /notice: kind → text → attachment → target → when → preview → confirm
# --------------------------------------------------------------------------------------------


@router.message(Command("notice"), HasAccess(Access.BUILDING_CHIEF))
async def start_notice(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await state.clear()
    await state.set_state(NoticeFlow.kind)
    await message.answer(i18n.get("notice-ask-kind"), reply_markup=kb.kinds(i18n.get))


@router.callback_query(NCancel.filter())
async def cancel_flow(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    await state.clear()
    if isinstance(query.message, Message):
        await query.message.edit_text(i18n.get("cancel-done"))


@router.callback_query(NKind.filter(), StateFilter(NoticeFlow.kind))
async def kind_chosen(
    query: CallbackQuery,
    callback_data: NKind,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    assert isinstance(query.message, Message)
    if callback_data.kind == "agenda":
        await state.update_data(kind=NoticeKind.AGENDA.value, text="")
        await query.message.edit_text(i18n.get("notice-agenda-intro"))
        await ask_target(query.message, state, session, resident, i18n)
        return
    await state.update_data(kind=NoticeKind.MESSAGE.value)
    await state.set_state(NoticeFlow.text)
    await query.message.edit_text(
        i18n.get("notice-ask-text"), reply_markup=kb.cancel_only(i18n.get)
    )


_FORMATTING = frozenset(
    {
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "code",
        "pre",
        "text_link",
        "blockquote",
        "expandable_blockquote",
        "custom_emoji",
    }
)


def _notice_html(message: Message) -> str:
    """The notice text as Telegram HTML: typed tags as they are; formatting made with
    Telegram's own editor (bold, links...) converted to tags."""
    text = message.text or message.caption or ""
    entities = message.entities or message.caption_entities or []
    if any(e.type in _FORMATTING for e in entities):
        return message.html_text
    return text


def _media_of(message: Message) -> tuple[str | None, str | None]:
    if message.photo:
        return "photo", message.photo[-1].file_id
    if message.document:
        return "document", message.document.file_id
    if message.voice:
        return "voice", message.voice.file_id
    return None, None


@router.message(StateFilter(NoticeFlow.text), ~F.text.startswith("/"))
async def got_text(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    media_kind, file_id = _media_of(message)
    if message.text is None and media_kind is None:
        await message.answer(i18n.get("notice-ask-text-again"))
        return
    raw = _notice_html(message)
    text = notice_service.check_text(raw, media=media_kind is not None)
    await state.update_data(text=text, media_kind=media_kind, media_file_id=file_id)
    if media_kind is not None:
        await ask_target(message, state, session, resident, i18n)
        return
    await state.set_state(NoticeFlow.media)
    await message.answer(i18n.get("notice-ask-media"), reply_markup=kb.skip(i18n.get))


@router.message(StateFilter(NoticeFlow.media), ~F.text.startswith("/"))
async def got_media(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    media_kind, file_id = _media_of(message)
    if media_kind is None:
        await message.answer(i18n.get("notice-ask-media-again"), reply_markup=kb.skip(i18n.get))
        return
    data = await state.get_data()
    notice_service.check_text(data.get("text", ""), media=True)
    await state.update_data(media_kind=media_kind, media_file_id=file_id)
    await ask_target(message, state, session, resident, i18n)


@router.callback_query(NSkip.filter(), StateFilter(NoticeFlow.media))
async def skip_media(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    assert isinstance(query.message, Message)
    await query.message.edit_reply_markup(reply_markup=None)
    await ask_target(query.message, state, session, resident, i18n)


async def ask_target(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
    *,
    grid_id: int | None = None,
    edit: bool = False,
) -> None:
    """Target buttons for the actor's area (a building chief's only choice is taken)."""
    assert resident is not None
    data = await state.get_data()
    agenda_kind = data.get("kind") == NoticeKind.AGENDA.value
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
    session: AsyncSession,
    resident: Resident,
    i18n: I18nContext,
    target: notice_service.Target,
    *,
    edit: bool = False,
) -> None:
    data = await state.get_data()
    kind = NoticeKind(data.get("kind", NoticeKind.MESSAGE.value))
    await notice_service.check_target(session, resident, target, kind)
    await state.update_data(
        target={
            "kind": target.kind.value,
            "grid_id": target.grid_id,
            "building_ids": list(target.building_ids),
        }
    )
    await state.set_state(NoticeFlow.when)
    text = i18n.get("notice-ask-when", target=await describe_target(session, i18n, target))
    markup = kb.when(i18n.get, agenda=kind == NoticeKind.AGENDA)
    if edit:
        await message.edit_text(text, reply_markup=markup)
    else:
        await message.answer(text, reply_markup=markup)


@router.callback_query(NTarget.filter(), StateFilter(NoticeFlow.target, NoticeFlow.buildings))
async def target_chosen(
    query: CallbackQuery,
    callback_data: NTarget,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    assert isinstance(query.message, Message) and resident is not None
    kind, unit = callback_data.kind, callback_data.unit_id
    if kind == "g":
        grid = await structure.get_grid(session, unit)
        await notice_service.check_target(
            session, resident, notice_service.Target(TargetKind.GRID, grid.id)
        )
        await ask_target(query.message, state, session, resident, i18n, grid_id=grid.id, edit=True)
        return
    if kind == "pick":
        grid = await structure.get_grid(session, unit)
        await notice_service.check_target(
            session, resident, notice_service.Target(TargetKind.GRID, grid.id)
        )
        buildings = await structure.list_buildings(session, grid.id)
        await state.update_data(pick_grid=grid.id, picked=[])
        await state.set_state(NoticeFlow.buildings)
        await query.message.edit_text(
            i18n.get("notice-ask-buildings", grid=grid.name),
            reply_markup=kb.buildings([(b.id, b.name) for b in buildings], set(), i18n.get),
        )
        return
    if kind == "done":
        picked = tuple((await state.get_data()).get("picked") or ())
        if not picked:
            raise ValidationFailed("notice-error-no-buildings")
        target = notice_service.Target(TargetKind.BUILDINGS, None, picked)
    elif kind == "all":
        target = notice_service.Target(TargetKind.ALL)
    elif kind == "grid":
        target = notice_service.Target(TargetKind.GRID, unit)
    elif kind == "gridb":
        target = notice_service.Target(TargetKind.GRID_BUILDINGS, unit)
    elif kind == "bld":
        target = notice_service.Target(TargetKind.BUILDINGS, None, (unit,))
    else:
        raise StaleAction()
    await _set_target(query.message, state, session, resident, i18n, target, edit=True)


@router.callback_query(NBuilding.filter(), StateFilter(NoticeFlow.buildings))
async def building_toggled(
    query: CallbackQuery,
    callback_data: NBuilding,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    assert isinstance(query.message, Message) and resident is not None
    data = await state.get_data()
    grid = await structure.get_grid(session, int(data.get("pick_grid") or 0))
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


@router.callback_query(NWhen.filter(), StateFilter(NoticeFlow.when))
async def when_chosen(
    query: CallbackQuery,
    callback_data: NWhen,
    state: FSMContext,
    session: AsyncSession,
    bot: Bot,
    settings: Settings,
    translator: Translator,
    sessionmaker: async_sessionmaker[AsyncSession],
    i18n: I18nContext,
) -> None:
    assert isinstance(query.message, Message)
    if callback_data.kind == "now":
        await state.update_data(schedule={"repeat": Repeat.ONCE.value, "run_at": None})
        await query.message.edit_reply_markup(reply_markup=None)
        await show_preview(query.message, state, session, bot, settings, translator, i18n)
    elif callback_data.kind == "agenda":
        await state.update_data(
            schedule={
                "repeat": Repeat.WEEKLY.value,
                "at_time": notice_service.AGENDA_DEFAULT_TIME,
                "weekdays": list(notice_service.AGENDA_DEFAULT_DAYS),
            }
        )
        await query.message.edit_reply_markup(reply_markup=None)
        await show_preview(query.message, state, session, bot, settings, translator, i18n)
    elif callback_data.kind == "at":
        await state.set_state(NoticeFlow.at)
        await query.message.edit_text(
            i18n.get("notice-ask-at", example=_example(settings)),
            reply_markup=kb.cancel_only(i18n.get),
        )
    elif callback_data.kind == "repeat":
        await state.set_state(NoticeFlow.repeat)
        await query.message.edit_text(
            i18n.get("notice-ask-repeat"), reply_markup=kb.repeats(i18n.get)
        )
    else:
        raise StaleAction()


def _example(settings: Settings) -> str:
    local = datetime.now(UTC).astimezone(settings.tz)
    return f"{local.year + (1 if local.month == 12 else 0)}-{(local.month % 12) + 1:02d}-01 19:30"


@router.message(StateFilter(NoticeFlow.at), ~F.text.startswith("/"))
async def got_at(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    bot: Bot,
    settings: Settings,
    translator: Translator,
    i18n: I18nContext,
) -> None:
    if not message.text:
        await message.answer(i18n.get("notice-ask-at", example=_example(settings)))
        return
    when = notice_service.parse_datetime(message.text, datetime.now(UTC), settings.tz)
    await state.update_data(schedule={"repeat": Repeat.ONCE.value, "run_at": when.isoformat()})
    await show_preview(message, state, session, bot, settings, translator, i18n)


@router.callback_query(NRepeat.filter(), StateFilter(NoticeFlow.repeat))
async def repeat_chosen(
    query: CallbackQuery, callback_data: NRepeat, state: FSMContext, i18n: I18nContext
) -> None:
    assert isinstance(query.message, Message)
    if callback_data.kind not in ("daily", "weekly", "monthly"):
        raise StaleAction()
    await state.update_data(
        schedule={"repeat": callback_data.kind}, days=[], repeat=callback_data.kind
    )
    if callback_data.kind == "weekly":
        await state.set_state(NoticeFlow.days)
        await query.message.edit_text(
            i18n.get("notice-ask-days"),
            reply_markup=kb.weekdays(_day_names(i18n), set(), i18n.get),
        )
    elif callback_data.kind == "monthly":
        await state.set_state(NoticeFlow.month_day)
        await query.message.edit_text(
            i18n.get("notice-ask-month-day"), reply_markup=kb.month_days(i18n.get)
        )
    else:
        await _ask_time(query.message, state, i18n)


def _day_names(i18n: I18nContext) -> list[str]:
    return [i18n.get(f"notice-day-{n}") for n in range(7)]


async def _ask_time(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await state.set_state(NoticeFlow.time)
    await message.edit_text(i18n.get("notice-ask-time"), reply_markup=kb.times(i18n.get))


@router.callback_query(NDay.filter(), StateFilter(NoticeFlow.days))
async def day_toggled(
    query: CallbackQuery, callback_data: NDay, state: FSMContext, i18n: I18nContext
) -> None:
    assert isinstance(query.message, Message)
    data = await state.get_data()
    days = set(data.get("days") or ())
    if callback_data.day == 7:
        if not days:
            raise ValidationFailed("notice-error-no-days")
        schedule = dict(data.get("schedule") or {})
        schedule["weekdays"] = [notice_service.WEEKDAYS[d] for d in sorted(days)]
        await state.update_data(schedule=schedule)
        await _ask_time(query.message, state, i18n)
        return
    if not 0 <= callback_data.day <= 6:
        raise StaleAction()
    days ^= {callback_data.day}
    await state.update_data(days=sorted(days))
    await query.message.edit_reply_markup(
        reply_markup=kb.weekdays(_day_names(i18n), days, i18n.get)
    )


@router.callback_query(NMonthDay.filter(), StateFilter(NoticeFlow.month_day))
async def month_day_chosen(
    query: CallbackQuery, callback_data: NMonthDay, state: FSMContext, i18n: I18nContext
) -> None:
    assert isinstance(query.message, Message)
    if not 1 <= callback_data.day <= 31:
        raise StaleAction()
    data = await state.get_data()
    schedule = dict(data.get("schedule") or {})
    schedule["month_day"] = callback_data.day
    await state.update_data(schedule=schedule)
    await _ask_time(query.message, state, i18n)


async def _time_chosen(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    bot: Bot,
    settings: Settings,
    translator: Translator,
    i18n: I18nContext,
    value: str,
) -> None:
    data = await state.get_data()
    schedule = dict(data.get("schedule") or {})
    schedule["at_time"] = notice_service.parse_time(value)
    await state.update_data(schedule=schedule)
    await show_preview(message, state, session, bot, settings, translator, i18n)


@router.callback_query(NTime.filter(), StateFilter(NoticeFlow.time))
async def time_button(
    query: CallbackQuery,
    callback_data: NTime,
    state: FSMContext,
    session: AsyncSession,
    bot: Bot,
    settings: Settings,
    translator: Translator,
    i18n: I18nContext,
) -> None:
    assert isinstance(query.message, Message)
    value = callback_data.hhmm
    await query.message.edit_reply_markup(reply_markup=None)
    await _time_chosen(
        query.message, state, session, bot, settings, translator, i18n, f"{value[:2]}:{value[2:]}"
    )


@router.message(StateFilter(NoticeFlow.time), ~F.text.startswith("/"))
async def time_typed(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    bot: Bot,
    settings: Settings,
    translator: Translator,
    i18n: I18nContext,
) -> None:
    if not message.text:
        await message.answer(i18n.get("notice-ask-time"), reply_markup=kb.times(i18n.get))
        return
    await _time_chosen(message, state, session, bot, settings, translator, i18n, message.text)


@router.message(
    StateFilter(
        NoticeFlow.kind,
        NoticeFlow.target,
        NoticeFlow.buildings,
        NoticeFlow.when,
        NoticeFlow.repeat,
        NoticeFlow.days,
        NoticeFlow.month_day,
        NoticeFlow.confirm,
    ),
    ~F.text.startswith("/"),
)
async def expected_button(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("expected-button"))


async def _send_preview(
    bot: Bot, chat_id: int, text: str, media_kind: str | None, file_id: str | None, **kw: Any
) -> None:
    caption = text or None
    if media_kind == "photo":
        await bot.send_photo(chat_id, file_id or "", caption=caption, parse_mode="HTML", **kw)
    elif media_kind == "document":
        await bot.send_document(chat_id, file_id or "", caption=caption, parse_mode="HTML", **kw)
    elif media_kind == "voice":
        await bot.send_voice(chat_id, file_id or "", caption=caption, parse_mode="HTML", **kw)
    else:
        await bot.send_message(chat_id, text, parse_mode="HTML", **kw)


async def show_preview(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    bot: Bot,
    settings: Settings,
    translator: Translator,
    i18n: I18nContext,
) -> None:
    """The notice exactly as the groups will see it, then a summary with Confirm."""
    data = await state.get_data()
    schedule = _schedule_from(data)
    now = datetime.now(UTC)
    schedule.check(now)
    target = _target_from(data)
    kind = NoticeKind(data.get("kind", NoticeKind.MESSAGE.value))
    chat_id = message.chat.id
    if kind == NoticeKind.AGENDA:
        scope = await _agenda_scope(session, target, now, settings)
        sections = await agenda.compose(session, scope)
        if sections:
            text, markup = await render_agenda(bot, translator, settings, session, sections, scope)
            await bot.send_message(chat_id, text, parse_mode="HTML", reply_markup=markup)
        else:
            await message.answer(i18n.get("notice-agenda-empty-now"))
    else:
        try:
            await _send_preview(
                bot,
                chat_id,
                data.get("text", ""),
                data.get("media_kind"),
                data.get("media_file_id"),
            )
        except TelegramBadRequest as exc:
            raise ValidationFailed("notice-error-telegram", error=exc.message[:200]) from None
    groups = await notice_service.chats_for(session, target, None)
    await state.set_state(NoticeFlow.confirm)
    await message.answer(
        i18n.get(
            "notice-preview-summary",
            target=await describe_target(session, i18n, target),
            groups=len(groups),
            when=describe_schedule(i18n, schedule, settings),
        ),
        reply_markup=kb.confirm(i18n.get),
    )


async def _agenda_scope(
    session: AsyncSession, target: notice_service.Target, now: datetime, settings: Settings
) -> agenda.AgendaScope:
    probe = Notice(
        target_kind=target.kind,
        target_grid_id=target.grid_id,
        building_ids=list(target.building_ids),
    )
    return await agenda.scope_for(session, probe, now, settings.notices.agenda_days)


@router.callback_query(NConfirm.filter())
async def confirmed(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident | None,
    bot: Bot,
    settings: Settings,
    translator: Translator,
    sessionmaker: async_sessionmaker[AsyncSession],
    i18n: I18nContext,
) -> None:
    assert isinstance(query.message, Message)
    if await state.get_state() != NoticeFlow.confirm.state or resident is None:
        raise StaleAction()
    data = await state.get_data()
    draft = notice_service.Draft(
        kind=NoticeKind(data.get("kind", NoticeKind.MESSAGE.value)),
        target=_target_from(data),
        schedule=_schedule_from(data),
        text=data.get("text", ""),
        media_kind=data.get("media_kind"),
        media_file_id=data.get("media_file_id"),
    )
    now = datetime.now(UTC)
    notice = await notice_service.create(session, resident, draft, now, settings.tz)
    await state.clear()
    if draft.schedule.repeat == Repeat.ONCE and draft.schedule.run_at is None:
        ctx = _job_context(bot, sessionmaker, translator, settings)
        ctx.now = now
        await due_notices(ctx, notice_id=notice.id)
        await query.message.edit_text(i18n.get("notice-sending", id=f"N{notice.id}"))
        return
    await query.message.edit_text(
        i18n.get(
            "notice-scheduled",
            id=f"N{notice.id}",
            when=describe_schedule(i18n, draft.schedule, settings),
            next=local_time(notice.next_run_at or now, settings.tz),
        )
    )


# --------------------------------------------------------------------------------------------
# /notices
# --------------------------------------------------------------------------------------------


async def card_text(
    session: AsyncSession, i18n: I18nContext, notice: Notice, settings: Settings
) -> str:
    schedule = notice_service.schedule_of(notice)
    if notice.repeat == Repeat.ONCE and notice.state != NoticeState.SCHEDULED:
        when = i18n.get("notice-when-once-plain")
    else:
        when = describe_schedule(i18n, schedule, settings)
    preview = ""
    if notice.kind == NoticeKind.MESSAGE and notice.text:
        shown = notice_service.visible_text(notice.text)
        preview = shown[:80] + ("…" if len(shown) > 80 else "")
    return i18n.get(
        "notice-card",
        id=f"N{notice.id}",
        kind=i18n.get(f"notice-kind-{notice.kind.value}"),
        state=i18n.get(f"notice-state-{notice.state.value}"),
        target=await describe_target(session, i18n, notice_service.target_of(notice)),
        when=when,
        next=local_time(notice.next_run_at, settings.tz)
        if notice.next_run_at and notice.state == NoticeState.SCHEDULED
        else "-",
        preview=preview or "-",
    )


@router.message(Command("notices"), HasAccess(Access.BUILDING_CHIEF))
async def list_notices(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident,
    settings: Settings,
    i18n: I18nContext,
) -> None:
    await state.clear()
    notices, active = await notice_service.list_for(session, resident)
    if not notices:
        await message.answer(i18n.get("notices-none"))
        return
    await message.answer(i18n.get("notices-header", count=active))
    for notice in notices:
        await message.answer(
            await card_text(session, i18n, notice, settings),
            reply_markup=kb.card(
                notice.id, notice.state, notice.kind == NoticeKind.MESSAGE, i18n.get
            ),
        )


@router.callback_query(NManage.filter())
async def manage(
    query: CallbackQuery,
    callback_data: NManage,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident | None,
    settings: Settings,
    i18n: I18nContext,
) -> None:
    assert isinstance(query.message, Message)
    if resident is None:
        raise StaleAction()
    action, notice_id = callback_data.action, callback_data.notice_id
    now = datetime.now(UTC)
    if action == "pause":
        notice = await notice_service.pause(session, resident, notice_id)
    elif action == "resume":
        notice = await notice_service.resume(session, resident, notice_id, now, settings.tz)
    elif action == "cancel":
        notice = await notice_service.get_managed(session, resident, notice_id)
        if notice.state not in (NoticeState.SCHEDULED, NoticeState.PAUSED):
            raise StaleAction()
        await query.message.edit_text(
            i18n.get("notice-cancel-confirm", id=f"N{notice.id}"),
            reply_markup=kb.cancel_confirm(notice.id, i18n.get),
        )
        return
    elif action == "cancelyes":
        notice = await notice_service.cancel(session, resident, notice_id)
    elif action == "keep":
        notice = await notice_service.get_managed(session, resident, notice_id)
    elif action == "edit":
        notice = await notice_service.get_managed(session, resident, notice_id)
        if notice.kind != NoticeKind.MESSAGE or notice.state not in (
            NoticeState.SCHEDULED,
            NoticeState.PAUSED,
        ):
            raise StaleAction()
        await state.set_state(NoticeEdit.text)
        await state.update_data(edit_id=notice.id)
        await query.message.answer(
            i18n.get("notice-ask-new-text", id=f"N{notice.id}"),
            reply_markup=kb.cancel_only(i18n.get),
        )
        return
    elif action == "report":
        await query.message.answer(await report_text(session, resident, notice_id, settings, i18n))
        return
    else:
        raise StaleAction()
    await query.message.edit_text(
        await card_text(session, i18n, notice, settings),
        reply_markup=kb.card(notice.id, notice.state, notice.kind == NoticeKind.MESSAGE, i18n.get),
    )


async def report_text(
    session: AsyncSession,
    resident: Resident,
    notice_id: int,
    settings: Settings,
    i18n: I18nContext,
) -> str:
    notice, runs = await notice_service.runs_of(session, resident, notice_id)
    if not runs:
        return i18n.get("notice-report-none", id=f"N{notice.id}")
    lines = [i18n.get("notice-report-header", id=f"N{notice.id}")]
    for entry in runs:
        run = entry.run
        when = local_time(run.scheduled_for, settings.tz)
        if run.status == RunStatus.MISSED:
            lines.append(i18n.get("notice-report-missed", when=when))
        elif run.status == RunStatus.EMPTY:
            lines.append(i18n.get("notice-report-empty", when=when))
        elif entry.progress is not None:
            progress = entry.progress
            key = "notice-report-run-delayed" if run.delayed else "notice-report-run"
            lines.append(
                i18n.get(
                    key,
                    when=when,
                    sent=progress.sent,
                    total=progress.total,
                    failed=progress.failed,
                    waiting=progress.pending + progress.sending,
                )
            )
        else:
            lines.append(i18n.get("notice-report-starting", when=when))
    return "\n".join(lines)


@router.message(StateFilter(NoticeEdit.text), ~F.text.startswith("/"))
async def got_new_text(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident,
    i18n: I18nContext,
) -> None:
    if not (message.text or message.caption):
        await message.answer(i18n.get("notice-ask-text-again"))
        return
    data = await state.get_data()
    notice = await notice_service.edit_text(
        session, resident, int(data.get("edit_id") or 0), _notice_html(message)
    )
    await state.clear()
    await message.answer(i18n.get("notice-edited", id=f"N{notice.id}"))
