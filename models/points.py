"""Volunteer points: the append-only ledger, per-resident balances, activities, the charity
shop, gifts to care funds and families, leaderboard privacy and monthly postings."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from linli.models.base import Base, BigIntPK, UTCDateTime, str_enum, utcnow


class LedgerKind(enum.StrEnum):
    ACTIVITY = "activity"
    WISH = "wish"
    AWARD = "award"
    REDEMPTION = "redemption"
    REFUND = "refund"
    GIFT = "gift"
    CORRECTION = "correction"


# Kinds that count as "earned" on leaderboards (spending never lowers a rank).
EARNING_KINDS = (LedgerKind.ACTIVITY, LedgerKind.WISH, LedgerKind.AWARD, LedgerKind.CORRECTION)


class LedgerEntry(Base):
    """One change of a resident's points. Never updated or deleted (database triggers);
    a correction is a new reversing entry. `idempotency_key` is unique, so a retried update
    or a double tap can never credit or debit twice."""

    __tablename__ = "ledger_entries"
    __table_args__ = (Index("ix_ledger_entries_resident_at", "resident_id", "created_at"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id", ondelete="RESTRICT"))
    delta: Mapped[int] = mapped_column(Integer)
    kind: Mapped[LedgerKind] = mapped_column(str_enum(LedgerKind, "ledger_kind"))
    reference: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(500), default="")
    actor_id: Mapped[int | None] = mapped_column(BigInteger)
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PointsBalance(Base):
    """The cached sum of a resident's ledger entries, updated in the same transaction as
    each entry. Debits are conditional (`balance + delta >= 0`) and the CHECK backs them up,
    so a balance can never go below zero, whatever runs at the same time."""

    __tablename__ = "points_balances"
    __table_args__ = (CheckConstraint("balance >= 0", name="non_negative"),)

    resident_id: Mapped[int] = mapped_column(
        ForeignKey("residents.id", ondelete="RESTRICT"), primary_key=True
    )
    balance: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class PointsPrivacy(Base):
    """How a resident appears on leaderboards: by name, or as "a neighbour of Building N"."""

    __tablename__ = "points_privacy"

    resident_id: Mapped[int] = mapped_column(
        ForeignKey("residents.id", ondelete="CASCADE"), primary_key=True
    )
    as_neighbour: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ActivityState(enum.StrEnum):
    OPEN = "open"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class Activity(Base):
    """A volunteer activity of a grid (or of the whole community when `grid_id` is None).

    `seats_taken` counts the `going` sign-ups and the walk-ins; the CHECK keeps it within
    `capacity`, and sign-ups and check-ins take a seat with a conditional UPDATE.
    `created_by_id` is the organiser (handed to the grid chief when the organiser loses the
    role); managing it needs the manager's current role and area, every time.
    """

    __tablename__ = "activities"
    __table_args__ = (
        CheckConstraint("seats_taken >= 0 AND seats_taken <= capacity", name="seats"),
        CheckConstraint("capacity > 0 AND points >= 0", name="positive"),
        Index("ix_activities_state_starts_at", "state", "starts_at"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grids.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(100))
    place: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    capacity: Mapped[int] = mapped_column(Integer)
    seats_taken: Mapped[int] = mapped_column(Integer, default=0)
    points: Mapped[int] = mapped_column(Integer)
    per_hour: Mapped[bool] = mapped_column(Boolean, default=False)
    checkin_code: Mapped[str] = mapped_column(String(16), unique=True)
    state: Mapped[ActivityState] = mapped_column(
        str_enum(ActivityState, "activity_state"), default=ActivityState.OPEN
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("residents.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    eve_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hour_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SignupStatus(enum.StrEnum):
    GOING = "going"
    WAITING = "waiting"
    CANCELLED = "cancelled"
    WALK_IN = "walk_in"  # checked in without a sign-up; took a free seat


class ActivitySignup(Base):
    """One resident's place at an activity (one row per pair; re-signing reuses it)."""

    __tablename__ = "activity_signups"
    __table_args__ = (
        UniqueConstraint("activity_id", "resident_id"),
        Index("ix_activity_signups_activity_status", "activity_id", "status"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"))
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id", ondelete="CASCADE"))
    status: Mapped[SignupStatus] = mapped_column(str_enum(SignupStatus, "signup_status"))
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RewardItem(Base):
    """An item of the community's charity shop (邻礼公益超市)."""

    __tablename__ = "reward_items"
    __table_args__ = (
        CheckConstraint("stock >= 0", name="stock_non_negative"),
        CheckConstraint("cost > 0", name="cost_positive"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(String(500), default="")
    photo_file_id: Mapped[str | None] = mapped_column(String(255))
    cost: Mapped[int] = mapped_column(Integer)
    stock: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("residents.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RedemptionState(enum.StrEnum):
    RESERVED = "reserved"
    HANDED_OVER = "handed_over"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


class Redemption(Base):
    """A reserved item waiting for pickup (`R<id>`); the debit is a ledger entry."""

    __tablename__ = "redemptions"
    __table_args__ = (
        Index("ix_redemptions_state_expires_at", "state", "expires_at"),
        Index("ix_redemptions_resident_id", "resident_id"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id", ondelete="RESTRICT"))
    item_id: Mapped[int] = mapped_column(ForeignKey("reward_items.id", ondelete="RESTRICT"))
    cost: Mapped[int] = mapped_column(Integer)
    pickup_code: Mapped[str] = mapped_column(String(8))
    state: Mapped[RedemptionState] = mapped_column(
        str_enum(RedemptionState, "redemption_state"), default=RedemptionState.RESERVED
    )
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(BigInteger)


class RecipientKind(enum.StrEnum):
    CARE_FUND = "care_fund"
    FAMILY = "family"


class GiftRecipient(Base):
    """Where residents may give points: the community care fund (爱心基金) or a family an
    admin has listed."""

    __tablename__ = "gift_recipients"
    __table_args__ = (UniqueConstraint("community_id", "kind", "name"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    kind: Mapped[RecipientKind] = mapped_column(str_enum(RecipientKind, "recipient_kind"))
    name: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FundEntry(Base):
    """The receiving half of a gift (append-only); a fund's balance is the sum."""

    __tablename__ = "fund_entries"
    __table_args__ = (Index("ix_fund_entries_recipient_id", "recipient_id"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("gift_recipients.id", ondelete="RESTRICT"))
    delta: Mapped[int] = mapped_column(Integer)
    donor_id: Mapped[int | None] = mapped_column(BigInteger)
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LeaderboardPost(Base):
    """The monthly leaderboard posted to a group: one row per (chat, month), claimed before
    posting so that a job running twice never posts twice."""

    __tablename__ = "leaderboard_posts"
    __table_args__ = (UniqueConstraint("chat_id", "period"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    period: Mapped[str] = mapped_column(String(7))
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WithheldWhy(enum.StrEnum):
    MONTH = "month"  # the resident's monthly cap (POINTS_MONTHLY_CAP)
    PAIR = "pair"  # the credits between the same two residents (POINTS_PAIR_MONTHLY_MAX)


class WithheldCredit(Base):
    """Points a wish or activity credit did not give because a monthly cap was reached,
    written in the credit's transaction. The resident (and for a wish its author) are told
    by a job (`told_at`); an admin who lifts the cap credits them (`released_at`)."""

    __tablename__ = "points_withheld"
    __table_args__ = (
        Index("ix_points_withheld_resident_period", "resident_id", "period"),
        Index("ix_points_withheld_told_at", "told_at"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id", ondelete="RESTRICT"))
    counterpart_id: Mapped[int | None] = mapped_column(
        ForeignKey("residents.id", ondelete="SET NULL")
    )
    kind: Mapped[LedgerKind] = mapped_column(str_enum(LedgerKind, "ledger_kind"))
    reference: Mapped[str] = mapped_column(String(64))
    why: Mapped[WithheldWhy] = mapped_column(str_enum(WithheldWhy, "withheld_why"))
    wanted: Mapped[int] = mapped_column(Integer)
    credited: Mapped[int] = mapped_column(Integer)
    cap: Mapped[int] = mapped_column(Integer)
    """The cap that applied (points a month, or credits a month between the pair)."""
    period: Mapped[str] = mapped_column(String(7))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    told_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def withheld(self) -> int:
        return self.wanted - self.credited


class CapOverride(Base):
    """An admin lifted the monthly caps of one resident for one month (also in the audit
    log)."""

    __tablename__ = "points_cap_overrides"
    __table_args__ = (UniqueConstraint("resident_id", "period"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(7))
    admin_id: Mapped[int | None] = mapped_column(ForeignKey("residents.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CheckinAttempt(Base):
    """A wrong check-in code sent by a resident (at most POINTS_CHECKIN_MAX_WRONG an hour);
    rows older than a day are purged."""

    __tablename__ = "checkin_attempts"
    __table_args__ = (Index("ix_checkin_attempts_resident_at", "resident_id", "at"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
