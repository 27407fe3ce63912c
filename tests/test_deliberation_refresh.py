"""The post refresher never sends an edit that would leave a group post as it is (Telegram,
like the emulator, refuses it with "message is not modified"): it remembers how each post
looks (text and buttons), starting from how it was sent, through failed edits, edits whose
answer was lost, a database that fails mid-refresh, refreshes racing in one process, and
several processes sharing Redis (CI failed test_resilience_db and test_multiprocess on that
refusal). No bot, no HTTP: a stand-in for Bot that keeps each post's look and refuses an
edit that changes nothing, as Telegram does."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import EditMessageText
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiohttp import ClientConnectorError
from aiohttp.client_reqrep import ConnectionKey

from linli.bot.delivery.deliberation_refresh import (
    Key,
    Post,
    PostMemory,
    PostRefresher,
    SharedPostMemory,
    View,
    Where,
    digest,
)
from tests.support import TEST_REDIS_URL

POSTS: list[Where] = [(-100101, 7), (-100201, 9)]
SENT = "已投票：0 人"
BUTTONS = InlineKeyboardMarkup(
    inline_keyboard=[[InlineKeyboardButton(text="同意", callback_data="v:1:0")]]
)


def _look(text: str, markup: InlineKeyboardMarkup | None) -> tuple[str, str]:
    dumped = markup.model_dump(mode="json", exclude_none=True) if markup else None
    return text, json.dumps(dumped, sort_keys=True)


def _method(text: str) -> EditMessageText:
    return EditMessageText(text=text)


class Telegram:
    """Stands in for aiogram's Bot: keeps each post's look, refuses an edit that changes
    nothing ("message is not modified"), and can fail or lose the answer of the next edit."""

    def __init__(self, text: str = SENT, markup: InlineKeyboardMarkup | None = BUTTONS) -> None:
        self.shown = {where: _look(text, markup) for where in POSTS}
        self.calls: list[tuple[int, int, str]] = []
        self.refused: list[Where] = []
        self.fail: list[TelegramAPIError] = []
        """Errors the next edits answer with (not made)."""
        self.lose_answers = 0
        """How many of the next edits are made but their answer never arrives."""

    async def edit_message_text(
        self,
        *,
        text: str,
        chat_id: int,
        message_id: int,
        reply_markup: InlineKeyboardMarkup | None = None,
        **_: Any,
    ) -> None:
        await asyncio.sleep(0.01)
        where = (chat_id, message_id)
        if self.fail:
            raise self.fail.pop(0)
        if self.shown[where] == _look(text, reply_markup):
            self.refused.append(where)
            raise TelegramBadRequest(
                method=_method(text),
                message="Bad Request: message is not modified: specified new message content "
                "and reply markup are exactly the same as a current content and reply markup "
                "of the message",
            )
        self.shown[where] = _look(text, reply_markup)
        self.calls.append((chat_id, message_id, text))
        if self.lose_answers:
            self.lose_answers -= 1
            raise TelegramNetworkError(method=_method(text), message="Request timeout error")

    def showing(self, text: str) -> bool:
        return all(shown[0] == text for shown in self.shown.values())


class Texts:
    """A vote's posts as rendered now; `broken` makes the next renders fail (the database
    went away)."""

    def __init__(
        self, text: str = SENT, markup: InlineKeyboardMarkup | None = BUTTONS, sent: str = SENT
    ) -> None:
        self.text = text
        self.markup = markup
        self.sent = digest(sent, BUTTONS)
        self.broken = 0

    async def render(self, key: Key) -> View:
        await asyncio.sleep(0)
        if self.broken:
            self.broken -= 1
            raise ConnectionRefusedError("the database is down")
        return View(self.text, self.markup, [Post(where, self.sent) for where in POSTS])


def refresher(bot: Telegram, texts: Texts, memory: PostMemory | None = None) -> PostRefresher:
    return PostRefresher(bot, texts.render, 0.0, memory or PostMemory())  # type: ignore[arg-type]


async def test_a_post_that_still_looks_as_it_was_sent_is_not_edited() -> None:
    """The sender's hook flushes a vote when one of its posts is delivered; the other posts
    may be listed before their own hook ran: they look as sent, so no edit."""
    bot, texts = Telegram(), Texts()
    posts = refresher(bot, texts)
    await posts.flush(("vote", 1))
    assert bot.calls == [] and bot.refused == []


async def test_one_process_edits_a_post_only_when_its_look_changes() -> None:
    bot, texts = Telegram(), Texts("已投票：1 人")
    posts = refresher(bot, texts)
    await posts.flush(("vote", 1))
    await posts.flush(("vote", 1))
    assert len(bot.calls) == 2  # each post once, never again with the same look
    texts.text = "已投票：2 人"
    await posts.flush(("vote", 1))
    assert len(bot.calls) == 4 and bot.showing("已投票：2 人")
    texts.markup = None  # the same text without its buttons (the vote closed) is a change
    await posts.flush(("vote", 1))
    await posts.flush(("vote", 1))
    assert len(bot.calls) == 6 and bot.refused == []


async def test_a_failed_edit_is_tried_again() -> None:
    bot, texts = Telegram(), Texts("已投票：1 人")
    posts = refresher(bot, texts)
    bot.fail = [TelegramRetryAfter(method=_method("x"), message="Too Many Requests", retry_after=0)]
    await posts.flush(("vote", 1))
    await posts.idle()
    assert sorted((c, m) for c, m, _ in bot.calls) == sorted(POSTS)
    assert bot.showing("已投票：1 人") and bot.refused == []


@pytest.mark.parametrize(
    "error",
    [
        TelegramServerError(method=_method("x"), message="Bad Gateway"),
        TelegramBadRequest(method=_method("x"), message="Bad Request: something else"),
        TelegramNetworkError(
            method=_method("x"),
            message="ClientConnectorError: cannot connect",
        ),
    ],
    ids=["5xx", "400", "no connection"],
)
async def test_an_edit_that_was_not_made_leaves_the_post_as_it_looked(
    error: TelegramAPIError,
) -> None:
    """An edit Telegram answered with an error (or that never left) is not made: the
    memory goes back to the look before, so a later refresh to that look sends nothing, and
    a refresh to the new look sends it again."""
    if isinstance(error, TelegramNetworkError):
        error.__cause__ = ClientConnectorError(
            ConnectionKey("127.0.0.1", 1, False, True, None, None, None), OSError(111, "refused")
        )
    bot, texts = Telegram(), Texts("已投票：1 人")
    posts = refresher(bot, texts)
    await posts.flush(("vote", 1))
    texts.text = "已投票：2 人"  # a resident votes...
    bot.fail = [error]
    await posts.flush(("vote", 1))
    assert bot.shown[POSTS[0]][0] == "已投票：1 人" and bot.shown[POSTS[1]][0] == "已投票：2 人"
    texts.text = "已投票：1 人"  # ...and changes their mind back (a changeable ballot)
    await posts.flush(("vote", 1))
    assert bot.refused == []
    texts.text = "已投票：2 人"
    await posts.flush(("vote", 1))
    assert bot.showing("已投票：2 人") and bot.refused == []


async def test_an_edit_whose_answer_was_lost_counts_as_made() -> None:
    """A loaded machine: the edit reached Telegram but the answer timed out. Sending it
    again would be refused; the next change edits as usual."""
    bot, texts = Telegram(), Texts("已投票：1 人")
    posts = refresher(bot, texts)
    bot.lose_answers = 2
    await posts.flush(("vote", 1))
    assert bot.showing("已投票：1 人")
    await posts.flush(("vote", 1))
    texts.text = "已投票：2 人"
    await posts.flush(("vote", 1))
    assert bot.showing("已投票：2 人") and len(bot.calls) == 4 and bot.refused == []


async def test_a_refresh_while_the_database_is_down_edits_once_it_is_back() -> None:
    bot, texts = Telegram(), Texts("已投票：1 人")
    posts = refresher(bot, texts)
    texts.broken = 2
    await posts.flush(("vote", 1))  # queued while the database was down: logged, no edit
    await posts.flush(("vote", 1))
    assert bot.calls == []
    await posts.flush(("vote", 1))  # back
    await posts.flush(("vote", 1))
    assert len(bot.calls) == 2 and bot.showing("已投票：1 人") and bot.refused == []


async def test_refreshes_racing_in_one_process_edit_each_post_once() -> None:
    bot, texts = Telegram(), Texts("已投票：1 人")
    posts = refresher(bot, texts)
    for _ in range(5):
        posts.touch(("vote", 1))
    await asyncio.gather(*(posts.flush(("vote", 1)) for _ in range(10)))
    await posts.idle()
    assert len(bot.calls) == 2 and bot.refused == []


async def test_separate_memories_would_repeat_the_edit() -> None:
    """Why the memory is shared between processes: with their own memory, the second
    process sends the edit the first one made, and Telegram refuses it."""
    bot, texts = Telegram(), Texts("已投票：500 人")
    await refresher(bot, texts).flush(("vote", 1))
    await refresher(bot, texts).flush(("vote", 1))
    assert len(bot.calls) == len(POSTS) and sorted(bot.refused) == sorted(POSTS)


@pytest.fixture
async def redis() -> AsyncIterator[Any]:
    if not TEST_REDIS_URL:
        pytest.skip("several processes share Redis (set LINLI_TEST_REDIS_URL)")
    from redis.asyncio import Redis

    client = Redis.from_url(TEST_REDIS_URL)
    await client.flushdb()
    yield client
    await client.aclose()


async def test_processes_sharing_redis_never_repeat_each_others_edits(redis: Any) -> None:
    from redis.asyncio import Redis

    assert TEST_REDIS_URL
    bot, texts = Telegram(), Texts("已投票：500 人")
    first = refresher(bot, texts, SharedPostMemory(redis))
    second = refresher(bot, texts, SharedPostMemory(Redis.from_url(TEST_REDIS_URL)))
    try:
        # both processes refresh the same vote at once, many times
        await asyncio.gather(*(p.flush(("vote", 1)) for _ in range(5) for p in (first, second)))
        assert sorted((c, m) for c, m, _ in bot.calls) == sorted(POSTS)
        texts.text = "已投票：501 人"
        await asyncio.gather(second.flush(("vote", 1)), first.flush(("vote", 1)))
        assert len(bot.calls) == 4 and {t for _, _, t in bot.calls[2:]} == {"已投票：501 人"}
        # an edit one process could not make is made by the other
        texts.text = "已投票：502 人"
        bot.fail = [TelegramServerError(method=_method("x"), message="Bad Gateway")]
        await first.flush(("vote", 1))
        await second.flush(("vote", 1))
        assert bot.showing("已投票：502 人")
        # an edit whose answer one process lost is not repeated by the other
        texts.text = "已投票：503 人"
        bot.lose_answers = 1
        await first.flush(("vote", 1))
        await second.flush(("vote", 1))
        assert bot.showing("已投票：503 人")
        # a post neither process edited yet looks as it was sent
        fresh = Post((-100104, 3), digest("已投票：503 人"))
        assert await second.memory.swap(fresh, digest("已投票：503 人")) == fresh.sent
        assert await first.memory.swap(fresh, digest("已投票：504 人")) == fresh.sent
        assert bot.refused == []
    finally:
        await second.memory.close()


async def test_a_database_failure_in_one_process_frees_the_vote_for_the_other(redis: Any) -> None:
    from redis.asyncio import Redis

    assert TEST_REDIS_URL
    bot = Telegram()
    broken, working = Texts("已投票：1 人"), Texts("已投票：1 人")
    broken.broken = 1
    first = refresher(bot, broken, SharedPostMemory(redis))
    second = refresher(bot, working, SharedPostMemory(Redis.from_url(TEST_REDIS_URL)))
    try:
        await first.flush(("vote", 1))
        await asyncio.wait_for(second.flush(("vote", 1)), 5)  # the lock was released
        await first.flush(("vote", 1))
        assert len(bot.calls) == 2 and bot.showing("已投票：1 人") and bot.refused == []
    finally:
        await second.memory.close()
