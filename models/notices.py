"""Scheduled notices, their runs, and the broadcast outbox shared by every feature."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from linli.models.base import Base, BigIntPK, UTCDateTime, str_enum, utcnow


class NoticeKind(enum.StrEnum):
    MESSAGE = "message"
    AGENDA = "agenda"


class NoticeState(enum.StrEnum):
    SCHEDULED = "scheduled"
    PAUSED = "paused"
    DONE = "done"
    CANCELLED = "cancelled"


class Repeat(enum.StrEnum):
    ONCE = "once"
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


class TargetKind(enum.StrEnum):
    ALL = "all"  # every bound group of the community (admins)
    GRID = "grid"  # the grid's own group(s)
    GRID_BUILDINGS = "grid_buildings"  # every building group of the grid
    BUILDINGS = "buildings"  # the building groups listed in `building_ids`


class Notice(Base):
    """A notice: what (text / media, or an agenda digest), where (targets), when (schedule).

    `next_run_at` is the only clock: the notices job claims rows whose time has come with a
    conditional UPDATE on it. `area_grid_id` / `area_building_id` is the area whose chiefs
    may see and manage it (both NULL: admins only).
    """

    __tablename__ = "notices"
    __table_args__ = (Index("ix_notices_state_next_run_at", "state", "next_run_at"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE")
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("residents.id", ondelete="SET NULL"))
    kind: Mapped[NoticeKind] = mapped_column(str_enum(NoticeKind, "notice_kind"))
    text: Mapped[str] = mapped_column(Text, default="")
    media_kind: Mapped[str | None] = mapped_column(String(16))
    media_file_id: Mapped[str | None] = mapped_column(String(255))
    target_kind: Mapped[TargetKind] = mapped_column(str_enum(TargetKind, "notice_target"))
    target_grid_id: Mapped[int | None] = mapped_column(ForeignKey("grids.id", ondelete="CASCADE"))
    building_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    area_grid_id: Mapped[int | None] = mapped_column(
        ForeignKey("grids.id", ondelete="CASCADE"), index=True
    )
    area_building_id: Mapped[int | None] = mapped_column(
        ForeignKey("buildings.id", ondelete="CASCADE"), index=True
    )
    repeat: Mapped[Repeat] = mapped_column(str_enum(Repeat, "notice_repeat"))
    at_time: Mapped[str | None] = mapped_column(String(5))
    weekdays: Mapped[str | None] = mapped_column(String(32))
    month_day: Mapped[int | None] = mapped_column(Integer)
    next_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    state: Mapped[NoticeState] = mapped_column(
        str_enum(NoticeState, "notice_state"), default=NoticeState.SCHEDULED
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class RunStatus(enum.StrEnum):
    CLAIMED = "claimed"  # due, claimed by the job, outbox not created yet
    SENDING = "sending"  # handed to the outbox
    MISSED = "missed"  # later than the grace period: not sent, author told
    EMPTY = "empty"  # an agenda with nothing on it: not sent
    WITHHELD = "withheld"  # the author may no longer post there: not sent, notice paused


class NoticeRun(Base):
    """One firing of a notice. Unique per (notice, scheduled time): a run is created once."""

    __tablename__ = "notice_runs"
    __table_args__ = (UniqueConstraint("notice_id", "scheduled_for"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id", ondelete="CASCADE"))
    scheduled_for: Mapped[datetime] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[RunStatus] = mapped_column(str_enum(RunStatus, "notice_run_status"))
    delayed: Mapped[bool] = mapped_column(Boolean, default=False)
    author_told: Mapped[bool] = mapped_column(Boolean, default=False)
    outbox_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_messages.id", ondelete="SET NULL")
    )


class OutboxMessage(Base):
    """Something to post to many chats. `notify_resident_id` gets the progress message and
    the final report (`progress_chat_id` is their private chat).

    `source` / `source_id` say which feature's what it is ("wish", 12); features find their
    posts (to edit them) through the deliveries' Telegram message ids. Media is a Telegram
    file id, or `media_bytes` (e.g. a chart) uploaded once: the sender then stores the
    file id Telegram gave it and sends that to the remaining chats.
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_source", "source", "source_id"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    source: Mapped[str] = mapped_column(String(32))
    source_id: Mapped[int | None] = mapped_column(BigInteger)
    text: Mapped[str] = mapped_column(Text, default="")
    parse_mode: Mapped[str | None] = mapped_column(String(16))
    media_kind: Mapped[str | None] = mapped_column(String(16))
    media_file_id: Mapped[str | None] = mapped_column(String(255))
    media_bytes: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    reply_markup: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    total: Mapped[int] = mapped_column(Integer, default=0)
    notify_resident_id: Mapped[int | None] = mapped_column(
        ForeignKey("residents.id", ondelete="SET NULL")
    )
    progress_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    progress_message_id: Mapped[int | None] = mapped_column(BigInteger)
    progress_edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)


class DeliveryState(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class OutboxDelivery(Base):
    """One (message, chat) pair; the unique constraint makes a second row impossible.

    `pending → sending → sent | failed`. `sending` is claimed by one process
    (`claimed_by`, `claimed_at`) right before the request to Telegram.
    """

    __tablename__ = "outbox_deliveries"
    __table_args__ = (
        UniqueConstraint("message_id", "chat_id"),
        Index("ix_outbox_deliveries_state_not_before", "state", "not_before"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("outbox_messages.id", ondelete="CASCADE"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    state: Mapped[DeliveryState] = mapped_column(
        str_enum(DeliveryState, "delivery_state"), default=DeliveryState.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)
    last_error: Mapped[str | None] = mapped_column(String(500))
