"""Keyboards of registration, approval, language and binding."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from linli.bot.callbacks.registration import (
    BackToGrids,
    BindUnit,
    PickBuilding,
    PickGrid,
    PickLanguage,
    ReviewApplicant,
)
from linli.models import Building, Grid
from linli.services.bindings import Unit


def grids(items: list[tuple[Grid, str]]) -> InlineKeyboardMarkup:
    """`items` pairs each grid with its label (the community name is added when several)."""
    builder = InlineKeyboardBuilder()
    for grid, label in items:
        builder.button(text=label, callback_data=PickGrid(grid_id=grid.id))
    builder.adjust(1)
    return builder.as_markup()


def buildings(items: list[Building], back_text: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for building in items:
        builder.button(text=building.name, callback_data=PickBuilding(building_id=building.id))
    builder.adjust(2)
    builder.row(InlineKeyboardButton(text=back_text, callback_data=BackToGrids().pack()))
    return builder.as_markup()


def review(resident_id: int, approve_text: str, reject_text: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=approve_text, callback_data=ReviewApplicant(resident_id=resident_id, approve=True)
    )
    builder.button(
        text=reject_text, callback_data=ReviewApplicant(resident_id=resident_id, approve=False)
    )
    return builder.as_markup()


def languages() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text="中文", callback_data=PickLanguage(code="zh"))
    builder.button(text="English", callback_data=PickLanguage(code="en"))
    return builder.as_markup()


def units(items: list[Unit], grid_label: str, building_label: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for unit in items:
        prefix = grid_label if unit.kind == "grid" else building_label
        builder.button(
            text=f"{prefix}: {unit.label}", callback_data=BindUnit(kind=unit.kind, unit_id=unit.id)
        )
    builder.adjust(1)
    return builder.as_markup()
