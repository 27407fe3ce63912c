"""Secret votes on topics: creation, ballots, closing, results, reminders.

Only totals exist in the clear: `VoteOption.votes`. A `VoteBallot` row says that a resident
voted (one per resident per vote, a unique constraint; turnout is public). When a vote lets
residents change their ballot, the ballot also holds the current choice sealed with a key
that is not stored in the database (`seal`/`unseal`, HMAC-SHA256 keystream + MAC), so the
old choice can be taken back from the totals; closing the vote wipes every sealed choice.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum, StrEnum

from sqlalchemy import Integer, bindparam, exists, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from linli.models import Building, Grid, Resident
from linli.models.db import write_transaction
from linli.models.deliberation import Topic, TopicState, Vote, VoteBallot, VoteOption, VoteState
from linli.services import audit, parsing, topics
from linli.services.errors import (
    InvalidState,
    NotFound,
    PermissionDenied,
    StaleAction,
    ValidationFailed,
)

QUESTION_MAX = 300
OPTION_MAX = 100
MIN_OPTIONS, MAX_OPTIONS = 2, 10
REMINDERS = (("hour", timedelta(hours=1)), ("day", timedelta(days=1)))


# --- sealing the current choice of a changeable ballot ------------------------------------


def ballot_key(secret: str) -> bytes:
    return hashlib.sha256(b"linli-ballot-v1:" + secret.encode()).digest()


def _context(vote_id: int, resident_id: int) -> bytes:
    return f"{vote_id}:{resident_id}".encode()


def seal(key: bytes, vote_id: int, resident_id: int, mask: int) -> str:
    """Encrypt-then-MAC the option bitmask (2 bytes) under a fresh random nonce."""
    nonce = os.urandom(16)
    context = _context(vote_id, resident_id)
    stream = hmac.new(key, b"enc" + nonce + context, hashlib.sha256).digest()[:2]
    body = bytes(a ^ b for a, b in zip(mask.to_bytes(2, "big"), stream, strict=True))
    tag = hmac.new(key, b"mac" + nonce + context + body, hashlib.sha256).digest()[:16]
    return (nonce + body + tag).hex()


def unseal(key: bytes, vote_id: int, resident_id: int, sealed: str | None) -> int | None:
    """The bitmask, or None when missing or sealed with another key (or tampered with)."""
    if not sealed:
        return None
    try:
        raw = bytes.fromhex(sealed)
    except ValueError:
        return None
    if len(raw) != 34:
        return None
    nonce, body, tag = raw[:16], raw[16:18], raw[18:]
    context = _context(vote_id, resident_id)
    expected = hmac.new(key, b"mac" + nonce + context + body, hashlib.sha256).digest()[:16]
    if not hmac.compare_digest(tag, expected):
        return None
    stream = hmac.new(key, b"enc" + nonce + context, hashlib.sha256).digest()[:2]
    return int.from_bytes(bytes(a ^ b for a, b in zip(body, stream, strict=True)), "big")


def mask_of(positions: set[int] | list[int]) -> int:
    mask = 0
    for position in positions:
        mask |= 1 << position
    return mask


def positions_of(mask: int) -> list[int]:
    return [i for i in range(MAX_OPTIONS) if mask >> i & 1]


# --- drafting ------------------------------------------------------------------------------


@dataclass
class Draft:
    """A vote being set up by a chief (kept in FSM data as a dict)."""

    topic_id: int
    question: str = ""
    options: list[str] = field(default_factory=list)
    multiple: bool = False
    max_choices: int = 1
    deadline: datetime | None = None
    quorum_percent: int = 0
    allow_change: bool = True
    show_live: bool = False


def parse_question(text: str | None) -> str:
    return topics.clean_text(text, QUESTION_MAX, key="vote-error-empty-question")


_ENUMERATION = re.compile(r"^\s*(?:[-•·*]|[0-9]{1,2}[.、)）:：](?![0-9])|[①-⑩])\s*")
_SEPARATORS = re.compile(r"[、，,;；]")


def parse_options(text: str | None) -> list[str]:
    """Options one per line, or on one line separated by 、 ， , ; or ； (2 to 10, each at
    most 100 characters, no duplicates); a leading "1." or "-" is dropped."""
    value = (text or "").strip()
    lines = value.splitlines() if "\n" in value else _SEPARATORS.split(value)
    options = [_ENUMERATION.sub("", line, count=1).strip() for line in lines]
    options = [option for option in options if option]
    if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        raise ValidationFailed("vote-error-option-count", count=len(options))
    for option in options:
        if len(option) > OPTION_MAX:
            raise ValidationFailed(
                "vote-error-option-long", limit=OPTION_MAX, length=len(option), option=option[:20]
            )
    if len(set(options)) != len(options):
        raise ValidationFailed("vote-error-option-duplicate")
    return options


def parse_quorum(text: str | None) -> int:
    """A quorum in percent, 0 to 100 (ASCII digits, an optional % sign)."""
    quorum = parsing.parse_int((text or "").strip().rstrip("%％").strip(), low=0, high=100)
    if quorum is None:
        raise ValidationFailed("vote-error-bad-quorum")
    return quorum


def parse_max_choices(text: str | None, options: int) -> int:
    """How many options a multiple-choice ballot may tick: 2 to the number of options."""
    value = parsing.parse_int(text, low=2, high=options)
    if value is None:
        raise StaleAction()
    return value


# --- creating and reading -------------------------------------------------------------------


async def get(session: AsyncSession, vote_id: int, *, fresh: bool = False) -> Vote:
    vote = await session.get(Vote, vote_id, populate_existing=fresh)
    if vote is None:
        raise NotFound("vote-error-not-found")
    return vote


async def topic_for_new_vote(session: AsyncSession, actor: Resident, topic_id: int) -> Topic:
    """The topic a chief may open a vote on (checked again at creation)."""
    topic = await topics.get(session, topic_id)
    await topics.require_action(session, actor, topic, topics.TopicAction.VOTE)
    return topic


VoteAnnounce = Callable[[AsyncSession, Vote], Awaitable[object]]
"""Enqueues a new vote's group post, inside the transaction that creates the vote."""


async def create(
    session: AsyncSession,
    actor: Resident,
    draft: Draft,
    now: datetime,
    announce: VoteAnnounce | None = None,
) -> Vote:
    """Open a vote on a topic in discussion (the topic goes to `voting`); `announce`
    enqueues its group post in the same transaction."""
    question = parse_question(draft.question)
    options = draft.options
    if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        raise ValidationFailed("vote-error-option-count", count=len(options))
    if draft.deadline is None:
        raise ValidationFailed("topic-error-past-date")
    topics.check_moment(draft.deadline, now)
    max_choices = max(1, min(draft.max_choices, len(options))) if draft.multiple else 1
    if not 0 <= draft.quorum_percent <= 100:
        raise ValidationFailed("vote-error-bad-quorum")
    deadline = draft.deadline
    async with write_transaction(session):
        await topic_for_new_vote(session, actor, draft.topic_id)
        topic = await topics.transition(
            session, draft.topic_id, topics.TopicAction.VOTE, TopicState.VOTING
        )
        vote = Vote(
            topic_id=topic.id,
            question=question,
            multiple=draft.multiple,
            max_choices=max_choices,
            deadline=deadline,
            quorum_percent=draft.quorum_percent,
            allow_change=draft.allow_change,
            show_live=draft.show_live,
            state=VoteState.OPEN,
            created_by_id=actor.id,
            # Reminders already due at creation are skipped, not sent late.
            reminded_day_at=now if deadline - now <= timedelta(days=1) else None,
            reminded_hour_at=now if deadline - now <= timedelta(hours=1) else None,
        )
        session.add(vote)
        await session.flush()
        for position, label in enumerate(options):
            session.add(VoteOption(vote_id=vote.id, position=position, label=label, votes=0))
        session.add(topics.new_event(topic, actor, TopicState.VOTING, question))
        await audit.record(session, actor, "vote.create", "vote", vote.id, topic_id=topic.id)
        if announce is not None:
            await session.flush()
            await announce(session, vote)
    return vote


@dataclass(frozen=True)
class Tally:
    vote: Vote
    topic: Topic
    options: list[tuple[str, int]]
    turnout: int
    eligible: int

    @property
    def quorum_needed(self) -> int:
        """Ballots needed for the quorum (rounded up)."""
        return -(-self.eligible * self.vote.quorum_percent // 100)

    @property
    def quorum_met(self) -> bool:
        return self.turnout >= self.quorum_needed

    @property
    def winners(self) -> list[int]:
        top = max((count for _, count in self.options), default=0)
        return [i for i, (_, count) in enumerate(self.options) if count == top and top > 0]


async def tally(session: AsyncSession, vote_id: int) -> Tally:
    """Totals, turnout and eligible residents (frozen at close)."""
    vote = await get(session, vote_id, fresh=True)
    topic = await topics.get(session, vote.topic_id)
    rows = await session.execute(
        select(VoteOption.label, VoteOption.votes)
        .where(VoteOption.vote_id == vote.id)
        .order_by(VoteOption.position)
    )
    if vote.state == VoteState.CLOSED and vote.turnout is not None:
        turnout, eligible = vote.turnout, vote.eligible_count or 0
    else:
        turnout = int(
            await session.scalar(
                select(func.count()).select_from(VoteBallot).where(VoteBallot.vote_id == vote.id)
            )
            or 0
        )
        eligible = await topics.eligible_count(session, topic)
    return Tally(vote, topic, [(label, int(n)) for label, n in rows.all()], turnout, eligible)


async def votes_for_topic(session: AsyncSession, topic_id: int) -> list[Vote]:
    rows = await session.scalars(select(Vote).where(Vote.topic_id == topic_id).order_by(Vote.id))
    return list(rows.all())


async def has_voted(session: AsyncSession, vote_id: int, resident_id: int) -> bool:
    return bool(
        await session.scalar(
            select(
                exists().where(VoteBallot.vote_id == vote_id, VoteBallot.resident_id == resident_id)
            )
        )
    )


# --- the state machine: what may be done to a vote, and when ----------------------------------


class VoteAction(StrEnum):
    CAST = "cast"  # a ballot (a resident of the scope, while the vote is open)
    CLOSE = "close"  # closing it early (a chief of the topic's area)


def allowed_vote_actions(vote: Vote, standing: topics.Standing, now: datetime) -> list[VoteAction]:
    """What a resident of this `standing` to the vote's topic may do to `vote` now."""
    allowed: list[VoteAction] = []
    if vote.state == VoteState.OPEN and vote.deadline > now and standing.member:
        allowed.append(VoteAction.CAST)
    if vote.state == VoteState.OPEN and standing.manager:
        allowed.append(VoteAction.CLOSE)
    return allowed


async def require_vote_action(
    session: AsyncSession,
    actor: Resident | None,
    vote: Vote,
    topic: Topic,
    action: VoteAction,
    now: datetime,
    *,
    area: topics.Area | None = None,
) -> None:
    """Raise what `actor` is told when `action` is not allowed on `vote` now (`area`: see
    `topics.in_scope`)."""
    if action == VoteAction.CLOSE:
        await topics.require_manager(session, actor, topic)
        if vote.state != VoteState.OPEN:
            raise StaleAction("vote-error-closed")
        return
    if actor is None or not actor.is_verified:
        raise PermissionDenied("vote-error-not-eligible")
    if vote.state != VoteState.OPEN or vote.deadline <= now:
        raise StaleAction("vote-error-closed")
    if not await topics.in_scope(session, actor, topic, area=area):
        raise PermissionDenied("vote-error-not-eligible")


async def ballot_for(
    session: AsyncSession, resident: Resident | None, vote_id: int, now: datetime
) -> Tally:
    """The vote a resident asks a private ballot for (they may cast one now)."""
    vote = await get(session, vote_id)
    topic = await topics.get(session, vote.topic_id)
    await require_vote_action(session, resident, vote, topic, VoteAction.CAST, now)
    return await tally(session, vote.id)


async def toggle_choice(
    session: AsyncSession, vote_id: int, mask: int, position: int
) -> tuple[Vote, list[str], int]:
    """Flip `position` on a private multiple-choice ballot being filled in (nothing is
    stored until it is submitted): the vote, its option labels and the new selection."""
    current = await tally(session, vote_id)
    vote = current.vote
    if vote.state != VoteState.OPEN:
        raise StaleAction("vote-error-closed")
    if not 0 <= position < len(current.options):
        raise StaleAction()
    mask ^= 1 << position
    if len(positions_of(mask)) > vote.max_choices:
        raise ValidationFailed("vote-error-too-many", max=vote.max_choices)
    return vote, [label for label, _ in current.options], mask


# --- casting -----------------------------------------------------------------------------------


class Cast(Enum):
    NEW = "new"
    CHANGED = "changed"
    SAME = "same"


async def cast(
    session: AsyncSession,
    resident: Resident | None,
    vote_id: int,
    positions: list[int],
    *,
    now: datetime,
    key: bytes,
) -> Cast:
    """Record a ballot: one per resident per vote (a unique constraint). A changed ballot
    moves the resident's votes from the old options to the new ones; totals stay exact."""
    if resident is None or not resident.is_verified:
        raise PermissionDenied("vote-error-not-eligible")
    async with write_transaction(session):
        # FOR SHARE (PostgreSQL): closing waits for ballots being cast, and a ballot cast
        # after the close sees the vote closed. The topic, the number of options and the
        # voter's grid and community come in the same query.
        row = (
            await session.execute(
                _VOTE_FOR_BALLOT, {"vote_id": vote_id, "building_id": resident.building_id}
            )
        ).first()
        if row is None:
            raise StaleAction("vote-error-not-found")
        vote, topic, option_count, voter_grid, voter_community = row
        await require_vote_action(
            session, resident, vote, topic, VoteAction.CAST, now, area=(voter_grid, voter_community)
        )
        chosen = sorted(set(positions))
        if (
            not chosen
            or any(p < 0 or p >= option_count for p in chosen)
            or len(chosen) > (vote.max_choices if vote.multiple else 1)
        ):
            raise StaleAction("vote-error-bad-option")
        mask = mask_of(chosen)
        sealed = seal(key, vote.id, resident.id, mask) if vote.allow_change else None
        # The common case, a first ballot, is one INSERT; a ballot that exists already (or
        # the same resident's other tap that won the race) is then read and locked.
        if await _insert_ballot(session, vote.id, resident.id, sealed):
            await _move(session, vote.id, add=chosen, remove=[])
            return Cast.NEW
        ballot = await _ballot(session, vote.id, resident.id)
        assert ballot is not None
        if not vote.allow_change:
            raise InvalidState("vote-error-already-voted")
        old = unseal(key, vote.id, resident.id, ballot.sealed)
        if old is None:
            raise InvalidState("vote-error-cannot-change")
        if old == mask:
            return Cast.SAME
        before = positions_of(old)
        await _move(
            session,
            vote.id,
            add=[p for p in chosen if p not in before],
            remove=[p for p in before if p not in chosen],
        )
        ballot.sealed = sealed
    return Cast.CHANGED


async def _insert_ballot(
    session: AsyncSession, vote_id: int, resident_id: int, sealed: str | None
) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING: True when this call created the ballot."""
    stmt = _INSERT_BALLOT[session.get_bind().dialect.name]
    params = {"ballot_vote": vote_id, "ballot_resident": resident_id, "ballot_sealed": sealed}
    return (await session.execute(stmt, params)).first() is not None


async def _ballot(session: AsyncSession, vote_id: int, resident_id: int) -> VoteBallot | None:
    return await session.scalar(
        select(VoteBallot)
        .where(VoteBallot.vote_id == vote_id, VoteBallot.resident_id == resident_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


async def _move(session: AsyncSession, vote_id: int, *, add: list[int], remove: list[int]) -> None:
    """Adjust totals one row at a time in position order (a fixed lock order: no
    deadlocks), each option found by its vote and position (unique)."""
    changes = {p: 1 for p in add} | {p: -1 for p in remove}
    for position in sorted(changes):
        params = {"option_vote": vote_id, "option_position": position, "delta": changes[position]}
        await session.execute(_MOVE_VOTES, params)


# The ballot's statements, built once (building a statement costs more than running it on
# SQLite; a statement object also keeps its cache key): docs/benchmarks.md, "The hot path".
_VOTE_FOR_BALLOT = (
    select(
        Vote,
        Topic,
        select(func.count()).where(VoteOption.vote_id == Vote.id).correlate(Vote).scalar_subquery(),
        select(Building.grid_id).where(Building.id == bindparam("building_id")).scalar_subquery(),
        select(Grid.community_id)
        .join(Building, Building.grid_id == Grid.id)
        .where(Building.id == bindparam("building_id"))
        .scalar_subquery(),
    )
    .join(Topic, Topic.id == Vote.topic_id)
    .where(Vote.id == bindparam("vote_id"))
    .with_for_update(read=True, of=Vote)
    .execution_options(populate_existing=True)
)
# The two writes go to the tables, not through the ORM's bulk INSERT / UPDATE paths: the
# same SQL for less CPU (no ORM object takes part).
_BALLOTS = VoteBallot.__table__
_OPTIONS = VoteOption.__table__
_INSERT_BALLOT = {
    name: dialect.insert(_BALLOTS)
    .values(
        vote_id=bindparam("ballot_vote"),
        resident_id=bindparam("ballot_resident"),
        sealed=bindparam("ballot_sealed"),
    )
    .on_conflict_do_nothing(index_elements=[_BALLOTS.c.vote_id, _BALLOTS.c.resident_id])
    .returning(_BALLOTS.c.id)
    for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))
}
_MOVE_VOTES = (
    update(_OPTIONS)
    .where(
        _OPTIONS.c.vote_id == bindparam("option_vote"),
        _OPTIONS.c.position == bindparam("option_position"),
    )
    .values(votes=_OPTIONS.c.votes + bindparam("delta", type_=Integer))
)


# --- closing, results, reminders ---------------------------------------------------------------


async def close(
    session: AsyncSession, vote_id: int, now: datetime, actor: Resident | None = None
) -> bool:
    """Close the vote (claimed by a conditional UPDATE: True for exactly one caller),
    freeze turnout and eligible count, decide the quorum, wipe the sealed choices."""
    async with write_transaction(session):
        vote = await get(session, vote_id, fresh=True)
        if actor is not None:
            topic = await topics.get(session, vote.topic_id)
            await require_vote_action(session, actor, vote, topic, VoteAction.CLOSE, now)
        condition = [Vote.id == vote_id, Vote.state == VoteState.OPEN]
        if actor is None:
            condition.append(Vote.deadline <= now)
        result = await session.execute(
            update(Vote)
            .where(*condition)
            .values(
                state=VoteState.CLOSED,
                closed_at=now,
                closed_early_by_id=actor.id if actor is not None else None,
            )
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            if actor is not None:
                raise StaleAction("vote-error-closed")
            return False
        current = await tally(session, vote_id)
        await session.execute(
            update(Vote)
            .where(Vote.id == vote_id)
            .values(
                turnout=current.turnout,
                eligible_count=current.eligible,
                quorum_met=current.quorum_met,
            )
            .execution_options(synchronize_session=False)
        )
        await session.execute(
            update(VoteBallot)
            .where(VoteBallot.vote_id == vote_id, VoteBallot.sealed.is_not(None))
            .values(sealed=None)
            .execution_options(synchronize_session=False)
        )
        if actor is not None:
            await audit.record(session, actor, "vote.close_early", "vote", vote_id)
    return True


async def due(session: AsyncSession, now: datetime) -> list[int]:
    rows = await session.scalars(
        select(Vote.id).where(Vote.state == VoteState.OPEN, Vote.deadline <= now).order_by(Vote.id)
    )
    return list(rows.all())


async def unposted_results(session: AsyncSession) -> list[int]:
    rows = await session.scalars(
        select(Vote.id)
        .where(Vote.state == VoteState.CLOSED, Vote.result_posted_at.is_(None))
        .order_by(Vote.id)
    )
    return list(rows.all())


async def claim_result(session: AsyncSession, vote_id: int, now: datetime) -> bool:
    """The result of a closed vote is published by exactly one caller."""
    async with write_transaction(session):
        result = await session.execute(
            update(Vote)
            .where(
                Vote.id == vote_id,
                Vote.state == VoteState.CLOSED,
                Vote.result_posted_at.is_(None),
            )
            .values(result_posted_at=now)
            .execution_options(synchronize_session=False)
        )
    return result.rowcount == 1  # type: ignore[attr-defined]


async def claim_reminders(session: AsyncSession, now: datetime) -> list[tuple[int, str]]:
    """Claim the vote reminders due now (a day and an hour before the deadline)."""
    claimed: list[tuple[int, str]] = []
    for kind, before in REMINDERS:
        column = Vote.reminded_hour_at if kind == "hour" else Vote.reminded_day_at
        ids = (
            await session.scalars(
                select(Vote.id).where(
                    Vote.state == VoteState.OPEN,
                    Vote.deadline > now,
                    Vote.deadline <= now + before,
                    column.is_(None),
                )
            )
        ).all()
        for vote_id in ids:
            values: dict[str, object] = {column.key: now}
            if kind == "hour":
                values["reminded_day_at"] = func.coalesce(Vote.reminded_day_at, now)
            async with write_transaction(session):
                result = await session.execute(
                    update(Vote)
                    .where(Vote.id == vote_id, column.is_(None), Vote.state == VoteState.OPEN)
                    .values(**values)
                    .execution_options(synchronize_session=False)
                )
            if result.rowcount == 1:  # type: ignore[attr-defined]
                claimed.append((vote_id, kind))
    return claimed


async def result_recipients(session: AsyncSession, current: Tally) -> list[Resident]:
    """Who gets a closed vote's result privately: the topic's proposer and the chief who
    opened the vote (once each)."""
    people = [
        await topics.author(session, current.topic),
        await session.get(Resident, current.vote.created_by_id)
        if current.vote.created_by_id
        else None,
    ]
    return list({r.id: r for r in people if r is not None}.values())


async def non_voters(session: AsyncSession, vote_id: int) -> list[Resident]:
    """Eligible residents who have not voted (turnout is public; choices are not)."""
    vote = await get(session, vote_id)
    topic = await topics.get(session, vote.topic_id)
    voted = select(VoteBallot.resident_id).where(VoteBallot.vote_id == vote_id)
    rows = await session.scalars(
        topics.eligible_residents(topic).where(Resident.id.not_in(voted)).order_by(Resident.id)
    )
    return list(rows.all())
