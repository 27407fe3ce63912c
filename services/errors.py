"""Domain errors. `key` is the i18n message id the transport shows; `params` fill it in."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    key = "error-generic"

    def __init__(self, key: str | None = None, **params: Any) -> None:
        self.key = key or type(self).key
        self.params = params
        super().__init__(self.key, params)


class NotFound(DomainError):
    key = "error-not-found"


class PermissionDenied(DomainError):
    key = "error-permission"


class InvalidState(DomainError):
    key = "error-invalid-state"


class ValidationFailed(DomainError):
    key = "error-invalid-input"


class StaleAction(DomainError):
    """A button or id refers to something that no longer allows the action."""

    key = "error-stale-button"
