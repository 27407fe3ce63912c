"""A notice keeps the rights of its author as they are at each run (issue 12): a chief who was
demoted or moved no longer posts through their old scheduled and recurring notices. The run
is withheld, the notice paused, the author and the grid chief (or the admins) are told once,
and whoever resumes it from /notices looks after it from then on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from linli.models import Grid, Resident, Role
from linli.models.notices import Notice, NoticeRun, NoticeState, RunStatus
from tests.support import ADMIN_ID, B1_CHIEF, GRID1_CHIEF, Harness
from tests.support_notices import (
    B1_GROUP,
    GRID1_GROUP,
    bind_example_groups,
    group_texts,
    pick,
    start_message_flow,
)


async def daily_notice(h: Harness, chief: int, text: str, target: str | None) -> datetime:
    """A daily 08:00 notice made through /notice; returns its first run."""
    asked = await start_message_flow(h, chief, text)
    await h.press(chief, asked, "不加附件")
    when_q = h.emu.messages(chief)[-1]
    if target is not None:
        when_q = await pick(h, chief, when_q, target)
    repeat_q = await pick(h, chief, when_q, "周期发送")
    time_q = await pick(h, chief, repeat_q, "每天")
    await h.press(chief, time_q, "08:00")
    await h.press(chief, h.emu.messages(chief)[-1], "确认")
    async with h.db() as session:
        notice = await session.scalar(select(Notice).order_by(Notice.id.desc()))
        assert notice is not None and notice.next_run_at is not None
        return notice.next_run_at


async def change_role(h: Harness, telegram_id: int, role: Role, grid: str | None = None) -> None:
    """The role as an admin's /grant leaves it (without a handover of notices)."""
    async with h.db() as session:
        grid_id = None
        if grid is not None:
            grid_id = await session.scalar(select(Grid.id).where(Grid.name == grid))
        await session.execute(
            update(Resident)
            .where(Resident.telegram_id == telegram_id)
            .values(role=role, chief_grid_id=grid_id, chief_building_id=None)
        )
        await session.commit()


async def test_a_demoted_chiefs_recurring_notice_is_paused_and_the_grid_chief_resumes_it(
    h: Harness,
) -> None:
    await bind_example_groups(h)
    first = await daily_notice(h, B1_CHIEF, "每天早上倒垃圾", None)
    await h.run_job("notices.due", now=first + timedelta(seconds=5))
    await h.drain_outbox()
    assert group_texts(h, B1_GROUP) == ["每天早上倒垃圾"]  # while B1_CHIEF is the chief

    await change_role(h, B1_CHIEF, Role.RESIDENT)
    author_before = len(h.emu.messages(B1_CHIEF))
    chief_before = len(h.emu.messages(GRID1_CHIEF))
    second = first + timedelta(days=1)
    for tick in (5, 35):  # a second tick (or process) neither sends nor tells again
        await h.run_job("notices.due", now=second + timedelta(seconds=tick))
    await h.drain_outbox()
    assert group_texts(h, B1_GROUP) == ["每天早上倒垃圾"]  # nothing more
    (to_author,) = h.emu.messages(B1_CHIEF)[author_before:]
    assert "N1" in (to_author.text or "") and "已暂停" in (to_author.text or "")
    (to_chief,) = h.emu.messages(GRID1_CHIEF)[chief_before:]
    assert "N1" in (to_chief.text or "") and "/notices" in (to_chief.text or "")
    assert "李建国" in (to_chief.text or "") and "1号楼" in (to_chief.text or "")
    async with h.db() as session:
        notice = await session.scalar(select(Notice))
        assert notice is not None and notice.state == NoticeState.PAUSED
        runs = (await session.scalars(select(NoticeRun).order_by(NoticeRun.id))).all()
        assert [run.status for run in runs] == [RunStatus.SENDING, RunStatus.WITHHELD]

    card = (await h.send(GRID1_CHIEF, "/notices"))[-1]
    assert "已暂停" in (card.text or "")
    report = await h.press(GRID1_CHIEF, card, "发送记录")
    assert "发布人已不能再发到这里" in (report.messages[-1].text or "")
    resumed = await h.press(GRID1_CHIEF, card, "恢复")
    assert not resumed.alert, resumed.alert
    async with h.db() as session:
        notice = await session.scalar(select(Notice))
        chief = await session.scalar(select(Resident).where(Resident.telegram_id == GRID1_CHIEF))
        assert notice is not None and chief is not None
        assert notice.author_id == chief.id and notice.state == NoticeState.SCHEDULED
        third = notice.next_run_at
    assert third is not None
    await h.run_job("notices.due", now=third + timedelta(seconds=5))
    await h.drain_outbox()
    assert group_texts(h, B1_GROUP) == ["每天早上倒垃圾"] * 2


async def test_a_chief_moved_to_another_grid_no_longer_posts_to_the_old_one(h: Harness) -> None:
    await bind_example_groups(h)
    await h.ask(ADMIN_ID, "/start")  # the admin of ADMIN_IDS is known to the bot
    asked = await start_message_flow(h, GRID1_CHIEF, "下周三体检")
    target_q = await pick(h, GRID1_CHIEF, asked, "不加附件")
    when_q = await pick(h, GRID1_CHIEF, target_q, "第一网格 网格群")
    await pick(h, GRID1_CHIEF, when_q, "定时发送")
    due = (datetime.now(UTC) + timedelta(days=2)).replace(second=0, microsecond=0)
    await h.send(GRID1_CHIEF, due.astimezone(h.settings.tz).strftime("%Y-%m-%d %H:%M"))
    await h.press(GRID1_CHIEF, h.emu.messages(GRID1_CHIEF)[-1], "确认")

    await change_role(h, GRID1_CHIEF, Role.GRID_CHIEF, grid="第二网格")
    admin_before = len(h.emu.messages(ADMIN_ID))
    author_before = len(h.emu.messages(GRID1_CHIEF))
    await h.run_job("notices.due", now=due + timedelta(seconds=5))
    await h.drain_outbox()
    assert h.emu.messages(GRID1_GROUP) == []
    (to_author,) = h.emu.messages(GRID1_CHIEF)[author_before:]
    assert "不能再发到这里" in (to_author.text or "")
    # 第一网格 has no grid chief now: the admins are told
    (to_admin,) = h.emu.messages(ADMIN_ID)[admin_before:]
    assert "N1" in (to_admin.text or "") and "第一网格 网格群" in (to_admin.text or "")
    async with h.db() as session:
        notice = await session.scalar(select(Notice))
        assert notice is not None and notice.state == NoticeState.PAUSED
    # the moved chief no longer sees it in /notices
    replies = await h.send(GRID1_CHIEF, "/notices")
    assert "没有定时或周期通知" in (replies[-1].text or "")
