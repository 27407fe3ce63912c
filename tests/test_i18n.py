"""Both catalogues are complete, and every message id the code uses exists, including the
ids it builds at run time from an enum or a constant (every value of each)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from enum import Enum
from pathlib import Path
from typing import Any

import pytest

from linli.bot.i18n import LOCALES, Translator
from linli.bot.menu import HOME_MENU
from linli.handlers import all_commands
from linli.models import ResidentStatus, Role

ROOT = Path(__file__).resolve().parents[1]
KEY = re.compile(r"^[a-z]+(-[a-z0-9]+)+$")


@pytest.fixture(scope="module")
def translator() -> Translator:
    return Translator("zh")


def test_zh_and_en_have_the_same_message_ids(translator: Translator) -> None:
    zh, en = translator.keys("zh"), translator.keys("en")
    assert zh - en == set(), "missing in en"
    assert en - zh == set(), "missing in zh"


def _literals() -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for folder in ("bot", "handlers", "services", "scheduler"):
        for path in (ROOT / folder).rglob("*.py"):
            if path.name in ("emulator.py", "demo.py"):
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    found.add((node.value, str(path.relative_to(ROOT))))
    return found


def test_every_message_id_used_in_code_exists(translator: Translator) -> None:
    keys = translator.keys("zh") & translator.keys("en")
    prefixes = {key.split("-")[0] for key in keys}
    missing = sorted(
        f"{value} ({where})"
        for value, where in _literals()
        if KEY.match(value) and value.split("-")[0] in prefixes and value not in keys
    )
    assert missing == []


def test_every_command_role_and_status_has_a_text(translator: Translator) -> None:
    for locale in LOCALES:
        keys = translator.keys(locale)
        for spec in all_commands():
            assert spec.description_key in keys, (locale, spec.name)
        for role in Role:
            assert f"role-{role.value.replace('_', '-')}" in keys
        for status in ResidentStatus:
            assert f"status-{status.value}" in keys


# --- message ids built at run time -------------------------------------------------------------
#
# Every message id the code builds from parts (an f-string or "prefix-" + value) is listed
# here as a template, with the values each part takes, read from the enums and constants the
# code takes them from. A template the code builds that is not listed fails the test, so
# a new one has to say where its values come from.


def _enum(values: Iterable[Any], *, dashes: bool = False) -> list[str]:
    out = [str(v.value if isinstance(v, Enum) else v) for v in values]
    return [v.replace("_", "-") for v in out] if dashes else out


def _runtime_keys() -> dict[str, list[tuple[str, ...]]]:
    from linli.bot.delivery.deliberation import ANNOUNCEMENTS
    from linli.handlers.complaints.author import REASONS as AUTHOR_REASONS
    from linli.handlers.complaints.chief_input import QUESTIONS
    from linli.handlers.deliberation.cards import CRITERIA
    from linli.handlers.deliberation.steps import STEPS
    from linli.handlers.partners.member_tasks import SHOWN as TASK_ACTIONS
    from linli.models.complaints import ComplaintCategory, ComplaintStatus
    from linli.models.deliberation import CommentLabel, Scope, TopicState
    from linli.models.notices import NoticeKind, NoticeState, Repeat
    from linli.models.partners import HazardState
    from linli.models.points import ActivityState, LedgerKind, RedemptionState, SignupStatus
    from linli.models.wishes import WishCategory, WishStatus
    from linli.services.casework import CaseKind
    from linli.services.complaints import ComplaintAction
    from linli.services.needs import NeedAction
    from linli.services.partners import Section as PartnerSection
    from linli.services.partners import UnitAction
    from linli.services.projects import ProjectAction
    from linli.services.topics import TopicAction
    from linli.services.votes import Cast
    from linli.services.wishes import WishAction

    def one(values: Iterable[str]) -> list[tuple[str, ...]]:
        return [(v,) for v in values]

    assert set(ANNOUNCEMENTS) == {TopicAction.DECIDE, TopicAction.PROGRESS, TopicAction.DONE}
    return {
        "cmd-{}": one(_enum((s.name for s in all_commands()), dashes=True)),
        "role-{}": one(_enum(Role, dashes=True)),
        "status-{}": one(_enum(ResidentStatus)),
        # casework
        "complaint-button-{}": one(_enum(ComplaintAction)),
        "complaint-ask-{}": one(_enum(QUESTIONS)),
        # bot/delivery/casework.py: the changes that have `notify_chiefs`
        # (services/complaints.py: submit, assign, reopen); Change.action is a str
        "complaint-chief-{}": one(["submitted", "assigned", "reopened"]),
        # services/complaints.py:Reminder.kind is a str ("remind", "escalate"); the stage is
        # "accept" for a submitted complaint, else "resolve" (bot/delivery/casework.py)
        "complaint-{}-{}": [
            (kind, stage) for kind in ("remind", "escalate") for stage in ("accept", "resolve")
        ],
        "casework-my-{}": one(_enum(CaseKind)),
        "casework-{}-category": one(_enum(CaseKind)),
        # handlers/complaints/author.py: the author's actions that ask a reason and confirm
        "complaint-ask-reason-{}": one(_enum(AUTHOR_REASONS)),
        "complaint-reason-{}": one(_enum(AUTHOR_REASONS)),
        "complaint-confirm-{}": one(_enum(AUTHOR_REASONS)),
        "complaint-button-{}-confirm": one(_enum(AUTHOR_REASONS)),
        "complaint-{}-done": one(_enum(AUTHOR_REASONS)),
        "casework-queue-{}": one(_enum(CaseKind)),
        # wishes: handlers/wishes/card.py:_changed is called with these three actions
        "wish-done-{}": one(_enum([WishAction.FULFIL, WishAction.WITHDRAW, WishAction.RELEASE])),
        # services/wishes.py:relay_peer returns the role as a str
        "wish-relay-from-{}": one(["author", "claimer"]),
        # deliberation
        "topic-scope-{}": one(_enum(Scope)),
        "topic-pick-{}": one(_enum(Scope)),
        "topic-state-{}": one(_enum(TopicState)),
        "topic-label-{}": one(_enum(CommentLabel)),
        "topic-comment-{}": one(_enum(CommentLabel)),
        "topic-criterion-{}": one(CRITERIA),
        "topic-ask-{}": one(_enum(STEPS)),
        "topic-preview-{}": one(_enum(STEPS)),
        "topic-done-{}": one(_enum(STEPS)),
        # bot/delivery/deliberation.py:step_taken tells the author the state a step led to,
        # for the steps that are not announced (shortlist, decline, discuss)
        "topic-told-{}": one(
            _enum([TopicState.SHORTLISTED, TopicState.DECLINED, TopicState.DISCUSSING])
        ),
        "vote-cast-{}": one(_enum(Cast)),
        # partners
        "partner-section-{}": one(_enum(PartnerSection)),
        "partner-unit-action-{}": one(_enum(UnitAction)),
        "need-button-{}": one(_enum(NeedAction)),
        # bot/keyboards/partners.py:need_sources: a wish, a request, a topic or none
        "need-source-{}": one(["W", "C", "T", "-"]),
        # RATE is drawn as stars (bot/keyboards/partners.py:project_card)
        "project-button-{}": one(_enum(a for a in ProjectAction if a != ProjectAction.RATE)),
        # services/projects.py:_post's "what"
        "project-post-{}": one(["created", "started", "progress", "done"]),
        # handlers/partners/projects.py: the actions that ask for a text
        "project-ask-{}": one(_enum([ProjectAction.PROGRESS, ProjectAction.DONE])),
        "task-button-{}": one(_enum(TASK_ACTIONS)),
        # bot/delivery/partners.py:hazards_settled: the settled states
        "snap-settled-{}": one(_enum(s for s in HazardState if s != HazardState.PENDING)),
        # notices
        "notice-button-{}": one(_enum(r for r in Repeat if r != Repeat.ONCE)),
        "notice-day-{}": one(str(n) for n in range(7)),
        "notice-kind-{}": one(_enum(NoticeKind)),
        "notice-state-{}": one(_enum(NoticeState)),
        # points: services/activities.py:claim_reminders's kinds are strs ("eve", "hour");
        # sign_up returns GOING or WAITING; the card shows no status for CANCELLED and no
        # state for OPEN (handlers/points/activities.py)
        "activities-remind-{}": one(["eve", "hour"]),
        "activities-joined-{}": one(_enum([SignupStatus.GOING, SignupStatus.WAITING])),
        "activities-status-{}": one(
            _enum((s for s in SignupStatus if s != SignupStatus.CANCELLED), dashes=True)
        ),
        "activities-state-{}": one(_enum(s for s in ActivityState if s != ActivityState.OPEN)),
        "rewards-state-{}": one(_enum(RedemptionState, dashes=True)),
        "points-kind-{}": one(_enum(LedgerKind)),
        # the cockpit
        "cockpit-category-{}": one(_enum(ComplaintCategory)),
        "cockpit-request-state-{}": one(_enum(ComplaintStatus, dashes=True)),
        "cockpit-wish-category-{}": one(_enum(WishCategory)),
        "cockpit-wish-state-{}": one(_enum(WishStatus)),
        "cockpit-topic-state-{}": one(_enum(TopicState)),
        # the home menu's labels
        "home-{}": one(entry.command.replace("_", "-") for entry in HOME_MENU),
    }


_KEY_PART = re.compile(r"^[a-z0-9_-]*$")


def _templates(prefixes: set[str]) -> dict[str, list[str]]:
    """Message ids built at run time: template ("vote-cast-{}") → where it is built."""
    found: dict[str, list[str]] = {}
    for folder in ("bot", "handlers", "services", "scheduler", "web"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                parts: list[str | None] = []
                if isinstance(node, ast.JoinedStr):
                    parts = [v.value if isinstance(v, ast.Constant) else None for v in node.values]
                elif (
                    isinstance(node, ast.BinOp)
                    and isinstance(node.op, ast.Add)
                    and isinstance(node.left, ast.Constant)
                    and isinstance(node.left.value, str)
                ):
                    parts = [node.left.value, None]
                if not parts or not isinstance(parts[0], str) or None not in parts:
                    continue
                head = parts[0]
                literal = [p for p in parts if p is not None]
                if (
                    "-" not in head
                    or head.split("-")[0] not in prefixes
                    or not all(isinstance(p, str) and _KEY_PART.match(p) for p in literal)
                ):
                    continue
                template = "".join("{}" if p is None else p for p in parts)
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                found.setdefault(template, []).append(where)
    return found


def test_every_message_id_built_at_run_time_exists(translator: Translator) -> None:
    zh, en = translator.keys("zh"), translator.keys("en")
    keys = zh | en
    templates = _templates({key.split("-")[0] for key in keys})
    registry = _runtime_keys()
    unlisted = {t: where for t, where in templates.items() if t not in registry}
    assert unlisted == {}, "message ids built at run time without their values listed"
    stale = set(registry) - set(templates)
    assert stale == set(), "listed templates the code no longer builds"
    missing = sorted(
        f"{template.format(*values)} ({', '.join(templates[template])}) in {locale}"
        for template, all_values in registry.items()
        for values in all_values
        for locale, ids in (("zh", zh), ("en", en))
        if template.format(*values) not in ids
    )
    assert missing == []


def test_the_catalogues_are_parsed_once_per_process() -> None:
    """Every bot built in a process shares the parsed bundles (start-up parsed them anew)."""
    first, second = Translator("zh"), Translator("en")
    assert first.core.locales["zh"] is second.core.locales["zh"]
    assert first.get("button-back", "en") == second.get("button-back")
