"""/vote_new (chiefs): the topic (a button per topic in discussion, or `/vote_new T5`),
question, options (one per line, or on one line separated by 、，,;；), single or multiple
choice (and the maximum), deadline (1 / 3 / 7 days, the picker or a typed date), quorum,
changeable ballots, live totals, preview, Confirm; the vote and its group posts are stored
together."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from linli.bot.callbacks.common import WhenPick
from linli.bot.callbacks.deliberation import TopicAct, VoteFlow
from linli.bot.commands import Access
from linli.bot.delivery import Delivery
from linli.bot.filters import HasAccess
from linli.bot.keyboards import deliberation as kb
from linli.handlers.deliberation.common import (
    WHEN_VOTE_DEADLINE,
    ask_when,
    cancel_row,
    confirm_kb,
    days_ahead,
    days_row,
    expected_button,
    now,
    picked_moment,
    read_draft,
    reask,
    retire,
    typed_moment,
    vote_cancel_kb,
)
from linli.models import Resident
from linli.services import DbSession
from linli.services import topics as topic_service
from linli.services import votes as service
from linli.services.errors import StaleAction, ValidationFailed
from linli.services.topics import TopicAction
from linli.services.votes import Draft

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


router.message.register(
    expected_button,
    StateFilter(VoteNew.kind, VoteNew.max_choices, VoteNew.change, VoteNew.live, VoteNew.confirm),
    ~F.text.startswith("/"),
)


async def _ask(
    target: Message,
    state: FSMContext,
    i18n: I18nContext,
    step: State,
    key: str,
    action: str,
    items: list[tuple[str, str]],
) -> None:
    """Go to `step` and ask its question `key`, with a `VoteFlow(action, value)` button
    per (label, value) and Cancel."""
    await state.set_state(step)
    await target.answer(
        i18n.get(key), reply_markup=vote_cancel_kb(i18n, kb.choices(items, VoteFlow, action))
    )


async def _start(
    target: Message,
    state: FSMContext,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
    topic_id: int,
) -> None:
    topic = await service.topic_for_new_vote(session, resident, topic_id)
    await state.clear()
    await state.set_state(VoteNew.question)
    await state.update_data(topic_id=topic.id)
    await target.answer(
        i18n.get("vote-ask-question", ref=topic.ref, title=topic.title),
        reply_markup=vote_cancel_kb(i18n),
    )


@router.message(Command("vote_new"), F.chat.type == "private", HasAccess(Access.BUILDING_CHIEF))
async def vote_new(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
) -> None:
    if not command.args:
        rows = await topic_service.ready_for_vote(session, resident)
        if not rows:
            await message.answer(i18n.get("vote-new-none"))
            return
        await message.answer(
            i18n.get("vote-new-which"),
            reply_markup=kb.topic_buttons(
                [(t.id, f"{t.ref} {t.title}"[:60]) for t in rows], TopicAction.VOTE
            ),
        )
        return
    topic_id = topic_service.parse_ref(command.args.split()[0])
    await _start(message, state, session, resident, i18n, topic_id)


@router.callback_query(TopicAct.filter(F.action == TopicAction.VOTE))
async def vote_new_button(
    query: CallbackQuery,
    callback_data: TopicAct,
    state: FSMContext,
    session: DbSession,
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
        await reask(message, i18n, error, vote_cancel_kb(i18n))
        return
    await state.update_data(question=question)
    await state.set_state(VoteNew.options)
    await message.answer(
        i18n.get("vote-ask-options", min=service.MIN_OPTIONS, max=service.MAX_OPTIONS),
        reply_markup=vote_cancel_kb(i18n),
    )


@router.message(VoteNew.options, ~F.text.startswith("/"))
async def got_options(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    try:
        options = service.parse_options(message.text)
    except ValidationFailed as error:
        await reask(message, i18n, error, vote_cancel_kb(i18n))
        return
    await state.update_data(options=options)
    items = [(i18n.get("vote-kind-single"), "single"), (i18n.get("vote-kind-multiple"), "multiple")]
    await _ask(message, state, i18n, VoteNew.kind, "vote-ask-kind", "kind", items)


async def _ask_deadline(
    target: Message, state: FSMContext, i18n: I18nContext, delivery: Delivery
) -> None:
    await state.set_state(VoteNew.deadline)
    await ask_when(
        target,
        i18n,
        delivery,
        i18n.get("vote-ask-deadline"),
        WHEN_VOTE_DEADLINE,
        [days_row(i18n, DEADLINE_DAYS, VoteFlow), cancel_row(i18n, VoteFlow)],
    )


@router.callback_query(VoteNew.kind, VoteFlow.filter(F.action == "kind"))
async def got_kind(
    query: CallbackQuery,
    callback_data: VoteFlow,
    state: FSMContext,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    if callback_data.value not in ("single", "multiple"):
        raise StaleAction()
    data = await read_draft(state, "topic_id", "question", "options")
    message = await retire(query)
    await state.update_data(multiple=callback_data.value == "multiple", max_choices=1)
    if callback_data.value == "single":
        await _ask_deadline(message, state, i18n, delivery)
        return
    count = len(data["options"])
    items = [(str(n), str(n)) for n in range(2, count + 1)]
    await _ask(message, state, i18n, VoteNew.max_choices, "vote-ask-max", "max", items)


@router.callback_query(VoteNew.max_choices, VoteFlow.filter(F.action == "max"))
async def got_max(
    query: CallbackQuery,
    callback_data: VoteFlow,
    state: FSMContext,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    data = await read_draft(state, "topic_id", "question", "options")
    most = service.parse_max_choices(callback_data.value, len(data["options"]))
    await state.update_data(max_choices=most)
    await _ask_deadline(await retire(query), state, i18n, delivery)


async def _ask_quorum(
    target: Message, state: FSMContext, i18n: I18nContext, deadline: datetime
) -> None:
    await state.update_data(deadline=deadline.isoformat())
    items = [(f"{q}%", str(q)) for q in QUORUMS]
    await _ask(target, state, i18n, VoteNew.quorum, "vote-ask-quorum", "quorum", items)


@router.callback_query(VoteNew.deadline, VoteFlow.filter(F.action == "days"))
async def got_deadline_days(
    query: CallbackQuery, callback_data: VoteFlow, state: FSMContext, i18n: I18nContext
) -> None:
    deadline = days_ahead(callback_data.value, DEADLINE_DAYS)
    await _ask_quorum(await retire(query), state, i18n, deadline)


@router.callback_query(
    VoteNew.deadline, WhenPick.filter((F.flow == WHEN_VOTE_DEADLINE) & (F.at != ""))
)
async def got_deadline_picked(
    query: CallbackQuery,
    callback_data: WhenPick,
    state: FSMContext,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    deadline = picked_moment(callback_data, delivery)
    await _ask_quorum(await retire(query), state, i18n, deadline)


@router.message(VoteNew.deadline, ~F.text.startswith("/"))
async def got_deadline_typed(
    message: Message, state: FSMContext, i18n: I18nContext, delivery: Delivery
) -> None:
    deadline = await typed_moment(message, i18n, delivery, vote_cancel_kb(i18n))
    if deadline is None:
        return
    await _ask_quorum(message, state, i18n, deadline)


async def _ask_change(target: Message, state: FSMContext, i18n: I18nContext) -> None:
    items = [(i18n.get("vote-change-yes"), "1"), (i18n.get("vote-change-no"), "0")]
    await _ask(target, state, i18n, VoteNew.change, "vote-ask-change", "change", items)


@router.callback_query(VoteNew.quorum, VoteFlow.filter(F.action == "quorum"))
async def got_quorum_button(
    query: CallbackQuery, callback_data: VoteFlow, state: FSMContext, i18n: I18nContext
) -> None:
    quorum = service.parse_quorum(callback_data.value)
    if quorum not in QUORUMS:
        raise StaleAction()
    await state.update_data(quorum=quorum)
    await _ask_change(await retire(query), state, i18n)


@router.message(VoteNew.quorum, ~F.text.startswith("/"))
async def got_quorum_typed(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    try:
        quorum = service.parse_quorum(message.text)
    except ValidationFailed as error:
        await reask(message, i18n, error, vote_cancel_kb(i18n))
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
    items = [(i18n.get("vote-live-hidden"), "0"), (i18n.get("vote-live-shown"), "1")]
    await _ask(await retire(query), state, i18n, VoteNew.live, "vote-ask-live", "live", items)


DRAFT_KEYS = ("topic_id", "question", "options", "multiple", "deadline", "quorum")
"""What a vote's draft holds by the time it is previewed."""


def _draft(data: dict[str, Any]) -> Draft:
    return Draft(
        topic_id=int(data["topic_id"]),
        question=data["question"],
        options=list(data["options"]),
        multiple=bool(data["multiple"]),
        max_choices=int(data.get("max_choices", 1)),
        deadline=datetime.fromisoformat(data["deadline"]),
        quorum_percent=int(data["quorum"]),
        allow_change=bool(data.get("allow_change", True)),
        show_live=bool(data.get("show_live", False)),
    )


@router.callback_query(VoteNew.live, VoteFlow.filter(F.action == "live"))
async def got_live(
    query: CallbackQuery,
    callback_data: VoteFlow,
    state: FSMContext,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    if callback_data.value not in ("0", "1"):
        raise StaleAction()
    await read_draft(state, *DRAFT_KEYS)
    data = await state.update_data(show_live=callback_data.value == "1")
    await state.set_state(VoteNew.confirm)
    draft = _draft(data)
    options = "\n".join(
        i18n.get("vote-option", n=i + 1, label=label) for i, label in enumerate(draft.options)
    )
    kind = (
        i18n.get("vote-rule-multiple", max=draft.max_choices)
        if draft.multiple
        else i18n.get("vote-rule-single")
    )
    assert draft.deadline is not None
    message = await retire(query)
    await message.answer(
        i18n.get(
            "vote-preview",
            ref=f"T{draft.topic_id}",
            question=draft.question,
            options=options,
            kind=kind,
            deadline=delivery.local_time(draft.deadline),
            quorum=draft.quorum_percent,
            change=i18n.get("vote-change-yes" if draft.allow_change else "vote-change-no"),
            live=i18n.get("vote-live-shown" if draft.show_live else "vote-live-hidden"),
        ),
        reply_markup=confirm_kb(i18n, VoteFlow),
    )


@router.callback_query(VoteNew.confirm, VoteFlow.filter(F.action == "confirm"))
async def confirm_vote(
    query: CallbackQuery,
    state: FSMContext,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    draft = _draft(await read_draft(state, *DRAFT_KEYS))
    posting = delivery.deliberation.vote_posting()
    vote = await service.create(session, resident, draft, now(), announce=posting)
    await state.clear()
    delivery.deliberation.vote_opened(vote)
    assert isinstance(query.message, Message)
    await query.message.edit_text(
        i18n.get("vote-created", ref=f"T{vote.topic_id}", groups=posting.groups)
    )
