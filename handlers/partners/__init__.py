"""共驻共建 (issue 16): partner units and their members, the three lists, reports back to the
units, mobile grid members. One router per conversation, combined here in the order the
dispatcher tries them; the package comes before registration (handlers/__init__.py) so that
invitation links and the partner members' /start reach it first.

| module | conversation |
| --- | --- |
| links | invitation deep links; /start for someone whose only standing is a partner one |
| common | leaving a partner flow |
| hub | /partners: the partner menu |
| units | the admins' units, registering one, a unit's page, invitation links |
| members | a unit's members: approving, taking off, leaving, a unit leaving |
| resources | a unit's resources list: adding, withdrawing |
| needs | /needs: the needs list, a need's card, supporting, declining |
| need_new | a chief adds a need, directly or from a wish, request or topic |
| projects | /projects: the projects list, a project's card, its state, progress, rating |
| project_new | a grid chief or admin makes a project from needs, resources and a unit |
| tasks | a project's manager adds a task (a volunteer activity) |
| member_tasks | members: the tasks open to them, signing up, checking in, their hours |
| adopt | a member adopts a micro-wish for their unit |
| mobile | grid chiefs and admins: mobile grid members, inviting, taking off |
| snap | mobile grid members: snap and report a hazard |
| export | /export partners 2026: the admins' yearly evaluation |
"""

from __future__ import annotations

from aiogram import Router

from linli.bot.commands import Access, CommandSpec
from linli.handlers.partners import (
    adopt,
    common,
    export,
    hub,
    links,
    member_tasks,
    members,
    mobile,
    need_new,
    needs,
    project_new,
    projects,
    resources,
    snap,
    tasks,
    units,
)

router = Router(name=__name__)
router.include_routers(
    links.router,
    common.router,
    hub.router,
    units.router,
    members.router,
    resources.router,
    needs.router,
    need_new.router,
    projects.router,
    project_new.router,
    tasks.router,
    member_tasks.router,
    adopt.router,
    mobile.router,
    snap.router,
    export.router,
)

COMMANDS = [
    CommandSpec("partners", Access.RESIDENT, "private"),
    CommandSpec("needs", Access.RESIDENT, "private"),
    CommandSpec("projects", Access.RESIDENT, "private"),
]
