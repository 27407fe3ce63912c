"""Deliberation delivery: what residents and groups see of topics and votes outside a reply.

Every group post goes through `_post`, which enqueues it in the broadcast outbox
(services.outbox; bot.delivery.sender delivers it within Telegram's limits). Posts that are
edited later — a topic's post (support count) and a vote's post (turnout, totals) — are
found again through the outbox (`services.topics.group_posts`) and kept current by this
part's `PostRefresher`; when such a post is delivered after its topic or vote changed, the
sender's `on_delivered` hook brings it up to date.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING

from aiogram.exceptions import TelegramAPIError
from aiogram.types import BufferedInputFile, InlineKeyboardMarkup
from aiogram.utils.deep_linking import create_start_link
from sqlalchemy.ext.asyncio import AsyncSession

from linli.bot.charts import render_bar_chart
from linli.bot.delivery.deliberation_refresh import Key, PostRefresher, Where
from linli.bot.delivery.deliberation_texts import DeliberationTexts
from linli.bot.delivery.sender import Delivered, on_delivered, wake
from linli.bot.keyboards import deliberation as kb
from linli.models import Resident
from linli.models.db import write_transaction
from linli.models.deliberation import PostKind, Topic, TopicState
from linli.services import outbox
from linli.services import topics as topic_service
from linli.services import votes as vote_service
from linli.services.topics import TopicAction
from linli.services.votes import Tally

if TYPE_CHECKING:
    from linli.bot.delivery import Delivery

log = logging.getLogger(__name__)

# Outbox sources of deliberation's group posts (`outbox_messages.source`, id = source_id).
SOURCE_TOPIC = topic_service.POST_SOURCES[PostKind.TOPIC]  # "topic": the proposal, topic id
SOURCE_VOTE = topic_service.POST_SOURCES[PostKind.VOTE]  # "vote": the ballot post, vote id
SOURCE_DISCUSSION = "topic.discussion"  # topic id
SOURCE_ANNOUNCE = "topic.announce"  # decision, progress, done; topic id
SOURCE_MEETING = "topic.meeting"  # meeting reminders; topic id
SOURCE_RESULT = "vote.result"  # the result with its chart; vote id


# What the groups and the followers are told after a step of carrying out the decision.
ANNOUNCEMENTS = {
    TopicAction.DECIDE: "topic-announce-decided",
    TopicAction.PROGRESS: "topic-announce-progress",
    TopicAction.DONE: "topic-announce-done",
}


class DeliberationDelivery:
    def __init__(self, core: Delivery) -> None:
        self.core = core
        self.texts = DeliberationTexts(core.translator, core.local_time)
        self.refresher = PostRefresher(
            core.bot, self._render, core.settings.deliberation.tally_edit_interval
        )

    @property
    def locale(self) -> str:
        """Group posts are in the community's default language."""
        return self.core.settings.default_language

    @cached_property
    def ballot_key(self) -> bytes:
        """The key that seals a changeable ballot's current choice (never in the database):
        DELIBERATION_BALLOT_KEY, else derived from the bot token."""
        settings = self.core.settings
        secret = settings.deliberation.ballot_key
        if secret is not None and secret.get_secret_value():
            return vote_service.ballot_key(secret.get_secret_value())
        token = settings.bot_token.get_secret_value() if settings.bot_token else ""
        return vote_service.ballot_key("token:" + token)

    # --- group posts -----------------------------------------------------------------------

    async def _post(
        self,
        session: AsyncSession,
        chat_ids: Sequence[int],
        text: str,
        reply_markup: InlineKeyboardMarkup | None = None,
        *,
        source: str,
        source_id: int,
        photo: bytes | None = None,
    ) -> int:
        """The one place deliberation posts to groups: enqueues the post in the outbox, in
        the caller's write transaction (call `wake()` after the commit). A photo is PNG
        bytes, uploaded once. Returns how many groups it goes to."""
        chats = list(dict.fromkeys(chat_ids))
        if not chats:
            return 0
        await outbox.enqueue(
            session,
            chat_ids=chats,
            text=text,
            source=source,
            source_id=source_id,
            media_kind="photo" if photo is not None else None,
            media_bytes=photo,
            reply_markup=(
                reply_markup.model_dump(mode="json", exclude_none=True) if reply_markup else None
            ),
        )
        return len(chats)

    async def _topic_post(self, session: AsyncSession, topic_id: int) -> str:
        topic = await topic_service.get(session, topic_id, fresh=True)
        scope, unit = await topic_service.unit_label(session, topic)
        return self.texts.topic_post(topic, scope, unit, self.locale)

    async def publish_topic(self, topic_id: int) -> int:
        """Post a new proposal with its Support button; returns how many groups it goes to."""
        async with self.core.sessionmaker() as session:
            text = await self._topic_post(session, topic_id)
            topic = await topic_service.get(session, topic_id)
            chats = await topic_service.scope_chats(session, topic)
            async with write_transaction(session):
                count = await self._post(
                    session,
                    chats,
                    text,
                    self.texts.support_markup(topic, self.locale),
                    source=SOURCE_TOPIC,
                    source_id=topic_id,
                )
        wake()
        return count

    async def publish_discussion(self, topic_id: int) -> None:
        """Post the discussion step with a button that opens /comment in a private chat,
        then redraw the proposal's posts to show the new state."""
        locale, tr = self.locale, self.core.translator
        url = await create_start_link(self.core.bot, "comment")
        markup = kb.link(tr.get("topic-button-comment", locale), url)
        async with self.core.sessionmaker() as session:
            topic = await topic_service.get(session, topic_id)
            chats = await topic_service.scope_chats(session, topic)
            scope, unit = await topic_service.unit_label(session, topic)
            text = tr.get(
                "topic-discussion-post",
                locale,
                ref=topic.ref,
                title=topic.title,
                description=topic.description or "-",
                scope=self.texts.scope(scope, unit, locale),
                ends=self.core.local_time(topic.discussion_ends_at),
                meeting=(
                    self.texts.meeting(topic, locale)
                    if topic.meeting_at
                    else tr.get("topic-meeting-none", locale)
                ),
            )
            async with write_transaction(session):
                await self._post(
                    session, chats, text, markup, source=SOURCE_DISCUSSION, source_id=topic_id
                )
        wake()
        await self.refresher.flush(("topic", topic_id))

    async def publish_vote(self, vote_id: int) -> int:
        """Post a new vote with its ballot buttons; returns how many groups it goes to."""
        async with self.core.sessionmaker() as session:
            current = await vote_service.tally(session, vote_id)
            chats = await topic_service.scope_chats(session, current.topic)
            async with write_transaction(session):
                count = await self._post(
                    session,
                    chats,
                    self.texts.vote_post(current, self.locale),
                    self.texts.vote_markup(current, self.locale),
                    source=SOURCE_VOTE,
                    source_id=vote_id,
                )
        wake()
        return count

    async def finish_vote(self, vote_id: int, now: datetime | None = None) -> bool:
        """After a vote closed: edit its posts to the final totals, then (claimed once) post
        the result with a bar chart to the scope's groups and to the author and the chief
        who opened the vote.

        The claim (`votes.result_posted_at`) and the group posts are one transaction: a job
        that runs twice, or in two processes, enqueues the result once."""
        await self.refresher.flush(("vote", vote_id))
        locale = self.locale
        async with self.core.sessionmaker() as session:
            current = await vote_service.tally(session, vote_id)
            if current.vote.result_posted_at is not None:
                return False
            chats = await topic_service.scope_chats(session, current.topic)
            recipients = await vote_service.result_recipients(session, current)
            await session.commit()
            winners = current.winners
            png = await asyncio.to_thread(
                render_bar_chart,
                self.core.translator.get("vote-chart-title", locale, ref=current.topic.ref),
                [label for label, _ in current.options],
                [count for _, count in current.options],
                value_format="{:g}",
                highlight=winners[0] if len(winners) == 1 else None,
            )
            async with write_transaction(session):
                # Joins this transaction: claimed and enqueued together, or neither.
                if not await vote_service.claim_result(session, vote_id, now or self.core.now()):
                    return False
                await self._post(
                    session,
                    chats,
                    self.texts.result(current, locale),
                    source=SOURCE_RESULT,
                    source_id=vote_id,
                    photo=png,
                )
        wake()
        for resident in recipients:
            await self._send_result(resident, current, png)
        return True

    async def _send_result(self, resident: Resident, current: Tally, png: bytes) -> None:
        if resident.deleted_at is not None:
            return
        caption = self.texts.result(current, resident.language or self.locale)
        try:
            await self.core.bot.send_photo(
                resident.telegram_id,
                BufferedInputFile(png, filename="result.png"),
                caption=caption[: outbox.CAPTION_MAX],
            )
        except TelegramAPIError as exc:
            log.info("could not send the result to resident %s: %s", resident.id, exc)

    async def announce(self, topic_id: int, key: str, **params: str) -> None:
        """A step of carrying out the decision: to the scope's groups and, privately, to the
        proposer and everyone who supported or commented (with the rating buttons once the
        topic is done)."""
        async with self.core.sessionmaker() as session:
            topic = await topic_service.get(session, topic_id)
            chats = await topic_service.scope_chats(session, topic)
            followers = await topic_service.followers(session, topic)
            text = self.core.translator.get(
                key, self.locale, ref=topic.ref, title=topic.title, **params
            )
            async with write_transaction(session):
                await self._post(session, chats, text, source=SOURCE_ANNOUNCE, source_id=topic_id)
        wake()
        markup = kb.rating(topic_id) if topic.state == TopicState.DONE else None
        for resident in followers:
            await self.core.tell(
                resident, key, reply_markup=markup, ref=topic.ref, title=topic.title, **params
            )

    async def step_taken(self, topic: Topic, action: TopicAction, note: str = "") -> None:
        """After a chief's step on a topic: the discussion and the steps of carrying out the
        decision go to the groups and the followers; the proposer is told of the others."""
        announcement = ANNOUNCEMENTS.get(action)
        if announcement is not None:
            await self.announce(topic.id, announcement, text=note)
            return
        if action == TopicAction.DISCUSS:
            await self.publish_discussion(topic.id)
        else:
            self.topic_changed(topic.id)
        params = {"reason": note} if action == TopicAction.DECLINE else {}
        await self.tell_author(topic.id, f"topic-told-{topic.state.value}", **params)

    async def tell_author(self, topic_id: int, key: str, **params: str) -> None:
        """Tell the proposer what became of their topic."""
        async with self.core.sessionmaker() as session:
            topic = await topic_service.get(session, topic_id)
            author = await topic_service.author(session, topic)
        if author is not None:
            await self.core.tell(author, key, ref=topic.ref, title=topic.title, **params)

    # --- reminders ---------------------------------------------------------------------------

    async def remind_meeting(self, topic_id: int, kind: str, now: datetime) -> int:
        """A day ("day") or an hour ("hour") before a discussion meeting, to the scope's
        groups: claimed and enqueued in one transaction, so it is posted once. Returns how
        many groups it goes to."""
        async with self.core.sessionmaker() as session:
            topic = await topic_service.get(session, topic_id, fresh=True)
            chats = await topic_service.scope_chats(session, topic)
            text = self.core.translator.get(
                f"topic-meeting-reminder-{kind}",
                self.locale,
                ref=topic.ref,
                title=topic.title,
                time=self.core.local_time(topic.meeting_at),
                place=topic.meeting_place or "-",
            )
            async with write_transaction(session):
                if not await topic_service.claim_meeting_reminder(session, topic_id, kind, now):
                    return 0
                posted = await self._post(
                    session, chats, text, source=SOURCE_MEETING, source_id=topic_id
                )
        if posted:
            wake()
        return posted

    async def remind_voters(self, vote_id: int, kind: str) -> int:
        """A day ("day") or an hour ("hour") before a vote's deadline, to the eligible
        residents who have not voted, with the ballot buttons. Returns how many got it."""
        async with self.core.sessionmaker() as session:
            current = await vote_service.tally(session, vote_id)
            residents = await vote_service.non_voters(session, vote_id)
        sent = 0
        for resident in residents:
            sent += await self.core.tell(
                resident,
                f"vote-reminder-{kind}",
                ref=current.topic.ref,
                title=current.topic.title,
                question=current.vote.question,
                deadline=self.core.local_time(current.vote.deadline),
                reply_markup=self.texts.vote_markup(current, resident.language or self.locale),
            )
        return sent

    # --- live posts --------------------------------------------------------------------------

    def topic_changed(self, topic_id: int) -> None:
        """A topic's support count or state changed: its group posts follow (coalesced)."""
        self.refresher.touch(("topic", topic_id))

    def vote_changed(self, vote_id: int) -> None:
        """A vote's turnout or totals changed: its group posts follow (coalesced)."""
        self.refresher.touch(("vote", vote_id))

    async def idle(self) -> None:
        """Wait until no edit of a post is pending."""
        await self.refresher.idle()

    async def close(self) -> None:
        """Shutdown: drop the edits still waiting."""
        await self.refresher.stop()

    async def post_delivered(self, delivered: Delivered) -> None:
        """A topic or vote post reached a group: if the topic or vote changed while the post
        waited in the outbox (supports, ballots, a state change), edit it to the current
        state (coalesced like any other change; no edit when the text is still current)."""
        if delivered.source_id is None:
            return
        kind = "topic" if delivered.source == SOURCE_TOPIC else "vote"
        self.refresher.seen((delivered.chat_id, delivered.message_id), delivered.text)
        await self.refresher.flush((kind, delivered.source_id))

    async def _render(self, key: Key) -> tuple[str, InlineKeyboardMarkup | None, list[Where]]:
        """The current text and buttons of a topic's or vote's group posts, and where they
        are (PostRefresher)."""
        kind, item_id = key
        async with self.core.sessionmaker() as session:
            if kind == "vote":
                current = await vote_service.tally(session, item_id)
                text = self.texts.vote_post(current, self.locale)
                markup = self.texts.vote_markup(current, self.locale)
                posts = await topic_service.group_posts(session, PostKind.VOTE, item_id)
            else:
                text = await self._topic_post(session, item_id)
                topic = await topic_service.get(session, item_id)
                markup = self.texts.support_markup(topic, self.locale)
                posts = await topic_service.group_posts(session, PostKind.TOPIC, item_id)
        return text, markup, posts


@on_delivered(SOURCE_TOPIC)
@on_delivered(SOURCE_VOTE)
async def post_delivered(delivery: Delivery, delivered: Delivered) -> None:
    await delivery.deliberation.post_delivered(delivered)
