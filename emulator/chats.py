"""Chats and members: getChat, getChatMember(s), administrators, leaveChat, bans."""

from __future__ import annotations

from typing import Any

from aiogram import types as tg

from linli.emulator.errors import bad, forbidden
from linli.emulator.params import as_bool, as_int
from linli.emulator.records import BOT_ID, UploadedFile
from linli.emulator.shapes import build, dump
from linli.emulator.state import ChatState, EmulatorState, Json


class ChatMethods(EmulatorState):
    """What the bot may ask about a chat and do to its members."""

    def _get_chat(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        state = self._chat(params.get("chat_id"))
        if state.private:
            user = self.users.get(state.id)
            info = build(
                tg.ChatFullInfo,
                id=state.id,
                type="private",
                first_name=user.first_name if user else None,
                last_name=user.last_name if user else None,
                username=user.username if user else None,
                accent_color_id=0,
                max_reaction_count=11,
            )
        else:
            if state.bot_status == "kicked":
                raise forbidden(f"bot was kicked from the {state.type} chat")
            info = build(
                tg.ChatFullInfo,
                id=state.id,
                type=state.type,
                title=state.title,
                username=state.username,
                accent_color_id=0,
                max_reaction_count=11,
            )
        return dump(info)

    def _get_chat_member(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        state = self._chat(params.get("chat_id"))
        user_id = as_int(params.get("user_id"), "user_id")
        if user_id == BOT_ID:
            user = self.bot_user
        else:
            found = self.users.get(user_id)
            if found is None:
                raise bad("user not found")
            user = found
        status = self.chat_member_status(state.id, user_id)
        return dump(self._member_object(user, status))

    def _get_chat_administrators(
        self, params: dict[str, Any], files: dict[str, UploadedFile]
    ) -> Json:
        state = self._chat(params.get("chat_id"))
        if state.private:
            raise bad("there are no administrators in the private chat")
        out = []
        for status in ("creator", "administrator"):
            for uid, st in state.statuses.items():
                if st == status:
                    out.append(dump(self._member_object(self.users[uid], status)))
            if state.bot_status == status:
                out.append(dump(self._member_object(self.bot_user, status)))
        return out

    def _get_chat_member_count(
        self, params: dict[str, Any], files: dict[str, UploadedFile]
    ) -> Json:
        state = self._chat(params.get("chat_id"))
        if state.private:
            return 2
        present = {"creator", "administrator", "member", "restricted"}
        count = sum(1 for st in state.statuses.values() if st in present)
        return count + (1 if state.bot_status in present else 0)

    def _leave_chat(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        state = self._chat(params.get("chat_id"))
        if state.private:
            raise bad("chat member status can't be changed in private chats")
        if state.bot_status in ("left", "kicked"):
            raise forbidden(f"bot is not a member of the {state.type} chat")
        state.bot_status = "left"
        return True

    def _require_admin(self, state: ChatState) -> None:
        if state.private:
            raise bad("chat member status can't be changed in private chats")
        if state.bot_status not in ("administrator", "creator"):
            raise bad("not enough rights to restrict/unrestrict chat member")

    def _ban_chat_member(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        state = self._chat(params.get("chat_id"))
        self._require_admin(state)
        user_id = as_int(params.get("user_id"), "user_id")
        if state.statuses.get(user_id) == "creator":
            raise bad("can't remove chat owner")
        self._set_status(state, user_id, "kicked")
        return True

    def _unban_chat_member(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        state = self._chat(params.get("chat_id"))
        self._require_admin(state)
        user_id = as_int(params.get("user_id"), "user_id")
        current = state.statuses.get(user_id, "left")
        if current == "kicked" or (
            not as_bool(params.get("only_if_banned", False))
            and current not in ("creator", "administrator", "member", "restricted")
        ):
            self._set_status(state, user_id, "left")
        return True
