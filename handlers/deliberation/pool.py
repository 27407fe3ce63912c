"""Step 2: /pool — a chief ranks the topics of their area by importance, urgency and
feasibility (1–5 each) and shortlists them (declining asks for a reason: steps.py)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from linli.bot.callbacks.deliberation import ScoreTopic, TopicAct
from linli.bot.commands import Access
from linli.bot.delivery import Delivery
from linli.bot.filters import HasAccess
from linli.bot.keyboards import deliberation as kb
from linli.handlers.deliberation.cards import CRITERIA, pool_card
from linli.models import Resident
from linli.services import DbSession
from linli.services import topics as service
from linli.services.errors import StaleAction
from linli.services.topics import TopicAction

router = Router(name=__name__)

RANKING_LIMIT = 20


@router.message(Command("pool"), F.chat.type == "private", HasAccess(Access.BUILDING_CHIEF))
async def pool(
    message: Message,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    rows = await service.pool(session, resident)
    if not rows:
        await message.answer(i18n.get("topic-pool-empty"))
        return
    ranking = [
        i18n.get(
            "topic-pool-rank",
            n=i + 1,
            ref=t.ref,
            title=t.title,
            total=t.score,
            support=t.support_count,
        )
        for i, t in enumerate(rows[:RANKING_LIMIT])
    ]
    await message.answer(i18n.get("topic-pool-header", count=len(rows)) + "\n" + "\n".join(ranking))
    for topic in rows[: delivery.settings.deliberation.page_size]:
        text, markup = pool_card(i18n, topic)
        await message.answer(text, reply_markup=markup)


@router.callback_query(TopicAct.filter(F.action == kb.NOOP))
async def noop(query: CallbackQuery) -> None:
    """The criterion labels on a pool card are not buttons."""


@router.callback_query(ScoreTopic.filter())
async def score(
    query: CallbackQuery,
    callback_data: ScoreTopic,
    callback_answer: CallbackAnswer,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    criterion = CRITERIA.get(callback_data.criterion)
    if criterion is None or resident is None:
        raise StaleAction()
    topic = await service.set_score(
        session, resident, callback_data.topic_id, criterion, callback_data.value
    )
    callback_answer.text = i18n.get("topic-scored", total=topic.score)
    text, markup = pool_card(i18n, topic)
    if isinstance(query.message, Message):
        await query.message.edit_text(text, reply_markup=markup)


@router.callback_query(TopicAct.filter(F.action == TopicAction.SHORTLIST))
async def shortlist(
    query: CallbackQuery,
    callback_data: TopicAct,
    callback_answer: CallbackAnswer,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    if resident is None:
        raise StaleAction()
    topic = await service.shortlist(session, resident, callback_data.topic_id)
    await delivery.deliberation.step_taken(topic, TopicAction.SHORTLIST)
    callback_answer.text = i18n.get("topic-done-shortlisted", ref=topic.ref)
    if isinstance(query.message, Message):
        await query.message.edit_text(i18n.get("topic-done-shortlisted", ref=topic.ref))
