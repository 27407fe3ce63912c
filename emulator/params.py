"""Request parameters: query string, form fields, multipart files or a JSON body, decoded
and coerced the way the Bot API does."""

from __future__ import annotations

import functools
import json
import re
import types as pytypes
import typing
from typing import Any

from aiogram.client.default import Default
from aiohttp import web

from linli.emulator.errors import bad
from linli.emulator.records import UploadedFile
from linli.emulator.shapes import method_registry

_INT_PARAMS = frozenset(
    {"chat_id", "from_chat_id", "user_id", "message_id", "offset", "limit", "timeout"}
)
INT_RE = re.compile(r"-?\d+")


def _is_plain_str(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, pytypes.UnionType):
        args = {a for a in typing.get_args(annotation) if a is not type(None) and a is not Default}
        return args == {str}
    return annotation is str


_FALLBACK_STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "data",
        "callback_query_id",
        "inline_message_id",
        "parse_mode",
        "url",
        "secret_token",
        "language_code",
        "action",
        "title",
        "description",
        "short_description",
        "name",
        "file_id",
        "emoji",
        "query",
    }
)


@functools.cache
def _string_params(method: str) -> frozenset[str]:
    """Parameters of ``method`` that are plain strings (never JSON-decoded from forms)."""
    cls = method_registry().get(method)
    if cls is None:
        return _FALLBACK_STRING_PARAMS
    return frozenset(
        (info.alias or name)
        for name, info in cls.model_fields.items()
        if _is_plain_str(info.annotation)
    )


def decode_form_value(method: str, key: str, value: str) -> Any:
    if key in _string_params(method):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def coerce_params(params: dict[str, Any]) -> dict[str, Any]:
    for key in _INT_PARAMS:
        value = params.get(key)
        if isinstance(value, str) and INT_RE.fullmatch(value.strip()):
            params[key] = int(value)
    ids = params.get("message_ids")
    if isinstance(ids, list):
        params["message_ids"] = [
            int(v) if isinstance(v, str) and INT_RE.fullmatch(v) else v for v in ids
        ]
    return params


async def read_params(
    request: web.Request, method: str
) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
    """Parameters and uploaded files of a request for ``method`` (lower case)."""
    params: dict[str, Any] = {}
    files: dict[str, UploadedFile] = {}
    for key, value in request.query.items():
        params[key] = decode_form_value(method, key, value)
    if request.method in ("GET", "HEAD") or not request.body_exists:
        return coerce_params(params), files
    ctype = request.content_type
    if ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                files[key] = UploadedFile(
                    key, value.filename, value.content_type, value.file.read()
                )
            else:
                params[key] = decode_form_value(method, key, str(value))
        for key in files:
            params.setdefault(key, f"attach://{key}")
    else:
        raw = await request.read()
        if raw.strip():
            try:
                body = json.loads(raw)
            except ValueError:
                raise bad("can't parse JSON request body") from None
            if not isinstance(body, dict):
                raise bad("request body must be a JSON object")
            params.update(body)
    return coerce_params(params), files


def as_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)


def as_int(value: Any, name: str) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and INT_RE.fullmatch(value.strip()):
        return int(value)
    raise bad(f"invalid {name} specified")
