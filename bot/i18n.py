"""i18n with Fluent (aiogram-i18n + fluent.runtime).

Catalogues live in `bot/locales/<locale>/*.ftl`, one file per feature, so each feature owns
its texts. `zh` is Simplified Chinese (zh_CN), `en` English. A resident's saved `/lang`
choice wins; otherwise their Telegram language picks; otherwise DEFAULT_LANGUAGE.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiogram.types import User
from aiogram_i18n.cores import FluentRuntimeCore
from aiogram_i18n.managers import BaseManager
from fluent.runtime import FluentBundle
from sqlalchemy.ext.asyncio import AsyncSession

from linli.models import Resident
from linli.services import residents as resident_service

LOCALES_DIR = Path(__file__).parent / "locales"
LOCALES = ("zh", "en")


def locale_from_telegram(language_code: str | None, default: str) -> str:
    if not language_code:
        return default
    code = language_code.lower()
    if code.startswith("zh"):
        return "zh"
    if code.startswith("en"):
        return "en"
    return default


def locale_of(resident: Resident | None, user: User | None, default: str) -> str:
    if resident is not None and resident.language in LOCALES:
        return resident.language
    return locale_from_telegram(user.language_code if user else None, default)


_PARSED: dict[tuple[object, ...], dict[str, FluentBundle]] = {}


class CatalogueCore(FluentRuntimeCore):
    """aiogram-i18n's Fluent core, parsing the catalogues once per process: every bot built
    in a process (the demo, several tests, the web cockpit beside the bot) and every start-up
    would otherwise parse and compile all of them again. A catalogue file that changes on
    disk (size or time) is parsed anew. The bundles are not changed after compiling, so
    sharing them is safe."""

    def find_locales(self) -> dict[str, FluentBundle]:
        files = sorted(LOCALES_DIR.rglob("*.ftl"))
        key = (
            str(self.path),
            self.use_isolating,
            tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files),
        )
        if key not in _PARSED:
            _PARSED.clear()
            _PARSED[key] = super().find_locales()
        return dict(_PARSED[key])


class Translator:
    """Formats messages outside a handler, e.g. for another resident in their language."""

    def __init__(self, default_locale: str) -> None:
        self.default_locale = default_locale
        self.core = CatalogueCore(
            path=LOCALES_DIR / "{locale}", default_locale=default_locale, use_td=False
        )
        self.core.locales = self.core.find_locales()

    def get(self, key: str, locale: str | None = None, /, **kwargs: Any) -> str:
        return self.core.get(key, locale or self.default_locale, **kwargs)

    def for_resident(self, resident: Resident | None, key: str, **kwargs: Any) -> str:
        return self.get(key, locale_of(resident, None, self.default_locale), **kwargs)

    def keys(self, locale: str) -> set[str]:
        return set(self.core.locales[locale]._messages)


class ResidentLocaleManager(BaseManager):
    """Reads the locale from the resident loaded by `UpdateContextMiddleware`; `/lang` saves it."""

    async def get_locale(
        self,
        event_from_user: User | None = None,
        resident: Resident | None = None,
        **_: Any,
    ) -> str:
        return locale_of(resident, event_from_user, self.default_locale or "zh")

    async def set_locale(
        self,
        locale: str,
        resident: Resident | None = None,
        session: AsyncSession | None = None,
        **_: Any,
    ) -> None:
        if resident is not None and session is not None:
            await resident_service.set_language(session, resident, locale)
