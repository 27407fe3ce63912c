"""The admins' yearly evaluation through the bot (`/export partners 2026`): units and members
with each quarter's hours; party members in service appear in the admins' table only; cells
are Excel-safe; members who joined nothing in a finished quarter are marked for a reminder;
a unit's contact cannot export; a bad year is refused with the expected form."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from sqlalchemy import update

from linli.models.partners import PartnerMember
from tests.support import ADMIN_ID, Harness, texts
from tests.support_partners import CONTACT, unit_with_member


def table(h: Harness, message: object) -> list[list[str]]:
    data = h.emu.file_bytes(message.file_id or "")  # type: ignore[attr-defined]
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


async def test_the_yearly_evaluation(h: Harness) -> None:
    await unit_with_member(h, member_name="=HYPERLINK(1)", party=True)
    year = datetime.now(UTC).year
    async with h.db() as session:  # they reported in a year ago: every finished quarter idle
        await session.execute(
            update(PartnerMember).values(approved_at=datetime(year - 1, 6, 1, tzinfo=UTC))
        )
        await session.commit()
    replies = await h.send(ADMIN_ID, f"/export partners {year}")
    documents = [m for m in replies if m.document]
    assert len(documents) == 2
    units, members = table(h, documents[0]), table(h, documents[1])
    assert units[0][:4] == ["unit", "name", "kind", "state"]
    assert units[1][:6] == ["U1", "阳光小学", "school", "active", "2", "0"]
    by_name = {row[2]: row for row in members[1:]}
    assert by_name["'=HYPERLINK(1)"][3] == "yes"  # inert, and the party membership for admins
    assert by_name["王老师"][3] == "no"
    finished = (datetime.now(UTC).month - 1) // 3
    idle = " ".join(f"Q{q}" for q in range(1, finished + 1))
    assert by_name["'=HYPERLINK(1)"][-1] == idle
    assert (f"有 {2 if finished else 0} 人") in (documents[1].caption or "")

    # not for a unit's contact; a bad year is explained
    refused = await h.ask(CONTACT, f"/export partners {year}")
    assert not refused.document
    assert "四位数字" in texts(await h.send(ADMIN_ID, "/export partners 20２6"))
    # other kinds still reach the points export
    points = await h.ask(ADMIN_ID, "/export points")
    assert points.document and "partner" not in str(
        points.data.get("document", {}).get("file_name")
    )
