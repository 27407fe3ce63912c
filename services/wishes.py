"""Micro-wishes (微心愿): post, claim, release, fulfil, withdraw, relay messages.

State machine: `open → claimed → fulfilled`; `open|claimed → withdrawn` (author);
`claimed → open` (claimer releases). Every change is a conditional UPDATE on `status` (so
fifty residents pressing Claim at once store exactly one claim) and a `wish_events` row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from linli.models import Building, Grid, Resident
from linli.models.db import write_transaction
from linli.models.wishes import Wish, WishCategory, WishEvent, WishStatus
from linli.services import bindings, ledger, outbox, structure
from linli.services.authz import buildings_in_area, manages_building, require_verified
from linli.services.errors import InvalidState, NotFound, PermissionDenied, ValidationFailed

TEXT_MAX = 500
OFFLINE_NAME_MAX = 100
POST_SOURCE = "wish"
"""`outbox_messages.source` of a wish's group posts (source id: the wish)."""


@dataclass(frozen=True)
class WishInfo:
    """What handlers need to show a wish (plain values, no lazy loads)."""

    wish: Wish
    building: Building
    grid: Grid
    author: Resident | None
    claimer: Resident | None
    entered_by: Resident | None

    @property
    def public_author_name(self) -> str | None:
        """The author's name for group posts: only when they chose to show it."""
        if not self.wish.show_name:
            return None
        if self.author is not None:
            return self.author.display_name or None
        return self.wish.offline_author


def check_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationFailed("wish-error-empty")
    if len(text) > TEXT_MAX:
        raise ValidationFailed("wish-error-too-long", limit=str(TEXT_MAX), length=str(len(text)))
    return text


def _event(
    wish: Wish,
    actor: Resident | None,
    action: str,
    old: str | None,
    new: str | None,
    now: datetime,
    note: str = "",
) -> WishEvent:
    return WishEvent(
        wish_id=wish.id,
        at=now,
        actor_id=actor.id if actor else None,
        action=action,
        from_status=old,
        to_status=new,
        note=note[:500],
    )


async def create(
    session: AsyncSession,
    actor: Resident,
    *,
    category: str,
    text: str,
    voice_file_id: str | None,
    photo_file_id: str | None,
    show_name: bool,
    now: datetime,
    offline_author: str | None = None,
    building_id: int | None = None,
    announce: Callable[[WishInfo], tuple[str, dict[str, Any] | None]] | None = None,
) -> Wish:
    """Store a new wish. With `offline_author` a chief enters it for a resident without a
    phone, in a building of the chief's area (`building_id`).

    `announce` renders the group post (text, inline keyboard as JSON): it is enqueued in
    the outbox for the grid's groups in the same transaction as the wish, so a wish is
    posted exactly when it is stored (call `bot.delivery.sender.wake()` after)."""
    require_verified(actor)
    try:
        cat = WishCategory(category)
    except ValueError:
        raise ValidationFailed() from None
    if voice_file_id is None:
        text = check_text(text)
    if offline_author is not None:
        offline_author = offline_author.strip()[:OFFLINE_NAME_MAX]
        if not offline_author or building_id is None:
            raise ValidationFailed()
        building, grid = await structure.managed_building(session, actor, building_id)
    else:
        if actor.building_id is None:
            raise PermissionDenied("error-not-verified")
        building, grid = await structure.get_building(session, actor.building_id)
    async with write_transaction(session):
        wish = Wish(
            grid_id=grid.id,
            building_id=building.id,
            author_id=None if offline_author else actor.id,
            offline_author=offline_author,
            entered_by_id=actor.id if offline_author else None,
            category=cat,
            text=text if voice_file_id is None else text.strip()[:TEXT_MAX],
            voice_file_id=voice_file_id,
            photo_file_id=photo_file_id,
            show_name=show_name,
            status=WishStatus.OPEN,
            created_at=now,
            updated_at=now,
        )
        session.add(wish)
        await session.flush()
        note = "entered_by" if offline_author else ""
        session.add(_event(wish, actor, "posted", None, WishStatus.OPEN, now, note))
        if announce is not None:
            chats = await bindings.chats_for_grid(session, grid.id)
            if chats:
                info = WishInfo(
                    wish=wish,
                    building=building,
                    grid=grid,
                    author=None if offline_author else actor,
                    claimer=None,
                    entered_by=actor if offline_author else None,
                )
                text, markup = announce(info)
                await outbox.enqueue(
                    session,
                    chat_ids=chats,
                    text=text,
                    source=POST_SOURCE,
                    source_id=wish.id,
                    reply_markup=markup,
                )
    return wish


async def info(session: AsyncSession, wish_id: int) -> WishInfo:
    wish = await session.get(Wish, wish_id, populate_existing=True)
    if wish is None:
        raise NotFound("wish-error-not-found", code=f"W{wish_id}")
    building, grid = await structure.get_building(session, wish.building_id)
    people = {
        r.id: r
        for r in (
            await session.scalars(
                select(Resident).where(
                    Resident.id.in_(
                        [i for i in (wish.author_id, wish.claimer_id, wish.entered_by_id) if i]
                    )
                )
            )
        ).all()
    }
    return WishInfo(
        wish=wish,
        building=building,
        grid=grid,
        author=people.get(wish.author_id or 0),
        claimer=people.get(wish.claimer_id or 0),
        entered_by=people.get(wish.entered_by_id or 0),
    )


def _bad_state(wish: Wish) -> InvalidState:
    return InvalidState("wish-error-state", code=wish.code, status=wish.status.value)


async def _transition(
    session: AsyncSession,
    wish_id: int,
    actor: Resident,
    action: str,
    allowed: tuple[WishStatus, ...],
    to: WishStatus,
    now: datetime,
    *,
    check: Callable[[Wish], None],
    extra_where: tuple = (),
    values: dict | None = None,
) -> Wish:
    """Move a wish from one of `allowed` to `to` with a conditional UPDATE."""
    async with write_transaction(session):
        wish = await session.get(Wish, wish_id, populate_existing=True)
        if wish is None:
            raise NotFound("wish-error-not-found", code=f"W{wish_id}")
        check(wish)
        old = wish.status
        if old not in allowed:
            raise _bad_state(wish)
        result = await session.execute(
            update(Wish)
            .where(Wish.id == wish_id, Wish.status == old, *extra_where)
            .values(status=to, updated_at=now, **(values or {}))
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise _bad_state(wish)
        session.add(_event(wish, actor, action, old, to, now))
    await session.refresh(wish)
    return wish


async def claim(session: AsyncSession, actor: Resident | None, wish_id: int, now: datetime) -> Wish:
    """The first claim wins: `UPDATE ... WHERE status = 'open'`; the others are told it is
    taken."""
    actor = require_verified(actor)

    def check(wish: Wish) -> None:
        if wish.author_id == actor.id:
            raise InvalidState("wish-error-own")
        if wish.status == WishStatus.CLAIMED:
            raise InvalidState("wish-error-taken", code=wish.code)

    async with write_transaction(session):
        wish = await session.get(Wish, wish_id, populate_existing=True)
        if wish is None:
            raise NotFound("wish-error-not-found", code=f"W{wish_id}")
        check(wish)
        if wish.status != WishStatus.OPEN:
            raise _bad_state(wish)
        result = await session.execute(
            update(Wish)
            .where(Wish.id == wish_id, Wish.status == WishStatus.OPEN)
            .values(status=WishStatus.CLAIMED, claimer_id=actor.id, claimed_at=now, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise InvalidState("wish-error-taken", code=wish.code)
        session.add(_event(wish, actor, "claimed", WishStatus.OPEN, WishStatus.CLAIMED, now))
    await session.refresh(wish)
    return wish


async def release(session: AsyncSession, actor: Resident, wish_id: int, now: datetime) -> Wish:
    """The claimer gives the wish back: it is open again."""
    require_verified(actor)

    def check(wish: Wish) -> None:
        if wish.claimer_id != actor.id or wish.status != WishStatus.CLAIMED:
            if wish.status == WishStatus.CLAIMED:
                raise PermissionDenied("wish-error-not-claimer")
            raise _bad_state(wish)

    return await _transition(
        session,
        wish_id,
        actor,
        "released",
        (WishStatus.CLAIMED,),
        WishStatus.OPEN,
        now,
        check=check,
        extra_where=(Wish.claimer_id == actor.id,),
        values={"claimer_id": None, "claimed_at": None},
    )


def _is_author(actor: Resident, wish: Wish) -> bool:
    if wish.author_id is not None:
        return wish.author_id == actor.id
    return wish.entered_by_id == actor.id


async def withdraw(session: AsyncSession, actor: Resident, wish_id: int, now: datetime) -> Wish:
    require_verified(actor)

    def check(wish: Wish) -> None:
        if not _is_author(actor, wish):
            raise PermissionDenied("wish-error-not-author")

    return await _transition(
        session,
        wish_id,
        actor,
        "withdrawn",
        (WishStatus.OPEN, WishStatus.CLAIMED),
        WishStatus.WITHDRAWN,
        now,
        check=check,
        values={"withdrawn_at": now},
    )


async def fulfil(
    session: AsyncSession,
    actor: Resident,
    wish_id: int,
    now: datetime,
    points_for: Callable[[str], int],
) -> Wish:
    """The author confirms: the wish is fulfilled and the claimer is credited volunteer
    points (once per wish) in the same transaction."""
    require_verified(actor)
    async with write_transaction(session):
        wish = await session.get(Wish, wish_id, populate_existing=True)
        if wish is None:
            raise NotFound("wish-error-not-found", code=f"W{wish_id}")
        if not _is_author(actor, wish):
            raise PermissionDenied("wish-error-not-author")
        if wish.status != WishStatus.CLAIMED or wish.claimer_id is None:
            raise _bad_state(wish)
        points = points_for(wish.category.value)
        result = await session.execute(
            update(Wish)
            .where(Wish.id == wish_id, Wish.status == WishStatus.CLAIMED)
            .values(status=WishStatus.FULFILLED, fulfilled_at=now, updated_at=now, points=points)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise _bad_state(wish)
        session.add(_event(wish, actor, "fulfilled", WishStatus.CLAIMED, WishStatus.FULFILLED, now))
        await ledger.credit_wish_fulfilment(
            session,
            wish_id=wish.id,
            claimer_id=wish.claimer_id,
            author_id=wish.author_id or actor.id,
            points=points,
        )
    await session.refresh(wish)
    return wish


async def relay_peer(
    session: AsyncSession, actor: Resident, wish_id: int
) -> tuple[WishInfo, Resident, str]:
    """Who receives a relayed message from `actor` about a claimed wish, and in which role
    the actor writes ("author" or "claimer"). Phone numbers are never exchanged by the bot."""
    require_verified(actor)
    data = await info(session, wish_id)
    wish = data.wish
    if wish.status != WishStatus.CLAIMED or data.claimer is None:
        raise _bad_state(wish)
    if actor.id == wish.claimer_id:
        peer = data.author or data.entered_by
        role = "claimer"
    elif _is_author(actor, wish):
        peer = data.claimer
        role = "author"
    else:
        raise PermissionDenied("wish-error-not-party")
    if peer is None:
        raise NotFound()
    return data, peer, role


async def group_count(session: AsyncSession, wish_id: int) -> int:
    """How many groups the wish's post was sent (or is being sent) to."""
    return sum(m.total for m in await outbox.messages_of(session, POST_SOURCE, wish_id))


async def posts_of(session: AsyncSession, wish_id: int) -> list[tuple[int, int]]:
    """(chat id, message id) of the wish's group posts that Telegram accepted, to edit them."""
    return await outbox.sent_posts(session, POST_SOURCE, wish_id)


async def list_mine(session: AsyncSession, actor: Resident) -> list[Wish]:
    """Wishes the actor posted, entered for someone, or claimed; newest first."""
    rows = await session.scalars(
        select(Wish)
        .where(
            or_(
                Wish.author_id == actor.id,
                Wish.entered_by_id == actor.id,
                Wish.claimer_id == actor.id,
            )
        )
        .order_by(Wish.created_at.desc(), Wish.id.desc())
    )
    return list(rows.all())


async def open_in_area(session: AsyncSession, actor: Resident) -> list[Wish]:
    rows = await session.scalars(
        select(Wish)
        .where(
            Wish.building_id.in_(buildings_in_area(actor)),
            Wish.status.in_((WishStatus.OPEN, WishStatus.CLAIMED)),
        )
        .order_by(Wish.created_at, Wish.id)
    )
    return list(rows.all())


async def view_for(session: AsyncSession, actor: Resident, wish_id: int) -> WishInfo:
    """A wish as `actor` may see it: its author, claimer, a chief of its area, or anyone
    verified while it is open (it is posted publicly)."""
    require_verified(actor)
    data = await info(session, wish_id)
    wish = data.wish
    if (
        _is_author(actor, wish)
        or wish.claimer_id == actor.id
        or manages_building(actor, data.building, data.grid)
        or wish.status == WishStatus.OPEN
    ):
        return data
    raise PermissionDenied("error-outside-area")
