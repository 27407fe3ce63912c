"""Erasure (services/privacy.py): deleting an account removes what identifies the resident in
one transaction, once; chiefs and admins must hand their role over first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from linli.models import AuditLog, Resident, ResidentStatus
from linli.models.complaints import (
    Complaint,
    ComplaintCategory,
    ComplaintEvent,
    ComplaintStatus,
)
from linli.models.db import write_transaction
from linli.models.points import (
    LedgerEntry,
    LedgerKind,
    PointsPrivacy,
    Redemption,
    RedemptionState,
    RewardItem,
)
from linli.models.wishes import Wish, WishCategory, WishEvent, WishStatus
from linli.services import ledger, privacy, residents
from linli.services.errors import PermissionDenied, StaleAction
from tests.support import B1_CHIEF
from tests.support_services import admin, building, resident, verified

Db = async_sessionmaker[AsyncSession]
NOW = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
TELEGRAM_ID = 8001


async def _resident_with_history(session: AsyncSession) -> int:
    someone = await verified(session, TELEGRAM_ID, "第一网格", "1号楼", display_name="王小明")
    someone.username = "xiaoming"
    session.add(
        AuditLog(actor_id=someone.id, actor_telegram_id=TELEGRAM_ID, action="test.something")
    )
    await session.commit()
    return someone.id


async def test_deleting_an_account_erases_who_they_were(db: Db) -> None:
    async with db() as session:
        resident_id = await _resident_with_history(session)
        document = await privacy.export(session, await residents.get(session, resident_id), NOW)
        assert "王小明" in privacy.export_json(document).decode()
    async with db() as session:
        assert await privacy.delete_account(session, resident_id, NOW) == privacy.Deleted()
    async with db() as session:
        gone = await session.get(Resident, resident_id)
        assert gone is not None and gone.deleted_at is not None
        assert gone.telegram_id == privacy.deleted_telegram_id(resident_id)
        assert (gone.display_name, gone.username, gone.status) == ("", None, ResidentStatus.BLOCKED)
        shown = await session.get(PointsPrivacy, resident_id)
        assert shown is not None and shown.as_neighbour
        logged = (
            await session.execute(
                select(AuditLog.action, AuditLog.actor_telegram_id).order_by(AuditLog.id)
            )
        ).all()
        assert ("test.something", None) in logged and ("privacy.delete", None) in logged
        assert all(telegram_id != TELEGRAM_ID for _action, telegram_id in logged)


async def test_a_second_deletion_is_stale_and_changes_nothing(db: Db) -> None:
    async with db() as session:
        resident_id = await _resident_with_history(session)
        await privacy.delete_account(session, resident_id, NOW)
    async with db() as session:
        with pytest.raises(StaleAction):
            await privacy.delete_account(session, resident_id, NOW)
    async with db() as session:
        deletions = await session.scalars(
            select(AuditLog.id).where(AuditLog.action == "privacy.delete")
        )
        assert len(deletions.all()) == 1


async def test_the_same_person_coming_back_is_someone_new(db: Db) -> None:
    async with db() as session:
        resident_id = await _resident_with_history(session)
        await privacy.delete_account(session, resident_id, NOW)
    async with db() as session:
        profile = residents.TelegramProfile(TELEGRAM_ID, "王小明", "xiaoming")
        back = await residents.load(session, profile, create=True)
        assert back is not None and back.id != resident_id
        assert back.status == ResidentStatus.PENDING and back.building_id is None


async def test_chiefs_and_admins_hand_their_role_over_first(db: Db) -> None:
    async with db() as session:
        chief_id = (await resident(session, B1_CHIEF)).id
        admin_id = (await admin(session)).id
    for resident_id, key in ((chief_id, "privacy-error-chief"), (admin_id, "privacy-error-admin")):
        async with db() as session:
            with pytest.raises(PermissionDenied) as refused:
                await privacy.delete_account(session, resident_id, NOW)
            assert refused.value.key == key
        async with db() as session:
            kept = await session.get(Resident, resident_id)
            assert kept is not None and kept.deleted_at is None and kept.telegram_id > 0


async def test_deletion_gives_back_claimed_wishes_and_reserved_rewards(db: Db) -> None:
    """A wish the resident claimed goes back to the pool (a history row); a reward they
    reserved is cancelled, back in stock, and its cost refunded by a ledger entry, before
    the row is anonymised. Their own claimed wish is withdrawn and its claimer is to be
    told."""
    async with db() as session:
        resident_id = await _resident_with_history(session)
        home = await building(session, "第一网格", "1号楼")
        other = await verified(session, 8002, "第一网格", "1号楼", display_name="李奶奶")
        item = RewardItem(community_id=other.community_id, name="大米", cost=15, stock=2)
        theirs = Wish(
            grid_id=home.grid_id,
            building_id=home.id,
            author_id=other.id,
            category=WishCategory.DAILY,
            text="想请人陪我去医院",
            status=WishStatus.CLAIMED,
            claimer_id=resident_id,
            claimed_at=NOW,
        )
        mine = Wish(
            grid_id=home.grid_id,
            building_id=home.id,
            author_id=resident_id,
            category=WishCategory.DAILY,
            text="想学用手机",
            status=WishStatus.CLAIMED,
            claimer_id=other.id,
            claimed_at=NOW,
        )
        session.add_all([item, theirs, mine])
        await session.flush()
        await ledger.post(
            session, resident_id=resident_id, delta=40, kind=LedgerKind.AWARD, idempotency_key="a"
        )
        reservation = Redemption(
            resident_id=resident_id,
            item_id=item.id,
            cost=15,
            pickup_code="1111",
            idempotency_key="redeem:seed",
            expires_at=NOW + timedelta(days=7),
        )
        session.add(reservation)
        await ledger.post(
            session,
            resident_id=resident_id,
            delta=-15,
            kind=LedgerKind.REDEMPTION,
            idempotency_key="redeem:seed",
        )
        await session.commit()
        ids = (theirs.id, mine.id, reservation.id, item.id)
    async with db() as session:
        deleted = await privacy.delete_account(session, resident_id, NOW)
        assert deleted.released == [ids[0]] and deleted.withdrawn == [ids[1]]
        assert deleted.refunded == 15
    async with db() as session:
        back = await session.get(Wish, ids[0])
        assert back is not None and back.status == WishStatus.OPEN and back.claimer_id is None
        history = (
            await session.scalars(
                select(WishEvent.action).where(WishEvent.wish_id == ids[0]).order_by(WishEvent.id)
            )
        ).all()
        assert history == ["released"]
        cancelled = await session.get(Redemption, ids[2])
        assert cancelled is not None and cancelled.state == RedemptionState.CANCELLED
        restocked = await session.get(RewardItem, ids[3])
        assert restocked is not None and restocked.stock == 3
        refund = await session.scalar(
            select(LedgerEntry).where(LedgerEntry.kind == LedgerKind.REFUND)
        )
        assert refund is not None and refund.delta == 15 and refund.reference == f"R{ids[2]}"
        assert await ledger.balance(session, resident_id) == 40
        assert await ledger.cached_balance(session, resident_id) == 40


async def test_retention_purges_the_copies_in_the_history(db: Db) -> None:
    """An anonymous complaint's rating comment is copied into its history (`commented`),
    and chiefs attach result photos to it: both go with the retention purge; the codes and
    handler names in the history stay, and so does the history's shape."""
    async with db() as session:
        home = await building(session, "第一网格", "1号楼")
        complaints = []
        for anonymous in (True, False):
            complaint = Complaint(
                grid_id=home.grid_id,
                building_id=home.id,
                category=ComplaintCategory.NOISE,
                anonymous=anonymous,
                text="302 每晚唱歌到一点",
                rating=2,
                rating_comment="302 的人还是很吵",
                status=ComplaintStatus.CLOSED,
                closed_at=NOW - timedelta(days=400),
            )
            session.add(complaint)
            await session.flush()
            session.add_all(
                [
                    ComplaintEvent(complaint_id=complaint.id, action="assigned", note="物业"),
                    ComplaintEvent(
                        complaint_id=complaint.id,
                        action="resolved",
                        note="已找 302 谈话",
                        photo_file_id="AgResultPhoto",
                    ),
                    ComplaintEvent(
                        complaint_id=complaint.id, action="commented", note="302 的人还是很吵"
                    ),
                    ComplaintEvent(complaint_id=complaint.id, action="merged_in", note="C99"),
                ]
            )
            complaints.append(complaint.id)
        await session.commit()
    async with db() as session:
        assert await privacy.purge_expired(session, NOW, 365) == 2
        assert await privacy.purge_expired(session, NOW, 365) == 0
    async with db() as session:
        rows = (
            await session.execute(
                select(
                    ComplaintEvent.complaint_id,
                    ComplaintEvent.action,
                    ComplaintEvent.note,
                    ComplaintEvent.photo_file_id,
                ).order_by(ComplaintEvent.id)
            )
        ).all()
        anonymous, named = complaints
        marker = privacy.RETENTION_MARKER
        assert [tuple(r) for r in rows] == [
            (anonymous, "assigned", "物业", None),
            (anonymous, "resolved", marker, None),
            (anonymous, "commented", marker, None),
            (anonymous, "merged_in", "C99", None),
            (named, "assigned", "物业", None),
            (named, "resolved", "已找 302 谈话", None),
            (named, "commented", "302 的人还是很吵", None),
            (named, "merged_in", "C99", None),
        ]


async def test_complaint_history_allows_only_the_purge(db: Db) -> None:
    """Migration 0018: complaint_events refuse every change but the retention purge (a note
    replaced by the marker, a photo removed), on SQLite and PostgreSQL."""
    async with db() as session:
        home = await building(session, "第一网格", "1号楼")
        complaint = Complaint(
            grid_id=home.grid_id, building_id=home.id, category=ComplaintCategory.NOISE
        )
        session.add(complaint)
        await session.flush()
        session.add(
            ComplaintEvent(
                complaint_id=complaint.id, action="resolved", note="修好了", photo_file_id="Ag1"
            )
        )
        await session.commit()
    marker = privacy.RETENTION_MARKER
    for values in (
        {"note": "forged"},
        {"photo_file_id": "AgOther"},
        {"action": "rejected"},
        {"note": marker, "rating": 5},
        {"photo_file_id": None, "actor_id": 7},
    ):
        async with db() as session:
            with pytest.raises(DBAPIError, match="append-only"):
                async with write_transaction(session):
                    await session.execute(update(ComplaintEvent).values(**values))
    async with db() as session:
        with pytest.raises(DBAPIError, match="append-only"):
            async with write_transaction(session):
                await session.execute(delete(ComplaintEvent))
    async with db() as session, write_transaction(session):
        await session.execute(update(ComplaintEvent).values(note=marker, photo_file_id=None))
    async with db() as session:
        event = await session.scalar(select(ComplaintEvent))
        assert event is not None and (event.note, event.photo_file_id) == (marker, None)
