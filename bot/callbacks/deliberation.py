"""Buttons of deliberation: topics (prefixes t*) and votes (prefixes v*)."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class SupportTopic(CallbackData, prefix="ts"):
    """+1 on a proposed topic (group post or private card)."""

    topic_id: int


class ViewTopic(CallbackData, prefix="tv"):
    """Open a topic's card with its history (private chat)."""

    topic_id: int


class TopicsPage(CallbackData, prefix="tl"):
    page: int


class ScoreTopic(CallbackData, prefix="tk"):
    """A chief's score: criterion i(mportance), u(rgency), f(easibility); value 1–5."""

    topic_id: int
    criterion: str
    value: int


class TopicAct(CallbackData, prefix="ta"):
    """A step on a topic (`services.topics.TopicAction`: support, comment, rate, short,
    decline, discuss, vote, decide, progress, done), or "noop" for a label button."""

    topic_id: int
    action: str


class TopicFlow(CallbackData, prefix="tf"):
    """A button inside a multi-step topic flow (scope, dates, labels, confirm, cancel)."""

    action: str
    value: str = ""


class RateTopic(CallbackData, prefix="tr"):
    topic_id: int
    stars: int


class CastVote(CallbackData, prefix="vc"):
    """Single choice: the option's position (0-based)."""

    vote_id: int
    position: int


class OpenBallot(CallbackData, prefix="vb"):
    """Multiple choice: send the resident a private ballot with check boxes."""

    vote_id: int


class ToggleChoice(CallbackData, prefix="vm"):
    """Private multiple-choice ballot: `mask` is the current selection, `position` flips."""

    vote_id: int
    mask: int
    position: int


class SubmitChoices(CallbackData, prefix="vs"):
    vote_id: int
    mask: int


class VoteFlow(CallbackData, prefix="vf"):
    """A button inside /vote_new (kind, max, deadline, quorum, change, live, confirm...)."""

    action: str
    value: str = ""


class CloseVote(CallbackData, prefix="vx"):
    """A chief closes a vote early: `confirm` False asks, True closes."""

    vote_id: int
    confirm: bool
