"""Deliberation delivery: what residents and groups see of topics and votes outside a reply.

Every group post goes through `_post`, which enqueues it in the broadcast outbox
(services.outbox; bot.delivery.sender delivers it within Telegram's limits). A step's post
is enqueued by the service that takes the step, in the step's own transaction: the handler
passes a `Posting` of this part (`proposal_posting`, `vote_posting`, `announcer`) as the
service's `announce`, so a crash can never store the step without its post or the post
without the step; after the commit `proposed`, `vote_opened` and `step_taken` wake the
sender and tell the people concerned.

Posts that are edited later — a topic's proposal (support count, stage), its discussion
post (the Comment button, until the discussion is over) and a vote's post (turnout, totals)
— are found again through the outbox (`services.topics.group_posts`) and kept current by
this part's `PostRefresher`; when such a post is delivered after its topic or vote changed,
the sender's `on_delivered` hook brings it up to date.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Generic, TypeVar

from aiogram.exceptions import TelegramAPIError
from aiogram.types import BufferedInputFile, InlineKeyboardMarkup
from aiogram.utils.deep_linking import create_deep_link
from sqlalchemy.ext.asyncio import AsyncSession

from linli.bot.charts import render_bar_chart
from linli.bot.delivery.deliberation_refresh import (
    Key,
    PostMemory,
    PostRefresher,
    SharedPostMemory,
    View,
)
from linli.bot.delivery.deliberation_texts import DeliberationTexts
from linli.bot.delivery.sender import Delivered, on_delivered, wake
from linli.bot.keyboards import deliberation as kb
from linli.models import Resident
from linli.models.db import write_transaction
from linli.models.deliberation import PostKind, Topic, TopicState, Vote
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
SOURCE_DISCUSSION = topic_service.POST_SOURCES[PostKind.DISCUSSION]  # topic id
SOURCE_ANNOUNCE = "topic.announce"  # decision, progress, done; topic id
SOURCE_MEETING = "topic.meeting"  # meeting reminders; topic id
SOURCE_RESULT = "vote.result"  # the result with its chart; vote id


# What the groups and the followers are told after a step of carrying out the decision.
ANNOUNCEMENTS = {
    TopicAction.DECIDE: "topic-announce-decided",
    TopicAction.PROGRESS: "topic-announce-progress",
    TopicAction.DONE: "topic-announce-done",
}

# The refresher's key kind of each edited post's outbox source.
KINDS = {SOURCE_TOPIC: "topic", SOURCE_DISCUSSION: "discussion", SOURCE_VOTE: "vote"}

T = TypeVar("T", Topic, Vote)


class Posting(Generic[T]):
    """A service's `announce`: enqueues the group post of a topic or vote in the service's
    transaction, and remembers how many groups it goes to."""

    def __init__(self, enqueue: Callable[[AsyncSession, T], Awaitable[int]]) -> None:
        self._enqueue = enqueue
        self.groups = 0

    async def __call__(self, session: AsyncSession, item: T) -> int:
        self.groups = await self._enqueue(session, item)
        return self.groups


class DeliberationDelivery:
    def __init__(self, core: Delivery) -> None:
        self.core = core
        settings = core.settings
        self.texts = DeliberationTexts(core.translator, core.local_time, settings.tz)
        memory = PostMemory()
        if settings.redis_url:
            from redis.asyncio import Redis

            memory = SharedPostMemory(Redis.from_url(settings.redis_url))
        self.refresher = PostRefresher(
            core.bot, self._render, settings.deliberation.tally_edit_interval, memory
        )
        self._username: str | None = None

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

    async def _topic_text(self, session: AsyncSession, topic: Topic) -> str:
        """A topic's proposal post as it should read now (with its stage)."""
        scope, unit = await topic_service.unit_label(session, topic)
        open_vote = await topic_service.vote_open(session, topic.id)
        stage = topic_service.stage(topic, vote_open=open_vote)
        return self.texts.topic_post(topic, scope, unit, self.locale, stage)

    async def _discussion_text(self, session: AsyncSession, topic: Topic) -> str:
        scope, unit = await topic_service.unit_label(session, topic)
        return self.texts.discussion_post(topic, scope, unit, self.locale)

    async def _bot_username(self) -> str:
        if self._username is None:
            me = await self.core.bot.me()
            self._username = me.username or ""
        return self._username

    def _comment_link(self, topic_id: int) -> str:
        """The deep link that opens this topic's comment step in a private chat
        (`/start comment_T5` is `/comment T5`); needs `_bot_username()` first."""
        assert self._username is not None
        return create_deep_link(self._username, "start", f"comment_T{topic_id}")

    async def enqueue_proposal(self, session: AsyncSession, topic: Topic) -> int:
        """A new proposal with its Support button, for the scope's groups."""
        return await self._post(
            session,
            await topic_service.scope_chats(session, topic),
            await self._topic_text(session, topic),
            self.texts.support_markup(topic, self.locale),
            source=SOURCE_TOPIC,
            source_id=topic.id,
        )

    async def enqueue_discussion(self, session: AsyncSession, topic: Topic) -> int:
        """The discussion step with a button that opens this topic's comment step in a
        private chat."""
        await self._bot_username()  # cached: known before the transaction (`announcer`)
        return await self._post(
            session,
            await topic_service.scope_chats(session, topic),
            await self._discussion_text(session, topic),
            self.texts.discussion_markup(topic, self._comment_link(topic.id), self.locale),
            source=SOURCE_DISCUSSION,
            source_id=topic.id,
        )

    async def enqueue_vote(self, session: AsyncSession, vote: Vote) -> int:
        """A new vote with its ballot buttons, for the scope's groups."""
        current = await vote_service.tally(session, vote.id)
        return await self._post(
            session,
            await topic_service.scope_chats(session, current.topic),
            self.texts.vote_post(current, self.locale),
            self.texts.vote_markup(current, self.locale),
            source=SOURCE_VOTE,
            source_id=vote.id,
        )

    async def _enqueue_announcement(
        self, session: AsyncSession, topic: Topic, key: str, note: str
    ) -> int:
        text = self.core.translator.get(
            key, self.locale, ref=topic.ref, title=topic.title, text=note
        )
        return await self._post(
            session,
            await topic_service.scope_chats(session, topic),
            text,
            source=SOURCE_ANNOUNCE,
            source_id=topic.id,
        )

    def proposal_posting(self) -> Posting[Topic]:
        """`announce` for `topics.propose`."""
        return Posting(self.enqueue_proposal)

    def vote_posting(self) -> Posting[Vote]:
        """`announce` for `votes.create`."""
        return Posting(self.enqueue_vote)

    async def announcer(self, action: TopicAction, note: str = "") -> Posting[Topic] | None:
        """`announce` for a chief's step: the discussion post, or the decision, progress or
        done announcement; None for the steps that post nothing to the groups."""
        if action == TopicAction.DISCUSS:
            await self._bot_username()
            return Posting(self.enqueue_discussion)
        key = ANNOUNCEMENTS.get(action)
        if key is None:
            return None

        async def enqueue(session: AsyncSession, topic: Topic) -> int:
            return await self._enqueue_announcement(session, topic, key, note)

        return Posting(enqueue)

    # --- after the commit ----------------------------------------------------------------------

    def proposed(self, topic: Topic) -> None:
        """A proposal was stored with its posts: send them."""
        wake()

    def vote_opened(self, vote: Vote) -> None:
        """A vote was stored with its posts: send them; the topic's proposal posts show
        "voting", its discussion posts that the discussion is over (without the button)."""
        wake()
        self.topic_changed(vote.topic_id)
        self.refresher.touch(("discussion", vote.topic_id))

    async def step_taken(self, topic: Topic, action: TopicAction, note: str = "") -> None:
        """After a chief's step on a topic (stored with its group post, if any): send the
        post, redraw the topic's posts, and tell the followers (decision, progress, done)
        or the proposer (the other steps)."""
        wake()
        self.topic_changed(topic.id)
        announcement = ANNOUNCEMENTS.get(action)
        if announcement is not None:
            await self.tell_followers(topic.id, announcement, text=note)
            return
        params = {"reason": note} if action == TopicAction.DECLINE else {}
        await self.tell_author(topic.id, f"topic-told-{topic.state.value}", **params)

    async def tell_followers(self, topic_id: int, key: str, **params: str) -> None:
        """The proposer and everyone who supported or commented, privately (with the rating
        buttons once the topic is done)."""
        async with self.core.sessionmaker() as session:
            topic = await topic_service.get(session, topic_id)
            followers = await topic_service.followers(session, topic)
        markup = kb.rating(topic_id) if topic.state == TopicState.DONE else None
        for resident in followers:
            await self.core.tell(
                resident, key, reply_markup=markup, ref=topic.ref, title=topic.title, **params
            )

    async def tell_author(self, topic_id: int, key: str, **params: str) -> None:
        """Tell the proposer what became of their topic."""
        async with self.core.sessionmaker() as session:
            topic = await topic_service.get(session, topic_id)
            author = await topic_service.author(session, topic)
        if author is not None:
            await self.core.tell(author, key, ref=topic.ref, title=topic.title, **params)

    # --- results ---------------------------------------------------------------------------------

    async def finish_vote(self, vote_id: int, now: datetime | None = None) -> bool:
        """After a vote closed: edit its posts to the final totals and its topic's posts to
        "vote counted", then (claimed once) post the result with a bar chart to the scope's
        groups and to the author and the chief who opened the vote.

        The claim (`votes.result_posted_at`) and the group posts are one transaction: a job
        that runs twice, or in two processes, enqueues the result once."""
        await self.refresher.flush(("vote", vote_id))
        locale = self.locale
        async with self.core.sessionmaker() as session:
            current = await vote_service.tally(session, vote_id)
            self.topic_changed(current.topic.id)
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

    # --- reminders ---------------------------------------------------------------------------

    async def remind_meeting(self, topic_id: int, kind: str, now: datetime) -> int:
        """A day ("day") or an hour ("hour") before a discussion meeting, to the scope's
        groups, saying when it starts and how long until then: claimed and enqueued in one
        transaction, so it is posted once. Returns how many groups it goes to."""
        async with self.core.sessionmaker() as session:
            topic = await topic_service.get(session, topic_id, fresh=True)
            if topic.meeting_at is None:
                return 0
            chats = await topic_service.scope_chats(session, topic)
            text = self.core.translator.get(
                "topic-meeting-reminder",
                self.locale,
                ref=topic.ref,
                title=topic.title,
                time=self.texts.soon(topic.meeting_at, now, self.locale),
                left=self.texts.left(topic.meeting_at, now, self.locale),
                place=topic.meeting_place
                or self.core.translator.get("topic-place-unknown", self.locale),
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

    async def remind_voters(self, vote_id: int, kind: str, now: datetime) -> int:
        """A day ("day") or an hour ("hour") before a vote's deadline, to the eligible
        residents who have not voted, saying when it closes and how long until then, with
        the ballot buttons. Returns how many got it."""
        async with self.core.sessionmaker() as session:
            current = await vote_service.tally(session, vote_id)
            residents = await vote_service.non_voters(session, vote_id)
        sent = 0
        deadline = current.vote.deadline
        for resident in residents:
            locale = resident.language or self.locale
            sent += await self.core.tell(
                resident,
                "vote-reminder",
                ref=current.topic.ref,
                title=current.topic.title,
                question=current.vote.question,
                deadline=self.texts.soon(deadline, now, locale),
                left=self.texts.left(deadline, now, locale),
                reply_markup=self.texts.vote_markup(current, locale),
            )
        return sent

    # --- live posts --------------------------------------------------------------------------

    def topic_changed(self, topic_id: int) -> None:
        """A topic's support count or stage changed: its group posts follow (coalesced)."""
        self.refresher.touch(("topic", topic_id))

    def vote_changed(self, vote_id: int) -> None:
        """A vote's turnout or totals changed: its group posts follow (coalesced)."""
        self.refresher.touch(("vote", vote_id))

    async def idle(self) -> None:
        """Wait until no edit of a post is pending."""
        await self.refresher.idle()

    async def close(self) -> None:
        """Shutdown: drop the edits still waiting; let go of Redis."""
        await self.refresher.stop()
        memory, self.refresher.memory = self.refresher.memory, PostMemory()
        await memory.close()

    async def post_delivered(self, delivered: Delivered) -> None:
        """A topic, discussion or vote post reached a group: if the topic or vote changed
        while the post waited in the outbox (supports, ballots, a state change), edit it to
        the current state (coalesced like any other change; no edit when the text is still
        current)."""
        if delivered.source_id is None:
            return
        kind = KINDS[delivered.source]
        await self.refresher.seen((delivered.chat_id, delivered.message_id), delivered.text)
        await self.refresher.flush((kind, delivered.source_id))

    async def _render(self, key: Key) -> View:
        """The current text and buttons of a topic's proposal posts, its discussion posts or
        a vote's posts, and where they are (PostRefresher)."""
        kind, item_id = key
        locale = self.locale
        async with self.core.sessionmaker() as session:
            if kind == "vote":
                current = await vote_service.tally(session, item_id)
                return View(
                    self.texts.vote_post(current, locale),
                    self.texts.vote_markup(current, locale),
                    await topic_service.group_posts(session, PostKind.VOTE, item_id),
                )
            topic = await topic_service.get(session, item_id, fresh=True)
            if kind == "discussion":
                await self._bot_username()
                return View(
                    await self._discussion_text(session, topic),
                    self.texts.discussion_markup(topic, self._comment_link(topic.id), locale),
                    await topic_service.group_posts(session, PostKind.DISCUSSION, item_id),
                )
            return View(
                await self._topic_text(session, topic),
                self.texts.support_markup(topic, locale),
                await topic_service.group_posts(session, PostKind.TOPIC, item_id),
            )


@on_delivered(SOURCE_TOPIC)
@on_delivered(SOURCE_DISCUSSION)
@on_delivered(SOURCE_VOTE)
async def post_delivered(delivery: Delivery, delivered: Delivered) -> None:
    await delivery.deliberation.post_delivered(delivered)
