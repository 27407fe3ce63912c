"""Micro-wish rules straight on the services (no bot, no HTTP): the actions each resident
may take in each state, the refusals, and that a repeated press changes nothing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from linli.config.casework import CaseworkSettings
from linli.models import Resident
from linli.models.points import LedgerEntry
from linli.models.wishes import Wish, WishEvent, WishStatus
from linli.services import wishes
from linli.services.errors import DomainError, InvalidState, PermissionDenied, ValidationFailed
from linli.services.wishes import WishAction
from tests.support import B1_CHIEF
from tests.support_casework import neighbour, new_wish, person, place

W = WishAction
AUTHOR, HELPER, OTHER = 5001, 5002, 5003
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
POINTS = CaseworkSettings(_env_file=None).points_for
Db = async_sessionmaker[AsyncSession]


async def allowed(db: Db, telegram_id: int, wish_id: int) -> list[WishAction]:
    async with db() as session:
        data = await wishes.info(session, wish_id)
        return wishes.allowed_actions(data.wish, await person(session, telegram_id))


CALLS: dict[str, Callable[[AsyncSession, Resident, int], Awaitable[object]]] = {
    "claim": lambda session, actor, wid: wishes.claim(session, actor, wid, NOW),
    "release": lambda session, actor, wid: wishes.release(session, actor, wid, NOW),
    "withdraw": lambda session, actor, wid: wishes.withdraw(session, actor, wid, NOW),
    "fulfil": lambda session, actor, wid: wishes.fulfil(session, actor, wid, NOW, POINTS),
    "msg": wishes.relay_peer,
}


async def refused(db: Db, call: str, telegram_id: int, wish_id: int) -> DomainError:
    """The error service `call` raises for `telegram_id`, in a session of its own."""
    async with db() as session:
        actor = await person(session, telegram_id)
        with pytest.raises(DomainError) as error:
            await CALLS[call](session, actor, wish_id)
    return error.value


async def count(db: Db, what: object) -> int:
    async with db() as session:
        return int(await session.scalar(select(func.count()).select_from(what)) or 0)


async def posted(db: Db) -> int:
    async with db() as session:
        author = await neighbour(session, AUTHOR)
        await neighbour(session, HELPER, building="2号楼")
        await neighbour(session, OTHER, building="3号楼")
        return await new_wish(session, author, NOW)


async def test_allowed_actions_follow_the_state_and_the_role(db: Db) -> None:
    wid = await posted(db)
    assert await allowed(db, AUTHOR, wid) == [W.WITHDRAW]
    assert await allowed(db, HELPER, wid) == [W.CLAIM]
    assert await allowed(db, B1_CHIEF, wid) == [W.CLAIM]

    async with db() as session:
        await wishes.claim(session, await person(session, HELPER), wid, NOW)
    assert await allowed(db, AUTHOR, wid) == [W.FULFIL, W.MSG, W.WITHDRAW]
    assert await allowed(db, HELPER, wid) == [W.MSG, W.RELEASE]
    assert await allowed(db, OTHER, wid) == []

    async with db() as session:
        await wishes.release(session, await person(session, HELPER), wid, NOW)
    assert await allowed(db, HELPER, wid) == [W.CLAIM]
    async with db() as session:
        await wishes.withdraw(session, await person(session, AUTHOR), wid, NOW)
    for telegram_id in (AUTHOR, HELPER, OTHER):
        assert await allowed(db, telegram_id, wid) == []


async def test_refusals_say_why_and_change_nothing(db: Db) -> None:
    wid = await posted(db)
    assert (await refused(db, "claim", AUTHOR, wid)).key == "wish-error-own"
    assert (await refused(db, "withdraw", OTHER, wid)).key == "wish-error-not-author"
    assert (await refused(db, "fulfil", OTHER, wid)).key == "wish-error-not-author"
    assert (await refused(db, "msg", OTHER, wid)).key == "wish-error-state"
    async with db() as session:
        await wishes.claim(session, await person(session, HELPER), wid, NOW)
    assert (await refused(db, "claim", OTHER, wid)).key == "wish-error-taken"
    assert (await refused(db, "release", OTHER, wid)).key == "wish-error-not-claimer"
    assert (await refused(db, "msg", OTHER, wid)).key == "wish-error-not-party"
    async with db() as session:
        _data, peer, role = await wishes.relay_peer(session, await person(session, HELPER), wid)
    assert (peer.telegram_id, role) == (AUTHOR, "claimer")
    assert await count(db, WishEvent) == 2  # posted, claimed


async def test_fulfilment_credits_the_claimer_once(db: Db) -> None:
    wid = await posted(db)
    async with db() as session:
        await wishes.claim(session, await person(session, HELPER), wid, NOW)
    async with db() as session:
        wish = await wishes.fulfil(session, await person(session, AUTHOR), wid, NOW, POINTS)
    assert wish.status == WishStatus.FULFILLED and wish.points == 10
    error = await refused(db, "fulfil", AUTHOR, wid)
    assert isinstance(error, InvalidState) and error.key == "wish-error-state"
    async with db() as session:
        entries = (await session.scalars(select(LedgerEntry))).all()
        helper = await person(session, HELPER)
    assert [(e.resident_id, e.delta, e.reference) for e in entries] == [(helper.id, 10, "W1")]


async def test_the_entering_chief_acts_for_the_resident_and_cannot_claim(db: Db) -> None:
    """A wish entered by a chief for a resident without a phone: the chief is its author
    (withdraws, confirms, writes to the claimer) and so cannot claim it themself."""
    async with db() as session:
        await neighbour(session, HELPER, building="2号楼")
        home = await place(session, "第一网格", "1号楼")
        chief = await person(session, B1_CHIEF)
        wid = await new_wish(session, chief, NOW, offline_author="王奶奶", building_id=home.id)
    assert await allowed(db, B1_CHIEF, wid) == [W.WITHDRAW]
    error = await refused(db, "claim", B1_CHIEF, wid)
    assert isinstance(error, InvalidState) and error.key == "wish-error-own"
    async with db() as session:
        await wishes.claim(session, await person(session, HELPER), wid, NOW)
    assert await allowed(db, B1_CHIEF, wid) == [W.FULFIL, W.MSG, W.WITHDRAW]
    async with db() as session:
        _data, peer, role = await wishes.relay_peer(session, await person(session, HELPER), wid)
    assert (peer.telegram_id, role) == (B1_CHIEF, "claimer")
    error = await refused(db, "withdraw", HELPER, wid)
    assert isinstance(error, PermissionDenied)


async def test_nobody_is_credited_for_a_wish_they_posted_or_entered(db: Db) -> None:
    """Issue 12: a chief entering a wish for an invented resident, then claiming and
    confirming it, as often as they like. Neither may claim; and a claim that got past
    the rules anyway (written straight into the row) is never confirmed nor credited."""
    async with db() as session:
        author = await neighbour(session, AUTHOR)
        home = await place(session, "第一网格", "1号楼")
        chief = await person(session, B1_CHIEF)
        entered = await new_wish(session, chief, NOW, offline_author="王奶奶", building_id=home.id)
        own = await new_wish(session, author, NOW)
    for telegram_id, wid in ((B1_CHIEF, entered), (AUTHOR, own)):
        assert (await refused(db, "claim", telegram_id, wid)).key == "wish-error-own"
        async with db() as session:
            forced = await person(session, telegram_id)
            await session.execute(
                update(Wish)
                .where(Wish.id == wid)
                .values(status=WishStatus.CLAIMED, claimer_id=forced.id)
            )
            await session.commit()
        assert W.FULFIL not in await allowed(db, telegram_id, wid)
        error = await refused(db, "fulfil", telegram_id, wid)
        assert isinstance(error, PermissionDenied) and error.key == "wish-error-self-credit"
    assert await count(db, LedgerEntry) == 0
    assert await count(db, WishEvent) == 2  # posted twice, nothing else


def test_a_wish_needs_words_a_voice_message_or_a_photo() -> None:
    for text in ("👍👍", "？！。", "   "):
        with pytest.raises(ValidationFailed) as error:
            wishes.check_text(text)
        assert error.value.params == {"limit": str(wishes.TEXT_MAX)}
    assert wishes.check_text("👍", required=False) == ""
    assert wishes.check_text(" 想要一袋米 ") == "想要一袋米"
