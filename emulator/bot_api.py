"""BotAPIEmulator: the method families put together, and the table of the Bot API methods."""

from __future__ import annotations

import functools

from aiogram import types as tg

from linli.emulator.chats import ChatMethods
from linli.emulator.commands import CommandMethods
from linli.emulator.editing import EditingMethods
from linli.emulator.media import SEND_MEDIA_METHODS, MediaMethods
from linli.emulator.sending import SendingMethods
from linli.emulator.server import HttpServer
from linli.emulator.state import Handler
from linli.emulator.webhook import WebhookMethods


class BotAPIEmulator(
    HttpServer,
    WebhookMethods,
    SendingMethods,
    MediaMethods,
    EditingMethods,
    ChatMethods,
    CommandMethods,
):
    """A fake api.telegram.org for one bot (user id :data:`BOT_ID`), served on 127.0.0.1.

    Set up users/groups (:meth:`add_user`, :meth:`add_group`), push updates
    (:meth:`push_message`, :meth:`push_callback`, ...), watch what the bot did
    (:attr:`requests`, :meth:`messages`, :meth:`wait_for_message`, :attr:`callback_answers`,
    :attr:`commands`) and break things (:meth:`inject_fault`, :meth:`set_delay`,
    :meth:`block_user`, :meth:`kick_from_group`, :meth:`set_rate_limit`). All state is in
    memory and only touched from the event loop, so concurrent requests are safe.

    ``token=None`` accepts any ``digits:chars`` token; otherwise only that token (401 else).
    Methods missing from the table below answer 404 ("Not Found") unless aiogram declares
    them as returning a bare ``True``: those are accepted and their parameters kept in
    :attr:`bot_settings`.
    """

    def _make_handlers(self) -> dict[str, Handler]:
        handlers: dict[str, Handler] = {
            "getme": self._get_me,
            "logout": self._true,
            "close": self._true,
            "getupdates": self._get_updates,
            "setwebhook": self._set_webhook,
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "sendmessage": self._send_message,
            "sendlocation": self._send_location,
            "sendmediagroup": self._send_media_group,
            "copymessage": self._copy_message,
            "forwardmessage": self._forward_message,
            "editmessagetext": self._edit_message_text,
            "editmessagecaption": self._edit_message_caption,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "deletemessage": self._delete_message,
            "deletemessages": self._delete_messages,
            "answercallbackquery": self._answer_callback_query,
            "getchat": self._get_chat,
            "getchatmember": self._get_chat_member,
            "getchatadministrators": self._get_chat_administrators,
            "getchatmembercount": self._get_chat_member_count,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "deletemycommands": self._delete_my_commands,
            "setchatmenubutton": self._set_chat_menu_button,
            "getchatmenubutton": self._get_chat_menu_button,
            "sendchataction": self._send_chat_action,
            "getfile": self._get_file,
            "leavechat": self._leave_chat,
            "banchatmember": self._ban_chat_member,
            "unbanchatmember": self._unban_chat_member,
            "setmydescription": self._setting("description"),
            "getmydescription": self._getting("description", tg.BotDescription),
            "setmyshortdescription": self._setting("short_description"),
            "getmyshortdescription": self._getting("short_description", tg.BotShortDescription),
            "setmyname": self._setting("name"),
            "getmyname": self._getting("name", tg.BotName),
        }
        for method, kind in SEND_MEDIA_METHODS.items():
            handlers[method] = functools.partial(self._send_media, kind)
        return handlers

    def reset(self) -> None:
        """Forget updates, messages, requests and faults; keep users, groups and files."""
        self.requests.clear()
        self._requests_by_method.clear()
        self.callback_answers.clear()
        self._callbacks.clear()
        self.chat_actions.clear()
        self._queue.clear()
        self._pending = 0
        for chat in self._chats.values():
            chat.messages.clear()
            chat.bot_messages.clear()
            chat.all_messages.clear()
        self.clear_faults()
        self._notify()
