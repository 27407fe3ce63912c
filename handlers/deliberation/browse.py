"""/topics: a short list in a bound group; in a private chat the caller's topics page by
page, and a topic's card (`/topics T5` or a list button)."""

from __future__ import annotations

from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from linli.bot.callbacks.deliberation import TopicsPage, ViewTopic
from linli.bot.commands import Access
from linli.bot.delivery import Delivery
from linli.bot.filters import HasAccess
from linli.bot.keyboards import deliberation as kb
from linli.handlers.deliberation.cards import list_lines, topic_card
from linli.handlers.deliberation.common import now
from linli.models import Resident
from linli.services import DbSession, bindings
from linli.services import topics as service
from linli.services.deliberation import topic_view
from linli.services.errors import StaleAction

router = Router(name=__name__)

GROUP_LIST_LIMIT = 8


@router.message(Command("topics"), F.chat.type.in_({"group", "supergroup"}))
async def topics_in_group(message: Message, session: DbSession, i18n: I18nContext) -> None:
    binding = await bindings.binding_for_chat(session, message.chat.id)
    if binding is None:
        return
    rows = await service.list_for_binding(session, binding, GROUP_LIST_LIMIT)
    if not rows:
        await message.answer(i18n.get("topic-list-group-empty"))
        return
    stages = await service.stages(session, rows)
    await message.answer(i18n.get("topic-list-group") + "\n" + list_lines(i18n, rows, stages))


@router.message(Command("topics"), F.chat.type == "private", HasAccess(Access.RESIDENT))
async def topics_private(
    message: Message,
    command: CommandObject,
    session: DbSession,
    resident: Resident,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    if command.args:
        topic_id = service.parse_ref(command.args.split()[0])
        text, markup = await _card(session, resident, i18n, delivery, topic_id)
    else:
        text, markup = await _page(session, resident, i18n, delivery, 0)
    await message.answer(text, reply_markup=markup)


@router.callback_query(TopicsPage.filter())
async def topics_paged(
    query: CallbackQuery,
    callback_data: TopicsPage,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    if resident is None or not resident.is_verified or callback_data.page < 0:
        raise StaleAction()
    text, markup = await _page(session, resident, i18n, delivery, callback_data.page)
    assert isinstance(query.message, Message)
    await query.message.edit_text(text, reply_markup=markup)


@router.callback_query(ViewTopic.filter())
async def view_topic(
    query: CallbackQuery,
    callback_data: ViewTopic,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    bot: Bot,
    delivery: Delivery,
) -> None:
    if resident is None or not resident.is_verified:
        raise StaleAction()
    text, markup = await _card(session, resident, i18n, delivery, callback_data.topic_id)
    await bot.send_message(query.from_user.id, text, reply_markup=markup)


async def _card(
    session: DbSession, resident: Resident, i18n: I18nContext, delivery: Delivery, topic_id: int
) -> tuple[str, Any]:
    view = await topic_view(session, resident, topic_id, now())
    return topic_card(view, i18n, delivery.deliberation.texts)


async def _page(
    session: DbSession, resident: Resident, i18n: I18nContext, delivery: Delivery, page: int
) -> tuple[str, Any]:
    size = delivery.settings.deliberation.page_size
    rows, total = await service.list_visible(session, resident, offset=page * size, limit=size)
    if total == 0:
        return i18n.get("topic-list-empty"), None
    pages = -(-total // size)
    stages = await service.stages(session, rows)
    text = (
        i18n.get("topic-list-header", count=total, page=page + 1, pages=pages)
        + "\n"
        + list_lines(i18n, rows, stages)
    )
    markup = kb.topic_list(
        [(t.id, f"{t.ref} {t.title}"[:60]) for t in rows],
        page,
        pages,
        i18n.get("topic-button-prev"),
        i18n.get("topic-button-next"),
    )
    return text, markup
