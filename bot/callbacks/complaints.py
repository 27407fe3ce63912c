"""Buttons of complaints, /queue and /my (prefixes c*)."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class ComplaintCategoryPick(CallbackData, prefix="ck"):
    code: str


class ComplaintStep(CallbackData, prefix="cd"):
    """A step of a draft or a chief's input: new, photos_done, noloc, anon_yes, anon_no,
    confirm, edit, cancel, nophoto (resolution), nocomment (rating), reason_ok (reopen or
    appeal with the reason given)."""

    action: str


class ComplaintBuildingPick(CallbackData, prefix="cb"):
    building_id: int


class MeToo(CallbackData, prefix="cm"):
    complaint_id: int


class ComplaintView(StrEnum):
    """Buttons of `ComplaintAct` that show something and change nothing (the others are
    `services.complaints.ComplaintAction`)."""

    OPEN = "open"  # the chief's card
    MINE = "mine"  # a follower's card
    VOICE = "voice"
    PHOTOS = "photos"
    MAP = "map"  # the location as a map pin


class ComplaintAct(CallbackData, prefix="ca"):
    """A `ComplaintAction` (accept, start, reject, resolve, assign, merge, rate, reopen,
    close, appeal) or a `ComplaintView` (open, mine, voice, photos, map) on a complaint."""

    complaint_id: int
    action: str


class ComplaintAssign(CallbackData, prefix="cs"):
    complaint_id: int
    kind: str  # "c" a chief, "h" a named handler
    target_id: int


class ComplaintRate(CallbackData, prefix="cr"):
    complaint_id: int
    stars: int


class QueuePage(CallbackData, prefix="cq"):
    page: int


class MyPage(CallbackData, prefix="cy"):
    page: int


class HandlerRemove(CallbackData, prefix="ch"):
    handler_id: int


class ComplaintReason(CallbackData, prefix="cn"):
    """A common reason picked for reopening or appealing (`action`): its `code`."""

    complaint_id: int
    action: str
    code: str


class ComplaintMerge(CallbackData, prefix="cg"):
    """Merge `complaint_id` into `target_id`: picked from the list (`ok` 0), then
    confirmed (`ok` 1)."""

    complaint_id: int
    target_id: int
    ok: int = 0


class Unsorted(CallbackData, prefix="cu"):
    """What something sent outside any flow is (handlers/fallback.py): `complaint`,
    `wish`, `comment`, `topic` (with `topic_id`) or `none`."""

    kind: str
    topic_id: int = 0
