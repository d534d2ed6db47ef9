"""Channels: account links, link codes, inbound dedupe

Revision ID: 0013_channels
Revises: 0007
Create Date: 2026-12-03 09:48:52.318357
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import backend.core.types

revision: str = "0013_channels"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "channel_inbound",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "platform",
            sa.Enum("wecom", "telegram", name="platform", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("message_key", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("received_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("platform", "message_key"),
    )
    with op.batch_alter_table("channel_inbound", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_channel_inbound_received_at"), ["received_at"], unique=False
        )

    op.create_table(
        "channel_link_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("expires_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", backend.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code_hash"),
    )
    with op.batch_alter_table("channel_link_codes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_channel_link_codes_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "channel_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "platform",
            sa.Enum("wecom", "telegram", name="platform", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("external_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("linked_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("platform", "external_id"),
        sa.UniqueConstraint("user_id", "platform"),
    )
    with op.batch_alter_table("channel_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_channel_links_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("channel_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_channel_links_user_id"))

    op.drop_table("channel_links")
    with op.batch_alter_table("channel_link_codes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_channel_link_codes_user_id"))

    op.drop_table("channel_link_codes")
    with op.batch_alter_table("channel_inbound", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_channel_inbound_received_at"))

    op.drop_table("channel_inbound")
