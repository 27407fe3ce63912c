"""The charity shop (邻礼公益超市): catalogue, redemption, hand-over, cancellation, expiry.

A redemption is ONE write transaction: a conditional stock decrement
(`UPDATE reward_items SET stock = stock - 1 WHERE id = ? AND stock > 0 AND active`), the
redemption row (unique idempotency key) and the debit through `ledger.post`, whose
conditional balance update refuses to go below zero. Any refusal rolls everything back.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from linli.models import Building, Community, Grid, Resident, Role
from linli.models.db import write_transaction
from linli.models.points import LedgerKind, Redemption, RedemptionState, RewardItem
from linli.services import audit, ledger, parsing
from linli.services.authz import manages_building, require_role, require_verified
from linli.services.errors import (
    DomainError,
    InvalidState,
    NotFound,
    PermissionDenied,
    StaleAction,
    ValidationFailed,
)


class OutOfStock(InvalidState):
    key = "rewards-error-out-of-stock"


class _AlreadyRedeemed(Exception):
    """Internal: this tap's redemption exists (rolls the transaction back)."""


ITEM_MAX = 100_000
"""The highest cost and stock of an item."""
RESTOCK_MAX = 10_000
REF_MAX = 2**53
"""Larger ids are refused (no redemption has one; the database's integers end at 2**63)."""


def parse_ref(text: str, letter: str) -> int:
    """`R8`, `r8`, `#8` or `8` → 8 (`services.parsing.parse_ref`); anything else is a
    clear ValidationFailed."""
    number = parsing.parse_ref(text, letter)
    if number is None or number >= REF_MAX:
        raise ValidationFailed("points-error-ref", ref=text, letter=letter)
    return number


async def community_of(session: AsyncSession, actor: Resident) -> int:
    """The community an actor belongs to (grid chiefs: their grid's)."""
    if actor.community_id is not None:
        return actor.community_id
    if actor.chief_grid_id is not None:
        grid = await session.get(Grid, actor.chief_grid_id)
        if grid is not None:
            return grid.community_id
    communities = list((await session.scalars(select(Community.id).limit(2))).all())
    if len(communities) == 1:
        return communities[0]
    raise PermissionDenied("error-outside-area")


def can_manage_shop(actor: Resident | None) -> bool:
    return actor is not None and actor.is_verified and actor.role in (Role.GRID_CHIEF, Role.ADMIN)


# --- catalogue ---------------------------------------------------------------------------------


async def list_items(
    session: AsyncSession, resident: Resident, *, include_inactive: bool = False
) -> list[RewardItem]:
    require_verified(resident)
    community_id = await community_of(session, resident)
    stmt = select(RewardItem).where(RewardItem.community_id == community_id)
    if not include_inactive:
        stmt = stmt.where(RewardItem.active)
    return list((await session.scalars(stmt.order_by(RewardItem.cost, RewardItem.id))).all())


async def get_item(session: AsyncSession, resident: Resident, item_id: int) -> RewardItem:
    require_verified(resident)
    item = await session.get(RewardItem, ledger.row_id(item_id), populate_existing=True)
    if item is None or item.community_id != await community_of(session, resident):
        raise NotFound()
    if not item.active and not can_manage_shop(resident):
        raise InvalidState("rewards-error-inactive")
    return item


async def offer(session: AsyncSession, resident: Resident, item_id: int) -> tuple[RewardItem, int]:
    """The item and the resident's balance, when they could redeem it now (before asking
    them to confirm; `redeem` checks all of it again in its transaction)."""
    item = await get_item(session, resident, item_id)
    if not item.active:
        raise StaleAction("rewards-error-inactive")
    if item.stock <= 0:
        raise OutOfStock(item=item.name)
    balance = await ledger.cached_balance(session, resident.id)
    if balance < item.cost:
        raise ledger.NotEnoughPoints(need=str(item.cost), have=str(balance))
    return item, balance


@dataclass(frozen=True)
class ShopFront:
    """What /rewards shows a resident."""

    items: list[RewardItem]
    balance: int
    mine: list[tuple[Redemption, RewardItem]]
    manager: bool


async def shop_front(session: AsyncSession, resident: Resident) -> ShopFront:
    """The catalogue (managers also see withdrawn items), the balance and the resident's
    redemptions waiting for pickup."""
    manager = can_manage_shop(resident)
    return ShopFront(
        items=await list_items(session, resident, include_inactive=manager),
        balance=await ledger.cached_balance(session, resident.id),
        mine=await my_redemptions(session, resident),
        manager=manager,
    )


async def create_item(
    session: AsyncSession,
    actor: Resident,
    *,
    name: str,
    description: str,
    photo_file_id: str | None,
    cost: int,
    stock: int,
) -> RewardItem:
    require_role(actor, Role.GRID_CHIEF)
    name = name.strip()
    if not name or len(name) > 100 or len(description) > 500:
        raise ValidationFailed("rewards-error-name")
    if not 0 < cost <= ITEM_MAX:
        raise ValidationFailed("points-error-number", text=str(cost), low=1, high=ITEM_MAX)
    if not 0 <= stock <= ITEM_MAX:
        raise ValidationFailed("points-error-number", text=str(stock), low=0, high=ITEM_MAX)
    community_id = await community_of(session, actor)
    async with write_transaction(session):
        item = RewardItem(
            community_id=community_id,
            name=name,
            description=description.strip(),
            photo_file_id=photo_file_id,
            cost=cost,
            stock=stock,
            active=True,
            created_by_id=actor.id,
        )
        session.add(item)
        await session.flush()
        await audit.record(session, actor, "rewards.create", "reward_item", item.id, cost=cost)
    return item


async def _managed_item(session: AsyncSession, actor: Resident, item_id: int) -> RewardItem:
    require_role(actor, Role.GRID_CHIEF)
    item = await session.get(RewardItem, ledger.row_id(item_id), populate_existing=True)
    if item is None:
        raise StaleAction()
    if item.community_id != await community_of(session, actor):
        raise PermissionDenied("error-outside-area")
    return item


async def restock(session: AsyncSession, actor: Resident, item_id: int, amount: int) -> RewardItem:
    if not 0 < amount <= RESTOCK_MAX:
        raise ValidationFailed("points-error-number", text=str(amount), low=1, high=RESTOCK_MAX)
    async with write_transaction(session):
        item = await _managed_item(session, actor, item_id)
        await session.execute(
            update(RewardItem)
            .where(RewardItem.id == item.id)
            .values(stock=RewardItem.stock + amount)
            .execution_options(synchronize_session=False)
        )
        await audit.record(session, actor, "rewards.restock", "reward_item", item.id, amount=amount)
    await session.refresh(item)
    return item


async def set_active(
    session: AsyncSession, actor: Resident, item_id: int, active: bool
) -> RewardItem:
    async with write_transaction(session):
        item = await _managed_item(session, actor, item_id)
        item.active = active
        await audit.record(
            session, actor, "rewards.set_active", "reward_item", item.id, active=active
        )
    return item


# --- redemption ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Redeemed:
    redemption: Redemption
    item: RewardItem
    already: bool  # this tap was a repeat of a recorded redemption


async def _by_key(session: AsyncSession, key: str) -> Redemption | None:
    return await session.scalar(
        select(Redemption)
        .where(Redemption.idempotency_key == key)
        .execution_options(populate_existing=True)
    )


async def redeem(
    session: AsyncSession,
    resident: Resident,
    item_id: int,
    token: str,
    *,
    now: datetime,
    days: int,
) -> Redeemed:
    """Reserve one item and debit its cost, in one transaction. `token` identifies the
    confirmation button, so repeated taps of it make one redemption."""
    require_verified(resident)
    if not token.isalnum() or len(token) > 16:
        raise StaleAction()
    key = f"redeem:{resident.id}:{token}"
    item = await get_item(session, resident, item_id)
    existing = await _by_key(session, key)
    if existing is not None:
        return Redeemed(existing, item, already=True)
    try:
        async with write_transaction(session):
            taken = await session.execute(
                update(RewardItem)
                .where(RewardItem.id == item.id, RewardItem.stock > 0, RewardItem.active)
                .values(stock=RewardItem.stock - 1)
                .execution_options(synchronize_session=False)
            )
            if taken.rowcount != 1:  # type: ignore[attr-defined]
                if await _by_key(session, key) is not None:
                    raise _AlreadyRedeemed()
                current = await session.get(RewardItem, item.id, populate_existing=True)
                if current is None or not current.active:
                    raise InvalidState("rewards-error-inactive")
                raise OutOfStock(item=item.name)
            if await _by_key(session, key) is not None:
                raise _AlreadyRedeemed()
            redemption = Redemption(
                resident_id=resident.id,
                item_id=item.id,
                cost=item.cost,
                pickup_code=f"{secrets.randbelow(1_000_000):06d}",
                state=RedemptionState.RESERVED,
                idempotency_key=key,
                created_at=now,
                expires_at=now + timedelta(days=days),
            )
            session.add(redemption)
            await session.flush()
            await ledger.post(
                session,
                resident_id=resident.id,
                delta=-item.cost,
                kind=LedgerKind.REDEMPTION,
                idempotency_key=key,
                reference=f"R{redemption.id}",
                reason=item.name,
                actor_id=resident.id,
            )
    except (IntegrityError, _AlreadyRedeemed):
        # The rollback expired every loaded object: load what we return again.
        existing = await _by_key(session, key)
        if existing is None:
            raise
        item = await session.get(RewardItem, item_id, populate_existing=True) or item
        return Redeemed(existing, item, already=True)
    await session.refresh(item)
    return Redeemed(redemption, item, already=False)


# --- what may happen next to a redemption ------------------------------------------------------


class RedemptionAction(StrEnum):
    """What may be done with a reserved redemption (the values are the card's button
    actions)."""

    HAND_OVER = "hand"
    CANCEL = "cancel"


def _visible(owner: Resident, actor: Resident, in_area: bool) -> DomainError | None:
    """A redemption is the resident's own business and their chiefs'."""
    if owner.id != actor.id and not in_area:
        return PermissionDenied("error-outside-area")
    return None


def _reserved(redemption: Redemption) -> DomainError | None:
    if redemption.state != RedemptionState.RESERVED:
        return StaleAction("rewards-error-not-reserved")
    return None


def _refusal(
    action: RedemptionAction,
    redemption: Redemption,
    owner: Resident,
    actor: Resident,
    in_area: bool,
) -> DomainError | None:
    """Hand-over: a chief of the owner's area (building chief and up), never their own
    redemption unless they are an admin. Cancel: the owner or a chief of their area. Both
    only while it is reserved."""
    if not actor.is_verified:
        return PermissionDenied("error-not-verified")
    if action == RedemptionAction.HAND_OVER:
        if actor.role.rank < Role.BUILDING_CHIEF.rank:
            return PermissionDenied("error-role-required", role=Role.BUILDING_CHIEF.value)
        if refused := _visible(owner, actor, in_area):
            return refused
        if owner.id == actor.id and not actor.is_admin:
            return PermissionDenied("rewards-error-own-handover")
        return _reserved(redemption)
    return _visible(owner, actor, in_area) or _reserved(redemption)


def allowed_actions(
    redemption: Redemption, owner: Resident, actor: Resident, *, in_area: bool
) -> list[RedemptionAction]:
    """What `actor` may do with `redemption` (of `owner`) now; `in_area`: the owner lives
    in the actor's area."""
    return [
        action
        for action in RedemptionAction
        if _refusal(action, redemption, owner, actor, in_area) is None
    ]


@dataclass(frozen=True)
class RedemptionCard:
    redemption: Redemption
    item: RewardItem
    owner: Resident
    actions: list[RedemptionAction]


async def _load(
    session: AsyncSession, actor: Resident, redemption_id: int
) -> tuple[Redemption, RewardItem, Resident, bool]:
    """A redemption the actor may see (their own, or one in a chief's area), its item, its
    owner and whether the owner lives in the actor's area."""
    require_verified(actor)
    redemption = await session.get(Redemption, ledger.row_id(redemption_id), populate_existing=True)
    if redemption is None:
        raise NotFound()
    owner = await session.get(Resident, redemption.resident_id)
    item = await session.get(RewardItem, redemption.item_id)
    assert owner is not None and item is not None
    in_area = await _manages_resident(session, actor, owner)
    if refused := _visible(owner, actor, in_area):
        raise refused
    return redemption, item, owner, in_area


async def redemption_card(
    session: AsyncSession, actor: Resident, redemption_id: int
) -> RedemptionCard:
    redemption, item, owner, in_area = await _load(session, actor, redemption_id)
    actions = allowed_actions(redemption, owner, actor, in_area=in_area)
    return RedemptionCard(redemption, item, owner, actions)


async def _manages_resident(session: AsyncSession, actor: Resident, owner: Resident) -> bool:
    if owner.building_id is None:
        return actor.is_admin
    building = await session.get(Building, owner.building_id)
    grid = await session.get(Grid, building.grid_id) if building is not None else None
    return building is not None and grid is not None and manages_building(actor, building, grid)


async def _close(
    session: AsyncSession,
    redemption_id: int,
    *,
    to: RedemptionState,
    now: datetime,
    closed_by: int | None,
) -> Redemption | None:
    """Move a reserved redemption to `to`; a refund and the stock back unless handed over.
    None when it was no longer reserved (someone else was first)."""
    result = await session.execute(
        update(Redemption)
        .where(Redemption.id == redemption_id, Redemption.state == RedemptionState.RESERVED)
        .values(state=to, closed_at=now, closed_by_id=closed_by)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return None
    redemption = await session.get(Redemption, redemption_id, populate_existing=True)
    assert redemption is not None
    if to != RedemptionState.HANDED_OVER:
        await session.execute(
            update(RewardItem)
            .where(RewardItem.id == redemption.item_id)
            .values(stock=RewardItem.stock + 1)
            .execution_options(synchronize_session=False)
        )
        await ledger.post(
            session,
            resident_id=redemption.resident_id,
            delta=redemption.cost,
            kind=LedgerKind.REFUND,
            idempotency_key=f"refund:{redemption.id}",
            reference=f"R{redemption.id}",
            reason=to.value,
            actor_id=closed_by,
        )
    return redemption


_CLOSES_TO = {
    RedemptionAction.HAND_OVER: RedemptionState.HANDED_OVER,
    RedemptionAction.CANCEL: RedemptionState.CANCELLED,
}


async def act(
    session: AsyncSession,
    actor: Resident,
    redemption_id: int,
    action: RedemptionAction,
    *,
    now: datetime,
) -> RedemptionCard:
    """Hand a redemption over, or cancel it (stock back, points back), when `action` is
    allowed (`allowed_actions`). A chief's action is audit-logged."""
    redemption, item, owner, in_area = await _load(session, actor, redemption_id)
    if refused := _refusal(action, redemption, owner, actor, in_area):
        raise refused
    async with write_transaction(session):
        closed = await _close(
            session, redemption.id, to=_CLOSES_TO[action], now=now, closed_by=actor.id
        )
        if closed is None:
            raise StaleAction("rewards-error-not-reserved")
        if action == RedemptionAction.HAND_OVER:
            await audit.record(session, actor, "rewards.hand_over", "redemption", redemption.id)
        elif owner.id != actor.id:
            await audit.record(session, actor, "rewards.cancel", "redemption", redemption.id)
    return RedemptionCard(closed, item, owner, [])


async def hand_over(
    session: AsyncSession, actor: Resident, redemption_id: int, *, now: datetime
) -> RedemptionCard:
    return await act(session, actor, redemption_id, RedemptionAction.HAND_OVER, now=now)


async def cancel(
    session: AsyncSession, actor: Resident, redemption_id: int, *, now: datetime
) -> RedemptionCard:
    """By the resident who redeemed, or a chief of their area: stock back, points back."""
    return await act(session, actor, redemption_id, RedemptionAction.CANCEL, now=now)


async def expire_due(
    session: AsyncSession, now: datetime, *, limit: int = 200
) -> list[tuple[Redemption, RewardItem, Resident]]:
    """Expire reservations past their pickup deadline (refund, stock back); each one is
    claimed by a conditional UPDATE, so a second run or another process skips it."""
    due = list(
        (
            await session.scalars(
                select(Redemption.id)
                .where(
                    Redemption.state == RedemptionState.RESERVED,
                    Redemption.expires_at <= now,
                )
                .order_by(Redemption.expires_at)
                .limit(limit)
            )
        ).all()
    )
    expired: list[tuple[Redemption, RewardItem, Resident]] = []
    for redemption_id in due:
        async with write_transaction(session):
            closed = await _close(
                session, redemption_id, to=RedemptionState.EXPIRED, now=now, closed_by=None
            )
        if closed is None:
            continue
        item = await session.get(RewardItem, closed.item_id)
        owner = await session.get(Resident, closed.resident_id)
        assert item is not None and owner is not None
        expired.append((closed, item, owner))
    return expired


async def pending(
    session: AsyncSession, actor: Resident, *, limit: int = 10, offset: int = 0
) -> tuple[list[RedemptionCard], int]:
    """Reserved redemptions waiting for pickup in the actor's area (the query is the area
    filter), oldest first, and how many there are."""
    require_role(actor, Role.GRID_CHIEF)
    stmt = (
        select(Redemption, RewardItem, Resident)
        .join(RewardItem, Redemption.item_id == RewardItem.id)
        .join(Resident, Redemption.resident_id == Resident.id)
        .join(Building, Resident.building_id == Building.id)
        .where(Redemption.state == RedemptionState.RESERVED)
    )
    if actor.role == Role.GRID_CHIEF:
        stmt = stmt.where(Building.grid_id == actor.chief_grid_id)
    else:
        stmt = stmt.where(RewardItem.community_id == await community_of(session, actor))
    rows = (await session.execute(stmt.order_by(Redemption.id).limit(limit).offset(offset))).all()
    total = await session.scalar(select(func.count()).select_from(stmt.subquery()))
    cards = [
        RedemptionCard(r, i, o, allowed_actions(r, o, actor, in_area=True)) for r, i, o in rows
    ]
    return cards, int(total or 0)


async def my_redemptions(
    session: AsyncSession, resident: Resident, *, limit: int = 5
) -> list[tuple[Redemption, RewardItem]]:
    rows = await session.execute(
        select(Redemption, RewardItem)
        .join(RewardItem, Redemption.item_id == RewardItem.id)
        .where(
            Redemption.resident_id == resident.id,
            Redemption.state == RedemptionState.RESERVED,
        )
        .order_by(Redemption.id.desc())
        .limit(limit)
    )
    return [(r, i) for r, i in rows.all()]
