"""Files and media: send{Photo,Document,Voice,...}, sendMediaGroup, getFile, and the test
helpers to register files and read what the bot uploaded."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from aiogram import types as tg

from linli.emulator.errors import ApiError, bad
from linli.emulator.formatting import caption_fields
from linli.emulator.markup import check_markup
from linli.emulator.params import as_bool
from linli.emulator.records import StoredFile, UploadedFile
from linli.emulator.shapes import dump
from linli.emulator.state import EmulatorState, Json
from linli.emulator.storage import MAX_BOT_UPLOAD, TINY_PNG, image_size, media_fields

SEND_MEDIA_METHODS = {
    "sendphoto": "photo",
    "senddocument": "document",
    "sendvoice": "voice",
    "sendaudio": "audio",
    "sendvideo": "video",
    "sendanimation": "animation",
    "sendsticker": "sticker",
    "sendvideonote": "video_note",
}


class MediaMethods(EmulatorState):
    """Sending and fetching files."""

    def register_file(
        self,
        data: bytes,
        *,
        kind: str = "document",
        file_name: str | None = None,
        mime_type: str | None = None,
    ) -> str:
        """Store bytes as a file the bot can ``getFile``/download/send; returns its file_id."""
        if kind == "photo":
            return self._storage.new_photo(data).file_id
        return self._storage.new_file(kind, data, file_name=file_name, mime_type=mime_type).file_id

    def file_bytes(self, file_id: str) -> bytes:
        """Content of a known file_id (e.g. what the bot uploaded)."""
        return self._storage.by_id[file_id].data

    def get_file(self, file_id: str) -> StoredFile:
        """The :class:`StoredFile` behind a file_id."""
        return self._storage.by_id[file_id]

    def _input_file(self, kind: str, value: Any, files: Mapping[str, UploadedFile]) -> StoredFile:
        if value is None or value == "":
            raise bad(f"there is no {kind} in the request")
        if isinstance(value, str) and value.startswith("attach://"):
            upload = files.get(value[len("attach://") :])
            if upload is None:
                raise bad(f"there is no {kind} in the request")
            if not upload.data:
                raise bad("file must be non-empty")
            if len(upload.data) > MAX_BOT_UPLOAD:
                raise ApiError(413, "Request Entity Too Large")
            if kind == "photo":
                return self._storage.new_photo(upload.data)
            size = image_size(upload.data) or (0, 0)
            return self._storage.new_file(
                kind,
                upload.data,
                file_name=upload.filename
                if kind in ("document", "audio", "video", "animation")
                else None,
                mime_type=(
                    upload.content_type
                    if upload.content_type not in (None, "application/octet-stream")
                    else None
                ),
                width=size[0],
                height=size[1],
            )
        if not isinstance(value, str):
            raise bad(f"there is no {kind} in the request")
        if value.startswith(("http://", "https://")):
            name = urlsplit(value).path.rsplit("/", 1)[-1] or None
            if kind == "photo":
                return self._storage.new_photo(TINY_PNG)
            return self._storage.new_file(kind, b"", file_name=name)
        rec = self._storage.by_id.get(value)
        if rec is None:
            raise bad("wrong file identifier/HTTP URL specified")
        return rec

    def _send_media(
        self, kind: str, params: dict[str, Any], files: dict[str, UploadedFile]
    ) -> Json:
        state = self._writable_chat(params.get("chat_id"))
        rec = self._input_file(kind, params.get(kind), files)
        fields, caption, entities = (
            caption_fields(params, self._user_dict)
            if kind not in ("sticker", "video_note")
            else ({}, None, [])
        )
        markup, inline = check_markup(params.get("reply_markup"))
        reply_to = self._reply_target(state, params)
        fields.update(media_fields(kind, rec, params))
        if as_bool(params.get("has_spoiler", False)) and kind in ("photo", "video", "animation"):
            fields["has_media_spoiler"] = True
        method = "send" + "".join(part.title() for part in kind.split("_"))
        stored = self._store_bot_message(
            state,
            method,
            params,
            fields,
            content_type=kind,
            markup=markup,
            inline=inline,
            text=caption,
            raw_text=params.get("caption"),
            entities=entities,
            reply_to=reply_to,
        )
        return stored.data

    def _send_media_group(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        state = self._writable_chat(params.get("chat_id"))
        media = params.get("media")
        if isinstance(media, str):
            media = json.loads(media)
        if not isinstance(media, list) or not media:
            raise bad("there are no media in the request")
        if not 2 <= len(media) <= 10:
            raise bad("wrong number of media items specified")
        reply_to = self._reply_target(state, params)
        self._media_group_counter += 1
        group_id = str(13_000_000_000_000_000 + self._media_group_counter)
        prepared = []
        for item in media:
            if not isinstance(item, dict) or item.get("type") not in (
                "photo",
                "video",
                "document",
                "audio",
            ):
                raise bad("wrong media type specified")
            kind = item["type"]
            rec = self._input_file(kind, item.get("media"), files)
            cap_params = {"parse_mode": params.get("parse_mode"), **item}
            fields, caption, entities = caption_fields(cap_params, self._user_dict)
            fields.update(media_fields(kind, rec, item))
            prepared.append((kind, fields, caption, entities, item))
        kinds = {p[0] for p in prepared}
        if ("document" in kinds and kinds != {"document"}) or (
            "audio" in kinds and kinds != {"audio"}
        ):
            raise bad("documents and audio files can't be mixed with other media types")
        results = []
        for kind, fields, caption, entities, item in prepared:
            fields["media_group_id"] = group_id
            stored = self._store_bot_message(
                state,
                "sendMediaGroup",
                {**params, **item},
                fields,
                content_type=kind,
                markup=None,
                inline=None,
                text=caption,
                raw_text=item.get("caption"),
                entities=entities,
                reply_to=reply_to,
            )
            results.append(stored.data)
        return results

    def _get_file(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Json:
        file_id = params.get("file_id")
        rec = self._storage.by_id.get(str(file_id)) if file_id else None
        if rec is None:
            raise bad("invalid file_id")
        if rec.file_size > 20 * 1024 * 1024:
            raise bad("file is too big")
        return dump(
            tg.File(
                file_id=rec.file_id,
                file_unique_id=rec.file_unique_id,
                file_size=rec.file_size,
                file_path=rec.file_path,
            )
        )
