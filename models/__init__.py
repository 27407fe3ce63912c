"""ORM tables. Importing this package registers every table on `Base.metadata`."""

from linli.models import cockpit, complaints, deliberation, notices, points, wishes  # noqa: F401
from linli.models.base import Base, utcnow
from linli.models.structure import (
    AuditLog,
    Building,
    ChatBinding,
    Community,
    Grid,
    Resident,
    ResidentStatus,
    Role,
)

__all__ = [
    "AuditLog",
    "Base",
    "Building",
    "ChatBinding",
    "Community",
    "Grid",
    "Resident",
    "ResidentStatus",
    "Role",
    "utcnow",
]
