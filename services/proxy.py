"""Entering something for a resident without a phone (代录).

A chief writes the resident's name (and flat) and picks a building of their area; the
record keeps that name (`offline_author`) and the chief as the one who entered it. Used by
`/complain_for` and `/wish_for`, and by any later flow that files on someone's behalf: the
rules live here once, and `entry` checks them again when the record is stored.

What the chief writes often holds the door number ("王奶奶 3单元201"): it is kept for the
chiefs, and never posted. `public_name` is the part that may appear in a group post, and
only when the resident agreed in person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from linli.models import Building, Grid, Resident, Role
from linli.services import structure
from linli.services.authz import require_role
from linli.services.errors import PermissionDenied, ValidationFailed
from linli.services.parsing import has_words

NAME_MAX = 100
"""Characters of the resident's name and flat (the `offline_author` columns)."""
PUBLIC_NAME_MAX = 20
_PLACE = re.compile(
    r"[0-9０-９#＃,，、;；:：(（/\\|]|单元|号楼|楼栋|栋|门牌|室|\b(?:unit|flat|room|apt|building|no)\b",
    re.IGNORECASE,
)
"""Where the door number starts in what a chief wrote: a digit, a separator, a place word."""
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class ProxyEntry:
    """Who a chief files for, and where."""

    name: str
    building: Building
    grid: Grid


def check_name(text: str) -> str:
    name = " ".join(text.split())
    if not name or len(name) > NAME_MAX:
        raise ValidationFailed("casework-offline-name-length", limit=str(NAME_MAX))
    if not has_words(name):
        raise ValidationFailed("casework-offline-name-words")
    return name


def public_name(written: str | None) -> str | None:
    """The name alone, without the door number, from what the chief wrote ("王奶奶 3单元201"
    → "王奶奶", "Granny Wang, unit 3" → "Granny Wang"); None when no name comes first."""
    head = _PLACE.split(written or "", maxsplit=1)[0].strip(" -·.")
    if _CJK.search(head):
        head = head.split()[0] if head.split() else ""
    head = head.strip(" -·.")
    if not head or not has_words(head) or len(head) > PUBLIC_NAME_MAX:
        return None
    return head


async def buildings(session: AsyncSession, actor: Resident | None) -> list[Building]:
    """The buildings a chief may file for (their area, in id order)."""
    chief = require_role(actor, Role.BUILDING_CHIEF)
    return await structure.area_buildings(session, chief)


async def building(
    session: AsyncSession, actor: Resident | None, building_id: int
) -> tuple[Building, Grid]:
    """A building the chief may file for; PermissionDenied outside their area."""
    chief = require_role(actor, Role.BUILDING_CHIEF)
    return await structure.managed_building(session, chief, building_id)


async def filing_place(
    session: AsyncSession, actor: Resident, offline_author: str | None, building_id: int | None
) -> tuple[str | None, Building, Grid]:
    """For whom and where a record is filed: for the resident named by `offline_author` in
    `building_id` (a chief of that building's area), else for the actor in their building."""
    if offline_author is not None:
        proxy = await entry(session, actor, offline_author, building_id)
        return proxy.name, proxy.building, proxy.grid
    if actor.building_id is None:
        raise PermissionDenied("error-not-verified")
    building, grid = await structure.get_building(session, actor.building_id)
    return None, building, grid


async def entry(
    session: AsyncSession, actor: Resident | None, name: str, building_id: int | None
) -> ProxyEntry:
    """Checks the whole step again when the record is stored: a chief, a name that fits,
    a building of their area."""
    require_role(actor, Role.BUILDING_CHIEF)
    name = check_name(name)
    if building_id is None:
        raise ValidationFailed()
    found, grid = await building(session, actor, building_id)
    return ProxyEntry(name=name, building=found, grid=grid)
