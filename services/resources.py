"""The resources list (资源清单): what partner units offer — a venue and its hours, a
professional service (a clinic, legal advice, tutoring), goods, money, a number of
volunteers — with availability and limits. A unit's contact (or an admin) lists and
withdraws its resources; its members see them; grid chiefs and admins see every available
resource of the community when they make a project."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from linli.models import Resident, Role
from linli.models.db import write_transaction
from linli.models.partners import PartnerUnit, Resource, ResourceKind, UnitState
from linli.services import audit
from linli.services.authz import require_role
from linli.services.errors import StaleAction, ValidationFailed
from linli.services.partners import (
    UnitAction,
    UnitView,
    check_text,
    require_manager,
    require_unit_action,
)
from linli.services.rewards import community_of

TITLE_MAX = 100
DETAILS_MAX = 500
QUANTITY_MAX = 1_000_000


@dataclass(frozen=True)
class ResourceDraft:
    kind: str
    title: str
    details: str
    quantity: int | None


def check(draft: ResourceDraft) -> ResourceDraft:
    try:
        ResourceKind(draft.kind)
    except ValueError:
        raise ValidationFailed() from None
    if draft.quantity is not None and not 0 < draft.quantity <= QUANTITY_MAX:
        raise ValidationFailed("resource-error-quantity", limit=str(QUANTITY_MAX))
    return ResourceDraft(
        kind=draft.kind,
        title=check_text(draft.title, TITLE_MAX),
        details=check_text(draft.details, DETAILS_MAX, empty_ok=True),
        quantity=draft.quantity,
    )


async def of_unit(
    session: AsyncSession, actor: Resident | None, unit_id: int
) -> tuple[UnitView, list[Resource]]:
    """A unit's available resources, for its members, its contact and the admins."""
    view = await require_unit_action(session, actor, unit_id, UnitAction.RESOURCES)
    rows = await session.scalars(
        select(Resource)
        .where(Resource.unit_id == unit_id, Resource.available)
        .order_by(Resource.id)
    )
    return view, list(rows.all())


async def add(
    session: AsyncSession, actor: Resident | None, unit_id: int, draft: ResourceDraft, now: datetime
) -> Resource:
    """The unit's contact (or an admin) lists a resource."""
    draft = check(draft)
    async with write_transaction(session):
        view = await require_manager(session, actor, unit_id)
        assert actor is not None
        resource = Resource(
            unit_id=view.unit.id,
            kind=ResourceKind(draft.kind),
            title=draft.title,
            details=draft.details,
            quantity=draft.quantity,
            available=True,
            created_by_id=actor.id,
            created_at=now,
            updated_at=now,
        )
        session.add(resource)
        await session.flush()
        await audit.record(session, actor, "partner.resource_add", "partner_resource", resource.id)
    return resource


async def withdraw(
    session: AsyncSession, actor: Resident | None, resource_id: int, now: datetime
) -> Resource:
    """The unit's contact (or an admin) takes a resource off the list."""
    async with write_transaction(session):
        resource = await session.get(Resource, resource_id, populate_existing=True)
        if resource is None or not resource.available:
            raise StaleAction("partner-error-handled")
        await require_manager(session, actor, resource.unit_id)
        resource.available = False
        resource.updated_at = now
        await audit.record(
            session, actor, "partner.resource_withdraw", "partner_resource", resource.id
        )
    return resource


async def available(
    session: AsyncSession, actor: Resident | None
) -> list[tuple[Resource, PartnerUnit]]:
    """Every available resource of the community's active units (grid chiefs and admins,
    who make projects)."""
    chief = require_role(actor, Role.GRID_CHIEF)
    community_id = await community_of(session, chief)
    rows = await session.execute(
        select(Resource, PartnerUnit)
        .join(PartnerUnit, PartnerUnit.id == Resource.unit_id)
        .where(
            Resource.available,
            PartnerUnit.community_id == community_id,
            PartnerUnit.state == UnitState.ACTIVE,
        )
        .order_by(Resource.id)
    )
    return [(r, u) for r, u in rows.all()]
