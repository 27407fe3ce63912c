"""deliberation: topics, supports, comments, history, ratings, votes, options, ballots, posts

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from linli.migrations.helpers import drop_append_only, make_append_only

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIGINT_PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "topics",
        sa.Column("id", BIGINT_PK, nullable=False),
        sa.Column("community_id", BIGINT_PK, nullable=False),
        sa.Column(
            "scope",
            sa.Enum(
                "building",
                "grid",
                "community",
                name="topic_scope",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("grid_id", BIGINT_PK, nullable=True),
        sa.Column("building_id", BIGINT_PK, nullable=True),
        sa.Column("author_id", BIGINT_PK, nullable=True),
        sa.Column("title", sa.String(length=80), nullable=False),
        sa.Column("description", sa.String(length=1000), nullable=False),
        sa.Column("description_voice", sa.String(length=255), nullable=True),
        sa.Column(
            "state",
            sa.Enum(
                "proposed",
                "shortlisted",
                "declined",
                "discussing",
                "voting",
                "decided",
                "implementing",
                "done",
                name="topic_state",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("support_count", sa.Integer(), nullable=False),
        sa.Column("importance", sa.Integer(), nullable=True),
        sa.Column("urgency", sa.Integer(), nullable=True),
        sa.Column("feasibility", sa.Integer(), nullable=True),
        sa.Column("decline_reason", sa.String(length=500), nullable=True),
        sa.Column("discussion_ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("meeting_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("meeting_place", sa.String(length=200), nullable=True),
        sa.Column("meeting_reminded_day_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("meeting_reminded_hour_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision", sa.String(length=1000), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(scope != 'building' OR building_id IS NOT NULL)"
            " AND (scope != 'grid' OR grid_id IS NOT NULL)",
            name=op.f("ck_topics_scope_has_unit"),
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["residents.id"],
            name=op.f("fk_topics_author_id_residents"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["building_id"],
            ["buildings.id"],
            name=op.f("fk_topics_building_id_buildings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_topics_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["grid_id"], ["grids.id"], name=op.f("fk_topics_grid_id_grids"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_topics")),
    )
    op.create_index(op.f("ix_topics_author_id"), "topics", ["author_id"], unique=False)
    op.create_index(op.f("ix_topics_building_id"), "topics", ["building_id"], unique=False)
    op.create_index("ix_topics_community_state", "topics", ["community_id", "state"], unique=False)
    op.create_index(op.f("ix_topics_grid_id"), "topics", ["grid_id"], unique=False)
    op.create_table(
        "topic_comments",
        sa.Column("id", BIGINT_PK, nullable=False),
        sa.Column("topic_id", BIGINT_PK, nullable=False),
        sa.Column("resident_id", BIGINT_PK, nullable=False),
        sa.Column(
            "label",
            sa.Enum(
                "resident",
                "property",
                "committee",
                name="comment_label",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("text", sa.String(length=1000), nullable=False),
        sa.Column("voice_file_id", sa.String(length=255), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["residents.id"],
            name=op.f("fk_topic_comments_resident_id_residents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["topics.id"],
            name=op.f("fk_topic_comments_topic_id_topics"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_topic_comments")),
        sa.UniqueConstraint(
            "topic_id",
            "resident_id",
            "label",
            name=op.f("uq_topic_comments_topic_id_resident_id_label"),
        ),
    )
    op.create_index(
        op.f("ix_topic_comments_resident_id"), "topic_comments", ["resident_id"], unique=False
    )
    op.create_table(
        "topic_events",
        sa.Column("id", BIGINT_PK, nullable=False),
        sa.Column("topic_id", BIGINT_PK, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "state",
            sa.Enum(
                "proposed",
                "shortlisted",
                "declined",
                "discussing",
                "voting",
                "decided",
                "implementing",
                "done",
                name="topic_event_state",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("note", sa.String(length=1000), nullable=False),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["topics.id"],
            name=op.f("fk_topic_events_topic_id_topics"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_topic_events")),
    )
    make_append_only("topic_events")
    op.create_index("ix_topic_events_topic_at", "topic_events", ["topic_id", "at"], unique=False)
    op.create_table(
        "topic_ratings",
        sa.Column("id", BIGINT_PK, nullable=False),
        sa.Column("topic_id", BIGINT_PK, nullable=False),
        sa.Column("resident_id", BIGINT_PK, nullable=False),
        sa.Column("stars", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("stars BETWEEN 1 AND 5", name=op.f("ck_topic_ratings_stars_range")),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["residents.id"],
            name=op.f("fk_topic_ratings_resident_id_residents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["topics.id"],
            name=op.f("fk_topic_ratings_topic_id_topics"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_topic_ratings")),
        sa.UniqueConstraint(
            "topic_id", "resident_id", name=op.f("uq_topic_ratings_topic_id_resident_id")
        ),
    )
    op.create_index(
        op.f("ix_topic_ratings_resident_id"), "topic_ratings", ["resident_id"], unique=False
    )
    op.create_table(
        "topic_supports",
        sa.Column("id", BIGINT_PK, nullable=False),
        sa.Column("topic_id", BIGINT_PK, nullable=False),
        sa.Column("resident_id", BIGINT_PK, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["residents.id"],
            name=op.f("fk_topic_supports_resident_id_residents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["topics.id"],
            name=op.f("fk_topic_supports_topic_id_topics"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_topic_supports")),
        sa.UniqueConstraint(
            "topic_id", "resident_id", name=op.f("uq_topic_supports_topic_id_resident_id")
        ),
    )
    op.create_index(
        op.f("ix_topic_supports_resident_id"), "topic_supports", ["resident_id"], unique=False
    )
    op.create_table(
        "votes",
        sa.Column("id", BIGINT_PK, nullable=False),
        sa.Column("topic_id", BIGINT_PK, nullable=False),
        sa.Column("question", sa.String(length=300), nullable=False),
        sa.Column("multiple", sa.Boolean(), nullable=False),
        sa.Column("max_choices", sa.Integer(), nullable=False),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=False),
        sa.Column("quorum_percent", sa.Integer(), nullable=False),
        sa.Column("allow_change", sa.Boolean(), nullable=False),
        sa.Column("show_live", sa.Boolean(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "open",
                "closed",
                name="vote_state",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("created_by_id", BIGINT_PK, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_early_by_id", sa.BigInteger(), nullable=True),
        sa.Column("eligible_count", sa.Integer(), nullable=True),
        sa.Column("turnout", sa.Integer(), nullable=True),
        sa.Column("quorum_met", sa.Boolean(), nullable=True),
        sa.Column("result_posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminded_day_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminded_hour_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("max_choices >= 1", name=op.f("ck_votes_max_choices_positive")),
        sa.CheckConstraint("quorum_percent BETWEEN 0 AND 100", name=op.f("ck_votes_quorum_range")),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["residents.id"],
            name=op.f("fk_votes_created_by_id_residents"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"], ["topics.id"], name=op.f("fk_votes_topic_id_topics"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_votes")),
    )
    op.create_index("ix_votes_state_deadline", "votes", ["state", "deadline"], unique=False)
    op.create_index(op.f("ix_votes_topic_id"), "votes", ["topic_id"], unique=False)
    op.create_table(
        "deliberation_posts",
        sa.Column("id", BIGINT_PK, nullable=False),
        sa.Column("topic_id", BIGINT_PK, nullable=False),
        sa.Column("vote_id", BIGINT_PK, nullable=True),
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
    op.create_table(
        "vote_ballots",
        sa.Column("id", BIGINT_PK, nullable=False),
        sa.Column("vote_id", BIGINT_PK, nullable=False),
        sa.Column("resident_id", BIGINT_PK, nullable=False),
        sa.Column("sealed", sa.String(length=128), nullable=True),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["residents.id"],
            name=op.f("fk_vote_ballots_resident_id_residents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["vote_id"],
            ["votes.id"],
            name=op.f("fk_vote_ballots_vote_id_votes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vote_ballots")),
        sa.UniqueConstraint(
            "vote_id", "resident_id", name=op.f("uq_vote_ballots_vote_id_resident_id")
        ),
    )
    op.create_index(
        op.f("ix_vote_ballots_resident_id"), "vote_ballots", ["resident_id"], unique=False
    )
    op.create_table(
        "vote_options",
        sa.Column("id", BIGINT_PK, nullable=False),
        sa.Column("vote_id", BIGINT_PK, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("votes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["vote_id"],
            ["votes.id"],
            name=op.f("fk_vote_options_vote_id_votes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vote_options")),
        sa.UniqueConstraint("vote_id", "position", name=op.f("uq_vote_options_vote_id_position")),
    )


def downgrade() -> None:
    op.drop_table("vote_options")
    op.drop_index(op.f("ix_vote_ballots_resident_id"), table_name="vote_ballots")
    op.drop_table("vote_ballots")
    op.drop_index(op.f("ix_deliberation_posts_vote_id"), table_name="deliberation_posts")
    op.drop_index("ix_deliberation_posts_topic_kind", table_name="deliberation_posts")
    op.drop_table("deliberation_posts")
    op.drop_index(op.f("ix_votes_topic_id"), table_name="votes")
    op.drop_index("ix_votes_state_deadline", table_name="votes")
    op.drop_table("votes")
    op.drop_index(op.f("ix_topic_supports_resident_id"), table_name="topic_supports")
    op.drop_table("topic_supports")
    op.drop_index(op.f("ix_topic_ratings_resident_id"), table_name="topic_ratings")
    op.drop_table("topic_ratings")
    op.drop_index("ix_topic_events_topic_at", table_name="topic_events")
    drop_append_only("topic_events")
    op.drop_table("topic_events")
    op.drop_index(op.f("ix_topic_comments_resident_id"), table_name="topic_comments")
    op.drop_table("topic_comments")
    op.drop_index(op.f("ix_topics_grid_id"), table_name="topics")
    op.drop_index("ix_topics_community_state", table_name="topics")
    op.drop_index(op.f("ix_topics_building_id"), table_name="topics")
    op.drop_index(op.f("ix_topics_author_id"), table_name="topics")
    op.drop_table("topics")
