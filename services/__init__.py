"""Transport-free use cases. Each takes a database session and plain values, checks
authorization itself, and returns results or raises a `DomainError`. No aiogram here.

Handlers receive the update's session from the dispatcher and pass it on; they type it as
`DbSession` and never run statements themselves."""

from sqlalchemy.ext.asyncio import AsyncSession

DbSession = AsyncSession
"""The session a handler hands to services (one per update, `bot.middlewares`)."""

__all__ = ["DbSession"]
