"""The cockpit's pages. Every page under `/cockpit/<area>/` opens the area through
`services.cockpit.open_area`, which checks the viewer's current scope on each request."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from linli.models.complaints import ComplaintCategory, ComplaintStatus
from linli.models.deliberation import TopicState
from linli.models.wishes import WishCategory, WishStatus
from linli.services import cockpit, cockpit_access, partner_reports
from linli.services.cockpit import Area, Filters, Period, PeriodKind
from linli.services.csv_export import to_csv
from linli.services.errors import StaleAction, ValidationFailed
from linli.web import charts
from linli.web.app import (
    LANG_COOKIE,
    PREFIX,
    SESSION_COOKIE,
    SETTINGS,
    db,
    is_secure,
    now,
    page,
    texts,
    viewer,
)
from linli.web.render import count, hours, pct, rating

AREA = "{area:[cgb][0-9]{1,18}}"
ITEM = "{item:[0-9]{1,18}}"


def add_routes(app: web.Application) -> None:
    r = app.router
    r.add_get("/", root)
    r.add_get(PREFIX, root)
    r.add_get(f"{PREFIX}/", home)
    r.add_get(f"{PREFIX}/login", login_page)
    r.add_post(f"{PREFIX}/login", login)
    r.add_post(f"{PREFIX}/logout", logout)
    r.add_get(f"{PREFIX}/lang", language)
    r.add_get(f"{PREFIX}/{AREA}/", overview)
    r.add_get(f"{PREFIX}/{AREA}/wall", wall)
    r.add_get(f"{PREFIX}/{AREA}/trends", trends)
    r.add_get(f"{PREFIX}/{AREA}/breakdown", breakdown)
    r.add_get(f"{PREFIX}/{AREA}/requests", requests_list)
    r.add_get(f"{PREFIX}/{AREA}/requests.csv", requests_csv)
    r.add_get(f"{PREFIX}/{AREA}/requests/{ITEM}", request_detail)
    r.add_get(f"{PREFIX}/{AREA}/wishes", wishes_list)
    r.add_get(f"{PREFIX}/{AREA}/wishes.csv", wishes_csv)
    r.add_get(f"{PREFIX}/{AREA}/wishes/{ITEM}", wish_detail)
    r.add_get(f"{PREFIX}/{AREA}/topics", topics_list)
    r.add_get(f"{PREFIX}/{AREA}/topics.csv", topics_csv)
    r.add_get(f"{PREFIX}/{AREA}/topics/{ITEM}", topic_detail)


# --- sign-in ----------------------------------------------------------------------------------


async def root(request: web.Request) -> web.StreamResponse:
    raise web.HTTPFound(f"{PREFIX}/")


async def home(request: web.Request) -> web.StreamResponse:
    area = await cockpit.home_area(db(request), viewer(request))
    raise web.HTTPFound(f"{PREFIX}/{area.ref}/")


async def login_page(request: web.Request) -> web.StreamResponse:
    """Shows who the link is for and a button; only the button (a POST) spends the link,
    so link previews and scanners that fetch it do not."""
    token = request.query.get("token", "")
    owner = await cockpit_access.link_owner(db(request), token, now(request)) if token else None
    if owner is None:
        return page(request, "login.html", {"token": "", "owner": None}, 410 if token else 400)
    return page(request, "login.html", {"token": token, "owner": owner})


async def login(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    token = str(form.get("token", ""))
    settings = request.app[SETTINGS]
    try:
        secret, _ = await cockpit_access.sign_in(
            db(request), token, now(request), settings.web.session_hours
        )
    except StaleAction:
        return page(request, "login.html", {"token": "", "owner": None}, 410)
    response = web.HTTPSeeOther(f"{PREFIX}/")
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        max_age=settings.web.session_hours * 3600,
        path=PREFIX,
        httponly=True,
        samesite="Strict",
        secure=is_secure(request),
    )
    raise response


async def logout(request: web.Request) -> web.StreamResponse:
    secret = request.cookies.get(SESSION_COOKIE)
    if secret:
        await cockpit_access.end(db(request), secret)
    response = page(request, "signed_out.html", {"reason": "cockpit-signed-out"})
    response.del_cookie(SESSION_COOKIE, path=PREFIX)
    return response


async def language(request: web.Request) -> web.StreamResponse:
    """Switch the language and go back (only to a cockpit page: no open redirect)."""
    chosen = request.query.get("to", "")
    back = request.query.get("next", f"{PREFIX}/")
    if not back.startswith(f"{PREFIX}/") or "//" in back or "\\" in back:
        back = f"{PREFIX}/"
    response = web.HTTPFound(back)
    if chosen in ("zh", "en"):
        response.set_cookie(
            LANG_COOKIE,
            chosen,
            max_age=365 * 24 * 3600,
            path=PREFIX,
            samesite="Lax",
            secure=is_secure(request),
        )
    raise response


# --- helpers ----------------------------------------------------------------------------------


async def _area(request: web.Request) -> Area:
    return await cockpit.open_area(db(request), viewer(request), request.match_info["area"])


async def _frame(request: web.Request, area: Area, tab: str) -> dict[str, Any]:
    """What every area page shows around its content: the trail, the sub-areas, tabs."""
    session = db(request)
    return {
        "area": area,
        "tab": tab,
        "trail": await cockpit.trail(session, viewer(request), area),
        "children": await cockpit.children(session, area),
        "base": f"{PREFIX}/{area.ref}",
    }


def _period(request: web.Request) -> Period:
    settings = request.app[SETTINGS]
    kind_text = request.query.get("period", PeriodKind.MONTH.value)
    try:
        kind = PeriodKind(kind_text)
    except ValueError:
        raise ValidationFailed("cockpit-error-period") from None
    first = cockpit.parse_day(request.query.get("from", ""))
    last = cockpit.parse_day(request.query.get("to", ""))
    return cockpit.period_of(kind, now(request), settings.tz, first, last)


def _period_query(period: Period) -> str:
    params = {"period": period.kind.value}
    if period.kind == PeriodKind.CUSTOM:
        params.update({"from": period.first.isoformat(), "to": period.last.isoformat()})
    return urlencode(params)


def _choice(value: str, allowed: list[str]) -> str:
    if value and value not in allowed:
        raise ValidationFailed("cockpit-error-filter")
    return value


def _filters(request: web.Request, area: Area, states: list[str], categories: list[str]) -> Filters:
    q = request.query
    building_text = q.get("building", "")
    building_id: int | None = None
    if building_text:
        if not (building_text.isascii() and building_text.isdigit()) or len(building_text) > 18:
            raise ValidationFailed("cockpit-error-filter")
        building_id = int(building_text)
    page_text = q.get("page", "1")
    page_no = int(page_text) if page_text.isascii() and page_text.isdigit() else 1
    return Filters(
        state=_choice(q.get("state", ""), states),
        category=_choice(q.get("category", ""), categories),
        building_id=building_id,
        overdue=q.get("overdue", "") == "1",
        page=min(max(page_no, 1), 10_000),
    )


def _filter_query(filters: Filters, **changes: Any) -> str:
    params: dict[str, Any] = {
        "state": filters.state,
        "category": filters.category,
        "building": filters.building_id or "",
        "overdue": "1" if filters.overdue else "",
    }
    params.update(changes)
    return urlencode({k: v for k, v in params.items() if v not in ("", None)})


async def _buildings(request: web.Request, area: Area) -> list[Area]:
    """Buildings to filter by: the grid's, the community's (all grids), or the one."""
    session = db(request)
    if area.kind == cockpit.AreaKind.BUILDING:
        return [area]
    found: list[Area] = []
    for child in await cockpit.children(session, area):
        found.extend(
            [child]
            if child.kind == cockpit.AreaKind.BUILDING
            else await cockpit.children(session, child)
        )
    return found


def _csv(name: str, body: bytes) -> web.Response:
    return web.Response(
        body=body,
        content_type="text/csv",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# --- overview, wall, trends, breakdown ------------------------------------------------------


async def overview(request: web.Request) -> web.StreamResponse:
    area = await _area(request)
    period = _period(request)
    settings = request.app[SETTINGS]
    data = await cockpit.overview(
        db(request), viewer(request), area, period, now(request), settings.casework
    )
    context = await _frame(request, area, "overview")
    context.update(
        {
            "o": data,
            "period": period,
            "period_query": _period_query(period),
            "stages": list(TopicState),
        }
    )
    context["partners"] = None
    if area.kind == cockpit.AreaKind.COMMUNITY:  # partner units serve the whole community
        context["partners"] = await partner_reports.cockpit_figures(
            db(request), area.community_id, period.start, period.end
        )
    return page(request, "overview.html", context)


async def wall(request: web.Request) -> web.StreamResponse:
    area = await _area(request)
    period = _period(request)
    settings = request.app[SETTINGS]
    data = await cockpit.overview(
        db(request), viewer(request), area, period, now(request), settings.casework
    )
    context = await _frame(request, area, "wall")
    context.update(
        {
            "o": data,
            "period": period,
            "period_query": _period_query(period),
            "refresh": settings.web.wall_refresh_seconds,
            "updated": texts(request).when(now(request)),
        }
    )
    return page(request, "wall.html", context)


TREND_CHARTS: list[tuple[str, list[tuple[str, str, str]]]] = [
    # (title key, [(series key, css class, figure name)])
    (
        "cockpit-trend-requests",
        [
            ("cockpit-fig-received", "s1", "received"),
            ("cockpit-fig-resolved", "s2", "resolved"),
        ],
    ),
    (
        "cockpit-trend-speed",
        [
            ("cockpit-fig-median-accept", "s1", "median_accept_hours"),
            ("cockpit-fig-median-resolve", "s2", "median_resolve_hours"),
        ],
    ),
    ("cockpit-trend-rating", [("cockpit-fig-rating", "s1", "average_rating")]),
    (
        "cockpit-trend-wishes",
        [
            ("cockpit-fig-wishes-posted", "s1", "wishes_posted"),
            ("cockpit-fig-wishes-fulfilled", "s2", "wishes_fulfilled"),
        ],
    ),
    (
        "cockpit-trend-points",
        [
            ("cockpit-fig-points-issued", "s1", "points_issued"),
            ("cockpit-fig-points-redeemed", "s2", "points_redeemed"),
        ],
    ),
    ("cockpit-trend-volunteering", [("cockpit-fig-volunteer-hours", "s1", "volunteer_hours")]),
    ("cockpit-trend-turnout", [("cockpit-fig-turnout", "s1", "turnout_pct")]),
    (
        "cockpit-trend-notices",
        [
            ("cockpit-fig-notices-sent", "s1", "notices_sent"),
            ("cockpit-fig-notices-failed", "s2", "notices_failed"),
        ],
    ),
]

FORMATS = {
    "median_accept_hours": hours,
    "median_resolve_hours": hours,
    "average_rating": rating,
    "turnout_pct": pct,
    "volunteer_hours": hours,
}


def figure_value(figures: cockpit.Figures, name: str) -> float | None:
    """A figure by name, from the /stats part or the rest."""
    if hasattr(figures.casework, name):
        value = getattr(figures.casework, name)
    else:
        value = getattr(figures, name)
    return None if value is None else float(value)


def figure_text(figures: cockpit.Figures, name: str) -> str:
    value = figure_value(figures, name)
    fmt = FORMATS.get(name)
    if fmt is not None:
        return fmt(value)
    return count(None if value is None else int(value))


async def trends(request: web.Request) -> web.StreamResponse:
    area = await _area(request)
    settings = request.app[SETTINGS]
    weeks = await cockpit.trends(
        db(request), viewer(request), area, now(request), settings.tz, settings.casework
    )
    t = texts(request)
    labels = [w.period.first.strftime("%m-%d") for w in weeks]
    blocks = []
    for title, series in TREND_CHARTS:
        chart = charts.line_chart(
            labels,
            [
                (t(key), css, [figure_value(w.figures, name) for w in weeks])
                for key, css, name in series
            ],
        )
        rows = [
            (t(key), css, [figure_text(w.figures, name) for w in weeks])
            for key, css, name in series
        ]
        blocks.append({"title": title, "chart": chart, "rows": rows})
    context = await _frame(request, area, "trends")
    context.update({"blocks": blocks, "weeks": weeks, "labels": labels})
    return page(request, "trends.html", context)


async def breakdown(request: web.Request) -> web.StreamResponse:
    area = await _area(request)
    period = _period(request)
    settings = request.app[SETTINGS]
    data = await cockpit.breakdown(
        db(request), viewer(request), area, period, now(request), settings.casework
    )
    largest = {
        "received": max((r.casework.received for r in data.areas), default=0),
        "open": max((r.requests_open for r in data.areas), default=0),
        "cat_received": max((c.received for c in data.categories), default=0),
        "cat_open": max((c.open for c in data.categories), default=0),
        "wish_posted": max((c.posted for c in data.wish_categories), default=0),
    }
    context = await _frame(request, area, "breakdown")
    context.update(
        {
            "b": data,
            "period": period,
            "period_query": _period_query(period),
            "largest": largest,
            "bar_width": charts.bar_width,
        }
    )
    return page(request, "breakdown.html", context)


# --- lists ------------------------------------------------------------------------------------

REQUEST_STATES = ["active", *[s.value for s in ComplaintStatus]]
WISH_STATES = ["active", *[s.value for s in WishStatus]]
TOPIC_STATES = [s.value for s in TopicState]


async def _request_page(
    request: web.Request, size: int | None
) -> tuple[Area, Filters, cockpit.Page[cockpit.RequestRow]]:
    area = await _area(request)
    filters = _filters(request, area, REQUEST_STATES, [c.value for c in ComplaintCategory])
    settings = request.app[SETTINGS]
    found = await cockpit.requests(
        db(request), viewer(request), area, filters, now(request), settings.casework, size
    )
    return area, filters, found


async def requests_list(request: web.Request) -> web.StreamResponse:
    area, filters, found = await _request_page(request, cockpit.PAGE_SIZE)
    context = await _frame(request, area, "requests")
    context.update(
        {
            "found": found,
            "filters": filters,
            "query": _filter_query(filters),
            "page_query": lambda n: _filter_query(filters, page=n),
            "states": REQUEST_STATES,
            "categories": [c.value for c in ComplaintCategory],
            "buildings": await _buildings(request, area),
        }
    )
    return page(request, "requests.html", context)


async def requests_csv(request: web.Request) -> web.StreamResponse:
    area, _, found = await _request_page(request, None)
    t = texts(request)
    header = [
        t("cockpit-col-code"),
        t("cockpit-col-filed"),
        t("cockpit-col-grid"),
        t("cockpit-col-building"),
        t("cockpit-col-category"),
        t("cockpit-col-state"),
        t("cockpit-col-overdue"),
        t("cockpit-col-author"),
        t("cockpit-col-text"),
        t("cockpit-col-rating"),
    ]
    rows = [
        [
            r.complaint.code,
            t.when(r.complaint.created_at),
            r.grid,
            r.building,
            t(f"cockpit-category-{r.complaint.category.value}"),
            t(f"cockpit-request-state-{r.complaint.status.value.replace('_', '-')}"),
            t("cockpit-yes") if r.overdue else "",
            _author(t, r.complaint.anonymous, r.author, r.offline_author),
            r.complaint.text,
            r.complaint.rating,
        ]
        for r in found.rows
    ]
    await cockpit.record_export(db(request), viewer(request), area, "requests", len(rows))
    return _csv(f"requests-{area.ref}.csv", to_csv(header, rows))


def _author(t: Any, anonymous: bool, person: cockpit.Person | None, offline: str | None) -> str:
    if anonymous:
        return str(t("cockpit-anonymous"))
    if person is not None:
        return str(t.person(person))
    if offline:
        return str(t("cockpit-offline", name=offline))
    return "–"


async def request_detail(request: web.Request) -> web.StreamResponse:
    area = await _area(request)
    settings = request.app[SETTINGS]
    detail = await cockpit.request_detail(
        db(request),
        viewer(request),
        area,
        int(request.match_info["item"]),
        now(request),
        settings.casework,
    )
    context = await _frame(request, area, "requests")
    context.update(
        {
            "d": detail,
            "author": _author(
                texts(request),
                detail.row.complaint.anonymous,
                detail.row.author,
                detail.row.offline_author,
            ),
        }
    )
    return page(request, "request.html", context)


async def _wish_page(
    request: web.Request, size: int | None
) -> tuple[Area, Filters, cockpit.Page[cockpit.WishRow]]:
    area = await _area(request)
    filters = _filters(request, area, WISH_STATES, [c.value for c in WishCategory])
    found = await cockpit.wishes(db(request), viewer(request), area, filters, size)
    return area, filters, found


async def wishes_list(request: web.Request) -> web.StreamResponse:
    area, filters, found = await _wish_page(request, cockpit.PAGE_SIZE)
    context = await _frame(request, area, "wishes")
    context.update(
        {
            "found": found,
            "filters": filters,
            "query": _filter_query(filters),
            "page_query": lambda n: _filter_query(filters, page=n),
            "states": WISH_STATES,
            "categories": [c.value for c in WishCategory],
            "buildings": await _buildings(request, area),
        }
    )
    return page(request, "wishes.html", context)


async def wishes_csv(request: web.Request) -> web.StreamResponse:
    area, _, found = await _wish_page(request, None)
    t = texts(request)
    header = [
        t("cockpit-col-code"),
        t("cockpit-col-filed"),
        t("cockpit-col-grid"),
        t("cockpit-col-building"),
        t("cockpit-col-category"),
        t("cockpit-col-state"),
        t("cockpit-col-author"),
        t("cockpit-col-claimer"),
        t("cockpit-col-text"),
    ]
    rows = [
        [
            r.wish.code,
            t.when(r.wish.created_at),
            r.grid,
            r.building,
            t(f"cockpit-wish-category-{r.wish.category.value}"),
            t(f"cockpit-wish-state-{r.wish.status.value}"),
            _author(t, False, r.author, r.offline_author),
            t.person(r.claimer, ""),
            r.wish.text,
        ]
        for r in found.rows
    ]
    await cockpit.record_export(db(request), viewer(request), area, "wishes", len(rows))
    return _csv(f"wishes-{area.ref}.csv", to_csv(header, rows))


async def wish_detail(request: web.Request) -> web.StreamResponse:
    area = await _area(request)
    detail = await cockpit.wish_detail(
        db(request), viewer(request), area, int(request.match_info["item"])
    )
    context = await _frame(request, area, "wishes")
    context.update(
        {
            "d": detail,
            "author": _author(texts(request), False, detail.row.author, detail.row.offline_author),
        }
    )
    return page(request, "wish.html", context)


async def _topic_page(
    request: web.Request, size: int | None
) -> tuple[Area, Filters, cockpit.Page[cockpit.TopicRow]]:
    area = await _area(request)
    filters = _filters(request, area, TOPIC_STATES, [])
    found = await cockpit.topics(db(request), viewer(request), area, filters, size)
    return area, filters, found


async def topics_list(request: web.Request) -> web.StreamResponse:
    area, filters, found = await _topic_page(request, cockpit.PAGE_SIZE)
    context = await _frame(request, area, "topics")
    context.update(
        {
            "found": found,
            "filters": filters,
            "query": _filter_query(filters),
            "page_query": lambda n: _filter_query(filters, page=n),
            "states": TOPIC_STATES,
            "buildings": await _buildings(request, area),
        }
    )
    return page(request, "topics.html", context)


async def topics_csv(request: web.Request) -> web.StreamResponse:
    area, _, found = await _topic_page(request, None)
    t = texts(request)
    header = [
        t("cockpit-col-code"),
        t("cockpit-col-filed"),
        t("cockpit-col-scope"),
        t("cockpit-col-title"),
        t("cockpit-col-state"),
        t("cockpit-col-supports"),
        t("cockpit-col-author"),
    ]
    rows = [
        [
            r.topic.ref,
            t.when(r.topic.created_at),
            r.unit,
            r.topic.title,
            t(f"cockpit-topic-state-{r.topic.state.value}"),
            r.topic.support_count,
            t.person(r.author, ""),
        ]
        for r in found.rows
    ]
    await cockpit.record_export(db(request), viewer(request), area, "topics", len(rows))
    return _csv(f"topics-{area.ref}.csv", to_csv(header, rows))


async def topic_detail(request: web.Request) -> web.StreamResponse:
    area = await _area(request)
    detail = await cockpit.topic_detail(
        db(request), viewer(request), area, int(request.match_info["item"])
    )
    context = await _frame(request, area, "topics")
    context.update({"d": detail})
    return page(request, "topic.html", context)
