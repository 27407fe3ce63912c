"""What 共驻共建 stores about a person, for `/privacy` (services/privacy.py): their copy of it
and what deleting their account does. Whether someone is a party member in service (在职党员)
is in their copy and is cleared on deletion."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from linli.models.complaints import Complaint
from linli.models.partners import (
    HazardReport,
    MemberState,
    MobileMember,
    MobileState,
    Need,
    NeedSupport,
    PartnerMember,
    PartnerUnit,
    Project,
    ProjectRating,
    WishAdoption,
)

# Every column of these tables that references a resident, and what the export and the
# deletion do with it (merged into services.privacy.REFERENCES).
REFERENCES: dict[tuple[str, str], str] = {
    ("partner_units", "contact_id"): "exported as unit codes; cleared (an admin invites anew)",
    ("partner_units", "created_by_id"): "admins only; exported as unit codes",
    ("partner_invites", "created_by_id"): "hashed secret, not exported",
    ("partner_invites", "used_by_id"): "hashed secret, not exported",
    ("partner_members", "resident_id"): "exported (party member in service too); ended, cleared",
    ("mobile_members", "resident_id"): "exported; ended on deletion",
    ("mobile_members", "registered_by_id"): "chiefs only; exported as ids",
    ("needs", "created_by_id"): "chiefs only; exported as need codes",
    ("need_supports", "resident_id"): "exported; kept (support counts stay)",
    ("partner_resources", "created_by_id"): "exported as resource codes; kept",
    ("partner_projects", "created_by_id"): "chiefs only; exported as project codes",
    ("project_ratings", "resident_id"): "exported; kept (ratings stay)",
    ("wish_adoptions", "member_id"): "exported; ended on deletion",
    ("hazard_reports", "reporter_id"): "exported as request codes; kept (points stay)",
}


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


async def export(session: AsyncSession, resident_id: int) -> dict[str, Any]:
    """The person's partner data (no one else's: units and projects by code and name)."""
    memberships = (
        await session.execute(
            select(PartnerMember, PartnerUnit)
            .join(PartnerUnit, PartnerUnit.id == PartnerMember.unit_id)
            .where(PartnerMember.resident_id == resident_id)
            .order_by(PartnerMember.id)
        )
    ).all()
    mobile = (
        await session.scalars(
            select(MobileMember)
            .where(MobileMember.resident_id == resident_id)
            .order_by(MobileMember.id)
        )
    ).all()
    supports = (
        await session.scalars(
            select(NeedSupport.need_id).where(NeedSupport.resident_id == resident_id)
        )
    ).all()
    ratings = (
        await session.execute(
            select(ProjectRating.project_id, ProjectRating.stars).where(
                ProjectRating.resident_id == resident_id
            )
        )
    ).all()
    adoptions = (
        await session.scalars(select(WishAdoption).where(WishAdoption.member_id == resident_id))
    ).all()
    reports = (
        await session.execute(
            select(HazardReport, Complaint.anonymous)
            .join(Complaint, Complaint.id == HazardReport.complaint_id)
            .where(HazardReport.reporter_id == resident_id)
        )
    ).all()
    contact_of = (
        await session.scalars(select(PartnerUnit.id).where(PartnerUnit.contact_id == resident_id))
    ).all()
    needs = (await session.scalars(select(Need.id).where(Need.created_by_id == resident_id))).all()
    projects = (
        await session.scalars(select(Project.id).where(Project.created_by_id == resident_id))
    ).all()
    return {
        "memberships": [
            {
                "unit": u.code,
                "unit_name": u.name,
                "state": m.state.value,
                "party_member_in_service": m.party_member,
                "asked_at": _iso(m.created_at),
                "approved_at": _iso(m.approved_at),
                "left_at": _iso(m.left_at),
            }
            for m, u in memberships
        ],
        "mobile_grid_member": [
            {
                "kind": r.kind.value,
                "grid_id": r.grid_id,
                "state": r.state.value,
                "since": _iso(r.created_at),
                "until": _iso(r.removed_at),
            }
            for r in mobile
        ],
        "contact_of_units": [f"U{i}" for i in contact_of],
        "needs_supported": [f"N{i}" for i in supports],
        "projects_rated": [{"project": f"P{p}", "stars": s} for p, s in ratings],
        "wishes_adopted": [
            {
                "wish": f"W{a.wish_id}",
                "unit": f"U{a.unit_id}",
                "adopted_at": _iso(a.adopted_at),
                "released_at": _iso(a.released_at),
            }
            for a in adoptions
        ],
        "hazard_reports": [
            {
                "request": f"C{r.complaint_id}",
                "anonymous": anonymous,
                "state": r.state.value,
                "points": r.points,
            }
            for r, anonymous in reports
        ],
        "as_chief": {
            "needs_added": [f"N{i}" for i in needs],
            "projects_made": [f"P{i}" for i in projects],
        },
    }


async def erase(session: AsyncSession, resident_id: int, now: datetime) -> None:
    """Inside the deletion's transaction: live memberships and registrations end, the party
    membership is cleared, units lose them as contact, adoptions end."""
    await session.execute(
        update(PartnerMember)
        .where(
            PartnerMember.resident_id == resident_id,
            PartnerMember.state.in_((MemberState.PENDING, MemberState.ACTIVE)),
        )
        .values(state=MemberState.LEFT, left_at=now)
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        update(PartnerMember)
        .where(PartnerMember.resident_id == resident_id)
        .values(party_member=False)
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        update(MobileMember)
        .where(MobileMember.resident_id == resident_id, MobileMember.state == MobileState.ACTIVE)
        .values(state=MobileState.REMOVED, removed_at=now)
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        update(PartnerUnit)
        .where(PartnerUnit.contact_id == resident_id)
        .values(contact_id=None)
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        update(WishAdoption)
        .where(WishAdoption.member_id == resident_id, WishAdoption.released_at.is_(None))
        .values(released_at=now)
        .execution_options(synchronize_session=False)
    )
