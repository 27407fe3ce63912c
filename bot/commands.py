"""The command table: who may use which command, where, and how it is described.

Each handlers module exports `COMMANDS`; `handlers.all_commands()` collects them. `/help`,
the Telegram command menu (setMyCommands), the group deep-link replies and the "not for your
role" refusals all read this one table.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Literal

Where = Literal["private", "group", "both"]


class Access(IntEnum):
    """Minimum standing; compare with `services.authz.role_rank`."""

    ANYONE = -1  # also unverified and pending residents
    RESIDENT = 0  # verified
    BUILDING_CHIEF = 1
    GRID_CHIEF = 2
    ADMIN = 3


@dataclass(frozen=True)
class CommandSpec:
    name: str
    access: Access = Access.RESIDENT
    where: Where = "private"

    @property
    def description_key(self) -> str:
        """i18n id of the one-line description shown in /help and the menu."""
        return f"cmd-{self.name.replace('_', '-')}"

    def allowed_for(self, rank: int) -> bool:
        return rank >= self.access

    @property
    def in_private(self) -> bool:
        return self.where in ("private", "both")

    @property
    def in_group(self) -> bool:
        return self.where in ("group", "both")
