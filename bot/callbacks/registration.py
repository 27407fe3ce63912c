"""Buttons of registration, approval, language and group binding."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class PickGrid(CallbackData, prefix="rg"):
    grid_id: int


class PickBuilding(CallbackData, prefix="rb"):
    building_id: int


class BackToGrids(CallbackData, prefix="rgb"):
    pass


class ReviewApplicant(CallbackData, prefix="rv"):
    resident_id: int
    approve: bool


class PickLanguage(CallbackData, prefix="lg"):
    code: str


class BindUnit(CallbackData, prefix="bu"):
    kind: str  # "grid" | "building"
    unit_id: int
