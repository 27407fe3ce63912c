"""Casework delivery: what residents and groups see of this feature outside a reply."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from linli.bot.delivery import Delivery


class CaseworkDelivery:
    def __init__(self, core: Delivery) -> None:
        self.core = core
