"""共驻共建 rules straight on the services (no bot, no HTTP): invitations (hashed, single
use, expiry), who manages a unit, nobody approving themselves, a unit's contact confined to
their unit, members without a building and `role_rank`, the needs' state machine with
projects, the ratings' scope, hazard reports routed to their building, the structure CSV's
coordinates, the personal-data export and deletion, and the cockpit's section."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from linli.config import Settings
from linli.config.web import WebSettings
from linli.models import Resident
from linli.models.deliberation import Scope as TopicScope
from linli.models.partners import (
    InviteKind,
    MemberState,
    NeedState,
    PartnerInvite,
    PartnerMember,
    PartnerUnit,
    Scope,
    SourceKind,
)
from linli.models.points import ActivitySignup
from linli.services import (
    activities,
    authz,
    cockpit_access,
    complaints,
    hazards,
    ledger,
    needs,
    partner_demo,
    partner_invites,
    partner_members,
    partners,
    privacy,
    projects,
    structure,
    topics,
)
from linli.services.errors import DomainError, PermissionDenied, StaleAction
from linli.web import create_web_app
from tests.support import GRID1_CHIEF, GRID2_CHIEF
from tests.support_services import admin, resident, verified

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
Db = async_sessionmaker[AsyncSession]
CONTACT, MEMBER, OTHER = 8001, 8002, 8003


async def newcomer(session: AsyncSession, telegram_id: int, name: str = "小李") -> Resident:
    """Someone who wrote to the bot and holds nothing yet (pending, no building)."""
    person = Resident(telegram_id=telegram_id, display_name=name)
    session.add(person)
    await session.commit()
    return person


def token(invitation: partner_invites.Invitation) -> str:
    return invitation.payload.split("_", 1)[1]


async def unit(db: Db, *, name: str = "阳光小学", contact: int = CONTACT) -> int:
    """A unit whose contact accepted; returns its id."""
    async with db() as session:
        found, invitation = await partner_invites.register_unit(
            session,
            await admin(session),
            name=name,
            kind="school",
            address="",
            contact_name="王老师",
            now=NOW,
            days=7,
        )
        person = await newcomer(session, contact, "王老师")
        await partner_invites.accept(session, person, InviteKind.CONTACT, token(invitation), NOW)
        return found.id


async def member(db: Db, unit_id: int, telegram_id: int = MEMBER, contact: int = CONTACT) -> None:
    async with db() as session:
        boss = await resident(session, contact)
        link = await partner_invites.member_link(session, boss, unit_id, NOW, 30)
        person = await newcomer(session, telegram_id)
        accepted = await partner_invites.accept(
            session, person, InviteKind.MEMBER, token(link), NOW
        )
        assert accepted.membership is not None
        await partner_members.review(session, boss, accepted.membership.id, True, NOW)


async def test_invitations_are_hashed_single_use_and_expire(db: Db) -> None:
    async with db() as session:
        _unit, invitation = await partner_invites.register_unit(
            session, await admin(session), name="阳光小学", kind="school", address="",
            contact_name="王老师", now=NOW, days=7,
        )  # fmt: skip
        stored = (await session.scalars(select(PartnerInvite.token_hash))).all()
        assert token(invitation) not in stored and len(stored[0]) == 64
        await newcomer(session, CONTACT)
        await newcomer(session, OTHER)
    secret = token(invitation)
    later = NOW + timedelta(days=8)
    for who, kind, when in (
        (CONTACT, InviteKind.CONTACT, later),  # expired
        (CONTACT, InviteKind.MEMBER, NOW),  # the wrong kind of link
    ):
        async with db() as session:
            with pytest.raises(StaleAction):
                await partner_invites.accept(
                    session, await resident(session, who), kind, secret, when
                )
    async with db() as session:
        first = await resident(session, CONTACT)
        await partner_invites.accept(session, first, InviteKind.CONTACT, secret, NOW)
    async with db() as session:  # used
        second = await resident(session, OTHER)
        with pytest.raises(StaleAction):
            await partner_invites.accept(session, second, InviteKind.CONTACT, secret, NOW)
        person = await resident(session, CONTACT)
        assert person.is_verified and person.building_id is None
        assert authz.role_rank(person) == -1  # no resident's standing without a building


async def test_contacts_manage_only_their_unit_and_never_approve_themselves(db: Db) -> None:
    first = await unit(db)
    second = await unit(db, name="幸福物业", contact=OTHER)
    await member(db, first)
    async with db() as session:
        outsider = await resident(session, OTHER)
        for call in (
            partner_members.members(session, outsider, first),
            partner_invites.member_link(session, outsider, first, NOW, 30),
            partners.require_manager(session, outsider, first),
            partner_members.end_unit(session, outsider, first, NOW),
        ):
            with pytest.raises(PermissionDenied):
                await call
    async with db() as session:  # a request reviewed by its own author
        boss = await resident(session, OTHER)
        link = await partner_invites.member_link(session, boss, second, NOW, 30)
        person = await newcomer(session, 8004)
        accepted = await partner_invites.accept(
            session, person, InviteKind.MEMBER, token(link), NOW
        )
        assert accepted.membership is not None
        with pytest.raises(PermissionDenied):
            await partner_members.review(session, person, accepted.membership.id, True, NOW)
    async with db() as session:  # one live membership per person
        person = await resident(session, MEMBER)
        with pytest.raises(DomainError):
            await partner_invites.accept(session, person, InviteKind.MEMBER, token(link), NOW)


async def test_a_grid_chief_is_no_admin_of_units(db: Db) -> None:
    async with db() as session:
        chief = await resident(session, GRID1_CHIEF)
        with pytest.raises(PermissionDenied):
            await partner_invites.register_unit(
                session, chief, name="x", kind="school", address="", contact_name="y",
                now=NOW, days=7,
            )  # fmt: skip


async def test_needs_follow_their_project(db: Db) -> None:
    unit_id = await unit(db)
    async with db() as session:
        chief = await resident(session, GRID1_CHIEF)
        need = await needs.create(
            session,
            chief,
            needs.NeedDraft("助老食堂", "elderly", "grid-1", "", "normal"),
            NOW,
        )
        assert need.state == NeedState.OPEN
        other = await resident(session, GRID2_CHIEF)
        with pytest.raises(PermissionDenied):  # not their grid's need
            await projects.create(
                session,
                other,
                projects.ProjectDraft("x", "y", other.chief_grid_id or 0, unit_id, [need.id], [],
                                      NOW + timedelta(days=1), NOW + timedelta(days=9)),
                NOW,
            )  # fmt: skip
    async with db() as session:
        chief = await resident(session, GRID1_CHIEF)
        project = await projects.create(
            session,
            chief,
            projects.ProjectDraft("助老", "送餐", chief.chief_grid_id or 0, unit_id, [need.id], [],
                                  NOW + timedelta(days=1), NOW + timedelta(days=9)),
            NOW,
        )  # fmt: skip
        assert (await needs.get(session, need.id)).state == NeedState.MATCHED
        await projects.start(session, chief, project.id, NOW)
        assert (await needs.get(session, need.id)).state == NeedState.IN_PROGRESS
        await projects.cancel(session, chief, project.id, NOW)
        assert (await needs.get(session, need.id)).state == NeedState.OPEN
        with pytest.raises(DomainError):  # called off is final
            await projects.start(session, chief, project.id, NOW)


async def test_hazard_reports_stay_in_the_riders_grid(db: Db) -> None:
    async with db() as session:
        chief = await resident(session, GRID1_CHIEF)
        invitation = await hazards.invite_mobile(
            session, chief, "rider", chief.chief_grid_id or 0, NOW, 7
        )
        with pytest.raises(PermissionDenied):  # another grid
            await hazards.invite_mobile(session, chief, "rider", 2, NOW, 7)
        rider = await newcomer(session, 8101, "骑手")
        await partner_invites.accept(session, rider, InviteKind.MOBILE, token(invitation), NOW)
        places = await hazards.places(session, rider)
        assert {g.name for _b, g in places} == {"第一网格"}
        far = (await structure.get_building(session, 4))[0]
        with pytest.raises(PermissionDenied):
            await hazards.report(
                session,
                rider,
                hazards.HazardDraft(far.id, "井盖松动", ["photo"], None, None, None, True),
                NOW,
            )
        change = await hazards.report(
            session,
            rider,
            hazards.HazardDraft(places[0][0].id, "井盖松动", ["photo"], None, None, None, True),
            NOW,
        )
        assert change.complaint.anonymous and change.complaint.building_id == places[0][0].id
        assert GRID1_CHIEF in {c.telegram_id for c in change.notify_chiefs}


def test_structure_csv_coordinates() -> None:
    rows = structure.parse_structure_csv(
        "community,grid,building,lat,lon\n阳光社区,第一网格,1号楼,31.2304,121.4737\n"
    )
    assert (rows[0].lat, rows[0].lon) == (31.2304, 121.4737)
    for bad in ("31.2,", "north,121", "91,121", "31,121e1"):
        with pytest.raises(structure.StructureImportError):
            structure.parse_structure_csv(f"grid,building,lat,lon\n第一网格,1号楼,{bad}\n")
    assert hazards.distance_m(31.23, 121.47, 31.231, 121.47) == pytest.approx(111, abs=1)


async def test_personal_data_and_deletion(db: Db) -> None:
    unit_id = await unit(db)
    await member(db, unit_id)
    async with db() as session:
        person = await resident(session, MEMBER)
        await partner_members.set_party_member(session, person, True)
        document = await privacy.export(session, person, NOW)
        assert document["partners"]["memberships"][0]["party_member_in_service"] is True
        await privacy.delete_account(session, person.id, NOW)
    async with db() as session:
        row = await session.scalar(select(PartnerMember).where(PartnerMember.id == 2))
        assert row is not None and row.state == MemberState.LEFT and not row.party_member
        contact = await resident(session, CONTACT)
        await privacy.delete_account(session, contact.id, NOW)
        found = await session.get(PartnerUnit, unit_id, populate_existing=True)
        assert found is not None and found.contact_id is None


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={"web": WebSettings(public_url="http://cockpit.test", _env_file=None)}  # type: ignore[call-arg]
    )


@pytest.fixture
async def client(db: Db, settings: Settings) -> AsyncIterator[TestClient]:
    app = create_web_app(settings, db)
    async with TestClient(TestServer(app)) as test_client:
        yield test_client


async def test_the_cockpit_shows_the_partner_units(db: Db, client: TestClient) -> None:
    unit_id = await unit(db)
    await member(db, unit_id)
    now = datetime.now(UTC)
    async with db() as session:
        chief = await resident(session, GRID1_CHIEF)
        need = await needs.create(
            session, chief, needs.NeedDraft("助老", "elderly", "grid-1", "", "normal"), now
        )
        project = await projects.create(
            session,
            chief,
            projects.ProjectDraft("助老", "送餐", chief.chief_grid_id or 0, unit_id, [need.id], [],
                                  now - timedelta(days=1), now + timedelta(days=9)),
            now - timedelta(days=2),
        )  # fmt: skip
        await projects.start(session, chief, project.id, now)
        task = await projects.add_task(
            session, chief, project.id,
            activities.Draft("送餐", "食堂", now + timedelta(hours=1), 2, 5, 5, False), now,
        )  # fmt: skip
        person = await resident(session, MEMBER)
        await activities.sign_up(session, person, task.id, now=now)
        signup = await session.scalar(select(ActivitySignup))
        assert signup is not None
        signup.attended_at = now
        await session.commit()
        await activities.confirm(
            session,
            chief,
            task.id,
            now=now + timedelta(hours=1),
            caps=ledger.Caps.from_environment(),
        )
        # a rider's anonymous snap-and-report: counted, never named
        invitation = await hazards.invite_mobile(
            session, chief, "rider", chief.chief_grid_id or 0, now, 7
        )
        rider = await newcomer(session, 8101, "骑手小马")
        await partner_invites.accept(session, rider, InviteKind.MOBILE, token(invitation), now)
        building = (await hazards.places(session, rider))[0][0]
        snap = await hazards.report(
            session,
            rider,
            hazards.HazardDraft(building.id, "井盖松动", ["photo"], None, None, None, True),
            now,
        )
        link = await cockpit_access.create_link(session, await admin(session), now, 10)
    response = await client.post("/cockpit/login", data={"token": link}, allow_redirects=False)
    assert response.status == 303
    html = await (await client.get("/cockpit/c1/")).text()
    for name, value in (
        ("partner_units", "1"),
        ("partner_members", "2"),
        ("partner_members_active", "1"),
        ("partner_hours", "2.0"),
        ("partner_projects_live", "1"),
        ("partner_mobile_members", "1"),
        ("partner_hazard_reports", "1"),
    ):
        assert f'data-figure="{name}">{value}<' in html, name
    grid = await (await client.get("/cockpit/g1/")).text()
    assert "partner_units" not in grid
    listed = await (await client.get("/cockpit/c1/requests")).text()
    assert f">{snap.complaint.code}<" in listed and "骑手小马" not in listed
    detail = await client.get(f"/cockpit/c1/requests/{snap.complaint.id}")
    assert detail.status == 200
    text = await detail.text()
    assert "井盖松动" in text and "骑手小马" not in text
    exported = await (await client.get("/cockpit/c1/requests.csv")).read()
    assert "井盖松动".encode() in exported and "骑手小马".encode() not in exported


async def test_the_demo_unit_is_seeded_once(db: Db) -> None:
    for _ in range(2):
        async with db() as session:
            await partner_demo.seed_sample_unit(session)
    async with db() as session:
        units = (await session.scalars(select(PartnerUnit))).all()
        assert [u.name for u in units] == [partner_demo.UNIT]
        member = await resident(session, partner_demo.MEMBER[0])
        mine = await partners.standing(session, member)
        assert mine.is_member and mine.partner_only


async def test_needs_from_a_request_and_a_topic_link_back(db: Db) -> None:
    async with db() as session:
        author = await verified(session, 8201, "第一网格", "1号楼", display_name="老陈")
        filed = await complaints.create(
            session,
            author,
            category="safety",
            text="楼道灯坏了三天",
            voice_file_id=None,
            photo_file_ids=[],
            latitude=None,
            longitude=None,
            location_text=None,
            anonymous=True,
            now=NOW,
        )
        request_id = filed.complaint.id
        topic = await topics.propose(
            session,
            author,
            title="加装电梯",
            description="三楼以上老人多",
            voice=None,
            scope=TopicScope.BUILDING,
        )
        chief = await resident(session, GRID1_CHIEF)
        other = await resident(session, GRID2_CHIEF)
        listed = await needs.sources(session, chief, "C")
        assert [s.item_id for s in listed] == [request_id]
        assert listed[0].suggestion == ""  # a request's words are never suggested as a title
        assert [s.item_id for s in await needs.sources(session, chief, "T")] == [topic.id]
        for letter, item_id in (("C", request_id), ("T", topic.id)):
            with pytest.raises(DomainError):  # another grid's chief
                await needs.source(session, other, letter, item_id)
        made = {}
        for letter, item_id in (("C", request_id), ("T", topic.id)):
            need = await needs.create(
                session,
                chief,
                needs.NeedDraft("楼道照明", "safety", "", "", "normal", letter, item_id),
                NOW,
            )
            made[letter] = (need.source_kind, need.source_id, need.scope)
        assert made == {
            "C": (SourceKind.COMPLAINT, request_id, Scope.BUILDING),
            "T": (SourceKind.TOPIC, topic.id, Scope.BUILDING),
        }
        # each source makes one need; it leaves the pick list
        assert await needs.sources(session, chief, "C") == []
        with pytest.raises(DomainError):
            await needs.create(
                session,
                chief,
                needs.NeedDraft("再来一次", "safety", "", "", "normal", "C", request_id),
                NOW,
            )
