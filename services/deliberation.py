"""What a resident sees of one topic: its card's contents and the steps they may take, read
in one place (topics and their votes together)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from linli.models import Resident
from linli.models.deliberation import (
    Scope,
    Topic,
    TopicComment,
    TopicEvent,
    TopicState,
    VoteState,
)
from linli.services import topics, votes
from linli.services.errors import StaleAction
from linli.services.topics import TopicAction
from linli.services.votes import Tally, VoteAction


@dataclass(frozen=True)
class TopicView:
    """A topic's whole story and what the viewer may do now."""

    topic: Topic
    scope: Scope
    unit: str
    """The name of the topic's building ("grid · building"), grid or community."""
    comments: list[tuple[TopicComment, Resident]]
    tallies: list[Tally]
    """Every vote on the topic, oldest first."""
    open_vote: Tally | None
    rating: tuple[int, float] | None
    """(count, average stars), once the topic is done."""
    history: list[TopicEvent]
    stage: str
    """What the card calls its state (`topics.stage`: "counted" once the vote closed)."""
    actions: list[TopicAction]
    vote_actions: list[VoteAction]
    """On the open vote, if there is one."""


async def topic_view(
    session: AsyncSession, viewer: Resident, topic_id: int, now: datetime
) -> TopicView:
    """The card of a topic for a resident of its scope or a chief of its area."""
    topic = await topics.get(session, topic_id)
    standing = await topics.standing(session, viewer, topic)
    if not (standing.member or standing.manager):
        raise StaleAction("topic-error-not-in-scope", ref=topic.ref)
    scope, unit = await topics.unit_label(session, topic)
    tallies = [
        await votes.tally(session, vote.id)
        for vote in await votes.votes_for_topic(session, topic.id)
    ]
    open_vote = next((t for t in tallies if t.vote.state == VoteState.OPEN), None)
    return TopicView(
        topic=topic,
        scope=scope,
        unit=unit,
        comments=await topics.comments(session, topic.id),
        tallies=tallies,
        open_vote=open_vote,
        rating=(
            await topics.rating_summary(session, topic.id)
            if topic.state == TopicState.DONE
            else None
        ),
        history=await topics.history(session, topic.id),
        stage=topics.stage(topic, vote_open=open_vote is not None),
        actions=topics.allowed_actions(topic, standing, vote_open=open_vote is not None),
        vote_actions=(
            votes.allowed_vote_actions(open_vote.vote, standing, now) if open_vote else []
        ),
    )
