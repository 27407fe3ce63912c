"""Points delivery: what residents and groups see of volunteer points outside a reply.

- activities: reminders (with the real time left), "you moved up from the waiting list",
  "your hours are confirmed", "the activity is called off", and the check-in QR image;
- the monthly caps: credits withheld (told to the resident, and to a wish's author), a cap
  lifted by an admin;
- the charity shop: a chief handed over or cancelled a redemption, a redemption expired;
- awards and corrections told to the resident;
- leaderboards: the board text (shared with /leaderboard), the monthly post to each bound
  grid group with its bar chart (enqueued in the outbox), and the hook that remembers the
  post's Telegram message id once it is delivered.

`when`, `time_left`, `checkin_qr`, `display_name` and `board_text` are plain functions so
replies render the same way.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

import segno

from linli.bot.charts import render_bar_chart
from linli.bot.delivery.sender import Delivered, on_delivered, wake
from linli.config import Settings
from linli.models import Resident
from linli.models.points import Activity, Redemption, RewardItem
from linli.services import leaderboard as board_service
from linli.services import ledger
from linli.services.activities import Credited
from linli.services.people import shown_name
from linli.services.rewards import RedemptionAction, RedemptionCard

if TYPE_CHECKING:
    from linli.bot.delivery import Delivery

T = Callable[..., str]
"""A translate function: `i18n.get`, or the translator bound to a locale."""


def when(activity: Activity, settings: Settings) -> str:
    """`2026-12-05 09:00–11:00`, in the community's time zone."""
    start = activity.starts_at.astimezone(settings.tz)
    end = activity.ends_at.astimezone(settings.tz)
    return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"


def time_left(t: T, start: datetime, now: datetime) -> str:
    """ "8 minutes", "2 hours 5 minutes": from `now` to `start`, rounded up to the minute."""
    minutes = max(0, -(-int((start - now).total_seconds()) // 60))
    if minutes < 60:
        return t("activities-left-minutes", minutes=minutes)
    return t("activities-left-hours", hours=minutes // 60, minutes=minutes % 60)


def checkin_qr(link: str) -> bytes:
    """The check-in link as a PNG QR code, large enough to print for the door."""
    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="png", scale=12, border=4)
    return buffer.getvalue()


def unusual_text(t: T, unusual: ledger.Unusual) -> str:
    """The "unusual credits" block of /stats: pairs of residents with many wish credits
    between them, residents who earned much or had credits held back by the monthly cap."""
    lines = [t("points-unusual-title")]
    lines += [
        t(
            "points-unusual-pair",
            claimer=pair.claimer,
            author=pair.author,
            credits=pair.credits,
            points=pair.points,
        )
        for pair in unusual.pairs
    ]
    lines += [
        t("points-unusual-resident", name=row.name, earned=row.earned, withheld=row.withheld)
        for row in unusual.residents
    ]
    return "\n".join(lines)


# --- leaderboards -----------------------------------------------------------------------------


def display_name(t: T, row: board_service.Standing) -> str:
    """The name a leaderboard shows: the resident's, or "a neighbour of Building N" when
    they chose so (or have no name)."""
    if row.as_neighbour:
        return t("board-neighbour", building=row.building)
    return row.name or t("board-neighbour", building=row.building)


def board_lines(t: T, rows: Sequence[board_service.Standing]) -> list[str]:
    return [
        t("board-line", rank=str(row.rank), name=display_name(t, row), points=str(row.points))
        for row in rows
    ]


def board_text(t: T, board: board_service.Board) -> str:
    """/leaderboard: the title, the top rows and, in a private chat, the reader's rank."""
    unit = board.grid.name if board.grid is not None else t("board-community")
    period = t("board-month" if board.period == board_service.Period.MONTH else "board-all")
    lines = board_lines(t, board.top) or [t("board-empty")]
    text = t("board-title", unit=unit, period=period) + "\n" + "\n".join(lines)
    if board.viewer:
        mine = board.mine
        text += "\n\n" + (
            t("board-you", rank=str(mine.rank), points=mine.points)
            if mine is not None
            else t("board-you-none")
        )
    return text


@on_delivered(board_service.POST_SOURCE)
async def leaderboard_delivered(core: Delivery, delivered: Delivered) -> None:
    """Remember the Telegram message id of a group's leaderboard post."""
    if delivered.source_id is not None:
        async with core.sessionmaker() as session:
            await board_service.record_post(session, delivered.source_id, delivered.message_id)


class PointsDelivery:
    def __init__(self, core: Delivery) -> None:
        self.core = core

    def when(self, activity: Activity) -> str:
        return when(activity, self.core.settings)

    def _t(self, key: str, **kwargs: object) -> str:
        """A text in the community's default language (group posts)."""
        return self.core.translator.get(key, self.core.settings.default_language, **kwargs)

    # --- activities ---------------------------------------------------------------------------

    async def remind(
        self, due: Sequence[tuple[Activity, str, Sequence[Resident]]], now: datetime
    ) -> int:
        """The evening-before ("eve") or hour-before ("hour") reminders claimed by
        `services.activities.claim_reminders`, with the day, the time and the real time
        left (a reminder sent late says so); returns how many were sent."""
        tz = self.core.settings.tz
        sent = 0
        for activity, kind, people in due:
            days = (activity.starts_at.astimezone(tz).date() - now.astimezone(tz).date()).days
            for person in people:
                t = self._for(person)
                sent += await self.core.tell(
                    person,
                    f"activities-remind-{kind}",
                    title=activity.title,
                    day=days,
                    date=self.core.local_time(activity.starts_at, "%m-%d"),
                    time=self.core.local_time(activity.starts_at, "%H:%M"),
                    left=time_left(t, activity.starts_at, now),
                    place=activity.place,
                )
        return sent

    def _for(self, resident: Resident) -> T:
        """The translate function of `resident`'s language."""

        def t(key: str, **kwargs: object) -> str:
            return self.core.translator.for_resident(resident, key, **kwargs)

        return t

    async def promoted(self, resident: Resident | None, activity: Activity) -> None:
        """Someone gave up their seat: `resident` moved up from the waiting list."""
        if resident is not None:
            await self.core.tell(
                resident,
                "activities-promoted",
                title=activity.title,
                time=self.when(activity),
                place=activity.place,
            )

    async def credited(self, activity: Activity, credited: Sequence[Credited]) -> None:
        """The hours are confirmed: each attendee hears how many points they earned (what
        a cap withheld is told by `tell_withheld`)."""
        for person in credited:
            await self.core.tell(
                person.resident,
                "activities-credited",
                title=activity.title,
                points=person.credit.credited,
            )

    # --- the monthly caps -------------------------------------------------------------------

    async def tell_withheld(self) -> int:
        """Tell about credits a monthly cap withheld (claimed once each): the resident, and
        for a wish its author. Returns how many were claimed."""
        async with self.core.sessionmaker() as session:
            rows = await ledger.claim_withheld_to_tell(session, self.core.now())
        for item in rows:
            row = item.row
            params = {
                "ref": row.reference,
                "why": row.why.value,
                "wanted": row.wanted,
                "credited": row.credited,
                "cap": row.cap,
                "pair": row.cap,
            }
            await self.core.tell(item.resident, "points-withheld", **params)
            if item.counterpart is not None:
                name = item.resident.display_name or "-"
                await self.core.tell(
                    item.counterpart, "points-withheld-author", name=name, **params
                )
        return len(rows)

    async def cap_lifted(self, lifted: ledger.Lifted) -> None:
        await self.core.tell(
            lifted.resident, "points-cap-lifted", month=lifted.period, released=lifted.released
        )

    async def called_off(self, activity: Activity, people: Sequence[Resident]) -> None:
        for person in people:
            await self.core.tell(
                person, "activities-told-stopped", title=activity.title, time=self.when(activity)
            )

    # --- the charity shop ----------------------------------------------------------------------

    async def redemption_closed(
        self, card: RedemptionCard, action: RedemptionAction, actor: Resident
    ) -> None:
        """A chief handed over or cancelled someone's redemption: tell its owner (not when
        the owners cancel their own)."""
        if card.owner.id == actor.id:
            return
        key = (
            "rewards-told-handed-over"
            if action == RedemptionAction.HAND_OVER
            else "rewards-told-cancelled"
        )
        await self.core.tell(card.owner, key, id=f"R{card.redemption.id}", item=card.item.name)

    async def expired(self, expired: Sequence[tuple[Redemption, RewardItem, Resident]]) -> None:
        """Redemptions nobody picked up in time: the points are back."""
        for redemption, item, owner in expired:
            await self.core.tell(
                owner,
                "rewards-told-expired",
                id=f"R{redemption.id}",
                item=item.name,
                points=str(redemption.cost),
            )

    # --- awards --------------------------------------------------------------------------------

    async def awarded(
        self, target: Resident, chief: Resident, points: int, reason: str, *, correction: bool
    ) -> None:
        await self.core.tell(
            target,
            "award-corrected" if correction else "award-told",
            points=f"{points:+d}",
            reason=reason,
            chief=shown_name(self._t, chief),
        )

    # --- the monthly leaderboard ----------------------------------------------------------------

    async def post_monthly(self, board: board_service.MonthlyBoard) -> int:
        """Post one grid's monthly board to its groups: the chart as a photo with the board
        as its caption (text only when nobody earned points). Returns how many posts were
        enqueued."""
        t = self._t
        lines = board_lines(t, board.top)
        caption = (
            t("board-monthly-title", unit=board.grid_name, month=board.period)
            + "\n"
            + ("\n".join(lines) if lines else t("board-empty"))
        )
        chart = None
        if board.top:
            chart = await asyncio.to_thread(
                render_bar_chart,
                t("board-chart-title", unit=board.grid_name, month=board.period),
                [display_name(t, row) for row in board.top],
                [row.points for row in board.top],
            )
        posted = 0
        for chat_id in board.chat_ids:
            posted += await self.post_leaderboard(chat_id, board.period, caption, chart)
        return posted

    async def post_leaderboard(
        self, chat_id: int, period: str, caption: str, chart: bytes | None
    ) -> bool:
        """The one place that posts a leaderboard to a group (a photo with a caption, or
        text): claimed per (chat, month) and enqueued in the outbox in one transaction.
        False when this group already had this month's leaderboard."""
        async with self.core.sessionmaker() as session:
            queued = await board_service.claim_and_post(
                session, chat_id, period, caption=caption, chart=chart
            )
        if queued is None:
            return False
        wake()
        return True
