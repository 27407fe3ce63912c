"""Last router: unknown commands, commands above the caller's role, stale buttons, and what
a resident sends in a private chat outside any flow. Ordinary group chatter is never
answered.

Free text, a voice message, a photo or a location sent by a verified resident outside any
flow is kept, and the bot asks with buttons what it is: a request (the complaint flow starts
with it, skipping the questions it answers), a micro-wish (the same), or a comment on an
open topic of their scope (offered for text when they have one). Unregistered and pending
people, and anything else (stickers, files, emoji alone), get the usual hint.
"""

from __future__ import annotations

from collections.abc import Callable

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from linli.bot.callbacks.complaints import Unsorted
from linli.bot.commands import Access, CommandSpec, CommandTable
from linli.bot.delivery import Delivery
from linli.bot.keyboards import complaints as kb
from linli.handlers.casework_common import Content, buttons_done
from linli.handlers.complaints import filing as complaint_filing
from linli.handlers.deliberation.comments import start_comment
from linli.handlers.wishes import filing as wish_filing
from linli.models import Resident, Role
from linli.services import DbSession
from linli.services import complaints as complaint_service
from linli.services import topics as topic_service
from linli.services import wishes as wish_service
from linli.services.authz import role_rank
from linli.services.errors import StaleAction, ValidationFailed
from linli.services.parsing import has_words

router = Router(name=__name__)
COMMANDS: list[CommandSpec] = []

ROLES = {
    Access.BUILDING_CHIEF: Role.BUILDING_CHIEF,
    Access.GRID_CHIEF: Role.GRID_CHIEF,
    Access.ADMIN: Role.ADMIN,
}
"""The lowest role a command's access needs (the refusal names who may use it)."""
TOPICS_MAX = 8


class Unsent(StatesGroup):
    """Something sent outside a flow, kept until the resident says what it is."""

    kind = State()
    topic = State()


@router.message(F.chat.type == "private", F.text.startswith("/"))
async def unknown_or_refused_command(
    message: Message, resident: Resident | None, i18n: I18nContext, commands: CommandTable
) -> None:
    name = (message.text or "/").split(maxsplit=1)[0][1:].partition("@")[0].lower()
    spec = commands.get(name)
    if spec is None or not spec.in_private:
        await message.answer(i18n.get("unknown-command"))
    elif role_rank(resident) < Access.RESIDENT:
        await message.answer(i18n.get("error-not-verified"))
    else:
        role = ROLES.get(spec.access, Role.BUILDING_CHIEF)
        await message.answer(i18n.get("error-role-required", role=role.value))


def _content(message: Message) -> Content | None:
    """What the message may stand for (words, a voice message, a photo, a place); None for
    anything else, emoji or punctuation alone included."""
    content = Content.of(message)
    if content.text and not has_words(content.text):
        content = Content(
            voice=content.voice,
            photo=content.photo,
            latitude=content.latitude,
            longitude=content.longitude,
        )
    if content.describes or content.latitude is not None:
        return content
    return None


async def _kinds(session: DbSession, resident: Resident, content: Content) -> list[str]:
    """What it may become: a request always; a wish unless it is a place alone; a comment
    when it is words and the resident has an open topic in their scope."""
    kinds = ["complaint"]
    if content.describes:
        kinds.append("wish")
    words_only = content.text and not (content.voice or content.photo)
    if words_only and await topic_service.open_for_comment(session, resident):
        kinds.append("comment")
    return kinds


@router.message(F.chat.type == "private", StateFilter(None), ~F.text.startswith("/"))
async def outside_any_flow(
    message: Message,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    content = _content(message)
    if content is None or resident is None or not resident.is_verified:
        await message.answer(i18n.get("free-text-hint"))
        return
    kinds = await _kinds(session, resident, content)
    await state.set_state(Unsent.kind)
    await state.set_data({"kind": "unsent", **content.as_draft()})
    await message.answer(i18n.get("fallback-ask"), reply_markup=kb.unsorted(i18n.get, kinds))


@router.message(F.chat.type == "private", StateFilter(Unsent.kind, Unsent.topic))
async def sent_again(
    message: Message,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    """Another message while the question waits: it replaces what was kept."""
    await state.clear()
    await outside_any_flow(message, state, session, resident, i18n)


@router.message(F.chat.type == "private")
async def inside_a_flow(message: Message, i18n: I18nContext) -> None:
    """What a flow's question did not take (its own handlers answer what they expect)."""
    await message.answer(i18n.get("free-text-hint"))


async def _kept(state: FSMContext) -> Content:
    data = await state.get_data()
    if data.get("kind") != "unsent":
        raise StaleAction("fallback-lost")
    return Content.from_draft(data)


@router.callback_query(Unsorted.filter(F.kind == "none"))
async def none_of_them(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    if await state.get_state() in (Unsent.kind.state, Unsent.topic.state):
        await state.clear()
    message = await buttons_done(query)
    await message.answer(i18n.get("fallback-dropped"))


@router.callback_query(Unsent.kind, Unsorted.filter(F.kind == "complaint"))
async def as_complaint(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    content = await _kept(state)
    message = await buttons_done(query)
    content = await _checked(message, i18n, content, complaint_service.check_text)
    await complaint_filing.start_with(message, state, i18n, content)


@router.callback_query(Unsent.kind, Unsorted.filter(F.kind == "wish"))
async def as_wish(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    content = await _kept(state)
    if not content.describes:
        raise StaleAction("fallback-lost")
    message = await buttons_done(query)
    content = await _checked(message, i18n, content, wish_service.check_text)
    if content.describes:
        await wish_filing.start_with(message, state, i18n, content)
        return
    await state.clear()
    await state.update_data(kind="wish")
    await wish_filing.ask_text(message, state, i18n)


async def _checked(
    message: Message, i18n: I18nContext, content: Content, check: Callable[..., str]
) -> Content:
    """The content with its text checked for the chosen kind; text that does not fit
    (too long for a wish, say) is dropped with the reason, and asked for again."""
    if not content.text:
        return content
    try:
        text = check(content.text)
    except ValidationFailed as refused:
        await message.answer(i18n.get(refused.key, **refused.params))
        text = ""
    return Content(
        text=text,
        voice=content.voice,
        photo=content.photo,
        latitude=content.latitude,
        longitude=content.longitude,
    )


@router.callback_query(Unsent.kind, Unsorted.filter(F.kind == "comment"))
async def as_comment(
    query: CallbackQuery,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    """A comment: on the one open topic, or on the topic picked from the open ones; the
    deliberation's comment flow takes it from there (its preview and confirmation)."""
    content = await _kept(state)
    if resident is None or not resident.is_verified or not content.text:
        raise StaleAction("fallback-lost")
    topics = await topic_service.open_for_comment(session, resident)
    if not topics:
        raise StaleAction("fallback-no-topics")
    message = await buttons_done(query)
    if len(topics) == 1:
        await state.clear()
        await start_comment(
            message, state, session, resident, i18n, delivery, topics[0].id, content.text
        )
        return
    await state.set_state(Unsent.topic)
    items = [(t.id, f"{t.ref} {t.title}"[:60]) for t in topics[:TOPICS_MAX]]
    await message.answer(
        i18n.get("fallback-which-topic"), reply_markup=kb.unsorted_topics(i18n.get, items)
    )


@router.callback_query(Unsent.topic, Unsorted.filter(F.kind == "topic"))
async def topic_picked(
    query: CallbackQuery,
    callback_data: Unsorted,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    content = await _kept(state)
    if resident is None or not resident.is_verified or not content.text:
        raise StaleAction("fallback-lost")
    message = await buttons_done(query)
    await state.clear()
    await start_comment(
        message, state, session, resident, i18n, delivery, callback_data.topic_id, content.text
    )


@router.callback_query(Unsorted.filter())
async def unsorted_stale(query: CallbackQuery, state: FSMContext) -> None:
    """A choice for something that is no longer kept (answered, replaced, or the bot
    restarted without a persistent storage)."""
    await _kept(state)
    raise StaleAction()


@router.callback_query()
async def stale_button(
    query: CallbackQuery, callback_answer: CallbackAnswer, i18n: I18nContext
) -> None:
    callback_answer.text = i18n.get("error-stale-button")
    callback_answer.show_alert = True
