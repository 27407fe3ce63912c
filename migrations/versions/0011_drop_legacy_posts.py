"""drop wish_posts and deliberation_posts: group posts are found through the outbox

Every group post now goes through `outbox_messages` / `outbox_deliveries` (source, source
id, Telegram message id); the two tables that recorded posts before are no longer written.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.drop_index(op.f("ix_deliberation_posts_vote_id"), table_name="deliberation_posts")
    op.drop_index("ix_deliberation_posts_topic_kind", table_name="deliberation_posts")
    op.drop_table("deliberation_posts")
    op.drop_table("wish_posts")


def downgrade() -> None:
    op.create_table(
        "wish_posts",
        sa.Column("id", PK, nullable=False),
        sa.Column("wish_id", PK, nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["wish_id"],
            ["wishes.id"],
            name=op.f("fk_wish_posts_wish_id_wishes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wish_posts")),
        sa.UniqueConstraint("wish_id", "chat_id", name=op.f("uq_wish_posts_wish_id_chat_id")),
    )
    op.create_table(
        "deliberation_posts",
        sa.Column("id", PK, nullable=False),
        sa.Column("topic_id", PK, nullable=False),
        sa.Column("vote_id", PK, nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "topic",
                "vote",
                name="post_kind",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["topics.id"],
            name=op.f("fk_deliberation_posts_topic_id_topics"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["vote_id"],
            ["votes.id"],
            name=op.f("fk_deliberation_posts_vote_id_votes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliberation_posts")),
        sa.UniqueConstraint(
            "chat_id", "message_id", name=op.f("uq_deliberation_posts_chat_id_message_id")
        ),
    )
    op.create_index(
        "ix_deliberation_posts_topic_kind", "deliberation_posts", ["topic_id", "kind"], unique=False
    )
    op.create_index(
        op.f("ix_deliberation_posts_vote_id"), "deliberation_posts", ["vote_id"], unique=False
    )
