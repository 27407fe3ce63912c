"""Deliberation's rules straight on the services (no bot, no HTTP): the steps allowed per
topic state and standing, the vote actions, refusals outside the scope or area, and steps
that happen once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from linli.models import Building, Grid, Resident, ResidentStatus
from linli.models.deliberation import (
    Scope,
    Topic,
    TopicEvent,
    TopicState,
    TopicSupport,
    Vote,
    VoteBallot,
    VoteOption,
    VoteState,
)
from linli.models.notices import OutboxMessage
from linli.services import residents, votes
from linli.services import topics as service
from linli.services.deliberation import topic_view
from linli.services.errors import DomainError, InvalidState, PermissionDenied, StaleAction
from linli.services.topics import Standing, TopicAction
from linli.services.votes import Cast, Draft, VoteAction
from tests.support import B1_CHIEF, B4_CHIEF, GRID1_CHIEF

Db = async_sessionmaker[AsyncSession]
A = TopicAction
AUTHOR, NEIGHBOUR, OTHER_BUILDING, FAR, PENDING = 5001, 5002, 5003, 5004, 5005
KEY = votes.ballot_key("test")

MEMBER = Standing(member=True)
MANAGER = Standing(manager=True)
NOBODY = Standing()
# What a resident of the scope and a chief of the area may do in each state (no vote open).
EXPECTED: dict[TopicState, tuple[list[TopicAction], list[TopicAction]]] = {
    TopicState.PROPOSED: ([A.SUPPORT], [A.SCORE, A.SHORTLIST, A.DECLINE]),
    TopicState.SHORTLISTED: ([A.SUPPORT], [A.SCORE, A.DECLINE, A.DISCUSS]),
    TopicState.DECLINED: ([], []),
    TopicState.DISCUSSING: ([A.SUPPORT, A.COMMENT], [A.COMMENT, A.VOTE]),
    TopicState.VOTING: ([], [A.DECIDE]),
    TopicState.DECIDED: ([], [A.PROGRESS, A.DONE]),
    TopicState.IMPLEMENTING: ([], [A.PROGRESS, A.DONE]),
    TopicState.DONE: ([A.RATE], []),
}


def test_every_state_has_its_expected_actions() -> None:
    assert set(EXPECTED) == set(TopicState)


@pytest.mark.parametrize("state", list(TopicState))
def test_allowed_actions_per_state_and_standing(state: TopicState) -> None:
    topic = Topic(id=1, state=state)
    member, manager = EXPECTED[state]
    assert service.allowed_actions(topic, MEMBER) == member
    assert service.allowed_actions(topic, MANAGER) == manager
    assert service.allowed_actions(topic, NOBODY) == []
    both = service.allowed_actions(topic, Standing(member=True, manager=True))
    assert set(both) == set(member) | set(manager)


def test_decide_waits_for_the_open_vote_and_pool_cards_offer_the_next_step() -> None:
    voting = Topic(id=1, state=TopicState.VOTING)
    assert service.allowed_actions(voting, MANAGER, vote_open=True) == []
    assert service.pool_actions(Topic(id=1, state=TopicState.PROPOSED)) == [
        A.SHORTLIST,
        A.DECLINE,
    ]
    assert service.pool_actions(Topic(id=1, state=TopicState.SHORTLISTED)) == [
        A.DISCUSS,
        A.DECLINE,
    ]
    assert service.pool_actions(Topic(id=1, state=TopicState.DISCUSSING)) == []
    assert [s for s in TopicState if service.collects_support(Topic(id=1, state=s))] == [
        TopicState.PROPOSED,
        TopicState.SHORTLISTED,
        TopicState.DISCUSSING,
    ]


def test_vote_actions_per_state_deadline_and_standing() -> None:
    now = datetime.now(UTC)
    open_vote = Vote(id=1, state=VoteState.OPEN, deadline=now + timedelta(hours=1))
    overdue = Vote(id=1, state=VoteState.OPEN, deadline=now - timedelta(seconds=1))
    closed = Vote(id=1, state=VoteState.CLOSED, deadline=now + timedelta(hours=1))
    both = Standing(member=True, manager=True)
    assert votes.allowed_vote_actions(open_vote, MEMBER, now) == [VoteAction.CAST]
    assert votes.allowed_vote_actions(open_vote, MANAGER, now) == [VoteAction.CLOSE]
    assert votes.allowed_vote_actions(open_vote, both, now) == [VoteAction.CAST, VoteAction.CLOSE]
    assert votes.allowed_vote_actions(open_vote, NOBODY, now) == []
    # past the deadline the closing job has not run yet: no more ballots, a chief may close
    assert votes.allowed_vote_actions(overdue, both, now) == [VoteAction.CLOSE]
    assert votes.allowed_vote_actions(closed, both, now) == []


# --- on the example community -------------------------------------------------------------


async def _add(
    db: Db, telegram_id: int, grid: str, building: str, *, verified: bool = True
) -> None:
    async with db() as session:
        target = await session.scalar(
            select(Building).join(Grid).where(Grid.name == grid, Building.name == building)
        )
        assert target is not None
        grid_row = await session.get(Grid, target.grid_id)
        assert grid_row is not None
        session.add(
            Resident(
                telegram_id=telegram_id,
                display_name="居民",
                building_id=target.id,
                community_id=grid_row.community_id,
                status=ResidentStatus.VERIFIED if verified else ResidentStatus.PENDING,
            )
        )
        await session.commit()


@pytest.fixture
async def people(db: Db) -> Db:
    await _add(db, AUTHOR, "第一网格", "1号楼")
    await _add(db, NEIGHBOUR, "第一网格", "1号楼")
    await _add(db, OTHER_BUILDING, "第一网格", "2号楼")
    await _add(db, FAR, "第二网格", "4号楼")
    await _add(db, PENDING, "第一网格", "1号楼", verified=False)
    return db


async def who(session: AsyncSession, telegram_id: int) -> Resident:
    resident = await residents.get_by_telegram_id(session, telegram_id)
    assert resident is not None
    return resident


async def refused(
    db: Db, telegram_id: int, step: object, *args: object, **kwargs: object
) -> DomainError:
    """Run `step(session, actor, ...)` in a session of its own; it must be refused."""
    async with db() as session:
        with pytest.raises(DomainError) as caught:
            await step(session, await who(session, telegram_id), *args, **kwargs)  # type: ignore[operator]
    return caught.value


async def propose(db: Db, scope: Scope = Scope.BUILDING) -> int:
    async with db() as session:
        topic = await service.propose(
            session,
            await who(session, AUTHOR),
            title="加装电梯",
            description="老人上下楼不方便",
            voice=None,
            scope=scope,
        )
        return topic.id


async def state_of(db: Db, topic_id: int) -> TopicState:
    async with db() as session:
        return (await service.get(session, topic_id)).state


async def to_discussion(db: Db, topic_id: int) -> None:
    now = datetime.now(UTC)
    async with db() as session:
        chief = await who(session, B1_CHIEF)
        await service.shortlist(session, chief, topic_id)
    async with db() as session:
        await service.open_discussion(
            session,
            await who(session, B1_CHIEF),
            topic_id,
            ends_at=now + timedelta(days=7),
            meeting_at=None,
            meeting_place=None,
            now=now,
        )


async def new_vote(db: Db, topic_id: int) -> int:
    now = datetime.now(UTC)
    draft = Draft(
        topic_id=topic_id,
        question="加装吗?",
        options=["同意", "反对"],
        deadline=now + timedelta(days=1),
    )
    async with db() as session:
        return (await votes.create(session, await who(session, B1_CHIEF), draft, now)).id


async def test_chief_steps_only_in_their_area_and_from_their_states(people: Db) -> None:
    db = people
    topic_id = await propose(db)
    error = await refused(db, NEIGHBOUR, service.shortlist, topic_id)
    assert isinstance(error, PermissionDenied) and error.key == "error-role-required"
    error = await refused(db, B4_CHIEF, service.shortlist, topic_id)  # another grid
    assert error.key == "error-outside-area"
    # a step from the wrong state, told as such
    error = await refused(db, B1_CHIEF, service.mark_done, topic_id)
    assert isinstance(error, StaleAction) and error.key == "topic-error-wrong-state"
    error = await refused(db, B1_CHIEF, votes.topic_for_new_vote, topic_id)
    assert error.key == "vote-error-topic-state"
    assert await state_of(db, topic_id) == TopicState.PROPOSED

    async with db() as session:
        await service.shortlist(session, await who(session, GRID1_CHIEF), topic_id)
    # a second press (or the other chief's) changes nothing
    error = await refused(db, B1_CHIEF, service.shortlist, topic_id)
    assert error.key == "topic-error-wrong-state"
    async with db() as session:
        events = await service.history(session, topic_id)
    assert [e.state for e in events] == [TopicState.PROPOSED, TopicState.SHORTLISTED]


async def test_support_once_and_only_from_the_scope(people: Db) -> None:
    db = people
    topic_id = await propose(db)
    async with db() as session:
        assert await service.support(session, await who(session, NEIGHBOUR), topic_id) == 1
    error = await refused(db, NEIGHBOUR, service.support, topic_id)
    assert isinstance(error, InvalidState) and error.key == "topic-error-already-supported"
    error = await refused(db, OTHER_BUILDING, service.support, topic_id)
    assert error.key == "topic-error-not-in-scope"
    error = await refused(db, PENDING, service.support, topic_id)
    assert error.key == "error-not-verified"
    async with db() as session:
        assert (await service.get(session, topic_id)).support_count == 1
        assert await session.scalar(select(func.count()).select_from(TopicSupport)) == 1

    grid_topic = await propose(db, Scope.GRID)  # the whole grid may support it
    async with db() as session:
        assert await service.support(session, await who(session, OTHER_BUILDING), grid_topic) == 1
    error = await refused(db, FAR, service.support, grid_topic)
    assert error.key == "topic-error-not-in-scope"

    async with db() as session:
        await service.decline(session, await who(session, B1_CHIEF), topic_id, "已列入维修计划")
    error = await refused(db, AUTHOR, service.support, topic_id)
    assert error.key == "topic-error-support-closed"


async def test_the_card_shows_outsiders_nothing_and_each_viewer_their_steps(people: Db) -> None:
    db = people
    topic_id = await propose(db)
    now = datetime.now(UTC)
    async with db() as session:
        with pytest.raises(StaleAction) as caught:
            await topic_view(session, await who(session, FAR), topic_id, now)
    assert caught.value.key == "topic-error-not-in-scope"
    async with db() as session:
        view = await topic_view(session, await who(session, NEIGHBOUR), topic_id, now)
        assert view.actions == [A.SUPPORT] and view.unit == "第一网格 · 1号楼"
        view = await topic_view(session, await who(session, GRID1_CHIEF), topic_id, now)
        assert view.actions == [A.SCORE, A.SHORTLIST, A.DECLINE]
        view = await topic_view(session, await who(session, B1_CHIEF), topic_id, now)
        assert view.actions == [A.SUPPORT, A.SCORE, A.SHORTLIST, A.DECLINE]  # lives there too


async def test_a_vote_counts_each_ballot_once_and_closes_once(people: Db) -> None:
    db = people
    topic_id = await propose(db)
    await to_discussion(db, topic_id)
    vote_id = await new_vote(db, topic_id)
    now = datetime.now(UTC)

    async def cast(telegram_id: int, positions: list[int]) -> Cast:
        async with db() as session:
            return await votes.cast(
                session, await who(session, telegram_id), vote_id, positions, now=now, key=KEY
            )

    assert await cast(AUTHOR, [0]) == Cast.NEW
    assert await cast(AUTHOR, [0]) == Cast.SAME
    assert await cast(AUTHOR, [1]) == Cast.CHANGED
    error = await refused(db, OTHER_BUILDING, votes.cast, vote_id, [0], now=now, key=KEY)
    assert error.key == "vote-error-not-eligible"
    async with db() as session:
        totals = (await votes.tally(session, vote_id)).options
    assert totals == [("同意", 0), ("反对", 1)]

    # the decision waits for the vote; the chief's card offers closing it, not deciding
    error = await refused(db, B1_CHIEF, service.record_decision, topic_id, "加装")
    assert isinstance(error, InvalidState) and error.key == "topic-error-vote-open"
    async with db() as session:
        view = await topic_view(session, await who(session, GRID1_CHIEF), topic_id, now)
    assert view.actions == [] and view.vote_actions == [VoteAction.CLOSE]

    async def close_early(telegram_id: int) -> bool:
        async with db() as session:
            return await votes.close(session, vote_id, now, actor=await who(session, telegram_id))

    with pytest.raises(PermissionDenied, match="error-outside-area"):
        await close_early(B4_CHIEF)
    assert await close_early(B1_CHIEF)
    with pytest.raises(StaleAction, match="vote-error-closed"):
        await close_early(B1_CHIEF)
    async with db() as session:
        assert not await votes.close(session, vote_id, now + timedelta(days=2))  # the job
        assert await votes.claim_result(session, vote_id, now)
        assert not await votes.claim_result(session, vote_id, now)
        vote = await votes.get(session, vote_id, fresh=True)
        assert vote.state == VoteState.CLOSED and vote.turnout == 1
        assert await session.scalar(select(VoteBallot.sealed)) is None  # choices wiped
        assert await session.scalar(select(func.sum(VoteOption.votes))) == 1
    error = await refused(db, NEIGHBOUR, votes.cast, vote_id, [0], now=now, key=KEY)
    assert error.key == "vote-error-closed"

    async with db() as session:
        topic = await service.record_decision(
            session, await who(session, B1_CHIEF), topic_id, "加装"
        )
        assert topic.state == TopicState.DECIDED
    async with db() as session:
        events = await session.scalars(select(TopicEvent.state).order_by(TopicEvent.id))
        assert list(events)[-2:] == [TopicState.VOTING, TopicState.DECIDED]


# --- issues 12 and 14 -------------------------------------------------------------------------


class Failed(Exception):
    pass


async def _announce_then_fail(session: AsyncSession, item: object) -> None:
    """An `announce` that writes its post and then fails (the commit would fail alike)."""
    session.add(OutboxMessage(text="post", source="test", source_id=0))
    await session.flush()
    raise Failed


async def _outbox(db: Db) -> int:
    async with db() as session:
        return int(await session.scalar(select(func.count()).select_from(OutboxMessage)) or 0)


async def test_a_step_and_its_post_are_one_transaction(people: Db) -> None:
    db = people
    async with db() as session:
        with pytest.raises(Failed):
            await service.propose(
                session,
                await who(session, AUTHOR),
                title="加装电梯",
                description="老人上下楼不方便",
                voice=None,
                scope=Scope.BUILDING,
                announce=_announce_then_fail,
            )
    async with db() as session:
        assert await session.scalar(select(func.count()).select_from(Topic)) == 0
    topic_id = await propose(db)
    async with db() as session:
        await service.shortlist(session, await who(session, B1_CHIEF), topic_id)
    now = datetime.now(UTC)
    async with db() as session:
        with pytest.raises(Failed):
            await service.open_discussion(
                session,
                await who(session, B1_CHIEF),
                topic_id,
                ends_at=now + timedelta(days=3),
                meeting_at=None,
                meeting_place=None,
                now=now,
                announce=_announce_then_fail,
            )
    assert await state_of(db, topic_id) == TopicState.SHORTLISTED
    await to_discussion_from_shortlist(db, topic_id)
    draft = Draft(topic_id=topic_id, question="装吗？", options=["装", "不装"])
    draft.deadline = now + timedelta(days=1)
    async with db() as session:
        with pytest.raises(Failed):
            await votes.create(
                session, await who(session, B1_CHIEF), draft, now, announce=_announce_then_fail
            )
    async with db() as session:
        assert await session.scalar(select(func.count()).select_from(Vote)) == 0
    assert await state_of(db, topic_id) == TopicState.DISCUSSING
    vote_id = await new_vote(db, topic_id)
    async with db() as session:
        await votes.close(session, vote_id, now, actor=await who(session, B1_CHIEF))
    async with db() as session:
        with pytest.raises(Failed):
            await service.record_decision(
                session, await who(session, B1_CHIEF), topic_id, "加装", _announce_then_fail
            )
    assert await state_of(db, topic_id) == TopicState.VOTING
    async with db() as session:
        history = await service.history(session, topic_id)
    assert [e.state for e in history][-1] == TopicState.VOTING
    assert await _outbox(db) == 0


async def to_discussion_from_shortlist(db: Db, topic_id: int) -> None:
    now = datetime.now(UTC)
    async with db() as session:
        await service.open_discussion(
            session,
            await who(session, B1_CHIEF),
            topic_id,
            ends_at=now + timedelta(days=7),
            meeting_at=None,
            meeting_place=None,
            now=now,
        )


@pytest.mark.parametrize(
    ("text", "options"),
    [
        ("同意\n反对\n弃权", ["同意", "反对", "弃权"]),
        ("同意、反对、弃权", ["同意", "反对", "弃权"]),
        ("同意，反对,弃权", ["同意", "反对", "弃权"]),
        ("A; B；C", ["A", "B", "C"]),
        ("1. 方案2\n2. 方案3.5米", ["方案2", "方案3.5米"]),  # numbering goes, numbers stay
        ("- 东侧，靠路\n- 西侧", ["东侧，靠路", "西侧"]),  # one per line: commas are text
        ("①绿化\n②路灯", ["绿化", "路灯"]),
    ],
)
def test_vote_options_one_per_line_or_separated(text: str, options: list[str]) -> None:
    assert votes.parse_options(text) == options


def test_vote_options_refused_with_their_limits() -> None:
    for text, key in (
        ("同意", "vote-error-option-count"),
        ("、".join(f"选项{n}" for n in range(11)), "vote-error-option-count"),
        ("同意、同意", "vote-error-option-duplicate"),
        ("同意、" + "长" * 101, "vote-error-option-long"),
    ):
        with pytest.raises(DomainError) as caught:
            votes.parse_options(text)
        assert caught.value.key == key
    with pytest.raises(DomainError) as caught:
        votes.parse_options("同意、" + "长" * 101)
    assert caught.value.params["limit"] == 100 and caught.value.params["length"] == 101


@pytest.mark.parametrize("text", ["²", "٣٠", "101", "-1", "1e2", "", "50.5", "0x10", "五十"])
def test_quorum_is_strict(text: str) -> None:
    with pytest.raises(DomainError) as caught:
        votes.parse_quorum(text)
    assert caught.value.key == "vote-error-bad-quorum"


def test_quorum_and_max_choices_read() -> None:
    assert votes.parse_quorum("30%") == 30 and votes.parse_quorum(" 0 ") == 0
    assert votes.parse_quorum("100％") == 100
    assert votes.parse_max_choices("3", 4) == 3
    for value in ("1", "5", "²", "", "-2"):  # a forged button
        with pytest.raises(StaleAction):
            votes.parse_max_choices(value, 4)


def test_topic_refs_are_strict() -> None:
    assert service.parse_ref("T5") == 5 and service.parse_ref("t5") == 5
    assert service.parse_ref("#5") == 5 and service.parse_ref("5") == 5
    for bad in ("T²", "W5", "T0", "T" + "9" * 13, "T-5", "５"):
        with pytest.raises(DomainError) as caught:
            service.parse_ref(bad)
        assert caught.value.key == "topic-error-bad-ref"


def test_typed_moments_in_common_forms_and_limits() -> None:
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("Asia/Shanghai")
    now = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)  # Monday 09:00 in Shanghai
    expected = {
        "12月8日 9点": datetime(2026, 12, 8, 9, 0, tzinfo=tz),
        "12-08 09:00": datetime(2026, 12, 8, 9, 0, tzinfo=tz),
        "明天下午3点": datetime(2026, 12, 8, 15, 0, tzinfo=tz),
        "周五 9点": datetime(2026, 12, 11, 9, 0, tzinfo=tz),
        "2027-01-05 18:30": datetime(2027, 1, 5, 18, 30, tzinfo=tz),
    }
    for text, moment in expected.items():
        assert service.parse_moment(text, now, tz) == moment
    for text, key in (
        ("今天 8:00", "topic-error-past-date"),
        ("2027-06-01 10:00", "topic-error-too-far"),
        ("下周吧", "topic-error-bad-date"),
        ("2026-13-45 10:00", "topic-error-bad-date"),
    ):
        with pytest.raises(DomainError) as caught:
            service.parse_moment(text, now, tz)
        assert caught.value.key == key


async def test_open_for_comment_lists_what_the_resident_may_comment_on(people: Db) -> None:
    db = people
    building_topic = await propose(db)
    await to_discussion(db, building_topic)
    proposed = await propose(db)  # not in discussion
    async with db() as session:

        async def ids(telegram_id: int) -> list[int]:
            rows = await service.open_for_comment(session, await who(session, telegram_id))
            return [t.id for t in rows]

        assert await ids(NEIGHBOUR) == [building_topic]
        assert await ids(OTHER_BUILDING) == []  # another building of the grid
        assert await ids(FAR) == []
        assert await ids(PENDING) == []
        assert await ids(B1_CHIEF) == [building_topic]
        assert await ids(GRID1_CHIEF) == [building_topic]  # manages it, lives elsewhere
        assert await service.open_for_comment(session, None) == []
        assert proposed not in await ids(NEIGHBOUR)


async def test_the_stage_says_vote_counted_once_the_vote_closed(people: Db) -> None:
    db = people
    topic_id = await propose(db)
    await to_discussion(db, topic_id)
    vote_id = await new_vote(db, topic_id)
    now = datetime.now(UTC)
    async with db() as session:
        topic = await service.get(session, topic_id)
        assert await service.stages(session, [topic]) == {topic_id: "voting"}
        view = await topic_view(session, await who(session, AUTHOR), topic_id, now)
        assert view.stage == "voting"
    async with db() as session:
        await votes.close(session, vote_id, now, actor=await who(session, B1_CHIEF))
    async with db() as session:
        topic = await service.get(session, topic_id)
        assert await service.stages(session, [topic]) == {topic_id: service.COUNTED}
        view = await topic_view(session, await who(session, AUTHOR), topic_id, now)
        assert view.stage == service.COUNTED and topic.state == TopicState.VOTING
    assert service.stage(Topic(id=1, state=TopicState.DONE), vote_open=False) == "done"


async def test_ready_for_vote_lists_the_chiefs_topics_in_discussion(people: Db) -> None:
    db = people
    topic_id = await propose(db)
    other = await propose(db)
    await to_discussion(db, topic_id)
    async with db() as session:
        rows = await service.ready_for_vote(session, await who(session, B1_CHIEF))
        assert [t.id for t in rows] == [topic_id]
        assert await service.ready_for_vote(session, await who(session, B4_CHIEF)) == []
    with pytest.raises(PermissionDenied):
        async with db() as session:
            await service.ready_for_vote(session, await who(session, NEIGHBOUR))
    assert other != topic_id
