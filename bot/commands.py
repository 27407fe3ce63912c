"""The command table: who may use which command, where, and how it is described.

Each handlers module exports `COMMANDS`; `handlers.all_commands()` collects them and the app
factory injects the table into handlers and startup hooks as `commands` (a `CommandTable`).
`/help`, the Telegram command menu (setMyCommands), the group deep-link replies and the "not
for your role" refusals all read this one table.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
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


class CommandTable:
    """Every command of every feature, in the order of `handlers.FEATURES`."""

    def __init__(self, specs: Iterable[CommandSpec]) -> None:
        self.specs = tuple(specs)
        self._by_name = {spec.name: spec for spec in reversed(self.specs)}

    def __iter__(self) -> Iterator[CommandSpec]:
        return iter(self.specs)

    def get(self, name: str) -> CommandSpec | None:
        return self._by_name.get(name)

    def visible(self, rank: int, *, private: bool) -> list[CommandSpec]:
        """The commands someone of standing `rank` may use in a private chat or a group."""
        return [
            spec
            for spec in self.specs
            if spec.allowed_for(rank) and (spec.in_private if private else spec.in_group)
        ]

    def private_names(self) -> list[str]:
        return [spec.name for spec in self.specs if spec.in_private]
