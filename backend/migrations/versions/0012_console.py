"""Staff console: canteen closures; the SLA clock stops on hold; unanswered chat messages; guidance drafts

Revision ID: 0012_console
Revises: 0013_channels
Create Date: 2026-12-03 10:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import backend.core.types

revision: str = "0012_console"
down_revision: str | None = "0013_channels"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "canteen_closures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("canteen_id", sa.Integer(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=False),
        sa.Column(
            "meal",
            sa.Enum("breakfast", "lunch", "dinner", name="meal", native_enum=False, length=32),
            nullable=True,
        ),
        sa.Column("note_en", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("note_zh", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.ForeignKeyConstraint(["canteen_id"], ["canteens.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("canteen_closures", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_canteen_closures_canteen_id"), ["canteen_id"], unique=False
        )
    with op.batch_alter_table("repair_tickets", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("held_at", backend.core.types.UTCDateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("chat_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("unanswered", sa.Boolean(), nullable=True))
    with op.batch_alter_table("guidance_articles", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("published", sa.Boolean(), server_default=sa.true(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("guidance_articles", schema=None) as batch_op:
        batch_op.drop_column("published")
    with op.batch_alter_table("chat_messages", schema=None) as batch_op:
        batch_op.drop_column("unanswered")
    with op.batch_alter_table("repair_tickets", schema=None) as batch_op:
        batch_op.drop_column("held_at")
    with op.batch_alter_table("canteen_closures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_canteen_closures_canteen_id"))
    op.drop_table("canteen_closures")
