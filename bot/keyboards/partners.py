"""Keyboards of 共驻共建. `tr` translates a message id in the reader's language."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from linli.bot.callbacks.partners import (
    AdoptAct,
    GridPick,
    Hub,
    MemberAct,
    MemberReview,
    MobileAct,
    MobileKindPick,
    NeedAct,
    NeedPick,
    PartyPick,
    ProjectAct,
    ProjectRate,
    ResourceAct,
    ResourceKindPick,
    SnapStep,
    SourcePick,
    Step,
    Sure,
    TaskAct,
    Toggle,
    UnitAct,
    UnitKindPick,
    UnitOpen,
)
from linli.models.partners import (
    MobileKind,
    Need,
    PartnerUnit,
    Project,
    Resource,
    ResourceKind,
    UnitKind,
)
from linli.models.points import Activity
from linli.services.needs import NeedAction
from linli.services.partners import Section, UnitAction
from linli.services.projects import ProjectAction

Tr = Callable[..., str]


def _button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def cancel_button(tr: Tr) -> InlineKeyboardButton:
    return _button(tr("partner-button-cancel"), Step(action="cancel"))


def cancel_only(tr: Tr) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[cancel_button(tr)]])


def skip_or_cancel(tr: Tr) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_button(tr("partner-button-skip"), Step(action="skip"))],
            [cancel_button(tr)],
        ]
    )


def confirm(tr: Tr) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_button(tr("partner-button-confirm"), Step(action="confirm"))],
            [cancel_button(tr)],
        ]
    )


def rows(
    items: Iterable[tuple[str, CallbackData]],
    *,
    width: int = 1,
    extra: Sequence[Sequence[InlineKeyboardButton]] = (),
) -> InlineKeyboardMarkup | None:
    """Buttons `width` to a row, then the `extra` rows; None when there is nothing."""
    builder = InlineKeyboardBuilder()
    count = 0
    for text, data in items:
        builder.button(text=text, callback_data=data)
        count += 1
    builder.adjust(width)
    for row in extra:
        builder.row(*row)
    if not count and not extra:
        return None
    return builder.as_markup()


# --- the partner menu ----------------------------------------------------------------------------


def hub(tr: Tr, sections: Sequence[Section]) -> InlineKeyboardMarkup | None:
    return rows(((tr(f"partner-section-{s.value}"), Hub(view=s.value)) for s in sections), width=2)


def menu_button(tr: Tr) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[_button(tr("partner-button-menu"), Hub(view="menu"))]]
    )


def back_to_menu(tr: Tr) -> list[InlineKeyboardButton]:
    return [_button(tr("partner-button-menu"), Hub(view="menu"))]


# --- units ---------------------------------------------------------------------------------------


def units(tr: Tr, items: Sequence[PartnerUnit]) -> InlineKeyboardMarkup | None:
    return rows(
        (
            (
                tr("partner-unit-line", code=u.code, name=u.name, state=u.state.value),
                UnitOpen(unit_id=u.id),
            )
            for u in items
        ),
        extra=[
            [_button(tr("partner-button-new-unit"), UnitAct(unit_id=0, action="new"))],
            back_to_menu(tr),
        ],
    )


def unit_kinds(tr: Tr) -> InlineKeyboardMarkup | None:
    return rows(
        ((tr("partner-unit-kind", kind=k.value), UnitKindPick(kind=k.value)) for k in UnitKind),
        width=2,
        extra=[[cancel_button(tr)]],
    )


def unit_card(
    tr: Tr, unit_id: int, actions: Sequence[UnitAction], *, party: bool = False
) -> InlineKeyboardMarkup:
    """The unit's buttons; `party`: the reader's own party-member registration button."""
    extra = [back_to_menu(tr)]
    if party:
        extra.insert(
            0, [_button(tr("partner-button-party"), UnitAct(unit_id=unit_id, action="party"))]
        )
    markup = rows(
        (
            (tr(f"partner-unit-action-{a.value}"), UnitAct(unit_id=unit_id, action=a.value))
            for a in actions
        ),
        width=2,
        extra=extra,
    )
    assert markup is not None
    return markup


def review(tr: Tr, member_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _button(
                    tr("partner-button-approve"), MemberReview(member_id=member_id, approve=True)
                ),
                _button(
                    tr("partner-button-reject"), MemberReview(member_id=member_id, approve=False)
                ),
            ]
        ]
    )


def party(tr: Tr) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _button(tr("partner-button-party-yes"), PartyPick(value=True)),
                _button(tr("partner-button-party-no"), PartyPick(value=False)),
            ]
        ]
    )


def sure(tr: Tr, what: str, item_id: int, yes_key: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_button(tr(yes_key), Sure(what=what, item_id=item_id))],
            [_button(tr("partner-button-keep"), Step(action="cancel"))],
        ]
    )


def members(tr: Tr, unit_id: int, items: Iterable[tuple[int, str]]) -> InlineKeyboardMarkup | None:
    return rows(
        ((label, MemberAct(member_id=member_id, action="open")) for member_id, label in items),
        width=2,
        extra=[[_button(tr("partner-button-back"), UnitOpen(unit_id=unit_id))]],
    )


def member_card(tr: Tr, member_id: int, unit_id: int, *, pending: bool) -> InlineKeyboardMarkup:
    if pending:
        first = review(tr, member_id).inline_keyboard[0]
    else:
        first = [
            _button(tr("partner-button-remove"), MemberAct(member_id=member_id, action="remove"))
        ]
    return InlineKeyboardMarkup(
        inline_keyboard=[first, [_button(tr("partner-button-back"), UnitOpen(unit_id=unit_id))]]
    )


def remove_sure(tr: Tr, member_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _button(
                    tr("partner-button-remove-yes"),
                    MemberAct(member_id=member_id, action="removed"),
                )
            ],
            [_button(tr("partner-button-keep"), Step(action="cancel"))],
        ]
    )


# --- resources -----------------------------------------------------------------------------------


def resources(
    tr: Tr, unit_id: int, items: Sequence[Resource], *, manager: bool
) -> InlineKeyboardMarkup:
    buttons = []
    if manager:
        buttons = [
            (
                tr("resource-button-withdraw", code=r.code),
                ResourceAct(resource_id=r.id, action="withdraw"),
            )
            for r in items
        ]
    extra = []
    if manager:
        extra.append([_button(tr("resource-button-add"), UnitAct(unit_id=unit_id, action="add"))])
    extra.append([_button(tr("partner-button-back"), UnitOpen(unit_id=unit_id))])
    markup = rows(buttons, width=2, extra=extra)
    assert markup is not None
    return markup


def resource_kinds(tr: Tr) -> InlineKeyboardMarkup | None:
    return rows(
        ((tr("resource-kind", kind=k.value), ResourceKindPick(kind=k.value)) for k in ResourceKind),
        width=2,
        extra=[[cancel_button(tr)]],
    )


# --- needs ---------------------------------------------------------------------------------------


def needs(tr: Tr, items: Sequence[Need], *, can_add: bool) -> InlineKeyboardMarkup | None:
    extra = []
    if can_add:
        extra.append([_button(tr("need-button-add"), NeedPick(field="new", value="1"))])
    extra.append(back_to_menu(tr))
    return rows(
        (
            (
                tr("need-line", code=n.code, title=n.title, urgency=n.urgency.value),
                NeedAct(need_id=n.id, action="open"),
            )
            for n in items
        ),
        extra=extra,
    )


def need_card(tr: Tr, need_id: int, actions: Sequence[NeedAction]) -> InlineKeyboardMarkup:
    markup = rows(
        ((tr(f"need-button-{a.value}"), NeedAct(need_id=need_id, action=a.value)) for a in actions),
        width=2,
        extra=[[_button(tr("partner-button-back"), Hub(view=Section.NEEDS))]],
    )
    assert markup is not None
    return markup


def need_sources(tr: Tr) -> InlineKeyboardMarkup:
    markup = rows(
        (
            (tr(f"need-source-{letter}"), NeedPick(field="source", value=letter))
            for letter in ("W", "C", "T", "-")
        ),
        width=2,
        extra=[[cancel_button(tr)]],
    )
    assert markup is not None
    return markup


def source_items(tr: Tr, items: Sequence[tuple[str, int, str]]) -> InlineKeyboardMarkup | None:
    return rows(
        ((label, SourcePick(letter=letter, item_id=item_id)) for letter, item_id, label in items),
        extra=[[cancel_button(tr)]],
    )


def picks(
    tr: Tr, field: str, items: Iterable[tuple[str, str]], *, width: int = 2
) -> InlineKeyboardMarkup | None:
    """One button per (value, label) of a need's field (category, place, urgency)."""
    return rows(
        ((label, NeedPick(field=field, value=value)) for value, label in items),
        width=width,
        extra=[[cancel_button(tr)]],
    )


def suggestion(tr: Tr) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_button(tr("need-button-use-suggestion"), Step(action="suggested"))],
            [cancel_button(tr)],
        ]
    )


# --- projects ------------------------------------------------------------------------------------


def projects(tr: Tr, items: Sequence[Project], *, can_add: bool) -> InlineKeyboardMarkup | None:
    extra = []
    if can_add:
        extra.append([_button(tr("project-button-add"), ProjectAct(project_id=0, action="new"))])
    extra.append(back_to_menu(tr))
    return rows(
        (
            (
                tr("project-line", code=p.code, title=p.title, state=p.state.value),
                ProjectAct(project_id=p.id, action="open"),
            )
            for p in items
        ),
        extra=extra,
    )


def project_card(
    tr: Tr, project_id: int, actions: Sequence[ProjectAction], tasks: Sequence[Activity]
) -> InlineKeyboardMarkup:
    buttons: list[tuple[str, CallbackData]] = [
        (tr(f"project-button-{a.value}"), ProjectAct(project_id=project_id, action=a.value))
        for a in actions
        if a != ProjectAction.RATE
    ]
    extra: list[list[InlineKeyboardButton]] = []
    if ProjectAction.RATE in actions:
        extra.append(stars(project_id).inline_keyboard[0])
    for task in tasks:
        extra.append(
            [
                _button(
                    tr("task-button-open", code=f"A{task.id}", title=task.title),
                    TaskAct(activity_id=task.id, action="open"),
                )
            ]
        )
    extra.append([_button(tr("partner-button-back"), Hub(view=Section.PROJECTS))])
    markup = rows(buttons, width=2, extra=extra)
    assert markup is not None
    return markup


def stars(project_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _button(
                    "⭐" * n if n < 3 else f"{n}⭐", ProjectRate(project_id=project_id, stars=n)
                )
                for n in range(1, 6)
            ]
        ]
    )


def choose_one(tr: Tr, kind: str, items: Iterable[tuple[int, str]]) -> InlineKeyboardMarkup | None:
    """One button per (id, label): a grid (`GridPick`) or the lead unit (`Toggle` "lead")."""
    if kind == "grid":
        buttons = ((label, GridPick(grid_id=item_id)) for item_id, label in items)
    else:
        buttons = ((label, Toggle(kind=kind, item_id=item_id)) for item_id, label in items)
    return rows(buttons, extra=[[cancel_button(tr)]])


def toggles(
    tr: Tr, kind: str, items: Iterable[tuple[int, str]], chosen: Collection[int]
) -> InlineKeyboardMarkup:
    """Needs (`n`) or resources (`s`) to tick, then Next."""
    markup = rows(
        (
            (("☑ " if item_id in chosen else "☐ ") + label, Toggle(kind=kind, item_id=item_id))
            for item_id, label in items
        ),
        extra=[[_button(tr("partner-button-next"), Step(action="next"))], [cancel_button(tr)]],
    )
    assert markup is not None
    return markup


def hours(tr: Tr) -> InlineKeyboardMarkup:
    markup = rows(
        ((tr("task-hours", hours=h), Step(action=f"h{h}")) for h in ("1", "2", "3", "4")),
        width=4,
        extra=[[cancel_button(tr)]],
    )
    assert markup is not None
    return markup


# --- tasks ---------------------------------------------------------------------------------------


def tasks(tr: Tr, items: Iterable[tuple[int, str]]) -> InlineKeyboardMarkup | None:
    return rows(
        ((label, TaskAct(activity_id=activity_id, action="open")) for activity_id, label in items),
        extra=[back_to_menu(tr)],
    )


def task_card(tr: Tr, activity_id: int, actions: Iterable[str]) -> InlineKeyboardMarkup:
    markup = rows(
        ((tr(f"task-button-{a}"), TaskAct(activity_id=activity_id, action=a)) for a in actions),
        width=2,
        extra=[[_button(tr("partner-button-back"), Hub(view=Section.TASKS))]],
    )
    assert markup is not None
    return markup


# --- adopting a wish -----------------------------------------------------------------------------


def adoptable(tr: Tr, items: Iterable[tuple[int, str]]) -> InlineKeyboardMarkup | None:
    return rows(
        ((label, AdoptAct(wish_id=wish_id, action="open")) for wish_id, label in items),
        extra=[back_to_menu(tr)],
    )


def adopt(tr: Tr, wish_id: int, unit: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_button(tr("adopt-button", unit=unit), AdoptAct(wish_id=wish_id, action="adopt"))],
            [_button(tr("partner-button-back"), Hub(view=Section.ADOPT))],
        ]
    )


# --- mobile grid members and snap-and-report ------------------------------------------------------


def snap_cancel(tr: Tr) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[_button(tr("partner-button-cancel"), SnapStep(action="cancel"))]]
    )


def snap_places(tr: Tr, items: Iterable[tuple[int, str]]) -> InlineKeyboardMarkup | None:
    return rows(
        (
            (label, SnapStep(action="building", building_id=building_id))
            for building_id, label in items
        ),
        width=3,
        extra=snap_cancel(tr).inline_keyboard,
    )


def snap_skip(tr: Tr) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_button(tr("snap-button-no-note"), SnapStep(action="notext"))],
            *snap_cancel(tr).inline_keyboard,
        ]
    )


def snap_name(tr: Tr) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_button(tr("snap-button-anonymous"), SnapStep(action="anon"))],
            [_button(tr("snap-button-named"), SnapStep(action="named"))],
            *snap_cancel(tr).inline_keyboard,
        ]
    )


def snap_send(tr: Tr) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_button(tr("snap-button-send"), SnapStep(action="send"))],
            *snap_cancel(tr).inline_keyboard,
        ]
    )


def mobile_members(tr: Tr, items: Iterable[tuple[int, str]]) -> InlineKeyboardMarkup | None:
    return rows(
        ((label, MobileAct(mobile_id=mobile_id, action="remove")) for mobile_id, label in items),
        extra=[
            [_button(tr("mobile-button-invite"), MobileAct(mobile_id=0, action="invite"))],
            back_to_menu(tr),
        ],
    )


def mobile_kinds(tr: Tr) -> InlineKeyboardMarkup | None:
    return rows(
        ((tr("mobile-kind", kind=k.value), MobileKindPick(kind=k.value)) for k in MobileKind),
        width=2,
        extra=[[cancel_button(tr)]],
    )


def mobile_remove_sure(tr: Tr, mobile_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _button(
                    tr("partner-button-remove-yes"),
                    MobileAct(mobile_id=mobile_id, action="removed"),
                )
            ],
            [_button(tr("partner-button-keep"), Step(action="cancel"))],
        ]
    )
