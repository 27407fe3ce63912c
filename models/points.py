"""Volunteer points: the append-only ledger (the points issue adds activities, rewards...)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, BigIntPK, UTCDateTime, str_enum, utcnow


class LedgerKind(enum.StrEnum):
    ACTIVITY = "activity"
    WISH = "wish"
    AWARD = "award"
    REDEMPTION = "redemption"
    REFUND = "refund"
    GIFT = "gift"
    CORRECTION = "correction"


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
