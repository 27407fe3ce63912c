"""The sample partner unit of `linli demo`: 阳光社区卫生服务站 (a clinic) with its contact
(`:as 20001`), one member (`:as 20002`), a resource and a need, and a mobile grid member of
the first grid (`:as 20003`). Idempotent: a demo started again with its database keeps them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from linli.models import Grid, Resident, ResidentStatus, utcnow
from linli.models.db import write_transaction
from linli.models.partners import (
    MemberState,
    MobileKind,
    MobileMember,
    MobileState,
    Need,
    NeedCategory,
    NeedState,
    PartnerMember,
    PartnerUnit,
    Resource,
    ResourceKind,
    Scope,
    UnitKind,
    UnitState,
    Urgency,
)

UNIT = "阳光社区卫生服务站"
CONTACT = (20001, "周医生")
MEMBER = (20002, "小吴")
RIDER = (20003, "骑手小马")


async def seed_sample_unit(session: AsyncSession) -> None:
    """Add the sample unit to the first community (nothing when it is there already)."""
    grid = await session.scalar(select(Grid).order_by(Grid.id).limit(1))
    if grid is None:
        return
    exists = await session.scalar(
        select(PartnerUnit.id).where(
            PartnerUnit.community_id == grid.community_id, PartnerUnit.name == UNIT
        )
    )
    if exists is not None:
        return
    now = utcnow()
    async with write_transaction(session):
        people = {}
        for telegram_id, name in (CONTACT, MEMBER, RIDER):
            person = await session.scalar(
                select(Resident).where(Resident.telegram_id == telegram_id)
            )
            if person is None:
                person = Resident(telegram_id=telegram_id, display_name=name)
                session.add(person)
            person.status = ResidentStatus.VERIFIED
            person.community_id = grid.community_id
            person.verified_at = now
            people[telegram_id] = person
        await session.flush()
        unit = PartnerUnit(
            community_id=grid.community_id,
            name=UNIT,
            kind=UnitKind.HOSPITAL,
            address="幸福路 8 号",
            contact_name=CONTACT[1],
            contact_id=people[CONTACT[0]].id,
            state=UnitState.ACTIVE,
            created_at=now,
            joined_at=now,
        )
        session.add(unit)
        await session.flush()
        for telegram_id in (CONTACT[0], MEMBER[0]):
            session.add(
                PartnerMember(
                    unit_id=unit.id,
                    resident_id=people[telegram_id].id,
                    state=MemberState.ACTIVE,
                    created_at=now,
                    approved_at=now,
                )
            )
        session.add(
            Resource(
                unit_id=unit.id,
                kind=ResourceKind.SERVICE,
                title="上门义诊",
                details="每月第一个周六上午，提前 3 天预约",
                quantity=None,
                available=True,
                created_at=now,
                updated_at=now,
            )
        )
        session.add(
            Need(
                community_id=grid.community_id,
                scope=Scope.GRID,
                grid_id=grid.id,
                title="独居老人定期测血压",
                category=NeedCategory.HEALTH,
                beneficiaries="独居老人 12 人",
                urgency=Urgency.NORMAL,
                state=NeedState.OPEN,
                support_count=0,
                created_at=now,
                updated_at=now,
            )
        )
        session.add(
            MobileMember(
                resident_id=people[RIDER[0]].id,
                community_id=grid.community_id,
                grid_id=grid.id,
                kind=MobileKind.RIDER,
                state=MobileState.ACTIVE,
                created_at=now,
            )
        )
