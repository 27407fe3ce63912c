"""Complaints and requests (诉求) in a closed loop.

`submitted → accepted → in_progress → resolved → closed` (after the rating, or
CASEWORK_AUTOCLOSE_DAYS without one); `submitted|accepted → rejected` (reason required);
`resolved → in_progress` when the author reopens within CASEWORK_REOPEN_DAYS (with a
reason); an open complaint can be merged into another (`→ merged`, its followers follow the
survivor). The author may appeal a rejection once, within CASEWORK_REOPEN_DAYS:
`rejected → submitted` under appeal, which only a reviewer decides (the grid chief, or the
community admins when a grid chief or an admin rejected it; never the one who rejected):
accepting grants it (`→ accepted`), rejecting again (a reason) ends it (`→ rejected`).
`allowed_actions` says what a given resident may do now (the buttons they see); every
transition checks the same function before it writes.

Every change is a conditional UPDATE on `status` plus a `complaint_events` row in the same
write transaction, and returns a `Change` the transport announces to every follower.
Anonymous complaints never expose their author: views for chiefs carry no author, and the
author's own history rows carry no actor id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from linli.config.casework import CaseworkSettings
from linli.models import Building, Grid, Resident, ResidentStatus, Role
from linli.models.complaints import (
    OPEN_STATUSES,
    Complaint,
    ComplaintCategory,
    ComplaintEvent,
    ComplaintFollower,
    ComplaintHandler,
    ComplaintStatus,
)
from linli.models.db import write_transaction
from linli.services import proxy, structure
from linli.services.authz import (
    buildings_in_area,
    manages_building,
    manages_grid,
    require_role,
    require_verified,
    role_rank,
)
from linli.services.errors import (
    InvalidState,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from linli.services.parsing import has_words
from linli.services.people import Translate, shown_name
from linli.services.residents import approvers_for

TEXT_MAX = 1000
NOTE_MAX = 1000
REASON_MAX = 200
"""A resident's reason to reopen or to appeal: one line."""
COMMENT_MAX = 500
PHOTOS_MAX = 3
LOCATION_TEXT_MAX = 200
HANDLER_NAME_MAX = 100

S = ComplaintStatus


class ComplaintAction(StrEnum):
    """What a resident may do to a complaint (the values are the buttons' callback data)."""

    ACCEPT = "accept"
    START = "start"
    REJECT = "reject"
    RESOLVE = "resolve"
    ASSIGN = "assign"
    MERGE = "merge"
    RATE = "rate"
    REOPEN = "reopen"
    CLOSE = "close"
    APPEAL = "appeal"


A = ComplaintAction

CHIEF_MOVES: dict[ComplaintStatus, tuple[ComplaintAction, ...]] = {
    S.SUBMITTED: (A.ACCEPT, A.REJECT, A.ASSIGN, A.MERGE),
    S.ACCEPTED: (A.START, A.ASSIGN, A.REJECT, A.MERGE),
    S.IN_PROGRESS: (A.RESOLVE, A.ASSIGN, A.MERGE),
}
"""What a chief of the complaint's area (or its assignee) may do in each state, in the
order of the card's buttons: reject from submitted or accepted, resolve from in progress,
assign and merge while open."""


STATUS_EVENTS = ("appealed", "appeal_granted", "appeal_denied")
"""History actions of an appeal (besides the usual ones)."""


@dataclass
class ComplaintInfo:
    complaint: Complaint
    building: Building
    grid: Grid
    author: Resident | None
    entered_by: Resident | None
    assignee: Resident | None
    handler: ComplaintHandler | None
    affected: int
    events: list[ComplaintEvent] = field(default_factory=list)
    """The history, oldest first."""
    names: dict[int, str] = field(default_factory=dict)
    """Display names of the people in the history, by resident id."""
    rejecter: Resident | None = None
    """Who rejected it last (an appeal is never decided by them)."""

    @property
    def appealed(self) -> bool:
        return any(e.action == "appealed" for e in self.events)

    @property
    def appeal_pending(self) -> bool:
        """Submitted again by the author's appeal, not decided yet."""
        moves = [e for e in self.events if e.to_status is not None]
        return (
            self.complaint.status == S.SUBMITTED and bool(moves) and moves[-1].action == "appealed"
        )

    def last_note(self, *actions: str) -> str:
        """The note of the latest history row of one of `actions` ("" when none)."""
        for event in reversed(self.events):
            if event.action in actions:
                return event.note
        return ""

    def author_label_for_chiefs(self, t: Translate | None = None) -> str | None:
        """None for anonymous complaints: chiefs never see who filed them."""
        if self.complaint.anonymous:
            return None
        if self.author is not None:
            name = shown_name(t, self.author, empty=str(self.author.telegram_id))
            return f"{name} (@{self.author.username})" if self.author.username else name
        return self.complaint.offline_author


@dataclass
class Change:
    """A transition to announce: to every follower, and to `notify_chiefs` if any."""

    complaint: Complaint
    action: str
    old: str | None
    new: str | None
    note: str = ""
    photo_file_id: str | None = None
    followers: list[Resident] = field(default_factory=list)
    notify_chiefs: list[Resident] = field(default_factory=list)


def check_text(text: str, *, required: bool = True) -> str:
    """The description: 1–TEXT_MAX characters with at least one letter or digit. Not
    `required` when a voice message or a photo says it: then wordless text is dropped."""
    text = text.strip()
    if not text or not has_words(text):
        if not required:
            return ""
        raise ValidationFailed(
            "complaint-error-empty" if not text else "complaint-error-no-words",
            limit=str(TEXT_MAX),
        )
    if len(text) > TEXT_MAX:
        raise ValidationFailed(
            "complaint-error-too-long", limit=str(TEXT_MAX), length=str(len(text))
        )
    return text


def check_note(text: str, limit: int = NOTE_MAX) -> str:
    """A reason, a note or a comment: 1–`limit` characters with a letter or a digit."""
    text = text.strip()
    if not text:
        raise ValidationFailed("complaint-error-note-empty", limit=str(limit))
    if not has_words(text):
        raise ValidationFailed("complaint-error-note-no-words", limit=str(limit))
    if len(text) > limit:
        raise ValidationFailed("complaint-error-too-long", limit=str(limit), length=str(len(text)))
    return text


def check_location_text(text: str) -> str:
    """Where it is, in words (e.g. "3单元门口"): 1–LOCATION_TEXT_MAX characters."""
    text = text.strip()
    if not text or not has_words(text):
        raise ValidationFailed("complaint-error-location-words", limit=str(LOCATION_TEXT_MAX))
    if len(text) > LOCATION_TEXT_MAX:
        raise ValidationFailed(
            "complaint-error-too-long", limit=str(LOCATION_TEXT_MAX), length=str(len(text))
        )
    return text


def deadline(complaint: Complaint, cfg: CaseworkSettings) -> datetime | None:
    """When the current stage is due: acceptance while submitted, resolution after."""
    category = complaint.category.value
    if complaint.status == S.SUBMITTED:
        return complaint.stage_started_at + cfg.accept_target(category)
    if complaint.status in (S.ACCEPTED, S.IN_PROGRESS):
        return complaint.stage_started_at + cfg.resolve_target(category)
    return None


def _event(
    complaint: Complaint,
    actor_id: int | None,
    action: str,
    old: str | None,
    new: str | None,
    now: datetime,
    note: str = "",
    *,
    photo_file_id: str | None = None,
    rating: int | None = None,
) -> ComplaintEvent:
    return ComplaintEvent(
        complaint_id=complaint.id,
        at=now,
        actor_id=actor_id,
        action=action,
        from_status=old,
        to_status=new,
        note=note[:NOTE_MAX],
        photo_file_id=photo_file_id,
        rating=rating,
    )


def _author_actor_id(complaint: Complaint, actor: Resident) -> int | None:
    """The author's own actions are recorded without their id on anonymous complaints."""
    return None if complaint.anonymous and actor.id == complaint.author_id else actor.id


async def followers(session: AsyncSession, complaint_id: int) -> list[Resident]:
    rows = await session.scalars(
        select(Resident)
        .join(ComplaintFollower, ComplaintFollower.resident_id == Resident.id)
        .where(ComplaintFollower.complaint_id == complaint_id)
        .order_by(ComplaintFollower.id)
    )
    return list(rows.all())


async def affected_count(session: AsyncSession, complaint_id: int) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(ComplaintFollower)
        .where(ComplaintFollower.complaint_id == complaint_id, ComplaintFollower.kind != "entered")
    )
    return max(1, int(count or 0))


async def history(session: AsyncSession, complaint_id: int) -> list[ComplaintEvent]:
    rows = await session.scalars(
        select(ComplaintEvent)
        .where(ComplaintEvent.complaint_id == complaint_id)
        .order_by(ComplaintEvent.at, ComplaintEvent.id)
    )
    return list(rows.all())


async def info(session: AsyncSession, complaint_id: int) -> ComplaintInfo:
    complaint = await session.get(Complaint, complaint_id, populate_existing=True)
    if complaint is None:
        raise NotFound("complaint-error-not-found", code=f"C{complaint_id}")
    building, grid = await structure.get_building(session, complaint.building_id)
    events = await history(session, complaint.id)
    rejections = [e.actor_id for e in events if e.action in ("rejected", "appeal_denied")]
    rejecter_id = rejections[-1] if rejections else None
    ids = {
        i
        for i in (
            complaint.author_id,
            complaint.entered_by_id,
            complaint.assignee_id,
            *(e.actor_id for e in events),
        )
        if i
    }
    rows = await session.scalars(select(Resident).where(Resident.id.in_(sorted(ids))))
    people = {r.id: r for r in rows.all()}
    handler = (
        await session.get(ComplaintHandler, complaint.handler_id) if complaint.handler_id else None
    )
    return ComplaintInfo(
        complaint=complaint,
        building=building,
        grid=grid,
        author=people.get(complaint.author_id or 0),
        entered_by=people.get(complaint.entered_by_id or 0),
        assignee=people.get(complaint.assignee_id or 0),
        handler=handler,
        affected=await affected_count(session, complaint.id),
        events=events,
        names={
            r.id: r.display_name for r in people.values() if r.display_name and not r.is_deleted
        },
        rejecter=people.get(rejecter_id or 0),
    )


def _may_handle(actor: Resident, data: ComplaintInfo) -> bool:
    return data.complaint.assignee_id == actor.id or manages_building(
        actor, data.building, data.grid
    )


def _reopen_in_time(complaint: Complaint, now: datetime, reopen_days: int) -> bool:
    resolved = complaint.resolved_at
    return resolved is not None and now - resolved <= timedelta(days=reopen_days)


def reviews_appeal(data: ComplaintInfo, actor: Resident | None) -> bool:
    """Who decides an appeal: a grid chief of the complaint's grid, or the community admins
    when a grid chief or an admin rejected it; never the one who rejected it."""
    if actor is None or not actor.is_verified:
        return False
    rejecter = data.rejecter
    if rejecter is not None and rejecter.id == actor.id:
        return False
    if actor.role == Role.ADMIN:
        return manages_grid(actor, data.grid)
    return (
        actor.role == Role.GRID_CHIEF
        and manages_grid(actor, data.grid)
        and role_rank(rejecter) < Role.GRID_CHIEF.rank
    )


def chief_actions(data: ComplaintInfo, actor: Resident | None) -> list[ComplaintAction]:
    """The moves of the complaint's state, for a chief of its area or its assignee; under
    appeal only its reviewers decide (accept, or reject again)."""
    if actor is None or role_rank(actor) < Role.BUILDING_CHIEF.rank:
        return []
    if data.appeal_pending:
        return [A.ACCEPT, A.REJECT] if reviews_appeal(data, actor) else []
    if not _may_handle(actor, data):
        return []
    return list(CHIEF_MOVES.get(data.complaint.status, ()))


def _appeal_in_time(complaint: Complaint, now: datetime, days: int) -> bool:
    closed = complaint.closed_at
    return closed is not None and now - closed <= timedelta(days=days)


def author_actions(
    data: ComplaintInfo, actor: Resident | None, now: datetime, reopen_days: int
) -> list[ComplaintAction]:
    """The author's: on a resolved complaint rate it (once), reopen it within
    `reopen_days` of the resolution, close it; on a rejected one appeal (once, within
    `reopen_days` of the rejection)."""
    complaint = data.complaint
    if actor is None or not actor.is_verified or complaint.author_id != actor.id:
        return []
    if complaint.status == S.REJECTED:
        if not data.appealed and _appeal_in_time(complaint, now, reopen_days):
            return [A.APPEAL]
        return []
    if complaint.status != S.RESOLVED:
        return []
    actions = [A.RATE] if complaint.rating is None else []
    if _reopen_in_time(complaint, now, reopen_days):
        actions.append(A.REOPEN)
    actions.append(A.CLOSE)
    return actions


def allowed_actions(
    data: ComplaintInfo, actor: Resident | None, now: datetime, reopen_days: int
) -> list[ComplaintAction]:
    """What `actor` may do to the complaint now: a chief's moves, then the author's."""
    return chief_actions(data, actor) + author_actions(data, actor, now, reopen_days)


def _state_error(complaint: Complaint) -> InvalidState:
    return InvalidState("complaint-error-state", code=complaint.code, status=complaint.status.value)


def _require_chief(data: ComplaintInfo, actor: Resident, action: ComplaintAction) -> None:
    if action in chief_actions(data, actor):
        return
    if role_rank(actor) < Role.BUILDING_CHIEF.rank:
        raise PermissionDenied("error-role-required", role=Role.BUILDING_CHIEF.value)
    if not _may_handle(actor, data):
        raise PermissionDenied("error-outside-area")
    if data.appeal_pending:
        raise PermissionDenied("complaint-error-appeal-reviewer", code=data.complaint.code)
    raise _state_error(data.complaint)


def _require_author(
    data: ComplaintInfo,
    actor: Resident,
    action: ComplaintAction,
    now: datetime,
    reopen_days: int,
) -> None:
    complaint = data.complaint
    if action in author_actions(data, actor, now, reopen_days):
        return
    if complaint.author_id != actor.id:
        raise PermissionDenied("complaint-error-not-author")
    if complaint.status == S.RESOLVED and action == A.RATE:
        raise InvalidState("complaint-error-rated", code=complaint.code)
    if complaint.status == S.RESOLVED and action == A.REOPEN:
        raise InvalidState("complaint-error-reopen-late", days=str(reopen_days))
    if complaint.status == S.REJECTED and action == A.APPEAL:
        if data.appealed:
            raise InvalidState("complaint-error-appealed", code=complaint.code)
        raise InvalidState("complaint-error-appeal-late", days=str(reopen_days))
    raise _state_error(complaint)


async def for_chief(
    session: AsyncSession, actor: Resident | None, complaint_id: int
) -> ComplaintInfo:
    """A complaint a chief may act on: in their area, or assigned to them (or an appeal
    they review)."""
    actor = require_role(actor, Role.BUILDING_CHIEF)
    data = await info(session, complaint_id)
    if not _may_handle(actor, data) and not (data.appeal_pending and reviews_appeal(data, actor)):
        raise PermissionDenied("error-outside-area")
    return data


async def is_follower(session: AsyncSession, resident_id: int, complaint_id: int) -> bool:
    found = await session.scalar(
        select(ComplaintFollower.id).where(
            ComplaintFollower.complaint_id == complaint_id,
            ComplaintFollower.resident_id == resident_id,
        )
    )
    return found is not None


async def for_follower(session: AsyncSession, actor: Resident, complaint_id: int) -> ComplaintInfo:
    require_verified(actor)
    data = await info(session, complaint_id)
    if not await is_follower(session, actor.id, complaint_id):
        raise PermissionDenied("complaint-error-not-yours")
    return data


async def for_chief_action(
    session: AsyncSession, actor: Resident | None, complaint_id: int, action: ComplaintAction
) -> ComplaintInfo:
    """A complaint on which the chief may take `action` now (checked again when it is
    taken; asked before a reason, a note or a target is asked for)."""
    data = await for_chief(session, actor, complaint_id)
    assert actor is not None
    _require_chief(data, actor, action)
    return data


async def for_author_action(
    session: AsyncSession,
    actor: Resident,
    complaint_id: int,
    action: ComplaintAction,
    now: datetime,
    reopen_days: int,
) -> ComplaintInfo:
    """A complaint of the actor's on which they may take `action` now."""
    data = await for_follower(session, actor, complaint_id)
    _require_author(data, actor, action, now, reopen_days)
    return data


async def chiefs_for(session: AsyncSession, complaint: Complaint) -> list[Resident]:
    """The building chief and grid chief of the complaint's building (admins if none)."""
    building, grid = await structure.get_building(session, complaint.building_id)
    return await approvers_for(session, building, grid)


async def _grid_chiefs(session: AsyncSession, grid_id: int) -> list[Resident]:
    rows = await session.scalars(
        select(Resident).where(
            Resident.status == ResidentStatus.VERIFIED,
            Resident.role == Role.GRID_CHIEF,
            Resident.chief_grid_id == grid_id,
        )
    )
    return list(rows.all())


async def _admins(session: AsyncSession, community_id: int) -> list[Resident]:
    rows = await session.scalars(
        select(Resident).where(
            Resident.status == ResidentStatus.VERIFIED,
            Resident.role == Role.ADMIN,
            or_(Resident.community_id == community_id, Resident.community_id.is_(None)),
        )
    )
    return list(rows.all())


# --- filing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SimilarCase:
    """An open complaint offered for "me too": its category, place and date only, never
    another resident's words nor who filed it."""

    id: int
    code: str
    category: str
    building: str
    created_at: datetime


async def similar_open(
    session: AsyncSession, actor: Resident, building_id: int, category: str
) -> list[SimilarCase]:
    """Open complaints of the same category in the building that the actor does not follow
    yet; anonymous ones only for the chiefs of the building."""
    building, grid = await structure.get_building(session, building_id)
    followed = select(ComplaintFollower.complaint_id).where(
        ComplaintFollower.resident_id == actor.id
    )
    stmt = select(Complaint).where(
        Complaint.building_id == building_id,
        Complaint.category == ComplaintCategory(category),
        Complaint.status.in_(OPEN_STATUSES),
        Complaint.id.not_in(followed),
    )
    if not manages_building(actor, building, grid):
        stmt = stmt.where(Complaint.anonymous.is_(False))
    rows = await session.scalars(stmt.order_by(Complaint.created_at.desc()).limit(5))
    return [
        SimilarCase(c.id, c.code, c.category.value, building.name, c.created_at) for c in rows.all()
    ]


async def create(
    session: AsyncSession,
    actor: Resident,
    *,
    category: str,
    text: str,
    voice_file_id: str | None,
    photo_file_ids: list[str],
    latitude: float | None,
    longitude: float | None,
    location_text: str | None,
    anonymous: bool,
    now: datetime,
    offline_author: str | None = None,
    building_id: int | None = None,
    place_building_id: int | None = None,
) -> Change:
    """File a complaint. With `offline_author`, a chief files it for a resident without a
    phone in a building of their area (`services.proxy`); the chief follows it and is
    recorded as entering it. With `place_building_id`, the actor reports a place they do not
    live in: a mobile grid member's hazard report (services/hazards.py checks they may)."""
    require_verified(actor)
    try:
        cat = ComplaintCategory(category)
    except ValueError:
        raise ValidationFailed() from None
    text = check_text(text, required=voice_file_id is None and not photo_file_ids)
    if len(photo_file_ids) > PHOTOS_MAX:
        raise ValidationFailed("complaint-error-photos", limit=str(PHOTOS_MAX))
    if place_building_id is not None and offline_author is None:
        building, grid = await structure.get_building(session, place_building_id)
    else:
        offline_author, building, grid = await proxy.filing_place(
            session, actor, offline_author, building_id
        )
    async with write_transaction(session):
        complaint = Complaint(
            grid_id=grid.id,
            building_id=building.id,
            author_id=None if offline_author else actor.id,
            offline_author=offline_author,
            entered_by_id=actor.id if offline_author else None,
            anonymous=anonymous,
            category=cat,
            text=text,
            voice_file_id=voice_file_id,
            photo_file_ids=list(photo_file_ids),
            latitude=latitude,
            longitude=longitude,
            location_text=(location_text or "").strip()[:LOCATION_TEXT_MAX] or None,
            status=S.SUBMITTED,
            stage_started_at=now,
            escalation_level=0,
            created_at=now,
            updated_at=now,
        )
        session.add(complaint)
        await session.flush()
        session.add(
            ComplaintFollower(
                complaint_id=complaint.id,
                resident_id=actor.id,
                kind="entered" if offline_author else "author",
                created_at=now,
            )
        )
        session.add(
            _event(
                complaint,
                _author_actor_id(complaint, actor),
                "submitted",
                None,
                S.SUBMITTED,
                now,
                "entered_by" if offline_author else "",
            )
        )
    chiefs = await chiefs_for(session, complaint)
    return Change(
        complaint, "submitted", None, S.SUBMITTED, followers=[actor], notify_chiefs=chiefs
    )


async def me_too(
    session: AsyncSession, actor: Resident, complaint_id: int, now: datetime
) -> ComplaintInfo:
    """Join an open complaint of one's own building instead of filing a new one (an
    anonymous one is never offered nor joinable outside the building's chiefs)."""
    require_verified(actor)
    data = await info(session, complaint_id)
    complaint = data.complaint
    if complaint.anonymous and not manages_building(actor, data.building, data.grid):
        raise NotFound("complaint-error-not-found", code=complaint.code)
    if actor.building_id != complaint.building_id:
        raise PermissionDenied("error-outside-area")
    if complaint.status not in OPEN_STATUSES:
        raise _state_error(complaint)
    try:
        async with write_transaction(session):
            session.add(
                ComplaintFollower(
                    complaint_id=complaint.id, resident_id=actor.id, kind="metoo", created_at=now
                )
            )
            await session.flush()
            session.add(_event(complaint, actor.id, "metoo", None, None, now))
    except IntegrityError:
        raise InvalidState("complaint-error-already-following", code=f"C{complaint_id}") from None
    return await info(session, complaint_id)


# --- transitions -------------------------------------------------------------------------


async def _move(
    session: AsyncSession,
    data: ComplaintInfo,
    actor_id: int | None,
    action: str,
    to: ComplaintStatus,
    now: datetime,
    *,
    note: str = "",
    photo_file_id: str | None = None,
    values: dict[str, Any] | None = None,
) -> Change:
    """One transition (checked by the caller) in its own write transaction, with a
    conditional UPDATE from the status the caller saw."""
    complaint = data.complaint
    old = complaint.status
    async with write_transaction(session):
        result = await session.execute(
            update(Complaint)
            .where(Complaint.id == complaint.id, Complaint.status == old)
            .values(status=to, updated_at=now, **(values or {}))
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise InvalidState("complaint-error-changed", code=complaint.code)
        session.add(
            _event(complaint, actor_id, action, old, to, now, note, photo_file_id=photo_file_id)
        )
    await session.refresh(complaint)
    return Change(
        complaint,
        action,
        old.value,
        to.value,
        note=note,
        photo_file_id=photo_file_id,
        followers=await followers(session, complaint.id),
    )


def _new_stage(now: datetime) -> dict[str, Any]:
    return {"stage_started_at": now, "reminded_at": None, "escalation_level": 0}


async def accept(
    session: AsyncSession, actor: Resident, complaint_id: int, now: datetime
) -> Change:
    """Accept it (under appeal: grant the appeal)."""
    data = await for_chief_action(session, actor, complaint_id, A.ACCEPT)
    return await _move(
        session,
        data,
        actor.id,
        "appeal_granted" if data.appeal_pending else "accepted",
        S.ACCEPTED,
        now,
        values={"accepted_at": now, **_new_stage(now)},
    )


async def start(session: AsyncSession, actor: Resident, complaint_id: int, now: datetime) -> Change:
    """The chief starts working on it themself."""
    data = await for_chief_action(session, actor, complaint_id, A.START)
    assignee = data.complaint.assignee_id or actor.id
    return await _move(
        session, data, actor.id, "started", S.IN_PROGRESS, now, values={"assignee_id": assignee}
    )


async def reject(
    session: AsyncSession, actor: Resident, complaint_id: int, reason: str, now: datetime
) -> Change:
    """Reject it with a reason (under appeal: deny the appeal, finally)."""
    reason = check_note(reason)
    data = await for_chief_action(session, actor, complaint_id, A.REJECT)
    return await _move(
        session,
        data,
        actor.id,
        "appeal_denied" if data.appeal_pending else "rejected",
        S.REJECTED,
        now,
        note=reason,
        values={"closed_at": now},
    )


async def resolve(
    session: AsyncSession,
    actor: Resident,
    complaint_id: int,
    note: str,
    photo_file_id: str | None,
    now: datetime,
) -> Change:
    note = check_note(note)
    data = await for_chief_action(session, actor, complaint_id, A.RESOLVE)
    return await _move(
        session,
        data,
        actor.id,
        "resolved",
        S.RESOLVED,
        now,
        note=note,
        photo_file_id=photo_file_id,
        values={"resolved_at": now, "rating": None, "rating_comment": None},
    )


@dataclass(frozen=True)
class AssignOption:
    kind: str  # "c" a chief, "h" a named handler
    id: int
    name: str


async def assign_options(
    session: AsyncSession, actor: Resident, complaint_id: int
) -> list[AssignOption]:
    """Chiefs of the complaint's grid and the grid's named handlers, while it may be
    assigned."""
    data = await for_chief_action(session, actor, complaint_id, A.ASSIGN)
    grid_buildings = select(Building.id).where(Building.grid_id == data.grid.id)
    chiefs = await session.scalars(
        select(Resident)
        .where(
            Resident.status == ResidentStatus.VERIFIED,
            or_(
                Resident.chief_grid_id == data.grid.id,
                Resident.chief_building_id.in_(grid_buildings),
            ),
        )
        .order_by(Resident.role.desc(), Resident.id)
    )
    options = [AssignOption("c", r.id, r.display_name or str(r.telegram_id)) for r in chiefs.all()]
    options.extend(
        AssignOption("h", h.id, h.name) for h in await list_handlers(session, data.grid.id)
    )
    return options


@dataclass(frozen=True)
class MergeOption:
    """An open complaint a chief may merge another one into (plain values to list)."""

    id: int
    code: str
    category: str
    building: str
    created_at: datetime
    text: str


async def merge_options(
    session: AsyncSession, actor: Resident, complaint_id: int
) -> list[MergeOption]:
    """The open complaints of the chief's area (and those assigned to them) that
    `complaint_id` may be merged into: the same building and category first, then the same
    building, then the same category, newest first in each."""
    data = await for_chief_action(session, actor, complaint_id, A.MERGE)
    source = data.complaint
    rows = await session.execute(
        select(Complaint, Building.name)
        .join(Building, Building.id == Complaint.building_id)
        .where(
            Complaint.status.in_(OPEN_STATUSES),
            Complaint.id != source.id,
            or_(
                Complaint.building_id.in_(buildings_in_area(actor)),
                Complaint.assignee_id == actor.id,
            ),
        )
        .order_by(Complaint.created_at.desc(), Complaint.id.desc())
    )

    def rank(row: tuple[Complaint, str]) -> tuple[bool, bool]:
        complaint = row[0]
        return (
            complaint.building_id != source.building_id,
            complaint.category != source.category,
        )

    ordered = sorted(((c, name) for c, name in rows.all()), key=rank)
    return [
        MergeOption(c.id, c.code, c.category.value, name, c.created_at, c.text)
        for c, name in ordered
    ]


async def assign(
    session: AsyncSession,
    actor: Resident,
    complaint_id: int,
    kind: str,
    target_id: int,
    now: datetime,
) -> Change:
    """Assign to a chief of the grid or to a named handler; the complaint is then in
    progress. An assigned chief other than the actor is in the change's `notify_chiefs`."""
    data = await for_chief_action(session, actor, complaint_id, A.ASSIGN)
    options = await assign_options(session, actor, complaint_id)
    chosen = next((o for o in options if o.kind == kind and o.id == target_id), None)
    if chosen is None:
        raise PermissionDenied("error-outside-area")
    values: dict[str, Any] = {}
    if data.complaint.status == S.SUBMITTED:
        values.update(accepted_at=now, **_new_stage(now))
    if kind == "c":
        values.update(assignee_id=chosen.id, handler_id=None)
    else:
        values.update(assignee_id=actor.id, handler_id=chosen.id)
    change = await _move(
        session,
        data,
        actor.id,
        "assigned",
        S.IN_PROGRESS,
        now,
        note=chosen.name,
        values=values,
    )
    if kind == "c" and chosen.id != actor.id:
        assignee = await session.get(Resident, chosen.id)
        change.notify_chiefs = [assignee] if assignee is not None else []
    return change


async def reopen(
    session: AsyncSession,
    actor: Resident,
    complaint_id: int,
    now: datetime,
    reopen_days: int,
    reason: str,
) -> Change:
    """The author finds it not solved: in progress again, with their reason for the chiefs."""
    reason = check_note(reason, REASON_MAX)
    data = await for_author_action(session, actor, complaint_id, A.REOPEN, now, reopen_days)
    complaint = data.complaint
    change = await _move(
        session,
        data,
        _author_actor_id(complaint, actor),
        "reopened",
        S.IN_PROGRESS,
        now,
        note=reason,
        values={"resolved_at": None, **_new_stage(now)},
    )
    change.notify_chiefs = await chiefs_for(session, complaint)
    return change


async def appeal_reviewers(session: AsyncSession, data: ComplaintInfo) -> list[Resident]:
    """Who is asked to decide an appeal: the grid chiefs of its grid, or the community
    admins when a grid chief or an admin rejected it (or the grid has no chief); never the
    one who rejected it."""
    chiefs = [r for r in await _grid_chiefs(session, data.grid.id) if reviews_appeal(data, r)]
    if chiefs:
        return chiefs
    return [r for r in await _admins(session, data.grid.community_id) if reviews_appeal(data, r)]


async def appeal(
    session: AsyncSession,
    actor: Resident,
    complaint_id: int,
    now: datetime,
    reopen_days: int,
    reason: str,
) -> Change:
    """The author disagrees with the rejection (once): submitted again, for its reviewers
    to decide, who are told (`notify_chiefs`)."""
    reason = check_note(reason, REASON_MAX)
    data = await for_author_action(session, actor, complaint_id, A.APPEAL, now, reopen_days)
    change = await _move(
        session,
        data,
        _author_actor_id(data.complaint, actor),
        "appealed",
        S.SUBMITTED,
        now,
        note=reason,
        values={"closed_at": None, **_new_stage(now)},
    )
    change.notify_chiefs = await appeal_reviewers(session, await info(session, complaint_id))
    return change


async def rate(
    session: AsyncSession,
    actor: Resident,
    complaint_id: int,
    stars: int,
    now: datetime,
    reopen_days: int,
) -> Change | None:
    """The author rates a resolved complaint 1–5. Three stars or more closes it (the
    returned Change); one or two keep it resolved so the author can still reopen it."""
    if not 1 <= stars <= 5:
        raise ValidationFailed()
    data = await for_author_action(session, actor, complaint_id, A.RATE, now, reopen_days)
    complaint = data.complaint
    actor_id = _author_actor_id(complaint, actor)
    close = stars >= 3
    async with write_transaction(session):
        result = await session.execute(
            update(Complaint)
            .where(
                Complaint.id == complaint.id,
                Complaint.status == S.RESOLVED,
                Complaint.rating.is_(None),
            )
            .values(
                rating=stars,
                updated_at=now,
                **({"status": S.CLOSED, "closed_at": now} if close else {}),
            )
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise InvalidState("complaint-error-rated", code=complaint.code)
        session.add(_event(complaint, actor_id, "rated", None, None, now, rating=stars))
        if close:
            session.add(_event(complaint, actor_id, "closed", S.RESOLVED, S.CLOSED, now))
    await session.refresh(complaint)
    if not close:
        return None
    return Change(
        complaint,
        "closed",
        S.RESOLVED.value,
        S.CLOSED.value,
        followers=await followers(session, complaint.id),
    )


async def comment(
    session: AsyncSession, actor: Resident, complaint_id: int, text: str, now: datetime
) -> None:
    """An optional comment with the rating (once)."""
    text = check_note(text, COMMENT_MAX)
    data = await for_follower(session, actor, complaint_id)
    complaint = data.complaint
    if complaint.author_id != actor.id:
        raise PermissionDenied("complaint-error-not-author")
    async with write_transaction(session):
        result = await session.execute(
            update(Complaint)
            .where(
                Complaint.id == complaint.id,
                Complaint.rating.is_not(None),
                Complaint.rating_comment.is_(None),
            )
            .values(rating_comment=text, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise InvalidState("complaint-error-rated", code=complaint.code)
        session.add(
            _event(
                complaint, _author_actor_id(complaint, actor), "commented", None, None, now, text
            )
        )


async def close_by_author(
    session: AsyncSession, actor: Resident, complaint_id: int, now: datetime, reopen_days: int
) -> Change:
    data = await for_author_action(session, actor, complaint_id, A.CLOSE, now, reopen_days)
    return await _move(
        session,
        data,
        _author_actor_id(data.complaint, actor),
        "closed",
        S.CLOSED,
        now,
        values={"closed_at": now},
    )


async def merge(
    session: AsyncSession, actor: Resident, source_id: int, target_id: int, now: datetime
) -> Change:
    """Merge `source` into `target`: source becomes `merged`, its followers (author
    included) follow the target. Both must be open and in the chief's area."""
    if source_id == target_id:
        raise ValidationFailed("complaint-error-merge-self")
    source = await for_chief_action(session, actor, source_id, A.MERGE)
    target = await for_chief_action(session, actor, target_id, A.MERGE)
    old = source.complaint.status
    async with write_transaction(session):
        result = await session.execute(
            update(Complaint)
            .where(Complaint.id == source_id, Complaint.status.in_(OPEN_STATUSES))
            .values(status=S.MERGED, merged_into_id=target_id, closed_at=now, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise InvalidState("complaint-error-changed", code=source.complaint.code)
        existing = set(
            (
                await session.scalars(
                    select(ComplaintFollower.resident_id).where(
                        ComplaintFollower.complaint_id == target_id
                    )
                )
            ).all()
        )
        moved = (
            await session.scalars(
                select(ComplaintFollower.resident_id).where(
                    ComplaintFollower.complaint_id == source_id
                )
            )
        ).all()
        for resident_id in moved:
            if resident_id not in existing:
                session.add(
                    ComplaintFollower(
                        complaint_id=target_id,
                        resident_id=resident_id,
                        kind="merged",
                        created_at=now,
                    )
                )
        session.add(
            _event(source.complaint, actor.id, "merged", old, S.MERGED, now, f"C{target_id}")
        )
        session.add(
            _event(target.complaint, actor.id, "merged_in", None, None, now, f"C{source_id}")
        )
    await session.refresh(source.complaint)
    return Change(
        source.complaint,
        "merged",
        old.value,
        S.MERGED.value,
        note=f"C{target_id}",
        followers=await followers(session, source_id),
    )


# --- handlers per grid -------------------------------------------------------------------


async def list_handlers(session: AsyncSession, grid_id: int) -> list[ComplaintHandler]:
    rows = await session.scalars(
        select(ComplaintHandler)
        .where(ComplaintHandler.grid_id == grid_id, ComplaintHandler.active)
        .order_by(ComplaintHandler.id)
    )
    return list(rows.all())


def _managed_grid(actor: Resident | None) -> int:
    actor = require_role(actor, Role.GRID_CHIEF)
    if actor.role != Role.GRID_CHIEF or actor.chief_grid_id is None:
        raise PermissionDenied("complaint-error-handlers-grid-chief")
    return actor.chief_grid_id


async def handlers_of_actor(session: AsyncSession, actor: Resident) -> list[ComplaintHandler]:
    return await list_handlers(session, _managed_grid(actor))


async def add_handler(session: AsyncSession, actor: Resident, name: str) -> ComplaintHandler:
    grid_id = _managed_grid(actor)
    name = name.strip()
    if not name or len(name) > HANDLER_NAME_MAX:
        raise ValidationFailed("complaint-error-handler-name", limit=str(HANDLER_NAME_MAX))
    async with write_transaction(session):
        handler = await session.scalar(
            select(ComplaintHandler).where(
                ComplaintHandler.grid_id == grid_id, ComplaintHandler.name == name
            )
        )
        if handler is None:
            handler = ComplaintHandler(grid_id=grid_id, name=name, created_by_id=actor.id)
            session.add(handler)
        handler.active = True
    return handler


async def remove_handler(
    session: AsyncSession, actor: Resident, handler_id: int
) -> ComplaintHandler:
    grid_id = _managed_grid(actor)
    async with write_transaction(session):
        handler = await session.get(ComplaintHandler, handler_id, populate_existing=True)
        if handler is None or handler.grid_id != grid_id:
            raise PermissionDenied("error-outside-area")
        handler.active = False
    return handler


# --- lists ---------------------------------------------------------------------------------


async def list_mine(session: AsyncSession, actor: Resident) -> list[Complaint]:
    """Complaints the actor follows (filed, me-too, merged, entered), newest first."""
    rows = await session.scalars(
        select(Complaint)
        .join(ComplaintFollower, ComplaintFollower.complaint_id == Complaint.id)
        .where(ComplaintFollower.resident_id == actor.id)
        .order_by(Complaint.created_at.desc(), Complaint.id.desc())
    )
    return list(rows.all())


async def open_in_area(session: AsyncSession, actor: Resident) -> list[Complaint]:
    """Open complaints in the chief's area and those assigned to them."""
    require_role(actor, Role.BUILDING_CHIEF)
    rows = await session.scalars(
        select(Complaint).where(
            Complaint.status.in_(OPEN_STATUSES),
            or_(
                Complaint.building_id.in_(buildings_in_area(actor)),
                Complaint.assignee_id == actor.id,
            ),
        )
    )
    return list(rows.all())


# --- scheduled work ----------------------------------------------------------------------


@dataclass
class Reminder:
    complaint: Complaint
    kind: str  # "remind", "escalate"
    recipients: list[Resident]
    due: datetime


async def _responsible(session: AsyncSession, complaint: Complaint) -> list[Resident]:
    if complaint.status == S.SUBMITTED:
        data = await info(session, complaint.id)
        if data.appeal_pending:
            return await appeal_reviewers(session, data)
    if complaint.assignee_id is not None:
        assignee = await session.get(Resident, complaint.assignee_id)
        if assignee is not None and assignee.is_verified:
            return [assignee]
    return await chiefs_for(session, complaint)


async def due_reminders(
    session: AsyncSession, now: datetime, cfg: CaseworkSettings
) -> list[Reminder]:
    """Claims the reminders and escalations that are due (each with a conditional UPDATE,
    so a job running twice never sends twice). Overdue items remind their responsible chief
    once per CASEWORK_REMINDER_HOURS; past twice the target the grid chief is told, past three
    times the target the community admins."""
    rows = (
        await session.scalars(select(Complaint).where(Complaint.status.in_(OPEN_STATUSES)))
    ).all()
    out: list[Reminder] = []
    for complaint in rows:
        due = deadline(complaint, cfg)
        if due is None or now < due:
            continue
        target = due - complaint.stage_started_at
        elapsed = now - complaint.stage_started_at
        level = 2 if elapsed >= 3 * target else 1 if elapsed >= 2 * target else 0
        previous = complaint.escalation_level
        status = complaint.status
        if level > previous:
            async with write_transaction(session):
                result = await session.execute(
                    update(Complaint)
                    .where(
                        Complaint.id == complaint.id,
                        Complaint.status == status,
                        Complaint.escalation_level < level,
                    )
                    .values(escalation_level=level, reminded_at=now)
                    .execution_options(synchronize_session=False)
                )
            if result.rowcount != 1:  # type: ignore[attr-defined]
                continue
            recipients: list[Resident] = []
            if previous < 1:
                recipients += await _grid_chiefs(session, complaint.grid_id)
            if level >= 2:
                grid = await structure.get_grid(session, complaint.grid_id)
                recipients += await _admins(session, grid.community_id)
            recipients += await _responsible(session, complaint)
            unique = list({r.id: r for r in recipients}.values())
            out.append(Reminder(complaint, "escalate", unique, due))
            continue
        cutoff = now - cfg.reminder_period
        if complaint.reminded_at is not None and complaint.reminded_at > cutoff:
            continue
        async with write_transaction(session):
            result = await session.execute(
                update(Complaint)
                .where(
                    Complaint.id == complaint.id,
                    Complaint.status == status,
                    or_(Complaint.reminded_at.is_(None), Complaint.reminded_at <= cutoff),
                )
                .values(reminded_at=now)
                .execution_options(synchronize_session=False)
            )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            continue
        out.append(Reminder(complaint, "remind", await _responsible(session, complaint), due))
    return out


async def autoclose(session: AsyncSession, now: datetime, days: int) -> list[Change]:
    """Close resolved complaints that got no rating within `days`."""
    cutoff = now - timedelta(days=days)
    ids = (
        await session.scalars(
            select(Complaint.id).where(
                Complaint.status == S.RESOLVED, Complaint.resolved_at <= cutoff
            )
        )
    ).all()
    changes = []
    for complaint_id in ids:
        data = await info(session, complaint_id)
        if data.complaint.status != S.RESOLVED:
            continue
        try:
            changes.append(
                await _move(
                    session,
                    data,
                    None,
                    "closed",
                    S.CLOSED,
                    now,
                    note="auto",
                    values={"closed_at": now},
                )
            )
        except InvalidState:
            continue
    return changes
