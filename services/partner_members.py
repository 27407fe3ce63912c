"""A partner unit's members: the contact's list, approving or turning down someone who
opened the members' link (never oneself), a member's party-member registration (admins only
see it), taking a member off, a member leaving, a unit leaving the community. When a
membership ends, the wishes the member adopted for the unit go back to the pool and their
seats at upcoming project tasks go to the waiting list, in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from linli.models import Resident
from linli.models.db import write_transaction
from linli.models.partners import (
    InviteKind,
    MemberState,
    PartnerMember,
    PartnerUnit,
    ProjectTask,
    Resource,
    UnitState,
    WishAdoption,
)
from linli.models.points import Activity, ActivitySignup, ActivityState, SignupStatus
from linli.models.wishes import Wish, WishStatus
from linli.services import activities, audit, wishes
from linli.services.errors import InvalidState, PermissionDenied, StaleAction
from linli.services.partner_invites import revoke
from linli.services.partners import (
    LIVE,
    UnitAction,
    UnitView,
    event,
    refuse_newcomer,
    release_standing,
    require_unit_action,
    standing,
    verify,
)


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
            refuse_newcomer(person)
            verify(person, view.unit.community_id, now)
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
            await revoke(session, kind, unit.id, now)
        session.add(event("unit", unit.id, actor, "left", old.value, UnitState.LEFT, now))
        await audit.record(session, actor, "partner.unit_end", "partner_unit", unit.id)
    return ended
