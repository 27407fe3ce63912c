"""The post refresher's memory of what each group post shows: one process skips an edit to
the text a post already shows; several processes sharing Redis skip an edit another process
made already, one refresh of a topic or vote at a time (issue 14: test_multiprocess failed
on "message is not modified"). No bot, no HTTP: a recording stand-in for Bot."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import EditMessageText

from linli.bot.delivery.deliberation_refresh import (
    Key,
    PostMemory,
    PostRefresher,
    SharedPostMemory,
    View,
    digest,
)
from tests.support import TEST_REDIS_URL

POSTS = [(-100101, 7), (-100201, 9)]


class Edits:
    """Stands in for aiogram's Bot: records `edit_message_text` calls; can fail one."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, int, str]] = []
        self.retry_after: int | None = None

    async def edit_message_text(
        self, *, text: str, chat_id: int, message_id: int, **_: Any
    ) -> None:
        if self.retry_after is not None:
            seconds, self.retry_after = self.retry_after, None
            raise TelegramRetryAfter(
                method=EditMessageText(text=text), message="Too Many Requests", retry_after=seconds
            )
        await asyncio.sleep(0.01)
        self.calls.append((chat_id, message_id, text))


class Texts:
    def __init__(self, text: str) -> None:
        self.text = text

    async def render(self, key: Key) -> View:
        return View(self.text, None, list(POSTS))


def refresher(bot: Edits, texts: Texts, memory: PostMemory) -> PostRefresher:
    return PostRefresher(bot, texts.render, 0.0, memory)  # type: ignore[arg-type]


async def test_one_process_edits_a_post_only_when_its_text_changes() -> None:
    bot, texts = Edits(), Texts("已投票：1 人")
    posts = refresher(bot, texts, PostMemory())
    await posts.seen(POSTS[0], "已投票：0 人")  # delivered with the first text
    await posts.flush(("vote", 1))
    await posts.flush(("vote", 1))
    assert len(bot.calls) == 2  # each post once, never again with the same text
    texts.text = "已投票：2 人"
    await posts.flush(("vote", 1))
    assert len(bot.calls) == 4
    await posts.seen(POSTS[0], "已投票：0 人")  # a late delivery hook does not undo an edit
    await posts.flush(("vote", 1))
    assert len(bot.calls) == 4


async def test_a_failed_edit_is_tried_again() -> None:
    bot, texts = Edits(), Texts("已投票：1 人")
    posts = refresher(bot, texts, PostMemory())
    bot.retry_after = 0
    await posts.flush(("vote", 1))
    await posts.idle()
    assert sorted((c, m) for c, m, _ in bot.calls) == sorted(POSTS)


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
    bot, texts = Edits(), Texts("已投票：500 人")
    first = refresher(bot, texts, SharedPostMemory(redis))
    second = refresher(bot, texts, SharedPostMemory(Redis.from_url(TEST_REDIS_URL)))
    try:
        # both processes refresh the same vote at once, many times
        await asyncio.gather(*(p.flush(("vote", 1)) for _ in range(5) for p in (first, second)))
        assert sorted((c, m) for c, m, _ in bot.calls) == sorted(POSTS)
        texts.text = "已投票：501 人"
        await asyncio.gather(second.flush(("vote", 1)), first.flush(("vote", 1)))
        assert len(bot.calls) == 4 and {t for _, _, t in bot.calls[2:]} == {"已投票：501 人"}
        # a post one process sent needs no edit by the other while its text is current
        await first.seen((-100104, 3), "已投票：501 人")
        assert not await second.memory.swap((-100104, 3), digest("已投票：501 人"))
        assert await second.memory.swap((-100104, 3), digest("已投票：502 人"))
    finally:
        await second.memory.close()


async def test_separate_memories_would_repeat_the_edit() -> None:
    """Why the memory is shared: two processes with their own memory both edit."""
    bot, texts = Edits(), Texts("已投票：500 人")
    await refresher(bot, texts, PostMemory()).flush(("vote", 1))
    await refresher(bot, texts, PostMemory()).flush(("vote", 1))
    assert len(bot.calls) == 2 * len(POSTS)
