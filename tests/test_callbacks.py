"""Every CallbackData prefix is unique across the bot."""

from __future__ import annotations

import importlib
import pkgutil
from collections import Counter

from aiogram.filters.callback_data import CallbackData

import linli.bot.callbacks as callbacks_package


def test_callback_prefixes_are_unique() -> None:
    prefixes: list[str] = []
    for info in pkgutil.iter_modules(callbacks_package.__path__):
        module = importlib.import_module(f"linli.bot.callbacks.{info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, CallbackData)
                and value is not CallbackData
                and value.__module__ == module.__name__
            ):
                prefixes.append(value.__prefix__)
    duplicates = [prefix for prefix, n in Counter(prefixes).items() if n > 1]
    assert prefixes and duplicates == []
