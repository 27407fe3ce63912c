"""The append-only audit log of privileged actions."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from linli.models import AuditLog, Resident


async def record(
    session: AsyncSession,
    actor: Resident | None,
    action: str,
    target_type: str | None = None,
    target_id: int | None = None,
    **details: Any,
) -> None:
    """Add an audit row to the caller's (write) transaction."""
    session.add(
        AuditLog(
            actor_id=actor.id if actor else None,
            actor_telegram_id=actor.telegram_id if actor else None,
            action=action,
            target_type=target_type,
            target_id=target_id,
            details=details,
        )
    )
