"""Deliberation on Telegram's side: group posts, coalesced live edits, results with a bar
chart, reminders; and the scheduled jobs that close votes and send reminders.

Handlers and jobs share this module (both have a bot, a sessionmaker, a translator and the
settings: a `JobContext`). Every group post goes through `post_to_groups`, which enqueues it
in the broadcast outbox (services.outbox; bot.delivery.sender delivers it within Telegram's
limits). Posts that are edited later — a topic's post (support count) and a vote's post
(turnout, totals) — are found again through the outbox (`topic_service.group_posts`); when a
post is delivered after its topic or vote changed, the sender's `on_delivered` hook brings
it up to date.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Sequence
from datetime import datetime

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest, TelegramRetryAfter
from aiogram.types import BufferedInputFile, InlineKeyboardMarkup
from aiogram.utils.deep_linking import create_start_link
from sqlalchemy.ext.asyncio import AsyncSession

from linli.bot.charts import render_bar_chart
from linli.bot.delivery.sender import Delivered, on_delivered, wake
from linli.bot.keyboards import deliberation as kb
from linli.bot.notify import tell
from linli.models import Resident
from linli.models.db import write_transaction
from linli.models.deliberation import PostKind, Topic, TopicState, VoteState
from linli.scheduler.jobs import JobContext, periodic
from linli.services import outbox
from linli.services import topics as topic_service
from linli.services import votes as vote_service
from linli.services.votes import Tally

log = logging.getLogger(__name__)

Key = tuple[str, int]  # ("topic", id) or ("vote", id)

# Outbox sources of deliberation's group posts (`outbox_messages.source`, id = source_id).
SOURCE_TOPIC = topic_service.POST_SOURCES[PostKind.TOPIC]  # "topic": the proposal, topic id
SOURCE_VOTE = topic_service.POST_SOURCES[PostKind.VOTE]  # "vote": the ballot post, vote id
SOURCE_DISCUSSION = "topic.discussion"  # topic id
SOURCE_ANNOUNCE = "topic.announce"  # decision, progress, done; topic id
SOURCE_MEETING = "topic.meeting"  # meeting reminders; topic id
SOURCE_RESULT = "vote.result"  # the result with its chart; vote id


def ballot_key(ctx: JobContext) -> bytes:
    secret = ctx.settings.deliberation.ballot_key
    if secret is not None and secret.get_secret_value():
        return vote_service.ballot_key(secret.get_secret_value())
    token = ctx.settings.bot_token.get_secret_value() if ctx.settings.bot_token else ""
    return vote_service.ballot_key("token:" + token)


def when(ctx: JobContext, moment: datetime | None) -> str:
    if moment is None:
        return "-"
    return moment.astimezone(ctx.settings.tz).strftime("%Y-%m-%d %H:%M")


def group_locale(ctx: JobContext) -> str:
    return ctx.settings.default_language


# --- texts -------------------------------------------------------------------------------------


async def scope_text(ctx: JobContext, session: object, topic: Topic, locale: str) -> str:
    scope, unit = await topic_service.unit_label(session, topic)  # type: ignore[arg-type]
    return ctx.translator.get(f"topic-scope-{scope.value}", locale, unit=unit)


def state_text(ctx: JobContext, state: TopicState, locale: str) -> str:
    return ctx.translator.get(f"topic-state-{state.value}", locale)


async def topic_post(ctx: JobContext, session: object, topic: Topic, locale: str) -> str:
    return ctx.translator.get(
        "topic-post",
        locale,
        ref=topic.ref,
        title=topic.title,
        description=topic.description or ctx.translator.get("topic-voice-description", locale),
        scope=await scope_text(ctx, session, topic, locale),
        state=state_text(ctx, topic.state, locale),
        support=str(topic.support_count),
    )


def option_lines(ctx: JobContext, tally: Tally, locale: str, *, counts: bool) -> str:
    lines = []
    for position, (label, number) in enumerate(tally.options):
        if counts:
            lines.append(
                ctx.translator.get(
                    "vote-option-count", locale, n=str(position + 1), label=label, count=str(number)
                )
            )
        else:
            lines.append(
                ctx.translator.get("vote-option", locale, n=str(position + 1), label=label)
            )
    return "\n".join(lines)


def vote_rules(ctx: JobContext, tally: Tally, locale: str) -> str:
    vote = tally.vote
    kind = (
        ctx.translator.get("vote-rule-multiple", locale, max=str(vote.max_choices))
        if vote.multiple
        else ctx.translator.get("vote-rule-single", locale)
    )
    change = ctx.translator.get(
        "vote-rule-change" if vote.allow_change else "vote-rule-final", locale
    )
    live = ctx.translator.get("vote-rule-live" if vote.show_live else "vote-rule-hidden", locale)
    return f"{kind} · {change} · {live}"


def vote_post(ctx: JobContext, tally: Tally, locale: str) -> str:
    vote = tally.vote
    closed = vote.state == VoteState.CLOSED
    return ctx.translator.get(
        "vote-post-closed" if closed else "vote-post",
        locale,
        ref=tally.topic.ref,
        title=tally.topic.title,
        question=vote.question,
        options=option_lines(ctx, tally, locale, counts=closed or vote.show_live),
        turnout=str(tally.turnout),
        eligible=str(tally.eligible),
        deadline=when(ctx, vote.deadline),
        quorum=str(vote.quorum_percent),
        needed=str(tally.quorum_needed),
        rules=vote_rules(ctx, tally, locale),
    )


def vote_markup(ctx: JobContext, tally: Tally, locale: str) -> InlineKeyboardMarkup | None:
    if tally.vote.state != VoteState.OPEN:
        return None
    return kb.vote_buttons(
        tally.vote.id,
        [label for label, _ in tally.options],
        tally.vote.multiple,
        ctx.translator.get("vote-button-ballot", locale),
    )


def result_text(ctx: JobContext, tally: Tally, locale: str) -> str:
    vote = tally.vote
    percent = round(100 * tally.turnout / tally.eligible) if tally.eligible else 0
    winners = tally.winners
    if not winners:
        outcome = ctx.translator.get("vote-result-no-votes", locale)
    elif len(winners) > 1:
        outcome = ctx.translator.get(
            "vote-result-tie", locale, labels="、".join(tally.options[i][0] for i in winners)
        )
    else:
        outcome = ctx.translator.get(
            "vote-result-winner", locale, label=tally.options[winners[0]][0]
        )
    quorum = ctx.translator.get(
        "vote-quorum-met" if tally.quorum_met else "vote-quorum-missed",
        locale,
        quorum=str(vote.quorum_percent),
        needed=str(tally.quorum_needed),
    )
    return ctx.translator.get(
        "vote-result",
        locale,
        ref=tally.topic.ref,
        title=tally.topic.title,
        question=vote.question,
        options=option_lines(ctx, tally, locale, counts=True),
        turnout=str(tally.turnout),
        eligible=str(tally.eligible),
        percent=str(percent),
        quorum=quorum,
        outcome=outcome,
    )


# --- posting -----------------------------------------------------------------------------------


async def post_to_groups(
    session: AsyncSession,
    chat_ids: Sequence[int],
    text: str,
    reply_markup: InlineKeyboardMarkup | None = None,
    *,
    source: str,
    source_id: int,
    photo: bytes | None = None,
) -> int:
    """The one place deliberation posts to groups: enqueues the post in the outbox, in the
    caller's write transaction (call `wake()` after the commit). A photo is PNG bytes,
    uploaded once. Returns how many groups it goes to."""
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


async def publish_topic(ctx: JobContext, topic_id: int) -> int:
    """Post a new proposal with its Support button; returns how many groups it goes to."""
    locale = group_locale(ctx)
    markup = kb.support(topic_id, ctx.translator.get("topic-button-support", locale))
    async with ctx.sessionmaker() as session:
        topic = await topic_service.get(session, topic_id)
        chats = await topic_service.scope_chats(session, topic)
        text = await topic_post(ctx, session, topic, locale)
        async with write_transaction(session):
            count = await post_to_groups(
                session, chats, text, markup, source=SOURCE_TOPIC, source_id=topic_id
            )
    wake()
    return count


async def publish_discussion(ctx: JobContext, topic_id: int) -> None:
    locale = group_locale(ctx)
    url = await create_start_link(ctx.bot, "comment")
    markup = kb.link(ctx.translator.get("topic-button-comment", locale), url)
    async with ctx.sessionmaker() as session:
        topic = await topic_service.get(session, topic_id)
        chats = await topic_service.scope_chats(session, topic)
        scope = await scope_text(ctx, session, topic, locale)
        meeting = (
            ctx.translator.get(
                "topic-meeting-line",
                locale,
                time=when(ctx, topic.meeting_at),
                place=topic.meeting_place or "-",
            )
            if topic.meeting_at
            else ctx.translator.get("topic-meeting-none", locale)
        )
        text = ctx.translator.get(
            "topic-discussion-post",
            locale,
            ref=topic.ref,
            title=topic.title,
            description=topic.description or "-",
            scope=scope,
            ends=when(ctx, topic.discussion_ends_at),
            meeting=meeting,
        )
        async with write_transaction(session):
            await post_to_groups(
                session, chats, text, markup, source=SOURCE_DISCUSSION, source_id=topic_id
            )
    wake()
    await refresher(ctx).flush(("topic", topic_id))


async def publish_vote(ctx: JobContext, vote_id: int) -> int:
    """Post a new vote with its ballot buttons; returns how many groups it goes to."""
    locale = group_locale(ctx)
    async with ctx.sessionmaker() as session:
        current = await vote_service.tally(session, vote_id)
        chats = await topic_service.scope_chats(session, current.topic)
        async with write_transaction(session):
            count = await post_to_groups(
                session,
                chats,
                vote_post(ctx, current, locale),
                vote_markup(ctx, current, locale),
                source=SOURCE_VOTE,
                source_id=vote_id,
            )
    wake()
    return count


async def finish_vote(ctx: JobContext, vote_id: int) -> bool:
    """After a vote closed: edit its posts to the final totals, then (claimed once) post
    the result with a bar chart to the scope's groups and to the author.

    The claim (`votes.result_posted_at`) and the group posts are one transaction: a job
    that runs twice, or in two processes, enqueues the result once."""
    await refresher(ctx).flush(("vote", vote_id))
    async with ctx.sessionmaker() as session:
        current = await vote_service.tally(session, vote_id)
        if current.vote.result_posted_at is not None:
            return False
        chats = await topic_service.scope_chats(session, current.topic)
        author = (
            await session.get(Resident, current.topic.author_id)
            if current.topic.author_id
            else None
        )
        creator = (
            await session.get(Resident, current.vote.created_by_id)
            if current.vote.created_by_id
            else None
        )
        await session.commit()
        locale = group_locale(ctx)
        winners = current.winners
        png = await asyncio.to_thread(
            render_bar_chart,
            ctx.translator.get("vote-chart-title", locale, ref=current.topic.ref),
            [label for label, _ in current.options],
            [count for _, count in current.options],
            value_format="{:g}",
            highlight=winners[0] if len(winners) == 1 else None,
        )
        async with write_transaction(session):
            # Joins this transaction: claimed and enqueued together, or neither.
            if not await vote_service.claim_result(session, vote_id, ctx.now):
                return False
            await post_to_groups(
                session,
                chats,
                result_text(ctx, current, locale),
                source=SOURCE_RESULT,
                source_id=vote_id,
                photo=png,
            )
    wake()
    recipients = {r.id: r for r in (author, creator) if r is not None}
    for resident in recipients.values():
        resident_locale = resident.language or locale
        caption = result_text(ctx, current, resident_locale)
        try:
            await ctx.bot.send_photo(
                resident.telegram_id,
                BufferedInputFile(png, filename="result.png"),
                caption=caption[: outbox.CAPTION_MAX],
            )
        except TelegramAPIError as exc:
            log.info("could not send the result to resident %s: %s", resident.id, exc)
    return True


async def announce(ctx: JobContext, topic_id: int, key: str, **params: str) -> None:
    """A step of carrying out the decision: to the scope's groups and, privately, to the
    proposer and everyone who supported or commented."""
    locale = group_locale(ctx)
    async with ctx.sessionmaker() as session:
        topic = await topic_service.get(session, topic_id)
        chats = await topic_service.scope_chats(session, topic)
        followers = await topic_service.followers(session, topic)
        text = ctx.translator.get(key, locale, ref=topic.ref, title=topic.title, **params)
        async with write_transaction(session):
            await post_to_groups(session, chats, text, source=SOURCE_ANNOUNCE, source_id=topic_id)
    wake()
    markup = kb.rating(topic_id) if topic.state == TopicState.DONE else None
    for resident in followers:
        await tell(
            ctx.bot,
            ctx.translator,
            resident,
            key,
            reply_markup=markup,
            ref=topic.ref,
            title=topic.title,
            **params,
        )


async def tell_author(ctx: JobContext, topic_id: int, key: str, **params: str) -> None:
    async with ctx.sessionmaker() as session:
        topic = await topic_service.get(session, topic_id)
        author = await session.get(Resident, topic.author_id) if topic.author_id else None
    if author is not None:
        await tell(ctx.bot, ctx.translator, author, key, ref=topic.ref, title=topic.title, **params)


# --- coalesced live edits ---------------------------------------------------------------------


class PostRefresher:
    """Keeps the group posts of topics (support count) and votes (turnout, running totals)
    current, coalescing changes: per topic or vote one asyncio task edits each of its posts
    at most once every `interval` seconds, and not at all when the text did not change.

    One per process (per Bot); a restart loses only edits that were waiting, and closing
    a vote renders the final state anyway (`flush`).
    """

    def __init__(self, ctx: JobContext) -> None:
        self.ctx = ctx
        self.interval = ctx.settings.deliberation.tally_edit_interval
        self._dirty: set[Key] = set()
        self._tasks: dict[Key, asyncio.Task[None]] = {}
        self._last: dict[Key, float] = {}
        self._shown: dict[tuple[int, int], str] = {}

    def touch(self, key: Key) -> None:
        """Something changed: schedule an edit (now, or when the interval has passed)."""
        self._dirty.add(key)
        task = self._tasks.get(key)
        if task is None or task.done():
            self._tasks[key] = asyncio.create_task(self._run(key), name=f"refresh-{key}")

    async def flush(self, key: Key) -> None:
        """Bring the posts of `key` up to date and wait for it (still one edit per interval)."""
        self.touch(key)
        task = self._tasks.get(key)
        if task is not None:
            await asyncio.shield(task)

    def seen(self, chat_id: int, message_id: int, text: str) -> None:
        """A post went out with `text` (it needs no edit while that is still current)."""
        self._shown.setdefault((chat_id, message_id), text)

    async def idle(self) -> None:
        """Wait until no edit is pending (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks.values()), return_exceptions=True)

    async def stop(self) -> None:
        """Shutdown: drop the edits still waiting (the next change, or closing the vote,
        renders the posts again)."""
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        _REFRESHERS.pop(id(self.ctx.bot), None)

    async def _run(self, key: Key) -> None:
        loop = asyncio.get_running_loop()
        try:
            while key in self._dirty:
                wait = self._last.get(key, -math.inf) + self.interval - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                self._dirty.discard(key)
                try:
                    await self._refresh(key)
                except TelegramRetryAfter as exc:
                    self._dirty.add(key)
                    await asyncio.sleep(exc.retry_after)
                except Exception:
                    log.exception("could not refresh the posts of %s %s", *key)
                self._last[key] = loop.time()
        finally:
            self._tasks.pop(key, None)

    async def _refresh(self, key: Key) -> None:
        ctx, locale = self.ctx, group_locale(self.ctx)
        kind, item_id = key
        async with ctx.sessionmaker() as session:
            if kind == "vote":
                current = await vote_service.tally(session, item_id)
                text = vote_post(ctx, current, locale)
                markup = vote_markup(ctx, current, locale)
                rows = await topic_service.group_posts(session, PostKind.VOTE, item_id)
            else:
                topic = await topic_service.get(session, item_id, fresh=True)
                text = await topic_post(ctx, session, topic, locale)
                markup = (
                    kb.support(item_id, ctx.translator.get("topic-button-support", locale))
                    if topic.state in topic_service.SUPPORT_STATES
                    else None
                )
                rows = await topic_service.group_posts(session, PostKind.TOPIC, item_id)
        for where in rows:
            if self._shown.get(where) == text:
                continue
            chat_id, message_id = where
            try:
                await ctx.bot.edit_message_text(
                    text=text, chat_id=chat_id, message_id=message_id, reply_markup=markup
                )
            except TelegramRetryAfter:
                raise
            except TelegramBadRequest as exc:
                if "not modified" not in exc.message:
                    log.warning("could not edit post %s: %s", where, exc)
                    continue
            except TelegramAPIError as exc:
                log.warning("could not edit post %s: %s", where, exc)
                continue
            self._shown[where] = text


_REFRESHERS: dict[int, PostRefresher] = {}


def refresher(ctx: JobContext) -> PostRefresher:
    """This process's refresher for `ctx.bot` (created on first use). Keyed by identity:
    aiogram's Bot compares equal by token, and a restarted app has a new Bot."""
    current = _REFRESHERS.get(id(ctx.bot))
    if current is None or current.ctx.bot is not ctx.bot:
        for key, idle in list(_REFRESHERS.items()):
            if not idle._tasks:  # forget refreshers of apps that are gone
                del _REFRESHERS[key]
        current = _REFRESHERS[id(ctx.bot)] = PostRefresher(ctx)
    return current


def existing_refresher(bot: Bot) -> PostRefresher | None:
    current = _REFRESHERS.get(id(bot))
    return current if current is not None and current.ctx.bot is bot else None


@on_delivered(SOURCE_TOPIC)
@on_delivered(SOURCE_VOTE)
async def post_delivered(ctx: JobContext, delivered: Delivered) -> None:
    """A topic or vote post reached a group: if the topic or vote changed while the post
    waited in the outbox (supports, ballots, a state change), edit it to the current state
    (coalesced like any other change; nothing is edited when the text is still current)."""
    if delivered.source_id is None:
        return
    kind = "topic" if delivered.source == SOURCE_TOPIC else "vote"
    current = refresher(ctx)
    current.seen(delivered.chat_id, delivered.message_id, delivered.text)
    await current.flush((kind, delivered.source_id))


# --- jobs -----------------------------------------------------------------------------------------


@periodic("deliberation.close_due_votes", seconds=30)
async def close_due_votes(ctx: JobContext) -> int:
    """Close every vote whose deadline passed (also after downtime) and publish results,
    including results a crash left unpublished. Returns how many results were posted."""
    async with ctx.sessionmaker() as session:
        for vote_id in await vote_service.due(session, ctx.now):
            await vote_service.close(session, vote_id, ctx.now)
        pending = await vote_service.unposted_results(session)
    posted = 0
    for vote_id in pending:
        try:
            posted += await finish_vote(ctx, vote_id)
        except Exception:
            log.exception("could not publish the result of vote %s", vote_id)
    return posted


@periodic("deliberation.vote_reminders", seconds=60)
async def vote_reminders(ctx: JobContext) -> int:
    """A day and an hour before a deadline, remind eligible residents who have not voted."""
    sent = 0
    async with ctx.sessionmaker() as session:
        claimed = await vote_service.claim_reminders(session, ctx.now)
    for vote_id, kind in claimed:
        async with ctx.sessionmaker() as session:
            current = await vote_service.tally(session, vote_id)
            residents = await vote_service.non_voters(session, vote_id)
        for resident in residents:
            sent += await tell(
                ctx.bot,
                ctx.translator,
                resident,
                f"vote-reminder-{kind}",
                ref=current.topic.ref,
                title=current.topic.title,
                question=current.vote.question,
                deadline=when(ctx, current.vote.deadline),
                reply_markup=vote_markup(ctx, current, resident.language or group_locale(ctx)),
            )
    return sent


@periodic("deliberation.meeting_reminders", seconds=60)
async def meeting_reminders(ctx: JobContext) -> int:
    """A day and an hour before a discussion meeting, remind the scope's groups. Each
    reminder is claimed and enqueued in one transaction, so it is posted once."""
    posted = 0
    locale = group_locale(ctx)
    async with ctx.sessionmaker() as session:
        for topic_id, kind in await topic_service.due_meeting_reminders(session, ctx.now):
            topic = await topic_service.get(session, topic_id, fresh=True)
            chats = await topic_service.scope_chats(session, topic)
            text = ctx.translator.get(
                f"topic-meeting-reminder-{kind}",
                locale,
                ref=topic.ref,
                title=topic.title,
                time=when(ctx, topic.meeting_at),
                place=topic.meeting_place or "-",
            )
            async with write_transaction(session):
                if not await topic_service.claim_meeting_reminder(session, topic_id, kind, ctx.now):
                    continue
                posted += await post_to_groups(
                    session, chats, text, source=SOURCE_MEETING, source_id=topic_id
                )
    if posted:
        wake()
    return posted
