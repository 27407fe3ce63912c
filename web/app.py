"""The cockpit's aiohttp application: one database session per request, the signed-in
resident checked on every request, security headers, and errors as friendly pages.

`create_web_app` builds it; `start_web` serves it on WEB_HOST:WEB_PORT beside the bot
(`linli run` with WEB_PORT set) or alone (`linli web`).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import web
from aiohttp.abc import AbstractAccessLogger
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from linli.bot.i18n import LOCALES, Translator, locale_from_telegram
from linli.config import Settings
from linli.models import Resident
from linli.services import cockpit_access
from linli.services.cockpit_access import Ended
from linli.services.errors import DomainError, NotFound, PermissionDenied
from linli.web.render import Texts

log = logging.getLogger("linli.web")

HERE = Path(__file__).parent
SESSION_COOKIE = "linli_cockpit"
LANG_COOKIE = "linli_lang"
PREFIX = "/cockpit"

SETTINGS = web.AppKey("settings", Settings)
SESSIONMAKER = web.AppKey("sessionmaker", async_sessionmaker[AsyncSession])
TRANSLATOR = web.AppKey("translator", Translator)
CLOCK = web.AppKey("clock", Callable[[], datetime])
DB = web.RequestKey("db", AsyncSession)
VIEWER = web.RequestKey("viewer", Resident | None)
ENDED = web.RequestKey("ended", Ended | None)
TEXTS = web.RequestKey("texts", Texts)

# Everything comes from Linli itself: no inline scripts or styles, no other origin.
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'none'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def now(request: web.Request) -> datetime:
    return request.app[CLOCK]()


def db(request: web.Request) -> AsyncSession:
    return request[DB]


def viewer(request: web.Request) -> Resident:
    resident = request.get(VIEWER)
    if resident is None:
        raise PermissionDenied("cockpit-error-role")
    return resident


def texts(request: web.Request) -> Texts:
    return request[TEXTS]


def _locale(request: web.Request, resident: Resident | None, default: str) -> str:
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in LOCALES:
        return chosen
    if resident is not None and resident.language in LOCALES:
        return resident.language
    accept = request.headers.get("Accept-Language", "")
    first = accept.split(",", 1)[0].split(";", 1)[0].strip()
    return locale_from_telegram(first or None, default)


def is_secure(request: web.Request) -> bool:
    """Whether the browser reached us over TLS: directly, or through a trusted proxy
    that says so; WEB_SECURE_COOKIES can force the answer."""
    cfg = request.app[SETTINGS].web
    if cfg.secure_cookies != "auto":
        return cfg.secure_cookies == "always"
    if request.secure:
        return True
    if request.remote in cfg.trusted_proxies:
        proto = request.headers.get("X-Forwarded-Proto", "").split(",", 1)[0].strip()
        if proto:
            return proto.lower() == "https"
    return bool(cfg.public_url and cfg.public_url.startswith("https://"))


@web.middleware
async def headers_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    response = await handler(request)
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if not request.path.startswith(f"{PREFIX}/static/"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


@web.middleware
async def session_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """A database session for the request, and the signed-in resident, checked against
    their current role and area (a session that no longer fits is ended here)."""
    settings = request.app[SETTINGS]
    async with request.app[SESSIONMAKER]() as session:
        request[DB] = session
        resident: Resident | None = None
        ended: Ended | None = None
        secret = request.cookies.get(SESSION_COOKIE)
        if secret:
            found = await cockpit_access.current(session, secret, now(request))
            resident, ended = found.resident, found.ended
        request[VIEWER] = resident
        request[ENDED] = ended
        locale = _locale(request, resident, settings.default_language)
        request[TEXTS] = Texts(request.app[TRANSLATOR], locale, settings.tz)
        response = await handler(request)
        if ended is not None:
            response.del_cookie(SESSION_COOKIE, path=PREFIX)
        return response


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except DomainError as error:
        if isinstance(error, PermissionDenied) and request.get(VIEWER) is None:
            return _signed_out(request)
        status = 404 if isinstance(error, NotFound) else 403
        if not isinstance(error, NotFound | PermissionDenied):
            status = 400
        return page(request, "error.html", {"message": error.key, "params": error.params}, status)
    except web.HTTPNotFound:
        if TEXTS not in request:
            raise
        return page(request, "error.html", {"message": "error-not-found", "params": {}}, 404)


def _signed_out(request: web.Request) -> web.Response:
    ended = request.get(ENDED)
    reason = {
        Ended.EXPIRED: "cockpit-ended-expired",
        Ended.ROLE_CHANGED: "cockpit-ended-role",
    }.get(ended or Ended.UNKNOWN, "cockpit-signed-out")
    response = page(request, "signed_out.html", {"reason": reason}, 401)
    if ended is not None:
        response.del_cookie(SESSION_COOKIE, path=PREFIX)
    return response


def page(
    request: web.Request, template: str, context: dict[str, Any], status: int = 200
) -> web.Response:
    """A page in the viewer's language."""
    found = texts(request)
    base = {
        **found.globals(),
        "viewer": request.get(VIEWER),
        "path": request.path_qs,
        "prefix": PREFIX,
    }
    response = aiohttp_jinja2.render_template(template, request, {**base, **context})
    response.set_status(status)
    response.headers["Content-Language"] = "zh-CN" if found.locale == "zh" else "en"
    return response


class PathOnlyAccessLogger(AbstractAccessLogger):
    """Access log without query strings: sign-in links carry their secret there."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        self.logger.info(
            "%s %s %s %.0fms", request.method, request.path, response.status, time * 1000
        )


def create_web_app(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    translator: Translator | None = None,
    clock: Callable[[], datetime] | None = None,
) -> web.Application:
    from linli.web import views

    app = web.Application(middlewares=[headers_middleware, session_middleware, error_middleware])
    app[SETTINGS] = settings
    app[SESSIONMAKER] = sessionmaker
    app[TRANSLATOR] = translator or Translator(settings.default_language)
    app[CLOCK] = clock or (lambda: datetime.now(UTC))
    aiohttp_jinja2.setup(
        app,
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=jinja2.select_autoescape(default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    views.add_routes(app)
    app.router.add_static(f"{PREFIX}/static/", HERE / "static", name="static")
    return app


async def start_web(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    translator: Translator | None = None,
    *,
    port: int | None = None,
) -> web.AppRunner:
    """Serve the cockpit on WEB_HOST and `port` (default WEB_PORT, or 8088); returns the
    runner, whose `cleanup()` stops it."""
    app = create_web_app(settings, sessionmaker, translator)
    runner = web.AppRunner(app, access_log_class=PathOnlyAccessLogger, access_log=log)
    await runner.setup()
    site = web.TCPSite(
        runner, settings.web.host, port if port is not None else settings.web.listen_port
    )
    await site.start()
    return runner


async def serve_forever(settings: Settings, port: int | None = None) -> None:
    """`linli web`: the cockpit alone, until SIGINT or SIGTERM."""
    import asyncio
    import signal

    from linli.models.db import create_engine, create_sessionmaker

    engine = create_engine(settings.database_url, sqlite_inline=settings.sqlite_inline)
    runner = await start_web(settings, create_sessionmaker(engine), port=port)
    print(f"cockpit: http://{settings.web.host}:{port or settings.web.listen_port}{PREFIX}/")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()
        await engine.dispose()
