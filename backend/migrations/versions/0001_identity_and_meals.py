"""identity and meals

Revision ID: 0001
Revises:
Create Date: 2026-11-23 20:01:12.976953
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import backend.core.types

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "canteens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("name_en", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("name_zh", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("location_en", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("location_zh", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("canteens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_canteens_slug"), ["slug"], unique=True)

    op.create_table(
        "dishes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name_en", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("name_zh", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("price_fen", sa.Integer(), nullable=False),
        sa.Column("kcal", sa.Integer(), nullable=False),
        sa.Column("protein_g", sa.Float(), nullable=False),
        sa.Column("fat_g", sa.Float(), nullable=False),
        sa.Column("carbs_g", sa.Float(), nullable=False),
        sa.Column("sodium_mg", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("password_hash", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column(
            "role",
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
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column(
            "locale",
            sa.Enum("en", "zh", name="locale", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_users_username"), ["username"], unique=True)

    op.create_table(
        "menus",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("canteen_id", sa.Integer(), nullable=False),
        sa.Column("served_on", sa.Date(), nullable=False),
        sa.Column(
            "meal",
            sa.Enum("breakfast", "lunch", "dinner", name="meal", native_enum=False, length=32),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["canteen_id"],
            ["canteens.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("canteen_id", "served_on", "meal"),
    )
    with op.batch_alter_table("menus", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_menus_canteen_id"), ["canteen_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_menus_served_on"), ["served_on"], unique=False)

    op.create_table(
        "menu_items",
        sa.Column("menu_id", sa.Integer(), nullable=False),
        sa.Column("dish_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dish_id"],
            ["dishes.id"],
        ),
        sa.ForeignKeyConstraint(["menu_id"], ["menus.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("menu_id", "dish_id"),
    )
    with op.batch_alter_table("menu_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_menu_items_dish_id"), ["dish_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("menu_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_menu_items_dish_id"))

    op.drop_table("menu_items")
    with op.batch_alter_table("menus", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_menus_served_on"))
        batch_op.drop_index(batch_op.f("ix_menus_canteen_id"))

    op.drop_table("menus")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_username"))

    op.drop_table("users")
    op.drop_table("dishes")
    with op.batch_alter_table("canteens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_canteens_slug"))

    op.drop_table("canteens")
