"""What the points conversations share: the private-chat filter, the clock, the
question-per-message flows (`Questions`), and the Cancel button that leaves any points,
activity or shop flow."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from linli.bot.callbacks.points import CancelFlow
from linli.services import ledger
from linli.services.errors import StaleAction

router = Router(name=__name__)

private = F.chat.type == "private"
typed = ~F.text.startswith("/")
"""A message that is not a command (a command leaves the flow through its own handler)."""


def now_utc() -> datetime:
    return datetime.now(UTC)


def message_of(query: CallbackQuery) -> Message:
    """The message a button is on; a message too old for Telegram to show us makes the
    button stale."""
    if not isinstance(query.message, Message):
        raise StaleAction()
    return query.message


async def remember(state: FSMContext, draft: str, **values: object) -> dict[str, object]:
    """Keep `values` in the flow's draft (`draft`: its key in the FSM data); returns it."""
    data = dict((await state.get_data()).get(draft, {}))
    data.update(values)
    await state.update_data({draft: data})
    return data


async def current_step(state: FSMContext, steps: Iterable[State]) -> State:
    """Which of `steps` the flow is at (for a handler whose StateFilter admits only those)."""
    current = await state.get_state()
    return next(step for step in steps if step.state == current)


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
        a non-empty text short enough is the answer, anything else asks again."""
        step = await current_step(state, steps)
        field, limit = steps[step]
        text = (message.text or "").strip()
        if not text or len(text) > limit:
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
        number = ledger.parse_whole(message.text, low, high)
        if number is None:
            await message.answer(i18n.get("points-error-amount", amount=message.text or "-"))
            await self.ask(message, state, i18n, step)
            return
        await self.answered(message, state, i18n, step, **{field: number})


@router.callback_query(CancelFlow.filter())
async def cancel_flow(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    await state.clear()
    if isinstance(query.message, Message):
        await query.message.edit_text(i18n.get("cancel-done"))
