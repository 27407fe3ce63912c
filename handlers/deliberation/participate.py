"""A resident's part in a topic outside the flows: +1 support (group post or card) and the
1–5 star rating of a topic that is done."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from linli.bot.callbacks.deliberation import RateTopic, SupportTopic, TopicAct
from linli.bot.delivery import Delivery
from linli.bot.keyboards import deliberation as kb
from linli.models import Resident
from linli.services import DbSession
from linli.services import topics as service
from linli.services.errors import StaleAction
from linli.services.topics import TopicAction

router = Router(name=__name__)


@router.callback_query(SupportTopic.filter())
@router.callback_query(TopicAct.filter(F.action == TopicAction.SUPPORT))
async def support(
    query: CallbackQuery,
    callback_data: SupportTopic | TopicAct,
    callback_answer: CallbackAnswer,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    if resident is None:
        raise StaleAction("topic-error-register-first")
    count = await service.support(session, resident, callback_data.topic_id)
    delivery.deliberation.topic_changed(callback_data.topic_id)
    callback_answer.text = i18n.get("topic-supported", count=count)


@router.callback_query(TopicAct.filter(F.action == TopicAction.RATE))
async def rate_menu(
    query: CallbackQuery,
    callback_data: TopicAct,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    bot: Bot,
) -> None:
    topic = await service.get(session, callback_data.topic_id)
    await service.require_action(session, resident, topic, TopicAction.RATE)
    await bot.send_message(
        query.from_user.id, i18n.get("topic-ask-rating"), reply_markup=kb.rating(topic.id)
    )


@router.callback_query(RateTopic.filter())
async def rate(
    query: CallbackQuery,
    callback_data: RateTopic,
    callback_answer: CallbackAnswer,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    await service.rate(session, resident, callback_data.topic_id, callback_data.stars)
    callback_answer.text = i18n.get("topic-rated", stars=callback_data.stars)
    if isinstance(query.message, Message) and query.message.chat.type == "private":
        await query.message.edit_text(i18n.get("topic-rated", stars=callback_data.stars))
