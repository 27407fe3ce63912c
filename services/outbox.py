"""The broadcast outbox: one delivery row per (message, chat), sent by `bot.delivery.sender`.

Any feature that posts to groups calls `enqueue` (inside its own write transaction) or
`post` (its own transaction); the sender delivers within Telegram's limits, retries what
can be retried, and never sends a delivery twice:

- `pending → sending` is a conditional UPDATE committed right before the request to
  Telegram (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so several processes share the work);
- `sending → sent` records Telegram's message id;
- a row still `sending` after `NOTICES_SENDING_LEASE_SECONDS` belongs to a process that
  died mid-request: it is marked `failed` ("interrupted") and NOT sent again — Telegram may
  or may not have it, and a duplicate is worse than a gap the report shows to the chief.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from linli.models import ChatBinding, utcnow
from linli.models.db import write_transaction
from linli.models.notices import DeliveryState, OutboxDelivery, OutboxMessage

CAPTION_MAX = 1024
"""Telegram's limit on a media caption; longer texts are cut when a message is enqueued."""

INTERRUPTED = "interrupted"
"""`last_error` of a delivery whose process died mid-request (it may or may not have
arrived; it is not sent again)."""


@dataclass(frozen=True)
class Claim:
    """A delivery this process may send now."""

    id: int
    message_id: int
    chat_id: int
    attempts: int


@dataclass(frozen=True)
class Sent:
    """A delivery Telegram accepted, to be recorded."""

    claim: Claim
    telegram_message_id: int
    at: datetime


@dataclass(frozen=True)
class SentPost:
    """A delivery Telegram accepted, with what it was sent with (how a post looks until a
    feature edits it)."""

    chat_id: int
    message_id: int
    """Telegram's message id in `chat_id`."""
    text: str
    reply_markup: dict[str, Any] | None


@dataclass(frozen=True)
class Progress:
    total: int
    pending: int
    sending: int
    sent: int
    failed: int

    @property
    def done(self) -> bool:
        return self.pending == 0 and self.sending == 0


@dataclass(frozen=True)
class Failure:
    chat_id: int
    title: str
    error: str


async def enqueue(
    session: AsyncSession,
    *,
    chat_ids: Iterable[int],
    text: str,
    source: str,
    source_id: int | None = None,
    parse_mode: str | None = None,
    media_kind: str | None = None,
    media_file_id: str | None = None,
    media_bytes: bytes | None = None,
    reply_markup: dict[str, Any] | None = None,
    notify_resident_id: int | None = None,
    progress_chat_id: int | None = None,
    now: datetime | None = None,
) -> OutboxMessage:
    """Add a message and its deliveries to the caller's write transaction.

    `media_kind` is "photo", "document" or "voice" (then `text` is the caption, cut at
    `CAPTION_MAX` characters), given as a Telegram `media_file_id` or as `media_bytes` (uploaded by
    the first delivery; the others reuse Telegram's file id). `reply_markup` is an
    InlineKeyboardMarkup as JSON. Call `bot.delivery.sender.wake()` after the commit to start
    sending at once (otherwise the next poll picks it up).
    """
    if media_bytes is not None and media_kind is None:
        raise ValueError("media_bytes needs a media_kind")
    if media_kind is not None:
        text = text[:CAPTION_MAX]
    now = now or utcnow()
    chats = list(dict.fromkeys(int(c) for c in chat_ids))
    message = OutboxMessage(
        source=source,
        source_id=source_id,
        text=text,
        parse_mode=parse_mode,
        media_kind=media_kind,
        media_file_id=media_file_id,
        media_bytes=media_bytes,
        reply_markup=reply_markup,
        total=len(chats),
        notify_resident_id=notify_resident_id,
        progress_chat_id=progress_chat_id,
        created_at=now,
        finished_at=None if chats else now,
    )
    session.add(message)
    await session.flush()
    if chats:
        await session.execute(
            OutboxDelivery.__table__.insert(),
            [
                {
                    "message_id": message.id,
                    "chat_id": chat,
                    "state": DeliveryState.PENDING.value,
                    "attempts": 0,
                    "not_before": now,
                }
                for chat in chats
            ],
        )
    return message


async def post(session: AsyncSession, **kwargs: Any) -> int:
    """`enqueue` in a write transaction of its own; returns the outbox message id."""
    async with write_transaction(session):
        message = await enqueue(session, **kwargs)
    return message.id


async def media_bytes(session: AsyncSession, message_id: int) -> bytes | None:
    """The bytes of a message's media (a deferred column: read only when uploading)."""
    data = await session.scalar(
        select(OutboxMessage.media_bytes).where(OutboxMessage.id == message_id)
    )
    await session.commit()
    return data


async def media_file_id(session: AsyncSession, message_id: int) -> str | None:
    """The Telegram file id of a message's media, once known (see `remember_file_id`)."""
    file_id = await session.scalar(
        select(OutboxMessage.media_file_id).where(OutboxMessage.id == message_id)
    )
    await session.commit()
    return file_id


async def remember_file_id(session: AsyncSession, message_id: int, file_id: str) -> None:
    """After the first upload of `media_bytes`: Telegram's file id, for the other chats."""
    async with write_transaction(session):
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.media_file_id.is_(None))
            .values(media_file_id=file_id[:255])
            .execution_options(synchronize_session=False)
        )


async def sent_posts(session: AsyncSession, source: str, source_id: int) -> list[tuple[int, int]]:
    """(chat id, Telegram message id) of every delivery of `source`/`source_id` that
    Telegram accepted, oldest first: how a feature finds its group posts to edit them."""
    rows = await session.execute(
        select(OutboxDelivery.chat_id, OutboxDelivery.telegram_message_id)
        .join(OutboxMessage, OutboxMessage.id == OutboxDelivery.message_id)
        .where(
            OutboxMessage.source == source,
            OutboxMessage.source_id == source_id,
            OutboxDelivery.state == DeliveryState.SENT,
            OutboxDelivery.telegram_message_id.is_not(None),
        )
        .order_by(OutboxDelivery.id)
    )
    return [(int(chat), int(message)) for chat, message in rows.all()]


async def sent_posts_as_sent(session: AsyncSession, source: str, source_id: int) -> list[SentPost]:
    """Like `sent_posts`, with the text and buttons each delivery was sent with."""
    rows = await session.execute(
        select(
            OutboxDelivery.chat_id,
            OutboxDelivery.telegram_message_id,
            OutboxMessage.text,
            OutboxMessage.reply_markup,
        )
        .join(OutboxMessage, OutboxMessage.id == OutboxDelivery.message_id)
        .where(
            OutboxMessage.source == source,
            OutboxMessage.source_id == source_id,
            OutboxDelivery.state == DeliveryState.SENT,
            OutboxDelivery.telegram_message_id.is_not(None),
        )
        .order_by(OutboxDelivery.id)
    )
    return [
        SentPost(int(chat), int(message), text or "", markup)
        for chat, message, text, markup in rows.all()
    ]


async def messages_of(session: AsyncSession, source: str, source_id: int) -> list[OutboxMessage]:
    """The outbox messages a feature enqueued for `source`/`source_id`, oldest first."""
    rows = await session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.source == source, OutboxMessage.source_id == source_id)
        .order_by(OutboxMessage.id)
    )
    return list(rows.all())


async def open_deliveries(session: AsyncSession) -> int:
    """How many deliveries are still `pending` or `sending` (any time)."""
    count = await session.scalar(
        select(func.count())
        .select_from(OutboxDelivery)
        .where(OutboxDelivery.state.in_([DeliveryState.PENDING, DeliveryState.SENDING]))
    )
    await session.commit()
    return int(count or 0)


async def has_due(session: AsyncSession, now: datetime) -> bool:
    """A cheap read: is any delivery waiting to be sent now?"""
    found = await session.scalar(
        select(OutboxDelivery.id)
        .where(OutboxDelivery.state == DeliveryState.PENDING, OutboxDelivery.not_before <= now)
        .limit(1)
    )
    await session.commit()
    return found is not None


async def claim_next(
    session: AsyncSession, instance: str, now: datetime, *, completed: Sent | None = None
) -> Claim | None:
    """Claim the oldest due delivery (`pending → sending`) for this process, committed.

    PostgreSQL skips rows another process is claiming (`FOR UPDATE SKIP LOCKED`); SQLite
    serialises writers (BEGIN IMMEDIATE), and the `state = 'pending'` condition keeps a row
    from being claimed twice on both. `completed` (the worker's previous success) is
    recorded in the same transaction: one commit per delivery instead of two.
    """
    due = select(OutboxDelivery.id).where(
        OutboxDelivery.state == DeliveryState.PENDING, OutboxDelivery.not_before <= now
    )
    due = due.order_by(OutboxDelivery.id).limit(1)
    if session.bind.dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    stmt = (
        update(OutboxDelivery)
        .where(
            OutboxDelivery.id == due.scalar_subquery(),
            OutboxDelivery.state == DeliveryState.PENDING,
        )
        .values(
            state=DeliveryState.SENDING,
            claimed_by=instance,
            claimed_at=now,
            attempts=OutboxDelivery.attempts + 1,
        )
        .returning(
            OutboxDelivery.id,
            OutboxDelivery.message_id,
            OutboxDelivery.chat_id,
            OutboxDelivery.attempts,
        )
        .execution_options(synchronize_session=False)
    )
    async with write_transaction(session):
        if completed is not None:
            await _record_sent(session, completed, instance)
        row = (await session.execute(stmt)).first()
    if row is None:
        return None
    return Claim(id=row.id, message_id=row.message_id, chat_id=row.chat_id, attempts=row.attempts)


async def _record_sent(session: AsyncSession, sent: Sent, instance: str) -> None:
    await session.execute(
        update(OutboxDelivery)
        .where(
            OutboxDelivery.id == sent.claim.id,
            OutboxDelivery.claimed_by == instance,
            OutboxDelivery.state.in_([DeliveryState.SENDING, DeliveryState.FAILED]),
        )
        .values(
            state=DeliveryState.SENT,
            sent_at=sent.at,
            telegram_message_id=sent.telegram_message_id,
            last_error=None,
        )
        .execution_options(synchronize_session=False)
    )


async def mark_sent(session: AsyncSession, sent: Sent, instance: str) -> None:
    """`sending → sent`. Also corrects a row another process marked interrupted while this
    one was still sending it (same claim), so the report stays true."""
    async with write_transaction(session):
        await _record_sent(session, sent, instance)


async def release(
    session: AsyncSession,
    claim: Claim,
    instance: str,
    not_before: datetime,
    *,
    error: str | None = None,
    count_attempt: bool = True,
) -> None:
    """`sending → pending` again, not before `not_before` (a retry, or the chat's own
    rate limit). `count_attempt=False` for 429s and rate waits: they are not failures."""
    values: dict[str, Any] = {
        "state": DeliveryState.PENDING,
        "not_before": not_before,
        "claimed_by": None,
        "claimed_at": None,
    }
    if error is not None:
        values["last_error"] = error[:500]
    if not count_attempt:
        values["attempts"] = OutboxDelivery.attempts - 1
    async with write_transaction(session):
        await session.execute(
            update(OutboxDelivery)
            .where(
                OutboxDelivery.id == claim.id,
                OutboxDelivery.claimed_by == instance,
                OutboxDelivery.state == DeliveryState.SENDING,
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )


async def mark_failed(session: AsyncSession, claim: Claim, instance: str, error: str) -> None:
    async with write_transaction(session):
        await session.execute(
            update(OutboxDelivery)
            .where(
                OutboxDelivery.id == claim.id,
                OutboxDelivery.claimed_by == instance,
                OutboxDelivery.state == DeliveryState.SENDING,
            )
            .values(state=DeliveryState.FAILED, last_error=error[:500])
            .execution_options(synchronize_session=False)
        )


async def expire_abandoned(session: AsyncSession, now: datetime, lease_seconds: float) -> int:
    """Resolve rows left `sending` by a process that died: `failed` ("interrupted"), never
    sent again. Returns how many."""
    if not await session.scalar(
        select(func.count())
        .select_from(OutboxDelivery)
        .where(
            OutboxDelivery.state == DeliveryState.SENDING,
            OutboxDelivery.claimed_at < now - timedelta(seconds=lease_seconds),
        )
    ):
        await session.commit()
        return 0
    async with write_transaction(session):
        result = await session.execute(
            update(OutboxDelivery)
            .where(
                OutboxDelivery.state == DeliveryState.SENDING,
                OutboxDelivery.claimed_at < now - timedelta(seconds=lease_seconds),
            )
            .values(state=DeliveryState.FAILED, last_error=INTERRUPTED)
            .execution_options(synchronize_session=False)
        )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def get_message(session: AsyncSession, message_id: int) -> OutboxMessage | None:
    return await session.get(OutboxMessage, message_id)


async def unfinished(session: AsyncSession) -> list[OutboxMessage]:
    rows = await session.scalars(
        select(OutboxMessage).where(OutboxMessage.finished_at.is_(None)).order_by(OutboxMessage.id)
    )
    result = list(rows.all())
    await session.commit()
    return result


async def progress(session: AsyncSession, message_id: int) -> Progress:
    rows = await session.execute(
        select(OutboxDelivery.state, func.count())
        .where(OutboxDelivery.message_id == message_id)
        .group_by(OutboxDelivery.state)
    )
    counts = {DeliveryState(state): int(n) for state, n in rows.all()}
    await session.commit()
    return Progress(
        total=sum(counts.values()),
        pending=counts.get(DeliveryState.PENDING, 0),
        sending=counts.get(DeliveryState.SENDING, 0),
        sent=counts.get(DeliveryState.SENT, 0),
        failed=counts.get(DeliveryState.FAILED, 0),
    )


async def claim_progress_edit(
    session: AsyncSession, message_id: int, now: datetime, interval: float
) -> bool:
    """True for the one process that may edit the progress message now (at most once per
    `interval` seconds, across processes)."""
    async with write_transaction(session):
        result = await session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == message_id,
                OutboxMessage.finished_at.is_(None),
                (OutboxMessage.progress_edited_at.is_(None))
                | (OutboxMessage.progress_edited_at <= now - timedelta(seconds=interval)),
            )
            .values(progress_edited_at=now)
            .execution_options(synchronize_session=False)
        )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def claim_progress_message(session: AsyncSession, message_id: int) -> bool:
    """True for the one process that sends the progress message (0 marks it taken)."""
    async with write_transaction(session):
        result = await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.progress_message_id.is_(None))
            .values(progress_message_id=0)
            .execution_options(synchronize_session=False)
        )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def set_progress_message(session: AsyncSession, message_id: int, telegram_id: int) -> None:
    async with write_transaction(session):
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .values(progress_message_id=telegram_id)
            .execution_options(synchronize_session=False)
        )


async def finish(session: AsyncSession, message_id: int, now: datetime) -> bool:
    """Mark a message finished (every delivery sent or failed); True for the one process
    that should send the final report."""
    async with write_transaction(session):
        open_rows = await session.scalar(
            select(func.count())
            .select_from(OutboxDelivery)
            .where(
                OutboxDelivery.message_id == message_id,
                OutboxDelivery.state.in_([DeliveryState.PENDING, DeliveryState.SENDING]),
            )
        )
        if open_rows:
            return False
        result = await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.finished_at.is_(None))
            .values(finished_at=now, media_bytes=None)  # uploaded bytes are not kept
            .execution_options(synchronize_session=False)
        )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def failures(session: AsyncSession, message_id: int, limit: int = 30) -> list[Failure]:
    rows = await session.execute(
        select(OutboxDelivery.chat_id, ChatBinding.title, OutboxDelivery.last_error)
        .outerjoin(ChatBinding, ChatBinding.chat_id == OutboxDelivery.chat_id)
        .where(
            OutboxDelivery.message_id == message_id,
            OutboxDelivery.state == DeliveryState.FAILED,
        )
        .order_by(OutboxDelivery.id)
        .limit(limit)
    )
    result = [Failure(chat, title or str(chat), error or "") for chat, title, error in rows.all()]
    await session.commit()
    return result


async def first_sent_at(session: AsyncSession, message_id: int) -> datetime | None:
    value = await session.scalar(
        select(func.min(OutboxDelivery.sent_at)).where(OutboxDelivery.message_id == message_id)
    )
    await session.commit()
    return value
