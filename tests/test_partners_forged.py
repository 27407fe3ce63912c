"""Every 共驻共建 button forged with ids out of range (huge, zero, negative) gets a clear
refusal and logs no error (a crash would fail the test: see the `emu` fixture), for a
resident and for a partner member, in a private chat."""

from __future__ import annotations

import inspect
import typing

from aiogram.filters.callback_data import CallbackData

from linli.bot.callbacks import partners as factories
from linli.models.partners import Need, PartnerMember, Project, Resource
from tests.support import Harness
from tests.support_partners import MEMBER, unit_with_member

NEIGHBOUR = 7501
IDS = ("99999999999999999999", "0", "-1")


def forged(value: str) -> list[str]:
    """One packed button per factory: every int field `value`, every other field "open"."""
    out = []
    for _name, factory in inspect.getmembers(factories, inspect.isclass):
        if not issubclass(factory, CallbackData) or factory is CallbackData:
            continue
        hints = typing.get_type_hints(factory)
        fields = [name for name in factory.model_fields]
        parts = [value if hints[name] is int else "open" for name in fields]
        out.append(":".join([factory.__prefix__, *parts]))
    return out


async def test_forged_ids_on_every_partner_button_are_refused(h: Harness) -> None:
    await h.add_resident(NEIGHBOUR, "第一网格", "1号楼", name="老陈")
    await unit_with_member(h)
    before = [await h.count(t) for t in (PartnerMember, Need, Project, Resource)]
    for uid in (NEIGHBOUR, MEMBER):
        menu = await h.ask(uid, "/partners")
        for value in IDS:
            for data in forged(value):
                pressed = await h.press_data(uid, menu, data)
                assert pressed.alert, (uid, data)
                assert len(pressed.alert) <= 200
    assert [await h.count(t) for t in (PartnerMember, Need, Project, Resource)] == before
