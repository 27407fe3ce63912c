"""The emulated world: the bot, users, chats with their messages, the update queue, and the
events tests wait on. Every method family (a mixin in its own module) builds on this."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aiogram import types as tg
from aiohttp import web

from linli.emulator.errors import bad, forbidden
from linli.emulator.params import INT_RE, as_bool, as_int
from linli.emulator.records import BOT_ID, Request, StoredMessage, UploadedFile
from linli.emulator.shapes import build, dump, method_registry
from linli.emulator.storage import FileStore

log = logging.getLogger("linli.emulator")

Json = Any
Handler = Callable[[dict[str, Any], dict[str, UploadedFile]], Any]
Listener = Callable[[str, StoredMessage], None]


@dataclass(eq=False)
class ChatState:
    """A chat as the emulator keeps it: members' statuses, the bot's, every message."""

    id: int
    type: str
    chat: tg.Chat
    title: str | None = None
    username: str | None = None
    statuses: dict[int, str] = field(default_factory=dict)
    bot_status: str = "member"
    last_id: int = 0
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    bot_messages: list[StoredMessage] = field(default_factory=list)
    all_messages: list[StoredMessage] = field(default_factory=list)
    blocked: bool = False
    started: bool = True
    menu_button: dict[str, Any] | None = None
    reply_keyboard: dict[str, Any] | None = None
    status_before_kick: str | None = None

    @property
    def private(self) -> bool:
        return self.type == "private"

    def next_id(self) -> int:
        self.last_id += 1
        return self.last_id


@dataclass(eq=False)
class QueuedUpdate:
    """An update waiting for the bot; ``dropped`` once confirmed, delivered or filtered."""

    update_id: int
    type: str
    payload: dict[str, Any]
    dropped: bool = False


@dataclass
class Fault:
    """An injected error (see :meth:`Faults.inject_fault`)."""

    method: str
    status: int
    description: str | None
    retry_after: int | None
    remaining: int
    chat_id: int | str | None
    until: float | None = None
    """``time.monotonic()`` after which the fault is gone (a burst of some seconds)."""


@dataclass
class DescribedResult:
    """A handler result with an extra ``description`` (as setWebhook replies have)."""

    value: Any
    description: str


def resolve(fut: asyncio.Future[None]) -> None:
    """Wake a waiter (a timer's callback; the future may be done already)."""
    if not fut.done():
        fut.set_result(None)


def reply_snapshot(target: StoredMessage) -> tg.Message:
    """The message as a reply quotes it (without its own reply_to_message)."""
    data = {k: v for k, v in target.data.items() if k != "reply_to_message"}
    return tg.Message.model_validate(data)


class EmulatorState:
    """State shared by the method families; see :class:`linli.emulator.BotAPIEmulator`."""

    def __init__(
        self,
        token: str | None = None,
        bot_username: str = "linli_test_bot",
        *,
        bot_first_name: str = "Linli",
        host: str = "127.0.0.1",
        port: int = 0,
        first_update_id: int = 1,
    ) -> None:
        self.token = token
        self.bot_username = bot_username
        self.host = host
        self.port = port
        self.bot_user = tg.User(
            id=BOT_ID,
            is_bot=True,
            first_name=bot_first_name,
            username=bot_username,
            can_join_groups=True,
            can_read_all_group_messages=False,
            supports_inline_queries=False,
            can_connect_to_business=False,
            has_main_web_app=False,
        )
        self.requests: list[Request] = []
        self.callback_answers: dict[str, dict[str, Any]] = {}
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.chat_actions: list[tuple[int, str]] = []
        self.bot_settings: dict[str, dict[str, Any]] = {}
        self.webhook: dict[str, Any] | None = None
        # Webhook delivery: like Telegram, queued updates are POSTed to the webhook URL.
        # `webhook_targets` stands for a load balancer spreading them over several processes.
        self.webhook_targets: list[str] | None = None
        self.webhook_retry_delay = 0.2
        self.webhook_deliveries: list[tuple[int, str, int]] = []
        self._webhook_task: asyncio.Task[None] | None = None
        self._webhook_wake: asyncio.Event | None = None
        self.unsupported: list[str] = []
        self.errors: list[BaseException] = []
        self.users: dict[int, tg.User] = {}
        self._chats: dict[int, ChatState] = {}
        self._requests_by_method: dict[str, list[Request]] = defaultdict(list)
        self._storage = FileStore()
        self._queue: deque[QueuedUpdate] = deque()
        self._pending = 0
        self._next_update_id = first_update_id
        self._allowed_updates: frozenset[str] | None = None
        self._poll_generation = 0
        self._callbacks: dict[str, dict[str, Any]] = {}
        self._callback_counter = 0
        self._media_group_counter = 0
        self._faults: list[Fault] = []
        self._delays: dict[str, float] = {}
        self._rate: float | None = None
        self._tokens = 0.0
        self._tokens_at = 0.0
        self._menu_button_default: dict[str, Any] | None = None
        self._waiters: list[asyncio.Future[None]] = []
        self._update_waiters: list[asyncio.Future[None]] = []
        self._listeners: list[Listener] = []
        self._closing: asyncio.Event | None = None
        self._runner: web.AppRunner | None = None
        self._handlers: dict[str, Handler] = self._make_handlers()
        self._canonical: dict[str, str] = {
            lower: str(getattr(cls, "__api_method__", lower))
            for lower, cls in method_registry().items()
        }

    def _make_handlers(self) -> dict[str, Handler]:
        """The Bot API methods by lower-case name (filled in by the assembled class)."""
        return {}

    def _canon(self, method: str) -> str:
        """The name as the Bot API spells it ("sendMessage" for "SENDMESSAGE")."""
        return self._canonical.get(method.lower(), method)

    # ----------------------------------------------------------------------------------------
    # users and chats
    # ----------------------------------------------------------------------------------------

    def add_user(
        self,
        user_id: int,
        first_name: str = "User",
        *,
        username: str | None = None,
        language_code: str | None = "zh-hans",
        last_name: str | None = None,
        is_premium: bool | None = None,
        started: bool = True,
    ) -> tg.User:
        """Register a user and their private chat with the bot (chat id == user id).

        ``started=False`` models a user who never opened the bot: sends to them fail with
        403 "bot can't initiate conversation with a user" until they push something.
        """
        user = tg.User(
            id=user_id,
            is_bot=False,
            first_name=first_name,
            last_name=last_name,
            username=username,
            language_code=language_code,
            is_premium=is_premium,
        )
        self.users[user_id] = user
        chat = tg.Chat(
            id=user_id,
            type="private",
            first_name=first_name,
            last_name=last_name,
            username=username,
        )
        existing = self._chats.get(user_id)
        if existing is not None and existing.private:
            existing.chat = chat
            existing.username = username
        else:
            self._chats[user_id] = ChatState(
                id=user_id, type="private", chat=chat, username=username, started=started
            )
        return user

    def add_group(
        self,
        chat_id: int,
        title: str = "Group",
        *,
        admins: Iterable[int] = (),
        members: Iterable[int] = (),
        type: str = "supergroup",
        creator: int | None = None,
        username: str | None = None,
        bot_status: str | None = None,
    ) -> tg.Chat:
        """Register a group the bot is in.

        ``admins`` become "administrator" (put :data:`BOT_ID` there to make the bot an
        admin), ``members`` "member", ``creator`` "creator". Unknown user ids are registered.
        """
        if type not in {"group", "supergroup", "channel"}:
            raise ValueError(f"bad group type {type!r}")
        chat = tg.Chat(id=chat_id, type=type, title=title, username=username)
        state = self._chats.get(chat_id)
        if state is None or state.private:
            state = ChatState(id=chat_id, type=type, chat=chat, title=title, username=username)
            self._chats[chat_id] = state
        else:
            state.chat, state.type, state.title, state.username = chat, type, title, username
        for uid in members:
            self._set_status(state, uid, "member")
        for uid in admins:
            self._set_status(state, uid, "administrator")
        if creator is not None:
            self._set_status(state, creator, "creator")
        if bot_status is not None:
            state.bot_status = bot_status
        return chat

    def set_chat_member_status(self, chat_id: int, user_id: int, status: str) -> None:
        """Set a member's status: creator, administrator, member, restricted, left, kicked."""
        state = self._chats.get(chat_id)
        if state is None or state.private:
            raise KeyError(f"unknown group {chat_id}; call add_group() first")
        self._set_status(state, user_id, status)

    def _set_status(self, state: ChatState, user_id: int, status: str) -> None:
        if status not in {"creator", "administrator", "member", "restricted", "left", "kicked"}:
            raise ValueError(f"bad chat member status {status!r}")
        if user_id == BOT_ID:
            state.bot_status = status
            return
        self._ensure_user(user_id)
        state.statuses[user_id] = status

    def block_user(self, user_id: int, blocked: bool = True) -> None:
        """Make sends to the user's private chat fail with 403 "bot was blocked by the user"."""
        self._ensure_user(user_id)
        self._chats[user_id].blocked = blocked

    def unblock_user(self, user_id: int) -> None:
        """Undo :meth:`block_user`."""
        self.block_user(user_id, False)

    def kick_from_group(self, chat_id: int) -> None:
        """Make sends to the group fail with 403 "bot was kicked from the ... chat"."""
        state = self._chats.get(chat_id)
        if state is None or state.private:
            raise KeyError(f"unknown group {chat_id}")
        if state.bot_status != "kicked":
            state.status_before_kick = state.bot_status
        state.bot_status = "kicked"

    def chat(self, chat_id: int) -> tg.Chat:
        """The aiogram Chat for a known chat id."""
        return self._chats[chat_id].chat

    def chat_member_status(self, chat_id: int, user_id: int) -> str:
        """Current status of ``user_id`` in ``chat_id``."""
        state = self._chats[chat_id]
        if user_id == BOT_ID:
            return state.bot_status
        if state.private:
            return "member" if user_id == chat_id else "left"
        return state.statuses.get(user_id, "left")

    def reply_keyboard(self, chat_id: int) -> dict[str, Any] | None:
        """The reply keyboard currently shown in a chat (last one sent, until removed)."""
        return self._chats[chat_id].reply_keyboard

    def _ensure_user(self, user_id: int) -> tg.User:
        user = self.users.get(user_id)
        if user is None:
            user = self.add_user(user_id, f"User{user_id}")
        return user

    def _user_dict(self, user_id: int) -> dict[str, Any]:
        if user_id == BOT_ID:
            return dump(self.bot_user)
        user = self.users.get(user_id)
        if user is None:
            return {"id": user_id, "is_bot": False, "first_name": ""}
        return dump(user)

    def _member_object(self, user: tg.User, status: str) -> tg.ChatMember:
        if status == "creator":
            return tg.ChatMemberOwner(user=user, is_anonymous=False)
        if status == "administrator":
            return build(
                tg.ChatMemberAdministrator,
                _truthy=True,
                user=user,
                can_be_edited=False,
                is_anonymous=False,
            )
        if status == "restricted":
            return build(tg.ChatMemberRestricted, user=user, is_member=True, until_date=0)
        if status == "left":
            return tg.ChatMemberLeft(user=user)
        if status == "kicked":
            return tg.ChatMemberBanned(user=user, until_date=0)
        return tg.ChatMemberMember(user=user)

    def _chat(self, chat_id: Any) -> ChatState:
        if chat_id is None or chat_id == "":
            raise bad("chat_id is empty")
        if isinstance(chat_id, str):
            if chat_id.startswith("@"):
                name = chat_id[1:].lower()
                for state in self._chats.values():
                    if state.username and state.username.lower() == name:
                        return state
                raise bad("chat not found")
            if not INT_RE.fullmatch(chat_id.strip()):
                raise bad("chat not found")
            chat_id = int(chat_id)
        if isinstance(chat_id, bool) or not isinstance(chat_id, int):
            raise bad("chat not found")
        state = self._chats.get(chat_id)
        if state is None:
            if chat_id == BOT_ID:
                raise forbidden("bot can't send messages to bots")
            raise bad("chat not found")
        return state

    def _writable_chat(self, chat_id: Any) -> ChatState:
        state = self._chat(chat_id)
        if state.private:
            if state.blocked:
                raise forbidden("bot was blocked by the user")
            if not state.started:
                raise forbidden("bot can't initiate conversation with a user")
        elif state.bot_status == "kicked":
            raise forbidden(f"bot was kicked from the {state.type} chat")
        elif state.bot_status == "left":
            raise forbidden(f"bot is not a member of the {state.type} chat")
        return state

    # ----------------------------------------------------------------------------------------
    # messages
    # ----------------------------------------------------------------------------------------

    def _reply_target(self, state: ChatState, params: Mapping[str, Any]) -> tg.Message | None:
        reply = params.get("reply_parameters")
        if isinstance(reply, str):
            reply = json.loads(reply)
        message_id = params.get("reply_to_message_id")
        allow = as_bool(params.get("allow_sending_without_reply", False))
        if isinstance(reply, dict):
            message_id = reply.get("message_id")
            allow = as_bool(reply.get("allow_sending_without_reply", allow))
            if reply.get("chat_id") not in (None, state.id):
                state = self._chat(reply["chat_id"])
        if message_id is None:
            return None
        target = state.messages.get(as_int(message_id, "message_id"))
        if target is None or target.deleted:
            if allow:
                return None
            raise bad("message to be replied not found")
        return reply_snapshot(target)

    def _store_bot_message(
        self,
        state: ChatState,
        method: str,
        params: Mapping[str, Any],
        fields: dict[str, Any],
        *,
        content_type: str,
        markup: dict[str, Any] | None,
        inline: dict[str, Any] | None,
        text: str | None = None,
        raw_text: str | None = None,
        entities: list[dict[str, Any]] | None = None,
        reply_to: tg.Message | None = None,
    ) -> StoredMessage:
        if inline is not None:
            fields["reply_markup"] = tg.InlineKeyboardMarkup.model_validate(inline)
        if reply_to is not None:
            fields["reply_to_message"] = reply_to
        if as_bool(params.get("protect_content", False)):
            fields["has_protected_content"] = True
        if params.get("message_thread_id") is not None and not state.private:
            fields["message_thread_id"] = as_int(params["message_thread_id"], "thread id")
        message = tg.Message(
            message_id=state.next_id(),
            date=int(time.time()),
            chat=state.chat,
            from_user=self.bot_user,
            **fields,
        )
        stored = StoredMessage(
            chat_id=state.id,
            message_id=message.message_id,
            data=dump(message),
            method=method,
            text=text,
            raw_text=raw_text,
            entities=entities or [],
            parse_mode=params.get("parse_mode"),
            reply_markup=markup,
            content_type=content_type,
            photo=content_type == "photo",
            document=content_type == "document",
            voice=content_type == "voice",
            params=dict(params),
        )
        state.messages[stored.message_id] = stored
        state.bot_messages.append(stored)
        state.all_messages.append(stored)
        if markup is not None and "keyboard" in markup:
            state.reply_keyboard = markup
        elif markup is not None and markup.get("remove_keyboard"):
            state.reply_keyboard = None
        self._emit("sent", stored)
        return stored

    # ----------------------------------------------------------------------------------------
    # events
    # ----------------------------------------------------------------------------------------

    def on_event(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(event, message)`` on "sent", "edited", "deleted" and "incoming".

        Returns a function that unsubscribes.
        """
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def _emit(self, event: str, message: StoredMessage) -> None:
        for listener in list(self._listeners):
            try:
                listener(event, message)
            except Exception:  # a broken listener must not break the API
                log.exception("emulator listener failed")

    def _notify(self) -> None:
        waiters, self._waiters = self._waiters, []
        for fut in waiters:
            if not fut.done():
                fut.set_result(None)

    def _wake_pollers(self) -> None:
        if self._webhook_wake is not None:
            self._webhook_wake.set()
        waiters, self._update_waiters = self._update_waiters, []
        for fut in waiters:
            if not fut.done():
                fut.set_result(None)
