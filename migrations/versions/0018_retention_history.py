"""retention: complaint_events allow exactly the retention purge

The retention job (services/privacy.purge_expired) promises to remove, from complaints
finished long ago, every photo (also the result photos chiefs attach to the history) and,
for anonymous complaints, every free text — also the copies kept in the append-only history:
the rating comment (`commented` event), reopen reasons, notes. `complaint_events` stays
append-only: every DELETE and every UPDATE is refused, except one that changes nothing but
`note` to the retention marker and/or `photo_file_id` to NULL. See docs/privacy.md.

Revision ID: 0018
Revises: 0013
Create Date: 2026-12-08
"""

from collections.abc import Sequence

from alembic import op

from linli.migrations.helpers import drop_append_only, make_append_only

revision: str = "0018"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "complaint_events"
# services.privacy.RETENTION_MARKER at the time of this migration.
MARKER = "〔已按保留期限删除 · removed after the retention period〕"
# `note` is NOT NULL; `same` compares nullable values (SQLite: IS, PostgreSQL: IS NOT
# DISTINCT FROM), so a NULL never makes the condition unknown.
ALLOWED = (
    f"(NEW.note = OLD.note OR NEW.note = '{MARKER}') "
    "AND (NEW.photo_file_id IS NULL OR NEW.photo_file_id {same} OLD.photo_file_id)"
)
OTHERS = (
    "id",
    "complaint_id",
    "at",
    "actor_id",
    "action",
    "from_status",
    "to_status",
    "rating",
)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        unchanged = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in OTHERS)
        op.execute(f"DROP TRIGGER IF EXISTS trg_{TABLE}_no_update")
        op.execute(
            f"CREATE TRIGGER trg_{TABLE}_no_update BEFORE UPDATE ON {TABLE} "
            f"WHEN NOT ({ALLOWED.format(same='IS')} AND {unchanged}) "
            f"BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only'); END"
        )
    elif bind.dialect.name == "postgresql":
        op.execute(
            f"CREATE OR REPLACE FUNCTION linli_{TABLE}_purge_only() RETURNS trigger AS $$ "
            f"BEGIN IF TG_OP = 'UPDATE' AND {ALLOWED.format(same='IS NOT DISTINCT FROM')} "
            "AND (to_jsonb(NEW) - 'note' - 'photo_file_id') "
            "= (to_jsonb(OLD) - 'note' - 'photo_file_id') "
            "THEN RETURN NEW; END IF; "
            "RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END; "
            "$$ LANGUAGE plpgsql"
        )
        op.execute(f"DROP TRIGGER IF EXISTS trg_{TABLE}_append_only ON {TABLE}")
        op.execute(
            f"CREATE TRIGGER trg_{TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
            f"FOR EACH ROW EXECUTE FUNCTION linli_{TABLE}_purge_only()"
        )


def downgrade() -> None:
    drop_append_only(TABLE)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP FUNCTION IF EXISTS linli_{TABLE}_purge_only()")
    make_append_only(TABLE)
