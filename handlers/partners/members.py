"""A unit's members: the contact's list, approving or turning down someone who asked to
join, taking a member off, a member leaving their unit, the unit leaving the community
(each irreversible step asks first), and a member's party-member registration."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from linli.bot.callbacks.partners import MemberAct, MemberReview, Sure, UnitAct
from linli.bot.delivery import Delivery
from linli.bot.keyboards import partners as kb
from linli.handlers.partners.common import message_of, now_utc
from linli.models import Resident
from linli.models.partners import MemberState
from linli.services import DbSession, partner_members
from linli.services import partners as partner_service
from linli.services.errors import StaleAction
from linli.services.partners import UnitAction

router = Router(name=__name__)


def _label(row: partner_members.MemberRow, i18n: I18nContext, admin: bool) -> str:
    name = row.resident.display_name or "-"
    if row.member.state == MemberState.PENDING:
        return i18n.get("partner-member-pending-label", name=name)
    if admin and row.member.party_member:
        return i18n.get("partner-member-party-label", name=name)
    return name


@router.callback_query(UnitAct.filter(F.action == UnitAction.MEMBERS))
async def list_members(
    query: CallbackQuery,
    callback_data: UnitAct,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    view, rows = await partner_members.members(session, resident, callback_data.unit_id)
    text = i18n.get("partner-members-title", unit=view.unit.name, count=len(rows))
    if view.admin:
        text += "\n" + i18n.get("partner-members-party-note")
    items = [(row.member.id, _label(row, i18n, view.admin)) for row in rows]
    await message_of(query).edit_text(text, reply_markup=kb.members(i18n.get, view.unit.id, items))


@router.callback_query(MemberAct.filter(F.action == "open"))
async def member_card(
    query: CallbackQuery,
    callback_data: MemberAct,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    row = await partner_members.member_view(session, resident, callback_data.member_id)
    person, member = row.resident, row.member
    lines = [
        i18n.get(
            "partner-member-card",
            name=person.display_name or "-",
            username=f"@{person.username}" if person.username else "-",
            state=member.state.value,
            since=delivery.local_time(member.approved_at or member.created_at, "%Y-%m-%d"),
        )
    ]
    if row.admin:
        lines.append(i18n.get("partner-member-party", value="yes" if member.party_member else "no"))
    await message_of(query).edit_text(
        "\n".join(lines),
        reply_markup=kb.member_card(
            i18n.get, member.id, member.unit_id, pending=member.state == MemberState.PENDING
        ),
    )


@router.callback_query(MemberReview.filter())
async def review(
    query: CallbackQuery,
    callback_data: MemberReview,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
    callback_answer: CallbackAnswer,
) -> None:
    reviewed = await partner_members.review(
        session, resident, callback_data.member_id, callback_data.approve, now_utc()
    )
    key = "partner-review-approved" if reviewed.approved else "partner-review-rejected"
    await message_of(query).edit_text(
        i18n.get(key, name=reviewed.resident.display_name or "-", unit=reviewed.unit.name)
    )
    callback_answer.text = i18n.get("partner-saved")
    await delivery.partners.reviewed(reviewed)


@router.callback_query(MemberAct.filter(F.action == "remove"))
async def ask_remove(
    query: CallbackQuery,
    callback_data: MemberAct,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    row = await partner_members.member_view(session, resident, callback_data.member_id)
    await message_of(query).edit_text(
        i18n.get("partner-remove-ask", name=row.resident.display_name or "-"),
        reply_markup=kb.remove_sure(i18n.get, row.member.id),
    )


@router.callback_query(MemberAct.filter(F.action == "removed"))
async def removed(
    query: CallbackQuery,
    callback_data: MemberAct,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    left = await partner_members.remove_member(
        session, resident, callback_data.member_id, now_utc()
    )
    await message_of(query).edit_text(
        i18n.get("partner-removed", name=left.resident.display_name or "-", unit=left.unit.name)
    )
    await delivery.partners.left(session, left, "partner-removed-you")


@router.callback_query(MemberAct.filter())
async def unknown_member_action(query: CallbackQuery) -> None:
    raise StaleAction()


# --- leaving -----------------------------------------------------------------------------------


@router.callback_query(UnitAct.filter(F.action == UnitAction.LEAVE))
async def ask_leave(
    query: CallbackQuery,
    callback_data: UnitAct,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    view = await partner_service.require_unit_action(
        session, resident, callback_data.unit_id, UnitAction.LEAVE
    )
    await message_of(query).edit_text(
        i18n.get("partner-leave-ask", unit=view.unit.name),
        reply_markup=kb.sure(i18n.get, "leave", view.unit.id, "partner-button-leave-yes"),
    )


@router.callback_query(Sure.filter(F.what == "leave"))
async def leave(
    query: CallbackQuery,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    left = await partner_members.leave(session, resident, now_utc())
    await message_of(query).edit_text(i18n.get("partner-left", unit=left.unit.name))
    await delivery.partners.left(session, left, None)


@router.callback_query(UnitAct.filter(F.action == UnitAction.END))
async def ask_end(
    query: CallbackQuery,
    callback_data: UnitAct,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
) -> None:
    view = await partner_service.require_unit_action(
        session, resident, callback_data.unit_id, UnitAction.END
    )
    await message_of(query).edit_text(
        i18n.get("partner-end-ask", unit=view.unit.name, count=view.members),
        reply_markup=kb.sure(i18n.get, "end", view.unit.id, "partner-button-end-yes"),
    )


@router.callback_query(Sure.filter(F.what == "end"))
async def end_unit(
    query: CallbackQuery,
    callback_data: Sure,
    session: DbSession,
    resident: Resident | None,
    i18n: I18nContext,
    delivery: Delivery,
) -> None:
    ended = await partner_members.end_unit(session, resident, callback_data.item_id, now_utc())
    unit = await partner_service.get_unit(session, callback_data.item_id)
    await message_of(query).edit_text(i18n.get("partner-ended", unit=unit.name))
    for left in ended:
        itself = resident is not None and left.resident.id == resident.id
        key = None if itself else "partner-ended-you"
        await delivery.partners.left(session, left, key)


@router.callback_query(Sure.filter())
async def unknown_sure(query: CallbackQuery) -> None:
    raise StaleAction()
