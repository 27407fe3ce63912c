"""privacy: residents.deleted_at; append-only tables allow exactly one erasure update

A resident who deletes their account keeps an anonymised row (`deleted_at` set). Two
append-only tables hold Telegram user ids that must go with the account:
`audit_log.actor_telegram_id` and the award keys in `ledger_entries.idempotency_key`
(`award:<chat id>:<message id>`). Their triggers still reject every DELETE and every UPDATE,
except one that changes nothing but that identifier: `actor_telegram_id` set to NULL, or
`idempotency_key` rewritten to `erased:...`. See docs/privacy.md.

Revision ID: 0008
Revises: 0006
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from linli.migrations.helpers import drop_append_only, make_append_only

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table -> (the erasable column, the condition its new value must meet, the other columns)
ERASABLE = {
    "audit_log": (
        "actor_telegram_id",
        "NEW.actor_telegram_id IS NULL",
        ("id", "at", "actor_id", "action", "target_type", "target_id", "details"),
    ),
    "ledger_entries": (
        "idempotency_key",
        "NEW.idempotency_key LIKE 'erased:%'",
        (
            "id",
            "resident_id",
            "delta",
            "kind",
            "reference",
            "reason",
            "actor_id",
            "created_at",
        ),
    ),
}


def _make_erasable(table: str) -> None:
    column, condition, others = ERASABLE[table]
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        unchanged = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in others)
        op.execute(f"DROP TRIGGER IF EXISTS trg_{table}_no_update")
        op.execute(
            f"CREATE TRIGGER trg_{table}_no_update BEFORE UPDATE ON {table} "
            f"WHEN NOT ({condition} AND {unchanged}) "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
        )
    elif bind.dialect.name == "postgresql":
        op.execute(
            f"CREATE OR REPLACE FUNCTION linli_{table}_erase_only() RETURNS trigger AS $$ "
            f"BEGIN IF TG_OP = 'UPDATE' AND {condition} "
            f"AND (to_jsonb(NEW) - '{column}') = (to_jsonb(OLD) - '{column}') "
            "THEN RETURN NEW; END IF; "
            "RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END; "
            "$$ LANGUAGE plpgsql"
        )
        op.execute(f"DROP TRIGGER IF EXISTS trg_{table}_append_only ON {table}")
        op.execute(
            f"CREATE TRIGGER trg_{table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION linli_{table}_erase_only()"
        )


def _restore_append_only(table: str) -> None:
    drop_append_only(table)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP FUNCTION IF EXISTS linli_{table}_erase_only()")
    make_append_only(table)


def upgrade() -> None:
    with op.batch_alter_table("residents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))
    for table in ERASABLE:
        _make_erasable(table)


def downgrade() -> None:
    for table in ERASABLE:
        _restore_append_only(table)
    with op.batch_alter_table("residents", schema=None) as batch_op:
        batch_op.drop_column("deleted_at")
