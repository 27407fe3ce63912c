"""The HTTP side: ``/bot{token}/{method}``, ``/file/bot{token}/{path}`` downloads and the
control endpoints on 127.0.0.1, the JSON envelope of every reply, and the request log."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import Awaitable, Mapping
from typing import Any, Self

from aiohttp import web
from pydantic import ValidationError

from linli.emulator.control import ControlEndpoints
from linli.emulator.errors import ApiError, bad
from linli.emulator.faults import Faults
from linli.emulator.params import read_params
from linli.emulator.records import Request, UploadedFile, short
from linli.emulator.shapes import method_registry
from linli.emulator.state import DescribedResult, Handler, log
from linli.emulator.storage import MAX_UPLOAD

_TOKEN_RE = re.compile(r"\d+:[A-Za-z0-9_-]+")


class HttpServer(ControlEndpoints, Faults):
    """Serve the emulator over HTTP and run each call through faults to its handler."""

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT`` (valid after :meth:`start`)."""
        if self._runner is None:
            raise RuntimeError("emulator is not started")
        return f"http://{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        """True between :meth:`start` and :meth:`stop`."""
        return self._runner is not None

    def make_app(self) -> web.Application:
        """The aiohttp application (for embedding in another server)."""
        app = web.Application(client_max_size=MAX_UPLOAD)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        app.router.add_route("*", "/_emulator/{action}", self._handle_control)
        return app

    async def start(self) -> Self:
        """Start serving on a free port (or the one given to the constructor)."""
        if self._runner is not None:
            return self
        self._closing = asyncio.Event()
        runner = web.AppRunner(
            self.make_app(), access_log=None, handle_signals=False, shutdown_timeout=1.0
        )
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        await site.start()
        self._runner = runner
        for address in runner.addresses:
            if isinstance(address, tuple):
                self.port = int(address[1])
                break
        return self

    async def stop(self) -> None:
        """Stop the server, waking every pending long poll and waiter."""
        runner, self._runner = self._runner, None
        if self._closing is not None:
            self._closing.set()
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._webhook_task
            self._webhook_task = None
        self._wake_pollers()
        self._notify()
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def _token_ok(self, token: str) -> bool:
        if self.token is not None:
            return token == self.token
        return bool(_TOKEN_RE.fullmatch(token))

    async def _handle_api(self, request: web.Request) -> web.Response:
        raw_method = request.match_info["method"]
        token = request.match_info["token"]
        status, body = await self.call(raw_method, request=request, token=token)
        return web.json_response(body, status=status)

    async def call(
        self,
        method: str,
        params: Mapping[str, Any] | None = None,
        *,
        files: Mapping[str, UploadedFile] | None = None,
        request: web.Request | None = None,
        token: str | None = None,
    ) -> tuple[int, dict[str, Any]]:
        """Run one API method (what an HTTP request does); returns ``(status, body)``."""
        key = method.lower()
        req = Request(
            method=self._canon(method),
            params=dict(params or {}),
            at=time.monotonic(),
            raw_method=method,
            files=dict(files or {}),
        )
        self.requests.append(req)
        self._requests_by_method[req.method].append(req)
        status = 200
        try:
            if token is not None and not self._token_ok(token):
                raise ApiError(401, "Unauthorized")
            if request is not None:
                req.params, req.files = await read_params(request, key)
            handler = self._handlers.get(key)
            if handler is None:
                handler = self._generic_handler(key)
            delay = self._delays.get(key, self._delays.get("*"))
            if delay:
                await self._sleep(delay)
            fault = self._fault_for(key, req.params)
            if fault is not None:
                raise fault
            self._rate_check(key)
            result = handler(req.params, req.files)
            if isinstance(result, Awaitable):
                result = await result
            if isinstance(result, DescribedResult):
                body = {"ok": True, "result": result.value, "description": result.description}
            else:
                body = {"ok": True, "result": result}
        except ApiError as exc:
            status, body = exc.status, exc.body()
        except (ValidationError, TypeError, ValueError, KeyError) as exc:
            log.warning("emulator: bad parameters for %s: %s", method, exc)
            status, body = 400, bad(f"invalid parameters: {short(str(exc), 200)}").body()
        except Exception as exc:
            log.exception("emulator failure in %s", method)
            self.errors.append(exc)
            status, body = 500, ApiError(500, "Internal Server Error").body()
        req.response, req.status, req.finished_at = body, status, time.monotonic()
        if request is not None and (request.transport is None or request.transport.is_closing()):
            # The client hung up first (a long poll cancelled by a stopping bot): nobody
            # reads this answer, as with Telegram.
            req.abandoned = True
        self._notify()
        return status, body

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if not self._token_ok(request.match_info["token"]):
            return web.json_response(ApiError(401, "Unauthorized").body(), status=401)
        rec = self._storage.by_path.get(request.match_info["path"])
        if rec is None:
            return web.json_response(ApiError(404, "Not Found").body(), status=404)
        return web.Response(body=rec.data, content_type=rec.mime_type or "application/octet-stream")

    def _generic_handler(self, key: str) -> Handler:
        cls = method_registry().get(key)
        if cls is None or getattr(cls, "__returning__", None) is not bool:
            if cls is not None and key not in self.unsupported:
                self.unsupported.append(key)
                log.warning("emulator: %s is not emulated", self._canon(key))
            raise ApiError(404, "Not Found")

        def accept(params: dict[str, Any], files: dict[str, UploadedFile]) -> bool:
            if "chat_id" in params:
                self._chat(params["chat_id"])
            self.bot_settings[self._canon(key)] = params
            return True

        return accept
