"""Sign-in to the web cockpit: a one-time link sent by the bot opens a browser session.

Only chiefs and admins get a link. A link works once, within WEB_LINK_MINUTES; the session
it opens lasts WEB_SESSION_HOURS. Both secrets are random (256 bits) and stored only as
SHA-256 hashes. A session remembers the role and area it was opened for and is checked
against the resident's current role and area on every request: a chief who was demoted or
moved is signed out at their next request.
"""

from __future__ import annotations

import enum
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from linli.models import Resident, Role
from linli.models.cockpit import CockpitLink, CockpitSession
from linli.models.db import write_transaction
from linli.services import audit
from linli.services.errors import PermissionDenied, StaleAction

TOKEN_BYTES = 32


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class Grant:
    """What a resident may see in the cockpit: their role and its area (the community,
    grid or building id)."""

    role: Role
    area_id: int | None


def grant_of(resident: Resident | None) -> Grant | None:
    """None for everyone who is not a verified chief or admin."""
    if resident is None or not resident.is_verified:
        return None
    if resident.role == Role.ADMIN:
        return Grant(Role.ADMIN, resident.community_id)
    if resident.role == Role.GRID_CHIEF and resident.chief_grid_id is not None:
        return Grant(Role.GRID_CHIEF, resident.chief_grid_id)
    if resident.role == Role.BUILDING_CHIEF and resident.chief_building_id is not None:
        return Grant(Role.BUILDING_CHIEF, resident.chief_building_id)
    return None


def require_grant(resident: Resident | None) -> Grant:
    grant = grant_of(resident)
    if grant is None:
        raise PermissionDenied("cockpit-error-role")
    return grant


async def create_link(session: AsyncSession, actor: Resident, now: datetime, minutes: int) -> str:
    """A new sign-in token for the actor (returned once, stored hashed). Expired links and
    sessions of everyone are cleared on the way."""
    require_grant(actor)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    async with write_transaction(session):
        await session.execute(delete(CockpitLink).where(CockpitLink.expires_at <= now))
        await session.execute(delete(CockpitSession).where(CockpitSession.expires_at <= now))
        session.add(
            CockpitLink(
                token_hash=token_hash(token),
                resident_id=actor.id,
                created_at=now,
                expires_at=now + timedelta(minutes=minutes),
            )
        )
        await audit.record(session, actor, "cockpit.link")
    return token


async def link_owner(session: AsyncSession, token: str, now: datetime) -> Resident | None:
    """Who a still-unused, unexpired link is for (read only: showing the sign-in page
    does not use the link up, so a link preview or a mail scanner cannot spend it)."""
    link = await session.scalar(
        select(CockpitLink).where(CockpitLink.token_hash == token_hash(token))
    )
    if link is None or link.used_at is not None or link.expires_at <= now:
        return None
    resident = await session.get(Resident, link.resident_id)
    return resident if grant_of(resident) is not None else None


async def sign_in(
    session: AsyncSession, token: str, now: datetime, hours: int
) -> tuple[str, Resident]:
    """Use the link up and open a session, in one transaction. Returns the session's
    secret (for the cookie) and the resident. A used, expired or unknown link raises
    StaleAction; a resident who is no longer a chief, PermissionDenied."""
    secret = secrets.token_urlsafe(TOKEN_BYTES)
    async with write_transaction(session):
        used = await session.execute(
            update(CockpitLink)
            .where(
                CockpitLink.token_hash == token_hash(token),
                CockpitLink.used_at.is_(None),
                CockpitLink.expires_at > now,
            )
            .values(used_at=now)
            .returning(CockpitLink.resident_id)
        )
        resident_id = used.scalar_one_or_none()
        if resident_id is None:
            raise StaleAction("cockpit-error-link")
        resident = await session.get(Resident, resident_id, populate_existing=True)
        grant = grant_of(resident)
        if resident is None or grant is None:
            raise PermissionDenied("cockpit-error-role")
        session.add(
            CockpitSession(
                token_hash=token_hash(secret),
                resident_id=resident.id,
                role=grant.role.value,
                area_id=grant.area_id,
                created_at=now,
                expires_at=now + timedelta(hours=hours),
            )
        )
        await audit.record(session, resident, "cockpit.sign_in")
    return secret, resident


class Ended(enum.StrEnum):
    """Why a cookie no longer opens the cockpit."""

    UNKNOWN = "unknown"  # never issued, forged, or signed out
    EXPIRED = "expired"
    ROLE_CHANGED = "role_changed"


@dataclass(frozen=True)
class Current:
    resident: Resident | None
    ended: Ended | None = None


async def current(session: AsyncSession, secret: str, now: datetime) -> Current:
    """The signed-in resident for a session cookie, checked against their current role
    and area. A session that expired or whose role or area changed is deleted."""
    row = await session.scalar(
        select(CockpitSession).where(CockpitSession.token_hash == token_hash(secret))
    )
    if row is None:
        return Current(None, Ended.UNKNOWN)
    resident = await session.get(Resident, row.resident_id, populate_existing=True)
    grant = grant_of(resident)
    ended: Ended | None = None
    if row.expires_at <= now:
        ended = Ended.EXPIRED
    elif grant is None or (grant.role.value, grant.area_id) != (row.role, row.area_id):
        ended = Ended.ROLE_CHANGED
    if ended is not None:
        await end(session, secret)
        return Current(None, ended)
    return Current(resident)


async def end(session: AsyncSession, secret: str) -> None:
    """Sign out (deletes the session; nothing happens for an unknown secret)."""
    async with write_transaction(session):
        await session.execute(
            delete(CockpitSession).where(CockpitSession.token_hash == token_hash(secret))
        )
