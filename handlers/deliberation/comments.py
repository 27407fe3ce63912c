"""/comment: a resident's view on a topic in discussion (one per resident and label,
replaced when sent again); chiefs of the topic may add the property company's and the
owners' committee's views."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from linli.bot.callbacks.deliberation import TopicAct, TopicFlow
from linli.bot.commands import Access
from linli.bot.filters import HasAccess
from linli.bot.keyboards import deliberation as kb
from linli.handlers.deliberation.common import (
    cancel_kb,
    expected_button,
    read_draft,
    text_or_voice,
)
from linli.models import Resident
from linli.models.deliberation import CommentLabel
from linli.services import DbSession
from linli.services import topics as service
from linli.services.errors import StaleAction
from linli.services.topics import TopicAction

router = Router(name=__name__)


class Commenting(StatesGroup):
    label = State()
    text = State()


router.message.register(expected_button, StateFilter(Commenting.label), ~F.text.startswith("/"))


async def _start(
    target: Message,
    state: FSMContext,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
    topic_id: int,
) -> None:
    topic, labels = await service.comment_start(session, resident, topic_id)
    await state.clear()
    await state.update_data(topic_id=topic.id, label=CommentLabel.RESIDENT.value)
    if len(labels) > 1:
        await state.set_state(Commenting.label)
        items = [(i18n.get(f"topic-label-{label}"), label) for label in labels]
        await target.answer(
            i18n.get("topic-ask-label", ref=topic.ref),
            reply_markup=cancel_kb(i18n, kb.choices(items, TopicFlow, "label")),
        )
        return
    await state.set_state(Commenting.text)
    await target.answer(
        i18n.get(
            "topic-ask-comment", ref=topic.ref, title=topic.title, limit=str(service.TEXT_MAX)
        ),
        reply_markup=cancel_kb(i18n),
    )


def _done(i18n: I18nContext, created: bool, topic_id: int) -> str:
    return i18n.get("topic-commented" if created else "topic-comment-updated", ref=f"T{topic_id}")


@router.message(Command("comment"), F.chat.type == "private", HasAccess(Access.RESIDENT))
async def comment_command(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    session: DbSession,
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
            reply_markup=kb.topic_buttons(
                [(t.id, f"{t.ref} {t.title}"[:60]) for t in rows], TopicAction.COMMENT
            ),
        )
        return
    ref, _, text = args.partition(" ")
    topic_id = service.parse_ref(ref)
    if not text.strip():
        await _start(message, state, session, resident, i18n, topic_id)
        return
    created = await service.comment(session, resident, topic_id, text=text, voice=None)
    await message.answer(_done(i18n, created, topic_id))


@router.callback_query(TopicAct.filter(F.action == TopicAction.COMMENT))
async def comment_button(
    query: CallbackQuery,
    callback_data: TopicAct,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    if resident is None or not resident.is_verified:
        raise StaleAction()
    if not isinstance(query.message, Message) or query.message.chat.type != "private":
        raise StaleAction()
    await _start(query.message, state, session, resident, i18n, callback_data.topic_id)


@router.callback_query(Commenting.label, TopicFlow.filter(F.action == "label"))
async def comment_label(
    query: CallbackQuery, callback_data: TopicFlow, state: FSMContext, i18n: I18nContext
) -> None:
    if callback_data.value not in {label.value for label in CommentLabel}:
        raise StaleAction()
    await read_draft(state, "topic_id")
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
    session: DbSession,
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
    await message.answer(_done(i18n, created, topic_id))
