"""What the deliberation conversations share: the Cancel button of every flow (and its
handler), drafts kept in the FSM, dates from the picker or typed, text-or-voice input,
"press a button" answers, and the "start again" answer to a flow's button whose draft is
gone (`lost`, the last router of the package)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext

from linli.bot.callbacks.common import WhenPick
from linli.bot.callbacks.deliberation import TopicFlow, VoteFlow
from linli.bot.delivery import Delivery
from linli.bot.keyboards import deliberation as kb
from linli.bot.keyboards.when import day_keyboard, picked
from linli.services import parsing
from linli.services import topics as topic_service
from linli.services.errors import DomainError, StaleAction, ValidationFailed

router = Router(name=__name__)
lost = Router(name=__name__ + ".lost")

# The date-and-time picker's flows of deliberation (`WhenPick.flow`).
WHEN_DISCUSSION_END = "topic_end"
WHEN_MEETING = "topic_meeting"
WHEN_VOTE_DEADLINE = "vote_deadline"
WHEN_FLOWS = (WHEN_DISCUSSION_END, WHEN_MEETING, WHEN_VOTE_DEADLINE)

Flow = type[TopicFlow] | type[VoteFlow]


def now() -> datetime:
    return datetime.now(UTC)


def cancel_row(i18n: I18nContext, factory: Flow = TopicFlow) -> list[InlineKeyboardButton]:
    return [
        InlineKeyboardButton(
            text=i18n.get("topic-button-cancel"), callback_data=factory(action="cancel").pack()
        )
    ]


def cancel_kb(i18n: I18nContext, markup: InlineKeyboardMarkup | None = None) -> Any:
    """`markup` (if any) with a Cancel row, inside a topic flow."""
    return kb.with_cancel(markup, i18n.get("topic-button-cancel"), TopicFlow)


def vote_cancel_kb(i18n: I18nContext, markup: InlineKeyboardMarkup | None = None) -> Any:
    """`markup` (if any) with a Cancel row, inside /vote_new."""
    return kb.with_cancel(markup, i18n.get("topic-button-cancel"), VoteFlow)


def confirm_kb(i18n: I18nContext, factory: Flow = TopicFlow) -> Any:
    return kb.confirm(i18n.get("topic-button-confirm"), i18n.get("topic-button-cancel"), factory)


async def reask(message: Message, i18n: I18nContext, error: DomainError, markup: Any) -> None:
    """Bad input inside a flow: say why, stay at the same step."""
    await message.answer(i18n.get(error.key, **error.params), reply_markup=markup)


# --- dates and times -------------------------------------------------------------------------


def days_ahead(value: str, allowed: Sequence[int]) -> datetime:
    """The moment `value` days from now, for a "N days" button (a forged one is refused)."""
    days = parsing.parse_int(value, low=1, high=topic_service.AHEAD_MAX_DAYS)
    if days is None or days not in allowed:
        raise StaleAction()
    return now() + timedelta(days=days)


def days_row(i18n: I18nContext, days: Sequence[int], factory: Flow) -> list[InlineKeyboardButton]:
    """Quick choices "1 day", "3 days"… (`factory(action="days", value=N)`), one row."""
    return [
        InlineKeyboardButton(
            text=i18n.get("topic-days", days=d),
            callback_data=factory(action="days", value=str(d)).pack(),
        )
        for d in days
    ]


async def ask_when(
    target: Message,
    i18n: I18nContext,
    delivery: Delivery,
    question: str,
    flow: str,
    extra: Sequence[Sequence[InlineKeyboardButton]],
) -> None:
    """Ask for a date and time: `question` with the picker's hint, the days of this and
    next week as buttons (then their hours), and the flow's own rows (`extra`) below."""
    markup = day_keyboard(i18n.get, flow, now(), delivery.settings.tz, extra=extra)
    await target.answer(question + "\n" + i18n.get("when-hint"), reply_markup=markup)


def picked_moment(callback_data: WhenPick, delivery: Delivery) -> datetime:
    """The date and time picked with the buttons (still in the future, not too far)."""
    moment = picked(callback_data, delivery.settings.tz)
    if moment is None:
        raise StaleAction()
    return topic_service.check_moment(moment, now())


async def typed_moment(
    message: Message, i18n: I18nContext, delivery: Delivery, markup: Any
) -> datetime | None:
    """A future date and time typed in the community's time zone; None (after saying why,
    staying at the same step) when it is not one."""
    try:
        return topic_service.parse_moment(message.text, now(), delivery.settings.tz)
    except ValidationFailed as error:
        await reask(message, i18n, error, markup)
        return None


# --- input and drafts ---------------------------------------------------------------------


def text_or_voice(message: Message) -> tuple[str, str | None] | None:
    """(text, voice file id) of a text or voice message; None for anything else."""
    if message.text is not None:
        return message.text, None
    if message.voice is not None:
        return message.caption or "", message.voice.file_id
    return None


async def read_draft(state: FSMContext, *keys: str) -> dict[str, Any]:
    """The flow's draft; when it lost a key it needs (the state outlived its data, e.g. the
    storage was cleared), the flow ends with "start again" and nothing is saved."""
    data = await state.get_data()
    if any(key not in data for key in keys):
        await state.clear()
        raise StaleAction("topic-draft-lost")
    return data


async def retire(query: CallbackQuery) -> Message:
    """The message whose button was pressed, without its buttons now that its step is
    done."""
    if not isinstance(query.message, Message):
        raise StaleAction()
    await query.message.edit_reply_markup(reply_markup=None)
    return query.message


async def expected_button(message: Message, i18n: I18nContext) -> None:
    """Text at a step that waits for a button (each flow registers it for its states)."""
    await message.answer(i18n.get("topic-expected-button"))


@router.callback_query(TopicFlow.filter(F.action == "cancel"))
@router.callback_query(VoteFlow.filter(F.action == "cancel"))
async def flow_cancel(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    await state.clear()
    if isinstance(query.message, Message):
        await query.message.edit_text(i18n.get("topic-cancelled"))


@lost.callback_query(TopicFlow.filter())
@lost.callback_query(VoteFlow.filter())
@lost.callback_query(WhenPick.filter(F.flow.in_(WHEN_FLOWS) & (F.at != "")))
async def draft_lost(query: CallbackQuery) -> None:
    """A flow's button (Confirm, a choice, a picked date) pressed when no step of that flow
    waits for it: the draft expired, or the flow went on or ended on another device."""
    raise StaleAction("topic-draft-lost")
