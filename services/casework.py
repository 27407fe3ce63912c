"""The lists that show micro-wishes and complaints together: `/my` (what a resident posted,
follows or claimed) and `/queue` (what a chief's area has open)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from linli.config.casework import CaseworkSettings
from linli.models import Building, Resident, Role
from linli.models.complaints import Complaint
from linli.models.wishes import Wish
from linli.services import complaints, wishes
from linli.services.authz import require_role, require_verified


class CaseKind(StrEnum):
    COMPLAINT = "complaint"
    WISH = "wish"


@dataclass(frozen=True)
class CaseItem:
    """One row of a list (plain values to render)."""

    kind: CaseKind
    id: int
    code: str
    text: str
    voice: bool
    category: str
    status: str
    building: str = "-"
    overdue: bool = False
    own: bool = True
    """False for a complaint someone else filed (me too, merged): its words are not shown."""


def _item(
    case: Complaint | Wish, building: str = "-", *, overdue: bool = False, own: bool = True
) -> CaseItem:
    kind = CaseKind.COMPLAINT if isinstance(case, Complaint) else CaseKind.WISH
    return CaseItem(
        kind=kind,
        id=case.id,
        code=case.code,
        text=case.text if own else "",
        voice=bool(case.voice_file_id) and own,
        own=own,
        category=case.category.value,
        status=case.status.value,
        building=building,
        overdue=overdue,
    )


async def my_items(session: AsyncSession, actor: Resident | None) -> list[CaseItem]:
    """The complaints the actor follows and the wishes they posted, entered or claimed,
    newest first (another resident's complaint without its words)."""
    actor = require_verified(actor)
    rows: list[tuple[datetime, CaseItem]] = [
        (c.created_at, _item(c, own=actor.id in (c.author_id, c.entered_by_id)))
        for c in await complaints.list_mine(session, actor)
    ]
    rows += [(w.created_at, _item(w)) for w in await wishes.list_mine(session, actor)]
    rows.sort(key=lambda row: row[0], reverse=True)
    return [item for _, item in rows]


async def queue_items(
    session: AsyncSession, actor: Resident | None, now: datetime, cfg: CaseworkSettings
) -> list[CaseItem]:
    """Open complaints of the chief's area (and those assigned to them), overdue first by
    due time, then with the open wishes of the area oldest first."""
    actor = require_role(actor, Role.BUILDING_CHIEF)
    buildings = await session.execute(select(Building.id, Building.name))
    names = {row.id: row.name for row in buildings}
    rows: list[tuple[tuple[int, datetime], CaseItem]] = []
    for c in await complaints.open_in_area(session, actor):
        due = complaints.deadline(c, cfg)
        overdue = due is not None and now >= due
        key = (0, due) if overdue and due else (1, c.created_at)
        rows.append((key, _item(c, names.get(c.building_id, "-"), overdue=overdue)))
    for w in await wishes.open_in_area(session, actor):
        rows.append(((1, w.created_at), _item(w, names.get(w.building_id, "-"))))
    rows.sort(key=lambda row: row[0])
    return [item for _, item in rows]
