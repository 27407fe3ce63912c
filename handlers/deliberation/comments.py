"""/comment: a resident's view on a topic in discussion (one per resident and label,
replaced when sent again), shown on the topic's card with their name — which the resident
is told before confirming. Chiefs of the topic may add the property company's and the
owners' committee's views.

Ways in: the group's discussion post (a deep link straight to that topic's comment step,
`/start comment_T5`), `/comment` (a button per open topic), `/comment T5 [text]`, a topic
card's button, and the smart fallback (`start_comment`, with the text the resident sent).
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from linli.bot.callbacks.deliberation import TopicAct, TopicFlow
from linli.bot.commands import Access
from linli.bot.delivery import Delivery
from linli.bot.filters import HasAccess
from linli.bot.keyboards import deliberation as kb
from linli.handlers.deliberation.common import (
    cancel_kb,
    confirm_kb,
    expected_button,
    read_draft,
    retire,
    text_or_voice,
)
from linli.models import Resident
from linli.models.deliberation import CommentLabel
from linli.services import DbSession
from linli.services import topics as service
from linli.services.errors import StaleAction, ValidationFailed
from linli.services.topics import TopicAction

router = Router(name=__name__)


class Commenting(StatesGroup):
    label = State()
    text = State()
    confirm = State()


router.message.register(
    expected_button, StateFilter(Commenting.label, Commenting.confirm), ~F.text.startswith("/")
)


def _clean(text: str, voice: str | None) -> str:
    """The comment's text, checked as the service will check it."""
    value = text.strip()
    if len(value) > service.TEXT_MAX:
        raise ValidationFailed("topic-error-too-long", limit=service.TEXT_MAX, length=len(value))
    if not value and not voice:
        raise ValidationFailed("topic-error-empty")
    return value


async def start_comment(
    message: Message,
    state: FSMContext,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
    delivery: Delivery,
    topic_id: int,
    text: str | None = None,
) -> None:
    """Show the comment step for topic `topic_id` in `message`'s chat (refused as usual when
    the resident may not comment on it now); with `text`, go straight to the confirmation
    of that text (a chief first picks on whose behalf)."""
    topic, labels = await service.comment_start(session, resident, topic_id)
    draft: dict[str, object] = {"topic_id": topic.id, "label": CommentLabel.RESIDENT.value}
    if text is not None:
        try:
            draft["text"] = _clean(text, None)
        except ValidationFailed as error:
            await message.answer(i18n.get(error.key, **error.params))
            text = None
    await state.clear()
    await state.update_data(**draft)
    if len(labels) > 1:
        await state.set_state(Commenting.label)
        items = [(i18n.get(f"topic-label-{label}"), label) for label in labels]
        await message.answer(
            i18n.get("topic-ask-label", ref=topic.ref, title=topic.title),
            reply_markup=cancel_kb(i18n, kb.choices(items, TopicFlow, "label")),
        )
        return
    if text is not None:
        await _preview(message, state, i18n, resident)
        return
    await _ask_text(message, state, i18n, resident, topic.ref, topic.title)


async def _ask_text(
    target: Message,
    state: FSMContext,
    i18n: I18nContext,
    resident: Resident,
    ref: str,
    title: str,
) -> None:
    await state.set_state(Commenting.text)
    await target.answer(
        i18n.get(
            "topic-ask-comment",
            ref=ref,
            title=title,
            limit=service.TEXT_MAX,
            name=_name(i18n, resident),
        ),
        reply_markup=cancel_kb(i18n),
    )


def _name(i18n: I18nContext, resident: Resident) -> str:
    return resident.display_name or i18n.get("topic-no-name")


async def _preview(
    target: Message, state: FSMContext, i18n: I18nContext, resident: Resident
) -> None:
    """The comment as it will be shown, with the name it is shown under; Confirm."""
    data = await read_draft(state, "topic_id", "label", "text")
    await state.set_state(Commenting.confirm)
    await target.answer(
        i18n.get(
            "topic-comment-preview",
            ref=f"T{data['topic_id']}",
            text=data["text"] or i18n.get("topic-voice-comment"),
            name=_name(i18n, resident),
            label=data["label"],
        ),
        reply_markup=confirm_kb(i18n),
    )


@router.message(Command("comment"), F.chat.type == "private", HasAccess(Access.RESIDENT))
async def comment_command(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    args = (command.args or "").strip()
    if not args:
        rows = await service.open_for_comment(session, resident)
        if not rows:
            await message.answer(i18n.get("topic-comment-none"))
            return
        await message.answer(
            i18n.get("topic-comment-which"),
            reply_markup=kb.topic_buttons(
                [(t.id, f"{t.ref} {t.title}"[:60]) for t in rows], TopicAction.COMMENT
            ),
        )
        return
    ref, _, text = args.partition(" ")
    topic_id = service.parse_ref(ref)
    await start_comment(
        message, state, session, resident, i18n, delivery, topic_id, text.strip() or None
    )


@router.callback_query(TopicAct.filter(F.action == TopicAction.COMMENT))
async def comment_button(
    query: CallbackQuery,
    callback_data: TopicAct,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    if resident is None or not resident.is_verified:
        raise StaleAction()
    if not isinstance(query.message, Message) or query.message.chat.type != "private":
        raise StaleAction()
    await start_comment(
        query.message, state, session, resident, i18n, delivery, callback_data.topic_id
    )


@router.callback_query(Commenting.label, TopicFlow.filter(F.action == "label"))
async def comment_label(
    query: CallbackQuery,
    callback_data: TopicFlow,
    state: FSMContext,
    resident: Resident,
    i18n: I18nContext,
) -> None:
    if callback_data.value not in {label.value for label in CommentLabel}:
        raise StaleAction()
    data = await read_draft(state, "topic_id")
    await state.update_data(label=callback_data.value)
    message = await retire(query)
    if "text" in data:
        await _preview(message, state, i18n, resident)
        return
    await _ask_text(
        message,
        state,
        i18n,
        resident,
        f"T{data['topic_id']}",
        i18n.get(f"topic-label-{callback_data.value}"),
    )


@router.message(Commenting.text, ~F.text.startswith("/"))
async def comment_text(
    message: Message, state: FSMContext, resident: Resident, i18n: I18nContext
) -> None:
    got = text_or_voice(message)
    if got is None:
        await message.answer(i18n.get("topic-expected-text"), reply_markup=cancel_kb(i18n))
        return
    text, voice = got
    try:
        text = _clean(text, voice)
    except ValidationFailed as error:
        await message.answer(i18n.get(error.key, **error.params), reply_markup=cancel_kb(i18n))
        return
    await state.update_data(text=text, voice=voice)
    await _preview(message, state, i18n, resident)


@router.callback_query(Commenting.confirm, TopicFlow.filter(F.action == "confirm"))
async def comment_confirm(
    query: CallbackQuery,
    state: FSMContext,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
) -> None:
    data = await read_draft(state, "topic_id", "label", "text")
    topic_id = int(data["topic_id"])
    created = await service.comment(
        session,
        resident,
        topic_id,
        text=data["text"],
        voice=data.get("voice"),
        label=data["label"],
    )
    await state.clear()
    assert isinstance(query.message, Message)
    await query.message.edit_text(
        i18n.get("topic-commented" if created else "topic-comment-updated", ref=f"T{topic_id}")
    )
