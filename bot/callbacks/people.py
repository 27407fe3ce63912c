"""Buttons of the chiefs' people lists: `/residents` (rs*) and the `/grant` picker (gt*).

A list's position travels in the button (filter, building, page), so a button pressed on
another device or after the conversation state expired still shows the same list; a typed
search word is the only part kept in the conversation state (`search` says to apply it).

| prefix | factory |
| --- | --- |
| rsl | ResidentsList: a page of /residents with its filters |
| rsb | ResidentsBuildings: choose the building to filter by |
| rso | ResidentsOpen: one person's card |
| rsd | ResidentsDecide: approve or reject an applicant, back to the list |
| gtp | GrantPage: a page of the people to pick from |
| gtw | GrantWho: the person picked; asks the role |
| gtr | GrantRole: the role picked; asks the area (chiefs) or confirmation |
| gtu | GrantUnit: the area picked; asks confirmation |
| gty | GrantConfirm: do it |
| gtx | GrantCancel: leave the picker |
"""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class ResidentsList(CallbackData, prefix="rsl"):
    """`status` "" (everyone), "pending" or "verified"; `building` 0 for all of the area."""

    status: str = ""
    building: int = 0
    page: int = 0
    search: bool = False


class ResidentsBuildings(CallbackData, prefix="rsb"):
    status: str = ""
    search: bool = False


class ResidentsOpen(CallbackData, prefix="rso"):
    rid: int
    status: str = ""
    building: int = 0
    page: int = 0
    search: bool = False


class ResidentsDecide(CallbackData, prefix="rsd"):
    rid: int
    approve: bool
    status: str = ""
    building: int = 0
    page: int = 0
    search: bool = False


class GrantPage(CallbackData, prefix="gtp"):
    page: int = 0
    search: bool = False


class GrantWho(CallbackData, prefix="gtw"):
    rid: int


class GrantRole(CallbackData, prefix="gtr"):
    rid: int
    role: str


class GrantUnit(CallbackData, prefix="gtu"):
    """`unit` is a grid id for grid chiefs, a building id for building chiefs."""

    rid: int
    role: str
    unit: int


class GrantConfirm(CallbackData, prefix="gty"):
    rid: int
    role: str
    unit: int = 0


class GrantCancel(CallbackData, prefix="gtx"):
    pass
