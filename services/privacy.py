"""Personal data (PIPL / GDPR): what is stored about a resident, their copy of it, deleting
their account, and the retention period of closed complaints. Transport-free.

Deleting an account keeps the resident's row and everything that points to it (ledger
entries, ballots, histories), so sums, turnout and histories still add up, but erases what
identifies the person: name, username, language, Telegram id (replaced by a value that can
never be a Telegram chat id), voice messages, photos and exact locations they sent, and the
Telegram id kept in append-only tables (the only update their triggers allow). See
docs/privacy.md for the decisions and `REFERENCES` for what happens to each table.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import String, cast, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from linli.models import AuditLog, Building, ChatBinding, Grid, Resident, ResidentStatus, Role
from linli.models.complaints import (
    Complaint,
    ComplaintEvent,
    ComplaintFollower,
    ComplaintHandler,
    ComplaintStatus,
)
from linli.models.db import write_transaction
from linli.models.deliberation import (
    Topic,
    TopicComment,
    TopicRating,
    TopicSupport,
    Vote,
    VoteBallot,
)
from linli.models.notices import Notice, OutboxMessage
from linli.models.points import (
    Activity,
    ActivitySignup,
    ActivityState,
    LedgerEntry,
    LedgerKind,
    PointsBalance,
    PointsPrivacy,
    Redemption,
    RedemptionState,
    RewardItem,
    SignupStatus,
)
from linli.models.wishes import Wish, WishEvent, WishStatus
from linli.services import activities, audit, ledger, partner_privacy
from linli.services.errors import PermissionDenied, StaleAction

FORMAT = "linli.personal-data"
VERSION = 1

# Deleted residents get `DELETED_TELEGRAM_BASE - id`: unique (the column is), and far below
# any Telegram chat id (supergroups stop near -2**52), so nothing sent to it reaches anyone.
DELETED_TELEGRAM_BASE = -(2**62)

# What replaces the text of an anonymous complaint after the retention period.
RETENTION_MARKER = "〔已按保留期限删除 · removed after the retention period〕"
# What replaces a deleted resident's name in stored copies of group posts; names shorter than
# NAME_MIN are left alone (a one-character name would match unrelated words).
ERASED_NAME = "〔已注销 · deleted〕"
NAME_MIN = 2
FINISHED = (ComplaintStatus.CLOSED, ComplaintStatus.REJECTED, ComplaintStatus.MERGED)
RETENTION_BATCH = 500

# Every column that references a resident by foreign key, and what the export and the
# deletion do with it (tests/test_privacy.py checks that the list is complete).
REFERENCES: dict[tuple[str, str], str] = {
    ("complaints", "author_id"): "exported in full; photos, voice, coordinates erased",
    ("complaints", "entered_by_id"): "chiefs only (who cannot delete); exported as codes",
    ("complaints", "assignee_id"): "chiefs only; exported as codes",
    ("complaint_followers", "resident_id"): "exported; kept (affected counts stay)",
    ("complaint_handlers", "created_by_id"): "chiefs only; exported as ids",
    ("wishes", "author_id"): "exported in full; photo, voice erased, open ones withdrawn",
    ("wishes", "entered_by_id"): "chiefs only; exported as codes",
    ("wishes", "claimer_id"): "exported; kept",
    ("topics", "author_id"): "exported in full; voice erased",
    ("topic_supports", "resident_id"): "exported; kept (support counts stay)",
    ("topic_comments", "resident_id"): "exported in full; voice erased",
    ("topic_ratings", "resident_id"): "exported; kept",
    ("votes", "created_by_id"): "chiefs only; exported as ids",
    ("vote_ballots", "resident_id"): "exported as 'voted' (never the choice); kept (turnout)",
    ("ledger_entries", "resident_id"): "exported; kept (append-only, balances stay)",
    ("points_balances", "resident_id"): "exported; kept",
    ("points_privacy", "resident_id"): "exported; set to 'a neighbour' on deletion",
    ("activities", "created_by_id"): "chiefs only; exported as ids",
    ("activity_signups", "resident_id"): "exported; kept (attendance counts stay)",
    ("points_withheld", "resident_id"): "kept with the ledger (credits a cap withheld)",
    ("points_withheld", "counterpart_id"): "kept with the ledger (the wish's author)",
    ("points_cap_overrides", "resident_id"): "admins only; kept with the ledger",
    ("points_cap_overrides", "admin_id"): "admins only; kept with the ledger",
    ("checkin_attempts", "resident_id"): "wrong check-in codes; purged after a day",
    ("reward_items", "created_by_id"): "admins only; exported as ids",
    ("redemptions", "resident_id"): "exported; kept",
    ("notices", "author_id"): "chiefs only; exported with their text",
    ("outbox_messages", "notify_resident_id"): "exported as ids; link and private chat erased",
    ("chat_bindings", "bound_by_id"): "exported; link erased",
    ("cockpit_links", "resident_id"): "hashed secret, not exported; stops working on deletion",
    ("cockpit_sessions", "resident_id"): "hashed secret, not exported; ends at the next request",
}
REFERENCES.update(partner_privacy.REFERENCES)


def deleted_telegram_id(resident_id: int) -> int:
    return DELETED_TELEGRAM_BASE - resident_id


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


# --- what is stored ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    name: str
    username: str | None
    telegram_id: int
    role: Role
    status: ResidentStatus
    grid: str | None
    building: str | None
    language: str | None
    as_neighbour: bool
    counts: dict[str, int]


async def _count(session: AsyncSession, model: Any, *where: Any) -> int:
    return int(await session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def _place(session: AsyncSession, resident: Resident) -> tuple[str | None, str | None]:
    if resident.building_id is None:
        return None, None
    row = (
        await session.execute(
            select(Grid.name, Building.name)
            .join(Building, Building.grid_id == Grid.id)
            .where(Building.id == resident.building_id)
        )
    ).first()
    return (row[0], row[1]) if row is not None else (None, None)


async def summary(session: AsyncSession, resident: Resident) -> Summary:
    """A short overview of what is stored about `resident` (the /privacy menu)."""
    rid = resident.id
    grid, building = await _place(session, resident)
    privacy = await session.get(PointsPrivacy, rid)
    counts = {
        "wishes": await _count(session, Wish, Wish.author_id == rid),
        "claimed": await _count(session, Wish, Wish.claimer_id == rid),
        "complaints": await _count(session, Complaint, Complaint.author_id == rid),
        "followed": await _count(
            session,
            ComplaintFollower,
            ComplaintFollower.resident_id == rid,
            ComplaintFollower.kind != "author",
        ),
        "topics": await _count(session, Topic, Topic.author_id == rid),
        "comments": await _count(session, TopicComment, TopicComment.resident_id == rid),
        "supports": await _count(session, TopicSupport, TopicSupport.resident_id == rid),
        "votes": await _count(session, VoteBallot, VoteBallot.resident_id == rid),
        "ledger": await _count(session, LedgerEntry, LedgerEntry.resident_id == rid),
        "redemptions": await _count(session, Redemption, Redemption.resident_id == rid),
        "activities": await _count(session, ActivitySignup, ActivitySignup.resident_id == rid),
    }
    return Summary(
        name=resident.display_name,
        username=resident.username,
        telegram_id=resident.telegram_id,
        role=resident.role,
        status=resident.status,
        grid=grid,
        building=building,
        language=resident.language,
        as_neighbour=bool(privacy and privacy.as_neighbour),
        counts=counts,
    )


# --- the copy of one's data -------------------------------------------------------------------


async def _rows(session: AsyncSession, stmt: Any) -> list[Any]:
    return list((await session.scalars(stmt)).all())


async def export(session: AsyncSession, resident: Resident, now: datetime) -> dict[str, Any]:
    """Everything stored about `resident`, as a JSON-ready document (`FORMAT`, `VERSION`).

    Only the resident's own data: other people appear as internal ids at most (never a
    name or a Telegram id), and ballots say that a vote was cast, never the choice.
    """
    rid = resident.id
    grid, building = await _place(session, resident)
    privacy = await session.get(PointsPrivacy, rid)
    balance = await session.get(PointsBalance, rid)

    complaints = await _rows(
        session, select(Complaint).where(Complaint.author_id == rid).order_by(Complaint.id)
    )
    events = await _rows(
        session,
        select(ComplaintEvent)
        .where(ComplaintEvent.complaint_id.in_([c.id for c in complaints]))
        .order_by(ComplaintEvent.id),
    )
    history: dict[int, list[dict[str, Any]]] = {}
    for event in events:
        history.setdefault(event.complaint_id, []).append(
            {
                "at": _iso(event.at),
                "action": event.action,
                "from": event.from_status,
                "to": event.to_status,
                "note": event.note,
                "by_me": event.actor_id == rid,
            }
        )
    wishes = await _rows(session, select(Wish).where(Wish.author_id == rid).order_by(Wish.id))
    wish_events = await _rows(
        session,
        select(WishEvent)
        .where(WishEvent.wish_id.in_([w.id for w in wishes]))
        .order_by(WishEvent.id),
    )
    wish_history: dict[int, list[dict[str, Any]]] = {}
    for event in wish_events:
        wish_history.setdefault(event.wish_id, []).append(
            {"at": _iso(event.at), "action": event.action, "from": event.from_status,
             "to": event.to_status}
        )  # fmt: skip
    claimed = await _rows(session, select(Wish).where(Wish.claimer_id == rid).order_by(Wish.id))
    followed = await _rows(
        session,
        select(ComplaintFollower)
        .where(ComplaintFollower.resident_id == rid)
        .order_by(ComplaintFollower.id),
    )
    topics = await _rows(session, select(Topic).where(Topic.author_id == rid).order_by(Topic.id))
    supports = await _rows(
        session,
        select(TopicSupport).where(TopicSupport.resident_id == rid).order_by(TopicSupport.id),
    )
    comments = await _rows(
        session,
        select(TopicComment).where(TopicComment.resident_id == rid).order_by(TopicComment.id),
    )
    ratings = await _rows(
        session, select(TopicRating).where(TopicRating.resident_id == rid).order_by(TopicRating.id)
    )
    ballots = (
        await session.execute(
            select(Vote.id, Vote.topic_id, Vote.question, Vote.state)
            .join(VoteBallot, VoteBallot.vote_id == Vote.id)
            .where(VoteBallot.resident_id == rid)
            .order_by(Vote.id)
        )
    ).all()
    ledger = await _rows(
        session,
        select(LedgerEntry).where(LedgerEntry.resident_id == rid).order_by(LedgerEntry.id),
    )
    redemptions = (
        await session.execute(
            select(Redemption, RewardItem.name)
            .join(RewardItem, RewardItem.id == Redemption.item_id)
            .where(Redemption.resident_id == rid)
            .order_by(Redemption.id)
        )
    ).all()
    signups = (
        await session.execute(
            select(ActivitySignup, Activity)
            .join(Activity, Activity.id == ActivitySignup.activity_id)
            .where(ActivitySignup.resident_id == rid)
            .order_by(ActivitySignup.id)
        )
    ).all()
    notices = await _rows(
        session, select(Notice).where(Notice.author_id == rid).order_by(Notice.id)
    )
    bindings = await _rows(
        session, select(ChatBinding).where(ChatBinding.bound_by_id == rid).order_by(ChatBinding.id)
    )
    audit_rows = await _rows(
        session,
        select(AuditLog)
        .where(
            or_(
                AuditLog.actor_id == rid,
                (AuditLog.target_type == "resident") & (AuditLog.target_id == rid),
            )
        )
        .order_by(AuditLog.id),
    )

    async def ids(model: Any, column: Any) -> list[int]:
        return list((await session.scalars(select(model.id).where(column == rid))).all())

    return {
        "format": FORMAT,
        "version": VERSION,
        "generated_at": _iso(now),
        "profile": {
            "id": rid,
            "telegram_id": resident.telegram_id,
            "name": resident.display_name,
            "username": resident.username,
            "language": resident.language,
            "role": resident.role.value,
            "status": resident.status.value,
            "grid": grid,
            "building": building,
            "chief_grid_id": resident.chief_grid_id,
            "chief_building_id": resident.chief_building_id,
            "applied_at": _iso(resident.applied_at),
            "verified_at": _iso(resident.verified_at),
            "created_at": _iso(resident.created_at),
            "leaderboard_as_neighbour": bool(privacy and privacy.as_neighbour),
        },
        "points": {
            "balance": balance.balance if balance is not None else 0,
            "ledger": [
                {
                    "id": e.id,
                    "at": _iso(e.created_at),
                    "delta": e.delta,
                    "kind": e.kind.value,
                    "reference": e.reference,
                    "reason": e.reason,
                }
                for e in ledger
            ],
        },
        "redemptions": [
            {
                "code": f"R{r.id}",
                "item": item,
                "cost": r.cost,
                "state": r.state.value,
                "created_at": _iso(r.created_at),
                "expires_at": _iso(r.expires_at),
                "closed_at": _iso(r.closed_at),
            }
            for r, item in redemptions
        ],
        "activities": [
            {
                "activity_id": a.id,
                "title": a.title,
                "place": a.place,
                "starts_at": _iso(a.starts_at),
                "status": s.status.value,
                "signed_up_at": _iso(s.queued_at),
                "attended_at": _iso(s.attended_at),
            }
            for s, a in signups
        ],
        "wishes": [
            {
                "code": w.code,
                "category": w.category.value,
                "text": w.text,
                "voice_file_id": w.voice_file_id,
                "photo_file_id": w.photo_file_id,
                "show_name": w.show_name,
                "status": w.status.value,
                "created_at": _iso(w.created_at),
                "claimed_at": _iso(w.claimed_at),
                "fulfilled_at": _iso(w.fulfilled_at),
                "withdrawn_at": _iso(w.withdrawn_at),
                "history": wish_history.get(w.id, []),
            }
            for w in wishes
        ],
        "wishes_claimed": [
            {
                "code": w.code,
                "status": w.status.value,
                "claimed_at": _iso(w.claimed_at),
                "fulfilled_at": _iso(w.fulfilled_at),
                "points": w.points,
            }
            for w in claimed
        ],
        "complaints": [
            {
                "code": c.code,
                "category": c.category.value,
                "anonymous": c.anonymous,
                "text": c.text,
                "voice_file_id": c.voice_file_id,
                "photo_file_ids": list(c.photo_file_ids or []),
                "latitude": c.latitude,
                "longitude": c.longitude,
                "location_text": c.location_text,
                "status": c.status.value,
                "rating": c.rating,
                "rating_comment": c.rating_comment,
                "created_at": _iso(c.created_at),
                "closed_at": _iso(c.closed_at),
                "history": history.get(c.id, []),
            }
            for c in complaints
        ],
        "complaints_followed": [
            {"complaint": f"C{f.complaint_id}", "kind": f.kind, "since": _iso(f.created_at)}
            for f in followed
        ],
        "topics": [
            {
                "ref": t.ref,
                "title": t.title,
                "description": t.description,
                "description_voice": t.description_voice,
                "state": t.state.value,
                "created_at": _iso(t.created_at),
            }
            for t in topics
        ],
        "topic_supports": [{"topic": f"T{s.topic_id}", "at": _iso(s.created_at)} for s in supports],
        "topic_comments": [
            {
                "topic": f"T{c.topic_id}",
                "label": c.label.value,
                "text": c.text,
                "voice_file_id": c.voice_file_id,
                "at": _iso(c.updated_at),
            }
            for c in comments
        ],
        "topic_ratings": [
            {"topic": f"T{r.topic_id}", "stars": r.stars, "at": _iso(r.created_at)} for r in ratings
        ],
        "votes": [
            {"vote_id": vid, "topic": f"T{tid}", "question": q, "state": st.value, "voted": True}
            for vid, tid, q, st in ballots
        ],
        "notices": [
            {
                "id": n.id,
                "kind": n.kind.value,
                "text": n.text,
                "state": n.state.value,
                "created_at": _iso(n.created_at),
            }
            for n in notices
        ],
        "chat_bindings": [
            {"chat_title": b.title, "active": b.active, "bound_at": _iso(b.created_at)}
            for b in bindings
        ],
        "as_chief": {
            "complaints_assigned": [f"C{i}" for i in await ids(Complaint, Complaint.assignee_id)],
            "complaints_entered": [f"C{i}" for i in await ids(Complaint, Complaint.entered_by_id)],
            "wishes_entered": [f"W{i}" for i in await ids(Wish, Wish.entered_by_id)],
            "complaint_handlers": await ids(ComplaintHandler, ComplaintHandler.created_by_id),
            "votes_created": await ids(Vote, Vote.created_by_id),
            "activities_created": await ids(Activity, Activity.created_by_id),
            "reward_items_created": await ids(RewardItem, RewardItem.created_by_id),
            "broadcasts": await ids(OutboxMessage, OutboxMessage.notify_resident_id),
        },
        "partners": await partner_privacy.export(session, rid),
        "audit_log": [
            {
                "at": _iso(a.at),
                "action": a.action,
                "by_me": a.actor_id == rid,
                "target_type": a.target_type,
                "target_id": a.target_id,
                # Details only where the entry is about me: as an actor's entries they may
                # name other residents' ids.
                "details": a.details if a.actor_id != rid else None,
            }
            for a in audit_rows
        ],
    }


def export_json(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2, default=str).encode("utf-8")


# --- deleting an account ----------------------------------------------------------------------


@dataclass(frozen=True)
class Promoted:
    """A resident who got the deleted resident's seat at an activity (to be told)."""

    resident: Resident
    activity: Activity


@dataclass(frozen=True)
class Deleted:
    """What a deletion changed for other people, for the caller to tell them: who moved up
    to a seat, the wishes the resident had claimed (back in the pool: their authors are
    told) and their own claimed wishes, withdrawn (their claimers are told); and how many
    points their cancelled reservations gave back."""

    promoted: list[Promoted] = field(default_factory=list)
    released: list[int] = field(default_factory=list)
    withdrawn: list[int] = field(default_factory=list)
    refunded: int = 0


async def delete_account(session: AsyncSession, resident_id: int, now: datetime) -> Deleted:
    """Erase what identifies the resident, in one transaction (see the module docstring).

    Chiefs and admins are refused: their role must first go to someone else (`/grant`), so
    no grid or building is left without a chief by surprise. A second call (a stale button)
    raises StaleAction and changes nothing. Their seats at upcoming activities go to the
    waiting list, as if they had left; wishes they claimed go back to the pool; reserved
    rewards are cancelled, stock and points given back, before the row is anonymised.
    """
    async with write_transaction(session):
        resident = await session.get(Resident, resident_id, populate_existing=True)
        if resident is None or resident.deleted_at is not None:
            raise StaleAction()
        if resident.role == Role.ADMIN:
            raise PermissionDenied("privacy-error-admin")
        if resident.role != Role.RESIDENT:
            raise PermissionDenied("privacy-error-chief")
        promoted = await _leave_upcoming_activities(session, resident, now)
        released = await _release_claimed_wishes(session, resident_id, now)
        refunded = await _cancel_reservations(session, resident_id, now)
        old_telegram_id, old_name = resident.telegram_id, resident.display_name.strip()
        claimed = await session.execute(
            update(Resident)
            .where(Resident.id == resident_id, Resident.deleted_at.is_(None))
            .values(
                telegram_id=deleted_telegram_id(resident_id),
                display_name="",
                username=None,
                language=None,
                status=ResidentStatus.BLOCKED,
                chief_grid_id=None,
                chief_building_id=None,
                deleted_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            raise StaleAction()

        privacy = await session.get(PointsPrivacy, resident_id, populate_existing=True)
        if privacy is None:
            session.add(PointsPrivacy(resident_id=resident_id, as_neighbour=True))
        else:
            privacy.as_neighbour = True

        withdrawn = await _anonymise_wishes(session, resident_id, now)
        await partner_privacy.erase(session, resident_id, now)
        # Their own media and places go; the rows (and what others did with them) stay.
        erase: list[tuple[Any, Any, dict[str, Any]]] = [
            (
                Complaint,
                Complaint.author_id,
                {"voice_file_id": None, "photo_file_ids": [], "latitude": None, "longitude": None},
            ),
            (Topic, Topic.author_id, {"description_voice": None}),
            (TopicComment, TopicComment.resident_id, {"voice_file_id": None}),
            (ChatBinding, ChatBinding.bound_by_id, {"bound_by_id": None}),
            (
                OutboxMessage,
                OutboxMessage.notify_resident_id,
                {"notify_resident_id": None, "progress_chat_id": None, "progress_message_id": None},
            ),
        ]
        for model, owner, values in erase:
            await session.execute(
                update(model)
                .where(owner == resident_id)
                .values(**values)
                .execution_options(synchronize_session=False)
            )
        if len(old_name) >= NAME_MIN:
            # Stored copies of group posts (e.g. a leaderboard that showed them by name).
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.text.contains(old_name, autoescape=True))
                .values(text=func.replace(OutboxMessage.text, old_name, ERASED_NAME))
                .execution_options(synchronize_session=False)
            )
        # Append-only tables: the one update their triggers allow (migration 0008).
        await session.execute(
            update(AuditLog)
            .where(AuditLog.actor_telegram_id == old_telegram_id)
            .values(actor_telegram_id=None)
            .execution_options(synchronize_session=False)
        )
        keyed = await session.scalars(
            select(LedgerEntry.id).where(
                LedgerEntry.idempotency_key.like(f"award:{old_telegram_id}:%")
            )
        )
        for entry_id in keyed.all():
            await session.execute(
                update(LedgerEntry)
                .where(LedgerEntry.id == entry_id)
                .values(idempotency_key=f"erased:{entry_id}")
                .execution_options(synchronize_session=False)
            )
        await audit.record(session, None, "privacy.delete", "resident", resident_id)
    await session.refresh(resident)
    return Deleted(promoted, released, withdrawn, refunded)


async def _leave_upcoming_activities(
    session: AsyncSession, resident: Resident, now: datetime
) -> list[Promoted]:
    """Cancel the resident's seats and waiting places at activities still open and not
    started (inside the deletion's transaction)."""
    activity_ids = await session.scalars(
        select(ActivitySignup.activity_id)
        .join(Activity, Activity.id == ActivitySignup.activity_id)
        .where(
            ActivitySignup.resident_id == resident.id,
            ActivitySignup.status.in_((SignupStatus.GOING, SignupStatus.WAITING)),
            Activity.state == ActivityState.OPEN,
            Activity.starts_at > now,
        )
    )
    promoted: list[Promoted] = []
    for activity_id in activity_ids.all():
        moved_up = await activities.cancel_signup(session, resident, activity_id, now=now)
        if moved_up is not None:
            activity = await session.get(Activity, activity_id)
            assert activity is not None
            promoted.append(Promoted(moved_up, activity))
    return promoted


async def _release_claimed_wishes(
    session: AsyncSession, resident_id: int, now: datetime
) -> list[int]:
    """Wishes the resident claimed and has not fulfilled go back to the pool (as if they
    had given them back), with a history row; returns their ids."""
    claimed = await _rows(
        session,
        select(Wish).where(Wish.claimer_id == resident_id, Wish.status == WishStatus.CLAIMED),
    )
    released: list[int] = []
    for wish in claimed:
        result = await session.execute(
            update(Wish)
            .where(Wish.id == wish.id, Wish.status == WishStatus.CLAIMED)
            .values(status=WishStatus.OPEN, claimer_id=None, claimed_at=None, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:  # type: ignore[attr-defined]
            session.add(
                WishEvent(
                    wish_id=wish.id,
                    at=now,
                    actor_id=resident_id,
                    action="released",
                    from_status=WishStatus.CLAIMED.value,
                    to_status=WishStatus.OPEN.value,
                    note="account_deleted",
                )
            )
            released.append(wish.id)
    return released


async def _cancel_reservations(session: AsyncSession, resident_id: int, now: datetime) -> int:
    """Rewards reserved and not picked up are cancelled: the item back in stock and the
    points back in the ledger (a refund entry reversing the debit, as a cancellation by the
    resident makes). Returns the points given back."""
    reserved = await _rows(
        session,
        select(Redemption).where(
            Redemption.resident_id == resident_id,
            Redemption.state == RedemptionState.RESERVED,
        ),
    )
    refunded = 0
    for redemption in reserved:
        result = await session.execute(
            update(Redemption)
            .where(Redemption.id == redemption.id, Redemption.state == RedemptionState.RESERVED)
            .values(state=RedemptionState.CANCELLED, closed_at=now, closed_by_id=resident_id)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            continue
        await session.execute(
            update(RewardItem)
            .where(RewardItem.id == redemption.item_id)
            .values(stock=RewardItem.stock + 1)
            .execution_options(synchronize_session=False)
        )
        await ledger.post(
            session,
            resident_id=resident_id,
            delta=redemption.cost,
            kind=LedgerKind.REFUND,
            idempotency_key=f"refund:{redemption.id}",
            reference=f"R{redemption.id}",
            reason="account_deleted",
            actor_id=resident_id,
        )
        refunded += redemption.cost
    return refunded


async def _anonymise_wishes(session: AsyncSession, resident_id: int, now: datetime) -> list[int]:
    """Photos and voice go; open or claimed wishes are withdrawn (nobody is left to confirm
    them), with a history row like a withdrawal by the author. Returns the ids of those
    that were claimed (their claimers are told)."""
    live = await _rows(
        session,
        select(Wish).where(
            Wish.author_id == resident_id,
            Wish.status.in_((WishStatus.OPEN, WishStatus.CLAIMED)),
        ),
    )
    withdrawn: list[int] = []
    for wish in live:
        result = await session.execute(
            update(Wish)
            .where(Wish.id == wish.id, Wish.status == wish.status)
            .values(status=WishStatus.WITHDRAWN, withdrawn_at=now, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:  # type: ignore[attr-defined]
            session.add(
                WishEvent(
                    wish_id=wish.id,
                    at=now,
                    actor_id=resident_id,
                    action="withdrawn",
                    from_status=wish.status.value,
                    to_status=WishStatus.WITHDRAWN.value,
                    note="account_deleted",
                )
            )
            if wish.status == WishStatus.CLAIMED:
                withdrawn.append(wish.id)
    await session.execute(
        update(Wish)
        .where(Wish.author_id == resident_id)
        .values(voice_file_id=None, photo_file_id=None, show_name=False)
        .execution_options(synchronize_session=False)
    )
    return withdrawn


# --- retention --------------------------------------------------------------------------------


# History notes that are codes or names of the case's handling, not anyone's words: kept.
KEPT_NOTE_ACTIONS = ("merged", "merged_in", "assigned")
KEPT_NOTES = ("", "auto", RETENTION_MARKER)


def _words_in_history() -> Any:
    """Events of a complaint whose note may hold someone's words (a rating comment, a
    reopen reason, a chief's note that may quote the complaint)."""
    return ComplaintEvent.action.not_in(KEPT_NOTE_ACTIONS) & ComplaintEvent.note.not_in(KEPT_NOTES)


def _needs_purge() -> Any:
    photos = cast(Complaint.photo_file_ids, String)
    events = select(ComplaintEvent.id).where(ComplaintEvent.complaint_id == Complaint.id)
    return or_(
        Complaint.voice_file_id.is_not(None),
        Complaint.photo_file_ids.is_not(None) & photos.not_in(("[]", "null")),
        events.where(ComplaintEvent.photo_file_id.is_not(None)).exists(),
        Complaint.anonymous
        & or_(
            Complaint.text != RETENTION_MARKER,
            Complaint.rating_comment.is_not(None),
            Complaint.location_text.is_not(None),
            Complaint.latitude.is_not(None),
            events.where(_words_in_history()).exists(),
        ),
    )


async def purge_expired(session: AsyncSession, now: datetime, retention_days: int) -> int:
    """Complaints finished more than `retention_days` ago lose their photos and voice
    message, also the photos chiefs attached to their history; anonymous ones also their
    text (replaced by `RETENTION_MARKER`), rating comment and location, and every note of
    their history that may hold someone's words (the rating comment copied there, reopen
    reasons, chiefs' notes). Histories stay append-only but for this (migration 0018).
    Idempotent: a complaint already purged is not selected again. Returns how many
    complaints changed; the count is recorded in the audit log."""
    cutoff = now - timedelta(days=retention_days)
    purged = 0
    seen: set[int] = set()
    while True:
        async with write_transaction(session):
            ids = list(
                (
                    await session.scalars(
                        select(Complaint.id)
                        .where(
                            Complaint.status.in_(FINISHED),
                            Complaint.closed_at < cutoff,
                            _needs_purge(),
                        )
                        .order_by(Complaint.id)
                        .limit(RETENTION_BATCH)
                    )
                ).all()
            )
            if not ids or seen.issuperset(ids):
                break
            seen.update(ids)
            media = {"voice_file_id": None, "photo_file_ids": []}
            await session.execute(
                update(Complaint)
                .where(Complaint.id.in_(ids), Complaint.anonymous.is_(False))
                .values(**media)
                .execution_options(synchronize_session=False)
            )
            anonymous = select(Complaint.id).where(
                Complaint.id.in_(ids), Complaint.anonymous.is_(True)
            )
            await session.execute(
                update(Complaint)
                .where(Complaint.id.in_(anonymous))
                .values(
                    **media,
                    text=RETENTION_MARKER,
                    rating_comment=None,
                    location_text=None,
                    latitude=None,
                    longitude=None,
                )
                .execution_options(synchronize_session=False)
            )
            await session.execute(
                update(ComplaintEvent)
                .where(
                    ComplaintEvent.complaint_id.in_(ids),
                    ComplaintEvent.photo_file_id.is_not(None),
                )
                .values(photo_file_id=None)
                .execution_options(synchronize_session=False)
            )
            await session.execute(
                update(ComplaintEvent)
                .where(ComplaintEvent.complaint_id.in_(anonymous), _words_in_history())
                .values(note=RETENTION_MARKER)
                .execution_options(synchronize_session=False)
            )
            await audit.record(
                session,
                None,
                "privacy.retention",
                "complaint",
                None,
                complaints=len(ids),
                retention_days=retention_days,
            )
            purged += len(ids)
    return purged
