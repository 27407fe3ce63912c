"""Replies that show topics: a topic's card (its whole story and the buttons the viewer may
use), list lines, and a /pool card."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from aiogram.types import InlineKeyboardButton
from aiogram_i18n import I18nContext

from linli.bot.delivery.deliberation_texts import DeliberationTexts
from linli.bot.keyboards import deliberation as kb
from linli.models.deliberation import Topic
from linli.services import topics as service
from linli.services.deliberation import TopicView
from linli.services.people import shown_name
from linli.services.topics import TopicAction
from linli.services.votes import VoteAction

HISTORY_LIMIT = 15
COMMENTS_LIMIT = 10
CARD_MAX = 4000
# The label of each step's button (scores have buttons of their own on /pool cards).
BUTTONS = {
    TopicAction.SUPPORT: "topic-button-support",
    TopicAction.COMMENT: "topic-button-comment",
    TopicAction.RATE: "topic-button-rate",
    TopicAction.SHORTLIST: "topic-button-shortlist",
    TopicAction.DECLINE: "topic-button-decline",
    TopicAction.DISCUSS: "topic-button-discuss",
    TopicAction.VOTE: "topic-button-vote",
    TopicAction.DECIDE: "topic-button-decide",
    TopicAction.PROGRESS: "topic-button-progress",
    TopicAction.DONE: "topic-button-done",
}
# A score button's criterion (`ScoreTopic.criterion`) and the score it sets.
CRITERIA = {"i": "importance", "u": "urgency", "f": "feasibility"}


def step_buttons(i18n: I18nContext, actions: Sequence[TopicAction]) -> list[tuple[str, str]]:
    return [(i18n.get(BUTTONS[action]), action.value) for action in actions if action in BUTTONS]


def list_lines(i18n: I18nContext, rows: Sequence[Topic], stages: Mapping[int, str]) -> str:
    """One line per topic, with its stage (`services.topics.stages`)."""
    return "\n".join(
        i18n.get(
            "topic-list-line",
            ref=t.ref,
            title=t.title,
            state=i18n.get(f"topic-state-{stages[t.id]}"),
            support=t.support_count,
        )
        for t in rows
    )


def topic_card(view: TopicView, i18n: I18nContext, texts: DeliberationTexts) -> tuple[str, Any]:
    """A topic's whole story, with the buttons the viewer may use on it."""
    topic, locale = view.topic, str(i18n.locale)
    parts = [texts.topic_post(topic, view.scope, view.unit, locale, view.stage)]
    if topic.score:
        parts.append(
            i18n.get(
                "topic-card-score",
                importance=topic.importance or "-",
                urgency=topic.urgency or "-",
                feasibility=topic.feasibility or "-",
                total=topic.score,
            )
        )
    if topic.discussion_ends_at is not None:
        parts.append(
            i18n.get("topic-card-discussion", ends=texts.when(topic.discussion_ends_at))
            + "\n"
            + texts.meeting(topic, locale)
        )
    if view.comments:
        lines = [
            i18n.get(
                f"topic-comment-{c.label.value}",
                name=shown_name(i18n.get, author, empty=i18n.get("topic-no-name")),
                text=c.text or i18n.get("topic-voice-comment"),
            )
            for c, author in view.comments[:COMMENTS_LIMIT]
        ]
        parts.append(
            i18n.get("topic-card-comments", count=len(view.comments)) + "\n" + "\n".join(lines)
        )
    parts += [texts.vote_post(tally, locale) for tally in view.tallies]
    if topic.decision:
        parts.append(i18n.get("topic-card-decision", decision=topic.decision))
    elif view.stage == service.COUNTED:
        parts.append(i18n.get("topic-card-counted"))
    if view.rating is not None:
        count, average = view.rating
        parts.append(i18n.get("topic-card-rating", count=count, average=f"{average:.1f}"))
    history = [
        i18n.get(
            "topic-history-line",
            time=texts.when(event.at),
            state=i18n.get(f"topic-state-{event.state.value}"),
            note=event.note,
        ).rstrip(" :：")
        for event in view.history[-HISTORY_LIMIT:]
    ]
    parts.append(i18n.get("topic-card-history") + "\n" + "\n".join(history))
    text = "\n\n".join(parts)
    if len(text) > CARD_MAX:
        text = text[: CARD_MAX - 10] + "…"

    extra: list[InlineKeyboardButton] = []
    if view.open_vote is not None and VoteAction.CAST in view.vote_actions:
        ballot = texts.vote_markup(view.open_vote, locale)
        if ballot is not None:
            extra += [button for row in ballot.inline_keyboard for button in row]
    if view.open_vote is not None and VoteAction.CLOSE in view.vote_actions:
        extra.append(
            kb.close_vote(view.open_vote.vote.id, i18n.get("vote-button-close"), confirm=False)
        )
    return text, kb.topic_actions(topic.id, step_buttons(i18n, view.actions), extra)


def pool_card(i18n: I18nContext, topic: Topic) -> tuple[str, Any]:
    """A topic on /pool: its scores as three rows of 1–5, then the chief's steps."""
    text = i18n.get(
        "topic-pool-card",
        ref=topic.ref,
        title=topic.title,
        description=topic.description or i18n.get("topic-voice-description"),
        state=i18n.get(f"topic-state-{topic.state.value}"),
        support=topic.support_count,
        total=topic.score,
    )
    markup = kb.pool_card(
        topic.id,
        {"i": topic.importance, "u": topic.urgency, "f": topic.feasibility},
        {c: i18n.get(f"topic-criterion-{c}") for c in CRITERIA},
        step_buttons(i18n, service.pool_actions(topic)),
    )
    return text, markup
