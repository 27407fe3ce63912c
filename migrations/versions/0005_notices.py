"""notices: scheduled notices, their runs, and the broadcast outbox

Revision ID: 0005
Revises: 0001
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIGINT_PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


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
        "outbox_messages",
        sa.Column("id", BIGINT_PK, nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("source_id", sa.BigInteger(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("parse_mode", sa.String(length=16), nullable=True),
        sa.Column("media_kind", sa.String(length=16), nullable=True),
        sa.Column("media_file_id", sa.String(length=255), nullable=True),
        sa.Column("reply_markup", sa.JSON(), nullable=True),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("notify_resident_id", BIGINT_PK, nullable=True),
        sa.Column("progress_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("progress_message_id", sa.BigInteger(), nullable=True),
        sa.Column("progress_edited_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        _fk("outbox_messages", "notify_resident_id", "residents", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_messages")),
    )
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_messages_source", ["source", "source_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_outbox_messages_finished_at"), ["finished_at"], unique=False
        )

    op.create_table(
        "outbox_deliveries",
        sa.Column("id", BIGINT_PK, nullable=False),
        sa.Column("message_id", BIGINT_PK, nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "state", _enum("delivery_state", "pending", "sending", "sent", "failed"), nullable=False
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("telegram_message_id", sa.BigInteger(), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        _fk("outbox_deliveries", "message_id", "outbox_messages", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_deliveries")),
        sa.UniqueConstraint(
            "message_id", "chat_id", name=op.f("uq_outbox_deliveries_message_id_chat_id")
        ),
    )
    with op.batch_alter_table("outbox_deliveries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_outbox_deliveries_state_not_before", ["state", "not_before"], unique=False
        )

    op.create_table(
        "notices",
        sa.Column("id", BIGINT_PK, nullable=False),
        sa.Column("community_id", BIGINT_PK, nullable=True),
        sa.Column("author_id", BIGINT_PK, nullable=True),
        sa.Column("kind", _enum("notice_kind", "message", "agenda"), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("media_kind", sa.String(length=16), nullable=True),
        sa.Column("media_file_id", sa.String(length=255), nullable=True),
        sa.Column(
            "target_kind",
            _enum("notice_target", "all", "grid", "grid_buildings", "buildings"),
            nullable=False,
        ),
        sa.Column("target_grid_id", BIGINT_PK, nullable=True),
        sa.Column("building_ids", sa.JSON(), nullable=False),
        sa.Column("area_grid_id", BIGINT_PK, nullable=True),
        sa.Column("area_building_id", BIGINT_PK, nullable=True),
        sa.Column(
            "repeat", _enum("notice_repeat", "once", "daily", "weekly", "monthly"), nullable=False
        ),
        sa.Column("at_time", sa.String(length=5), nullable=True),
        sa.Column("weekdays", sa.String(length=32), nullable=True),
        sa.Column("month_day", sa.Integer(), nullable=True),
        sa.Column("next_run_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "state",
            _enum("notice_state", "scheduled", "paused", "done", "cancelled"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _fk("notices", "area_building_id", "buildings", "CASCADE"),
        _fk("notices", "area_grid_id", "grids", "CASCADE"),
        _fk("notices", "author_id", "residents", "SET NULL"),
        _fk("notices", "community_id", "communities", "CASCADE"),
        _fk("notices", "target_grid_id", "grids", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
    )
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notices_area_building_id"), ["area_building_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_notices_area_grid_id"), ["area_grid_id"], unique=False)
        batch_op.create_index(
            "ix_notices_state_next_run_at", ["state", "next_run_at"], unique=False
        )

    op.create_table(
        "notice_runs",
        sa.Column("id", BIGINT_PK, nullable=False),
        sa.Column("notice_id", BIGINT_PK, nullable=False),
        sa.Column("scheduled_for", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "status",
            _enum("notice_run_status", "claimed", "sending", "missed", "empty"),
            nullable=False,
        ),
        sa.Column("delayed", sa.Boolean(), nullable=False),
        sa.Column("author_told", sa.Boolean(), nullable=False),
        sa.Column("outbox_message_id", BIGINT_PK, nullable=True),
        _fk("notice_runs", "notice_id", "notices", "CASCADE"),
        _fk("notice_runs", "outbox_message_id", "outbox_messages", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_runs")),
        sa.UniqueConstraint(
            "notice_id", "scheduled_for", name=op.f("uq_notice_runs_notice_id_scheduled_for")
        ),
    )


def downgrade() -> None:
    op.drop_table("notice_runs")
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_index("ix_notices_state_next_run_at")
        batch_op.drop_index(batch_op.f("ix_notices_area_grid_id"))
        batch_op.drop_index(batch_op.f("ix_notices_area_building_id"))
    op.drop_table("notices")
    with op.batch_alter_table("outbox_deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_deliveries_state_not_before")
    op.drop_table("outbox_deliveries")
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_messages_finished_at"))
        batch_op.drop_index("ix_outbox_messages_source")
    op.drop_table("outbox_messages")
