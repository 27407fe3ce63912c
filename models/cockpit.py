"""The web cockpit's sign-in: one-time links sent by the bot and the browser sessions they
open. Only SHA-256 hashes of the secrets are stored; the secrets themselves exist in the
link the resident was sent and in their browser's cookie."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from linli.models.base import Base, BigIntPK, UTCDateTime, utcnow


class CockpitLink(Base):
    """A sign-in link: works once (`used_at`), until `expires_at`."""

    __tablename__ = "cockpit_links"
    __table_args__ = (Index("ix_cockpit_links_expires_at", "expires_at"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    resident_id: Mapped[int] = mapped_column(
        ForeignKey("residents.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CockpitSession(Base):
    """A signed-in browser. The role and area it was opened for are kept: when the
    resident's current role or area differs (a chief was demoted or moved), the session
    ends at its next request."""

    __tablename__ = "cockpit_sessions"
    __table_args__ = (Index("ix_cockpit_sessions_expires_at", "expires_at"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    resident_id: Mapped[int] = mapped_column(
        ForeignKey("residents.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(24))
    area_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
