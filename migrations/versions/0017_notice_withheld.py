"""notice_runs.status "withheld": a run not sent because its author may no longer post there

Revision ID: 0017
Revises: 0013
Create Date: 2026-12-08
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NAME = "ck_notice_runs_notice_run_status"
_BEFORE = ("claimed", "sending", "missed", "empty")
_AFTER = (*_BEFORE, "withheld")


def _check(values: tuple[str, ...]) -> str:
    return "status IN (" + ", ".join(f"'{value}'" for value in values) + ")"


def upgrade() -> None:
    with op.batch_alter_table("notice_runs") as batch:
        batch.drop_constraint(op.f(_NAME), type_="check")
        batch.create_check_constraint(op.f(_NAME), _check(_AFTER))


def downgrade() -> None:
    op.execute("DELETE FROM notice_runs WHERE status = 'withheld'")
    with op.batch_alter_table("notice_runs") as batch:
        batch.drop_constraint(op.f(_NAME), type_="check")
        batch.create_check_constraint(op.f(_NAME), _check(_BEFORE))
