"""The member's and the contact's side of a project in English: the member signs up for a
project's task, checks in and sees their hours; the lead unit's contact posts progress; on
the 1st the contact's monthly report and its CSV arrive in English."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import update

from linli.bot.callbacks.points import CONFIRMED, ActManage
from linli.models.points import Activity, LedgerEntry
from linli.services import residents
from tests.support import GRID1_CHIEF, Harness, texts
from tests.support_partners import (
    CONTACT,
    GROUP,
    MEMBER,
    bind_grid_group,
    need_from_wish,
    open_section,
    project_with_task,
    unit_with_member,
    wish_by,
)

AUTHOR = 7301  # 第一网格 · 1号楼


async def test_a_member_and_the_contact_in_english(h: Harness) -> None:
    await bind_grid_group(h, GRID1_CHIEF)
    await h.add_resident(AUTHOR, "第一网格", "1号楼", name="张奶奶")
    await unit_with_member(h, member_name="Li")
    async with h.db() as session:
        for telegram_id in (CONTACT, MEMBER):
            person = await residents.get_by_telegram_id(session, telegram_id)
            assert person is not None
            person.language = "en"
        await session.commit()
    task_id = await project_with_task(
        h, GRID1_CHIEF, await need_from_wish(h, GRID1_CHIEF, await wish_by(h, AUTHOR))
    )

    # the member signs up for the project's task
    tasks = await open_section(h, MEMBER, "Tasks to sign up for")
    assert "Project tasks you can sign up for" in (tasks.text or "")
    await h.press(MEMBER, tasks, "上门义诊")
    card = h.emu.message(tasks.chat_id, tasks.message_id)
    assert "(project P1)" in (card.text or "") and "Places taken: 0/5" in (card.text or "")
    assert "You are signed up!" in (await h.press(MEMBER, card, "Sign up")).alert

    # at the task: checked in, the chief confirms, the hours show
    now = datetime.now(UTC)
    async with h.db() as session:
        await session.execute(
            update(Activity)
            .where(Activity.id == task_id)
            .values(starts_at=now - timedelta(minutes=10), ends_at=now + timedelta(minutes=110))
        )
        await session.commit()
        code = (await session.get(Activity, task_id)).checkin_code  # type: ignore[union-attr]
    assert "Checked in: 上门义诊" in texts(await h.send(MEMBER, f"/checkin {code}"))
    await h.press_data(
        GRID1_CHIEF, card, ActManage(activity_id=task_id, action=CONFIRMED["confirm"]).pack()
    )
    assert await h.count(LedgerEntry, LedgerEntry.delta == 5) == 1
    hours = await open_section(h, MEMBER, "My hours and points")
    assert "This month: 1 task, 2 h" in (hours.text or "")

    # the lead unit's contact posts progress to the grid's group
    listing = await h.ask(CONTACT, "/projects")
    await h.press(CONTACT, listing, "P1")
    await h.press(CONTACT, h.emu.message(listing.chat_id, listing.message_id), "Post progress")
    asked = h.emu.last_message(CONTACT)
    assert asked is not None and "The latest progress of P1" in (asked.text or "")
    replies = await h.send(CONTACT, "12 elderly neighbours visited")
    assert "The progress of P1 is posted" in texts(replies)
    await h.drain_outbox()
    assert "12 elderly neighbours" in (h.emu.last_message(GROUP).text or "")  # type: ignore[union-attr]

    # on the 1st: the report in English, with each member's line in the CSV
    local = datetime.now(ZoneInfo("Asia/Shanghai"))
    first = (local.replace(day=1) + timedelta(days=32)).replace(day=1, hour=9, minute=30)
    assert await h.run_job("partners.monthly_reports", first) == 1
    report = h.emu.last_message(CONTACT)
    assert report is not None and report.document
    caption = report.caption or ""
    assert "“阳光小学”: report for" in caption and "Tasks: 1, 2 h in all" in caption
    assert "Members: 2 (1 took part)" in caption
    rows = list(csv.reader(io.StringIO(h.emu.file_bytes(report.file_id or "").decode("utf-8-sig"))))
    assert ["Li", "1", "2.0", "5", "0"] in rows
