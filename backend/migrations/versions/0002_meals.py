"""Meals: opening hours, dish labels and owners, nutrition meal plans

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 20:46:16.220537
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import backend.core.types

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "meal_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("name_en", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("name_zh", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("description_en", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("description_zh", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("kcal", sa.Integer(), nullable=False),
        sa.Column("protein_g", sa.Float(), nullable=False),
        sa.Column("fat_g", sa.Float(), nullable=False),
        sa.Column("carbs_g", sa.Float(), nullable=False),
        sa.Column("sodium_mg", sa.Integer(), nullable=False),
        sa.Column(
            "focus",
            sa.Enum(
                "kcal",
                "protein_g",
                "fat_g",
                "carbs_g",
                "sodium_mg",
                name="nutrient",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("meal_plans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meal_plans_slug"), ["slug"], unique=True)

    op.create_table(
        "canteen_hours",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("canteen_id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column(
            "meal",
            sa.Enum("breakfast", "lunch", "dinner", name="meal", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("opens", sa.Time(), nullable=False),
        sa.Column("closes", sa.Time(), nullable=False),
        sa.CheckConstraint("opens < closes", name="opens_before_closes"),
        sa.CheckConstraint("weekday >= 0 AND weekday <= 6", name="weekday_monday_0_to_sunday_6"),
        sa.ForeignKeyConstraint(["canteen_id"], ["canteens.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("canteen_id", "weekday", "meal"),
    )
    with op.batch_alter_table("canteen_hours", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_canteen_hours_canteen_id"), ["canteen_id"], unique=False
        )

    op.create_table(
        "canteen_meal_plans",
        sa.Column("canteen_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["canteen_id"], ["canteens.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["plan_id"], ["meal_plans.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("canteen_id", "plan_id"),
    )
    with op.batch_alter_table("canteen_meal_plans", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_canteen_meal_plans_plan_id"), ["plan_id"], unique=False
        )

    op.create_table(
        "meal_plan_subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("subscribed_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["meal_plans.id"],
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("meal_plan_subscriptions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meal_plan_subscriptions_plan_id"), ["plan_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_meal_plan_subscriptions_user_id"), ["user_id"], unique=True
        )

    # Existing dishes get no labels; in place on every database (SQLite batch mode would copy
    # and drop `dishes`, which menu_items' foreign key forbids once menus exist).
    op.add_column(
        "dishes", sa.Column("allergens", sa.JSON(), server_default=sa.text("'[]'"), nullable=False)
    )
    for flag in ("vegetarian", "vegan", "halal", "spicy", "contains_pork"):
        op.add_column(
            "dishes", sa.Column(flag, sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    if op.get_context().dialect.name == "sqlite":
        op.execute("ALTER TABLE dishes ADD COLUMN canteen_id INTEGER REFERENCES canteens (id)")
    else:
        op.add_column("dishes", sa.Column("canteen_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            "fk_dishes_canteen_id_canteens", "dishes", "canteens", ["canteen_id"], ["id"]
        )
    op.create_index(op.f("ix_dishes_canteen_id"), "dishes", ["canteen_id"], unique=False)


def downgrade() -> None:
    if op.get_context().dialect.name == "sqlite":
        _drop_dish_columns_on_sqlite()
    else:
        op.drop_constraint("fk_dishes_canteen_id_canteens", "dishes", type_="foreignkey")
        op.drop_index(op.f("ix_dishes_canteen_id"), table_name="dishes")
        for column in DISH_COLUMNS:
            op.drop_column("dishes", column)

    with op.batch_alter_table("meal_plan_subscriptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meal_plan_subscriptions_user_id"))
        batch_op.drop_index(batch_op.f("ix_meal_plan_subscriptions_plan_id"))

    op.drop_table("meal_plan_subscriptions")
    with op.batch_alter_table("canteen_meal_plans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_canteen_meal_plans_plan_id"))

    op.drop_table("canteen_meal_plans")
    with op.batch_alter_table("canteen_hours", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_canteen_hours_canteen_id"))

    op.drop_table("canteen_hours")
    with op.batch_alter_table("meal_plans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meal_plans_slug"))

    op.drop_table("meal_plans")


DISH_COLUMNS = ("canteen_id", "contains_pork", "spicy", "halal", "vegan", "vegetarian", "allergens")


def _drop_dish_columns_on_sqlite() -> None:
    """SQLite drops a referenced column only by copying `dishes` and dropping the original,
    which it refuses while menu_items rows point at it: menu_items steps aside meanwhile."""
    op.execute("CREATE TEMPORARY TABLE menu_items_copy AS SELECT * FROM menu_items")
    op.drop_index("ix_menu_items_dish_id", table_name="menu_items")
    op.drop_table("menu_items")
    with op.batch_alter_table("dishes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dishes_canteen_id"))
        for column in DISH_COLUMNS:
            batch_op.drop_column(column)
    op.create_table(
        "menu_items",
        sa.Column("menu_id", sa.Integer(), nullable=False),
        sa.Column("dish_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["dish_id"], ["dishes.id"]),
        sa.ForeignKeyConstraint(["menu_id"], ["menus.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("menu_id", "dish_id"),
    )
    op.create_index("ix_menu_items_dish_id", "menu_items", ["dish_id"], unique=False)
    op.execute(
        "INSERT INTO menu_items (menu_id, dish_id, position) "
        "SELECT menu_id, dish_id, position FROM menu_items_copy"
    )
    op.execute("DROP TABLE menu_items_copy")
