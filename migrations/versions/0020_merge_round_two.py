"""Merge the second round's migrations, each written on its own branch from 0013: points caps
(0015), withheld notice runs (0017), retention history (0018) and partner units (0019). They
touch different tables, so their order does not matter.

Revision ID: 0020
Revises: 0015, 0017, 0018, 0019
Create Date: 2026-12-07
"""

from collections.abc import Sequence

revision: str = "0020"
down_revision: str | Sequence[str] | None = ("0015", "0017", "0018", "0019")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
