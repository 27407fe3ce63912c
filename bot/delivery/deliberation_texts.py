"""The texts and buttons of deliberation's posts: a topic's proposal, a vote with its
options and rules, a vote's result. Shared by the group posts, their live edits, the
reminders and the topic card."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from aiogram.types import InlineKeyboardMarkup

from linli.bot.i18n import Translator
from linli.bot.keyboards import deliberation as kb
from linli.models.deliberation import Scope, Topic, TopicState, VoteState
from linli.services import topics as topic_service
from linli.services.votes import Tally


class DeliberationTexts:
    def __init__(self, translator: Translator, local_time: Callable[[datetime | None], str]):
        self.tr = translator
        self.when = local_time

    def scope(self, scope: Scope, unit: str, locale: str) -> str:
        return self.tr.get(f"topic-scope-{scope.value}", locale, unit=unit)

    def state(self, state: TopicState, locale: str) -> str:
        return self.tr.get(f"topic-state-{state.value}", locale)

    def topic_post(self, topic: Topic, scope: Scope, unit: str, locale: str) -> str:
        """A proposal as posted to the groups (and atop its card)."""
        return self.tr.get(
            "topic-post",
            locale,
            ref=topic.ref,
            title=topic.title,
            description=topic.description or self.tr.get("topic-voice-description", locale),
            scope=self.scope(scope, unit, locale),
            state=self.state(topic.state, locale),
            support=str(topic.support_count),
        )

    def support_markup(self, topic: Topic, locale: str) -> InlineKeyboardMarkup | None:
        """The group post's Support button, while the topic collects support."""
        if not topic_service.collects_support(topic):
            return None
        return kb.support(topic.id, self.tr.get("topic-button-support", locale))

    def meeting(self, topic: Topic, locale: str) -> str:
        return self.tr.get(
            "topic-meeting-line",
            locale,
            time=self.when(topic.meeting_at),
            place=topic.meeting_place or "-",
        )

    def option_lines(self, tally: Tally, locale: str, *, counts: bool) -> str:
        lines = []
        for position, (label, number) in enumerate(tally.options):
            if counts:
                lines.append(
                    self.tr.get(
                        "vote-option-count",
                        locale,
                        n=str(position + 1),
                        label=label,
                        count=str(number),
                    )
                )
            else:
                lines.append(self.tr.get("vote-option", locale, n=str(position + 1), label=label))
        return "\n".join(lines)

    def vote_rules(self, tally: Tally, locale: str) -> str:
        vote = tally.vote
        kind = (
            self.tr.get("vote-rule-multiple", locale, max=str(vote.max_choices))
            if vote.multiple
            else self.tr.get("vote-rule-single", locale)
        )
        change = self.tr.get("vote-rule-change" if vote.allow_change else "vote-rule-final", locale)
        live = self.tr.get("vote-rule-live" if vote.show_live else "vote-rule-hidden", locale)
        return f"{kind} · {change} · {live}"

    def vote_post(self, tally: Tally, locale: str) -> str:
        """A vote as posted to the groups: turnout always, totals when live or closed."""
        vote = tally.vote
        closed = vote.state == VoteState.CLOSED
        return self.tr.get(
            "vote-post-closed" if closed else "vote-post",
            locale,
            ref=tally.topic.ref,
            title=tally.topic.title,
            question=vote.question,
            options=self.option_lines(tally, locale, counts=closed or vote.show_live),
            turnout=str(tally.turnout),
            eligible=str(tally.eligible),
            deadline=self.when(vote.deadline),
            quorum=str(vote.quorum_percent),
            needed=str(tally.quorum_needed),
            rules=self.vote_rules(tally, locale),
        )

    def vote_markup(self, tally: Tally, locale: str) -> InlineKeyboardMarkup | None:
        """The ballot buttons of an open vote (none once it is closed)."""
        if tally.vote.state != VoteState.OPEN:
            return None
        return kb.vote_buttons(
            tally.vote.id,
            [label for label, _ in tally.options],
            tally.vote.multiple,
            self.tr.get("vote-button-ballot", locale),
        )

    def result(self, tally: Tally, locale: str) -> str:
        """A closed vote's result: totals, turnout, quorum and the winner (the chart's
        caption)."""
        vote = tally.vote
        percent = round(100 * tally.turnout / tally.eligible) if tally.eligible else 0
        winners = tally.winners
        if not winners:
            outcome = self.tr.get("vote-result-no-votes", locale)
        elif len(winners) > 1:
            outcome = self.tr.get(
                "vote-result-tie", locale, labels="、".join(tally.options[i][0] for i in winners)
            )
        else:
            outcome = self.tr.get("vote-result-winner", locale, label=tally.options[winners[0]][0])
        quorum = self.tr.get(
            "vote-quorum-met" if tally.quorum_met else "vote-quorum-missed",
            locale,
            quorum=str(vote.quorum_percent),
            needed=str(tally.quorum_needed),
        )
        return self.tr.get(
            "vote-result",
            locale,
            ref=tally.topic.ref,
            title=tally.topic.title,
            question=vote.question,
            options=self.option_lines(tally, locale, counts=True),
            turnout=str(tally.turnout),
            eligible=str(tally.eligible),
            percent=str(percent),
            quorum=quorum,
            outcome=outcome,
        )
