"""What the append-only histories of micro-wishes and complaints share."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from linli.models.base import BigIntPK, UTCDateTime, utcnow


class CaseEventColumns:
    """The columns of one history row: when, who (a bare id, so erasing a resident keeps
    the row), what, from which status to which, and a note of `NOTE_LENGTH` characters.
    Each table adds the foreign key to its subject and its own extras."""

    NOTE_LENGTH: ClassVar[int]

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, sort_order=-1)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(BigInteger)
    action: Mapped[str] = mapped_column(String(24))
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str | None] = mapped_column(String(24))

    @declared_attr
    def note(cls) -> Mapped[str]:
        return mapped_column(String(cls.NOTE_LENGTH), default="")
