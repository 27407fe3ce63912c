"""What a chief was running passes on when they lose the role or move to another area.

`residents.grant` calls `after_role_change` inside its write transaction, with the target's
new role and area already set: every volunteer activity they created that is still open and
every scheduled or paused notice they wrote, which their new role no longer manages, passes
to the grid chief of its grid, or else to an admin of the community. The caller tells the
new owners (`Handover`). With nobody to take it, an item keeps its author: the points and
notices services check the author's current role on every manage action and notice run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from linli.models import Resident, ResidentStatus, Role
from linli.models.notices import Notice, NoticeState
from linli.models.points import Activity, ActivityState
from linli.services import audit


@dataclass
class Handover:
    """What passed from `previous` to `to`."""

    to: Resident
    previous: Resident
    activities: list[Activity] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)


def _runs(resident: Resident, community_id: int | None, grid_id: int | None) -> bool:
    """Whether `resident` (as they are now) manages an item of `grid_id` (None: the whole
    community) in `community_id`."""
    if not resident.is_verified:
        return False
    if resident.role == Role.ADMIN:
        return resident.community_id in (None, community_id)
    return (
        resident.role == Role.GRID_CHIEF
        and grid_id is not None
        and (resident.chief_grid_id == grid_id)
    )


async def _successor(
    session: AsyncSession, previous: Resident, community_id: int | None, grid_id: int | None
) -> Resident | None:
    """The grid's chief, else an admin of the community (the longest serving first); never
    `previous` themself."""
    verified = (
        Resident.status == ResidentStatus.VERIFIED,
        Resident.deleted_at.is_(None),
        Resident.id != previous.id,
    )
    if grid_id is not None:
        chief = await session.scalar(
            select(Resident)
            .where(*verified, Resident.role == Role.GRID_CHIEF, Resident.chief_grid_id == grid_id)
            .order_by(Resident.id)
            .limit(1)
        )
        if chief is not None:
            return chief
    return await session.scalar(
        select(Resident)
        .where(
            *verified,
            Resident.role == Role.ADMIN,
            or_(Resident.community_id == community_id, Resident.community_id.is_(None)),
        )
        .order_by(Resident.id)
        .limit(1)
    )


async def after_role_change(
    session: AsyncSession, actor: Resident | None, previous: Resident
) -> list[Handover]:
    """Hand over what `previous` (with their new role already set) no longer manages; one
    audit entry per item (`actor` None: the structure import). Inside the caller's write
    transaction."""
    handovers: dict[int, Handover] = {}

    async def to_whom(community_id: int | None, grid_id: int | None) -> Handover | None:
        successor = await _successor(session, previous, community_id, grid_id)
        if successor is None:
            return None
        return handovers.setdefault(successor.id, Handover(successor, previous))

    activities = await session.scalars(
        select(Activity)
        .where(Activity.created_by_id == previous.id, Activity.state == ActivityState.OPEN)
        .order_by(Activity.starts_at, Activity.id)
    )
    for activity in activities.all():
        if _runs(previous, activity.community_id, activity.grid_id):
            continue
        handover = await to_whom(activity.community_id, activity.grid_id)
        if handover is None:
            continue
        activity.created_by_id = handover.to.id
        handover.activities.append(activity)
        await audit.record(
            session,
            actor,
            "handover.activity",
            "activity",
            activity.id,
            previous_id=previous.id,
            to_id=handover.to.id,
        )
    notices = await session.scalars(
        select(Notice)
        .where(
            Notice.author_id == previous.id,
            Notice.state.in_((NoticeState.SCHEDULED, NoticeState.PAUSED)),
        )
        .order_by(Notice.id)
    )
    for notice in notices.all():
        if _may_run_notice(previous, notice):
            continue
        handover = await to_whom(notice.community_id, notice.area_grid_id)
        if handover is None:
            continue
        notice.author_id = handover.to.id
        handover.notices.append(notice)
        await audit.record(
            session,
            actor,
            "handover.notice",
            "notice",
            notice.id,
            previous_id=previous.id,
            to_id=handover.to.id,
        )
    await session.flush()
    return list(handovers.values())


def _may_run_notice(resident: Resident, notice: Notice) -> bool:
    """A building chief runs the notices of their own building; grid chiefs and admins
    those of their area, as with activities."""
    if resident.role == Role.BUILDING_CHIEF:
        return (
            resident.is_verified
            and notice.area_building_id is not None
            and resident.chief_building_id == notice.area_building_id
        )
    return _runs(resident, notice.community_id, notice.area_grid_id)
