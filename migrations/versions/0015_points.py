"""points: withheld credits (monthly caps), cap overrides, wrong check-in codes

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIGINT_PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
LEDGER_KINDS = ("activity", "wish", "award", "redemption", "refund", "gift", "correction")


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=24)


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete=ondelete,
    )


def upgrade() -> None:
    op.create_table(
        "points_withheld",
        sa.Column("id", BIGINT_PK, nullable=False),
        sa.Column("resident_id", BIGINT_PK, nullable=False),
        sa.Column("counterpart_id", BIGINT_PK, nullable=True),
        sa.Column("kind", _enum("ledger_kind", *LEDGER_KINDS), nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=False),
        sa.Column("why", _enum("withheld_why", "month", "pair"), nullable=False),
        sa.Column("wanted", sa.Integer(), nullable=False),
        sa.Column("credited", sa.Integer(), nullable=False),
        sa.Column("cap", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("told_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        _fk("points_withheld", "resident_id", "residents", "RESTRICT"),
        _fk("points_withheld", "counterpart_id", "residents", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_points_withheld")),
    )
    op.create_index(
        "ix_points_withheld_resident_period", "points_withheld", ["resident_id", "period"]
    )
    op.create_index("ix_points_withheld_told_at", "points_withheld", ["told_at"])

    op.create_table(
        "points_cap_overrides",
        sa.Column("id", BIGINT_PK, nullable=False),
        sa.Column("resident_id", BIGINT_PK, nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("admin_id", BIGINT_PK, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("points_cap_overrides", "resident_id", "residents", "CASCADE"),
        _fk("points_cap_overrides", "admin_id", "residents", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_points_cap_overrides")),
        sa.UniqueConstraint(
            "resident_id", "period", name=op.f("uq_points_cap_overrides_resident_id_period")
        ),
    )

    op.create_table(
        "checkin_attempts",
        sa.Column("id", BIGINT_PK, nullable=False),
        sa.Column("resident_id", BIGINT_PK, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        _fk("checkin_attempts", "resident_id", "residents", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkin_attempts")),
    )
    op.create_index("ix_checkin_attempts_resident_at", "checkin_attempts", ["resident_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_checkin_attempts_resident_at", table_name="checkin_attempts")
    op.drop_table("checkin_attempts")
    op.drop_table("points_cap_overrides")
    op.drop_index("ix_points_withheld_told_at", table_name="points_withheld")
    op.drop_index("ix_points_withheld_resident_period", table_name="points_withheld")
    op.drop_table("points_withheld")
