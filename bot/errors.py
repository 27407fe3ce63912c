"""Error handlers: domain errors become a clear message; anything else is logged with the
update id and the resident is told that nothing was saved.

Two Telegram refusals are not crashes and are only logged (INFO), without telling anyone:
- 403 Forbidden (the resident blocked the bot, or the bot was removed from the group): the
  reply cannot be delivered; retrying or sending "something went wrong" cannot be either.
  The refusal is counted in `linli_sends_total{result="forbidden"}` (bot/observability.py).
- 400 "query is too old": a button press answered already (Telegram redelivered the update
  after a restart) or too late; whatever the handler stored is stored once (docs/resilience.md).
"""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Router
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import ErrorEvent, Update

from linli.bot.i18n import Translator, locale_of
from linli.services.errors import DomainError

log = logging.getLogger("linli.errors")
router = Router(name=__name__)


def _locale(data: dict[str, Any], translator: Translator) -> str:
    """The locale the i18n middleware chose; the resident row may be expired by now (the
    failed transaction was rolled back), so it is not read again."""
    context = data.get("i18n")
    if context is not None:
        return str(context.locale)
    return locale_of(None, data.get("event_from_user"), translator.default_locale)


async def _reply(update: Update, text: str) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif update.message is not None and update.message.chat.type == "private":
        await update.message.answer(text)
    elif update.message is not None:
        await update.message.reply(text)


@router.errors(ExceptionTypeFilter(DomainError))
async def domain_error(event: ErrorEvent, translator: Translator, **data: Any) -> None:
    error = event.exception
    assert isinstance(error, DomainError)
    text = translator.get(error.key, _locale(data, translator), **error.params)
    try:
        await _reply(event.update, text)
    except TelegramForbiddenError as exc:
        log.info("update %s: refusal not delivered: %s", event.update.update_id, exc.message)
    except TelegramBadRequest as exc:
        if not _answered_already(exc):
            raise
        log.info("update %s: button press answered already", event.update.update_id)


def _answered_already(exc: BaseException) -> bool:
    """400 "query is too old": the button press was answered already (Telegram redelivered
    the update after a restart) or is too old to answer."""
    return isinstance(exc, TelegramBadRequest) and "query is too old" in exc.message


@router.errors()
async def unexpected_error(event: ErrorEvent, translator: Translator, **data: Any) -> None:
    exc = event.exception
    if isinstance(exc, TelegramBadRequest) and "message is not modified" in exc.message:
        return
    if isinstance(exc, TelegramForbiddenError):
        user = data.get("event_from_user")
        log.info(
            "update %s: reply to user %s refused, not retried: %s",
            event.update.update_id,
            user.id if user is not None else None,
            exc.message,
        )
        return
    if _answered_already(exc):
        log.info("update %s: button press answered already or too late", event.update.update_id)
        return
    log.error(
        "update %s failed: %s: %s",
        event.update.update_id,
        type(exc).__name__,
        exc,
        exc_info=exc,
    )
    try:
        await _reply(event.update, translator.get("error-internal", _locale(data, translator)))
    except Exception as reply_exc:  # the error may be Telegram itself being unreachable
        log.warning(
            "could not tell the user about update %s: %s", event.update.update_id, reply_exc
        )
