"""The texts and buttons of deliberation's posts: a topic's proposal and its discussion, a
vote with its options and rules, a vote's result, how long until a meeting or a deadline.
Shared by the group posts, their live edits, the reminders and the topic card."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo

from aiogram.types import InlineKeyboardMarkup

from linli.bot.i18n import Translator
from linli.bot.keyboards import deliberation as kb
from linli.models.deliberation import Scope, Topic, TopicState, VoteState
from linli.services import topics as topic_service
from linli.services.votes import Tally


class DeliberationTexts:
    def __init__(self, translator: Translator, local_time: Callable[..., str], tz: tzinfo) -> None:
        self.tr = translator
        self.when = local_time
        self.tz = tz

    def scope(self, scope: Scope, unit: str, locale: str) -> str:
        return self.tr.get(f"topic-scope-{scope.value}", locale, unit=unit)

    def stage(self, stage: str, locale: str) -> str:
        """A topic's stage (`services.topics.stage`): its state, or "vote counted"."""
        return self.tr.get(f"topic-state-{stage}", locale)

    def topic_post(self, topic: Topic, scope: Scope, unit: str, locale: str, stage: str) -> str:
        """A proposal as posted to the groups (and atop its card), with its current stage."""
        return self.tr.get(
            "topic-post",
            locale,
            ref=topic.ref,
            title=topic.title,
            description=topic.description or self.tr.get("topic-voice-description", locale),
            scope=self.scope(scope, unit, locale),
            state=self.stage(stage, locale),
            support=topic.support_count,
        )

    def support_markup(self, topic: Topic, locale: str) -> InlineKeyboardMarkup | None:
        """The group post's Support button, while the topic collects support."""
        if not topic_service.collects_support(topic):
            return None
        return kb.support(topic.id, self.tr.get("topic-button-support", locale))

    def meeting(self, topic: Topic, locale: str) -> str:
        """The meeting line of a card or a post: its time and place, or "no meeting"."""
        if topic.meeting_at is None:
            return self.tr.get("topic-meeting-none", locale)
        return self.tr.get(
            "topic-meeting-line",
            locale,
            time=self.when(topic.meeting_at),
            place=topic.meeting_place or self.tr.get("topic-place-unknown", locale),
        )

    def discussion_post(self, topic: Topic, scope: Scope, unit: str, locale: str) -> str:
        """The discussion step as posted to the groups; once the discussion is over it says
        so (and loses its Comment button, `discussion_markup`)."""
        text = self.tr.get(
            "topic-discussion-post",
            locale,
            ref=topic.ref,
            title=topic.title,
            description=topic.description or self.tr.get("topic-voice-description", locale),
            scope=self.scope(scope, unit, locale),
            ends=self.when(topic.discussion_ends_at),
            meeting=self.meeting(topic, locale),
        )
        closing = "topic-discussion-invite"
        if topic.state != TopicState.DISCUSSING:
            closing = "topic-discussion-over"
        return text + "\n" + self.tr.get(closing, locale)

    def discussion_markup(self, topic: Topic, url: str, locale: str) -> InlineKeyboardMarkup | None:
        """The discussion post's Comment button (a link to this topic's comment step in a
        private chat), while the topic is in discussion."""
        if topic.state != TopicState.DISCUSSING:
            return None
        return kb.link(self.tr.get("topic-button-comment", locale), url)

    # --- time -------------------------------------------------------------------------------

    def left(self, until: datetime, now: datetime, locale: str) -> str:
        """How long until `until`: minutes under an hour, hours and minutes under three
        hours, whole hours under two days, then days."""
        minutes = max(1, round((until - now) / timedelta(minutes=1)))
        if minutes < 60:
            return self.tr.get("topic-left-minutes", locale, minutes=minutes)
        if minutes < 180:
            return self.tr.get(
                "topic-left-hours", locale, hours=minutes // 60, minutes=minutes % 60
            )
        if minutes < 48 * 60:
            return self.tr.get("topic-left-hours", locale, hours=round(minutes / 60), minutes=0)
        return self.tr.get("topic-left-days", locale, days=round(minutes / (24 * 60)))

    def soon(self, moment: datetime, now: datetime, locale: str) -> str:
        """`moment` as a reminder says it: "today 19:00", "tomorrow 09:00" or the date."""
        local, today = moment.astimezone(self.tz), now.astimezone(self.tz).date()
        clock = local.strftime("%H:%M")
        if local.date() == today:
            return self.tr.get("topic-when-today", locale, time=clock)
        if local.date() == today + timedelta(days=1):
            return self.tr.get("topic-when-tomorrow", locale, time=clock)
        return self.tr.get("topic-when-date", locale, time=self.when(moment))

    # --- votes --------------------------------------------------------------------------------

    def option_lines(self, tally: Tally, locale: str, *, counts: bool) -> str:
        lines = []
        for position, (label, number) in enumerate(tally.options):
            if counts:
                lines.append(
                    self.tr.get(
                        "vote-option-count", locale, n=position + 1, label=label, count=number
                    )
                )
            else:
                lines.append(self.tr.get("vote-option", locale, n=position + 1, label=label))
        return "\n".join(lines)

    def vote_rules(self, tally: Tally, locale: str) -> str:
        vote = tally.vote
        kind = (
            self.tr.get("vote-rule-multiple", locale, max=vote.max_choices)
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
            turnout=tally.turnout,
            eligible=tally.eligible,
            deadline=self.when(vote.deadline),
            quorum=vote.quorum_percent,
            needed=tally.quorum_needed,
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
            labels = self.tr.get("vote-list-separator", locale).join(
                self.tr.get("vote-quoted", locale, label=tally.options[i][0]) for i in winners
            )
            outcome = self.tr.get("vote-result-tie", locale, labels=labels)
        else:
            outcome = self.tr.get("vote-result-winner", locale, label=tally.options[winners[0]][0])
        quorum = self.tr.get(
            "vote-quorum-met" if tally.quorum_met else "vote-quorum-missed",
            locale,
            quorum=vote.quorum_percent,
            needed=tally.quorum_needed,
        )
        return self.tr.get(
            "vote-result",
            locale,
            ref=tally.topic.ref,
            title=tally.topic.title,
            question=vote.question,
            options=self.option_lines(tally, locale, counts=True),
            turnout=tally.turnout,
            eligible=tally.eligible,
            percent=percent,
            quorum=quorum,
            outcome=outcome,
        )
