"""points: ledger, balances, privacy, activities, charity shop, gifts, leaderboard posts

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from linli.migrations.helpers import drop_append_only, make_append_only

revision: str = "0004"
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
        "ledger_entries",
        sa.Column("id", BIGINT_PK, nullable=False),
        sa.Column("resident_id", BIGINT_PK, nullable=False),
        sa.Column("delta", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            _enum(
                "ledger_kind",
                "activity",
                "wish",
                "award",
                "redemption",
                "refund",
                "gift",
                "correction",
            ),
            nullable=False,
        ),
        sa.Column("reference", sa.String(length=64), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("actor_id", sa.BigInteger(), nullable=True),
        sa.Column("idempotency_key", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("ledger_entries", "resident_id", "residents", "RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_entries")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_ledger_entries_idempotency_key")),
    )
    op.create_index(
        "ix_ledger_entries_resident_at", "ledger_entries", ["resident_id", "created_at"]
    )
    make_append_only("ledger_entries")

    op.create_table(
        "points_balances",
        sa.Column("resident_id", BIGINT_PK, nullable=False),
        sa.Column("balance", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("balance >= 0", name=op.f("ck_points_balances_non_negative")),
        _fk("points_balances", "resident_id", "residents", "RESTRICT"),
        sa.PrimaryKeyConstraint("resident_id", name=op.f("pk_points_balances")),
    )
    op.create_table(
        "points_privacy",
        sa.Column("resident_id", BIGINT_PK, nullable=False),
        sa.Column("as_neighbour", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _fk("points_privacy", "resident_id", "residents", "CASCADE"),
        sa.PrimaryKeyConstraint("resident_id", name=op.f("pk_points_privacy")),
    )

    op.create_table(
        "activities",
        sa.Column("id", BIGINT_PK, nullable=False),
        sa.Column("community_id", BIGINT_PK, nullable=False),
        sa.Column("grid_id", BIGINT_PK, nullable=True),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("seats_taken", sa.Integer(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("per_hour", sa.Boolean(), nullable=False),
        sa.Column("checkin_code", sa.String(length=16), nullable=False),
        sa.Column(
            "state", _enum("activity_state", "open", "completed", "cancelled"), nullable=False
        ),
        sa.Column("created_by_id", BIGINT_PK, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("eve_reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hour_reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "seats_taken >= 0 AND seats_taken <= capacity", name=op.f("ck_activities_seats")
        ),
        sa.CheckConstraint("capacity > 0 AND points >= 0", name=op.f("ck_activities_positive")),
        _fk("activities", "community_id", "communities", "CASCADE"),
        _fk("activities", "grid_id", "grids", "CASCADE"),
        _fk("activities", "created_by_id", "residents", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activities")),
        sa.UniqueConstraint("checkin_code", name=op.f("uq_activities_checkin_code")),
    )
    op.create_index("ix_activities_state_starts_at", "activities", ["state", "starts_at"])

    op.create_table(
        "activity_signups",
        sa.Column("id", BIGINT_PK, nullable=False),
        sa.Column("activity_id", BIGINT_PK, nullable=False),
        sa.Column("resident_id", BIGINT_PK, nullable=False),
        sa.Column(
            "status",
            _enum("signup_status", "going", "waiting", "cancelled", "walk_in"),
            nullable=False,
        ),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attended_at", sa.DateTime(timezone=True), nullable=True),
        _fk("activity_signups", "activity_id", "activities", "CASCADE"),
        _fk("activity_signups", "resident_id", "residents", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_signups")),
        sa.UniqueConstraint(
            "activity_id", "resident_id", name=op.f("uq_activity_signups_activity_id_resident_id")
        ),
    )
    op.create_index(
        "ix_activity_signups_activity_status", "activity_signups", ["activity_id", "status"]
    )

    op.create_table(
        "reward_items",
        sa.Column("id", BIGINT_PK, nullable=False),
        sa.Column("community_id", BIGINT_PK, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("photo_file_id", sa.String(length=255), nullable=True),
        sa.Column("cost", sa.Integer(), nullable=False),
        sa.Column("stock", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", BIGINT_PK, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("stock >= 0", name=op.f("ck_reward_items_stock_non_negative")),
        sa.CheckConstraint("cost > 0", name=op.f("ck_reward_items_cost_positive")),
        _fk("reward_items", "community_id", "communities", "CASCADE"),
        _fk("reward_items", "created_by_id", "residents", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reward_items")),
    )
    op.create_index(op.f("ix_reward_items_community_id"), "reward_items", ["community_id"])

    op.create_table(
        "redemptions",
        sa.Column("id", BIGINT_PK, nullable=False),
        sa.Column("resident_id", BIGINT_PK, nullable=False),
        sa.Column("item_id", BIGINT_PK, nullable=False),
        sa.Column("cost", sa.Integer(), nullable=False),
        sa.Column("pickup_code", sa.String(length=8), nullable=False),
        sa.Column(
            "state",
            _enum("redemption_state", "reserved", "handed_over", "cancelled", "expired"),
            nullable=False,
        ),
        sa.Column("idempotency_key", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by_id", sa.BigInteger(), nullable=True),
        _fk("redemptions", "resident_id", "residents", "RESTRICT"),
        _fk("redemptions", "item_id", "reward_items", "RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_redemptions")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_redemptions_idempotency_key")),
    )
    op.create_index("ix_redemptions_state_expires_at", "redemptions", ["state", "expires_at"])
    op.create_index("ix_redemptions_resident_id", "redemptions", ["resident_id"])

    op.create_table(
        "gift_recipients",
        sa.Column("id", BIGINT_PK, nullable=False),
        sa.Column("community_id", BIGINT_PK, nullable=False),
        sa.Column("kind", _enum("recipient_kind", "care_fund", "family"), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("gift_recipients", "community_id", "communities", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gift_recipients")),
        sa.UniqueConstraint(
            "community_id", "kind", "name", name=op.f("uq_gift_recipients_community_id_kind_name")
        ),
    )
    op.create_table(
        "fund_entries",
        sa.Column("id", BIGINT_PK, nullable=False),
        sa.Column("recipient_id", BIGINT_PK, nullable=False),
        sa.Column("delta", sa.Integer(), nullable=False),
        sa.Column("donor_id", sa.BigInteger(), nullable=True),
        sa.Column("idempotency_key", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("fund_entries", "recipient_id", "gift_recipients", "RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fund_entries")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_fund_entries_idempotency_key")),
    )
    op.create_index("ix_fund_entries_recipient_id", "fund_entries", ["recipient_id"])
    make_append_only("fund_entries")

    op.create_table(
        "leaderboard_posts",
        sa.Column("id", BIGINT_PK, nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leaderboard_posts")),
        sa.UniqueConstraint("chat_id", "period", name=op.f("uq_leaderboard_posts_chat_id_period")),
    )


def downgrade() -> None:
    op.drop_table("leaderboard_posts")
    drop_append_only("fund_entries")
    op.drop_index("ix_fund_entries_recipient_id", table_name="fund_entries")
    op.drop_table("fund_entries")
    op.drop_table("gift_recipients")
    op.drop_index("ix_redemptions_resident_id", table_name="redemptions")
    op.drop_index("ix_redemptions_state_expires_at", table_name="redemptions")
    op.drop_table("redemptions")
    op.drop_index(op.f("ix_reward_items_community_id"), table_name="reward_items")
    op.drop_table("reward_items")
    op.drop_index("ix_activity_signups_activity_status", table_name="activity_signups")
    op.drop_table("activity_signups")
    op.drop_index("ix_activities_state_starts_at", table_name="activities")
    op.drop_table("activities")
    op.drop_table("points_privacy")
    op.drop_table("points_balances")
    drop_append_only("ledger_entries")
    op.drop_index("ix_ledger_entries_resident_at", table_name="ledger_entries")
    op.drop_table("ledger_entries")
