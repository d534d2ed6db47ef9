"""Repairs: tickets, their history, followers ("me too") and photos

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 20:48:47.695489
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import backend.core.types

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "repair_tickets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=False),
        sa.Column(
            "category",
            sa.Enum(
                "electrical",
                "plumbing",
                "furniture",
                "network",
                "air_conditioning",
                "appliance",
                "door_lock",
                "other",
                name="repaircategory",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "priority",
            sa.Enum(
                "emergency",
                "high",
                "normal",
                "low",
                name="repairpriority",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "submitted",
                "assigned",
                "in_progress",
                "on_hold",
                "completed",
                "closed",
                "cancelled",
                "reopened",
                name="repairstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("building_id", sa.Integer(), nullable=True),
        sa.Column("room_id", sa.Integer(), nullable=True),
        sa.Column("location_note", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("due_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignee_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["building_id"],
            ["buildings.id"],
        ),
        sa.ForeignKeyConstraint(
            ["reporter_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["room_id"],
            ["rooms.id"],
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("repair_tickets", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_repair_tickets_assignee_id"), ["assignee_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_repair_tickets_due_at"), ["due_at"], unique=False)
        batch_op.create_index(
            "ix_repair_tickets_place",
            ["building_id", "room_id", "category", "status"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_repair_tickets_reporter_id"), ["reporter_id"], unique=False
        )
        batch_op.create_index(
            "ix_repair_tickets_team_status", ["team_id", "status", "created_at"], unique=False
        )

    op.create_table(
        "repair_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column(
            "actor_role",
            sa.Enum(
                "student",
                "technician",
                "canteen_staff",
                "dorm_manager",
                "logistics_admin",
                name="role",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("via_bot", sa.Boolean(), nullable=False),
        sa.Column(
            "action",
            sa.Enum(
                "submit",
                "assign",
                "start",
                "hold",
                "resume",
                "complete",
                "cancel",
                "confirm",
                "reopen",
                name="repairaction",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "from_status",
            sa.Enum(
                "submitted",
                "assigned",
                "in_progress",
                "on_hold",
                "completed",
                "closed",
                "cancelled",
                "reopened",
                name="repairstatus",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column(
            "to_status",
            sa.Enum(
                "submitted",
                "assigned",
                "in_progress",
                "on_hold",
                "completed",
                "closed",
                "cancelled",
                "reopened",
                name="repairstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["assignee_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(["ticket_id"], ["repair_tickets.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("repair_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_repair_events_ticket_id"), ["ticket_id"], unique=False)

    op.create_table(
        "repair_followers",
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["repair_tickets.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("ticket_id", "user_id"),
    )
    with op.batch_alter_table("repair_followers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_repair_followers_user_id"), ["user_id"], unique=False)

    op.create_table(
        "repair_photos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("uploader_id", sa.Integer(), nullable=False),
        sa.Column("storage_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("content_type", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("created_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["repair_tickets.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["uploader_id"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("storage_key"),
    )
    with op.batch_alter_table("repair_photos", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_repair_photos_ticket_id"), ["ticket_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("repair_photos", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_repair_photos_ticket_id"))

    op.drop_table("repair_photos")
    with op.batch_alter_table("repair_followers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_repair_followers_user_id"))

    op.drop_table("repair_followers")
    with op.batch_alter_table("repair_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_repair_events_ticket_id"))

    op.drop_table("repair_events")
    with op.batch_alter_table("repair_tickets", schema=None) as batch_op:
        batch_op.drop_index("ix_repair_tickets_team_status")
        batch_op.drop_index(batch_op.f("ix_repair_tickets_reporter_id"))
        batch_op.drop_index("ix_repair_tickets_place")
        batch_op.drop_index(batch_op.f("ix_repair_tickets_due_at"))
        batch_op.drop_index(batch_op.f("ix_repair_tickets_assignee_id"))

    op.drop_table("repair_tickets")
