"""Control endpoints under ``/_emulator/`` for driving a standalone emulator over HTTP."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from linli.emulator.callbacks import CallbackMethods
from linli.emulator.observe import Observing
from linli.emulator.pushing import PushingUpdates
from linli.emulator.shapes import dump


class ControlEndpoints(PushingUpdates, CallbackMethods, Observing):
    """``POST /_emulator/{user,group,message,callback,update}``, ``GET .../messages`` ..."""

    async def _handle_control(self, request: web.Request) -> web.Response:
        action = request.match_info["action"]
        try:
            body = await request.json() if request.body_exists else {}
        except ValueError:
            return web.json_response({"ok": False, "description": "bad JSON"}, status=400)
        body = dict(request.query) | (body or {})
        try:
            result = self._control(action, body)
        except (KeyError, ValueError, TypeError) as exc:
            return web.json_response({"ok": False, "description": str(exc)}, status=400)
        return web.json_response({"ok": True, "result": result})

    def _control(self, action: str, body: dict[str, Any]) -> Any:
        def num(key: str) -> int:
            return int(body[key])

        if action == "user":
            user = self.add_user(
                num("user_id"),
                body.get("first_name", "User"),
                username=body.get("username"),
                language_code=body.get("language_code", "zh-hans"),
                last_name=body.get("last_name"),
            )
            return dump(user)
        if action == "group":
            chat = self.add_group(
                num("chat_id"),
                body.get("title", "Group"),
                admins=[int(x) for x in body.get("admins", [])],
                members=[int(x) for x in body.get("members", [])],
                type=body.get("type", "supergroup"),
            )
            return dump(chat)
        if action == "message":
            update = self.push_message(
                num("chat_id"), num("user_id"), body.get("text"), caption=body.get("caption")
            )
            return dump(update)
        if action == "callback":
            update = self.push_callback(
                num("user_id"), (num("chat_id"), num("message_id")), str(body["data"])
            )
            return dump(update)
        if action == "update":
            return dump(self.push_update(body))
        if action == "messages":
            return [m.data | {"_deleted": m.deleted} for m in self.messages(num("chat_id"))]
        if action == "requests":
            since = int(body.get("since", 0))
            return [
                {"method": r.method, "params": _jsonable(r.params), "response": r.response}
                for r in self.requests[since:]
            ]
        raise KeyError(f"unknown control action {action!r}")


def _jsonable(value: Any) -> Any:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return json.loads(json.dumps(value, default=str))
    return value
