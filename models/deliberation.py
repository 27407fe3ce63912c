"""Deliberation (议事协商): topics, their supports, comments and history; votes with
their options (the only place choices are counted), ballots (who voted, never what) and
outcome ratings.

Secret ballot: `VoteOption.votes` holds the totals and nothing else; `VoteBallot` says that a
resident voted (turnout is public) and, only while a vote whose ballots may be changed is
open, a `sealed` copy of the current choice encrypted with a key that is not in the database
(wiped when the vote closes). See docs/deliberation.md.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from linli.models.base import Base, BigIntPK, UTCDateTime, str_enum, utcnow


class Scope(enum.StrEnum):
    BUILDING = "building"
    GRID = "grid"
    COMMUNITY = "community"


class TopicState(enum.StrEnum):
    PROPOSED = "proposed"
    SHORTLISTED = "shortlisted"
    DECLINED = "declined"
    DISCUSSING = "discussing"
    VOTING = "voting"
    DECIDED = "decided"
    IMPLEMENTING = "implementing"
    DONE = "done"


class CommentLabel(enum.StrEnum):
    RESIDENT = "resident"
    PROPERTY = "property"  # the property company's view (物业), entered by a chief
    COMMITTEE = "committee"  # the owners' committee's view (业委会), entered by a chief


class VoteState(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class PostKind(enum.StrEnum):
    """A group post edited later: a topic's proposal, its discussion post or a vote's
    ballot post."""

    TOPIC = "topic"
    DISCUSSION = "discussion"
    VOTE = "vote"


class Topic(Base):
    """`T{id}`. The scope is one building, one grid or the whole community."""

    __tablename__ = "topics"
    __table_args__ = (
        Index("ix_topics_community_state", "community_id", "state"),
        CheckConstraint(
            "(scope != 'building' OR building_id IS NOT NULL)"
            " AND (scope != 'grid' OR grid_id IS NOT NULL)",
            name="scope_has_unit",
        ),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    scope: Mapped[Scope] = mapped_column(str_enum(Scope, "topic_scope"))
    grid_id: Mapped[int | None] = mapped_column(
        ForeignKey("grids.id", ondelete="CASCADE"), index=True
    )
    building_id: Mapped[int | None] = mapped_column(
        ForeignKey("buildings.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("residents.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(String(1000), default="")
    description_voice: Mapped[str | None] = mapped_column(String(255))
    state: Mapped[TopicState] = mapped_column(
        str_enum(TopicState, "topic_state"), default=TopicState.PROPOSED
    )
    support_count: Mapped[int] = mapped_column(Integer, default=0)
    importance: Mapped[int | None] = mapped_column(Integer)
    urgency: Mapped[int | None] = mapped_column(Integer)
    feasibility: Mapped[int | None] = mapped_column(Integer)
    decline_reason: Mapped[str | None] = mapped_column(String(500))
    discussion_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    meeting_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    meeting_place: Mapped[str | None] = mapped_column(String(200))
    meeting_reminded_day_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    meeting_reminded_hour_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def score(self) -> int:
        return (self.importance or 0) + (self.urgency or 0) + (self.feasibility or 0)

    @property
    def ref(self) -> str:
        return f"T{self.id}"


class TopicSupport(Base):
    """One +1 per resident per topic (a database constraint)."""

    __tablename__ = "topic_supports"
    __table_args__ = (UniqueConstraint("topic_id", "resident_id"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"))
    resident_id: Mapped[int] = mapped_column(
        ForeignKey("residents.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TopicComment(Base):
    """One comment per resident and label per topic; sending another replaces it."""

    __tablename__ = "topic_comments"
    __table_args__ = (UniqueConstraint("topic_id", "resident_id", "label"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"))
    resident_id: Mapped[int] = mapped_column(
        ForeignKey("residents.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[CommentLabel] = mapped_column(
        str_enum(CommentLabel, "comment_label"), default=CommentLabel.RESIDENT
    )
    text: Mapped[str] = mapped_column(String(1000), default="")
    voice_file_id: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class TopicEvent(Base):
    """The history of a topic: every state change and progress update (append-only)."""

    __tablename__ = "topic_events"
    __table_args__ = (Index("ix_topic_events_topic_at", "topic_id", "at"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(BigInteger)
    state: Mapped[TopicState] = mapped_column(str_enum(TopicState, "topic_event_state"))
    note: Mapped[str] = mapped_column(String(1000), default="")


class TopicRating(Base):
    """A resident's 1–5 rating of the outcome, once the topic is done; one each."""

    __tablename__ = "topic_ratings"
    __table_args__ = (
        UniqueConstraint("topic_id", "resident_id"),
        CheckConstraint("stars BETWEEN 1 AND 5", name="stars_range"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"))
    resident_id: Mapped[int] = mapped_column(
        ForeignKey("residents.id", ondelete="CASCADE"), index=True
    )
    stars: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Vote(Base):
    """A vote on a topic; closes at `deadline` (scheduled job) or early by a chief."""

    __tablename__ = "votes"
    __table_args__ = (
        Index("ix_votes_state_deadline", "state", "deadline"),
        CheckConstraint("quorum_percent BETWEEN 0 AND 100", name="quorum_range"),
        CheckConstraint("max_choices >= 1", name="max_choices_positive"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"), index=True)
    question: Mapped[str] = mapped_column(String(300))
    multiple: Mapped[bool] = mapped_column(Boolean, default=False)
    max_choices: Mapped[int] = mapped_column(Integer, default=1)
    deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    quorum_percent: Mapped[int] = mapped_column(Integer, default=0)
    allow_change: Mapped[bool] = mapped_column(Boolean, default=True)
    show_live: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[VoteState] = mapped_column(
        str_enum(VoteState, "vote_state"), default=VoteState.OPEN
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("residents.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_early_by_id: Mapped[int | None] = mapped_column(BigInteger)
    eligible_count: Mapped[int | None] = mapped_column(Integer)
    turnout: Mapped[int | None] = mapped_column(Integer)
    quorum_met: Mapped[bool | None] = mapped_column(Boolean)
    result_posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_day_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_hour_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class VoteOption(Base):
    """An option and its running total: the only place where choices are counted."""

    __tablename__ = "vote_options"
    __table_args__ = (UniqueConstraint("vote_id", "position"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(100))
    votes: Mapped[int] = mapped_column(Integer, default=0)


class VoteBallot(Base):
    """That a resident voted (turnout, one ballot each); never what they chose in the clear.

    `sealed`: while an open vote allows changing ballots, the current choice encrypted with
    a key kept outside the database (services.votes.seal); NULL otherwise and after closing.
    """

    __tablename__ = "vote_ballots"
    __table_args__ = (UniqueConstraint("vote_id", "resident_id"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id", ondelete="CASCADE"))
    resident_id: Mapped[int] = mapped_column(
        ForeignKey("residents.id", ondelete="CASCADE"), index=True
    )
    sealed: Mapped[str | None] = mapped_column(String(128))
