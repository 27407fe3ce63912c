"""casework: micro-wishes and complaints (with their append-only histories)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from linli.migrations.helpers import drop_append_only, make_append_only

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=24)


def upgrade() -> None:
    op.create_table(
        "wishes",
        sa.Column("id", PK, nullable=False),
        sa.Column("grid_id", PK, nullable=False),
        sa.Column("building_id", PK, nullable=False),
        sa.Column("author_id", PK, nullable=True),
        sa.Column("offline_author", sa.String(length=100), nullable=True),
        sa.Column("entered_by_id", PK, nullable=True),
        sa.Column(
            "category",
            _enum(
                "wish_category",
                "daily",
                "companionship",
                "repairs",
                "learning",
                "health",
                "other",
            ),
            nullable=False,
        ),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("voice_file_id", sa.String(length=255), nullable=True),
        sa.Column("photo_file_id", sa.String(length=255), nullable=True),
        sa.Column("show_name", sa.Boolean(), nullable=False),
        sa.Column(
            "status",
            _enum("wish_status", "open", "claimed", "fulfilled", "withdrawn"),
            nullable=False,
        ),
        sa.Column("claimer_id", PK, nullable=True),
        _ts("claimed_at", True),
        _ts("fulfilled_at", True),
        _ts("withdrawn_at", True),
        sa.Column("points", sa.Integer(), nullable=True),
        _ts("created_at"),
        _ts("updated_at"),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["residents.id"],
            name=op.f("fk_wishes_author_id_residents"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["building_id"],
            ["buildings.id"],
            name=op.f("fk_wishes_building_id_buildings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["claimer_id"],
            ["residents.id"],
            name=op.f("fk_wishes_claimer_id_residents"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["entered_by_id"],
            ["residents.id"],
            name=op.f("fk_wishes_entered_by_id_residents"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["grid_id"], ["grids.id"], name=op.f("fk_wishes_grid_id_grids"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wishes")),
    )
    op.create_index(op.f("ix_wishes_author_id"), "wishes", ["author_id"], unique=False)
    op.create_index("ix_wishes_building_status", "wishes", ["building_id", "status"], unique=False)
    op.create_index(op.f("ix_wishes_claimer_id"), "wishes", ["claimer_id"], unique=False)
    op.create_index("ix_wishes_grid_status", "wishes", ["grid_id", "status"], unique=False)

    op.create_table(
        "wish_posts",
        sa.Column("id", PK, nullable=False),
        sa.Column("wish_id", PK, nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        _ts("created_at"),
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
        "wish_events",
        sa.Column("id", PK, nullable=False),
        sa.Column("wish_id", PK, nullable=False),
        _ts("at"),
        sa.Column("actor_id", sa.BigInteger(), nullable=True),
        sa.Column("action", sa.String(length=24), nullable=False),
        sa.Column("from_status", sa.String(length=24), nullable=True),
        sa.Column("to_status", sa.String(length=24), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["wish_id"],
            ["wishes.id"],
            name=op.f("fk_wish_events_wish_id_wishes"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wish_events")),
    )
    op.create_index(op.f("ix_wish_events_at"), "wish_events", ["at"], unique=False)
    op.create_index("ix_wish_events_wish_at", "wish_events", ["wish_id", "at"], unique=False)
    make_append_only("wish_events")

    op.create_table(
        "complaint_handlers",
        sa.Column("id", PK, nullable=False),
        sa.Column("grid_id", PK, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", PK, nullable=True),
        _ts("created_at"),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["residents.id"],
            name=op.f("fk_complaint_handlers_created_by_id_residents"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["grid_id"],
            ["grids.id"],
            name=op.f("fk_complaint_handlers_grid_id_grids"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_handlers")),
        sa.UniqueConstraint("grid_id", "name", name=op.f("uq_complaint_handlers_grid_id_name")),
    )

    op.create_table(
        "complaints",
        sa.Column("id", PK, nullable=False),
        sa.Column("grid_id", PK, nullable=False),
        sa.Column("building_id", PK, nullable=False),
        sa.Column("author_id", PK, nullable=True),
        sa.Column("offline_author", sa.String(length=100), nullable=True),
        sa.Column("entered_by_id", PK, nullable=True),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column(
            "category",
            _enum(
                "complaint_category",
                "parking",
                "sanitation",
                "repairs",
                "dispute",
                "safety",
                "noise",
                "other",
            ),
            nullable=False,
        ),
        sa.Column("text", sa.String(length=1000), nullable=False),
        sa.Column("voice_file_id", sa.String(length=255), nullable=True),
        sa.Column("photo_file_ids", sa.JSON(), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("location_text", sa.String(length=200), nullable=True),
        sa.Column(
            "status",
            _enum(
                "complaint_status",
                "submitted",
                "accepted",
                "in_progress",
                "resolved",
                "closed",
                "rejected",
                "merged",
            ),
            nullable=False,
        ),
        sa.Column("assignee_id", PK, nullable=True),
        sa.Column("handler_id", PK, nullable=True),
        sa.Column("merged_into_id", PK, nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("rating_comment", sa.String(length=500), nullable=True),
        _ts("accepted_at", True),
        _ts("resolved_at", True),
        _ts("closed_at", True),
        _ts("stage_started_at"),
        _ts("reminded_at", True),
        sa.Column("escalation_level", sa.Integer(), nullable=False),
        _ts("created_at"),
        _ts("updated_at"),
        sa.CheckConstraint(
            "rating IS NULL OR (rating >= 1 AND rating <= 5)",
            name=op.f("ck_complaints_rating_range"),
        ),
        sa.ForeignKeyConstraint(
            ["assignee_id"],
            ["residents.id"],
            name=op.f("fk_complaints_assignee_id_residents"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["residents.id"],
            name=op.f("fk_complaints_author_id_residents"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["building_id"],
            ["buildings.id"],
            name=op.f("fk_complaints_building_id_buildings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["entered_by_id"],
            ["residents.id"],
            name=op.f("fk_complaints_entered_by_id_residents"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["grid_id"], ["grids.id"], name=op.f("fk_complaints_grid_id_grids"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["handler_id"],
            ["complaint_handlers.id"],
            name=op.f("fk_complaints_handler_id_complaint_handlers"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["merged_into_id"],
            ["complaints.id"],
            name=op.f("fk_complaints_merged_into_id_complaints"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaints")),
    )
    op.create_index(op.f("ix_complaints_assignee_id"), "complaints", ["assignee_id"], unique=False)
    op.create_index(op.f("ix_complaints_author_id"), "complaints", ["author_id"], unique=False)
    op.create_index(
        "ix_complaints_building_category_status",
        "complaints",
        ["building_id", "category", "status"],
        unique=False,
    )
    op.create_index("ix_complaints_grid_status", "complaints", ["grid_id", "status"], unique=False)
    op.create_index(
        "ix_complaints_status_stage", "complaints", ["status", "stage_started_at"], unique=False
    )

    op.create_table(
        "complaint_followers",
        sa.Column("id", PK, nullable=False),
        sa.Column("complaint_id", PK, nullable=False),
        sa.Column("resident_id", PK, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        _ts("created_at"),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_complaint_followers_complaint_id_complaints"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["residents.id"],
            name=op.f("fk_complaint_followers_resident_id_residents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_followers")),
        sa.UniqueConstraint(
            "complaint_id",
            "resident_id",
            name=op.f("uq_complaint_followers_complaint_id_resident_id"),
        ),
    )
    op.create_index(
        op.f("ix_complaint_followers_resident_id"),
        "complaint_followers",
        ["resident_id"],
        unique=False,
    )

    op.create_table(
        "complaint_events",
        sa.Column("id", PK, nullable=False),
        sa.Column("complaint_id", PK, nullable=False),
        _ts("at"),
        sa.Column("actor_id", sa.BigInteger(), nullable=True),
        sa.Column("action", sa.String(length=24), nullable=False),
        sa.Column("from_status", sa.String(length=24), nullable=True),
        sa.Column("to_status", sa.String(length=24), nullable=True),
        sa.Column("note", sa.String(length=1000), nullable=False),
        sa.Column("photo_file_id", sa.String(length=255), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_complaint_events_complaint_id_complaints"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_events")),
    )
    op.create_index(op.f("ix_complaint_events_at"), "complaint_events", ["at"], unique=False)
    op.create_index(
        "ix_complaint_events_complaint_at",
        "complaint_events",
        ["complaint_id", "at"],
        unique=False,
    )
    make_append_only("complaint_events")


def downgrade() -> None:
    drop_append_only("complaint_events")
    op.drop_index("ix_complaint_events_complaint_at", table_name="complaint_events")
    op.drop_index(op.f("ix_complaint_events_at"), table_name="complaint_events")
    op.drop_table("complaint_events")
    op.drop_index(op.f("ix_complaint_followers_resident_id"), table_name="complaint_followers")
    op.drop_table("complaint_followers")
    for name in (
        "ix_complaints_status_stage",
        "ix_complaints_grid_status",
        "ix_complaints_building_category_status",
    ):
        op.drop_index(name, table_name="complaints")
    op.drop_index(op.f("ix_complaints_author_id"), table_name="complaints")
    op.drop_index(op.f("ix_complaints_assignee_id"), table_name="complaints")
    op.drop_table("complaints")
    op.drop_table("complaint_handlers")
    drop_append_only("wish_events")
    op.drop_index("ix_wish_events_wish_at", table_name="wish_events")
    op.drop_index(op.f("ix_wish_events_at"), table_name="wish_events")
    op.drop_table("wish_events")
    op.drop_table("wish_posts")
    op.drop_index("ix_wishes_grid_status", table_name="wishes")
    op.drop_index(op.f("ix_wishes_claimer_id"), table_name="wishes")
    op.drop_index("ix_wishes_building_status", table_name="wishes")
    op.drop_index(op.f("ix_wishes_author_id"), table_name="wishes")
    op.drop_table("wishes")
