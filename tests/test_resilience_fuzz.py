"""Fuzzed input (hypothesis) against the running bot (docs/resilience.md).

Random callback data (every factory's prefix with wrong, missing or extra fields, huge and
negative numbers, other areas' ids, unicode), random arguments for every command in the
handlers' COMMANDS, random text at every FSM state of every StatesGroup, update types
the bot does not use, and every flow's buttons pressed when the flow's draft is gone. The
bot must never crash (nothing logged at ERROR: the error router logs every unexpected
exception there), must not change stored data (a fingerprint of every
table before and after), and every call it makes must be valid for Telegram (the emulator
answers 400 to an empty or over-long text, bad HTML or a bad keyboard: no 4xx/5xx at all).

How it runs: one bot per test. pytest-asyncio runs a `@given` async test function as one
test whose examples all share the function's fixtures, so the harness (`h`) starts once and
each example is one update (or a few) pushed to it. Examples are derandomized (the same on
every run and machine), not shrunk and not stored, and each test has a fixed budget
(EXAMPLES), so CI time is bounded and reproducible.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import itertools
import logging
import pkgutil
import re
import sys
import textwrap
import time
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiogram import Router
from aiogram.filters import StateFilter
from aiogram.filters.callback_data import CallbackData, CallbackQueryFilter
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import StorageKey
from aiogram.types import Update
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from magic_filter import MagicFilter
from sqlalchemy import select

import linli.bot.callbacks as callbacks_package
from linli import handlers
from linli.emulator import StoredMessage
from linli.models import Grid
from linli.models.deliberation import CommentLabel, Scope
from linli.services import gifts
from tests.support import ADMIN_ID, B1_CHIEF, GRID1_CHIEF, Harness
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
# States whose text handler once read the flow's draft without checking it was there: text
# in such a state with no draft (a state that outlived its data) crashed the update. Fuzzed
# with every other state, and tested apart below for the "start again" answer.
DRAFT_REGRESSIONS = ("Note:text", "Discuss:meeting_place")
STATES = _states()
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


@pytest.mark.parametrize("state_name", DRAFT_REGRESSIONS)
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


# --- flow buttons pressed when the flow's draft is gone ---------------------------------------
#
# A flow keeps its draft in the FSM data; the data can be gone when a button of the flow is
# pressed (it expired, the flow was finished on another device, Redis lost it, a deploy
# changed the flow). Every confirm/submit/step button of every flow, pressed with no draft,
# must end in an answer ("start again" or a refusal): no ERROR, no refused request, no
# change to stored data. The buttons are found from the dispatcher's own handlers: each
# callback handler's CallbackData factory and rule, the values its decorator names (the
# rule decides which of them it takes), and the states it is registered for (or, when it
# checks the state itself, every state of the flows its module uses).

# Factories of flows that hold a draft: every factory a handler takes in some state, these
# names, and the few confirm buttons below. Every other factory is listed in NOT_FLOWS, so
# a new factory has to be placed on one side.
FLOW_NAME = re.compile(r"Confirm|Submit|Cancel|Skip|Step|Flow|New")
FLOW_EXTRA = {"MeToo", "PrivacyDelete", "CloseVote", "ComplaintMerge"}
NOT_FLOWS = {
    # registration, roles, language, groups: state lives in the database
    "PickGrid",
    "PickBuilding",
    "BackToGrids",
    "ReviewApplicant",
    "PickLanguage",
    "BindUnit",
    "Page",
    # the date-and-time picker's navigation; a flow takes its final pick in its own state,
    # which makes WhenPick a flow factory as soon as one does
    "WhenPick",
    # acting on a stored object (its id is in the button), browsing
    "WishClaim",
    "WishAct",
    "ComplaintAct",
    "ComplaintAssign",
    "ComplaintRate",
    "QueuePage",
    "MyPage",
    "HandlerRemove",
    "SupportTopic",
    "ViewTopic",
    "TopicsPage",
    "ScoreTopic",
    "TopicAct",
    "RateTopic",
    "CastVote",
    "OpenBallot",
    "ToggleChoice",
    "NManage",
    "PointsHistory",
    "Board",
    "PrivacyChoice",
    "GiftTo",
    "GiftAmount",
    "GiftAdmin",
    "ActView",
    "ActJoin",
    "ActLeave",
    "ActManage",
    "ActMark",
    "ItemView",
    "ItemRedeem",
    "RedemptionAct",
    "ShopAdmin",
    "ItemAdmin",
    "PrivacyMenu",
    # the home menu: it starts a flow or leaves one, holding nothing itself
    "HomePick",
    "HomeOpen",
    "HomeDrop",
    # the chiefs' people pickers (/grant, /residents): the person, role, unit, filter and
    # page are all in the button; the search word is read with a default
    "GrantPage",
    "GrantWho",
    "GrantRole",
    "GrantUnit",
    "ResidentsList",
    "ResidentsBuildings",
    "ResidentsOpen",
    "ResidentsDecide",
    # partners: acting on a stored unit, member, need, project, task, wish or resource (its
    # id is in the button), or the button that starts a flow
    "Hub",
    "UnitOpen",
    "UnitAct",
    "MemberReview",
    "MemberAct",
    "PartyPick",
    "Sure",
    "ResourceAct",
    "NeedAct",
    "ProjectAct",
    "ProjectRate",
    "TaskAct",
    "AdoptAct",
    "MobileAct",
    "MobileKindPick",
}
PER_HANDLER = 6  # at most this many values of one handler's buttons


@dataclass(frozen=True)
class FlowButton:
    where: str  # module:function of the handler
    data: str
    state: str | None  # the FSM state it is pressed in (with no data)


def _walk(router: Router) -> Iterator[Router]:
    yield router
    for sub in router.sub_routers:
        yield from _walk(sub)


def _state_names(filters: Iterable[Any]) -> list[str]:
    out: list[str] = []
    for item in filters:
        if isinstance(item, State) and item.state:
            out.append(item.state)
        elif isinstance(item, StateFilter):
            out += _state_names(item.states)
        elif isinstance(item, type) and issubclass(item, StatesGroup):
            out += [s.state for s in item.__all_states__ if s.state]
    return out


def _module_states(module: Any) -> list[str]:
    """Every state of the StatesGroups a handler module defines or imports."""
    groups = [
        v for v in vars(module).values() if isinstance(v, type) and issubclass(v, StatesGroup)
    ]
    return sorted({name for group in groups for name in _state_names([group])})


_MISSING = object()


def _resolve(node: ast.AST, namespace: dict[str, Any]) -> Any:
    """The value of a literal, a name or a dotted name in the module's namespace."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        return namespace.get(node.id, _MISSING)
    if isinstance(node, ast.Attribute):
        owner = _resolve(node.value, namespace)
        if owner is _MISSING or isinstance(owner, MagicFilter):
            return _MISSING
        return getattr(owner, node.attr, _MISSING)
    return _MISSING


def _named_values(callback: Any, factory: type[CallbackData]) -> list[Any]:
    """The values the handler's decorators name (literals, constants, enum members, the
    items of a named set): candidates for the fields of its buttons."""
    module = sys.modules[callback.__module__]
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(callback)))
    except (OSError, TypeError):
        return []
    function = tree.body[0]
    assert isinstance(function, ast.AsyncFunctionDef | ast.FunctionDef)
    values: list[Any] = []
    for decorator in function.decorator_list:
        for node in ast.walk(decorator):
            value = _resolve(node, vars(module))
            if value is _MISSING or isinstance(value, MagicFilter):
                continue
            if isinstance(value, str | int | bool):
                values.append(value)
            elif isinstance(value, Iterable) and not isinstance(value, type):
                items = [v for v in value if isinstance(v, str | int)]  # a set, a range, a dict
                values += items[:2] + items[-1:]
    return [v for v in values if not (isinstance(v, str) and ":" in v)]


# What the flows' keyboards put into their free-form `value` field, by the button's action
# or step (bot/keyboards/*, handlers/deliberation/*, handlers/points/activity_new.py).
_VALUES = {
    "scope": [scope.value for scope in Scope],
    "label": [label.value for label in CommentLabel],
    "days": ["3"],
    "meeting": ["none"],
    "kind": ["single", "multiple"],
    "max": ["2"],
    "quorum": ["50", "0"],
    "change": ["1", "0"],
    "live": ["1", "0"],
    "hours": ["2"],
    "basis": ["flat", "hour"],
}
# ... and into the other free-form fields: the date-and-time picker, a confirmation token.
_REALISTIC = {"at": ["0900"], "hhmm": ["0900"], "token": ["t1"]}


def _field_values(name: str, kind: Any, default: Any, named: list[Any], day: str) -> list[Any]:
    """Values to try in one field: the realistic ones first, then what the decorator names."""
    if kind is bool:
        return [True, False]
    pool = [v for v in named if type(v) is kind or (kind is str and isinstance(v, str))]
    if kind is int:
        return list(dict.fromkeys([*pool, 1]))
    if name == "day":
        return [day, *pool]
    first = _REALISTIC.get(name, [])
    return list(dict.fromkeys([*first, *pool, default if isinstance(default, str) else ""]))


def _combos(factory: type[CallbackData], named: list[Any], day: str) -> Iterator[dict[str, Any]]:
    # a free-form `value` (a string) takes what the keyboards put there for the step; a typed
    # one (a number, a flag) is a field like any other
    free = "value" in factory.model_fields and factory.model_fields["value"].annotation is str
    names = [name for name in factory.model_fields if not (free and name == "value")]
    fields = [
        _field_values(name, info.annotation, info.default, named, day)
        for name, info in factory.model_fields.items()
        if name in names
    ]
    for combo in itertools.product(*fields):
        values = dict(zip(names, combo, strict=True))
        if not free:
            yield values
            continue
        step = str(values.get("action", values.get("step", "")))
        for value in _VALUES.get(step, [""]):
            yield {**values, "value": value}


def flow_buttons() -> list[FlowButton]:
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).strftime("%Y%m%d")
    stateful = {
        f.callback.callback_data.__name__
        for top in handlers.routers()
        for router in _walk(top)
        for h in router.callback_query.handlers
        for f in h.filters or []
        if isinstance(f.callback, CallbackQueryFilter)
        and _state_names(g.callback for g in h.filters or [])
    }
    flows = stateful | FLOW_EXTRA | {f.__name__ for f in FACTORIES if FLOW_NAME.search(f.__name__)}
    buttons: list[FlowButton] = []
    for top in handlers.routers():
        for router in _walk(top):
            for handler in router.callback_query.handlers:
                filters = [f.callback for f in handler.filters or []]
                matches = [f for f in filters if isinstance(f, CallbackQueryFilter)]
                if not matches or matches[0].callback_data.__name__ not in flows:
                    continue
                factory, rule = matches[0].callback_data, matches[0].rule
                module = sys.modules[handler.callback.__module__]
                states = _state_names(filters) or _module_states(module)
                named = _named_values(handler.callback, factory)
                taken = 0
                for values in _combos(factory, named, tomorrow):
                    if taken == PER_HANDLER:
                        break
                    try:
                        button = factory(**values)
                        data = button.pack()
                    except (ValueError, TypeError):
                        continue
                    if rule is not None and not rule.resolve(button):
                        continue
                    taken += 1
                    where = f"{handler.callback.__module__}:{handler.callback.__name__}"
                    buttons += [FlowButton(where, data, state) for state in [None, *states]]
    return list(dict.fromkeys(buttons))


FLOW_BUTTONS = flow_buttons()


def test_every_factory_is_a_flow_or_not() -> None:
    names = {f.__name__ for f in FACTORIES}
    assert names >= NOT_FLOWS, f"no such factories: {NOT_FLOWS - names}"
    flows = {b.data.split(":")[0] for b in FLOW_BUTTONS}
    for factory in FACTORIES:
        assert factory.__name__ in NOT_FLOWS or factory.__prefix__ in flows, factory.__name__
    assert len(FLOW_BUTTONS) > 100


ROLES = {
    "resident": RESIDENT,
    "building chief": B1_CHIEF,
    "grid chief": GRID1_CHIEF,
    "admin": ADMIN_ID,
}
_UPDATE_ID = re.compile(r"\bupdate (\d+)\b")


@pytest.mark.timeout(600)  # some 2,700 presses, a fingerprint of every table after each handler
async def test_flow_buttons_without_their_draft(h: Harness) -> None:
    """Every flow's buttons (confirm, submit, each step), pressed in a private chat by a
    resident, a building chief, a grid chief and an admin with no draft in the FSM data: in
    no state, and in each state the button belongs to. Nothing logged at ERROR, nothing
    refused by Telegram, every press answered, no table changed. The four press at the same
    time, handler after handler; failures are listed together, by handler and role."""
    assert h.app is not None
    app = h.app
    await add_residents(h, [RESIDENT])
    for user in ROLES.values():
        await h.send(user, "/help")  # first private contact: the resident row is written now
    async with h.db() as session:  # created on first use of /gift: not the press's doing
        community_id = await session.scalar(select(Grid.community_id).limit(1))
        assert community_id is not None
        await session.commit()
        await gifts.ensure_care_fund(session, community_id)
        await session.commit()
    by_handler: dict[str, list[FlowButton]] = {}
    for button in FLOW_BUTTONS:
        by_handler.setdefault(button.where, []).append(button)
    failures: list[str] = []
    pressed: dict[int, str] = {}  # update id -> what was pressed, by whom

    async def press_all(role: str, buttons: list[FlowButton]) -> None:
        user = ROLES[role]
        key = StorageKey(bot_id=app.bot.id, chat_id=user, user_id=user)
        for button in buttons:
            message = await _bot_message(h, user)  # each press on a message of its own
            requests = len(h.emu.requests)
            await app.dp.storage.set_state(key, button.state)
            await app.dp.storage.set_data(key, {})
            update = h.emu.push_callback(user, message, button.data)
            what = f"{button.where} {button.data!r} in {button.state} as {role}"
            pressed[update.update_id] = what
            await h.wait_handled(update.update_id)
            await app.dp.storage.set_state(key, None)
            await app.dp.storage.set_data(key, {})
            assert update.callback_query is not None
            failures.extend(
                f"{what}: refused {r.method} {r.status} {r.description}"
                for r in h.emu.requests[requests:]
                if r.done and not r.ok and r.params.get("chat_id") in (user, str(user), None)
            )
            if update.callback_query.id not in h.emu.callback_answers:
                failures.append(f"{what}: not answered")

    with error_records() as errors:
        before = await fingerprint(h.engine)
        for where, buttons in by_handler.items():
            await asyncio.gather(*(press_all(role, buttons) for role in ROLES))
            after = await fingerprint(h.engine)
            touched = changed(before, after)
            if touched:
                failures.append(f"{where}: changed {touched}")
            before = after
    for record in errors.records:
        found = _UPDATE_ID.search(record.getMessage())
        what = pressed.get(int(found.group(1))) if found else None
        failures.append(f"{what or 'unknown update'}: ERROR {record.getMessage()[:150]}")
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(sorted(failures))


# --- numbers past 64 bits in every button -----------------------------------------------------

BEYOND = (2**63 + 5, -(2**63) - 1)  # no row has such an id; SQLite and asyncpg refuse them


def beyond_64_bits() -> list[FlowButton]:
    """Every callback handler's buttons (as the flows' above, in no state) with each whole
    number field past the 64-bit range."""
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).strftime("%Y%m%d")
    buttons: list[FlowButton] = []
    for top in handlers.routers():
        for router in _walk(top):
            for handler in router.callback_query.handlers:
                filters = [f.callback for f in handler.filters or []]
                matches = [f for f in filters if isinstance(f, CallbackQueryFilter)]
                if not matches:
                    continue
                factory = matches[0].callback_data
                numbers = [n for n, i in factory.model_fields.items() if i.annotation is int]
                if not numbers:
                    continue
                named = _named_values(handler.callback, factory)
                fields = list(factory.model_fields)
                where = f"{handler.callback.__module__}:{handler.callback.__name__}"
                values = next(_combos(factory, named, tomorrow))  # the realistic first one
                for big in BEYOND:
                    data = factory(**values).pack().split(":")
                    for name in numbers:
                        data[1 + fields.index(name)] = str(big)
                    buttons.append(FlowButton(where, ":".join(data), None))
    return list(dict.fromkeys(buttons))


async def test_numbers_past_64_bits_in_every_button(h: Harness) -> None:
    """A forged button whose number no 64-bit column can hold (Telegram allows 64 bytes of
    callback data, enough for 20 digits) is a stale button: no ERROR, no refused request, an
    answer, no change, for a resident and an admin."""
    await add_residents(h, [RESIDENT])
    for user in (RESIDENT, ADMIN_ID):
        await h.send(user, "/help")
    async with h.db() as session:
        community_id = await session.scalar(select(Grid.community_id).limit(1))
        assert community_id is not None
        await session.commit()
        await gifts.ensure_care_fund(session, community_id)
        await session.commit()
    buttons = beyond_64_bits()
    assert len(buttons) > 100
    before = await fingerprint(h.engine)
    failures: list[str] = []
    with error_records() as errors:
        for user in (RESIDENT, ADMIN_ID):
            for button in buttons:
                message = await _bot_message(h, user)
                requests = len(h.emu.requests)
                update = h.emu.push_callback(user, message, button.data)
                await h.wait_handled(update.update_id)
                assert update.callback_query is not None
                if update.callback_query.id not in h.emu.callback_answers:
                    failures.append(f"{button.where} {button.data!r}: not answered")
                failures.extend(
                    f"{button.where} {button.data!r}: refused {r.method} {r.description}"
                    for r in h.emu.requests[requests:]
                    if r.done and not r.ok
                )
    failures += [f"ERROR {record.getMessage()[:200]}" for record in errors.records]
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures)
    assert changed(before, await fingerprint(h.engine)) == []
