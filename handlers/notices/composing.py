"""/notice, first steps: what (a notice or an agenda), the text, an optional attachment.
Leaving the flow (Cancel) and typing where a button is expected are handled here too."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from linli.bot.callbacks.notices import NCancel, NKind, NSkip
from linli.bot.commands import Access
from linli.bot.filters import HasAccess
from linli.bot.keyboards import notices as kb
from linli.handlers.notices.common import NoticeFlow, notice_html
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


@router.callback_query(NKind.filter(F.kind == "msg"), StateFilter(NoticeFlow.kind))
async def message_chosen(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    assert isinstance(query.message, Message)
    await state.update_data(kind=NoticeKind.MESSAGE.value)
    await state.set_state(NoticeFlow.text)
    await query.message.edit_text(
        i18n.get("notice-ask-text"), reply_markup=kb.cancel_only(i18n.get)
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
    media_kind, file_id = _media_of(message)
    if message.text is None and media_kind is None:
        await message.answer(i18n.get("notice-ask-text-again"))
        return
    text = notice_service.check_text(notice_html(message), media=media_kind is not None)
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
    session: DbSession,
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
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    assert isinstance(query.message, Message)
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
        NoticeFlow.month_day,
        NoticeFlow.confirm,
    ),
    ~F.text.startswith("/"),
)
async def expected_button(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("expected-button"))
