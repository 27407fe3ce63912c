"""Role filters for routers (UX only: services check the same rules again)."""

from __future__ import annotations

from aiogram.filters import BaseFilter
from aiogram.types import TelegramObject

from linli.bot.commands import Access
from linli.models import Resident
from linli.services.authz import role_rank


class HasAccess(BaseFilter):
    """Passes when the current resident's standing is at least `access`."""

    def __init__(self, access: Access) -> None:
        self.access = access

    async def __call__(self, event: TelegramObject, resident: Resident | None = None) -> bool:
        return role_rank(resident) >= self.access
