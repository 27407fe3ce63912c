"""Keyboards of the chiefs' people lists: `/residents` and the `/grant` picker. Builders take
`t`, a translate function (`i18n.get`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from linli.bot.callbacks.people import (
    GrantCancel,
    GrantConfirm,
    GrantPage,
    GrantRole,
    GrantUnit,
    GrantWho,
    ResidentsBuildings,
    ResidentsDecide,
    ResidentsList,
    ResidentsOpen,
)
from linli.models import Building, Grid, ResidentStatus, Role
from linli.services.people import People, Person, shown_name

T = Callable[..., str]
PAGE_SIZE = 8


def role_key(role: Role) -> str:
    return f"role-{role.value.replace('_', '-')}"


def person_label(t: T, person: Person) -> str:
    """`⏳ 张三 · 1号楼 · 楼栋长`: pending mark, name, building, role for chiefs."""
    resident = person.resident
    parts = [shown_name(t, resident)]
    if person.building is not None:
        parts.append(person.building.name)
    if resident.role != Role.RESIDENT:
        parts.append(t(role_key(resident.role)))
    mark = "⏳ " if resident.status == ResidentStatus.PENDING else ""
    return mark + " · ".join(parts)


def _pages(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))


def _nav(t: T, page: int, total: int, make: Callable[[int], str]) -> list[InlineKeyboardButton]:
    row = []
    if page > 0:
        row.append(InlineKeyboardButton(text=t("people-button-prev"), callback_data=make(page - 1)))
    if page + 1 < _pages(total):
        row.append(InlineKeyboardButton(text=t("people-button-next"), callback_data=make(page + 1)))
    return row


# --- /residents ---------------------------------------------------------------------------------


def residents_list(
    t: T, found: People, view: ResidentsList, *, several_buildings: bool, building: str | None
) -> InlineKeyboardMarkup:
    """The filters, a row per person (applicants with Approve and Reject), the pages."""
    builder = InlineKeyboardBuilder()
    filters = (
        ("pending", t("residents-filter-pending", count=found.pending)),
        ("verified", t("residents-filter-verified", count=found.verified)),
        ("", t("residents-filter-all", count=found.pending + found.verified)),
    )
    builder.row(
        *(
            InlineKeyboardButton(
                text=("✓ " if status == view.status else "") + label,
                callback_data=ResidentsList(
                    status=status, building=view.building, search=view.search
                ).pack(),
            )
            for status, label in filters
        )
    )
    if building is not None:
        builder.row(
            InlineKeyboardButton(
                text=t("residents-button-building-clear", building=building),
                callback_data=ResidentsList(status=view.status, search=view.search).pack(),
            )
        )
    elif several_buildings:
        builder.row(
            InlineKeyboardButton(
                text=t("residents-button-by-building"),
                callback_data=ResidentsBuildings(status=view.status, search=view.search).pack(),
            )
        )
    where = {
        "status": view.status,
        "building": view.building,
        "page": view.page,
        "search": view.search,
    }
    for person in found.people:
        resident = person.resident
        row = [
            InlineKeyboardButton(
                text=person_label(t, person),
                callback_data=ResidentsOpen(rid=resident.id, **where).pack(),
            )
        ]
        if resident.status == ResidentStatus.PENDING:
            row += [
                InlineKeyboardButton(
                    text=t("button-approve"),
                    callback_data=ResidentsDecide(rid=resident.id, approve=True, **where).pack(),
                ),
                InlineKeyboardButton(
                    text=t("button-reject"),
                    callback_data=ResidentsDecide(rid=resident.id, approve=False, **where).pack(),
                ),
            ]
        builder.row(*row)
    nav = _nav(
        t,
        view.page,
        found.total,
        lambda page: ResidentsList(
            status=view.status, building=view.building, page=page, search=view.search
        ).pack(),
    )
    if nav:
        builder.row(*nav)
    return builder.as_markup()


def residents_buildings(
    t: T, buildings: Sequence[tuple[Building, Grid]], view: ResidentsBuildings, *, grid_too: bool
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for building, grid in buildings:
        builder.button(
            text=f"{grid.name} · {building.name}" if grid_too else building.name,
            callback_data=ResidentsList(
                status=view.status, building=building.id, search=view.search
            ),
        )
    builder.adjust(2)
    builder.row(
        InlineKeyboardButton(
            text=t("people-button-back"),
            callback_data=ResidentsList(status=view.status, search=view.search).pack(),
        )
    )
    return builder.as_markup()


def resident_card(
    t: T, person: Person, back: ResidentsOpen, *, may_grant: bool
) -> InlineKeyboardMarkup:
    """Approve and Reject for an applicant, Set role for admins, Back to the list."""
    builder = InlineKeyboardBuilder()
    where = {
        "status": back.status,
        "building": back.building,
        "page": back.page,
        "search": back.search,
    }
    rid = person.resident.id
    if person.resident.status == ResidentStatus.PENDING:
        builder.row(
            InlineKeyboardButton(
                text=t("button-approve"),
                callback_data=ResidentsDecide(rid=rid, approve=True, **where).pack(),
            ),
            InlineKeyboardButton(
                text=t("button-reject"),
                callback_data=ResidentsDecide(rid=rid, approve=False, **where).pack(),
            ),
        )
    if may_grant:
        builder.row(
            InlineKeyboardButton(
                text=t("residents-button-grant"), callback_data=GrantWho(rid=rid).pack()
            )
        )
    builder.row(
        InlineKeyboardButton(
            text=t("people-button-back"), callback_data=ResidentsList(**where).pack()
        )
    )
    return builder.as_markup()


# --- the /grant picker --------------------------------------------------------------------------


def _cancel(t: T) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=t("grant-button-cancel"), callback_data=GrantCancel().pack())


def grant_people(t: T, found: People, page: int, *, search: bool) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for person in found.people:
        builder.row(
            InlineKeyboardButton(
                text=person_label(t, person),
                callback_data=GrantWho(rid=person.resident.id).pack(),
            )
        )
    nav = _nav(t, page, found.total, lambda p: GrantPage(page=p, search=search).pack())
    if nav:
        builder.row(*nav)
    builder.row(_cancel(t))
    return builder.as_markup()


def grant_roles(t: T, rid: int, current: Role) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for role in (Role.RESIDENT, Role.BUILDING_CHIEF, Role.GRID_CHIEF, Role.ADMIN):
        label = t(role_key(role))
        builder.button(
            text=f"✓ {label}" if role == current else label,
            callback_data=GrantRole(rid=rid, role=role.value),
        )
    builder.adjust(2)
    builder.row(
        InlineKeyboardButton(text=t("grant-button-other-person"), callback_data=GrantPage().pack()),
        _cancel(t),
    )
    return builder.as_markup()


def grant_units(
    t: T, rid: int, role: Role, units: Sequence[tuple[int, str]]
) -> InlineKeyboardMarkup:
    """`units`: (grid id, name) for grid chiefs, (building id, "grid · building") for
    building chiefs."""
    builder = InlineKeyboardBuilder()
    for unit_id, label in units:
        builder.button(text=label, callback_data=GrantUnit(rid=rid, role=role.value, unit=unit_id))
    builder.adjust(2)
    builder.row(
        InlineKeyboardButton(text=t("people-button-back"), callback_data=GrantWho(rid=rid).pack()),
        _cancel(t),
    )
    return builder.as_markup()


def grant_confirm(t: T, rid: int, role: Role, unit: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.row(
        InlineKeyboardButton(
            text=t("grant-button-confirm"),
            callback_data=GrantConfirm(rid=rid, role=role.value, unit=unit).pack(),
        )
    )
    builder.row(
        InlineKeyboardButton(text=t("people-button-back"), callback_data=GrantWho(rid=rid).pack()),
        _cancel(t),
    )
    return builder.as_markup()
