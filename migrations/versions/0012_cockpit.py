"""cockpit: one-time sign-in links and browser sessions of the web cockpit (hashed)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "cockpit_links",
        sa.Column("id", PK, nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("resident_id", PK, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["residents.id"],
            name=op.f("fk_cockpit_links_resident_id_residents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cockpit_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_cockpit_links_token_hash")),
    )
    op.create_index("ix_cockpit_links_expires_at", "cockpit_links", ["expires_at"])
    op.create_index(op.f("ix_cockpit_links_resident_id"), "cockpit_links", ["resident_id"])
    op.create_table(
        "cockpit_sessions",
        sa.Column("id", PK, nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("resident_id", PK, nullable=False),
        sa.Column("role", sa.String(length=24), nullable=False),
        sa.Column("area_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["residents.id"],
            name=op.f("fk_cockpit_sessions_resident_id_residents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cockpit_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_cockpit_sessions_token_hash")),
    )
    op.create_index("ix_cockpit_sessions_expires_at", "cockpit_sessions", ["expires_at"])
    op.create_index(op.f("ix_cockpit_sessions_resident_id"), "cockpit_sessions", ["resident_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_cockpit_sessions_resident_id"), table_name="cockpit_sessions")
    op.drop_index("ix_cockpit_sessions_expires_at", table_name="cockpit_sessions")
    op.drop_table("cockpit_sessions")
    op.drop_index(op.f("ix_cockpit_links_resident_id"), table_name="cockpit_links")
    op.drop_index("ix_cockpit_links_expires_at", table_name="cockpit_links")
    op.drop_table("cockpit_links")
