"""Invitations of 共驻共建: deep links (`/start unit_<token>`, `member_<token>`,
`mobile_<token>`) whose secret is stored as a SHA-256 hash. They expire; all but a unit's
members' link work once. An admin registers a unit with its contact's invitation; the
contact shares the members' link (each request still needs the contact's approval); a grid
chief invites a mobile grid member (services/hazards.py)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from linli.models import Resident
from linli.models.db import write_transaction
from linli.models.partners import (
    InviteKind,
    MemberState,
    MobileMember,
    MobileState,
    PartnerInvite,
    PartnerMember,
    PartnerUnit,
    UnitKind,
    UnitState,
)
from linli.services import audit
from linli.services.errors import InvalidState, PermissionDenied, StaleAction, ValidationFailed
from linli.services.partners import (
    ADDRESS_MAX,
    DEEP_LINK_PREFIX,
    NAME_MAX,
    TOKEN_BYTES,
    TOKEN_RE,
    UnitAction,
    admin_of,
    check_text,
    contact_of,
    event,
    get_unit,
    refuse_newcomer,
    require_admin,
    require_unit_action,
    standing,
    token_hash,
    verify,
)


@dataclass(frozen=True)
class Invitation:
    """A deep link's payload (`unit_…`, `member_…`, `mobile_…`), shown once, and when it
    stops working."""

    payload: str
    expires_at: datetime


async def new_invite(
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


async def revoke(session: AsyncSession, kind: InviteKind, unit_id: int, now: datetime) -> None:
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
    refuse_newcomer(resident)
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
        verify(me, unit.community_id, now)
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
    notify = [r for r in [await contact_of(session, unit)] if r is not None and r.id != me.id]
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
    verify(me, invite.community_id, now)
    await session.flush()
    await audit.record(session, me, "partner.mobile_accept", "mobile_member", mobile.id)
    return Accepted(invite.kind, me, mobile=mobile)


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
            invitation = await new_invite(
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
        if not await admin_of(session, admin, unit):
            raise PermissionDenied("error-outside-area")
        if unit.state == UnitState.LEFT:
            raise InvalidState("partner-error-unit-left", unit=unit.name)
        await revoke(session, InviteKind.CONTACT, unit.id, now)
        invitation = await new_invite(
            session, admin, InviteKind.CONTACT, unit.community_id, now, days, unit_id=unit.id
        )
        await audit.record(session, admin, "partner.contact_invite", "partner_unit", unit.id)
    return invitation


async def member_link(
    session: AsyncSession, actor: Resident | None, unit_id: int, now: datetime, days: int
) -> Invitation:
    """The unit's link for its members (the earlier one stops working)."""
    view = await require_unit_action(session, actor, unit_id, UnitAction.LINK)
    assert actor is not None
    async with write_transaction(session):
        await revoke(session, InviteKind.MEMBER, view.unit.id, now)
        invitation = await new_invite(
            session,
            actor,
            InviteKind.MEMBER,
            view.unit.community_id,
            now,
            days,
            unit_id=view.unit.id,
        )
    return invitation
