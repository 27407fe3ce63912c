"""What the points conversations share: the private-chat filter, the clock, the
question-per-message flows (`Questions`: each question retires the buttons of the one before
it), reading a draft that may be gone ("start again"), and the Cancel button that leaves any
points, activity or shop flow."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext

from linli.bot.callbacks.points import CancelFlow
from linli.services.errors import StaleAction
from linli.services.parsing import parse_int

router = Router(name=__name__)

private = F.chat.type == "private"
typed = ~F.text.startswith("/")
"""A message that is not a command (a command leaves the flow through its own handler)."""

DRAFT_LOST = "points-draft-lost"
"""The answer to a button of a flow whose draft is gone (expired, cleared, another device)."""


def now_utc() -> datetime:
    return datetime.now(UTC)


def message_of(query: CallbackQuery) -> Message:
    """The message a button is on; a message too old for Telegram to show us makes the
    button stale."""
    if not isinstance(query.message, Message):
        raise StaleAction()
    return query.message


def shows(message: Message, text: str, markup: InlineKeyboardMarkup) -> bool:
    """Whether `message` shows exactly `text` and `markup` already (Telegram refuses such an
    edit as "message is not modified")."""
    shown = message.reply_markup
    return (
        message.text == text
        and shown is not None
        and shown.model_dump(exclude_none=True) == markup.model_dump(exclude_none=True)
    )


async def remember(state: FSMContext, draft: str, **values: object) -> dict[str, Any]:
    """Keep `values` in the flow's draft (`draft`: its key in the FSM data); returns it."""
    data = dict((await state.get_data()).get(draft, {}))
    data.update(values)
    await state.update_data({draft: data})
    return data


async def read_draft(state: FSMContext, draft: str, *keys: str) -> dict[str, Any]:
    """The flow's draft with every one of `keys`; when it is gone or lost one of them
    (expired storage, a restart, another device), the flow ends with "start again" and
    nothing is saved."""
    data = (await state.get_data()).get(draft)
    if not isinstance(data, dict) or any(key not in data for key in keys):
        await state.clear()
        raise StaleAction(DRAFT_LOST)
    return data


async def draft_lost(state: FSMContext, draft: str) -> None:
    """A button of a flow pressed at the wrong step: "start again" when the draft is gone,
    else a plain stale button (another flow in progress is left alone)."""
    if not isinstance((await state.get_data()).get(draft), dict):
        raise StaleAction(DRAFT_LOST)
    raise StaleAction()


async def current_step(state: FSMContext, steps: Iterable[State]) -> State:
    """Which of `steps` the flow is at (for a handler whose StateFilter admits only those)."""
    current = await state.get_state()
    return next(step for step in steps if step.state == current)


async def send_question(
    message: Message,
    state: FSMContext,
    text: str,
    markup: InlineKeyboardMarkup | None,
    *,
    edit: bool = False,
) -> Message:
    """Ask a flow's question: edit `message` (the previous question, whose button was
    pressed) or send a new one; a new one first takes the buttons off the question asked
    before (its step is done). Remembers which message holds the current buttons."""
    if edit:
        await message.edit_text(text, reply_markup=markup)
        sent = message
    else:
        await retire_question(message, state)
        sent = await message.answer(text, reply_markup=markup)
    await state.update_data(asked=sent.message_id if markup is not None else None)
    return sent


async def retire_question(message: Message, state: FSMContext) -> None:
    """Take the buttons off the last question asked (when it still has them)."""
    asked = (await state.get_data()).get("asked")
    if isinstance(asked, int) and message.bot is not None:
        await state.update_data(asked=None)
        await message.bot.edit_message_reply_markup(
            chat_id=message.chat.id, message_id=asked, reply_markup=None
        )


Ask = Callable[[Message, FSMContext, I18nContext, State], Awaitable[None]]


@dataclass(frozen=True)
class Questions:
    """A flow of one question per message (/activity_new, a new shop item): the answers
    are kept in the FSM data under `draft`; `ask` goes to a step and asks its question;
    `after` says which step follows which."""

    draft: str
    ask: Ask
    after: Mapping[State, State]

    async def answered(
        self, message: Message, state: FSMContext, i18n: I18nContext, step: State, **values: object
    ) -> None:
        """Keep the answer to `step` and go on to the next step."""
        await remember(state, self.draft, **values)
        await self.ask(message, state, i18n, self.after[step])

    async def short_text(
        self,
        message: Message,
        state: FSMContext,
        i18n: I18nContext,
        steps: Mapping[State, tuple[str, int]],
    ) -> None:
        """A step of `steps` (step → the draft's field, the longest text) got a message:
        a non-empty text short enough is the answer, anything else is explained and asked
        again."""
        step = await current_step(state, steps)
        field, limit = steps[step]
        text = " ".join((message.text or "").split())
        if not text or len(text) > limit:
            await message.answer(
                i18n.get("points-error-text", limit=limit, length=len(text))
                if text
                else i18n.get("points-error-no-text", limit=limit)
            )
            await self.ask(message, state, i18n, step)
            return
        await self.answered(message, state, i18n, step, **{field: text})

    async def whole_number(
        self,
        message: Message,
        state: FSMContext,
        i18n: I18nContext,
        steps: Mapping[State, tuple[str, int, int]],
    ) -> None:
        """A step of `steps` (step → the draft's field, the bounds) got a message: a whole
        number within the bounds is the answer; anything else is explained and asked again."""
        step = await current_step(state, steps)
        field, low, high = steps[step]
        number = parse_int(message.text, low=low, high=high)
        if number is None:
            await message.answer(
                i18n.get("points-error-number", text=message.text or "-", low=low, high=high)
            )
            await self.ask(message, state, i18n, step)
            return
        await self.answered(message, state, i18n, step, **{field: number})


@router.callback_query(CancelFlow.filter())
async def cancel_flow(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    """Leave the flow; the question becomes "cancelled" (once: a second tap on an old
    Cancel changes nothing)."""
    await state.clear()
    text = i18n.get("cancel-done")
    message = query.message
    if isinstance(message, Message) and (message.text != text or message.reply_markup):
        await message.edit_text(text)
