"""/notice, first steps: what (a notice or an agenda), the text (plain, or raw HTML by
choice), an optional attachment. Leaving the flow (Cancel) and typing where a button is
expected are handled here too."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from linli.bot.callbacks.notices import NCancel, NFormat, NKind, NSkip
from linli.bot.commands import Access
from linli.bot.filters import HasAccess
from linli.bot.keyboards import notices as kb
from linli.handlers.notices.common import (
    NoticeEdit,
    NoticeFlow,
    notice_html,
    prompt,
    read_draft,
    retire_prompt,
)
from linli.handlers.notices.targets import ask_target
from linli.models import Resident
from linli.models.notices import NoticeKind
from linli.services import DbSession
from linli.services import notices as notice_service

router = Router(name=__name__)


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


def text_question(i18n: I18nContext, *, html: bool, edit_id: int | None = None) -> str:
    """ "Send the text" in the chosen way of writing (for a new notice, or to edit `edit_id`)."""
    how = i18n.get("notice-ask-html" if html else "notice-ask-text")
    if edit_id is None:
        return how
    return i18n.get("notice-ask-new-text", id=f"N{edit_id}") + "\n" + how


@router.callback_query(NKind.filter(F.kind == "msg"), StateFilter(NoticeFlow.kind))
async def message_chosen(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    assert isinstance(query.message, Message)
    await state.update_data(kind=NoticeKind.MESSAGE.value, html=False)
    await state.set_state(NoticeFlow.text)
    await prompt(
        query.message,
        state,
        text_question(i18n, html=False),
        kb.text_prompt(i18n.get, html=False),
        edit=True,
    )


@router.callback_query(NFormat.filter(), StateFilter(NoticeFlow.text, NoticeEdit.text))
async def format_chosen(
    query: CallbackQuery, callback_data: NFormat, state: FSMContext, i18n: I18nContext
) -> None:
    """Plain text ⇄ "I write HTML myself", before the text is sent."""
    assert isinstance(query.message, Message)
    editing = await state.get_state() == NoticeEdit.text.state
    data = await read_draft(state, "edit_id" if editing else "kind")
    if bool(data.get("html")) == callback_data.html:
        return  # pressed twice: already so
    edit_id = data["edit_id"] if editing else None
    await state.update_data(html=callback_data.html)
    await prompt(
        query.message,
        state,
        text_question(i18n, html=callback_data.html, edit_id=edit_id),
        kb.text_prompt(i18n.get, html=callback_data.html),
        edit=True,
    )


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
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    data = await read_draft(state, "kind")
    media_kind, file_id = _media_of(message)
    if message.text is None and media_kind is None:
        await message.answer(i18n.get("notice-ask-text-again"))
        return
    text = notice_service.check_text(
        notice_html(message, raw_html=bool(data.get("html"))), media=media_kind is not None
    )
    await state.update_data(text=text, media_kind=media_kind, media_file_id=file_id)
    await retire_prompt(message, state)
    if media_kind is not None:
        await ask_target(message, state, session, resident, i18n)
        return
    await state.set_state(NoticeFlow.media)
    await prompt(message, state, i18n.get("notice-ask-media"), kb.skip(i18n.get))


@router.message(StateFilter(NoticeFlow.media), ~F.text.startswith("/"))
async def got_media(
    message: Message,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    data = await read_draft(state, "kind", "text")
    media_kind, file_id = _media_of(message)
    if media_kind is None:
        await message.answer(i18n.get("notice-ask-media-again"))
        return
    notice_service.check_text(data["text"], media=True)
    await state.update_data(media_kind=media_kind, media_file_id=file_id)
    await retire_prompt(message, state)
    await ask_target(message, state, session, resident, i18n)


@router.callback_query(NSkip.filter(), StateFilter(NoticeFlow.media))
async def skip_media(
    query: CallbackQuery,
    state: FSMContext,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    assert isinstance(query.message, Message)
    await read_draft(state, "kind", "text")
    await state.update_data(prompt_id=None)
    await query.message.edit_reply_markup(reply_markup=None)
    await ask_target(query.message, state, session, resident, i18n)


@router.message(
    StateFilter(
        NoticeFlow.kind,
        NoticeFlow.target,
        NoticeFlow.buildings,
        NoticeFlow.when,
        NoticeFlow.repeat,
        NoticeFlow.days,
        NoticeFlow.confirm,
    ),
    ~F.text.startswith("/"),
)
async def expected_button(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("expected-button"))
