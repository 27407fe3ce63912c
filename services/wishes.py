"""Micro-wishes (微心愿): post, claim, release, fulfil, withdraw, relay messages.

State machine: `open → claimed → fulfilled`; `open|claimed → withdrawn` (author);
`claimed → open` (claimer releases). `allowed_actions` says what a given resident may do
now (the buttons they see); every change checks the same function, then is a conditional
UPDATE on `status` (so fifty residents pressing Claim at once store exactly one claim) and
a `wish_events` row.

"The author" is the resident who posted the wish, or the chief who entered it for a
resident without a phone (`services.proxy`): they confirm, withdraw and relay for them.
Nobody is credited for a wish they posted or entered: neither may claim it, and a
fulfilment whose claimer posted or entered the wish is refused (checked again inside the
crediting transaction).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from linli.models import Building, Grid, Resident
from linli.models.db import write_transaction
from linli.models.wishes import Wish, WishCategory, WishEvent, WishStatus
from linli.services import bindings, ledger, outbox, proxy, structure
from linli.services.authz import buildings_in_area, manages_building, require_verified
from linli.services.errors import (
    DomainError,
    InvalidState,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from linli.services.parsing import has_words

TEXT_MAX = 500
POST_SOURCE = "wish"
"""`outbox_messages.source` of a wish's group posts (source id: the wish)."""
CLAIM_LIST_MAX = 10


class WishAction(StrEnum):
    """What a resident may do to a wish (the values are the buttons' callback data)."""

    CLAIM = "claim"
    FULFIL = "fulfil"
    MSG = "msg"
    RELEASE = "release"
    WITHDRAW = "withdraw"


def _is_author(actor: Resident, wish: Wish) -> bool:
    """Who acts as the author: the resident who posted it, else the chief who entered it."""
    if wish.author_id is not None:
        return wish.author_id == actor.id
    return wish.entered_by_id == actor.id


def _posted_or_entered(resident_id: int | None, wish: Wish) -> bool:
    return resident_id is not None and resident_id in (wish.author_id, wish.entered_by_id)


def allowed_actions(wish: Wish, actor: Resident | None) -> list[WishAction]:
    """What `actor` may do now: anyone who neither posted nor entered it claims an open
    wish; on a claimed one the author confirms it fulfilled (never crediting someone who
    posted or entered it) and the claimer gives it back, and both may write to each other;
    the author withdraws an open or claimed wish."""
    if actor is None or not actor.is_verified:
        return []
    author = _is_author(actor, wish)
    actions: list[WishAction] = []
    if wish.status == WishStatus.OPEN and not _posted_or_entered(actor.id, wish):
        actions.append(WishAction.CLAIM)
    if wish.status == WishStatus.CLAIMED:
        if author:
            if not _posted_or_entered(wish.claimer_id, wish):
                actions.append(WishAction.FULFIL)
            actions.append(WishAction.MSG)
        if wish.claimer_id == actor.id:
            actions += [WishAction.MSG, WishAction.RELEASE]
    if author and wish.status in (WishStatus.OPEN, WishStatus.CLAIMED):
        actions.append(WishAction.WITHDRAW)
    return actions


def _refusal(wish: Wish, actor: Resident, action: WishAction) -> DomainError:
    """Why `action` is not among the allowed ones, in the words the resident needs."""
    claimed = wish.status == WishStatus.CLAIMED
    if action == WishAction.CLAIM:
        if _posted_or_entered(actor.id, wish):
            return InvalidState("wish-error-own")
        if claimed:
            return InvalidState("wish-error-taken", code=wish.code)
    elif action == WishAction.RELEASE:
        if claimed:
            return PermissionDenied("wish-error-not-claimer")
    elif action == WishAction.MSG:
        if claimed:
            return PermissionDenied("wish-error-not-party")
    elif not _is_author(actor, wish):
        return PermissionDenied("wish-error-not-author")
    elif action == WishAction.FULFIL and claimed:
        return PermissionDenied("wish-error-self-credit")
    return _bad_state(wish)


def require_action(wish: Wish, actor: Resident | None, action: WishAction) -> Resident:
    """The actor, verified and allowed to take `action` now; else the reason."""
    actor = require_verified(actor)
    if action not in allowed_actions(wish, actor):
        raise _refusal(wish, actor, action)
    return actor


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
        """The author's name for group posts: only when they chose to show it; for a
        resident a chief entered it for, only their name (never the door number) and only
        when they agreed in person (`show_name`, a separate choice in /wish_for)."""
        if not self.wish.show_name:
            return None
        if self.author is not None:
            return self.author.display_name or None
        return proxy.public_name(self.wish.offline_author)


def check_text(text: str, *, required: bool = True) -> str:
    """The wish in words: 1–TEXT_MAX characters with at least one letter or digit. Not
    `required` when a voice message or a photo says it: then wordless text is dropped."""
    text = text.strip()
    if not text or not has_words(text):
        if not required:
            return ""
        raise ValidationFailed(
            "wish-error-empty" if not text else "wish-error-no-words", limit=str(TEXT_MAX)
        )
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
    posted exactly when it is stored (wake the sender after)."""
    require_verified(actor)
    try:
        cat = WishCategory(category)
    except ValueError:
        raise ValidationFailed() from None
    text = check_text(text, required=voice_file_id is None and photo_file_id is None)
    offline_author, building, grid = await proxy.filing_place(
        session, actor, offline_author, building_id
    )
    async with write_transaction(session):
        wish = Wish(
            grid_id=grid.id,
            building_id=building.id,
            author_id=None if offline_author else actor.id,
            offline_author=offline_author,
            entered_by_id=actor.id if offline_author else None,
            category=cat,
            text=text,
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


async def _checked(
    session: AsyncSession, wish_id: int, actor: Resident | None, action: WishAction
) -> tuple[Wish, Resident]:
    wish = await session.get(Wish, wish_id, populate_existing=True)
    if wish is None:
        raise NotFound("wish-error-not-found", code=f"W{wish_id}")
    return wish, require_action(wish, actor, action)


async def _transition(
    session: AsyncSession,
    wish_id: int,
    actor: Resident | None,
    action: WishAction,
    to: WishStatus,
    now: datetime,
    *,
    values: Callable[[Wish, Resident], dict[str, Any]] = lambda wish, actor: {},
    lost: Callable[[Wish], DomainError] = _bad_state,
    also: Callable[[Wish, Resident], Awaitable[None]] | None = None,
) -> Wish:
    """Move a wish by `action` (checked against `allowed_actions`) to `to` with a
    conditional UPDATE from the status it had; `lost` is the error when another change
    came first, `also` writes more in the same transaction."""
    async with write_transaction(session):
        wish, actor = await _checked(session, wish_id, actor, action)
        old = wish.status
        result = await session.execute(
            update(Wish)
            .where(Wish.id == wish_id, Wish.status == old)
            .values(status=to, updated_at=now, **values(wish, actor))
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise lost(wish)
        session.add(_event(wish, actor, _EVENTS[action], old, to, now))
        if also is not None:
            await also(wish, actor)
    await session.refresh(wish)
    return wish


_EVENTS = {
    WishAction.CLAIM: "claimed",
    WishAction.RELEASE: "released",
    WishAction.WITHDRAW: "withdrawn",
    WishAction.FULFIL: "fulfilled",
}


async def claim(session: AsyncSession, actor: Resident | None, wish_id: int, now: datetime) -> Wish:
    """The first claim wins: `UPDATE ... WHERE status = 'open'`; the others are told it is
    taken."""
    return await _transition(
        session,
        wish_id,
        actor,
        WishAction.CLAIM,
        WishStatus.CLAIMED,
        now,
        values=lambda wish, actor: {"claimer_id": actor.id, "claimed_at": now},
        lost=lambda wish: InvalidState("wish-error-taken", code=wish.code),
    )


async def release(session: AsyncSession, actor: Resident, wish_id: int, now: datetime) -> Wish:
    """The claimer gives the wish back: it is open again."""
    return await _transition(
        session,
        wish_id,
        actor,
        WishAction.RELEASE,
        WishStatus.OPEN,
        now,
        values=lambda wish, actor: {"claimer_id": None, "claimed_at": None},
    )


async def withdraw(session: AsyncSession, actor: Resident, wish_id: int, now: datetime) -> Wish:
    return await _transition(
        session,
        wish_id,
        actor,
        WishAction.WITHDRAW,
        WishStatus.WITHDRAWN,
        now,
        values=lambda wish, actor: {"withdrawn_at": now},
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

    async def credit(wish: Wish, actor: Resident) -> None:
        assert wish.claimer_id is not None
        if _posted_or_entered(wish.claimer_id, wish):
            raise PermissionDenied("wish-error-self-credit")
        await ledger.credit_wish_fulfilment(
            session,
            wish_id=wish.id,
            claimer_id=wish.claimer_id,
            author_id=wish.author_id or actor.id,
            points=points_for(wish.category.value),
        )

    return await _transition(
        session,
        wish_id,
        actor,
        WishAction.FULFIL,
        WishStatus.FULFILLED,
        now,
        values=lambda wish, actor: {"fulfilled_at": now, "points": points_for(wish.category.value)},
        also=credit,
    )


async def relay_peer(
    session: AsyncSession, actor: Resident, wish_id: int
) -> tuple[WishInfo, Resident, str]:
    """Who receives a relayed message from `actor` about a claimed wish, and in which role
    the actor writes ("author" or "claimer"). Phone numbers are never exchanged by the bot."""
    data = await info(session, wish_id)
    wish = data.wish
    require_action(wish, actor, WishAction.MSG)
    if actor.id == wish.claimer_id:
        peer = data.author or data.entered_by
        role = "claimer"
    else:
        peer = data.claimer
        role = "author"
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


async def open_for_claim(session: AsyncSession, actor: Resident | None) -> list[Wish]:
    """Open wishes of the actor's grid that they could claim, oldest first (a short list
    for `/claim` without an id)."""
    actor = require_verified(actor)
    if actor.building_id is None:
        return []
    grid_id = select(Building.grid_id).where(Building.id == actor.building_id).scalar_subquery()
    rows = await session.scalars(
        select(Wish)
        .where(
            Wish.grid_id == grid_id,
            Wish.status == WishStatus.OPEN,
            Wish.author_id.is_distinct_from(actor.id),
            Wish.entered_by_id.is_distinct_from(actor.id),
        )
        .order_by(Wish.created_at, Wish.id)
        .limit(CLAIM_LIST_MAX)
    )
    return list(rows.all())
