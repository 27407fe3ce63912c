"""Votes: /vote_new (chiefs), ballots from group posts and private chats, early closing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramForbiddenError
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from linli.bot.callbacks.deliberation import (
    CastVote,
    CloseVote,
    OpenBallot,
    SubmitChoices,
    ToggleChoice,
    TopicAction,
    VoteFlow,
)
from linli.bot.commands import Access
from linli.bot.delivery import Delivery
from linli.bot.filters import HasAccess
from linli.bot.i18n import Translator
from linli.bot.keyboards import deliberation as kb
from linli.config import Settings
from linli.models import Resident
from linli.models.deliberation import VoteState
from linli.scheduler import deliberation as delivery
from linli.scheduler.jobs import JobContext
from linli.services import topics as topic_service
from linli.services import votes as service
from linli.services.errors import DomainError, StaleAction, ValidationFailed
from linli.services.votes import Cast, Draft

router = Router(name=__name__)

DEADLINE_DAYS = (1, 3, 7)
QUORUMS = (0, 10, 20, 30, 50)


class VoteNew(StatesGroup):
    question = State()
    options = State()
    kind = State()
    max_choices = State()
    deadline = State()
    quorum = State()
    change = State()
    live = State()
    confirm = State()


def job_ctx(
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    translator: Translator,
    settings: Settings,
) -> JobContext:
    return JobContext(delivery=Delivery(bot, sessionmaker, translator, settings))


def now() -> datetime:
    return datetime.now(UTC)


def _cancel(i18n: I18nContext, markup: Any = None) -> Any:
    return kb.with_cancel(markup, i18n.get("topic-button-cancel"), VoteFlow)


async def _reask(message: Message, i18n: I18nContext, error: DomainError) -> None:
    await message.answer(i18n.get(error.key, **error.params), reply_markup=_cancel(i18n))


# --- /vote_new ----------------------------------------------------------------------------------


async def _start(
    target: Message,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident,
    i18n: I18nContext,
    topic_id: int,
) -> None:
    topic = await service.topic_for_new_vote(session, resident, topic_id)
    await state.clear()
    await state.set_state(VoteNew.question)
    await state.update_data(topic_id=topic.id)
    await target.answer(
        i18n.get("vote-ask-question", ref=topic.ref, title=topic.title), reply_markup=_cancel(i18n)
    )


@router.message(Command("vote_new"), F.chat.type == "private", HasAccess(Access.BUILDING_CHIEF))
async def vote_new(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident,
    i18n: I18nContext,
) -> None:
    if not command.args:
        await message.answer(i18n.get("vote-new-usage"))
        return
    topic_id = topic_service.parse_ref(command.args.split()[0])
    await _start(message, state, session, resident, i18n, topic_id)


@router.callback_query(TopicAction.filter(F.action == "vote"))
async def vote_new_button(
    query: CallbackQuery,
    callback_data: TopicAction,
    state: FSMContext,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    if resident is None or not isinstance(query.message, Message):
        raise StaleAction()
    if query.message.chat.type != "private":
        raise StaleAction()
    await _start(query.message, state, session, resident, i18n, callback_data.topic_id)


@router.message(VoteNew.question, ~F.text.startswith("/"))
async def got_question(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    try:
        question = service.parse_question(message.text)
    except ValidationFailed as error:
        await _reask(message, i18n, error)
        return
    await state.update_data(question=question)
    await state.set_state(VoteNew.options)
    await message.answer(i18n.get("vote-ask-options"), reply_markup=_cancel(i18n))


@router.message(VoteNew.options, ~F.text.startswith("/"))
async def got_options(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    try:
        options = service.parse_options(message.text)
    except ValidationFailed as error:
        await _reask(message, i18n, error)
        return
    await state.update_data(options=options)
    await state.set_state(VoteNew.kind)
    items = [(i18n.get("vote-kind-single"), "single"), (i18n.get("vote-kind-multiple"), "multiple")]
    await message.answer(
        i18n.get("vote-ask-kind"), reply_markup=_cancel(i18n, kb.choices(items, VoteFlow, "kind"))
    )


async def _ask_deadline(target: Message, state: FSMContext, i18n: I18nContext) -> None:
    await state.set_state(VoteNew.deadline)
    items = [(i18n.get("topic-days", days=str(d)), str(d)) for d in DEADLINE_DAYS]
    await target.answer(
        i18n.get("vote-ask-deadline"),
        reply_markup=_cancel(i18n, kb.choices(items, VoteFlow, "days")),
    )


@router.callback_query(VoteNew.kind, VoteFlow.filter(F.action == "kind"))
async def got_kind(
    query: CallbackQuery, callback_data: VoteFlow, state: FSMContext, i18n: I18nContext
) -> None:
    if callback_data.value not in ("single", "multiple"):
        raise StaleAction()
    assert isinstance(query.message, Message)
    data = await state.update_data(multiple=callback_data.value == "multiple", max_choices=1)
    if callback_data.value == "single":
        await _ask_deadline(query.message, state, i18n)
        return
    await state.set_state(VoteNew.max_choices)
    count = len(data.get("options", []))
    items = [(str(n), str(n)) for n in range(2, count + 1)]
    await query.message.answer(
        i18n.get("vote-ask-max"), reply_markup=_cancel(i18n, kb.choices(items, VoteFlow, "max"))
    )


@router.callback_query(VoteNew.max_choices, VoteFlow.filter(F.action == "max"))
async def got_max(
    query: CallbackQuery, callback_data: VoteFlow, state: FSMContext, i18n: I18nContext
) -> None:
    data = await state.get_data()
    if not callback_data.value.isdigit() or not 2 <= int(callback_data.value) <= len(
        data.get("options", [])
    ):
        raise StaleAction()
    await state.update_data(max_choices=int(callback_data.value))
    assert isinstance(query.message, Message)
    await _ask_deadline(query.message, state, i18n)


async def _ask_quorum(target: Message, state: FSMContext, i18n: I18nContext) -> None:
    await state.set_state(VoteNew.quorum)
    items = [(f"{q}%", str(q)) for q in QUORUMS]
    await target.answer(
        i18n.get("vote-ask-quorum"),
        reply_markup=_cancel(i18n, kb.choices(items, VoteFlow, "quorum")),
    )


@router.callback_query(VoteNew.deadline, VoteFlow.filter(F.action == "days"))
async def got_deadline_days(
    query: CallbackQuery, callback_data: VoteFlow, state: FSMContext, i18n: I18nContext
) -> None:
    if not callback_data.value.isdigit() or int(callback_data.value) not in DEADLINE_DAYS:
        raise StaleAction()
    deadline = now() + timedelta(days=int(callback_data.value))
    await state.update_data(deadline=deadline.isoformat())
    assert isinstance(query.message, Message)
    await _ask_quorum(query.message, state, i18n)


@router.message(VoteNew.deadline, ~F.text.startswith("/"))
async def got_deadline_typed(
    message: Message, state: FSMContext, i18n: I18nContext, settings: Settings
) -> None:
    try:
        deadline = service.parse_datetime(message.text, settings.tz, now())
    except ValidationFailed as error:
        await _reask(message, i18n, error)
        return
    await state.update_data(deadline=deadline.isoformat())
    await _ask_quorum(message, state, i18n)


async def _ask_change(target: Message, state: FSMContext, i18n: I18nContext) -> None:
    await state.set_state(VoteNew.change)
    items = [(i18n.get("vote-change-yes"), "1"), (i18n.get("vote-change-no"), "0")]
    await target.answer(
        i18n.get("vote-ask-change"),
        reply_markup=_cancel(i18n, kb.choices(items, VoteFlow, "change")),
    )


@router.callback_query(VoteNew.quorum, VoteFlow.filter(F.action == "quorum"))
async def got_quorum_button(
    query: CallbackQuery, callback_data: VoteFlow, state: FSMContext, i18n: I18nContext
) -> None:
    await state.update_data(quorum=service.parse_quorum(callback_data.value))
    assert isinstance(query.message, Message)
    await _ask_change(query.message, state, i18n)


@router.message(VoteNew.quorum, ~F.text.startswith("/"))
async def got_quorum_typed(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    try:
        quorum = service.parse_quorum(message.text)
    except ValidationFailed as error:
        await _reask(message, i18n, error)
        return
    await state.update_data(quorum=quorum)
    await _ask_change(message, state, i18n)


@router.callback_query(VoteNew.change, VoteFlow.filter(F.action == "change"))
async def got_change(
    query: CallbackQuery, callback_data: VoteFlow, state: FSMContext, i18n: I18nContext
) -> None:
    if callback_data.value not in ("0", "1"):
        raise StaleAction()
    await state.update_data(allow_change=callback_data.value == "1")
    await state.set_state(VoteNew.live)
    items = [(i18n.get("vote-live-hidden"), "0"), (i18n.get("vote-live-shown"), "1")]
    assert isinstance(query.message, Message)
    await query.message.answer(
        i18n.get("vote-ask-live"), reply_markup=_cancel(i18n, kb.choices(items, VoteFlow, "live"))
    )


def _draft(data: dict[str, Any]) -> Draft:
    return Draft(
        topic_id=int(data.get("topic_id", 0)),
        question=data.get("question", ""),
        options=list(data.get("options", [])),
        multiple=bool(data.get("multiple")),
        max_choices=int(data.get("max_choices", 1)),
        deadline=datetime.fromisoformat(data["deadline"]) if data.get("deadline") else None,
        quorum_percent=int(data.get("quorum", 0)),
        allow_change=bool(data.get("allow_change", True)),
        show_live=bool(data.get("show_live", False)),
    )


@router.callback_query(VoteNew.live, VoteFlow.filter(F.action == "live"))
async def got_live(
    query: CallbackQuery,
    callback_data: VoteFlow,
    state: FSMContext,
    i18n: I18nContext,
    settings: Settings,
) -> None:
    if callback_data.value not in ("0", "1"):
        raise StaleAction()
    data = await state.update_data(show_live=callback_data.value == "1")
    await state.set_state(VoteNew.confirm)
    draft = _draft(data)
    options = "\n".join(
        i18n.get("vote-option", n=str(i + 1), label=label) for i, label in enumerate(draft.options)
    )
    kind = (
        i18n.get("vote-rule-multiple", max=str(draft.max_choices))
        if draft.multiple
        else i18n.get("vote-rule-single")
    )
    assert draft.deadline is not None
    assert isinstance(query.message, Message)
    await query.message.answer(
        i18n.get(
            "vote-preview",
            ref=f"T{draft.topic_id}",
            question=draft.question,
            options=options,
            kind=kind,
            deadline=draft.deadline.astimezone(settings.tz).strftime("%Y-%m-%d %H:%M"),
            quorum=str(draft.quorum_percent),
            change=i18n.get("vote-change-yes" if draft.allow_change else "vote-change-no"),
            live=i18n.get("vote-live-shown" if draft.show_live else "vote-live-hidden"),
        ),
        reply_markup=kb.confirm(
            i18n.get("topic-button-confirm"), i18n.get("topic-button-cancel"), VoteFlow
        ),
    )


@router.callback_query(VoteNew.confirm, VoteFlow.filter(F.action == "confirm"))
async def confirm_vote(
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
    vote = await service.create(session, resident, _draft(await state.get_data()), now())
    await state.clear()
    await delivery.publish_vote(job_ctx(bot, sessionmaker, translator, settings), vote.id)
    assert isinstance(query.message, Message)
    await query.message.edit_text(i18n.get("vote-created", ref=f"T{vote.topic_id}"))


@router.callback_query(VoteFlow.filter(F.action == "cancel"))
async def cancel_vote_flow(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    await state.clear()
    if isinstance(query.message, Message):
        await query.message.edit_text(i18n.get("topic-cancelled"))


@router.message(VoteNew.kind, ~F.text.startswith("/"))
@router.message(VoteNew.max_choices, ~F.text.startswith("/"))
@router.message(VoteNew.change, ~F.text.startswith("/"))
@router.message(VoteNew.live, ~F.text.startswith("/"))
@router.message(VoteNew.confirm, ~F.text.startswith("/"))
async def expected_button(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("topic-expected-button"))


# --- ballots --------------------------------------------------------------------------------------


async def _cast(
    resident: Resident | None,
    session: AsyncSession,
    vote_id: int,
    positions: list[int],
    ctx: JobContext,
) -> Cast:
    result = await service.cast(
        session, resident, vote_id, positions, now=now(), key=delivery.ballot_key(ctx)
    )
    if result != Cast.SAME:
        delivery.refresher(ctx).touch(("vote", vote_id))
    return result


@router.callback_query(CastVote.filter())
async def cast_single(
    query: CallbackQuery,
    callback_data: CastVote,
    callback_answer: CallbackAnswer,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    translator: Translator,
    settings: Settings,
) -> None:
    ctx = job_ctx(bot, sessionmaker, translator, settings)
    result = await _cast(resident, session, callback_data.vote_id, [callback_data.position], ctx)
    callback_answer.text = i18n.get(f"vote-cast-{result.value}")


@router.callback_query(OpenBallot.filter())
async def open_ballot(
    query: CallbackQuery,
    callback_data: OpenBallot,
    callback_answer: CallbackAnswer,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
    bot: Bot,
) -> None:
    vote = await service.get(session, callback_data.vote_id)
    topic = await topic_service.get(session, vote.topic_id)
    if vote.state != VoteState.OPEN or vote.deadline <= now():
        raise StaleAction("vote-error-closed")
    if not await topic_service.in_scope(session, resident, topic):
        raise StaleAction("vote-error-not-eligible")
    current = await service.tally(session, vote.id)
    try:
        await bot.send_message(
            query.from_user.id,
            i18n.get(
                "vote-ballot", ref=topic.ref, question=vote.question, max=str(vote.max_choices)
            ),
            reply_markup=kb.ballot(
                vote.id, [label for label, _ in current.options], 0, i18n.get("vote-button-submit")
            ),
        )
    except TelegramForbiddenError:
        raise StaleAction("vote-error-open-private") from None
    callback_answer.text = i18n.get("vote-ballot-sent")


@router.callback_query(ToggleChoice.filter())
async def toggle_choice(
    query: CallbackQuery,
    callback_data: ToggleChoice,
    session: AsyncSession,
    i18n: I18nContext,
) -> None:
    vote = await service.get(session, callback_data.vote_id)
    current = await service.tally(session, vote.id)
    if vote.state != VoteState.OPEN or not 0 <= callback_data.position < len(current.options):
        raise StaleAction("vote-error-closed" if vote.state != VoteState.OPEN else None)
    mask = callback_data.mask ^ (1 << callback_data.position)
    if len(service.positions_of(mask)) > vote.max_choices:
        raise ValidationFailed("vote-error-too-many", max=str(vote.max_choices))
    assert isinstance(query.message, Message)
    await query.message.edit_reply_markup(
        reply_markup=kb.ballot(
            vote.id, [label for label, _ in current.options], mask, i18n.get("vote-button-submit")
        )
    )


@router.callback_query(SubmitChoices.filter())
async def submit_choices(
    query: CallbackQuery,
    callback_data: SubmitChoices,
    callback_answer: CallbackAnswer,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    translator: Translator,
    settings: Settings,
) -> None:
    if not 0 < callback_data.mask < 1 << service.MAX_OPTIONS:
        raise StaleAction("vote-error-choose-one")
    ctx = job_ctx(bot, sessionmaker, translator, settings)
    positions = service.positions_of(callback_data.mask)
    result = await _cast(resident, session, callback_data.vote_id, positions, ctx)
    callback_answer.text = i18n.get(f"vote-cast-{result.value}")
    if isinstance(query.message, Message):
        await query.message.edit_text(i18n.get(f"vote-cast-{result.value}"))


# --- closing early --------------------------------------------------------------------------------


@router.callback_query(CloseVote.filter(~F.confirm))
async def close_ask(
    query: CallbackQuery,
    callback_data: CloseVote,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
    bot: Bot,
) -> None:
    vote = await service.get(session, callback_data.vote_id)
    await topic_service.require_manager(
        session, resident, await topic_service.get(session, vote.topic_id)
    )
    if vote.state != VoteState.OPEN:
        raise StaleAction("vote-error-closed")
    await bot.send_message(
        query.from_user.id,
        i18n.get("vote-close-confirm", question=vote.question),
        reply_markup=kb.topic_actions(
            vote.topic_id,
            [],
            [kb.close_vote(vote.id, i18n.get("vote-button-close-confirm"), confirm=True)],
        ),
    )


@router.callback_query(CloseVote.filter(F.confirm))
async def close_now(
    query: CallbackQuery,
    callback_data: CloseVote,
    session: AsyncSession,
    resident: Resident | None,
    i18n: I18nContext,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    translator: Translator,
    settings: Settings,
) -> None:
    if resident is None:
        raise StaleAction()
    await service.close(session, callback_data.vote_id, now(), actor=resident)
    if isinstance(query.message, Message):
        await query.message.edit_text(i18n.get("vote-closed-early"))
    await delivery.finish_vote(
        job_ctx(bot, sessionmaker, translator, settings), callback_data.vote_id
    )
