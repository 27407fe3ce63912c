"""Faults on demand: error replies (429 with retry_after, 5xx, any status), outages lasting
some seconds, slow methods and a global send-rate cap; blocks and kicks are undone here too."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Mapping
from typing import Any

from linli.emulator.errors import DEFAULT_DESCRIPTIONS, ApiError, too_many
from linli.emulator.state import EmulatorState, Fault


class Faults(EmulatorState):
    """Make the next calls fail, slow them down, or cap the send rate."""

    def inject_fault(
        self,
        method: str,
        *,
        status: int = 500,
        description: str | None = None,
        retry_after: int | None = None,
        times: int | None = None,
        chat_id: int | None = None,
        seconds: float | None = None,
    ) -> None:
        """Fail the next ``times`` calls of ``method`` ("*" = any; ``times < 0`` = until cleared).

        ``seconds`` makes it a burst: every call fails for that long from now (``times``
        then defaults to unlimited within the window), like a Telegram outage answering 502.
        ``chat_id`` limits the fault to calls for that chat. 429 gets
        ``parameters.retry_after`` (default 1) and "Too Many Requests: retry after N".
        """
        if status == 429 and retry_after is None:
            retry_after = 1
        if times is None:
            times = -1 if seconds is not None else 1
        until = time.monotonic() + seconds if seconds is not None else None
        self._faults.append(
            Fault(
                self._canon(method).lower(),
                status,
                description,
                retry_after,
                times,
                chat_id,
                until,
            )
        )

    def set_delay(self, method: str, seconds: float) -> None:
        """Delay every response of ``method`` ("*" = any) by ``seconds`` (0 removes)."""
        key = self._canon(method).lower()
        if seconds > 0:
            self._delays[key] = seconds
        else:
            self._delays.pop(key, None)

    def set_rate_limit(self, per_second: float | None) -> None:
        """Cap send*/edit*/copy/forward calls globally; excess calls get 429 retry_after=1."""
        self._rate = per_second if per_second and per_second > 0 else None
        self._tokens = max(1.0, per_second or 0.0)
        self._tokens_at = time.monotonic()

    def clear_faults(self) -> None:
        """Remove faults, delays, the rate limit, blocks and kicks."""
        self._faults.clear()
        self._delays.clear()
        self._rate = None
        for state in self._chats.values():
            state.blocked = False
            if state.status_before_kick is not None:
                state.bot_status, state.status_before_kick = state.status_before_kick, None

    def _fault_for(self, method: str, params: Mapping[str, Any]) -> ApiError | None:
        now = time.monotonic()
        for fault in list(self._faults):
            if fault.until is not None and now >= fault.until:
                self._faults.remove(fault)
                continue
            if fault.method not in (method, "*"):
                continue
            if fault.chat_id is not None and str(params.get("chat_id")) != str(fault.chat_id):
                continue
            if fault.remaining > 0:
                fault.remaining -= 1
                if fault.remaining == 0:
                    self._faults.remove(fault)
            if fault.status == 429:
                retry = int(fault.retry_after or 1)
                return ApiError(
                    429,
                    fault.description or f"Too Many Requests: retry after {retry}",
                    {"retry_after": retry},
                )
            description = fault.description or DEFAULT_DESCRIPTIONS.get(fault.status, "Error")
            parameters = {"retry_after": fault.retry_after} if fault.retry_after else None
            return ApiError(fault.status, description, parameters)
        return None

    def _rate_check(self, method: str) -> None:
        if self._rate is None or method == "sendchataction":
            return
        if not method.startswith(("send", "edit", "copy", "forward")):
            return
        now = time.monotonic()
        capacity = max(1.0, self._rate)
        self._tokens = min(capacity, self._tokens + (now - self._tokens_at) * self._rate)
        self._tokens_at = now
        if self._tokens < 1.0:
            raise too_many(1)
        self._tokens -= 1.0

    async def _sleep(self, seconds: float) -> None:
        if self._closing is None:
            await asyncio.sleep(seconds)
            return
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self._closing.wait(), seconds)
