"""Keyboards of registration, approval, language and binding."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from linli.bot.callbacks.registration import (
    BackToGrids,
    BindUnit,
    PickBuilding,
    PickGrid,
    PickLanguage,
    ReviewApplicant,
)
from linli.bot.keyboards import button, rows
from linli.models import Building, Grid
from linli.services.bindings import Unit


def grids(items: list[tuple[Grid, str]]) -> InlineKeyboardMarkup:
    """`items` pairs each grid with its label (the community name is added when several)."""
    picks = [button(label, PickGrid(grid_id=grid.id)) for grid, label in items]
    return InlineKeyboardMarkup(inline_keyboard=rows(picks))


def buildings(items: list[Building], back_text: str) -> InlineKeyboardMarkup:
    picks = [button(b.name, PickBuilding(building_id=b.id)) for b in items]
    return InlineKeyboardMarkup(
        inline_keyboard=[*rows(picks, 2), [button(back_text, BackToGrids())]]
    )


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
