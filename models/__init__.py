"""ORM tables. Importing this package registers every table on `Base.metadata`."""

from linli.models import (  # noqa: F401
    cockpit,
    complaints,
    deliberation,
    notices,
    partners,
    points,
    wishes,
)
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
