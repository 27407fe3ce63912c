"""A project end to end through the bot (项目清单): a need made from a micro-wish is matched
with a unit's resource in a project led by the unit; the project is posted to the grid's
group, started, gets a task a partner member signs up for, checks in at and is credited for;
the lead unit's contact posts progress; the result is published and rated by residents of
the scope only, once each. Forged buttons from other areas are refused."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import update

from linli.bot.callbacks.points import CONFIRMED, ActManage
from linli.models.partners import Need, NeedState, Project, ProjectRating, ProjectState
from linli.models.points import Activity, LedgerEntry
from tests.support import GRID1_CHIEF, GRID2_CHIEF, Harness, texts
from tests.support_partners import (
    CONTACT,
    GROUP,
    MEMBER,
    add_resource,
    bind_grid_group,
    day,
    need_from_wish,
    open_section,
    press_last,
    unit_with_member,
    wish_by,
)

AUTHOR = 7201  # 第一网格 · 1号楼
NEIGHBOUR = 7202  # 第一网格 · 2号楼
FAR = 7203  # 第二网格 · 4号楼


async def make_project(h: Harness) -> None:
    """The grid chief makes P1 from N1 and S1, led by the unit."""
    listing = await h.ask(GRID1_CHIEF, "/projects")
    await h.press(GRID1_CHIEF, listing, "新建项目")
    await h.send(GRID1_CHIEF, "关爱独居老人健康行动")
    lead = await h.ask(GRID1_CHIEF, "为独居老人上门义诊、陪同复查")
    needs = await press_last(h, GRID1_CHIEF, "阳光小学")
    assert needs is lead
    refused = await h.press(GRID1_CHIEF, needs, "下一步")
    assert "至少选择一项需求" in refused.alert
    await h.press(GRID1_CHIEF, needs, "N1")
    assert "☑ N1" in str(h.emu.message(needs.chat_id, needs.message_id).buttons)
    await h.press(GRID1_CHIEF, needs, "下一步")
    await h.press(GRID1_CHIEF, needs, "S1")
    await h.press(GRID1_CHIEF, needs, "下一步")
    wrong = await h.ask(GRID1_CHIEF, "昨天 9点")
    assert "将来的时间" in (wrong.text or "")
    await h.send(GRID1_CHIEF, day(1))
    preview = await h.ask(GRID1_CHIEF, day(30))
    assert "对接需求：1 项" in (preview.text or "") and "使用资源：1 项" in (preview.text or "")
    await h.press(GRID1_CHIEF, preview, "确认")


async def test_a_need_is_met_by_a_project_with_a_task(h: Harness) -> None:
    await bind_grid_group(h, GRID1_CHIEF)
    await h.add_resident(AUTHOR, "第一网格", "1号楼", name="张奶奶")
    await h.add_resident(NEIGHBOUR, "第一网格", "2号楼", name="老陈")
    await h.add_resident(FAR, "第二网格", "4号楼", name="小赵")
    await unit_with_member(h)
    await add_resource(h, CONTACT)
    await need_from_wish(h, GRID1_CHIEF, await wish_by(h, AUTHOR))

    await make_project(h)
    await h.drain_outbox()
    post = h.emu.last_message(GROUP)
    assert post is not None and "新项目 P1" in (post.text or "") and "阳光小学" in (post.text or "")
    async with h.db() as session:
        need = await session.get(Need, 1)
        assert need is not None and need.state == NeedState.MATCHED

    # another grid's chief cannot start it; the grid chief does
    card = h.emu.last_message(GRID1_CHIEF)
    assert card is not None and "P1" in (card.text or "")
    assert "不在您负责的范围" in (await h.press_data(GRID2_CHIEF, card, "uj:1:start")).alert
    await h.press(GRID1_CHIEF, card, "开始实施")
    await h.drain_outbox()
    assert "开始实施" in (h.emu.last_message(GROUP).text or "")  # type: ignore[union-attr]

    # a task, which the member signs up for
    card = h.emu.message(card.chat_id, card.message_id)
    await h.press(GRID1_CHIEF, card, "添加任务")
    await h.send(GRID1_CHIEF, "上门义诊")
    await h.send(GRID1_CHIEF, "1号楼活动室")
    await h.send(GRID1_CHIEF, day(2))
    await press_last(h, GRID1_CHIEF, "2 小时")
    await h.send(GRID1_CHIEF, "10")
    preview = await h.ask(GRID1_CHIEF, "5")
    await h.press(GRID1_CHIEF, preview, "确认")
    tasks = await open_section(h, MEMBER, "可以报名的任务")
    await h.press(MEMBER, tasks, "上门义诊")
    task = h.emu.message(tasks.chat_id, tasks.message_id)
    assert "项目 P1" in (task.text or "")
    assert "报名成功" in (await h.press(MEMBER, task, "报名")).alert

    # at the task: the member checks in with the code, the grid chief confirms the hours
    now = datetime.now(UTC)
    async with h.db() as session:
        await session.execute(
            update(Activity).values(
                starts_at=now - timedelta(minutes=10), ends_at=now + timedelta(minutes=110)
            )
        )
        await session.commit()
        code = (await session.get(Activity, 1)).checkin_code  # type: ignore[union-attr]
    assert "已签到" in texts(await h.send(MEMBER, f"/checkin {code}"))
    await h.press_data(
        GRID1_CHIEF, card, ActManage(activity_id=1, action=CONFIRMED["confirm"]).pack()
    )
    assert await h.count(LedgerEntry, LedgerEntry.delta == 5) == 1
    hours = await open_section(h, MEMBER, "我的时长与积分")
    assert "本月：参加任务 1 次，共 2 小时" in (hours.text or "")

    # the lead unit's contact posts progress
    listing = await h.ask(CONTACT, "/projects")
    await h.press(CONTACT, listing, "P1")
    await h.press(CONTACT, h.emu.message(listing.chat_id, listing.message_id), "发布进展")
    await h.send(CONTACT, "已为 12 位老人完成上门义诊")
    await h.drain_outbox()
    assert "12 位老人" in (h.emu.last_message(GROUP).text or "")  # type: ignore[union-attr]
    # a member may not finish it
    assert (await h.press_data(MEMBER, listing, "uj:1:done")).alert

    # done: the result is published, residents of the grid rate it once
    listing = await h.ask(GRID1_CHIEF, "/projects")
    await h.press(GRID1_CHIEF, listing, "P1")
    await h.press(GRID1_CHIEF, h.emu.message(listing.chat_id, listing.message_id), "完成并公示成果")
    await h.send(GRID1_CHIEF, "共服务独居老人 12 位，陪同复查 5 次")
    await h.drain_outbox()
    result = h.emu.last_message(GROUP)
    assert result is not None and "成果公示" in (result.text or "") and result.buttons
    async with h.db() as session:
        project = await session.get(Project, 1)
        need = await session.get(Need, 1)
    assert project is not None and project.state == ProjectState.DONE
    assert need is not None and need.state == NeedState.MET
    rated = await h.press_data(NEIGHBOUR, result, "ut:1:5")
    assert "感谢评价" in rated.alert
    assert "已经评价过" in (await h.press_data(NEIGHBOUR, result, "ut:1:4")).alert
    assert "范围内的居民" in (await h.press_data(FAR, result, "ut:1:1")).alert
    assert "范围内的居民" in (await h.press_data(MEMBER, result, "ut:1:1")).alert
    assert await h.count(ProjectRating) == 1

    # on the 1st, the unit's contact gets last month's report with one line per member
    local = datetime.now(ZoneInfo("Asia/Shanghai"))
    first = (local.replace(day=1) + timedelta(days=32)).replace(day=1, hour=9, minute=30)
    assert await h.run_job("partners.monthly_reports", first) == 1
    report = h.emu.last_message(CONTACT)
    assert report is not None and report.document
    assert "阳光小学" in (report.caption or "") and "2 小时" in (report.caption or "")
    rows = list(csv.reader(io.StringIO(h.emu.file_bytes(report.file_id or "").decode("utf-8-sig"))))
    assert rows[0] == ["member", "tasks", "hours", "points", "wishes_fulfilled"]
    assert ["小李", "1", "2.0", "5", "0"] in rows
    assert await h.run_job("partners.monthly_reports", first) == 0
