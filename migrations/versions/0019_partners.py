"""共驻共建: partner units, members, invitations, mobile grid members, needs, resources,
projects, wish adoptions, hazard reports, monthly reports; building coordinates

Revision ID: 0019
Revises: 0013
Create Date: 2026-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from linli.migrations.helpers import drop_append_only, make_append_only

revision: str = "0019"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = sa.DateTime(timezone=True)

UNIT_KINDS = ("government", "school", "hospital", "company", "property", "social", "other")
MOBILE_KINDS = ("rider", "courier", "property", "sanitation", "other")


def _enum(name: str, values: Sequence[str]) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=24)


def _id() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("id", PK, nullable=False)


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete=ondelete,
    )


def _pk(table: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}"))


def upgrade() -> None:
    with op.batch_alter_table("buildings") as batch:
        batch.add_column(sa.Column("lat", sa.Float(), nullable=True))
        batch.add_column(sa.Column("lon", sa.Float(), nullable=True))

    op.create_table(
        "partner_units",
        _id(),
        sa.Column("community_id", PK, nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("kind", _enum("unit_kind", UNIT_KINDS), nullable=False),
        sa.Column("address", sa.String(200), nullable=False),
        sa.Column("contact_name", sa.String(100), nullable=False),
        sa.Column("contact_id", PK, nullable=True),
        sa.Column("state", _enum("unit_state", ("invited", "active", "left")), nullable=False),
        sa.Column("created_by_id", PK, nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("joined_at", WHEN, nullable=True),
        sa.Column("left_at", WHEN, nullable=True),
        _fk("partner_units", "community_id", "communities", "CASCADE"),
        _fk("partner_units", "contact_id", "residents", "SET NULL"),
        _fk("partner_units", "created_by_id", "residents", "SET NULL"),
        _pk("partner_units"),
        sa.UniqueConstraint(
            "community_id", "name", name=op.f("uq_partner_units_community_id_name")
        ),
    )
    op.create_index(op.f("ix_partner_units_contact_id"), "partner_units", ["contact_id"])

    op.create_table(
        "partner_invites",
        _id(),
        sa.Column("kind", _enum("invite_kind", ("contact", "member", "mobile")), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("community_id", PK, nullable=False),
        sa.Column("unit_id", PK, nullable=True),
        sa.Column("grid_id", PK, nullable=True),
        sa.Column("mobile_kind", _enum("mobile_kind", MOBILE_KINDS), nullable=True),
        sa.Column("created_by_id", PK, nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("expires_at", WHEN, nullable=False),
        sa.Column("used_at", WHEN, nullable=True),
        sa.Column("used_by_id", PK, nullable=True),
        sa.Column("revoked_at", WHEN, nullable=True),
        sa.CheckConstraint(
            "kind = 'mobile' OR unit_id IS NOT NULL",
            name=op.f("ck_partner_invites_unit_invite_has_unit"),
        ),
        _fk("partner_invites", "community_id", "communities", "CASCADE"),
        _fk("partner_invites", "unit_id", "partner_units", "CASCADE"),
        _fk("partner_invites", "grid_id", "grids", "CASCADE"),
        _fk("partner_invites", "created_by_id", "residents", "SET NULL"),
        _fk("partner_invites", "used_by_id", "residents", "SET NULL"),
        _pk("partner_invites"),
        sa.UniqueConstraint("token_hash", name=op.f("uq_partner_invites_token_hash")),
    )
    op.create_index("ix_partner_invites_expires_at", "partner_invites", ["expires_at"])
    op.create_index(op.f("ix_partner_invites_unit_id"), "partner_invites", ["unit_id"])

    op.create_table(
        "partner_members",
        _id(),
        sa.Column("unit_id", PK, nullable=False),
        sa.Column("resident_id", PK, nullable=False),
        sa.Column(
            "state",
            _enum("member_state", ("pending", "active", "left", "rejected")),
            nullable=False,
        ),
        sa.Column("party_member", sa.Boolean(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("approved_at", WHEN, nullable=True),
        sa.Column("approved_by_id", sa.BigInteger(), nullable=True),
        sa.Column("left_at", WHEN, nullable=True),
        _fk("partner_members", "unit_id", "partner_units", "CASCADE"),
        _fk("partner_members", "resident_id", "residents", "CASCADE"),
        _pk("partner_members"),
    )
    live_member = sa.text("state IN ('pending', 'active')")
    op.create_index(
        "uq_partner_members_live_resident",
        "partner_members",
        ["resident_id"],
        unique=True,
        sqlite_where=live_member,
        postgresql_where=live_member,
    )
    op.create_index("ix_partner_members_unit_state", "partner_members", ["unit_id", "state"])

    op.create_table(
        "mobile_members",
        _id(),
        sa.Column("resident_id", PK, nullable=False),
        sa.Column("community_id", PK, nullable=False),
        sa.Column("grid_id", PK, nullable=True),
        sa.Column("kind", _enum("mobile_kind", MOBILE_KINDS), nullable=False),
        sa.Column("state", _enum("mobile_state", ("active", "removed")), nullable=False),
        sa.Column("registered_by_id", PK, nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("removed_at", WHEN, nullable=True),
        _fk("mobile_members", "resident_id", "residents", "CASCADE"),
        _fk("mobile_members", "community_id", "communities", "CASCADE"),
        _fk("mobile_members", "grid_id", "grids", "CASCADE"),
        _fk("mobile_members", "registered_by_id", "residents", "SET NULL"),
        _pk("mobile_members"),
    )
    live_mobile = sa.text("state = 'active'")
    op.create_index(
        "uq_mobile_members_live_resident",
        "mobile_members",
        ["resident_id"],
        unique=True,
        sqlite_where=live_mobile,
        postgresql_where=live_mobile,
    )

    op.create_table(
        "needs",
        _id(),
        sa.Column("community_id", PK, nullable=False),
        sa.Column("scope", _enum("need_scope", ("building", "grid", "community")), nullable=False),
        sa.Column("grid_id", PK, nullable=True),
        sa.Column("building_id", PK, nullable=True),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column(
            "category",
            _enum(
                "need_category",
                (
                    "elderly",
                    "children",
                    "health",
                    "repairs",
                    "environment",
                    "culture",
                    "safety",
                    "legal",
                    "other",
                ),
            ),
            nullable=False,
        ),
        sa.Column("beneficiaries", sa.String(100), nullable=False),
        sa.Column("urgency", _enum("need_urgency", ("low", "normal", "high")), nullable=False),
        sa.Column(
            "source_kind", _enum("need_source", ("wish", "complaint", "topic")), nullable=True
        ),
        sa.Column("source_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "state",
            _enum("need_state", ("open", "matched", "in_progress", "met", "declined")),
            nullable=False,
        ),
        sa.Column("reason", sa.String(300), nullable=False),
        sa.Column("support_count", sa.Integer(), nullable=False),
        sa.Column("created_by_id", PK, nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.CheckConstraint(
            "(scope != 'building' OR building_id IS NOT NULL)"
            " AND (scope != 'grid' OR grid_id IS NOT NULL)",
            name=op.f("ck_needs_scope_has_unit"),
        ),
        _fk("needs", "community_id", "communities", "CASCADE"),
        _fk("needs", "grid_id", "grids", "CASCADE"),
        _fk("needs", "building_id", "buildings", "CASCADE"),
        _fk("needs", "created_by_id", "residents", "SET NULL"),
        _pk("needs"),
        sa.UniqueConstraint(
            "source_kind", "source_id", name=op.f("uq_needs_source_kind_source_id")
        ),
    )
    op.create_index("ix_needs_community_state", "needs", ["community_id", "state"])

    op.create_table(
        "need_supports",
        _id(),
        sa.Column("need_id", PK, nullable=False),
        sa.Column("resident_id", PK, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        _fk("need_supports", "need_id", "needs", "CASCADE"),
        _fk("need_supports", "resident_id", "residents", "CASCADE"),
        _pk("need_supports"),
        sa.UniqueConstraint(
            "need_id", "resident_id", name=op.f("uq_need_supports_need_id_resident_id")
        ),
    )
    op.create_index(op.f("ix_need_supports_resident_id"), "need_supports", ["resident_id"])

    op.create_table(
        "partner_resources",
        _id(),
        sa.Column("unit_id", PK, nullable=False),
        sa.Column(
            "kind",
            _enum("resource_kind", ("venue", "service", "goods", "money", "volunteers")),
            nullable=False,
        ),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("details", sa.String(500), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=True),
        sa.Column("available", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", PK, nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        _fk("partner_resources", "unit_id", "partner_units", "CASCADE"),
        _fk("partner_resources", "created_by_id", "residents", "SET NULL"),
        _pk("partner_resources"),
    )
    op.create_index(
        "ix_partner_resources_unit_available", "partner_resources", ["unit_id", "available"]
    )

    op.create_table(
        "partner_projects",
        _id(),
        sa.Column("community_id", PK, nullable=False),
        sa.Column("grid_id", PK, nullable=True),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("goal", sa.String(500), nullable=False),
        sa.Column("lead_unit_id", PK, nullable=True),
        sa.Column(
            "state",
            _enum("project_state", ("planned", "active", "done", "cancelled")),
            nullable=False,
        ),
        sa.Column("result", sa.String(1000), nullable=False),
        sa.Column("starts_at", WHEN, nullable=False),
        sa.Column("ends_at", WHEN, nullable=False),
        sa.Column("created_by_id", PK, nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("done_at", WHEN, nullable=True),
        _fk("partner_projects", "community_id", "communities", "CASCADE"),
        _fk("partner_projects", "grid_id", "grids", "CASCADE"),
        _fk("partner_projects", "lead_unit_id", "partner_units", "SET NULL"),
        _fk("partner_projects", "created_by_id", "residents", "SET NULL"),
        _pk("partner_projects"),
    )
    op.create_index(
        "ix_partner_projects_community_state", "partner_projects", ["community_id", "state"]
    )
    op.create_index(op.f("ix_partner_projects_lead_unit_id"), "partner_projects", ["lead_unit_id"])

    op.create_table(
        "project_needs",
        _id(),
        sa.Column("project_id", PK, nullable=False),
        sa.Column("need_id", PK, nullable=False),
        _fk("project_needs", "project_id", "partner_projects", "CASCADE"),
        _fk("project_needs", "need_id", "needs", "CASCADE"),
        _pk("project_needs"),
        sa.UniqueConstraint(
            "project_id", "need_id", name=op.f("uq_project_needs_project_id_need_id")
        ),
    )
    op.create_index(op.f("ix_project_needs_need_id"), "project_needs", ["need_id"])

    op.create_table(
        "project_resources",
        _id(),
        sa.Column("project_id", PK, nullable=False),
        sa.Column("resource_id", PK, nullable=False),
        _fk("project_resources", "project_id", "partner_projects", "CASCADE"),
        _fk("project_resources", "resource_id", "partner_resources", "CASCADE"),
        _pk("project_resources"),
        sa.UniqueConstraint(
            "project_id", "resource_id", name=op.f("uq_project_resources_project_id_resource_id")
        ),
    )
    op.create_index(op.f("ix_project_resources_resource_id"), "project_resources", ["resource_id"])

    op.create_table(
        "project_tasks",
        _id(),
        sa.Column("project_id", PK, nullable=False),
        sa.Column("activity_id", PK, nullable=False),
        _fk("project_tasks", "project_id", "partner_projects", "CASCADE"),
        _fk("project_tasks", "activity_id", "activities", "CASCADE"),
        _pk("project_tasks"),
        sa.UniqueConstraint("activity_id", name=op.f("uq_project_tasks_activity_id")),
    )
    op.create_index(op.f("ix_project_tasks_project_id"), "project_tasks", ["project_id"])

    op.create_table(
        "project_ratings",
        _id(),
        sa.Column("project_id", PK, nullable=False),
        sa.Column("resident_id", PK, nullable=False),
        sa.Column("stars", sa.Integer(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.CheckConstraint(
            "stars >= 1 AND stars <= 5", name=op.f("ck_project_ratings_stars_range")
        ),
        _fk("project_ratings", "project_id", "partner_projects", "CASCADE"),
        _fk("project_ratings", "resident_id", "residents", "CASCADE"),
        _pk("project_ratings"),
        sa.UniqueConstraint(
            "project_id", "resident_id", name=op.f("uq_project_ratings_project_id_resident_id")
        ),
    )
    op.create_index(op.f("ix_project_ratings_resident_id"), "project_ratings", ["resident_id"])

    op.create_table(
        "partner_events",
        _id(),
        sa.Column("at", WHEN, nullable=False),
        sa.Column("actor_id", sa.BigInteger(), nullable=True),
        sa.Column("subject", sa.String(16), nullable=False),
        sa.Column("subject_id", sa.BigInteger(), nullable=False),
        sa.Column("action", sa.String(24), nullable=False),
        sa.Column("from_status", sa.String(24), nullable=True),
        sa.Column("to_status", sa.String(24), nullable=True),
        sa.Column("note", sa.String(1000), nullable=False),
        _pk("partner_events"),
    )
    op.create_index("ix_partner_events_subject", "partner_events", ["subject", "subject_id"])
    make_append_only("partner_events")

    op.create_table(
        "wish_adoptions",
        _id(),
        sa.Column("wish_id", PK, nullable=False),
        sa.Column("unit_id", PK, nullable=False),
        sa.Column("member_id", PK, nullable=False),
        sa.Column("adopted_at", WHEN, nullable=False),
        sa.Column("released_at", WHEN, nullable=True),
        _fk("wish_adoptions", "wish_id", "wishes", "CASCADE"),
        _fk("wish_adoptions", "unit_id", "partner_units", "CASCADE"),
        _fk("wish_adoptions", "member_id", "residents", "CASCADE"),
        _pk("wish_adoptions"),
    )
    live_adoption = sa.text("released_at IS NULL")
    op.create_index(
        "uq_wish_adoptions_live_wish",
        "wish_adoptions",
        ["wish_id"],
        unique=True,
        sqlite_where=live_adoption,
        postgresql_where=live_adoption,
    )
    op.create_index(op.f("ix_wish_adoptions_unit_id"), "wish_adoptions", ["unit_id"])
    op.create_index(op.f("ix_wish_adoptions_member_id"), "wish_adoptions", ["member_id"])

    op.create_table(
        "hazard_reports",
        _id(),
        sa.Column("complaint_id", PK, nullable=False),
        sa.Column("reporter_id", PK, nullable=False),
        sa.Column(
            "state",
            _enum("hazard_state", ("pending", "credited", "capped", "unconfirmed")),
            nullable=False,
        ),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("settled_at", WHEN, nullable=True),
        _fk("hazard_reports", "complaint_id", "complaints", "CASCADE"),
        _fk("hazard_reports", "reporter_id", "residents", "CASCADE"),
        _pk("hazard_reports"),
        sa.UniqueConstraint("complaint_id", name=op.f("uq_hazard_reports_complaint_id")),
    )
    op.create_index("ix_hazard_reports_state", "hazard_reports", ["state"])
    op.create_index(op.f("ix_hazard_reports_reporter_id"), "hazard_reports", ["reporter_id"])

    op.create_table(
        "partner_reports",
        _id(),
        sa.Column("unit_id", PK, nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("sent_at", WHEN, nullable=True),
        _fk("partner_reports", "unit_id", "partner_units", "CASCADE"),
        _pk("partner_reports"),
        sa.UniqueConstraint("unit_id", "period", name=op.f("uq_partner_reports_unit_id_period")),
    )


def downgrade() -> None:
    op.drop_table("partner_reports")
    op.drop_table("hazard_reports")
    op.drop_table("wish_adoptions")
    drop_append_only("partner_events")
    op.drop_table("partner_events")
    op.drop_table("project_ratings")
    op.drop_table("project_tasks")
    op.drop_table("project_resources")
    op.drop_table("project_needs")
    op.drop_table("partner_projects")
    op.drop_table("partner_resources")
    op.drop_table("need_supports")
    op.drop_table("needs")
    op.drop_table("mobile_members")
    op.drop_table("partner_members")
    op.drop_table("partner_invites")
    op.drop_table("partner_units")
    with op.batch_alter_table("buildings") as batch:
        batch.drop_column("lon")
        batch.drop_column("lat")
