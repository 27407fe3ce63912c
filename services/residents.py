"""Residents: first contact, applying to a building, approval, roles and language."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, inspect, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from linli.models import Building, Community, Grid, Resident, ResidentStatus, Role, utcnow
from linli.models.db import write_transaction
from linli.services import audit, handover, structure
from linli.services.authz import manages_building, require_role
from linli.services.errors import (
    InvalidState,
    NotFound,
    PermissionDenied,
    StaleAction,
    ValidationFailed,
)
from linli.services.parsing import parse_int

LANGUAGES = ("zh", "en")
MAX_TELEGRAM_ID = 2**53
MAX_CANDIDATES = 10
"""At most this many residents are listed when an @username matches several."""


@dataclass(frozen=True)
class TelegramProfile:
    telegram_id: int
    display_name: str
    username: str | None


@dataclass(frozen=True)
class Application:
    """A resident asked to join `building`; `approvers` are the chiefs to ask."""

    building: Building
    grid: Grid
    approvers: list[Resident]


@dataclass(frozen=True)
class Decision:
    """A chief approved or rejected `resident`'s application to `building`."""

    resident: Resident
    building: Building
    grid: Grid
    approved: bool


async def get_by_telegram_id(session: AsyncSession, telegram_id: int) -> Resident | None:
    return await session.scalar(select(Resident).where(Resident.telegram_id == telegram_id))


async def get(session: AsyncSession, resident_id: int) -> Resident:
    resident = await session.get(Resident, resident_id)
    if resident is None:
        raise NotFound()
    return resident


async def load(
    session: AsyncSession,
    profile: TelegramProfile,
    *,
    create: bool,
    admin_ids: Iterable[int] = (),
    absent: bool = False,
) -> Resident | None:
    """The resident for a Telegram user, created on first private contact.

    Users listed in ADMIN_IDS are made verified community admins. Name changes are kept, and
    the first private contact (`create`) is recorded. Writes happen only when something
    changed, so the common case is one SELECT. `absent`: the caller has just read that there
    is no row (it is looked up again in the write transaction).
    """
    resident = None if absent else await get_by_telegram_id(session, profile.telegram_id)
    is_admin = profile.telegram_id in set(admin_ids)
    if not needs_write(resident, profile, create=create, is_admin=is_admin):
        return resident
    # A row read in the write transaction comes with its joined rows; a new row (no building,
    # no area) has none to load; only an admin from the configuration is read again.
    refresh = False
    try:
        async with write_transaction(session):
            resident = await get_by_telegram_id(session, profile.telegram_id)
            if resident is None:
                resident = _new_resident(profile.telegram_id)
                session.add(resident)
            resident.display_name = profile.display_name[:200]
            resident.username = profile.username
            if create and resident.private_chat_at is None:
                resident.private_chat_at = utcnow()
            if is_admin and not resident.is_admin:
                refresh = True
                resident.role = Role.ADMIN
                resident.chief_grid_id = resident.chief_building_id = None
                resident.status = ResidentStatus.VERIFIED
                resident.verified_at = utcnow()
                if resident.community_id is None:
                    communities = await structure.list_communities(session)
                    if len(communities) == 1:
                        resident.community_id = communities[0].id
                await audit.record(
                    session, None, "resident.admin_from_config", "resident", resident.id
                )
    except IntegrityError:
        # Another update of the same user created the row first.
        resident = await get_by_telegram_id(session, profile.telegram_id)
        refresh = True
    if resident is not None and (refresh or inspect(resident).unloaded):
        await session.refresh(resident)
    return resident


def _new_resident(telegram_id: int) -> Resident:
    """A new row whose every attribute is known once inserted (no SELECT to read it back):
    the columns without a default are NULL, and so the joined rows are none."""
    resident = Resident(telegram_id=telegram_id)
    for attr in inspect(Resident).column_attrs:
        column = attr.columns[0]
        unset = attr.key not in resident.__dict__ and not column.primary_key
        if unset and column.default is None and column.server_default is None:
            setattr(resident, attr.key, None)
    for relationship in inspect(Resident).relationships:
        set_committed_value(resident, relationship.key, None)
    return resident


def needs_write(
    resident: Resident | None, profile: TelegramProfile, *, create: bool, is_admin: bool
) -> bool:
    """Whether `load` has to write for this update (a new resident, an admin from the
    configuration, a changed name, the first private contact)."""
    return (
        (resident is None and (create or is_admin))
        or (resident is not None and is_admin and not resident.is_admin)
        or (
            resident is not None
            and (resident.display_name, resident.username)
            != (profile.display_name[:200], profile.username)
        )
        or (resident is not None and create and resident.private_chat_at is None)
    )


async def apply(session: AsyncSession, resident: Resident, building_id: int) -> Application:
    """Ask to join a building."""
    if resident.status == ResidentStatus.VERIFIED:
        raise InvalidState("error-already-verified")
    if resident.status == ResidentStatus.BLOCKED:
        raise PermissionDenied("error-blocked")
    building, grid = await structure.get_building(session, building_id)
    async with write_transaction(session):
        current = await get(session, resident.id)
        if current.status != ResidentStatus.PENDING:
            raise StaleAction()
        current.building_id = building.id
        current.community_id = grid.community_id
        current.applied_at = utcnow()
    await session.refresh(resident)
    return Application(building, grid, await approvers_for(session, building, grid))


async def approvers_for(session: AsyncSession, building: Building, grid: Grid) -> list[Resident]:
    """Chiefs of the building and its grid; the community admins when there are none."""
    chiefs = list(
        (
            await session.scalars(
                select(Resident).where(
                    Resident.status == ResidentStatus.VERIFIED,
                    or_(
                        Resident.chief_building_id == building.id,
                        Resident.chief_grid_id == grid.id,
                    ),
                )
            )
        ).all()
    )
    if chiefs:
        return chiefs
    return list(
        (
            await session.scalars(
                select(Resident).where(
                    Resident.status == ResidentStatus.VERIFIED,
                    Resident.role == Role.ADMIN,
                    or_(
                        Resident.community_id == grid.community_id,
                        Resident.community_id.is_(None),
                    ),
                )
            )
        ).all()
    )


async def _pending_in_area(
    session: AsyncSession, actor: Resident, resident_id: int
) -> tuple[Resident, Building, Grid]:
    require_role(actor, Role.BUILDING_CHIEF)
    target = await session.get(Resident, resident_id, populate_existing=True)
    if target is None or target.building_id is None:
        raise StaleAction()
    building, grid = await structure.get_building(session, target.building_id)
    if not manages_building(actor, building, grid):
        raise PermissionDenied("error-outside-area")
    if target.status != ResidentStatus.PENDING:
        raise StaleAction("error-already-handled")
    return target, building, grid


async def approve(session: AsyncSession, actor: Resident, resident_id: int) -> Decision:
    """A chief of the applicant's building or grid (or an admin) verifies them."""
    async with write_transaction(session):
        target, building, grid = await _pending_in_area(session, actor, resident_id)
        target.status = ResidentStatus.VERIFIED
        target.verified_at = utcnow()
        await audit.record(
            session, actor, "resident.approve", "resident", target.id, building_id=building.id
        )
    return Decision(target, building, grid, approved=True)


async def reject(session: AsyncSession, actor: Resident, resident_id: int) -> Decision:
    """The applicant goes back to choosing a building; they may apply again."""
    async with write_transaction(session):
        target, building, grid = await _pending_in_area(session, actor, resident_id)
        target.building_id = None
        target.applied_at = None
        await audit.record(
            session, actor, "resident.reject", "resident", target.id, building_id=building.id
        )
    return Decision(target, building, grid, approved=False)


async def list_officials(session: AsyncSession) -> list[Resident]:
    """Verified chiefs and admins who have a private chat with the bot (each gets the
    command menu of their role there; the others get it when they first write)."""
    rows = await session.scalars(
        select(Resident)
        .where(
            Resident.status == ResidentStatus.VERIFIED,
            Resident.role != Role.RESIDENT,
            Resident.private_chat_at.is_not(None),
        )
        .order_by(Resident.id)
    )
    return list(rows.all())


async def set_language(session: AsyncSession, resident: Resident, language: str) -> None:
    if language not in LANGUAGES:
        raise ValidationFailed()
    async with write_transaction(session):
        current = await get(session, resident.id)
        current.language = language
    resident.language = language


def parse_telegram_id(ref: str) -> int | None:
    """`ref` as a Telegram user id (ASCII digits, in Telegram's range), else None."""
    return parse_int(ref, low=1, high=MAX_TELEGRAM_ID - 1)


class AmbiguousUser(ValidationFailed):
    """Several residents have the @username asked for (Telegram usernames change hands, and
    a row keeps the old one until its owner writes again): nobody is picked; the message
    lists them with their Telegram ids to type instead."""

    key = "error-user-ambiguous"

    def __init__(self, ref: str, candidates: list[Resident]) -> None:
        lines = [
            f"• {c.display_name or '-'}"
            + (f" · {c.building.name}" if c.building is not None else "")
            + f" — {c.telegram_id}"
            for c in candidates[:MAX_CANDIDATES]
        ]
        super().__init__(ref=ref, candidates="\n".join(lines))
        self.candidates = candidates


async def find(session: AsyncSession, ref: str) -> Resident:
    """A resident by Telegram user id or @username: the whole name, ignoring case as Telegram
    does (no pattern: `_` and `%` are plain characters). Refused when several match."""
    ref = ref.strip()
    if ref.startswith("@") and len(ref) > 1:
        matches = list(
            (
                await session.scalars(
                    select(Resident)
                    .where(
                        func.lower(Resident.username) == ref[1:].lower(),
                        Resident.deleted_at.is_(None),
                    )
                    .order_by(Resident.id)
                    .limit(MAX_CANDIDATES + 1)
                )
            ).all()
        )
        if len(matches) > 1:
            raise AmbiguousUser(ref, matches)
        found = matches[0] if matches else None
    elif (telegram_id := parse_telegram_id(ref)) is not None:
        found = await get_by_telegram_id(session, telegram_id)
    else:
        raise ValidationFailed("error-bad-user-ref", ref=ref)
    if found is None:
        raise NotFound("error-user-unknown", ref=ref)
    return found


# --- roles ------------------------------------------------------------------------------------

CHIEF_ROLES = (Role.GRID_CHIEF, Role.BUILDING_CHIEF)


@dataclass(frozen=True)
class RoleChange:
    """`resident` now holds `resident.role` over `unit` (a label: the grid or building of a
    chief, an admin's community, a resident's home; None when unknown); `handovers` say
    what passed from them to whom (to be told)."""

    resident: Resident
    unit: str | None
    handovers: list[handover.Handover] = field(default_factory=list)


def parse_role(name: str) -> Role:
    try:
        return Role(name.strip().lower())
    except ValueError:
        raise ValidationFailed("error-bad-role", role=name) from None


async def grant(
    session: AsyncSession, actor: Resident, target_ref: str, role_name: str, unit_ref: str | None
) -> RoleChange:
    """`/grant <user> <role> [unit]` typed: a resident by Telegram id or @username, a unit by
    name (see `set_role`). A Telegram id nobody has used yet gets a row with the role, ready
    for when that person first writes (e.g. a chief without their phone nearby)."""
    require_role(actor, Role.ADMIN)
    role = parse_role(role_name)
    async with write_transaction(session):
        telegram_id = parse_telegram_id(target_ref)
        if telegram_id is not None and not await get_by_telegram_id(session, telegram_id):
            session.add(Resident(telegram_id=telegram_id, display_name=""))
            await session.flush()
        target = await find(session, target_ref)
        unit: Grid | Building | None = None
        if role in CHIEF_ROLES:
            if not unit_ref:
                raise ValidationFailed("error-grant-needs-unit")
            unit = await structure.find_unit(session, unit_ref, actor.community_id)
        return await _change_role(session, actor, target, role, unit)


async def set_role(
    session: AsyncSession,
    actor: Resident,
    target_id: int,
    role: Role,
    *,
    grid_id: int | None = None,
    building_id: int | None = None,
) -> RoleChange:
    """The same as `grant`, for people and units picked with buttons (by id)."""
    require_role(actor, Role.ADMIN)
    async with write_transaction(session):
        target = await session.get(Resident, target_id, populate_existing=True)
        if target is None or target.is_deleted:
            raise StaleAction()
        unit: Grid | Building | None = None
        if building_id is not None:
            unit = (await structure.get_building(session, building_id))[0]
        elif grid_id is not None:
            unit = await structure.get_grid(session, grid_id)
        return await _change_role(session, actor, target, role, unit)


async def _change_role(
    session: AsyncSession,
    actor: Resident,
    target: Resident,
    role: Role,
    unit: Grid | Building | None,
) -> RoleChange:
    """Inside the write transaction. Admins only, within their community on both ends (the
    target's and the unit's); nobody changes their own role. A chief who loses the role or
    moves hands over what they ran (`services.handover`)."""
    if target.id == actor.id:
        raise PermissionDenied("error-grant-self")
    community = actor.community_id
    if community is not None and target.community_id not in (None, community):
        raise PermissionDenied("error-outside-area")
    grid_id = building_id = None
    label: str | None = None
    if role == Role.GRID_CHIEF:
        if not isinstance(unit, Grid):
            raise ValidationFailed("error-grant-needs-grid" if unit else "error-grant-needs-unit")
        grid_id, unit_community, label = unit.id, unit.community_id, unit.name
    elif role == Role.BUILDING_CHIEF:
        if not isinstance(unit, Building):
            raise ValidationFailed(
                "error-grant-needs-building" if unit else "error-grant-needs-unit"
            )
        building, grid = await structure.get_building(session, unit.id)
        building_id, unit_community = building.id, grid.community_id
        label = f"{grid.name} · {building.name}"
    else:
        unit_community = community or target.community_id
    if community is not None and unit_community not in (None, community):
        raise PermissionDenied("error-outside-area")
    if role == Role.ADMIN and unit_community is not None:
        home_community = await session.get(Community, unit_community)
        label = home_community.name if home_community is not None else None
    elif role == Role.RESIDENT and target.building_id is not None:
        home, home_grid = await structure.get_building(session, target.building_id)
        label = f"{home_grid.name} · {home.name}"
    before = (target.role, target.chief_grid_id, target.chief_building_id)
    target.role = role
    target.chief_grid_id = grid_id
    target.chief_building_id = building_id
    target.community_id = unit_community or target.community_id
    if target.status != ResidentStatus.VERIFIED:
        target.status = ResidentStatus.VERIFIED
        target.verified_at = utcnow()
    await session.flush()
    handovers: list[handover.Handover] = []
    if before[0] != Role.RESIDENT and before != (role, grid_id, building_id):
        handovers = await handover.after_role_change(session, actor, target)
    await audit.record(
        session,
        actor,
        "resident.grant",
        "resident",
        target.id,
        role=role.value,
        grid_id=grid_id,
        building_id=building_id,
    )
    return RoleChange(target, label, handovers)
