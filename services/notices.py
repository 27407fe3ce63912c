"""Notices: validation (Telegram HTML, length, time), targets within the chief's area,
schedules (once, daily, weekly, monthly, computed with APScheduler's CronTrigger in the
community's time zone), management, and the runs the notices job claims.

What is due lives in `notices.next_run_at`; the job claims a due notice with a conditional
UPDATE on that value and creates its run (unique per notice and scheduled time) in the same
transaction, so a job running twice or in two processes never runs a notice twice. Each
run re-checks the author's current role and area first (`author_may_post`).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, tzinfo
from html.parser import HTMLParser

from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from linli.models import Building, ChatBinding, Grid, Resident, ResidentStatus, Role
from linli.models.db import write_transaction
from linli.models.notices import (
    Notice,
    NoticeKind,
    NoticeRun,
    NoticeState,
    OutboxMessage,
    Repeat,
    RunStatus,
    TargetKind,
)
from linli.services import audit, outbox, parsing, structure
from linli.services.authz import manages_building, manages_grid, require_role
from linli.services.errors import (
    DomainError,
    InvalidState,
    NotFound,
    PermissionDenied,
    StaleAction,
    ValidationFailed,
)

TEXT_LIMIT = 4096
CAPTION_LIMIT = outbox.CAPTION_MAX
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MEDIA_KINDS = ("photo", "document", "voice")
AGENDA_DEFAULT_TIME = "09:00"
AGENDA_DEFAULT_DAYS = ("mon",)


# --------------------------------------------------------------------------------------------
# Telegram HTML
# --------------------------------------------------------------------------------------------

ALLOWED_TAGS = frozenset(
    {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "code",
        "pre",
        "blockquote",
        "tg-emoji",
        "tg-time",
    }
)
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_BARE_LT = re.compile(r"<(?![A-Za-z/])")
_BAD_AMP = re.compile(r"&(?!(?:lt|gt|amp|quot|#\d+|#x[0-9A-Fa-f]+);)([A-Za-z][A-Za-z0-9]*;)")


class _HtmlChecker(HTMLParser):
    """Checks text against what Telegram accepts with parse_mode=HTML; counts visible
    characters. Raises ValidationFailed naming the first problem."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.visible: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag not in ALLOWED_TAGS:
            raise ValidationFailed("notice-html-bad-tag", tag=tag)
        if tag == "a" and not (values.get("href") or "").strip():
            raise ValidationFailed("notice-html-link")
        if tag == "span" and values.get("class") != "tg-spoiler":
            raise ValidationFailed("notice-html-span")
        if tag == "tg-emoji" and not values.get("emoji-id"):
            raise ValidationFailed("notice-html-bad-tag", tag=tag)
        if tag == "tg-time" and parsing.parse_int(values.get("unix"), low=0) is None:
            raise ValidationFailed("notice-html-bad-tag", tag=tag)
        self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raise ValidationFailed("notice-html-bad-tag", tag=tag)

    def handle_endtag(self, tag: str) -> None:
        if tag not in ALLOWED_TAGS:
            raise ValidationFailed("notice-html-bad-tag", tag=tag)
        if not self.stack:
            raise ValidationFailed("notice-html-unopened", tag=tag)
        if self.stack[-1] != tag:
            if tag in self.stack:
                raise ValidationFailed("notice-html-misnested", tag=tag, open=self.stack[-1])
            raise ValidationFailed("notice-html-unopened", tag=tag)
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.visible.append(data)

    def handle_entityref(self, name: str) -> None:
        if name not in _NAMED_ENTITIES:
            raise ValidationFailed("notice-html-entity", entity=f"&{name};")
        self.visible.append(_NAMED_ENTITIES[name])

    def handle_charref(self, name: str) -> None:
        self.visible.append("?")

    def handle_comment(self, data: str) -> None:
        raise ValidationFailed("notice-html-bad-tag", tag="!--")

    def handle_decl(self, decl: str) -> None:
        raise ValidationFailed("notice-html-bad-tag", tag="!")

    def unknown_decl(self, data: str) -> None:
        raise ValidationFailed("notice-html-bad-tag", tag="!")

    def handle_pi(self, data: str) -> None:
        raise ValidationFailed("notice-html-bad-tag", tag="?")


def visible_text(html_text: str) -> str:
    """The text as Telegram shows it (tags removed, entities decoded), after checking the
    HTML. Raises ValidationFailed with the exact problem."""
    bare = _BARE_LT.search(html_text)
    if bare is not None:
        raise ValidationFailed("notice-html-lt", position=str(bare.start() + 1))
    bad = _BAD_AMP.search(html_text)
    if bad is not None:
        raise ValidationFailed("notice-html-entity", entity=bad.group(0))
    checker = _HtmlChecker()
    checker.feed(html_text)
    checker.close()
    if checker.rawdata.strip():  # an unfinished tag such as "<b" at the end
        raise ValidationFailed("notice-html-unfinished", tag=checker.rawdata.strip()[:20])
    if checker.stack:
        raise ValidationFailed("notice-html-unclosed", tag=checker.stack[-1])
    return "".join(checker.visible).strip()


def check_text(text: str, *, media: bool = False) -> str:
    """Validate a notice text (HTML, length); returns it stripped."""
    text = (text or "").strip()
    shown = visible_text(text)
    limit = CAPTION_LIMIT if media else TEXT_LIMIT
    if len(shown) > limit:
        key = "notice-error-caption-long" if media else "notice-error-too-long"
        raise ValidationFailed(key, length=len(shown), limit=limit)
    if not shown and not media:
        raise ValidationFailed("notice-error-empty")
    return text


# --------------------------------------------------------------------------------------------
# Time input and schedules
# --------------------------------------------------------------------------------------------

_HHMM = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")


def _shown(text: str | None) -> str:
    return (text or "").strip()[:40]


def read_time(text: str | None) -> str:
    """A time of day as typed or pressed (`9:30`, `19：30`, `9点`, `9点半`, `下午3点`, `3pm`,
    or a bare hour `9`) → "HH:MM"; ValidationFailed naming the accepted forms otherwise."""
    moment = parsing.parse_time(text)
    if moment is None:
        hour = parsing.parse_int(text, low=0, high=23)
        if hour is None:
            raise ValidationFailed("notice-error-bad-time", text=_shown(text))
        moment = time(hour)
    return f"{moment.hour:02d}:{moment.minute:02d}"


def read_when(text: str | None, now: datetime, tz: tzinfo) -> datetime:
    """A date and time typed in the community's time zone (`2026-12-01 19:30`,
    `12-01 19:30`, `12月1日 19点`, `明天下午3点`, `周五 9点`, `tomorrow 3pm`) → an aware UTC
    datetime. A date without a year is this year, or next year if it has passed; a time in
    the past is refused."""
    moment = parsing.parse_when(text, now, tz)
    if moment is None:
        raise ValidationFailed("notice-error-bad-date", text=_shown(text))
    return future(moment, now)


def future(moment: datetime, now: datetime) -> datetime:
    """`moment` in UTC; ValidationFailed when it is not after `now`."""
    if moment <= now:
        raise ValidationFailed("notice-error-past")
    return moment.astimezone(UTC)


def read_month_day(text: str | None) -> int:
    """A day of the month typed as ASCII digits, 1 to 31."""
    day = parsing.parse_int(text, low=1, high=31)
    if day is None:
        raise ValidationFailed("notice-error-bad-day", text=_shown(text))
    return day


def _valid_time(value: str | None) -> bool:
    return value is not None and _HHMM.fullmatch(value) is not None


@dataclass(frozen=True)
class Schedule:
    """When a notice runs. `run_at` None with ONCE means "now"."""

    repeat: Repeat
    run_at: datetime | None = None
    at_time: str | None = None
    weekdays: tuple[str, ...] = ()
    month_day: int | None = None

    def check(self, now: datetime) -> None:
        if self.repeat == Repeat.ONCE:
            if self.run_at is not None and self.run_at <= now:
                raise ValidationFailed("notice-error-past")
            return
        if not _valid_time(self.at_time):
            raise ValidationFailed("notice-error-bad-time", text=_shown(self.at_time))
        if self.repeat == Repeat.WEEKLY and (
            not self.weekdays or any(d not in WEEKDAYS for d in self.weekdays)
        ):
            raise ValidationFailed("notice-error-no-days")
        if self.repeat == Repeat.MONTHLY and not (
            self.month_day is not None and 1 <= self.month_day <= 31
        ):
            raise ValidationFailed("notice-error-bad-day", text=str(self.month_day or ""))

    def trigger(self, tz: tzinfo) -> CronTrigger:
        hour, minute = (int(x) for x in (self.at_time or "09:00").split(":"))
        if self.repeat == Repeat.WEEKLY:
            days = ",".join(d for d in WEEKDAYS if d in self.weekdays)
            return CronTrigger(day_of_week=days, hour=hour, minute=minute, timezone=tz)
        if self.repeat == Repeat.MONTHLY:
            return CronTrigger(day=self.month_day, hour=hour, minute=minute, timezone=tz)
        return CronTrigger(hour=hour, minute=minute, timezone=tz)

    def first_run(self, now: datetime, tz: tzinfo) -> datetime:
        if self.repeat == Repeat.ONCE:
            return self.run_at or now
        fire = self.trigger(tz).get_next_fire_time(None, now)
        assert fire is not None
        return fire.astimezone(now.tzinfo)

    def next_after(self, previous: datetime, tz: tzinfo) -> datetime | None:
        """The first run strictly after `previous` (None for one-off notices)."""
        if self.repeat == Repeat.ONCE:
            return None
        fire = self.trigger(tz).get_next_fire_time(previous, previous)
        return fire.astimezone(previous.tzinfo) if fire is not None else None


def schedule_of(notice: Notice) -> Schedule:
    return Schedule(
        repeat=notice.repeat,
        run_at=notice.next_run_at if notice.repeat == Repeat.ONCE else None,
        at_time=notice.at_time,
        weekdays=tuple(d for d in (notice.weekdays or "").split(",") if d),
        month_day=notice.month_day,
    )


# --------------------------------------------------------------------------------------------
# Targets and areas
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    kind: TargetKind
    grid_id: int | None = None
    building_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Area:
    community_id: int | None
    grid_id: int | None
    building_id: int | None


@dataclass(frozen=True)
class TargetOptions:
    """What the actor may target: `all` (admins), grids, and buildings per grid."""

    all: bool
    grids: list[Grid]
    buildings: dict[int, list[Building]] = field(default_factory=dict)


async def target_options(session: AsyncSession, actor: Resident) -> TargetOptions:
    require_role(actor, Role.BUILDING_CHIEF)
    if actor.role == Role.BUILDING_CHIEF:
        building, grid = await structure.get_building(session, actor.chief_building_id or 0)
        return TargetOptions(all=False, grids=[grid], buildings={grid.id: [building]})
    if actor.role == Role.GRID_CHIEF:
        grids = [await structure.get_grid(session, actor.chief_grid_id or 0)]
    else:
        grids = await structure.list_grids(session, actor.community_id)
    buildings = {g.id: await structure.list_buildings(session, g.id) for g in grids}
    return TargetOptions(all=actor.role == Role.ADMIN, grids=grids, buildings=buildings)


async def check_target(
    session: AsyncSession, actor: Resident, target: Target, kind: NoticeKind = NoticeKind.MESSAGE
) -> Area:
    """The area the notice belongs to; PermissionDenied outside the actor's area."""
    require_role(actor, Role.BUILDING_CHIEF)
    if kind == NoticeKind.AGENDA and not (
        target.kind == TargetKind.GRID
        or (target.kind == TargetKind.BUILDINGS and len(target.building_ids) == 1)
    ):
        raise ValidationFailed("notice-error-agenda-target")
    if target.kind == TargetKind.ALL:
        if actor.role != Role.ADMIN:
            raise PermissionDenied("error-outside-area")
        return Area(actor.community_id, None, None)
    if target.kind in (TargetKind.GRID, TargetKind.GRID_BUILDINGS):
        grid = await structure.get_grid(session, target.grid_id or 0)
        if not manages_grid(actor, grid):
            raise PermissionDenied("error-outside-area")
        return Area(grid.community_id, grid.id, None)
    if not target.building_ids:
        raise ValidationFailed("notice-error-no-buildings")
    grids: set[int] = set()
    community_id = actor.community_id
    for building_id in target.building_ids:
        building, grid = await structure.get_building(session, building_id)
        if not manages_building(actor, building, grid):
            raise PermissionDenied("error-outside-area")
        grids.add(grid.id)
        community_id = grid.community_id
    if actor.role == Role.BUILDING_CHIEF:
        return Area(community_id, grids.pop(), actor.chief_building_id)
    return Area(community_id, grids.pop() if len(grids) == 1 else None, None)


def target_of(notice: Notice) -> Target:
    return Target(notice.target_kind, notice.target_grid_id, tuple(notice.building_ids or ()))


async def chats_for(session: AsyncSession, target: Target, community_id: int | None) -> list[int]:
    """Active bound groups of a target, resolved now (groups bound later are included)."""
    stmt = select(ChatBinding.chat_id).where(ChatBinding.active)
    if target.kind == TargetKind.ALL:
        grid_ids = select(Grid.id)
        if community_id is not None:
            grid_ids = grid_ids.where(Grid.community_id == community_id)
        stmt = stmt.where(
            or_(
                ChatBinding.grid_id.in_(grid_ids),
                ChatBinding.building_id.in_(
                    select(Building.id).where(Building.grid_id.in_(grid_ids))
                ),
            )
        )
    elif target.kind == TargetKind.GRID:
        stmt = stmt.where(ChatBinding.grid_id == target.grid_id)
    elif target.kind == TargetKind.GRID_BUILDINGS:
        stmt = stmt.where(
            ChatBinding.building_id.in_(
                select(Building.id).where(Building.grid_id == target.grid_id)
            )
        )
    else:
        stmt = stmt.where(ChatBinding.building_id.in_(list(target.building_ids)))
    rows = await session.scalars(stmt.order_by(ChatBinding.id))
    return list(rows.all())


@dataclass(frozen=True)
class TargetLabel:
    """Names for showing a target: kind plus grid/building names."""

    kind: TargetKind
    grid: str
    buildings: list[str]


async def describe_target(session: AsyncSession, target: Target) -> TargetLabel:
    grid_name = ""
    if target.grid_id is not None:
        grid_name = (await structure.get_grid(session, target.grid_id)).name
    names: list[str] = []
    for building_id in target.building_ids:
        try:
            building, grid = await structure.get_building(session, building_id)
        except NotFound:
            continue
        names.append(f"{grid.name} · {building.name}")
    return TargetLabel(target.kind, grid_name, names)


# --------------------------------------------------------------------------------------------
# Creating and managing notices
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    kind: NoticeKind
    target: Target
    schedule: Schedule
    text: str = ""
    media_kind: str | None = None
    media_file_id: str | None = None


async def create(
    session: AsyncSession, actor: Resident, draft: Draft, now: datetime, tz: tzinfo
) -> Notice:
    """Check everything again (the buttons may be forged) and schedule the notice."""
    require_role(actor, Role.BUILDING_CHIEF)
    text = ""
    if draft.kind == NoticeKind.MESSAGE:
        if draft.media_kind is not None and draft.media_kind not in MEDIA_KINDS:
            raise ValidationFailed()
        text = check_text(draft.text, media=draft.media_kind is not None)
    area = await check_target(session, actor, draft.target, draft.kind)
    draft.schedule.check(now)
    now_once = draft.schedule.repeat == Repeat.ONCE and draft.schedule.run_at is None
    if now_once and not await chats_for(session, draft.target, area.community_id):
        raise ValidationFailed("notice-error-no-groups")
    async with write_transaction(session):
        notice = Notice(
            community_id=area.community_id,
            author_id=actor.id,
            kind=draft.kind,
            text=text,
            media_kind=draft.media_kind if draft.kind == NoticeKind.MESSAGE else None,
            media_file_id=draft.media_file_id if draft.kind == NoticeKind.MESSAGE else None,
            target_kind=draft.target.kind,
            target_grid_id=draft.target.grid_id,
            building_ids=list(draft.target.building_ids),
            area_grid_id=area.grid_id,
            area_building_id=area.building_id,
            repeat=draft.schedule.repeat,
            at_time=draft.schedule.at_time,
            weekdays=",".join(draft.schedule.weekdays) or None,
            month_day=draft.schedule.month_day,
            next_run_at=draft.schedule.first_run(now, tz),
            state=NoticeState.SCHEDULED,
            created_at=now,
        )
        session.add(notice)
        await session.flush()
        await audit.record(
            session,
            actor,
            "notice.create",
            "notice",
            notice.id,
            kind=draft.kind.value,
            target=draft.target.kind.value,
            repeat=draft.schedule.repeat.value,
        )
    return notice


def can_manage(actor: Resident | None, notice: Notice) -> bool:
    if actor is None or not actor.is_chief:
        return False
    if actor.role == Role.ADMIN:
        return actor.community_id is None or notice.community_id in (None, actor.community_id)
    if actor.role == Role.GRID_CHIEF:
        return notice.area_grid_id is not None and notice.area_grid_id == actor.chief_grid_id
    building_id = notice.area_building_id
    return building_id is not None and building_id == actor.chief_building_id


class NoticeAction(enum.StrEnum):
    """What a chief may do with a notice from /notices (in the order of its buttons)."""

    PAUSE = "pause"
    RESUME = "resume"
    EDIT = "edit"
    CANCEL = "cancel"
    REPORT = "report"


_ACTIVE = (NoticeState.SCHEDULED, NoticeState.PAUSED)

_RULES: dict[NoticeAction, Callable[[Notice], bool]] = {
    NoticeAction.PAUSE: lambda n: n.state == NoticeState.SCHEDULED,
    NoticeAction.RESUME: lambda n: n.state == NoticeState.PAUSED,
    NoticeAction.EDIT: lambda n: n.state in _ACTIVE and n.kind == NoticeKind.MESSAGE,
    NoticeAction.CANCEL: lambda n: n.state in _ACTIVE,
    NoticeAction.REPORT: lambda n: True,
}
"""The notice state machine: `scheduled ⇄ paused`, either → `cancelled`; a one-off becomes
`done` when it runs (services.notices.claim_due). Only a message's text can be edited (an
agenda is composed when it is sent). The delivery report is always there."""


def allowed_actions(notice: Notice, actor: Resident | None) -> list[NoticeAction]:
    """What `actor` may do with `notice` now: nothing outside their area."""
    if not can_manage(actor, notice):
        return []
    return [action for action in NoticeAction if _RULES[action](notice)]


def _require(notice: Notice, actor: Resident, action: NoticeAction) -> None:
    """InvalidState naming why `action` is not possible now."""
    if action in allowed_actions(notice, actor):
        return
    if action == NoticeAction.RESUME:
        raise InvalidState("notice-error-not-paused")
    if action == NoticeAction.EDIT and notice.state in _ACTIVE:
        raise InvalidState("notice-error-agenda-text")
    raise InvalidState("notice-error-not-active")


async def get_for(
    session: AsyncSession, actor: Resident, notice_id: int, action: NoticeAction
) -> Notice:
    """The notice, when `actor` may take `action` on it now (before asking them to confirm
    or to type); StaleAction for a button left from an earlier state."""
    notice = await get_managed(session, actor, notice_id)
    if action not in allowed_actions(notice, actor):
        raise StaleAction()
    return notice


def _area_filter(actor: Resident) -> list[object]:
    if actor.role == Role.ADMIN:
        if actor.community_id is None:
            return []
        return [or_(Notice.community_id == actor.community_id, Notice.community_id.is_(None))]
    if actor.role == Role.GRID_CHIEF:
        return [Notice.area_grid_id == actor.chief_grid_id]
    return [Notice.area_building_id == actor.chief_building_id]


async def list_for(
    session: AsyncSession, actor: Resident, *, limit: int = 10
) -> tuple[list[Notice], int]:
    """Scheduled and paused notices of the actor's area (next run first), and their count;
    then the most recent finished ones, for their delivery reports."""
    require_role(actor, Role.BUILDING_CHIEF)
    area = _area_filter(actor)
    active = list(
        (
            await session.scalars(
                select(Notice)
                .where(Notice.state.in_(_ACTIVE), *area)
                .order_by(Notice.next_run_at, Notice.id)
            )
        ).all()
    )
    recent = list(
        (
            await session.scalars(
                select(Notice)
                .where(Notice.state == NoticeState.DONE, *area)
                .order_by(Notice.id.desc())
                .limit(3)
            )
        ).all()
    )
    return (active[:limit] + recent)[: limit + 3], len(active)


async def get_managed(session: AsyncSession, actor: Resident, notice_id: int) -> Notice:
    require_role(actor, Role.BUILDING_CHIEF)
    notice = await session.get(Notice, notice_id, populate_existing=True)
    if notice is None:
        raise NotFound("notice-error-unknown", id=f"N{notice_id}")
    if not can_manage(actor, notice):
        raise PermissionDenied("error-outside-area")
    return notice


async def pause(session: AsyncSession, actor: Resident, notice_id: int) -> Notice:
    async with write_transaction(session):
        notice = await get_managed(session, actor, notice_id)
        _require(notice, actor, NoticeAction.PAUSE)
        notice.state = NoticeState.PAUSED
        await audit.record(session, actor, "notice.pause", "notice", notice.id)
    return notice


async def resume(
    session: AsyncSession, actor: Resident, notice_id: int, now: datetime, tz: tzinfo
) -> Notice:
    """A paused notice continues from its next run after now (runs while paused are not
    sent); a one-off whose time passed while paused is refused. Whoever resumes a notice
    whose author may no longer post there becomes its author."""
    async with write_transaction(session):
        notice = await get_managed(session, actor, notice_id)
        _require(notice, actor, NoticeAction.RESUME)
        if notice.author_id != actor.id and not await author_may_post(session, notice):
            await check_target(session, actor, target_of(notice), notice.kind)
            await audit.record(
                session,
                actor,
                "notice.take_over",
                "notice",
                notice.id,
                previous_author_id=notice.author_id,
            )
            notice.author_id = actor.id
        schedule = schedule_of(notice)
        if notice.repeat == Repeat.ONCE:
            if notice.next_run_at is None or notice.next_run_at <= now:
                raise InvalidState("notice-error-past")
        else:
            following = schedule.first_run(now, tz)
            last = await session.scalar(
                select(func.max(NoticeRun.scheduled_for)).where(NoticeRun.notice_id == notice.id)
            )
            if last is not None and following <= last:  # never a second run at the same time
                following = schedule.next_after(last, tz) or following
            notice.next_run_at = following
        notice.state = NoticeState.SCHEDULED
        await audit.record(session, actor, "notice.resume", "notice", notice.id)
    return notice


async def cancel(session: AsyncSession, actor: Resident, notice_id: int) -> Notice:
    async with write_transaction(session):
        notice = await get_managed(session, actor, notice_id)
        _require(notice, actor, NoticeAction.CANCEL)
        notice.state = NoticeState.CANCELLED
        notice.next_run_at = None
        await audit.record(session, actor, "notice.cancel", "notice", notice.id)
    return notice


async def edit_text(session: AsyncSession, actor: Resident, notice_id: int, text: str) -> Notice:
    async with write_transaction(session):
        notice = await get_managed(session, actor, notice_id)
        _require(notice, actor, NoticeAction.EDIT)
        notice.text = check_text(text, media=notice.media_kind is not None)
        await audit.record(session, actor, "notice.edit", "notice", notice.id)
    return notice


@dataclass(frozen=True)
class RunReport:
    run: NoticeRun
    progress: outbox.Progress | None


async def runs_of(
    session: AsyncSession, actor: Resident, notice_id: int, limit: int = 5
) -> tuple[Notice, list[RunReport]]:
    notice = await get_managed(session, actor, notice_id)
    runs = (
        await session.scalars(
            select(NoticeRun)
            .where(NoticeRun.notice_id == notice.id)
            .order_by(NoticeRun.scheduled_for.desc())
            .limit(limit)
        )
    ).all()
    reports = []
    for run in runs:
        state = None
        if run.outbox_message_id is not None:
            state = await outbox.progress(session, run.outbox_message_id)
        reports.append(RunReport(run, state))
    return notice, reports


# --------------------------------------------------------------------------------------------
# Runs (the notices job)
# --------------------------------------------------------------------------------------------


async def claim_due(
    session: AsyncSession,
    now: datetime,
    tz: tzinfo,
    *,
    grace_seconds: int,
    delayed_after_seconds: int,
    notice_id: int | None = None,
    batch: int = 100,
) -> int:
    """Claim due notices: advance `next_run_at` (conditional UPDATE) and create their runs
    in the same transaction. The latest due run is `claimed` (to be sent; `delayed` when
    late) if it is at most `grace_seconds` late, else `missed`; earlier runs skipped while
    the bot was down are recorded as `missed`. A notice whose author may no longer post to
    its target (demoted, moved) is paused instead, its run `withheld`. Returns how many
    notices were claimed to run."""
    stmt = select(Notice.id, Notice.next_run_at).where(
        Notice.state == NoticeState.SCHEDULED, Notice.next_run_at <= now
    )
    if notice_id is not None:
        stmt = stmt.where(Notice.id == notice_id)
    due = (await session.execute(stmt.order_by(Notice.next_run_at).limit(batch))).all()
    await session.commit()
    claimed = 0
    for due_id, old in due:
        async with write_transaction(session):
            notice = await session.get(Notice, due_id, populate_existing=True)
            if notice is None or notice.state != NoticeState.SCHEDULED:
                continue
            if not await author_may_post(session, notice):
                await _withhold(session, notice, old, now)
                continue
            schedule = schedule_of(notice)
            fires = [old]
            while len(fires) < 1000:
                following = schedule.next_after(fires[-1], tz)
                if following is None or following > now:
                    break
                fires.append(following)
            following = schedule.next_after(fires[-1], tz)
            result = await session.execute(
                update(Notice)
                .where(
                    Notice.id == due_id,
                    Notice.state == NoticeState.SCHEDULED,
                    Notice.next_run_at == old,
                )
                .values(
                    next_run_at=following,
                    state=NoticeState.DONE if following is None else NoticeState.SCHEDULED,
                )
                .execution_options(synchronize_session=False)
            )
            if result.rowcount != 1:  # type: ignore[attr-defined]
                continue
            for missed in fires[:-1][-10:]:
                session.add(
                    NoticeRun(
                        notice_id=due_id,
                        scheduled_for=missed,
                        started_at=now,
                        status=RunStatus.MISSED,
                        author_told=True,
                    )
                )
            late = (now - fires[-1]).total_seconds()
            session.add(
                NoticeRun(
                    notice_id=due_id,
                    scheduled_for=fires[-1],
                    started_at=now,
                    status=RunStatus.MISSED if late > grace_seconds else RunStatus.CLAIMED,
                    delayed=late > delayed_after_seconds,
                )
            )
            claimed += 1
    return claimed


async def author_may_post(session: AsyncSession, notice: Notice) -> bool:
    """Whether the notice's author, with their role and area as they are now, may still post
    to its target (a chief demoted or moved since may not; nor a deleted account)."""
    if notice.author_id is None:
        return False
    author = await session.get(Resident, notice.author_id, populate_existing=True)
    if author is None or author.deleted_at is not None:
        return False
    try:
        await check_target(session, author, target_of(notice), notice.kind)
    except DomainError:
        return False
    return True


async def _withhold(session: AsyncSession, notice: Notice, due: datetime, now: datetime) -> None:
    """The author may no longer post there: pause the notice instead of running it, and
    record the run as `withheld` (its author and stewards are told once, like a missed run).
    Conditional on the due time, like a claim: a second tick changes nothing."""
    result = await session.execute(
        update(Notice)
        .where(
            Notice.id == notice.id,
            Notice.state == NoticeState.SCHEDULED,
            Notice.next_run_at == due,
        )
        .values(state=NoticeState.PAUSED)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return
    session.add(
        NoticeRun(
            notice_id=notice.id,
            scheduled_for=due,
            started_at=now,
            status=RunStatus.WITHHELD,
            author_told=False,
        )
    )
    await audit.record(
        session, None, "notice.withhold", "notice", notice.id, author_id=notice.author_id
    )


async def stewards_of(session: AsyncSession, notice: Notice) -> list[Resident]:
    """Who looks after a notice its author may no longer post: the grid chief of its area,
    or the community's admins when the grid has none (the author left out)."""
    grid_id = notice.area_grid_id
    if grid_id is None and notice.area_building_id is not None:
        grid_id = (await structure.get_building(session, notice.area_building_id))[1].id
    active = select(Resident).where(
        Resident.status == ResidentStatus.VERIFIED, Resident.deleted_at.is_(None)
    )
    people: list[Resident] = []
    if grid_id is not None:
        chiefs = active.where(Resident.role == Role.GRID_CHIEF, Resident.chief_grid_id == grid_id)
        people = list((await session.scalars(chiefs.order_by(Resident.id))).all())
    if not people:
        admins = active.where(Resident.role == Role.ADMIN)
        if notice.community_id is not None:
            admins = admins.where(
                or_(Resident.community_id == notice.community_id, Resident.community_id.is_(None))
            )
        people = list((await session.scalars(admins.order_by(Resident.id))).all())
    return [person for person in people if person.id != notice.author_id]


@dataclass(frozen=True)
class DueRun:
    """A run as plain values (safe to use after the session rolled back)."""

    id: int
    notice_id: int
    scheduled_for: datetime
    delayed: bool
    status: RunStatus = RunStatus.CLAIMED


def _plain(runs: Sequence[NoticeRun]) -> list[DueRun]:
    return [DueRun(r.id, r.notice_id, r.scheduled_for, r.delayed, r.status) for r in runs]


async def runs_to_start(session: AsyncSession, notice_id: int | None = None) -> list[DueRun]:
    """Claimed runs whose outbox message is not created yet (also after a crash)."""
    stmt = select(NoticeRun).where(NoticeRun.status == RunStatus.CLAIMED)
    if notice_id is not None:
        stmt = stmt.where(NoticeRun.notice_id == notice_id)
    runs = _plain((await session.scalars(stmt.order_by(NoticeRun.id))).all())
    await session.commit()
    return runs


async def get_notice(session: AsyncSession, notice_id: int) -> Notice | None:
    return await session.get(Notice, notice_id, populate_existing=True)


async def resident_or_none(session: AsyncSession, resident_id: int | None) -> Resident | None:
    """A notice's author, or whoever a broadcast reports to (None: nobody, or deleted)."""
    if resident_id is None:
        return None
    return await session.get(Resident, resident_id)


async def start_run(
    session: AsyncSession,
    run_id: int,
    *,
    chat_ids: Sequence[int],
    text: str,
    media_kind: str | None,
    media_file_id: str | None,
    reply_markup: dict[str, object] | None,
    notify_resident_id: int | None,
    progress_chat_id: int | None,
    now: datetime,
) -> OutboxMessage | None:
    """`claimed → sending` and the outbox message, in one transaction (only once)."""
    async with write_transaction(session):
        result = await session.execute(
            update(NoticeRun)
            .where(NoticeRun.id == run_id, NoticeRun.status == RunStatus.CLAIMED)
            .values(status=RunStatus.SENDING)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            return None
        run = await session.get(NoticeRun, run_id, populate_existing=True)
        assert run is not None
        message = await outbox.enqueue(
            session,
            chat_ids=chat_ids,
            text=text,
            source="notice",
            source_id=run.notice_id,
            parse_mode="HTML",
            media_kind=media_kind,
            media_file_id=media_file_id,
            reply_markup=reply_markup,
            notify_resident_id=notify_resident_id,
            progress_chat_id=progress_chat_id if chat_ids else None,
            now=now,
        )
        run.outbox_message_id = message.id
    return message


async def skip_empty(session: AsyncSession, run_id: int) -> None:
    async with write_transaction(session):
        await session.execute(
            update(NoticeRun)
            .where(NoticeRun.id == run_id, NoticeRun.status == RunStatus.CLAIMED)
            .values(status=RunStatus.EMPTY)
            .execution_options(synchronize_session=False)
        )


async def runs_to_tell(session: AsyncSession) -> list[DueRun]:
    """Missed and withheld runs whose author (and, for withheld ones, stewards) were not
    told yet."""
    runs = _plain(
        (
            await session.scalars(
                select(NoticeRun)
                .where(
                    NoticeRun.status.in_((RunStatus.MISSED, RunStatus.WITHHELD)),
                    NoticeRun.author_told.is_(False),
                )
                .order_by(NoticeRun.id)
            )
        ).all()
    )
    await session.commit()
    return runs


async def claim_tell(session: AsyncSession, run_id: int) -> bool:
    """True for the one process that tells people about a missed or withheld run."""
    async with write_transaction(session):
        result = await session.execute(
            update(NoticeRun)
            .where(NoticeRun.id == run_id, NoticeRun.author_told.is_(False))
            .values(author_told=True)
            .execution_options(synchronize_session=False)
        )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def run_for_outbox(session: AsyncSession, message_id: int) -> NoticeRun | None:
    return await session.scalar(select(NoticeRun).where(NoticeRun.outbox_message_id == message_id))


async def upcoming_in_scope(
    session: AsyncSession,
    *,
    grid_id: int,
    building_id: int | None,
    now: datetime,
    until: datetime,
) -> list[Notice]:
    """One-off notices scheduled for a grid or building between now and `until` (the
    agenda's "coming up" section)."""
    rows = await session.scalars(
        select(Notice)
        .where(
            Notice.state == NoticeState.SCHEDULED,
            Notice.kind == NoticeKind.MESSAGE,
            Notice.repeat == Repeat.ONCE,
            Notice.next_run_at > now,
            Notice.next_run_at <= until,
            Notice.area_grid_id == grid_id,
            or_(Notice.area_building_id.is_(None), Notice.area_building_id == building_id)
            if building_id is not None
            else Notice.area_building_id.is_(None),
        )
        .order_by(Notice.next_run_at)
        .limit(10)
    )
    return list(rows.all())
