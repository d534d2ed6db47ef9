"""Dorms: building rules, academic terms, move windows, checklists, guidance and its index

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 20:58:59.660065
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import backend.core.types

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "academic_terms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("name_en", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("name_zh", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("academic_terms", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_academic_terms_code"), ["code"], unique=True)

    op.create_table(
        "checklist_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("move_in", "move_out", name="movekind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("building_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text_en", sa.Text(), nullable=False),
        sa.Column("text_zh", sa.Text(), nullable=False),
        sa.Column(
            "due_anchor",
            sa.Enum("opens", "closes", name="dueanchor", native_enum=False, length=32),
            nullable=True,
        ),
        sa.Column("due_offset_days", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["building_id"],
            ["buildings.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("checklist_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_checklist_items_building_id"), ["building_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_checklist_items_kind"), ["kind"], unique=False)

    op.create_table(
        "move_windows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("term_id", sa.Integer(), nullable=False),
        sa.Column("building_id", sa.Integer(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum("move_in", "move_out", name="movekind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("opens_on", sa.Date(), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=False),
        sa.Column("note_en", sa.Text(), nullable=False),
        sa.Column("note_zh", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["building_id"],
            ["buildings.id"],
        ),
        sa.ForeignKeyConstraint(
            ["term_id"],
            ["academic_terms.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("term_id", "building_id", "kind"),
    )
    with op.batch_alter_table("move_windows", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_move_windows_building_id"), ["building_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_move_windows_term_id"), ["term_id"], unique=False)

    op.create_table(
        "guidance_articles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("topic", sqlmodel.sql.sqltypes.AutoString(length=48), nullable=False),
        sa.Column("building_id", sa.Integer(), nullable=True),
        sa.Column("title_en", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("title_zh", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("summary_en", sa.Text(), nullable=False),
        sa.Column("summary_zh", sa.Text(), nullable=False),
        sa.Column("body_en", sa.Text(), nullable=False),
        sa.Column("body_zh", sa.Text(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("indexed_length", sa.Float(), nullable=False),
        sa.Column("updated_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["building_id"],
            ["buildings.id"],
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("guidance_articles", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_guidance_articles_building_id"), ["building_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_guidance_articles_slug"), ["slug"], unique=True)
        batch_op.create_index(batch_op.f("ix_guidance_articles_topic"), ["topic"], unique=False)

    op.create_table(
        "guidance_terms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("term", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["guidance_articles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("term", "article_id"),
    )
    with op.batch_alter_table("guidance_terms", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_guidance_terms_article_id"), ["article_id"], unique=False
        )

    with op.batch_alter_table("buildings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "quiet_starts", sa.Time(), server_default=sa.text("'23:00:00'"), nullable=False
            )
        )
        batch_op.add_column(
            sa.Column("quiet_ends", sa.Time(), server_default=sa.text("'07:00:00'"), nullable=False)
        )
        batch_op.add_column(
            sa.Column(
                "door_locks_at", sa.Time(), server_default=sa.text("'23:30:00'"), nullable=False
            )
        )
        batch_op.add_column(
            sa.Column(
                "door_opens_at", sa.Time(), server_default=sa.text("'06:00:00'"), nullable=False
            )
        )
        batch_op.add_column(
            sa.Column("visitor_rules_en", sa.Text(), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("visitor_rules_zh", sa.Text(), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("laundry_en", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("laundry_zh", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("top_up_en", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("top_up_zh", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(
            sa.Column(
                "manager_name",
                sqlmodel.sql.sqltypes.AutoString(length=100),
                server_default="",
                nullable=False,
            )
        )
        batch_op.add_column(
            sa.Column(
                "manager_phone",
                sqlmodel.sql.sqltypes.AutoString(length=32),
                server_default="",
                nullable=False,
            )
        )
        batch_op.add_column(
            sa.Column(
                "manager_email",
                sqlmodel.sql.sqltypes.AutoString(length=100),
                server_default="",
                nullable=False,
            )
        )
        batch_op.add_column(
            sa.Column(
                "manager_office_en",
                sqlmodel.sql.sqltypes.AutoString(length=200),
                server_default="",
                nullable=False,
            )
        )
        batch_op.add_column(
            sa.Column(
                "manager_office_zh",
                sqlmodel.sql.sqltypes.AutoString(length=200),
                server_default="",
                nullable=False,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("buildings", schema=None) as batch_op:
        batch_op.drop_column("manager_office_zh")
        batch_op.drop_column("manager_office_en")
        batch_op.drop_column("manager_email")
        batch_op.drop_column("manager_phone")
        batch_op.drop_column("manager_name")
        batch_op.drop_column("top_up_zh")
        batch_op.drop_column("top_up_en")
        batch_op.drop_column("laundry_zh")
        batch_op.drop_column("laundry_en")
        batch_op.drop_column("visitor_rules_zh")
        batch_op.drop_column("visitor_rules_en")
        batch_op.drop_column("door_opens_at")
        batch_op.drop_column("door_locks_at")
        batch_op.drop_column("quiet_ends")
        batch_op.drop_column("quiet_starts")

    with op.batch_alter_table("guidance_terms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_guidance_terms_article_id"))

    op.drop_table("guidance_terms")
    with op.batch_alter_table("guidance_articles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_guidance_articles_topic"))
        batch_op.drop_index(batch_op.f("ix_guidance_articles_slug"))
        batch_op.drop_index(batch_op.f("ix_guidance_articles_building_id"))

    op.drop_table("guidance_articles")
    with op.batch_alter_table("move_windows", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_move_windows_term_id"))
        batch_op.drop_index(batch_op.f("ix_move_windows_building_id"))

    op.drop_table("move_windows")
    with op.batch_alter_table("checklist_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_checklist_items_kind"))
        batch_op.drop_index(batch_op.f("ix_checklist_items_building_id"))

    op.drop_table("checklist_items")
    with op.batch_alter_table("academic_terms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_academic_terms_code"))

    op.drop_table("academic_terms")
