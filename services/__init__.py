"""Transport-free use cases. Each takes an AsyncSession and plain values, checks
authorization itself, and returns results or raises a `DomainError`. No aiogram here."""
