"""Complaints and requests (诉求): the complaint, who follows it, named handlers per grid,
and the append-only history that every transition writes."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from linli.models.base import Base, BigIntPK, UTCDateTime, str_enum, utcnow
from linli.models.casework import CaseEventColumns


class ComplaintCategory(enum.StrEnum):
    PARKING = "parking"
    SANITATION = "sanitation"
    REPAIRS = "repairs"
    DISPUTE = "dispute"
    SAFETY = "safety"
    NOISE = "noise"
    OTHER = "other"


class ComplaintStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REJECTED = "rejected"
    MERGED = "merged"


OPEN_STATUSES = (ComplaintStatus.SUBMITTED, ComplaintStatus.ACCEPTED, ComplaintStatus.IN_PROGRESS)


class ComplaintHandler(Base):
    """A named handler a grid chief can assign complaints to (e.g. the property company)."""

    __tablename__ = "complaint_handlers"
    __table_args__ = (UniqueConstraint("grid_id", "name"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("grids.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("residents.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Complaint(Base):
    """A complaint or request. `author_id` is None when a chief entered it for a resident
    without a phone (`offline_author`, `entered_by_id`). With `anonymous` the author is never
    shown to chiefs. `stage_started_at`, `reminded_at` and `escalation_level` drive the
    response-time reminders; they reset when the complaint moves to the next stage."""

    __tablename__ = "complaints"
    __table_args__ = (
        Index("ix_complaints_grid_status", "grid_id", "status"),
        Index("ix_complaints_building_category_status", "building_id", "category", "status"),
        Index("ix_complaints_status_stage", "status", "stage_started_at"),
        CheckConstraint("rating IS NULL OR (rating >= 1 AND rating <= 5)", name="rating_range"),
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
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    category: Mapped[ComplaintCategory] = mapped_column(
        str_enum(ComplaintCategory, "complaint_category")
    )
    text: Mapped[str] = mapped_column(String(1000), default="")
    voice_file_id: Mapped[str | None] = mapped_column(String(255))
    photo_file_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    location_text: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[ComplaintStatus] = mapped_column(
        str_enum(ComplaintStatus, "complaint_status"), default=ComplaintStatus.SUBMITTED
    )
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("residents.id", ondelete="SET NULL"), index=True
    )
    handler_id: Mapped[int | None] = mapped_column(
        ForeignKey("complaint_handlers.id", ondelete="SET NULL")
    )
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("complaints.id", ondelete="SET NULL")
    )
    rating: Mapped[int | None] = mapped_column(Integer)
    rating_comment: Mapped[str | None] = mapped_column(String(500))
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    stage_started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def code(self) -> str:
        return f"C{self.id}"


class ComplaintFollower(Base):
    """Residents who get a complaint's updates: its author, "me too" residents, the authors
    of complaints merged into it, the chief who entered it for someone offline."""

    __tablename__ = "complaint_followers"
    __table_args__ = (UniqueConstraint("complaint_id", "resident_id"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"))
    resident_id: Mapped[int] = mapped_column(
        ForeignKey("residents.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ComplaintEvent(CaseEventColumns, Base):
    """Append-only history (database triggers forbid changes): who, when, from, to, note,
    the result photo of a resolution, the rating. `/stats` is computed from these rows."""

    __tablename__ = "complaint_events"
    __table_args__ = (Index("ix_complaint_events_complaint_at", "complaint_id", "at"),)
    NOTE_LENGTH = 1000

    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="RESTRICT"))
    photo_file_id: Mapped[str | None] = mapped_column(String(255))
    rating: Mapped[int | None] = mapped_column(Integer)
