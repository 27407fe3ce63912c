"""Partner units and who someone is here (双报到): a person's partner standing (their live
membership of a unit, their registration as a mobile grid member), a unit's page and what
its reader may do on it, and the sections of the partner menu. Invitations are in
services/partner_invites.py, members in services/partner_members.py.

A partner member (or a mobile grid member, services/hazards.py) who does not live in the
community is a `Resident` without a building: verified once approved, so they can take tasks,
adopt wishes and earn points, and back to pending when their last standing ends.
`services.authz.role_rank` gives them no resident's standing: nothing meant for residents of
a building (votes, a building's wishes and requests) is theirs.

Authorization: admins manage the units of their community; a unit's contact manages only
their unit (members, link, resources); nobody approves themselves.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from linli.models import Resident, ResidentStatus, Role
from linli.models.partners import (
    InviteKind,
    MemberState,
    MobileMember,
    MobileState,
    PartnerEvent,
    PartnerMember,
    PartnerUnit,
    Resource,
    UnitState,
)
from linli.services.authz import require_role
from linli.services.errors import (
    InvalidState,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from linli.services.rewards import community_of

TOKEN_BYTES = 24
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
NAME_MAX = 100
ADDRESS_MAX = 200
LIVE = (MemberState.PENDING, MemberState.ACTIVE)
DEEP_LINK_PREFIX = {
    InviteKind.CONTACT: "unit",
    InviteKind.MEMBER: "member",
    InviteKind.MOBILE: "mobile",
}
"""`/start <prefix>_<token>`: which invitation a deep link carries."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def check_text(text: str | None, limit: int, *, empty_ok: bool = False) -> str:
    value = (text or "").strip()
    if (not value and not empty_ok) or len(value) > limit:
        raise ValidationFailed("partner-error-text-length", limit=str(limit))
    return value


def event(
    subject: str,
    subject_id: int,
    actor: Resident | None,
    action: str,
    old: str | None,
    new: str | None,
    now: datetime,
    note: str = "",
) -> PartnerEvent:
    """A row of the append-only history of units, members, needs and projects."""
    return PartnerEvent(
        at=now,
        actor_id=actor.id if actor is not None else None,
        subject=subject,
        subject_id=subject_id,
        action=action,
        from_status=old,
        to_status=new,
        note=note[:1000],
    )


# --- who someone is here ------------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """A person's partner roles: their live membership (and its unit) and their mobile grid
    member registration."""

    resident: Resident
    membership: PartnerMember | None = None
    unit: PartnerUnit | None = None
    mobile: MobileMember | None = None

    @property
    def is_member(self) -> bool:
        return (
            self.membership is not None
            and self.membership.state == MemberState.ACTIVE
            and self.resident.is_verified
        )

    @property
    def is_pending(self) -> bool:
        return self.membership is not None and self.membership.state == MemberState.PENDING

    @property
    def is_contact(self) -> bool:
        return (
            self.is_member
            and self.unit is not None
            and self.unit.contact_id == self.resident.id
            and self.unit.state == UnitState.ACTIVE
        )

    @property
    def is_mobile(self) -> bool:
        return self.mobile is not None and self.resident.is_verified

    @property
    def has_home(self) -> bool:
        """Lives in the community or holds a chief's role: the resident menus are theirs."""
        return self.resident.building_id is not None or self.resident.role != Role.RESIDENT

    @property
    def partner_only(self) -> bool:
        """A partner member, a pending one or a mobile grid member without a home here: their
        /start shows the partner menu."""
        return not self.has_home and (self.membership is not None or self.mobile is not None)


async def standing(session: AsyncSession, resident: Resident) -> Standing:
    member_id, mobile_id = (
        await session.execute(_STANDING_IDS, {"standing_resident": resident.id})
    ).one()
    row = None
    if member_id is not None:
        row = (
            await session.execute(
                select(PartnerMember, PartnerUnit)
                .join(PartnerUnit, PartnerUnit.id == PartnerMember.unit_id)
                .where(PartnerMember.id == member_id, PartnerMember.state.in_(LIVE))
                .execution_options(populate_existing=True)
            )
        ).first()
    mobile = None
    if mobile_id is not None:
        mobile = await session.scalar(
            select(MobileMember)
            .where(MobileMember.id == mobile_id, MobileMember.state == MobileState.ACTIVE)
            .execution_options(populate_existing=True)
        )
    return Standing(
        resident=resident,
        membership=row[0] if row else None,
        unit=row[1] if row else None,
        mobile=mobile,
    )


# Whether someone has a partner standing at all, in one statement: nearly everyone asked
# (every newcomer's /start passes `PartnerOnly`) has none, and then nothing is loaded.
_STANDING_IDS = select(
    select(PartnerMember.id)
    .where(
        PartnerMember.resident_id == bindparam("standing_resident"),
        PartnerMember.state.in_(LIVE),
    )
    .scalar_subquery(),
    select(MobileMember.id)
    .where(
        MobileMember.resident_id == bindparam("standing_resident"),
        MobileMember.state == MobileState.ACTIVE,
    )
    .scalar_subquery(),
)


async def require_member(session: AsyncSession, resident: Resident | None) -> Standing:
    """The standing of an active partner member; else PermissionDenied."""
    if resident is None:
        raise PermissionDenied("partner-error-not-member")
    found = await standing(session, resident)
    if not found.is_member:
        raise PermissionDenied("partner-error-not-member")
    return found


def verify(resident: Resident, community_id: int, now: datetime) -> None:
    """Someone without a home here becomes verified by their partner standing."""
    if resident.status == ResidentStatus.PENDING and resident.building_id is None:
        resident.status = ResidentStatus.VERIFIED
        resident.verified_at = resident.verified_at or now
    if resident.community_id is None:
        resident.community_id = community_id


async def release_standing(session: AsyncSession, resident: Resident) -> None:
    """Back to pending when the last partner standing of someone without a home ended (inside
    the caller's transaction)."""
    if resident.building_id is not None or resident.role != Role.RESIDENT:
        return
    if resident.status != ResidentStatus.VERIFIED:
        return
    await session.flush()
    left = await standing(session, resident)
    if left.membership is None and left.mobile is None:
        resident.status = ResidentStatus.PENDING


def refuse_newcomer(resident: Resident) -> None:
    if resident.status == ResidentStatus.BLOCKED or resident.is_deleted:
        raise PermissionDenied("error-blocked")
    if resident.status == ResidentStatus.PENDING and resident.building_id is not None:
        raise InvalidState("partner-error-pending-application")


# --- units ---------------------------------------------------------------------------------------


async def get_unit(session: AsyncSession, unit_id: int) -> PartnerUnit:
    unit = await session.get(PartnerUnit, unit_id, populate_existing=True)
    if unit is None:
        raise NotFound("partner-error-unit-not-found", code=f"U{unit_id}")
    return unit


async def admin_of(session: AsyncSession, actor: Resident | None, unit: PartnerUnit) -> bool:
    if actor is None or not actor.is_admin:
        return False
    return await community_of(session, actor) == unit.community_id


async def require_admin(session: AsyncSession, actor: Resident | None) -> tuple[Resident, int]:
    """An admin and their community."""
    admin = require_role(actor, Role.ADMIN)
    return admin, await community_of(session, admin)


class UnitAction(StrEnum):
    """What someone may do on a unit's page (the values are the buttons' actions)."""

    MEMBERS = "members"
    LINK = "link"
    RESOURCES = "resources"
    INVITE = "invite"  # a new invitation for the contact
    LEAVE = "leave"  # a member leaves the unit
    END = "end"  # the unit leaves the community


def unit_actions(unit: PartnerUnit, admin: bool, mine: Standing) -> list[UnitAction]:
    manager = admin or (mine.is_contact and mine.unit is not None and mine.unit.id == unit.id)
    own = mine.membership is not None and mine.membership.unit_id == unit.id
    actions: list[UnitAction] = []
    if unit.state == UnitState.LEFT:
        return actions
    if manager:
        actions += [UnitAction.MEMBERS, UnitAction.RESOURCES]
        if unit.state == UnitState.ACTIVE:
            actions.append(UnitAction.LINK)
    elif own and mine.is_member:
        actions.append(UnitAction.RESOURCES)
    if admin:
        actions.append(UnitAction.INVITE)
    if own and not mine.is_contact:
        actions.append(UnitAction.LEAVE)
    if manager:
        actions.append(UnitAction.END)
    return actions


@dataclass(frozen=True)
class UnitView:
    unit: PartnerUnit
    contact: Resident | None
    members: int
    pending: int
    resources: int
    actions: list[UnitAction]
    admin: bool
    manager: bool
    """An admin of its community or its contact: manages its members and resources."""


async def unit_view(session: AsyncSession, actor: Resident | None, unit_id: int) -> UnitView:
    """A unit's page, for the admins of its community and its own members."""
    if actor is None:
        raise PermissionDenied("partner-error-not-member")
    unit = await get_unit(session, unit_id)
    admin = await admin_of(session, actor, unit)
    mine = await standing(session, actor)
    if not admin and (mine.membership is None or mine.membership.unit_id != unit.id):
        raise PermissionDenied("partner-error-not-your-unit")
    counts = dict(
        (
            await session.execute(
                select(PartnerMember.state, func.count())
                .where(PartnerMember.unit_id == unit.id)
                .group_by(PartnerMember.state)
            )
        ).all()
    )
    resources = await session.scalar(
        select(func.count())
        .select_from(Resource)
        .where(Resource.unit_id == unit.id, Resource.available)
    )
    return UnitView(
        unit=unit,
        contact=await contact_of(session, unit),
        members=int(counts.get(MemberState.ACTIVE, 0)),
        pending=int(counts.get(MemberState.PENDING, 0)),
        resources=int(resources or 0),
        actions=unit_actions(unit, admin, mine),
        admin=admin,
        manager=admin or (mine.is_contact and mine.unit is not None and mine.unit.id == unit.id),
    )


async def require_manager(session: AsyncSession, actor: Resident | None, unit_id: int) -> UnitView:
    """The unit's page when `actor` manages the unit (its contact, an admin) and it has not
    left; else why not."""
    view = await unit_view(session, actor, unit_id)
    if view.unit.state == UnitState.LEFT:
        raise InvalidState("partner-error-unit-left", unit=view.unit.name)
    if not view.manager:
        raise PermissionDenied("partner-error-not-manager")
    return view


async def require_unit_action(
    session: AsyncSession, actor: Resident | None, unit_id: int, action: UnitAction
) -> UnitView:
    """The unit's page when `actor` may take `action` on it now; else why not."""
    view = await unit_view(session, actor, unit_id)
    if action not in view.actions:
        if view.unit.state == UnitState.LEFT:
            raise InvalidState("partner-error-unit-left", unit=view.unit.name)
        raise PermissionDenied("partner-error-not-manager")
    return view


async def list_units(session: AsyncSession, actor: Resident | None) -> list[PartnerUnit]:
    """The units of the admin's community, those still with the community first."""
    _admin, community_id = await require_admin(session, actor)
    rows = await session.scalars(
        select(PartnerUnit)
        .where(PartnerUnit.community_id == community_id)
        .order_by(PartnerUnit.state == UnitState.LEFT, PartnerUnit.id)
    )
    return list(rows.all())


async def active_units(session: AsyncSession, community_id: int) -> list[PartnerUnit]:
    rows = await session.scalars(
        select(PartnerUnit)
        .where(PartnerUnit.community_id == community_id, PartnerUnit.state == UnitState.ACTIVE)
        .order_by(PartnerUnit.id)
    )
    return list(rows.all())


async def contact_of(session: AsyncSession, unit: PartnerUnit) -> Resident | None:
    if unit.contact_id is None:
        return None
    return await session.get(Resident, unit.contact_id)


# --- the partner menu ----------------------------------------------------------------------------


class Section(StrEnum):
    """A button of the partner menu (the values are the buttons' views)."""

    UNIT = "unit"  # my unit's page
    TASKS = "tasks"  # the tasks of projects open to members
    HOURS = "hours"  # my hours and points
    ADOPT = "adopt"  # micro-wishes the unit may adopt
    SNAP = "snap"  # snap-and-report a hazard
    NEEDS = "needs"
    PROJECTS = "projects"
    UNITS = "units"  # admins: the partner units
    MOBILE = "mobile"  # grid chiefs and admins: the mobile grid members


def sections(mine: Standing) -> list[Section]:
    """The partner menu's buttons for someone: what their standing opens to them."""
    resident = mine.resident
    out: list[Section] = []
    if mine.is_member:
        out += [Section.UNIT, Section.TASKS, Section.HOURS, Section.ADOPT]
    elif mine.is_pending:
        out.append(Section.UNIT)
    if mine.is_mobile:
        out.append(Section.SNAP)
    if mine.is_member or (resident.is_verified and mine.has_home):
        out += [Section.NEEDS, Section.PROJECTS]
    if resident.is_admin:
        out.append(Section.UNITS)
    if resident.is_verified and resident.role in (Role.GRID_CHIEF, Role.ADMIN):
        out.append(Section.MOBILE)
    return out


async def require_section(
    session: AsyncSession, resident: Resident | None, section: Section
) -> Standing:
    """The person's standing when the partner menu's `section` is theirs."""
    if resident is None:
        raise PermissionDenied("partner-error-not-member")
    mine = await standing(session, resident)
    if section not in sections(mine):
        raise PermissionDenied("partner-error-not-member")
    return mine
