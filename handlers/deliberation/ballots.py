"""Secret ballots: single choice straight from the group post (or a reminder, or the card),
multiple choice on a private ballot with check boxes; and a chief closing a vote early."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramForbiddenError
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from linli.bot.callbacks.deliberation import (
    CastVote,
    CloseVote,
    OpenBallot,
    SubmitChoices,
    ToggleChoice,
)
from linli.bot.delivery import Delivery
from linli.bot.keyboards import deliberation as kb
from linli.handlers.deliberation.common import now
from linli.models import Resident
from linli.services import DbSession
from linli.services import topics as topic_service
from linli.services import votes as service
from linli.services.errors import StaleAction
from linli.services.votes import Cast, VoteAction

router = Router(name=__name__)


async def _cast(
    session: DbSession,
    resident: Resident | None,
    delivery: Delivery,
    vote_id: int,
    positions: list[int],
) -> Cast:
    result = await service.cast(
        session, resident, vote_id, positions, now=now(), key=delivery.deliberation.ballot_key
    )
    if result != Cast.SAME:
        delivery.deliberation.vote_changed(vote_id)
    return result


@router.callback_query(CastVote.filter())
async def cast_single(
    query: CallbackQuery,
    callback_data: CastVote,
    callback_answer: CallbackAnswer,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    result = await _cast(
        session, resident, delivery, callback_data.vote_id, [callback_data.position]
    )
    callback_answer.text = i18n.get(f"vote-cast-{result.value}")


@router.callback_query(OpenBallot.filter())
async def open_ballot(
    query: CallbackQuery,
    callback_data: OpenBallot,
    callback_answer: CallbackAnswer,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    bot: Bot,
) -> None:
    current = await service.ballot_for(session, resident, callback_data.vote_id, now())
    vote = current.vote
    try:
        await bot.send_message(
            query.from_user.id,
            i18n.get(
                "vote-ballot",
                ref=current.topic.ref,
                question=vote.question,
                max=vote.max_choices,
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
    query: CallbackQuery, callback_data: ToggleChoice, session: DbSession, i18n: I18nContext
) -> None:
    vote, labels, mask = await service.toggle_choice(
        session, callback_data.vote_id, callback_data.mask, callback_data.position
    )
    assert isinstance(query.message, Message)
    await query.message.edit_reply_markup(
        reply_markup=kb.ballot(vote.id, labels, mask, i18n.get("vote-button-submit"))
    )


@router.callback_query(SubmitChoices.filter())
async def submit_choices(
    query: CallbackQuery,
    callback_data: SubmitChoices,
    callback_answer: CallbackAnswer,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    if not 0 < callback_data.mask < 1 << service.MAX_OPTIONS:
        raise StaleAction("vote-error-choose-one")
    positions = service.positions_of(callback_data.mask)
    result = await _cast(session, resident, delivery, callback_data.vote_id, positions)
    callback_answer.text = i18n.get(f"vote-cast-{result.value}")
    if isinstance(query.message, Message):
        await query.message.edit_text(i18n.get(f"vote-cast-{result.value}"))


# --- closing early ------------------------------------------------------------------------


@router.callback_query(CloseVote.filter(~F.confirm))
async def close_ask(
    query: CallbackQuery,
    callback_data: CloseVote,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    bot: Bot,
) -> None:
    vote = await service.get(session, callback_data.vote_id)
    topic = await topic_service.get(session, vote.topic_id)
    await service.require_vote_action(session, resident, vote, topic, VoteAction.CLOSE, now())
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
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    if resident is None:
        raise StaleAction()
    await service.close(session, callback_data.vote_id, now(), actor=resident)
    if isinstance(query.message, Message):
        await query.message.edit_text(i18n.get("vote-closed-early"))
    await delivery.deliberation.finish_vote(callback_data.vote_id)
