"""File storage: every file the bot uploaded, a user sent or a test registered, by file_id
and by download path, and the aiogram objects (PhotoSize, Document, ...) describing it."""

from __future__ import annotations

import contextlib
import mimetypes
import secrets
import struct
from collections.abc import Mapping
from typing import Any

from aiogram import types as tg
from pydantic import BaseModel

from linli.emulator.params import as_int
from linli.emulator.records import StoredFile
from linli.emulator.shapes import build

MAX_BOT_UPLOAD = 50 * 1024 * 1024
MAX_UPLOAD = MAX_BOT_UPLOAD + 10 * 1024 * 1024

# A valid 1x1 PNG for "some photo".
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e2"
    "6b5f7d0000000049454e44ae426082"
)
MEDIA_KINDS = {
    # kind: (file_id prefix, folder, default extension, default mime type)
    "photo": ("AgAC", "photos", "jpg", "image/jpeg"),
    "document": ("BQAC", "documents", "bin", "application/octet-stream"),
    "voice": ("AwAC", "voice", "oga", "audio/ogg"),
    "audio": ("CQAC", "music", "mp3", "audio/mpeg"),
    "video": ("BAAC", "videos", "mp4", "video/mp4"),
    "animation": ("CgAC", "animations", "mp4", "video/mp4"),
    "sticker": ("CAAC", "stickers", "webp", "image/webp"),
    "video_note": ("DQAC", "video_notes", "mp4", "video/mp4"),
}


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG, GIF or JPEG image, or None."""
    with contextlib.suppress(struct.error, IndexError, ValueError):
        if data[:8] == b"\x89PNG\r\n\x1a\n":
            width, height = struct.unpack(">II", data[16:24])
            return int(width), int(height)
        if data[:6] in (b"GIF87a", b"GIF89a"):
            width, height = struct.unpack("<HH", data[6:10])
            return int(width), int(height)
        if data[:2] == b"\xff\xd8":
            i = 2
            while i < len(data):
                while data[i] == 0xFF:
                    i += 1
                marker = data[i]
                i += 1
                if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
                    continue
                seg_len = struct.unpack(">H", data[i : i + 2])[0]
                if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                    height, width = struct.unpack(">HH", data[i + 3 : i + 7])
                    return int(width), int(height)
                i += seg_len
    return None


class FileStore:
    """Files known to the emulator, by file_id and by the path of their download URL."""

    def __init__(self) -> None:
        self.by_id: dict[str, StoredFile] = {}
        self.by_path: dict[str, StoredFile] = {}
        self._counter = 0

    def new_file(
        self,
        kind: str,
        data: bytes,
        *,
        file_name: str | None = None,
        mime_type: str | None = None,
        width: int = 0,
        height: int = 0,
        duration: int = 0,
    ) -> StoredFile:
        """Store ``data`` under a new file_id and download path."""
        prefix, folder, ext, default_mime = MEDIA_KINDS.get(kind, MEDIA_KINDS["document"])
        self._counter += 1
        if file_name and "." in file_name:
            ext = file_name.rsplit(".", 1)[1].lower() or ext
        if mime_type is None and file_name:
            mime_type = mimetypes.guess_type(file_name)[0]
        rec = StoredFile(
            file_id=f"{prefix}AgADBQADAQ{self._counter:06d}{secrets.token_urlsafe(18)}",
            file_unique_id=f"AQAD{self._counter:04d}{secrets.token_urlsafe(6)}",
            kind=kind,
            data=data,
            file_path=f"{folder}/file_{self._counter}.{ext}",
            file_name=file_name,
            mime_type=mime_type or default_mime,
            width=width,
            height=height,
            duration=duration,
        )
        self.by_id[rec.file_id] = rec
        self.by_path[rec.file_path] = rec
        return rec

    def new_photo(self, data: bytes) -> StoredFile:
        """A photo as Telegram stores it: up to four sizes (the largest returned)."""
        width, height = image_size(data) or (800, 600)
        sizes: list[StoredFile] = []
        for limit in (90, 320, 800, 1280):
            scale = min(1.0, limit / max(width, height, 1))
            rec = self.new_file(
                "photo",
                data,
                width=max(1, round(width * scale)),
                height=max(1, round(height * scale)),
            )
            if sizes and (rec.width, rec.height) == (sizes[-1].width, sizes[-1].height):
                del self.by_id[rec.file_id]
                del self.by_path[rec.file_path]
                break
            sizes.append(rec)
        for rec in sizes:
            rec.sizes = sizes
        return sizes[-1]


def media_fields(kind: str, rec: StoredFile, params: Mapping[str, Any]) -> dict[str, Any]:
    """aiogram objects for a message's media field(s); ``params`` may give the duration,
    a video's size, an audio's title and performer, a sticker's emoji."""
    common: dict[str, Any] = {
        "file_id": rec.file_id,
        "file_unique_id": rec.file_unique_id,
        "file_size": rec.file_size,
    }
    duration = params.get("duration")
    if duration is not None:
        rec.duration = as_int(duration, "duration")
    if kind == "photo":
        sizes = rec.sizes or [rec]
        return {
            "photo": [
                tg.PhotoSize(
                    file_id=s.file_id,
                    file_unique_id=s.file_unique_id,
                    width=s.width,
                    height=s.height,
                    file_size=s.file_size,
                )
                for s in sizes
            ]
        }
    if kind == "document":
        return {
            "document": tg.Document(
                **common, file_name=rec.file_name or None, mime_type=rec.mime_type
            )
        }
    if kind == "voice":
        return {"voice": tg.Voice(**common, duration=rec.duration or 1, mime_type=rec.mime_type)}
    if kind == "audio":
        return {
            "audio": build(
                tg.Audio,
                **common,
                duration=rec.duration or 1,
                mime_type=rec.mime_type,
                file_name=rec.file_name,
                title=params.get("title"),
                performer=params.get("performer"),
            )
        }
    if kind in ("video", "animation"):
        cls: type[BaseModel] = tg.Video if kind == "video" else tg.Animation
        return {
            kind: build(
                cls,
                **common,
                width=as_int(params.get("width", rec.width or 640), "width"),
                height=as_int(params.get("height", rec.height or 480), "height"),
                duration=rec.duration or 1,
                mime_type=rec.mime_type,
                file_name=rec.file_name,
            )
        }
    if kind == "video_note":
        return {"video_note": build(tg.VideoNote, **common, length=240, duration=rec.duration or 1)}
    if kind == "sticker":
        return {
            "sticker": build(
                tg.Sticker,
                **common,
                type="regular",
                width=512,
                height=512,
                is_animated=False,
                is_video=False,
                emoji=params.get("emoji") or "🙂",
            )
        }
    raise ValueError(kind)
