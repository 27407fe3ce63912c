"""Topics: /propose, /topics, /comment, /pool, supports, scores, steps and ratings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from linli.bot.callbacks.deliberation import (
    RateTopic,
    ScoreTopic,
    SupportTopic,
    TopicAction,
    TopicFlow,
    TopicsPage,
    ViewTopic,
)
from linli.bot.commands import Access
from linli.bot.delivery import Delivery
from linli.bot.filters import HasAccess
from linli.bot.i18n import Translator
from linli.bot.keyboards import deliberation as kb
from linli.config import Settings
from linli.models import Resident
from linli.models.deliberation import CommentLabel, Scope, Topic, TopicState, VoteState
from linli.scheduler import deliberation as delivery
from linli.scheduler.jobs import JobContext
from linli.services import bindings
from linli.services import topics as service
from linli.services import votes as vote_service
from linli.services.errors import StaleAction, ValidationFailed

router = Router(name=__name__)

CRITERIA = {"i": "importance", "u": "urgency", "f": "feasibility"}
NOTE_ACTIONS = ("decline", "decide", "progress", "done")
HISTORY_LIMIT = 15
COMMENTS_LIMIT = 10
GROUP_LIST_LIMIT = 8


class Propose(StatesGroup):
    title = State()
    description = State()
    scope = State()
    confirm = State()


class Note(StatesGroup):
    """A chief's text for a step (decline reason, decision, progress, done), then confirm."""

    text = State()
    confirm = State()


class Discuss(StatesGroup):
    ends = State()
    meeting_time = State()
    meeting_place = State()
    confirm = State()


class Commenting(StatesGroup):
    label = State()
    text = State()


def job_ctx(
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    translator: Translator,
    settings: Settings,
) -> JobContext:
    return JobContext(delivery=Delivery(bot, sessionmaker, translator, settings))


def now() -> datetime:
    return datetime.now(UTC)


def cancel_kb(i18n: I18nContext) -> Any:
    return kb.with_cancel(None, i18n.get("topic-button-cancel"), TopicFlow)


def text_or_voice(message: Message) -> tuple[str, str | None] | None:
    if message.text is not None:
        return message.text, None
    if message.voice is not None:
        return message.caption or "", message.voice.file_id
    return None


# --- step 1: /propose ---------------------------------------------------------------------------


async def _draft(state: FSMContext, *keys: str) -> dict[str, Any]:
    """The flow's draft; when it lost a key it needs (the state outlived its data, e.g. the
    storage was cleared), the flow ends with "start again" and nothing is saved."""
    data = await state.get_data()
    if any(key not in data for key in keys):
        await state.clear()
        raise StaleAction()
    return data


@router.message(Command("propose"), F.chat.type == "private", HasAccess(Access.RESIDENT))
async def propose_start(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident,
    i18n: I18nContext,
) -> None:
    if not await service.home_units(session, resident):
        raise StaleAction("topic-error-no-scope")
    await state.clear()
    await state.set_state(Propose.title)
    await message.answer(
        i18n.get("topic-ask-title", limit=str(service.TITLE_MAX)), reply_markup=cancel_kb(i18n)
    )


@router.message(Propose.title, ~F.text.startswith("/"))
async def propose_title(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    if message.text is None:
        await message.answer(i18n.get("topic-expected-text"), reply_markup=cancel_kb(i18n))
        return
    title = message.text.strip()
    if not title or len(title) > service.TITLE_MAX:
        await message.answer(
            i18n.get("topic-error-too-long", limit=str(service.TITLE_MAX), length=str(len(title))),
            reply_markup=cancel_kb(i18n),
        )
        return
    await state.update_data(title=title)
    await state.set_state(Propose.description)
    await message.answer(
        i18n.get("topic-ask-description", limit=str(service.TEXT_MAX)),
        reply_markup=cancel_kb(i18n),
    )


@router.message(Propose.description, ~F.text.startswith("/"))
async def propose_description(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident,
    i18n: I18nContext,
) -> None:
    got = text_or_voice(message)
    if got is None:
        await message.answer(i18n.get("topic-expected-text"), reply_markup=cancel_kb(i18n))
        return
    text, voice = got
    text = text.strip()
    if len(text) > service.TEXT_MAX or (not text and not voice):
        await message.answer(
            i18n.get("topic-error-too-long", limit=str(service.TEXT_MAX), length=str(len(text))),
            reply_markup=cancel_kb(i18n),
        )
        return
    await state.update_data(description=text, voice=voice)
    await state.set_state(Propose.scope)
    units = await service.home_units(session, resident)
    items = [(i18n.get(f"topic-pick-{scope.value}"), scope.value) for scope in units]
    await message.answer(
        i18n.get("topic-ask-scope"),
        reply_markup=kb.with_cancel(
            kb.choices(items, TopicFlow, "scope"), i18n.get("topic-button-cancel"), TopicFlow
        ),
    )


@router.callback_query(Propose.scope, TopicFlow.filter(F.action == "scope"))
async def propose_scope(
    query: CallbackQuery, callback_data: TopicFlow, state: FSMContext, i18n: I18nContext
) -> None:
    if callback_data.value not in {s.value for s in Scope}:
        raise StaleAction()
    data = await state.update_data(scope=callback_data.value)
    await state.set_state(Propose.confirm)
    assert isinstance(query.message, Message)
    await query.message.edit_text(
        i18n.get(
            "topic-preview",
            title=data["title"],
            description=data["description"] or i18n.get("topic-voice-description"),
            scope=i18n.get(f"topic-pick-{callback_data.value}"),
        ),
        reply_markup=kb.confirm(
            i18n.get("topic-button-confirm"), i18n.get("topic-button-cancel"), TopicFlow
        ),
    )


@router.callback_query(Propose.confirm, TopicFlow.filter(F.action == "confirm"))
async def propose_confirm(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident,
    i18n: I18nContext,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    translator: Translator,
    settings: Settings,
) -> None:
    data = await state.get_data()
    topic = await service.propose(
        session,
        resident,
        title=data.get("title", ""),
        description=data.get("description", ""),
        voice=data.get("voice"),
        scope=Scope(data.get("scope", "")),
    )
    await state.clear()
    groups = await delivery.publish_topic(
        job_ctx(bot, sessionmaker, translator, settings), topic.id
    )
    assert isinstance(query.message, Message)
    await query.message.edit_text(i18n.get("topic-proposed", ref=topic.ref, groups=str(groups)))


@router.message(StateFilter(Propose.scope, Propose.confirm), ~F.text.startswith("/"))
@router.message(
    StateFilter(Note.confirm, Discuss.confirm, Commenting.label), ~F.text.startswith("/")
)
async def expected_button(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("topic-expected-button"))


@router.callback_query(TopicFlow.filter(F.action == "cancel"))
async def flow_cancel(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    await state.clear()
    if isinstance(query.message, Message):
        await query.message.edit_text(i18n.get("topic-cancelled"))


# --- support ------------------------------------------------------------------------------------


@router.callback_query(SupportTopic.filter())
async def support(
    query: CallbackQuery,
    callback_data: SupportTopic,
    callback_answer: CallbackAnswer,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    translator: Translator,
    settings: Settings,
) -> None:
    if resident is None:
        raise StaleAction("topic-error-register-first")
    count = await service.support(session, resident, callback_data.topic_id)
    delivery.refresher(job_ctx(bot, sessionmaker, translator, settings)).touch(
        ("topic", callback_data.topic_id)
    )
    callback_answer.text = i18n.get("topic-supported", count=str(count))


# --- /topics ------------------------------------------------------------------------------------


@router.message(Command("topics"), F.chat.type.in_({"group", "supergroup"}))
async def topics_in_group(message: Message, session: AsyncSession, i18n: I18nContext) -> None:
    binding = await bindings.binding_for_chat(session, message.chat.id)
    if binding is None:
        return
    rows = await service.list_for_binding(session, binding, GROUP_LIST_LIMIT)
    if not rows:
        await message.answer(i18n.get("topic-list-empty"))
        return
    lines = [
        i18n.get(
            "topic-list-line",
            ref=t.ref,
            title=t.title,
            state=i18n.get(f"topic-state-{t.state.value}"),
            support=str(t.support_count),
        )
        for t in rows
    ]
    await message.answer(i18n.get("topic-list-group") + "\n" + "\n".join(lines))


@router.message(Command("topics"), F.chat.type == "private", HasAccess(Access.RESIDENT))
async def topics_private(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    resident: Resident,
    i18n: I18nContext,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    translator: Translator,
    settings: Settings,
) -> None:
    if command.args:
        topic_id = service.parse_ref(command.args.split()[0])
        ctx = job_ctx(bot, sessionmaker, translator, settings)
        text, markup = await topic_card(ctx, session, resident, i18n, topic_id)
        await message.answer(text, reply_markup=markup)
        return
    text, markup = await topic_page(session, resident, i18n, settings, 0)
    await message.answer(text, reply_markup=markup)


async def topic_page(
    session: AsyncSession, resident: Resident, i18n: I18nContext, settings: Settings, page: int
) -> tuple[str, Any]:
    size = settings.deliberation.page_size
    rows, total = await service.list_visible(session, resident, offset=page * size, limit=size)
    if total == 0:
        return i18n.get("topic-list-empty"), None
    pages = -(-total // size)
    lines = [
        i18n.get(
            "topic-list-line",
            ref=t.ref,
            title=t.title,
            state=i18n.get(f"topic-state-{t.state.value}"),
            support=str(t.support_count),
        )
        for t in rows
    ]
    text = (
        i18n.get("topic-list-header", count=str(total), page=str(page + 1), pages=str(pages))
        + "\n"
        + "\n".join(lines)
    )
    markup = kb.topic_list(
        [(t.id, f"{t.ref} {t.title}"[:60]) for t in rows],
        page,
        pages,
        i18n.get("topic-button-prev"),
        i18n.get("topic-button-next"),
    )
    return text, markup


@router.callback_query(TopicsPage.filter())
async def topics_paged(
    query: CallbackQuery,
    callback_data: TopicsPage,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    if resident is None or not resident.is_verified or callback_data.page < 0:
        raise StaleAction()
    text, markup = await topic_page(session, resident, i18n, settings, callback_data.page)
    assert isinstance(query.message, Message)
    await query.message.edit_text(text, reply_markup=markup)


@router.callback_query(ViewTopic.filter())
async def view_topic(
    query: CallbackQuery,
    callback_data: ViewTopic,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    translator: Translator,
    settings: Settings,
) -> None:
    if resident is None or not resident.is_verified:
        raise StaleAction()
    ctx = job_ctx(bot, sessionmaker, translator, settings)
    text, markup = await topic_card(ctx, session, resident, i18n, callback_data.topic_id)
    await bot.send_message(query.from_user.id, text, reply_markup=markup)


async def topic_card(
    ctx: JobContext, session: AsyncSession, resident: Resident, i18n: I18nContext, topic_id: int
) -> tuple[str, Any]:
    """A topic's whole story, with the buttons the caller may use on it."""
    topic = await service.get(session, topic_id)
    member = await service.in_scope(session, resident, topic)
    manager = await service.manages(session, resident, topic)
    if not (member or manager):
        raise StaleAction("topic-error-not-in-scope", ref=topic.ref)
    locale = str(i18n.locale)
    parts = [await delivery.topic_post(ctx, session, topic, locale)]
    if topic.score:
        parts.append(
            i18n.get(
                "topic-card-score",
                importance=str(topic.importance or "-"),
                urgency=str(topic.urgency or "-"),
                feasibility=str(topic.feasibility or "-"),
                total=str(topic.score),
            )
        )
    if topic.discussion_ends_at is not None:
        parts.append(
            i18n.get("topic-card-discussion", ends=delivery.when(ctx, topic.discussion_ends_at))
        )
    if topic.meeting_at is not None:
        parts.append(
            i18n.get(
                "topic-meeting-line",
                time=delivery.when(ctx, topic.meeting_at),
                place=topic.meeting_place or "-",
            )
        )
    comments = await service.comments(session, topic.id)
    if comments:
        lines = [
            i18n.get(
                f"topic-comment-{c.label.value}",
                name=author.display_name or "-",
                text=c.text or i18n.get("topic-voice-comment"),
            )
            for c, author in comments[:COMMENTS_LIMIT]
        ]
        parts.append(
            i18n.get("topic-card-comments", count=str(len(comments))) + "\n" + "\n".join(lines)
        )
    votes = await vote_service.votes_for_topic(session, topic.id)
    open_vote = None
    for vote in votes:
        current = await vote_service.tally(session, vote.id)
        parts.append(delivery.vote_post(ctx, current, locale))
        if vote.state == VoteState.OPEN:
            open_vote = current
    if topic.decision:
        parts.append(i18n.get("topic-card-decision", decision=topic.decision))
    if topic.state == TopicState.DONE:
        count, average = await service.rating_summary(session, topic.id)
        parts.append(i18n.get("topic-card-rating", count=str(count), average=f"{average:.1f}"))
    events = await service.history(session, topic.id)
    history = [
        i18n.get(
            "topic-history-line",
            time=delivery.when(ctx, event.at),
            state=i18n.get(f"topic-state-{event.state.value}"),
            note=event.note,
        ).rstrip(" :：")
        for event in events[-HISTORY_LIMIT:]
    ]
    parts.append(i18n.get("topic-card-history") + "\n" + "\n".join(history))
    text = "\n\n".join(parts)
    if len(text) > 4000:
        text = text[:3990] + "…"

    actions: list[tuple[str, str]] = []
    extra: list[InlineKeyboardButton] = []
    if member and topic.state in service.SUPPORT_STATES:
        actions.append((i18n.get("topic-button-support"), "support"))
    if topic.state == TopicState.DISCUSSING:
        actions.append((i18n.get("topic-button-comment"), "comment"))
    if member and topic.state == TopicState.DONE:
        actions.append((i18n.get("topic-button-rate"), "rate"))
    if manager:
        if topic.state == TopicState.PROPOSED:
            actions.append((i18n.get("topic-button-shortlist"), "short"))
        if topic.state in service.POOL_STATES:
            actions.append((i18n.get("topic-button-decline"), "decline"))
        if topic.state == TopicState.SHORTLISTED:
            actions.append((i18n.get("topic-button-discuss"), "discuss"))
        if topic.state == TopicState.DISCUSSING:
            actions.append((i18n.get("topic-button-vote"), "vote"))
        if topic.state == TopicState.VOTING and open_vote is None and votes:
            actions.append((i18n.get("topic-button-decide"), "decide"))
        if topic.state in (TopicState.DECIDED, TopicState.IMPLEMENTING):
            actions.append((i18n.get("topic-button-progress"), "progress"))
            actions.append((i18n.get("topic-button-done"), "done"))
        if open_vote is not None:
            extra.append(
                kb.close_vote(open_vote.vote.id, i18n.get("vote-button-close"), confirm=False)
            )
    if open_vote is not None and member:
        ballot = delivery.vote_markup(ctx, open_vote, locale)
        if ballot is not None:
            extra = [*(b for row in ballot.inline_keyboard for b in row), *extra]
    return text, kb.topic_actions(topic.id, actions, extra)


# --- steps on a topic (buttons) -------------------------------------------------------------------


@router.callback_query(TopicAction.filter(F.action == "noop"))
async def noop(query: CallbackQuery) -> None:
    """The criterion labels on a pool card are not buttons."""


@router.callback_query(TopicAction.filter(F.action == "support"))
async def support_from_card(
    query: CallbackQuery,
    callback_data: TopicAction,
    callback_answer: CallbackAnswer,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    translator: Translator,
    settings: Settings,
) -> None:
    await support(
        query,
        SupportTopic(topic_id=callback_data.topic_id),
        callback_answer,
        session,
        resident,
        i18n,
        bot,
        sessionmaker,
        translator,
        settings,
    )


@router.callback_query(TopicAction.filter(F.action == "rate"))
async def rate_menu(
    query: CallbackQuery, callback_data: TopicAction, i18n: I18nContext, bot: Bot
) -> None:
    await bot.send_message(
        query.from_user.id,
        i18n.get("topic-ask-rating"),
        reply_markup=kb.rating(callback_data.topic_id),
    )


@router.callback_query(RateTopic.filter())
async def rate(
    query: CallbackQuery,
    callback_data: RateTopic,
    callback_answer: CallbackAnswer,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    await service.rate(session, resident, callback_data.topic_id, callback_data.stars)
    callback_answer.text = i18n.get("topic-rated", stars=str(callback_data.stars))
    if isinstance(query.message, Message) and query.message.chat.type == "private":
        await query.message.edit_text(i18n.get("topic-rated", stars=str(callback_data.stars)))


@router.callback_query(TopicAction.filter(F.action == "short"))
async def shortlist(
    query: CallbackQuery,
    callback_data: TopicAction,
    callback_answer: CallbackAnswer,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    translator: Translator,
    settings: Settings,
) -> None:
    assert resident is not None
    topic = await service.shortlist(session, resident, callback_data.topic_id)
    ctx = job_ctx(bot, sessionmaker, translator, settings)
    await delivery.tell_author(ctx, topic.id, "topic-told-shortlisted")
    delivery.refresher(ctx).touch(("topic", topic.id))
    callback_answer.text = i18n.get("topic-done-shortlisted", ref=topic.ref)
    if isinstance(query.message, Message):
        await query.message.edit_text(i18n.get("topic-done-shortlisted", ref=topic.ref))


@router.callback_query(TopicAction.filter(F.action.in_(NOTE_ACTIONS)))
async def note_start(
    query: CallbackQuery,
    callback_data: TopicAction,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
    bot: Bot,
) -> None:
    topic = await service.get(session, callback_data.topic_id)
    await service.require_manager(session, resident, topic)
    await state.clear()
    await state.set_state(Note.text)
    await state.update_data(action=callback_data.action, topic_id=topic.id)
    await bot.send_message(
        query.from_user.id,
        i18n.get(f"topic-ask-{callback_data.action}", ref=topic.ref, title=topic.title),
        reply_markup=cancel_kb(i18n),
    )


@router.message(Note.text, ~F.text.startswith("/"))
async def note_text(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    if message.text is None:
        await message.answer(i18n.get("topic-expected-text"), reply_markup=cancel_kb(i18n))
        return
    text = message.text.strip()
    limit = service.REASON_MAX
    data = await _draft(state, "action", "topic_id")
    if data.get("action") != "decline":
        limit = service.TEXT_MAX
    if not text or len(text) > limit:
        await message.answer(
            i18n.get("topic-error-too-long", limit=str(limit), length=str(len(text))),
            reply_markup=cancel_kb(i18n),
        )
        return
    await state.update_data(text=text)
    await state.set_state(Note.confirm)
    await message.answer(
        i18n.get(f"topic-preview-{data['action']}", ref=f"T{data['topic_id']}", text=text),
        reply_markup=kb.confirm(
            i18n.get("topic-button-confirm"), i18n.get("topic-button-cancel"), TopicFlow
        ),
    )


@router.callback_query(Note.confirm, TopicFlow.filter(F.action == "confirm"))
async def note_confirm(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident,
    i18n: I18nContext,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    translator: Translator,
    settings: Settings,
) -> None:
    data = await state.get_data()
    action, topic_id, text = data.get("action"), int(data.get("topic_id", 0)), data.get("text", "")
    ctx = job_ctx(bot, sessionmaker, translator, settings)
    if action == "decline":
        topic = await service.decline(session, resident, topic_id, text)
        await state.clear()
        await delivery.tell_author(ctx, topic.id, "topic-told-declined", reason=text)
        delivery.refresher(ctx).touch(("topic", topic.id))
    elif action == "decide":
        topic = await service.record_decision(session, resident, topic_id, text)
        await state.clear()
        await delivery.announce(ctx, topic.id, "topic-announce-decided", text=text)
    elif action == "progress":
        topic = await service.add_progress(session, resident, topic_id, text)
        await state.clear()
        await delivery.announce(ctx, topic.id, "topic-announce-progress", text=text)
    elif action == "done":
        topic = await service.mark_done(session, resident, topic_id, text)
        await state.clear()
        await delivery.announce(ctx, topic.id, "topic-announce-done", text=text)
    else:
        await state.clear()
        raise StaleAction()
    assert isinstance(query.message, Message)
    await query.message.edit_text(i18n.get(f"topic-done-{action}", ref=topic.ref))


# --- step 2: /pool and scores ---------------------------------------------------------------------


def pool_card(i18n: I18nContext, topic: Topic) -> tuple[str, Any]:
    text = i18n.get(
        "topic-pool-card",
        ref=topic.ref,
        title=topic.title,
        description=topic.description or i18n.get("topic-voice-description"),
        state=i18n.get(f"topic-state-{topic.state.value}"),
        support=str(topic.support_count),
        total=str(topic.score),
    )
    actions = (
        [(i18n.get("topic-button-shortlist"), "short")]
        if topic.state == TopicState.PROPOSED
        else [(i18n.get("topic-button-discuss"), "discuss")]
    )
    actions.append((i18n.get("topic-button-decline"), "decline"))
    markup = kb.pool_card(
        topic.id,
        {"i": topic.importance, "u": topic.urgency, "f": topic.feasibility},
        {c: i18n.get(f"topic-criterion-{c}") for c in CRITERIA},
        actions,
    )
    return text, markup


@router.message(Command("pool"), F.chat.type == "private", HasAccess(Access.BUILDING_CHIEF))
async def pool(
    message: Message,
    session: AsyncSession,
    resident: Resident,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    rows = await service.pool(session, resident)
    if not rows:
        await message.answer(i18n.get("topic-pool-empty"))
        return
    shown = rows[: settings.deliberation.page_size]
    ranking = [
        i18n.get(
            "topic-pool-rank",
            n=str(i + 1),
            ref=t.ref,
            title=t.title,
            total=str(t.score),
            support=str(t.support_count),
        )
        for i, t in enumerate(rows[:20])
    ]
    await message.answer(
        i18n.get("topic-pool-header", count=str(len(rows))) + "\n" + "\n".join(ranking)
    )
    for topic in shown:
        text, markup = pool_card(i18n, topic)
        await message.answer(text, reply_markup=markup)


@router.callback_query(ScoreTopic.filter())
async def score(
    query: CallbackQuery,
    callback_data: ScoreTopic,
    callback_answer: CallbackAnswer,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    criterion = CRITERIA.get(callback_data.criterion)
    if criterion is None or resident is None:
        raise StaleAction()
    topic = await service.set_score(
        session, resident, callback_data.topic_id, criterion, callback_data.value
    )
    callback_answer.text = i18n.get("topic-scored", total=str(topic.score))
    text, markup = pool_card(i18n, topic)
    if isinstance(query.message, Message):
        await query.message.edit_text(text, reply_markup=markup)


# --- step 3: discussion ---------------------------------------------------------------------------


@router.callback_query(TopicAction.filter(F.action == "discuss"))
async def discuss_start(
    query: CallbackQuery,
    callback_data: TopicAction,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
    bot: Bot,
    settings: Settings,
) -> None:
    topic = await service.get(session, callback_data.topic_id)
    await service.require_manager(session, resident, topic)
    if topic.state != TopicState.SHORTLISTED:
        raise StaleAction("topic-error-wrong-state")
    await state.clear()
    await state.set_state(Discuss.ends)
    await state.update_data(topic_id=topic.id)
    days = sorted({3, settings.deliberation.discussion_days, 14})
    items = [(i18n.get("topic-days", days=str(d)), str(d)) for d in days]
    await bot.send_message(
        query.from_user.id,
        i18n.get("topic-ask-discussion-end", ref=topic.ref),
        reply_markup=kb.with_cancel(
            kb.choices(items, TopicFlow, "days"), i18n.get("topic-button-cancel"), TopicFlow
        ),
    )


async def _ask_meeting(target: Message, state: FSMContext, i18n: I18nContext) -> None:
    await state.set_state(Discuss.meeting_time)
    await target.answer(
        i18n.get("topic-ask-meeting"),
        reply_markup=kb.with_cancel(
            kb.choices([(i18n.get("topic-button-no-meeting"), "none")], TopicFlow, "meeting"),
            i18n.get("topic-button-cancel"),
            TopicFlow,
        ),
    )


@router.callback_query(Discuss.ends, TopicFlow.filter(F.action == "days"))
async def discuss_days(
    query: CallbackQuery, callback_data: TopicFlow, state: FSMContext, i18n: I18nContext
) -> None:
    if not callback_data.value.isdigit() or not 1 <= int(callback_data.value) <= 90:
        raise StaleAction()
    ends = now() + timedelta(days=int(callback_data.value))
    await state.update_data(ends=ends.isoformat())
    assert isinstance(query.message, Message)
    await _ask_meeting(query.message, state, i18n)


@router.message(Discuss.ends, ~F.text.startswith("/"))
async def discuss_ends_typed(
    message: Message, state: FSMContext, i18n: I18nContext, settings: Settings
) -> None:
    try:
        ends = vote_service.parse_datetime(message.text, settings.tz, now())
    except ValidationFailed as error:
        await message.answer(i18n.get(error.key, **error.params), reply_markup=cancel_kb(i18n))
        return
    await state.update_data(ends=ends.isoformat())
    await _ask_meeting(message, state, i18n)


async def _discuss_preview(
    target: Message, state: FSMContext, i18n: I18nContext, settings: Settings
) -> None:
    data = await _draft(state, "topic_id")
    tz = settings.tz

    def show(value: str | None) -> str:
        if not value:
            return "-"
        return datetime.fromisoformat(value).astimezone(tz).strftime("%Y-%m-%d %H:%M")

    await state.set_state(Discuss.confirm)
    await target.answer(
        i18n.get(
            "topic-preview-discuss",
            ref=f"T{data['topic_id']}",
            ends=show(data.get("ends")),
            meeting=show(data.get("meeting_at")),
            place=data.get("place") or "-",
        ),
        reply_markup=kb.confirm(
            i18n.get("topic-button-confirm"), i18n.get("topic-button-cancel"), TopicFlow
        ),
    )


@router.callback_query(Discuss.meeting_time, TopicFlow.filter(F.action == "meeting"))
async def discuss_no_meeting(
    query: CallbackQuery, state: FSMContext, i18n: I18nContext, settings: Settings
) -> None:
    await state.update_data(meeting_at=None, place=None)
    assert isinstance(query.message, Message)
    await _discuss_preview(query.message, state, i18n, settings)


@router.message(Discuss.meeting_time, ~F.text.startswith("/"))
async def discuss_meeting_time(
    message: Message, state: FSMContext, i18n: I18nContext, settings: Settings
) -> None:
    try:
        moment = vote_service.parse_datetime(message.text, settings.tz, now())
    except ValidationFailed as error:
        await message.answer(i18n.get(error.key, **error.params), reply_markup=cancel_kb(i18n))
        return
    await state.update_data(meeting_at=moment.isoformat())
    await state.set_state(Discuss.meeting_place)
    await message.answer(i18n.get("topic-ask-place"), reply_markup=cancel_kb(i18n))


@router.message(Discuss.meeting_place, ~F.text.startswith("/"))
async def discuss_meeting_place(
    message: Message, state: FSMContext, i18n: I18nContext, settings: Settings
) -> None:
    if not message.text or not message.text.strip():
        await message.answer(i18n.get("topic-expected-text"), reply_markup=cancel_kb(i18n))
        return
    await state.update_data(place=message.text.strip()[: service.PLACE_MAX])
    await _discuss_preview(message, state, i18n, settings)


@router.callback_query(Discuss.confirm, TopicFlow.filter(F.action == "confirm"))
async def discuss_confirm(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident,
    i18n: I18nContext,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    translator: Translator,
    settings: Settings,
) -> None:
    data = await state.get_data()
    meeting = data.get("meeting_at")
    topic = await service.open_discussion(
        session,
        resident,
        int(data.get("topic_id", 0)),
        ends_at=datetime.fromisoformat(data["ends"]),
        meeting_at=datetime.fromisoformat(meeting) if meeting else None,
        meeting_place=data.get("place"),
        now=now(),
    )
    await state.clear()
    ctx = job_ctx(bot, sessionmaker, translator, settings)
    await delivery.publish_discussion(ctx, topic.id)
    await delivery.tell_author(ctx, topic.id, "topic-told-discussing")
    assert isinstance(query.message, Message)
    await query.message.edit_text(i18n.get("topic-done-discuss", ref=topic.ref))


# --- /comment -------------------------------------------------------------------------------------


async def _start_comment(
    target: Message,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident,
    i18n: I18nContext,
    topic_id: int,
) -> None:
    topic = await service.get(session, topic_id)
    if topic.state != TopicState.DISCUSSING:
        raise StaleAction("topic-error-not-discussing", ref=topic.ref)
    labels = await service.comment_labels(session, resident, topic)
    if len(labels) == 1 and not await service.in_scope(session, resident, topic):
        raise StaleAction("topic-error-not-in-scope", ref=topic.ref)
    await state.clear()
    await state.update_data(topic_id=topic.id, label=CommentLabel.RESIDENT.value)
    if len(labels) > 1:
        await state.set_state(Commenting.label)
        items = [(i18n.get(f"topic-label-{label}"), label) for label in labels]
        await target.answer(
            i18n.get("topic-ask-label", ref=topic.ref),
            reply_markup=kb.with_cancel(
                kb.choices(items, TopicFlow, "label"), i18n.get("topic-button-cancel"), TopicFlow
            ),
        )
        return
    await state.set_state(Commenting.text)
    await target.answer(
        i18n.get(
            "topic-ask-comment", ref=topic.ref, title=topic.title, limit=str(service.TEXT_MAX)
        ),
        reply_markup=cancel_kb(i18n),
    )


@router.message(Command("comment"), F.chat.type == "private", HasAccess(Access.RESIDENT))
async def comment_command(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident,
    i18n: I18nContext,
) -> None:
    args = (command.args or "").strip()
    if not args:
        rows = await service.discussing_for(session, resident)
        if not rows:
            await message.answer(i18n.get("topic-comment-none"))
            return
        await message.answer(
            i18n.get("topic-comment-which"),
            reply_markup=_comment_choices(rows),
        )
        return
    ref, _, text = args.partition(" ")
    topic_id = service.parse_ref(ref)
    if not text.strip():
        await _start_comment(message, state, session, resident, i18n, topic_id)
        return
    created = await service.comment(session, resident, topic_id, text=text, voice=None)
    await message.answer(
        i18n.get("topic-commented" if created else "topic-comment-updated", ref=f"T{topic_id}")
    )


def _comment_choices(rows: list[Topic]) -> Any:
    from aiogram.utils.keyboard import InlineKeyboardBuilder

    builder = InlineKeyboardBuilder()
    for topic in rows:
        builder.button(
            text=f"{topic.ref} {topic.title}"[:60],
            callback_data=TopicAction(topic_id=topic.id, action="comment"),
        )
    builder.adjust(1)
    return builder.as_markup()


@router.callback_query(TopicAction.filter(F.action == "comment"))
async def comment_button(
    query: CallbackQuery,
    callback_data: TopicAction,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    if resident is None or not resident.is_verified:
        raise StaleAction()
    if not isinstance(query.message, Message) or query.message.chat.type != "private":
        raise StaleAction()
    await _start_comment(query.message, state, session, resident, i18n, callback_data.topic_id)


@router.callback_query(Commenting.label, TopicFlow.filter(F.action == "label"))
async def comment_label(
    query: CallbackQuery, callback_data: TopicFlow, state: FSMContext, i18n: I18nContext
) -> None:
    if callback_data.value not in {label.value for label in CommentLabel}:
        raise StaleAction()
    await _draft(state, "topic_id")
    data = await state.update_data(label=callback_data.value)
    await state.set_state(Commenting.text)
    assert isinstance(query.message, Message)
    await query.message.edit_text(
        i18n.get(
            "topic-ask-comment",
            ref=f"T{data['topic_id']}",
            title=i18n.get(f"topic-label-{callback_data.value}"),
            limit=str(service.TEXT_MAX),
        ),
        reply_markup=cancel_kb(i18n),
    )


@router.message(Commenting.text, ~F.text.startswith("/"))
async def comment_text(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident,
    i18n: I18nContext,
) -> None:
    got = text_or_voice(message)
    if got is None:
        await message.answer(i18n.get("topic-expected-text"), reply_markup=cancel_kb(i18n))
        return
    text, voice = got
    if len(text.strip()) > service.TEXT_MAX:
        await message.answer(
            i18n.get("topic-error-too-long", limit=str(service.TEXT_MAX), length=str(len(text))),
            reply_markup=cancel_kb(i18n),
        )
        return
    data = await state.get_data()
    topic_id = int(data.get("topic_id", 0))
    created = await service.comment(
        session, resident, topic_id, text=text, voice=voice, label=data.get("label", "resident")
    )
    await state.clear()
    await message.answer(
        i18n.get("topic-commented" if created else "topic-comment-updated", ref=f"T{topic_id}")
    )
