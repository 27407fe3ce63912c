"""Agenda digests (议程) end to end with the real sections: open votes and meetings, topics
under discussion, activities with free places and micro-wishes waiting for a claimer are
created through the services, chiefs turn on digests for their groups with /notice, the
notices job composes and sends them, and each group sees its own scope only."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from linli.config import Settings
from linli.emulator import BotAPIEmulator, StoredMessage
from linli.models import Resident
from linli.models.deliberation import Scope
from linli.models.notices import Notice, NoticeRun, OutboxMessage, RunStatus
from linli.services import activities, agenda
from linli.services import topics as topic_service
from linli.services import votes as vote_service
from linli.services import wishes as wish_service
from tests.support import ADMIN_ID, B1_CHIEF, GRID1_CHIEF, GRID2_CHIEF, TOKEN, Harness
from tests.support_notices import fast_notices, pick

GRID1_GROUP = -100900
B1_GROUP = -100901
GRID2_GROUP = -100902
R1 = 5101  # 第一网格 · 1号楼
R2 = 5102  # 第一网格 · 2号楼
R4 = 5104  # 第二网格 · 4号楼


@pytest.fixture
def settings(emu: BotAPIEmulator, database_url: str, redis_url: str | None) -> Settings:
    return Settings(
        bot_token=TOKEN,
        database_url=database_url,
        telegram_api_url=emu.base_url,
        redis_url=redis_url,
        admin_ids=[ADMIN_ID],
        polling_timeout=1,
        scheduler_enabled=False,
        throttle_rate=1000,
        notices=fast_notices(),
        _env_file=None,
    )


async def bind_groups(h: Harness) -> None:
    for chat_id, title, chief, button in (
        (GRID1_GROUP, "第一网格群", GRID1_CHIEF, "网格: 第一网格"),
        (B1_GROUP, "1号楼楼道群", B1_CHIEF, None),
        (GRID2_GROUP, "第二网格群", GRID2_CHIEF, "网格: 第二网格"),
    ):
        h.emu.add_group(chat_id, title, admins=[chief])
        question = await h.ask(chief, "/bind", chat_id=chat_id)
        if button:
            await h.press(chief, question, button)


async def turn_on_agenda(h: Harness, chief: int, target: str | None) -> datetime:
    """/notice → Agenda → the group (`target`; a building chief's is chosen for them) →
    every Monday 09:00 → Confirm. Returns the first run's time."""
    question = await h.ask(chief, "/notice")
    await h.press(chief, question, "议程")
    when_q = h.emu.messages(chief)[-1]
    if target is not None:
        when_q = await pick(h, chief, when_q, target)
    await h.press(chief, when_q, "每周一 09:00")
    pressed = await h.press(chief, h.emu.messages(chief)[-1], "确认")
    assert not pressed.alert, pressed.alert
    async with h.db() as session:
        notice = await session.scalar(select(Notice).order_by(Notice.id.desc()))
        assert notice is not None and notice.next_run_at is not None
        return notice.next_run_at


async def person(h: Harness, telegram_id: int) -> Resident:
    resident = await h.resident(telegram_id)
    assert resident is not None
    return resident


async def discussing_topic(
    h: Harness,
    author: int,
    chief: int,
    title: str,
    scope: Scope,
    *,
    meeting_at: datetime | None = None,
) -> int:
    """A topic proposed, shortlisted and under discussion, through the services."""
    now = datetime.now(meeting_at.tzinfo) if meeting_at else datetime.now().astimezone()
    async with h.db() as session:
        proposer = await person(h, author)
        topic = await topic_service.propose(
            session, proposer, title=title, description="说明", voice=None, scope=scope
        )
        boss = await person(h, chief)
        await topic_service.shortlist(session, boss, topic.id)
        await topic_service.open_discussion(
            session,
            boss,
            topic.id,
            ends_at=now + timedelta(days=14),
            meeting_at=meeting_at,
            meeting_place="社区活动室" if meeting_at else None,
            now=now,
        )
        return topic.id


async def open_vote(
    h: Harness, topic_id: int, chief: int, question: str, deadline: datetime
) -> None:
    async with h.db() as session:
        draft = vote_service.Draft(
            topic_id=topic_id, question=question, options=["同意", "反对"], deadline=deadline
        )
        await vote_service.create(
            session, await person(h, chief), draft, deadline - timedelta(days=5)
        )


async def new_activity(
    h: Harness, chief: int, title: str, starts_at: datetime, capacity: int = 5
) -> int:
    async with h.db() as session:
        draft = activities.Draft(
            title=title,
            place="社区广场",
            starts_at=starts_at,
            hours=2,
            capacity=capacity,
            points=10,
            per_hour=False,
        )
        activity = await activities.create(
            session, await person(h, chief), draft, now=starts_at - timedelta(days=5)
        )
        return activity.id


async def new_wish(h: Harness, author: int, text: str) -> int:
    async with h.db() as session:
        wish = await wish_service.create(
            session,
            await person(h, author),
            category="daily",
            text=text,
            voice_file_id=None,
            photo_file_id=None,
            show_name=False,
            now=datetime.now().astimezone(),
        )
        return wish.id


async def seed_community_life(h: Harness, due: datetime) -> dict[str, int]:
    """Something of every kind in 第一网格, 1号楼, 第二网格 and community-wide, plus items
    that must never be listed (a full activity, a claimed wish, a vote closing too late)."""
    await h.add_resident(R1, "第一网格", "1号楼", name="张阿姨")
    await h.add_resident(R2, "第一网格", "2号楼", name="王叔")
    await h.add_resident(R4, "第二网格", "4号楼", name="赵姐")
    ids: dict[str, int] = {}
    ids["elevator"] = await discussing_topic(
        h, R1, GRID1_CHIEF, "加装电梯", Scope.GRID, meeting_at=due + timedelta(days=3)
    )
    ids["shed"] = await discussing_topic(h, R1, B1_CHIEF, "1号楼车棚", Scope.BUILDING)
    await open_vote(h, ids["shed"], B1_CHIEF, "是否同意修车棚?", due + timedelta(days=2))
    ids["lamps"] = await discussing_topic(h, R2, GRID1_CHIEF, "路灯维修", Scope.GRID)
    await open_vote(h, ids["lamps"], GRID1_CHIEF, "是否更换路灯?", due + timedelta(days=4))
    ids["late"] = await discussing_topic(h, R2, GRID1_CHIEF, "明年的事", Scope.GRID)
    await open_vote(h, ids["late"], GRID1_CHIEF, "明年再议?", due + timedelta(days=20))
    ids["green"] = await discussing_topic(h, R4, GRID2_CHIEF, "二网格绿化", Scope.GRID)
    ids["sweep"] = await new_activity(h, GRID1_CHIEF, "清扫楼道", due + timedelta(days=2))
    ids["clinic"] = await new_activity(h, GRID2_CHIEF, "二网格义诊", due + timedelta(days=2))
    await h.ask(ADMIN_ID, "/start")  # the admin's resident row
    ids["fair"] = await new_activity(h, ADMIN_ID, "社区义卖", due + timedelta(days=5))
    ids["full"] = await new_activity(h, GRID1_CHIEF, "满员活动", due + timedelta(days=1), 1)
    async with h.db() as session:
        await activities.sign_up(session, await person(h, R2), ids["full"], now=due)
    ids["rice"] = await new_wish(h, R1, "想请人帮忙买一袋大米")
    ids["lock"] = await new_wish(h, R2, "门锁坏了请人修一下")
    ids["chat"] = await new_wish(h, R4, "想找人陪我聊聊天")
    ids["taken"] = await new_wish(h, R1, "已经有人认领的心愿")
    async with h.db() as session:
        await wish_service.claim(session, await person(h, R2), ids["taken"], due)
    return ids


def digest(h: Harness, chat_id: int) -> StoredMessage:
    (message,) = [m for m in h.emu.messages(chat_id) if "📋 议程" in (m.text or "")]
    assert message.parse_mode == "HTML"
    return message


async def test_digests_list_each_groups_votes_topics_activities_and_wishes(h: Harness) -> None:
    await bind_groups(h)
    due = await turn_on_agenda(h, GRID1_CHIEF, "第一网格 网格群")
    assert await turn_on_agenda(h, B1_CHIEF, None) == due
    assert await turn_on_agenda(h, GRID2_CHIEF, "第二网格 网格群") == due
    ids = await seed_community_life(h, due)
    assert await h.run_job("notices.due", now=due + timedelta(seconds=5)) == 3
    await h.drain_outbox()

    grid1 = digest(h, GRID1_GROUP)
    text = grid1.text or ""
    assert "议程 · 第一网格" in text
    # votes closing in the window and meetings, with the time
    assert "🗳 即将截止的投票和会议" in text
    assert f"T{ids['lamps']} 是否更换路灯?" in text and "投票截止" in text
    assert f"T{ids['elevator']} 加装电梯" in text and "会议地点：社区活动室" in text
    assert "明年再议" not in text  # closes after the window
    assert "修车棚" not in text  # a building's vote: in that building's digest
    # topics under discussion (the ones now voting are listed as votes)
    assert "💬 正在协商的议题" in text and "0 人附议" in text
    # activities with free places: the grid's and the community's, not full ones
    assert "清扫楼道" in text and "还剩 5 个名额" in text and "社区义卖" in text
    assert "满员活动" not in text
    # micro-wishes waiting for a claimer, in the whole grid
    assert f"W{ids['rice']} 想请人帮忙买一袋大米" in text
    assert f"W{ids['lock']} 门锁坏了" in text
    assert f"W{ids['taken']}" not in text
    # nothing of another grid
    for other in ("二网格绿化", "二网格义诊", "陪我聊聊天"):
        assert other not in text
    # one deep-link button per section, into the private chat
    for label, command in (
        ("即将截止的投票和会议", "topics"),
        ("正在协商的议题", "topics"),
        ("还有名额的志愿活动", "activities"),
        ("等待认领的微心愿", "claim"),
    ):
        assert grid1.has_button(label), label
        assert grid1.button(label).endswith(f"?start={command}")

    # the building digest: its grid's and community items, its own building's, no others'
    text = digest(h, B1_GROUP).text or ""
    assert "议程 · 第一网格 · 1号楼" in text
    assert f"T{ids['shed']} 是否同意修车棚?" in text
    assert f"T{ids['lamps']} 是否更换路灯?" in text and "加装电梯" in text
    assert "清扫楼道" in text and "社区义卖" in text
    assert f"W{ids['rice']}" in text and f"W{ids['lock']}" not in text  # 2号楼's wish
    assert "二网格" not in text

    # another grid sees its own
    text = digest(h, GRID2_GROUP).text or ""
    assert "议程 · 第二网格" in text
    assert f"T{ids['green']} 二网格绿化" in text and "二网格义诊" in text
    assert f"W{ids['chat']} 想找人陪我聊聊天" in text and "社区义卖" in text
    for other in ("加装电梯", "路灯", "车棚", "清扫楼道", "大米", "门锁"):
        assert other not in text

    # each digest went out once, through the outbox, as a notice run
    assert await h.count(OutboxMessage, OutboxMessage.source == "notice") == 3
    assert await h.run_job("notices.due", now=due + timedelta(seconds=30)) == 0
    await h.drain_outbox()
    for chat in (GRID1_GROUP, B1_GROUP, GRID2_GROUP):
        assert len([m for m in h.emu.messages(chat) if "📋 议程" in (m.text or "")]) == 1


async def test_agenda_changes_with_what_is_open_when_it_is_sent(h: Harness) -> None:
    """Composed at send time: a wish claimed before the run is no longer listed."""
    await bind_groups(h)
    due = await turn_on_agenda(h, GRID1_CHIEF, "第一网格 网格群")
    await h.add_resident(R1, "第一网格", "1号楼")
    await h.add_resident(R2, "第一网格", "2号楼")
    first = await new_wish(h, R1, "帮忙取快递")
    second = await new_wish(h, R1, "帮忙换灯泡")
    async with h.db() as session:
        await wish_service.claim(session, await person(h, R2), first, due)
    await h.run_job("notices.due", now=due + timedelta(seconds=5))
    await h.drain_outbox()
    text = digest(h, GRID1_GROUP).text or ""
    assert f"W{second} 帮忙换灯泡" in text and "取快递" not in text
    assert "投票" not in text and "志愿活动" not in text  # empty sections are left out


async def test_empty_agenda_with_the_real_sections_is_not_sent(h: Harness) -> None:
    await bind_groups(h)
    assert {"votes", "topics", "activities", "wishes", "notices"} <= set(agenda.SECTIONS)
    due = await turn_on_agenda(h, GRID1_CHIEF, "第一网格 网格群")
    # something in another grid only
    await h.add_resident(R4, "第二网格", "4号楼")
    await new_wish(h, R4, "想找人陪我聊聊天")
    await h.run_job("notices.due", now=due + timedelta(seconds=5))
    await h.drain_outbox()
    assert not [m for m in h.emu.messages(GRID1_GROUP) if "议程" in (m.text or "")]
    async with h.db() as session:
        run = await session.scalar(select(NoticeRun))
        assert run is not None and run.status == RunStatus.EMPTY
    assert await h.count(OutboxMessage, OutboxMessage.source == "notice") == 0
