"""The bot's profile: getMe, commands per scope and language, the menu button, and its name
and descriptions."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from aiogram import types as tg
from pydantic import BaseModel

from linli.emulator.errors import bad
from linli.emulator.params import INT_RE
from linli.emulator.records import UploadedFile
from linli.emulator.shapes import dump
from linli.emulator.state import EmulatorState, Handler, Json

_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")


class CommandMethods(EmulatorState):
    """setMyCommands and friends; getMe, logOut and close."""

    def _true(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> bool:
        return True

    def _get_me(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        return dump(self.bot_user)

    def _scope_key(self, scope: Any, *, check: bool = False) -> str:
        """``"default"``, ``"all_private_chats"``... or compact JSON for chat scopes."""
        if isinstance(scope, str):
            scope = json.loads(scope) if scope.startswith("{") else {"type": scope}
        if not scope:
            return "default"
        if not isinstance(scope, dict) or "type" not in scope:
            raise bad("can't parse BotCommandScope JSON object")
        if set(scope) == {"type"}:
            return str(scope["type"])
        scope = dict(scope)
        for key in ("chat_id", "user_id"):
            value = scope.get(key)
            if isinstance(value, str) and INT_RE.fullmatch(value):
                scope[key] = int(value)
        if check and "chat_id" in scope:
            self._chat(scope["chat_id"])
        return json.dumps(scope, sort_keys=True, separators=(",", ":"))

    def get_commands(
        self, scope: Mapping[str, Any] | str | None = None, language_code: str = ""
    ) -> list[dict[str, Any]]:
        """Commands stored by setMyCommands for a scope (``"default"``...) and language."""
        key = self._scope_key(dict(scope) if isinstance(scope, Mapping) else scope)
        return self.commands.get((key, language_code or ""), [])

    def _set_my_commands(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        commands = params.get("commands")
        if isinstance(commands, str):
            commands = json.loads(commands)
        if not isinstance(commands, list):
            raise bad("can't parse commands JSON object")
        if len(commands) > 100:
            raise bad("too many commands specified")
        cleaned = []
        for item in commands:
            if not isinstance(item, dict):
                raise bad("can't parse BotCommand JSON object")
            command = str(item.get("command", "")).lstrip("/")
            description = str(item.get("description", ""))
            if not _COMMAND_RE.fullmatch(command):
                raise bad("BOT_COMMAND_INVALID")
            if not 1 <= len(description.strip()) <= 256:
                raise bad("BOT_COMMAND_DESCRIPTION_INVALID")
            cleaned.append(dump(tg.BotCommand(command=command, description=description)))
        key = (
            self._scope_key(params.get("scope"), check=True),
            str(params.get("language_code") or ""),
        )
        if cleaned:
            self.commands[key] = cleaned
        else:
            self.commands.pop(key, None)
        return True

    def _get_my_commands(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        key = (self._scope_key(params.get("scope")), str(params.get("language_code") or ""))
        return list(self.commands.get(key, []))

    def _delete_my_commands(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        key = (self._scope_key(params.get("scope")), str(params.get("language_code") or ""))
        self.commands.pop(key, None)
        return True

    def _set_chat_menu_button(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        button = params.get("menu_button") or {"type": "default"}
        if isinstance(button, str):
            button = json.loads(button)
        if not isinstance(button, dict) or button.get("type") not in (
            "default",
            "commands",
            "web_app",
        ):
            raise bad("can't parse menu button JSON object")
        if params.get("chat_id") is None:
            self._menu_button_default = button
        else:
            state = self._chat(params["chat_id"])
            if not state.private:
                raise bad("chat_id must be a private chat")
            state.menu_button = button
        return True

    def _get_chat_menu_button(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        if params.get("chat_id") is None:
            return self._menu_button_default or {"type": "default"}
        state = self._chat(params["chat_id"])
        return state.menu_button or self._menu_button_default or {"type": "default"}

    def menu_button(self, chat_id: int | None = None) -> dict[str, Any]:
        """The menu button set for a private chat (or the default one)."""
        if chat_id is not None and self._chats[chat_id].menu_button:
            return dict(self._chats[chat_id].menu_button or {})
        return dict(self._menu_button_default or {"type": "default"})

    def _setting(self, name: str) -> Handler:
        def handler(params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
            language = str(params.get("language_code") or "")
            self.bot_settings.setdefault(name, {})[language] = params.get(name) or ""
            return True

        return handler

    def _getting(self, name: str, cls: type[BaseModel]) -> Handler:
        def handler(params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
            language = str(params.get("language_code") or "")
            values = self.bot_settings.get(name, {})
            value = values.get(language) or values.get("", "")
            if name == "name" and not value:
                value = self.bot_user.first_name
            return dump(cls(**{name: value}))

        return handler
