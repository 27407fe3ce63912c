"""Keyboards of /privacy. Builders take `t`, a translate function (`i18n.get`)."""

from __future__ import annotations

from collections.abc import Callable

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from linli.bot.callbacks.points import PrivacyChoice
from linli.bot.callbacks.privacy import PrivacyDelete, PrivacyMenu

T = Callable[..., str]


def menu(t: T, *, leaderboard: bool) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=t("privacy-button-download"), callback_data=PrivacyMenu(action="dl"))
    if leaderboard:
        builder.button(text=t("privacy-button-leaderboard"), callback_data=PrivacyMenu(action="lb"))
    builder.button(text=t("privacy-button-delete"), callback_data=PrivacyMenu(action="del"))
    builder.adjust(1)
    return builder.as_markup()


def leaderboard(t: T, building: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=t("privacy-button-name"), callback_data=PrivacyChoice(neighbour=False))
    builder.button(
        text=t("privacy-button-neighbour", building=building),
        callback_data=PrivacyChoice(neighbour=True),
    )
    builder.button(text=t("privacy-button-back"), callback_data=PrivacyMenu(action="menu"))
    builder.adjust(1)
    return builder.as_markup()


def confirm_delete(t: T, resident_id: int, ts: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=t("privacy-button-delete-yes"),
        callback_data=PrivacyDelete(rid=resident_id, ts=ts, go=True),
    )
    builder.button(
        text=t("privacy-button-delete-no"),
        callback_data=PrivacyDelete(rid=resident_id, ts=ts, go=False),
    )
    builder.adjust(1)
    return builder.as_markup()
