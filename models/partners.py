"""共驻共建: partner units and their members (双报到), the three lists — needs, resources,
projects (三张清单) —, wishes adopted by a unit, mobile grid members and their hazard reports
(移动网格员, 随手拍), and the monthly reports back to the units (双报告).

A partner member or a mobile grid member is a `Resident` without a building: verified when
their unit's contact approved them (or a grid chief invited them), with their standing in
these tables. `partner_events` is the append-only history of units, members, needs and
projects (database triggers forbid changes)."""

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
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from linli.models.base import Base, BigIntPK, UTCDateTime, str_enum, utcnow


class UnitKind(enum.StrEnum):
    GOVERNMENT = "government"
    SCHOOL = "school"
    HOSPITAL = "hospital"
    COMPANY = "company"
    PROPERTY = "property"
    SOCIAL = "social"
    OTHER = "other"


class UnitState(enum.StrEnum):
    INVITED = "invited"  # registered by an admin; the contact has not accepted yet
    ACTIVE = "active"
    LEFT = "left"


class PartnerUnit(Base):
    """A unit of the area that reported to the community (`U{id}`). `contact_id` is the
    person who manages it here, once they accepted the admin's invitation."""

    __tablename__ = "partner_units"
    __table_args__ = (UniqueConstraint("community_id", "name"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[UnitKind] = mapped_column(str_enum(UnitKind, "unit_kind"))
    address: Mapped[str] = mapped_column(String(200), default="")
    contact_name: Mapped[str] = mapped_column(String(100), default="")
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("residents.id", ondelete="SET NULL"), index=True
    )
    state: Mapped[UnitState] = mapped_column(
        str_enum(UnitState, "unit_state"), default=UnitState.INVITED
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("residents.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    joined_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def code(self) -> str:
        return f"U{self.id}"


class InviteKind(enum.StrEnum):
    CONTACT = "contact"  # an admin invites a unit's contact (single use)
    MEMBER = "member"  # the unit's own link for its members (until replaced or expired)
    MOBILE = "mobile"  # a grid chief invites one mobile grid member (single use)


class MobileKind(enum.StrEnum):
    RIDER = "rider"
    COURIER = "courier"
    PROPERTY = "property"
    SANITATION = "sanitation"
    OTHER = "other"


class PartnerInvite(Base):
    """An invitation deep link (`/start unit_…`, `member_…`, `mobile_…`). Only the SHA-256
    of its secret is stored; it expires, and is used once except the members' link."""

    __tablename__ = "partner_invites"
    __table_args__ = (
        CheckConstraint("kind = 'mobile' OR unit_id IS NOT NULL", name="unit_invite_has_unit"),
        Index("ix_partner_invites_expires_at", "expires_at"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    kind: Mapped[InviteKind] = mapped_column(str_enum(InviteKind, "invite_kind"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("partner_units.id", ondelete="CASCADE"), index=True
    )
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grids.id", ondelete="CASCADE"))
    mobile_kind: Mapped[MobileKind | None] = mapped_column(str_enum(MobileKind, "mobile_kind"))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("residents.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("residents.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class MemberState(enum.StrEnum):
    PENDING = "pending"  # opened the unit's link; the contact has not approved yet
    ACTIVE = "active"
    LEFT = "left"
    REJECTED = "rejected"


LIVE_MEMBER = "state IN ('pending', 'active')"


class PartnerMember(Base):
    """A person who reported in with their unit. At most one live (pending or active)
    membership per person (a partial unique index). `party_member` (在职党员) is shown to
    admins only."""

    __tablename__ = "partner_members"
    __table_args__ = (
        Index(
            "uq_partner_members_live_resident",
            "resident_id",
            unique=True,
            sqlite_where=text(LIVE_MEMBER),
            postgresql_where=text(LIVE_MEMBER),
        ),
        Index("ix_partner_members_unit_state", "unit_id", "state"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("partner_units.id", ondelete="CASCADE"))
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id", ondelete="CASCADE"))
    state: Mapped[MemberState] = mapped_column(str_enum(MemberState, "member_state"))
    party_member: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(BigInteger)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class MobileState(enum.StrEnum):
    ACTIVE = "active"
    REMOVED = "removed"


LIVE_MOBILE = "state = 'active'"


class MobileMember(Base):
    """A delivery rider, courier, property or sanitation worker who reports hazards in a
    grid (`grid_id`) or the whole community (None)."""

    __tablename__ = "mobile_members"
    __table_args__ = (
        Index(
            "uq_mobile_members_live_resident",
            "resident_id",
            unique=True,
            sqlite_where=text(LIVE_MOBILE),
            postgresql_where=text(LIVE_MOBILE),
        ),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id", ondelete="CASCADE"))
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grids.id", ondelete="CASCADE"))
    kind: Mapped[MobileKind] = mapped_column(str_enum(MobileKind, "mobile_kind"))
    state: Mapped[MobileState] = mapped_column(
        str_enum(MobileState, "mobile_state"), default=MobileState.ACTIVE
    )
    registered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("residents.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# --- the three lists ----------------------------------------------------------------------------


class Scope(enum.StrEnum):
    BUILDING = "building"
    GRID = "grid"
    COMMUNITY = "community"


class NeedCategory(enum.StrEnum):
    ELDERLY = "elderly"
    CHILDREN = "children"
    HEALTH = "health"
    REPAIRS = "repairs"
    ENVIRONMENT = "environment"
    CULTURE = "culture"
    SAFETY = "safety"
    LEGAL = "legal"
    OTHER = "other"


class Urgency(enum.StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"


class NeedState(enum.StrEnum):
    OPEN = "open"
    MATCHED = "matched"  # part of a planned project
    IN_PROGRESS = "in_progress"  # its project has started
    MET = "met"
    DECLINED = "declined"


class SourceKind(enum.StrEnum):
    WISH = "wish"
    COMPLAINT = "complaint"
    TOPIC = "topic"


class Need(Base):
    """A resident's need on the needs list (`N{id}`), entered by a chief directly or made
    from a micro-wish, a request or a topic (`source_kind`, `source_id`: at most one need
    per source, a unique constraint)."""

    __tablename__ = "needs"
    __table_args__ = (
        UniqueConstraint("source_kind", "source_id"),
        CheckConstraint(
            "(scope != 'building' OR building_id IS NOT NULL)"
            " AND (scope != 'grid' OR grid_id IS NOT NULL)",
            name="scope_has_unit",
        ),
        Index("ix_needs_community_state", "community_id", "state"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    scope: Mapped[Scope] = mapped_column(str_enum(Scope, "need_scope"))
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grids.id", ondelete="CASCADE"))
    building_id: Mapped[int | None] = mapped_column(ForeignKey("buildings.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(100))
    category: Mapped[NeedCategory] = mapped_column(str_enum(NeedCategory, "need_category"))
    beneficiaries: Mapped[str] = mapped_column(String(100), default="")
    urgency: Mapped[Urgency] = mapped_column(str_enum(Urgency, "need_urgency"))
    source_kind: Mapped[SourceKind | None] = mapped_column(str_enum(SourceKind, "need_source"))
    source_id: Mapped[int | None] = mapped_column(BigInteger)
    state: Mapped[NeedState] = mapped_column(
        str_enum(NeedState, "need_state"), default=NeedState.OPEN
    )
    reason: Mapped[str] = mapped_column(String(300), default="")
    support_count: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("residents.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def code(self) -> str:
        return f"N{self.id}"

    @property
    def source_code(self) -> str | None:
        if self.source_kind is None or self.source_id is None:
            return None
        letter = {SourceKind.WISH: "W", SourceKind.COMPLAINT: "C", SourceKind.TOPIC: "T"}
        return f"{letter[self.source_kind]}{self.source_id}"


class NeedSupport(Base):
    """A resident supports (+1) a need; once per resident (a unique constraint)."""

    __tablename__ = "need_supports"
    __table_args__ = (UniqueConstraint("need_id", "resident_id"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"))
    resident_id: Mapped[int] = mapped_column(
        ForeignKey("residents.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ResourceKind(enum.StrEnum):
    VENUE = "venue"
    SERVICE = "service"
    GOODS = "goods"
    MONEY = "money"
    VOLUNTEERS = "volunteers"


class Resource(Base):
    """What a unit offers (`S{id}`): a venue and its hours, a professional service, goods,
    money, a number of volunteers; `details` gives availability and limits."""

    __tablename__ = "partner_resources"
    __table_args__ = (Index("ix_partner_resources_unit_available", "unit_id", "available"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("partner_units.id", ondelete="CASCADE"))
    kind: Mapped[ResourceKind] = mapped_column(str_enum(ResourceKind, "resource_kind"))
    title: Mapped[str] = mapped_column(String(100))
    details: Mapped[str] = mapped_column(String(500), default="")
    quantity: Mapped[int | None] = mapped_column(Integer)
    available: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("residents.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def code(self) -> str:
        return f"S{self.id}"


class ProjectState(enum.StrEnum):
    PLANNED = "planned"
    ACTIVE = "active"
    DONE = "done"
    CANCELLED = "cancelled"


class Project(Base):
    """A project (`P{id}`) that meets needs with resources, led by a unit, in a grid or the
    whole community (`grid_id` None). Its tasks are volunteer activities (`project_tasks`);
    when done, `result` is published and residents of the scope rate it."""

    __tablename__ = "partner_projects"
    __table_args__ = (Index("ix_partner_projects_community_state", "community_id", "state"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grids.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(100))
    goal: Mapped[str] = mapped_column(String(500), default="")
    lead_unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("partner_units.id", ondelete="SET NULL"), index=True
    )
    state: Mapped[ProjectState] = mapped_column(
        str_enum(ProjectState, "project_state"), default=ProjectState.PLANNED
    )
    result: Mapped[str] = mapped_column(String(1000), default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("residents.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def code(self) -> str:
        return f"P{self.id}"


class ProjectNeed(Base):
    __tablename__ = "project_needs"
    __table_args__ = (UniqueConstraint("project_id", "need_id"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("partner_projects.id", ondelete="CASCADE"))
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)


class ProjectResource(Base):
    __tablename__ = "project_resources"
    __table_args__ = (UniqueConstraint("project_id", "resource_id"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("partner_projects.id", ondelete="CASCADE"))
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("partner_resources.id", ondelete="CASCADE"), index=True
    )


class ProjectTask(Base):
    """A task of a project: a volunteer activity (sign-up, check-in, hours and points)."""

    __tablename__ = "project_tasks"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("partner_projects.id", ondelete="CASCADE"), index=True
    )
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), unique=True
    )


class ProjectRating(Base):
    """A resident of the project's scope rates its published result, once."""

    __tablename__ = "project_ratings"
    __table_args__ = (
        UniqueConstraint("project_id", "resident_id"),
        CheckConstraint("stars >= 1 AND stars <= 5", name="stars_range"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("partner_projects.id", ondelete="CASCADE"))
    resident_id: Mapped[int] = mapped_column(
        ForeignKey("residents.id", ondelete="CASCADE"), index=True
    )
    stars: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PartnerEvent(Base):
    """Append-only history (database triggers forbid changes) of units, members, needs and
    projects: `subject` ("unit", "member", "need", "project") and its id, who (a bare id),
    what, from which state to which, a note (a project's progress post, a reason)."""

    __tablename__ = "partner_events"
    __table_args__ = (Index("ix_partner_events_subject", "subject", "subject_id"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(BigInteger)
    subject: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[int] = mapped_column(BigInteger)
    action: Mapped[str] = mapped_column(String(24))
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str | None] = mapped_column(String(24))
    note: Mapped[str] = mapped_column(String(1000), default="")


LIVE_ADOPTION = "released_at IS NULL"


class WishAdoption(Base):
    """A unit adopted a micro-wish (认领): `member_id` claimed it for the unit and fulfils
    it. One live adoption per wish (a partial unique index); `released_at` ends it."""

    __tablename__ = "wish_adoptions"
    __table_args__ = (
        Index(
            "uq_wish_adoptions_live_wish",
            "wish_id",
            unique=True,
            sqlite_where=text(LIVE_ADOPTION),
            postgresql_where=text(LIVE_ADOPTION),
        ),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    wish_id: Mapped[int] = mapped_column(ForeignKey("wishes.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(
        ForeignKey("partner_units.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("residents.id", ondelete="CASCADE"), index=True
    )
    adopted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class HazardState(enum.StrEnum):
    PENDING = "pending"  # the request is not accepted (or rejected) yet
    CREDITED = "credited"
    CAPPED = "capped"  # confirmed, but the reporter reached the month's limit
    UNCONFIRMED = "unconfirmed"  # rejected by the chief


class HazardReport(Base):
    """A snap-and-report (随手拍) by a mobile grid member: a request (category safety) in
    `complaint_id`; once a chief accepts it the reporter earns points, within a monthly
    limit (`state`, `points`, `settled_at` record the outcome)."""

    __tablename__ = "hazard_reports"
    __table_args__ = (Index("ix_hazard_reports_state", "state"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    complaint_id: Mapped[int] = mapped_column(
        ForeignKey("complaints.id", ondelete="CASCADE"), unique=True
    )
    reporter_id: Mapped[int] = mapped_column(
        ForeignKey("residents.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[HazardState] = mapped_column(
        str_enum(HazardState, "hazard_state"), default=HazardState.PENDING
    )
    points: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PartnerReport(Base):
    """The monthly report to a unit's contact: one row per (unit, month), claimed before
    sending so that a job running twice never sends twice."""

    __tablename__ = "partner_reports"
    __table_args__ = (UniqueConstraint("unit_id", "period"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("partner_units.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(7))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
