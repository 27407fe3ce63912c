"""Buttons of 共驻共建 (prefixes u*).

| prefix | factory |
| --- | --- |
| uh | Hub: a section of the partner menu |
| ue | Step: a step of a flow (skip, confirm, cancel, yes, no) |
| uo, uu, uk | a unit: open, its actions, the kind when registering one |
| um, uv, up, us | members: review, a member's card, party member or not, "are you sure" |
| ur, ui | resources: a resource's action, the kind when adding one |
| un, ud, uq | needs: a need's action, a pick in the new-need flow, a source to make one from |
| uj, ut, ux, ug | projects: an action, rating stars, a need or resource toggled, a grid picked |
| ua | a task of a project (an activity): open, join, leave |
| uw | a wish a unit may adopt: open, adopt |
| uz, ub, uy | mobile grid members: a snap-and-report step, a member's action, their kind |
"""

from __future__ import annotations

from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

Id = Annotated[int, Field(ge=-(2**63), lt=2**63)]
"""An id or number as the database can hold it: a forged button with a larger one matches no
filter and gets the stale-button answer (instead of an overflow in the database driver)."""


class Hub(CallbackData, prefix="uh"):
    """`view`: units, needs, projects, tasks, hours, adopt, mobile, snap, unit, menu."""

    view: str


class Step(CallbackData, prefix="ue"):
    action: str


class UnitOpen(CallbackData, prefix="uo"):
    unit_id: Id


class UnitAct(CallbackData, prefix="uu"):
    """A `services.partners.UnitAction` on a unit."""

    unit_id: Id
    action: str


class UnitKindPick(CallbackData, prefix="uk"):
    kind: str


class MemberReview(CallbackData, prefix="um"):
    member_id: Id
    approve: bool


class MemberAct(CallbackData, prefix="uv"):
    """`open` a member's card, `remove` them (asks first), `removed` (confirmed)."""

    member_id: Id
    action: str


class PartyPick(CallbackData, prefix="up"):
    value: bool


class Sure(CallbackData, prefix="us"):
    """A confirmed irreversible step: `leave` (a member leaves), `end` (a unit leaves)."""

    what: str
    item_id: Id


class ResourceAct(CallbackData, prefix="ur"):
    """`withdraw` a resource."""

    resource_id: Id
    action: str


class ResourceKindPick(CallbackData, prefix="ui"):
    kind: str


class NeedAct(CallbackData, prefix="un"):
    """`open`, `support`, `decline` a need."""

    need_id: Id
    action: str


class NeedPick(CallbackData, prefix="ud"):
    """A choice in the new-need flow: `field` is source, category, scope, urgency; `value`
    its value (a scope's value is `building-<id>`, `grid-<id>` or `community`)."""

    field: str
    value: str


class SourcePick(CallbackData, prefix="uq"):
    """A micro-wish (`W`), request (`C`) or topic (`T`) to make a need from."""

    letter: str
    item_id: Id


class ProjectAct(CallbackData, prefix="uj"):
    """`open` a project, or a `services.projects.ProjectAction` on it."""

    project_id: Id
    action: str


class ProjectRate(CallbackData, prefix="ut"):
    project_id: Id
    stars: Id


class Toggle(CallbackData, prefix="ux"):
    """A need (`n`) or resource (`s`) toggled in the new-project flow."""

    kind: str
    item_id: Id


class GridPick(CallbackData, prefix="ug"):
    """A grid (0: the whole community)."""

    grid_id: Id


class TaskAct(CallbackData, prefix="ua"):
    """`open`, `join` or `leave` a project's task."""

    activity_id: Id
    action: str


class AdoptAct(CallbackData, prefix="uw"):
    """`open` a wish a unit may adopt, or `adopt` it."""

    wish_id: Id
    action: str


class SnapStep(CallbackData, prefix="uz"):
    """A step of snap-and-report: `building` picked (its id), `nolocation`, `anon`, `named`,
    `notext`, `send`, `cancel`."""

    action: str
    building_id: Id = 0


class MobileAct(CallbackData, prefix="ub"):
    """`remove` a mobile grid member (asks first), `removed` (confirmed)."""

    mobile_id: Id
    action: str


class MobileKindPick(CallbackData, prefix="uy"):
    kind: str
