"""Partner units and their members (双报到): an admin registers a unit and invites its
contact; the contact shares the unit's link and approves who joins; members may leave, units
may leave. Invitations are deep links whose secret is stored as a SHA-256 hash; they expire,
and all but the unit's members' link work once.

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
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from linli.models import Resident, ResidentStatus, Role
from linli.models.db import write_transaction
from linli.models.partners import (
    InviteKind,
    MemberState,
    MobileMember,
    MobileState,
    PartnerEvent,
    PartnerInvite,
    PartnerMember,
    PartnerUnit,
    ProjectTask,
    Resource,
    UnitKind,
    UnitState,
    WishAdoption,
)
from linli.models.points import Activity, ActivitySignup, ActivityState, SignupStatus
from linli.models.wishes import Wish, WishStatus
from linli.services import activities, audit, wishes
from linli.services.authz import require_role
from linli.services.errors import (
    InvalidState,
    NotFound,
    PermissionDenied,
    StaleAction,
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
    row = (
        await session.execute(
            select(PartnerMember, PartnerUnit)
            .join(PartnerUnit, PartnerUnit.id == PartnerMember.unit_id)
            .where(PartnerMember.resident_id == resident.id, PartnerMember.state.in_(LIVE))
            .execution_options(populate_existing=True)
        )
    ).first()
    mobile = await session.scalar(
        select(MobileMember)
        .where(MobileMember.resident_id == resident.id, MobileMember.state == MobileState.ACTIVE)
        .execution_options(populate_existing=True)
    )
    return Standing(
        resident=resident,
        membership=row[0] if row else None,
        unit=row[1] if row else None,
        mobile=mobile,
    )


async def require_member(session: AsyncSession, resident: Resident | None) -> Standing:
    """The standing of an active partner member; else PermissionDenied."""
    if resident is None:
        raise PermissionDenied("partner-error-not-member")
    found = await standing(session, resident)
    if not found.is_member:
        raise PermissionDenied("partner-error-not-member")
    return found


def _verify(resident: Resident, community_id: int, now: datetime) -> None:
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


def _refuse_newcomer(resident: Resident) -> None:
    if resident.status == ResidentStatus.BLOCKED or resident.is_deleted:
        raise PermissionDenied("error-blocked")
    if resident.status == ResidentStatus.PENDING and resident.building_id is not None:
        raise InvalidState("partner-error-pending-application")


# --- invitations ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Invitation:
    """A deep link's payload (`unit_…`, `member_…`, `mobile_…`), shown once, and when it
    stops working."""

    payload: str
    expires_at: datetime


async def _new_invite(
    session: AsyncSession,
    actor: Resident,
    kind: InviteKind,
    community_id: int,
    now: datetime,
    days: int,
    **fields: object,
) -> Invitation:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    expires = now + timedelta(days=days)
    session.add(
        PartnerInvite(
            kind=kind,
            token_hash=token_hash(token),
            community_id=community_id,
            created_by_id=actor.id,
            created_at=now,
            expires_at=expires,
            **fields,
        )
    )
    await session.flush()
    return Invitation(f"{DEEP_LINK_PREFIX[kind]}_{token}", expires)


async def _revoke(session: AsyncSession, kind: InviteKind, unit_id: int, now: datetime) -> None:
    await session.execute(
        update(PartnerInvite)
        .where(
            PartnerInvite.kind == kind,
            PartnerInvite.unit_id == unit_id,
            PartnerInvite.used_at.is_(None),
            PartnerInvite.revoked_at.is_(None),
        )
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )


async def _take_invite(
    session: AsyncSession, kind: InviteKind, token: str, now: datetime
) -> PartnerInvite:
    """The invitation a token opens, locked for this transaction; StaleAction when it is
    unknown, used, replaced or expired (one message for all: nothing to guess from)."""
    if not TOKEN_RE.match(token):
        raise StaleAction("partner-error-invite-invalid")
    invite = await session.scalar(
        select(PartnerInvite)
        .where(PartnerInvite.token_hash == token_hash(token), PartnerInvite.kind == kind)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if (
        invite is None
        or invite.revoked_at is not None
        or invite.expires_at <= now
        or (invite.used_at is not None and kind != InviteKind.MEMBER)
    ):
        raise StaleAction("partner-error-invite-invalid")
    return invite


@dataclass(frozen=True)
class Accepted:
    """What opening an invitation did: `unit` joined (contact, member) or the mobile grid
    member registration; `notify` are the people to tell (a contact asked to approve)."""

    kind: InviteKind
    resident: Resident
    unit: PartnerUnit | None = None
    membership: PartnerMember | None = None
    mobile: MobileMember | None = None
    notify: list[Resident] = field(default_factory=list)


async def accept(
    session: AsyncSession, resident: Resident, kind: InviteKind, token: str, now: datetime
) -> Accepted:
    """Open an invitation: a unit's contact takes the unit over, a member asks to join (the
    contact approves), a mobile grid member is registered for the grid."""
    _refuse_newcomer(resident)
    try:
        async with write_transaction(session):
            invite = await _take_invite(session, kind, token, now)
            me = await session.get(Resident, resident.id, populate_existing=True)
            assert me is not None
            if kind == InviteKind.MOBILE:
                result = await _accept_mobile(session, me, invite, now)
            else:
                result = await _accept_unit(session, me, invite, now)
    except IntegrityError:  # a second live membership or registration at the same moment
        raise InvalidState("partner-error-already") from None
    await session.refresh(resident)
    return result


async def _accept_unit(
    session: AsyncSession, me: Resident, invite: PartnerInvite, now: datetime
) -> Accepted:
    assert invite.unit_id is not None
    unit = await session.get(PartnerUnit, invite.unit_id, populate_existing=True)
    if unit is None or unit.state == UnitState.LEFT:
        raise StaleAction("partner-error-invite-invalid")
    if invite.kind == InviteKind.MEMBER and unit.state != UnitState.ACTIVE:
        raise StaleAction("partner-error-invite-invalid")
    mine = await standing(session, me)
    if mine.membership is not None and mine.membership.unit_id != unit.id:
        raise InvalidState("partner-error-other-unit", unit=mine.unit.name if mine.unit else "-")
    membership = mine.membership
    if invite.kind == InviteKind.CONTACT:
        invite.used_at, invite.used_by_id = now, me.id
        old = unit.state.value
        unit.contact_id = me.id
        unit.state = UnitState.ACTIVE
        unit.joined_at = unit.joined_at or now
        if membership is None:
            membership = PartnerMember(
                unit_id=unit.id, resident_id=me.id, state=MemberState.ACTIVE, created_at=now
            )
            session.add(membership)
        membership.state = MemberState.ACTIVE
        membership.approved_at = now
        _verify(me, unit.community_id, now)
        await session.flush()
        session.add(event("unit", unit.id, me, "contact", old, unit.state.value, now))
        await audit.record(session, me, "partner.contact_accept", "partner_unit", unit.id)
        return Accepted(invite.kind, me, unit, membership)
    if membership is not None:
        raise InvalidState("partner-error-already")
    membership = PartnerMember(
        unit_id=unit.id, resident_id=me.id, state=MemberState.PENDING, created_at=now
    )
    session.add(membership)
    await session.flush()
    session.add(event("member", membership.id, me, "asked", None, MemberState.PENDING, now))
    notify = [r for r in [await _contact(session, unit)] if r is not None and r.id != me.id]
    return Accepted(invite.kind, me, unit, membership, notify=notify)


async def _accept_mobile(
    session: AsyncSession, me: Resident, invite: PartnerInvite, now: datetime
) -> Accepted:
    mine = await standing(session, me)
    if mine.mobile is not None:
        raise InvalidState("partner-error-already")
    invite.used_at, invite.used_by_id = now, me.id
    mobile = MobileMember(
        resident_id=me.id,
        community_id=invite.community_id,
        grid_id=invite.grid_id,
        kind=invite.mobile_kind,
        state=MobileState.ACTIVE,
        registered_by_id=invite.created_by_id,
        created_at=now,
    )
    session.add(mobile)
    _verify(me, invite.community_id, now)
    await session.flush()
    await audit.record(session, me, "partner.mobile_accept", "mobile_member", mobile.id)
    return Accepted(invite.kind, me, mobile=mobile)


async def _contact(session: AsyncSession, unit: PartnerUnit) -> Resident | None:
    if unit.contact_id is None:
        return None
    return await session.get(Resident, unit.contact_id)


# --- units ---------------------------------------------------------------------------------------


async def get_unit(session: AsyncSession, unit_id: int) -> PartnerUnit:
    unit = await session.get(PartnerUnit, unit_id, populate_existing=True)
    if unit is None:
        raise NotFound("partner-error-unit-not-found", code=f"U{unit_id}")
    return unit


async def _admin_of(session: AsyncSession, actor: Resident | None, unit: PartnerUnit) -> bool:
    if actor is None or not actor.is_admin:
        return False
    return await community_of(session, actor) == unit.community_id


async def require_admin(session: AsyncSession, actor: Resident | None) -> tuple[Resident, int]:
    """An admin and their community."""
    admin = require_role(actor, Role.ADMIN)
    return admin, await community_of(session, admin)


async def register_unit(
    session: AsyncSession,
    actor: Resident | None,
    *,
    name: str,
    kind: str,
    address: str,
    contact_name: str,
    now: datetime,
    days: int,
) -> tuple[PartnerUnit, Invitation]:
    """An admin registers a unit and gets the invitation for its contact."""
    admin, community_id = await require_admin(session, actor)
    name = check_text(name, NAME_MAX)
    address = check_text(address, ADDRESS_MAX, empty_ok=True)
    contact_name = check_text(contact_name, NAME_MAX)
    try:
        unit_kind = UnitKind(kind)
    except ValueError:
        raise ValidationFailed() from None
    try:
        async with write_transaction(session):
            unit = PartnerUnit(
                community_id=community_id,
                name=name,
                kind=unit_kind,
                address=address,
                contact_name=contact_name,
                state=UnitState.INVITED,
                created_by_id=admin.id,
                created_at=now,
            )
            session.add(unit)
            await session.flush()
            session.add(event("unit", unit.id, admin, "registered", None, unit.state.value, now))
            invitation = await _new_invite(
                session, admin, InviteKind.CONTACT, community_id, now, days, unit_id=unit.id
            )
            await audit.record(session, admin, "partner.unit_register", "partner_unit", unit.id)
    except IntegrityError:
        raise ValidationFailed("partner-error-unit-exists", name=name) from None
    return unit, invitation


async def invite_contact(
    session: AsyncSession, actor: Resident | None, unit_id: int, now: datetime, days: int
) -> Invitation:
    """A new invitation for a unit's contact (the earlier unused ones stop working); whoever
    opens it becomes the contact."""
    admin, _community = await require_admin(session, actor)
    async with write_transaction(session):
        unit = await get_unit(session, unit_id)
        if not await _admin_of(session, admin, unit):
            raise PermissionDenied("error-outside-area")
        if unit.state == UnitState.LEFT:
            raise InvalidState("partner-error-unit-left", unit=unit.name)
        await _revoke(session, InviteKind.CONTACT, unit.id, now)
        invitation = await _new_invite(
            session, admin, InviteKind.CONTACT, unit.community_id, now, days, unit_id=unit.id
        )
        await audit.record(session, admin, "partner.contact_invite", "partner_unit", unit.id)
    return invitation


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


async def unit_view(session: AsyncSession, actor: Resident | None, unit_id: int) -> UnitView:
    """A unit's page, for the admins of its community and its own members."""
    if actor is None:
        raise PermissionDenied("partner-error-not-member")
    unit = await get_unit(session, unit_id)
    admin = await _admin_of(session, actor, unit)
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
        contact=await _contact(session, unit),
        members=int(counts.get(MemberState.ACTIVE, 0)),
        pending=int(counts.get(MemberState.PENDING, 0)),
        resources=int(resources or 0),
        actions=unit_actions(unit, admin, mine),
        admin=admin,
    )


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


# --- members -------------------------------------------------------------------------------------


async def member_link(
    session: AsyncSession, actor: Resident | None, unit_id: int, now: datetime, days: int
) -> Invitation:
    """The unit's link for its members (the earlier one stops working)."""
    view = await require_unit_action(session, actor, unit_id, UnitAction.LINK)
    assert actor is not None
    async with write_transaction(session):
        await _revoke(session, InviteKind.MEMBER, view.unit.id, now)
        invitation = await _new_invite(
            session,
            actor,
            InviteKind.MEMBER,
            view.unit.community_id,
            now,
            days,
            unit_id=view.unit.id,
        )
    return invitation


@dataclass(frozen=True)
class MemberRow:
    member: PartnerMember
    resident: Resident


async def members(
    session: AsyncSession, actor: Resident | None, unit_id: int
) -> tuple[UnitView, list[MemberRow]]:
    """The unit's pending and active members (pending first), for its contact or an admin.
    Whether someone is a party member in service is for admins only (`UnitView.admin`)."""
    view = await require_unit_action(session, actor, unit_id, UnitAction.MEMBERS)
    rows = await session.execute(
        select(PartnerMember, Resident)
        .join(Resident, Resident.id == PartnerMember.resident_id)
        .where(PartnerMember.unit_id == unit_id, PartnerMember.state.in_(LIVE))
        .order_by(PartnerMember.state != MemberState.PENDING, PartnerMember.id)
    )
    return view, [MemberRow(m, r) for m, r in rows.all()]


async def _member(session: AsyncSession, member_id: int) -> tuple[PartnerMember, Resident]:
    row = (
        await session.execute(
            select(PartnerMember, Resident)
            .join(Resident, Resident.id == PartnerMember.resident_id)
            .where(PartnerMember.id == member_id)
            .execution_options(populate_existing=True)
        )
    ).first()
    if row is None:
        raise StaleAction()
    return row[0], row[1]


@dataclass(frozen=True)
class MemberView:
    member: PartnerMember
    resident: Resident
    admin: bool
    """Whether the reader is an admin (who alone sees the party-member registration)."""


async def member_view(session: AsyncSession, actor: Resident | None, member_id: int) -> MemberView:
    """A member of a unit, for its contact or an admin."""
    member, person = await _member(session, member_id)
    view = await require_unit_action(session, actor, member.unit_id, UnitAction.MEMBERS)
    if member.state not in LIVE:
        raise StaleAction("error-already-handled")
    return MemberView(member, person, view.admin)


@dataclass(frozen=True)
class Reviewed:
    member: PartnerMember
    resident: Resident
    unit: PartnerUnit
    approved: bool


async def review(
    session: AsyncSession, actor: Resident | None, member_id: int, approve: bool, now: datetime
) -> Reviewed:
    """The contact (or an admin) approves or turns down someone who opened the unit's link;
    never themselves."""
    async with write_transaction(session):
        member, person = await _member(session, member_id)
        view = await require_unit_action(session, actor, member.unit_id, UnitAction.MEMBERS)
        assert actor is not None
        if person.id == actor.id:
            raise PermissionDenied("partner-error-self")
        if member.state != MemberState.PENDING:
            raise StaleAction("error-already-handled")
        if approve and view.unit.state != UnitState.ACTIVE:
            raise InvalidState("partner-error-unit-left", unit=view.unit.name)
        new = MemberState.ACTIVE if approve else MemberState.REJECTED
        member.state = new
        member.approved_at = now if approve else None
        member.approved_by_id = actor.id
        if approve:
            _refuse_newcomer(person)
            _verify(person, view.unit.community_id, now)
        session.add(
            event(
                "member",
                member.id,
                actor,
                "approved" if approve else "rejected",
                MemberState.PENDING,
                new,
                now,
            )
        )
        await audit.record(
            session,
            actor,
            "partner.member_" + ("approve" if approve else "reject"),
            "resident",
            person.id,
            unit_id=view.unit.id,
        )
    await session.refresh(person)
    return Reviewed(member, person, view.unit, approve)


async def set_party_member(session: AsyncSession, actor: Resident | None, value: bool) -> None:
    """A member says whether they are a party member in service (在职党员); admins only see
    it."""
    if actor is None:
        raise PermissionDenied("partner-error-not-member")
    async with write_transaction(session):
        mine = await standing(session, actor)
        if mine.membership is None:
            raise PermissionDenied("partner-error-not-member")
        mine.membership.party_member = value


@dataclass(frozen=True)
class Left:
    """A membership ended: who, of which unit, who moved up at the tasks they left and which
    adopted wishes went back to the pool."""

    resident: Resident
    unit: PartnerUnit
    promoted: list[tuple[Resident, Activity]]
    released: list[Wish]


async def _end_membership(
    session: AsyncSession,
    member: PartnerMember,
    person: Resident,
    unit: PartnerUnit,
    actor: Resident | None,
    action: str,
    now: datetime,
) -> Left:
    """Inside the caller's transaction: the membership ends, the wishes the person adopted
    for the unit go back to the pool, their seats at upcoming project tasks go to the
    waiting list, and someone without a home here is back to pending."""
    old = member.state
    promoted: list[tuple[Resident, Activity]] = []
    released: list[Wish] = []
    if old == MemberState.ACTIVE and person.is_verified:
        adoptions = await session.scalars(
            select(WishAdoption).where(
                WishAdoption.member_id == person.id,
                WishAdoption.unit_id == unit.id,
                WishAdoption.released_at.is_(None),
            )
        )
        for adoption in adoptions.all():
            adoption.released_at = now
            wish = await session.get(Wish, adoption.wish_id, populate_existing=True)
            claimed = wish is not None and wish.status == WishStatus.CLAIMED
            if claimed and wish is not None and wish.claimer_id == person.id:
                released.append(await wishes.release(session, person, wish.id, now))
        tasks = await session.scalars(
            select(ActivitySignup.activity_id)
            .join(Activity, Activity.id == ActivitySignup.activity_id)
            .join(ProjectTask, ProjectTask.activity_id == Activity.id)
            .where(
                ActivitySignup.resident_id == person.id,
                ActivitySignup.status.in_((SignupStatus.GOING, SignupStatus.WAITING)),
                Activity.state == ActivityState.OPEN,
                Activity.starts_at > now,
            )
        )
        for activity_id in tasks.all():
            moved_up = await activities.cancel_signup(session, person, activity_id, now=now)
            if moved_up is not None:
                activity = await session.get(Activity, activity_id)
                assert activity is not None
                promoted.append((moved_up, activity))
    member.state = MemberState.LEFT
    member.left_at = now
    session.add(event("member", member.id, actor, action, old, MemberState.LEFT, now))
    await release_standing(session, person)
    return Left(person, unit, promoted, released)


async def leave(session: AsyncSession, actor: Resident | None, now: datetime) -> Left:
    """A member leaves their unit (or withdraws their request to join). The contact hands
    the unit over first (an admin invites a new contact) or ends it."""
    if actor is None:
        raise PermissionDenied("partner-error-not-member")
    async with write_transaction(session):
        me = await session.get(Resident, actor.id, populate_existing=True)
        assert me is not None
        mine = await standing(session, me)
        if mine.membership is None or mine.unit is None:
            raise StaleAction("partner-error-not-member")
        if mine.unit.contact_id == me.id and mine.unit.state != UnitState.LEFT:
            raise InvalidState("partner-error-contact-leaves")
        left = await _end_membership(session, mine.membership, me, mine.unit, me, "left", now)
    await session.refresh(actor)
    return left


async def remove_member(
    session: AsyncSession, actor: Resident | None, member_id: int, now: datetime
) -> Left:
    """The contact (or an admin) takes someone off the unit (not the contact)."""
    async with write_transaction(session):
        member, person = await _member(session, member_id)
        view = await require_unit_action(session, actor, member.unit_id, UnitAction.MEMBERS)
        if member.state not in LIVE:
            raise StaleAction("error-already-handled")
        if person.id == view.unit.contact_id:
            raise PermissionDenied("partner-error-self")
        left = await _end_membership(session, member, person, view.unit, actor, "removed", now)
        await audit.record(
            session, actor, "partner.member_remove", "resident", person.id, unit_id=view.unit.id
        )
    return left


async def end_unit(
    session: AsyncSession, actor: Resident | None, unit_id: int, now: datetime
) -> list[Left]:
    """A unit leaves the community (its contact or an admin): every membership ends, its
    resources are withdrawn, its links stop working. Its history and reports stay."""
    async with write_transaction(session):
        view = await require_unit_action(session, actor, unit_id, UnitAction.END)
        unit = view.unit
        old = unit.state
        unit.state = UnitState.LEFT
        unit.left_at = now
        ended: list[Left] = []
        rows = await session.execute(
            select(PartnerMember, Resident)
            .join(Resident, Resident.id == PartnerMember.resident_id)
            .where(PartnerMember.unit_id == unit.id, PartnerMember.state.in_(LIVE))
            .execution_options(populate_existing=True)
        )
        for member, person in rows.all():
            ended.append(
                await _end_membership(session, member, person, unit, actor, "unit_left", now)
            )
        await session.execute(
            update(Resource)
            .where(Resource.unit_id == unit.id)
            .values(available=False, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        for kind in (InviteKind.CONTACT, InviteKind.MEMBER):
            await _revoke(session, kind, unit.id, now)
        session.add(event("unit", unit.id, actor, "left", old.value, UnitState.LEFT, now))
        await audit.record(session, actor, "partner.unit_end", "partner_unit", unit.id)
    return ended


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
