"""A unit adopts a micro-wish (单位认领): one of its members claims it for the unit through the
wishes service (the same claim as anyone's: the first claim wins) and fulfils it; the author's
confirmation credits the member, and the unit's reports count it. The adoption is recorded in
`wish_adoptions` in the claim's transaction; it ends when the member gives the wish back or
leaves the unit (services/partner_members.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from linli.models import Grid, Resident
from linli.models.db import write_transaction
from linli.models.partners import PartnerUnit, WishAdoption
from linli.models.wishes import Wish, WishStatus
from linli.services import partners, wishes
from linli.services.errors import InvalidState, PermissionDenied

LIST_MAX = 10


async def adoptable(session: AsyncSession, resident: Resident | None) -> list[Wish]:
    """Open micro-wishes of the member's community that they did not post, newest first."""
    mine = await partners.require_section(session, resident, partners.Section.ADOPT)
    assert mine.unit is not None and resident is not None
    rows = await session.scalars(
        select(Wish)
        .join(Grid, Grid.id == Wish.grid_id)
        .where(
            Grid.community_id == mine.unit.community_id,
            Wish.status == WishStatus.OPEN,
            Wish.author_id.is_distinct_from(resident.id),
            Wish.entered_by_id.is_distinct_from(resident.id),
        )
        .order_by(Wish.created_at.desc(), Wish.id.desc())
        .limit(LIST_MAX)
    )
    return list(rows.all())


async def adoptable_one(
    session: AsyncSession, resident: Resident | None, wish_id: int
) -> wishes.WishInfo:
    """A wish a member may adopt for their unit: open, in their unit's community."""
    mine = await partners.require_section(session, resident, partners.Section.ADOPT)
    assert mine.unit is not None
    data = await wishes.info(session, wish_id)
    if data.grid.community_id != mine.unit.community_id:
        raise PermissionDenied("error-outside-area")
    if data.wish.status != WishStatus.OPEN:
        raise InvalidState("wish-error-taken", code=data.wish.code)
    return data


async def adopt(
    session: AsyncSession, resident: Resident | None, wish_id: int, now: datetime
) -> wishes.WishInfo:
    """A member claims an open wish for their unit, in one transaction with the adoption."""
    await adoptable_one(session, resident, wish_id)
    assert resident is not None
    try:
        async with write_transaction(session):
            mine = await partners.require_member(session, resident)
            assert mine.unit is not None
            await session.execute(
                update(WishAdoption)
                .where(WishAdoption.wish_id == wish_id, WishAdoption.released_at.is_(None))
                .values(released_at=now)
                .execution_options(synchronize_session=False)
            )
            await wishes.claim(session, resident, wish_id, now)
            session.add(
                WishAdoption(
                    wish_id=wish_id, unit_id=mine.unit.id, member_id=resident.id, adopted_at=now
                )
            )
            await session.flush()
    except IntegrityError:
        raise InvalidState("wish-error-taken", code=f"W{wish_id}") from None
    return await wishes.info(session, wish_id)


async def adopted_by(session: AsyncSession, wish_id: int) -> str | None:
    """The unit that adopted a wish now, by name (for the wish's card)."""
    return await session.scalar(
        select(PartnerUnit.name)
        .join(WishAdoption, WishAdoption.unit_id == PartnerUnit.id)
        .where(WishAdoption.wish_id == wish_id, WishAdoption.released_at.is_(None))
    )
