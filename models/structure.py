"""Community structure, residents, group bindings and the audit log."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from linli.models.base import Base, BigIntPK, UTCDateTime, str_enum, utcnow


class Role(enum.StrEnum):
    """Ordered by power: each role can do what the ones before it can."""

    RESIDENT = "resident"
    BUILDING_CHIEF = "building_chief"
    GRID_CHIEF = "grid_chief"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)


class ResidentStatus(enum.StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    BLOCKED = "blocked"


class Community(Base):
    __tablename__ = "communities"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    grids: Mapped[list[Grid]] = relationship(back_populates="community", order_by="Grid.id")


class Grid(Base):
    __tablename__ = "grids"
    __table_args__ = (UniqueConstraint("community_id", "name"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))

    community: Mapped[Community] = relationship(back_populates="grids")
    buildings: Mapped[list[Building]] = relationship(back_populates="grid", order_by="Building.id")


class Building(Base):
    __tablename__ = "buildings"
    __table_args__ = (UniqueConstraint("grid_id", "name"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("grids.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    # Optional coordinates (the structure CSV's `lat`,`lon`): a location sent with a hazard
    # report finds the nearest building and its grid (services/hazards.py).
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)

    grid: Mapped[Grid] = relationship(back_populates="buildings")


class Resident(Base):
    """A Telegram user known to the bot.

    `building_id` is where they live (None until they apply). A chief's area is
    `chief_grid_id` (grid chief) or `chief_building_id` (building chief); an admin's area is
    the whole `community_id`.
    """

    __tablename__ = "residents"
    __table_args__ = (
        Index("ix_residents_building_status", "building_id", "status"),
        CheckConstraint(
            "(role != 'grid_chief' OR chief_grid_id IS NOT NULL)"
            " AND (role != 'building_chief' OR chief_building_id IS NOT NULL)",
            name="chief_has_area",
        ),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    username: Mapped[str | None] = mapped_column(String(64), index=True)
    language: Mapped[str | None] = mapped_column(String(8))
    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("communities.id", ondelete="SET NULL")
    )
    building_id: Mapped[int | None] = mapped_column(ForeignKey("buildings.id", ondelete="SET NULL"))
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"), default=Role.RESIDENT)
    chief_grid_id: Mapped[int | None] = mapped_column(
        ForeignKey("grids.id", ondelete="SET NULL"), index=True
    )
    chief_building_id: Mapped[int | None] = mapped_column(
        ForeignKey("buildings.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[ResidentStatus] = mapped_column(
        str_enum(ResidentStatus, "resident_status"), default=ResidentStatus.PENDING
    )
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When they first wrote to the bot in a private chat. Until then Telegram refuses
    # requests scoped to that chat ("chat not found"), e.g. a chief's own command menu.
    private_chat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when the resident deleted their account (/privacy): the row stays, anonymised, so
    # that ledgers, vote turnout and histories keep adding up (docs/privacy.md).
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    building: Mapped[Building | None] = relationship(foreign_keys=[building_id], lazy="joined")
    chief_grid: Mapped[Grid | None] = relationship(foreign_keys=[chief_grid_id], lazy="joined")
    chief_building: Mapped[Building | None] = relationship(
        foreign_keys=[chief_building_id], lazy="joined"
    )

    @property
    def is_verified(self) -> bool:
        return self.status == ResidentStatus.VERIFIED and self.deleted_at is None

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_chief(self) -> bool:
        return self.is_verified and self.role != Role.RESIDENT

    @property
    def is_admin(self) -> bool:
        return self.is_verified and self.role == Role.ADMIN


class ChatBinding(Base):
    """A Telegram group bound to exactly one grid or building (one row per chat)."""

    __tablename__ = "chat_bindings"
    __table_args__ = (
        CheckConstraint("(grid_id IS NULL) != (building_id IS NULL)", name="exactly_one_unit"),
        Index("ix_chat_bindings_grid_active", "grid_id", "active"),
        Index("ix_chat_bindings_building_active", "building_id", "active"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    title: Mapped[str] = mapped_column(String(255), default="")
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grids.id", ondelete="CASCADE"))
    building_id: Mapped[int | None] = mapped_column(ForeignKey("buildings.id", ondelete="CASCADE"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    bound_by_id: Mapped[int | None] = mapped_column(ForeignKey("residents.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    grid: Mapped[Grid | None] = relationship(lazy="joined")
    building: Mapped[Building | None] = relationship(lazy="joined")


class AuditLog(Base):
    """Append-only record of every privileged action (database triggers forbid changes)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(BigInteger)
    actor_telegram_id: Mapped[int | None] = mapped_column(BigInteger)
    action: Mapped[str] = mapped_column(String(64), index=True)
    target_type: Mapped[str | None] = mapped_column(String(32))
    target_id: Mapped[int | None] = mapped_column(BigInteger)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
