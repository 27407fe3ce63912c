"""Fuzzed input (hypothesis) against the running bot (docs/resilience.md).

Random callback data (every factory's prefix with wrong, missing or extra fields, huge and
negative numbers, other areas' ids, unicode), random arguments for every command in the
handlers' COMMANDS, random text at every FSM state of every StatesGroup, and update types
the bot does not use. The bot must never crash (nothing logged at ERROR: the error router
logs every unexpected exception there), must not change stored data (a fingerprint of every
table before and after), and every call it makes must be valid for Telegram (the emulator
answers 400 to an empty or over-long text, bad HTML or a bad keyboard: no 4xx/5xx at all).

How it runs: one bot per test. pytest-asyncio runs a `@given` async test function as one
test whose examples all share the function's fixtures, so the harness (`h`) starts once and
each example is one update (or a few) pushed to it. Examples are derandomized (the same on
every run and machine), not shrunk and not stored, and each test has a fixed budget
(EXAMPLES), so CI time is bounded and reproducible.
"""

from __future__ import annotations

import inspect
import logging
import pkgutil
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import StorageKey
from aiogram.types import Update
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

import linli.bot.callbacks as callbacks_package
from linli import handlers
from linli.emulator import StoredMessage
from linli.models import Grid
from linli.services import gifts
from tests.support import Harness
from tests.support_resilience import (
    ErrorRecords,
    add_residents,
    changed,
    error_records,
    fingerprint,
)

RESIDENT = 640_001  # verified, 第一网格 · 1号楼; owns nothing, manages nothing
GROUP = -100_640_001  # a group the bot is in, not bound to any building

FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _factories() -> list[type[CallbackData]]:
    out: list[type[CallbackData]] = []
    for info in pkgutil.iter_modules(callbacks_package.__path__):
        module = __import__(f"linli.bot.callbacks.{info.name}", fromlist=["_"])
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, CallbackData) and obj is not CallbackData and obj not in out:
                out.append(obj)
    return out


def _states() -> list[State]:
    def walk(cls: type[StatesGroup]) -> Iterator[type[StatesGroup]]:
        for sub in cls.__subclasses__():
            yield sub
            yield from walk(sub)

    return [state for group in walk(StatesGroup) for state in group.__all_states__]


FACTORIES = _factories()
# States whose text handler reads the flow's draft without checking it is there: text in
# such a state with no draft (a state that outlived its data) crashes the update. Known bugs
# in handlers/topics.py (docs/resilience.md, "Open"); tested apart, as expected failures.
DRAFT_BUGS = ("Note:text", "Discuss:meeting_place")
STATES = [state for state in _states() if state.state not in DRAFT_BUGS]
COMMANDS = sorted({spec.name for spec in handlers.all_commands()})

_text = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40
)  # any unicode, emoji, RTL, zero-width, control characters...
_number = st.one_of(
    st.integers(-3, 40),  # the example community's ids and just beyond
    st.integers(2**31 - 2, 2**63 + 5),  # past 32- and 64-bit columns
    st.integers(max_value=-(2**31)),
).map(str)
_field = st.one_of(
    _number, _text.map(lambda s: s.replace(":", "")), st.sampled_from(["0", "1", ""])
)


@st.composite
def callback_data(draw: st.DrawFn) -> str:
    if draw(st.integers(0, 9)) == 0:
        data = draw(_text)  # no known prefix at all
    else:
        factory = draw(st.sampled_from(FACTORIES))
        arity = len(factory.model_fields)
        fields = draw(st.lists(_field, min_size=max(0, arity - 1), max_size=arity + 1))
        data = ":".join([factory.__prefix__, *fields])
    raw = data.encode()[:64]  # Telegram's limit on callback data
    return raw.decode(errors="ignore") or "x"


@dataclass
class Fuzz:
    h: Harness
    private: StoredMessage  # a bot message with a button, in the resident's chat
    group: StoredMessage  # the same in a group
    errors: ErrorRecords
    examples: int = 0


@pytest.fixture
async def fuzz(h: Harness) -> AsyncIterator[Fuzz]:
    """The running bot, and the checks after the last example: nothing logged at ERROR, no
    call refused by Telegram, no table changed."""
    await add_residents(h, [RESIDENT])
    h.emu.add_group(GROUP, "随便一个群", members=[RESIDENT])
    state = Fuzz(h, await _bot_message(h, RESIDENT), await _bot_message(h, GROUP), ErrorRecords())
    async with h.db() as session:  # created on first use of /gift: not the input's doing
        community_id = await session.scalar(select(Grid.community_id).limit(1))
        assert community_id is not None
        await session.commit()
        await gifts.ensure_care_fund(session, community_id)
        await session.commit()
    requests = len(h.emu.requests)
    before = await fingerprint(h.engine)
    root = logging.getLogger()
    root.addHandler(state.errors)
    try:
        yield state
    finally:
        root.removeHandler(state.errors)
    assert state.examples >= 5
    assert not state.errors.records, state.errors.describe()
    refused = [
        (r.method, r.status, r.description, r.params)
        for r in h.emu.requests[requests:]
        if r.done and not r.ok
    ]
    assert not refused, refused[:5]
    assert changed(before, await fingerprint(h.engine)) == []


async def _bot_message(h: Harness, chat_id: int) -> StoredMessage:
    """A bot message with one button in the chat, to press fuzzed data on."""
    status, body = await h.emu.call(
        "sendMessage",
        {
            "chat_id": chat_id,
            "text": "按钮",
            "reply_markup": {"inline_keyboard": [[{"text": "x", "callback_data": "x"}]]},
        },
    )
    assert status == 200, body
    return h.emu.message(chat_id, body["result"]["message_id"])


@settings(FUZZ, max_examples=120)
@given(data=callback_data(), in_group=st.booleans())
async def test_fuzzed_callback_data(fuzz: Fuzz, data: str, in_group: bool) -> None:
    fuzz.examples += 1
    pressed = await fuzz.h.press_data(RESIDENT, fuzz.group if in_group else fuzz.private, data)
    assert len(pressed.alert) <= 200


@settings(FUZZ, max_examples=50)
@given(command=st.sampled_from(COMMANDS), args=_text, in_group=st.booleans())
async def test_fuzzed_command_arguments(
    fuzz: Fuzz, command: str, args: str, in_group: bool
) -> None:
    fuzz.examples += 1
    text = f"/{command} {args}".strip()
    await fuzz.h.send(RESIDENT, text, chat_id=GROUP if in_group else RESIDENT)
    await fuzz.h.send(RESIDENT, "/cancel")  # leave whatever flow it started


@settings(FUZZ, max_examples=len(STATES))
@given(state=st.sampled_from(STATES), text=_text.filter(lambda s: bool(s.strip())))
async def test_fuzzed_text_at_every_state(fuzz: Fuzz, state: State, text: str) -> None:
    fuzz.examples += 1
    app = fuzz.h.app
    assert app is not None
    key = StorageKey(bot_id=app.bot.id, chat_id=RESIDENT, user_id=RESIDENT)
    await app.dp.storage.set_state(key, state)
    await app.dp.storage.set_data(key, {})
    await fuzz.h.send(RESIDENT, text)
    await app.dp.storage.set_state(key, None)


# Every command and every state at least once (explicit examples run before the random ones).
for _command in COMMANDS:
    test_fuzzed_command_arguments = example(
        command=_command, args="99999999999999999999 W-1 <b>‮\x00", in_group=False
    )(test_fuzzed_command_arguments)
for _state in STATES:
    test_fuzzed_text_at_every_state = example(state=_state, text="0\u200b𝓧 <i>a</i> -5 %")(
        test_fuzzed_text_at_every_state
    )


@pytest.mark.parametrize("state_name", DRAFT_BUGS)
async def test_text_at_a_state_without_its_draft(h: Harness, state_name: str) -> None:
    assert h.app is not None
    app = h.app
    await add_residents(h, [RESIDENT])
    key = StorageKey(bot_id=app.bot.id, chat_id=RESIDENT, user_id=RESIDENT)
    await app.dp.storage.set_state(key, state_name)
    with error_records() as errors:
        replies = await h.send(RESIDENT, "随便说点什么")
    assert not errors.records, errors.describe()
    assert replies and "出了点问题" not in (replies[-1].text or "")


async def test_unused_update_types(fuzz: Fuzz) -> None:
    app = fuzz.h.app
    assert app is not None
    for payload in _unused_updates():
        fuzz.examples += 1
        update = Update.model_validate(payload, context={"bot": app.bot})
        await app.dp.feed_update(app.bot, update)  # as if Telegram sent it anyway
        fuzz.h.emu.push_update(payload)  # through getUpdates: allowed_updates filters it
    await fuzz.h.emu.wait_until_consumed()


def _unused_updates() -> list[dict[str, Any]]:
    now = int(time.time())
    user = {"id": RESIDENT, "is_bot": False, "first_name": "居民"}
    private = {"id": RESIDENT, "type": "private", "first_name": "居民"}
    channel = {"id": -100_777, "type": "channel", "title": "频道"}
    message = {"message_id": 99_999, "date": now, "chat": private, "from": user, "text": "/start"}
    poll = {
        "id": "p1",
        "question": "?",
        "options": [
            {"text": "a", "voter_count": 0, "persistent_id": "a"},
            {"text": "b", "voter_count": 0, "persistent_id": "b"},
        ],
        "allows_revoting": False,
        "members_only": False,
        "total_voter_count": 0,
        "is_closed": False,
        "is_anonymous": True,
        "type": "regular",
        "allows_multiple_answers": False,
    }
    return [
        {"update_id": 0, "edited_message": {**message, "edit_date": now, "text": "/points"}},
        {"update_id": 0, "channel_post": {**message, "chat": channel, "from": None}},
        {"update_id": 0, "edited_channel_post": {**message, "chat": channel, "edit_date": now}},
        {"update_id": 0, "poll": poll},
        {
            "update_id": 0,
            "poll_answer": {
                "poll_id": "p1",
                "user": user,
                "option_ids": [0],
                "option_persistent_ids": ["a"],
            },
        },
        {"update_id": 0, "inline_query": {"id": "q", "from": user, "query": "/x", "offset": ""}},
        {
            "update_id": 0,
            "chosen_inline_result": {"result_id": "r", "from": user, "query": "x"},
        },
        {
            "update_id": 0,
            "chat_join_request": {
                "chat": {"id": GROUP, "type": "supergroup", "title": "群"},
                "from": user,
                "user_chat_id": RESIDENT,
                "date": now,
            },
        },
        {
            "update_id": 0,
            "message_reaction": {
                "chat": private,
                "message_id": 1,
                "user": user,
                "date": now,
                "old_reaction": [],
                "new_reaction": [{"type": "emoji", "emoji": "👍"}],
            },
        },
    ]
