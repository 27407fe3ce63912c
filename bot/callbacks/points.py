"""Buttons of volunteer points (p*), activities (a*) and the charity shop (r*).

| prefix | factory |
| --- | --- |
| ph | PointsHistory: a page of the full ledger |
| pl | Board: leaderboard period/scope |
| pv | PrivacyChoice |
| pf, pm, pc, pd | gifts: recipient, amount, confirm, admin actions |
| px | CancelFlow: leave a points/activities/shop flow |
| pwp, pwr, pws | /award: a page of people, the person picked, the flow's steps |
| av, aj, al, am, ak, an | activities: view, join, leave, manage, mark attendance, new-flow |
| ri, rr, rc, rd | shop: item, redeem, confirm, redemption action |
| ra, re, rn | shop admin: pickups/new item, item admin, new-item flow |
"""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class PointsHistory(CallbackData, prefix="ph"):
    page: int


class Board(CallbackData, prefix="pl"):
    period: str  # "m" this month | "a" all time
    scope: str  # "g" grid | "c" community
    grid_id: int = 0  # in a group: the group's grid


class PrivacyChoice(CallbackData, prefix="pv"):
    """The leaderboard display choice; handled in handlers/privacy.py (the /privacy menu)."""

    neighbour: bool


class GiftTo(CallbackData, prefix="pf"):
    recipient_id: int


class GiftAmount(CallbackData, prefix="pm"):
    recipient_id: int
    amount: int  # 0: type another amount


class GiftConfirm(CallbackData, prefix="pc"):
    recipient_id: int
    amount: int
    token: str


class GiftAdmin(CallbackData, prefix="pd"):
    action: str  # "add" | "off"
    recipient_id: int = 0


class CancelFlow(CallbackData, prefix="px"):
    pass


class ActView(CallbackData, prefix="av"):
    activity_id: int


class ActJoin(CallbackData, prefix="aj"):
    activity_id: int


class ActLeave(CallbackData, prefix="al"):
    activity_id: int


class ActManage(CallbackData, prefix="am"):
    """A manager's button on an activity card: an `ActivityAction` of managers ("code",
    "qr", "people", "confirm", "stop"), or the confirming second tap of one (`CONFIRMED`)."""

    activity_id: int
    action: str


CONFIRMED = {"confirm": "done", "stop": "stopok"}
"""The `ActManage` action of the Confirm button that follows "confirm" and "stop"."""


class ActMark(CallbackData, prefix="ak"):
    activity_id: int
    resident_id: int
    present: bool


class ActNew(CallbackData, prefix="an"):
    step: str  # "start" | "hours" | "capacity" | "basis" | "points" | "ok"
    value: str = ""


class ItemView(CallbackData, prefix="ri"):
    item_id: int


class ItemRedeem(CallbackData, prefix="rr"):
    item_id: int


class RedeemConfirm(CallbackData, prefix="rc"):
    item_id: int
    token: str


class RedemptionAct(CallbackData, prefix="rd"):
    """A button on a redemption card: a `services.rewards.RedemptionAction` ("hand",
    "cancel")."""

    redemption_id: int
    action: str


class ShopAdmin(CallbackData, prefix="ra"):
    action: str  # "new" | "pending"


class ItemAdmin(CallbackData, prefix="re"):
    item_id: int
    action: str  # "on" | "off" | "add"
    amount: int = 0


class ItemNew(CallbackData, prefix="rn"):
    step: str  # "skip" | "ok"


class AwardPage(CallbackData, prefix="pwp"):
    """A page of the people an /award may go to (the search word is in the flow's draft)."""

    page: int


class AwardWho(CallbackData, prefix="pwr"):
    """The resident picked for an /award."""

    resident_id: int


class AwardStep(CallbackData, prefix="pws"):
    """A button of the /award flow: "correct" (admins: a correction instead), "lift"
    (admins: lift the resident's monthly caps) and "lifted" (its confirmation), "other"
    (type the amount), "amount" (`value` points), "ok" (confirm)."""

    action: str
    value: int = 0
