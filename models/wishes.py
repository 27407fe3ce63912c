"""Micro-wishes (微心愿): the wish and its append-only history (its group posts are
outbox messages with source "wish")."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from linli.models.base import Base, BigIntPK, UTCDateTime, str_enum, utcnow
from linli.models.casework import CaseEventColumns


class WishCategory(enum.StrEnum):
    DAILY = "daily"
    COMPANIONSHIP = "companionship"
    REPAIRS = "repairs"
    LEARNING = "learning"
    HEALTH = "health"
    OTHER = "other"


class WishStatus(enum.StrEnum):
    OPEN = "open"
    CLAIMED = "claimed"
    FULFILLED = "fulfilled"
    WITHDRAWN = "withdrawn"


class Wish(Base):
    """A small wish. `author_id` is None when a chief entered it for a resident without a
    phone (`offline_author` names them, `entered_by_id` is the chief). The claim is taken
    with a conditional UPDATE on `status`, so only one claimer can ever win."""

    __tablename__ = "wishes"
    __table_args__ = (
        Index("ix_wishes_grid_status", "grid_id", "status"),
        Index("ix_wishes_building_status", "building_id", "status"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("grids.id", ondelete="CASCADE"))
    building_id: Mapped[int] = mapped_column(ForeignKey("buildings.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("residents.id", ondelete="SET NULL"), index=True
    )
    offline_author: Mapped[str | None] = mapped_column(String(100))
    entered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("residents.id", ondelete="SET NULL")
    )
    category: Mapped[WishCategory] = mapped_column(str_enum(WishCategory, "wish_category"))
    text: Mapped[str] = mapped_column(String(500), default="")
    voice_file_id: Mapped[str | None] = mapped_column(String(255))
    photo_file_id: Mapped[str | None] = mapped_column(String(255))
    show_name: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[WishStatus] = mapped_column(
        str_enum(WishStatus, "wish_status"), default=WishStatus.OPEN
    )
    claimer_id: Mapped[int | None] = mapped_column(
        ForeignKey("residents.id", ondelete="SET NULL"), index=True
    )
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    fulfilled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    points: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def code(self) -> str:
        return f"W{self.id}"


class WishEvent(CaseEventColumns, Base):
    """Append-only history of a wish (database triggers forbid changes): who, when, from,
    to. `/stats` counts wishes posted and fulfilled from these rows."""

    __tablename__ = "wish_events"
    __table_args__ = (Index("ix_wish_events_wish_at", "wish_id", "at"),)
    NOTE_LENGTH = 500

    wish_id: Mapped[int] = mapped_column(ForeignKey("wishes.id", ondelete="RESTRICT"))
