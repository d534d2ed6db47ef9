"""Surveys and rewards: templates, campaigns, invitations, responses, reward versions

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 20:55:30.344042
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import backend.core.types

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "survey_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sqlmodel.sql.sqltypes.AutoString(length=48), nullable=False),
        sa.Column("name_en", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("name_zh", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("created_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("survey_templates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_survey_templates_is_current"), ["is_current"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_survey_templates_slug"), ["slug"], unique=True)

    op.create_table(
        "survey_repair_completions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("repair_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
        sa.Column("completed_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("due_at", backend.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("repair_id"),
    )
    with op.batch_alter_table("survey_repair_completions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_survey_repair_completions_period_team", ["period", "team_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_survey_repair_completions_team_id"), ["team_id"], unique=False
        )

    op.create_table(
        "reward_periods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
        sa.Column("name_en", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("name_zh", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("pool_fen", sa.Integer(), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("reward_periods", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reward_periods_period"), ["period"], unique=True)

    op.create_table(
        "survey_campaigns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "source",
            sa.Enum("repair", "dorm", "canteen", name="surveysource", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("name_en", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("name_zh", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("opens_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closes_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["survey_templates.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source", "period"),
    )
    with op.batch_alter_table("survey_campaigns", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_campaigns_period"), ["period"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_survey_campaigns_template_id"), ["template_id"], unique=False
        )

    op.create_table(
        "reward_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reward_period_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("inputs", sa.JSON(), nullable=False),
        sa.Column("inputs_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("distributed_fen", sa.Integer(), nullable=False),
        sa.Column("returned_fen", sa.Integer(), nullable=False),
        sa.Column("finalized_by", sa.Integer(), nullable=False),
        sa.Column("finalized_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("supersedes_id", sa.Integer(), nullable=True),
        sa.Column(
            "correction_reason", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True
        ),
        sa.ForeignKeyConstraint(
            ["finalized_by"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["reward_period_id"],
            ["reward_periods.id"],
        ),
        sa.ForeignKeyConstraint(
            ["supersedes_id"],
            ["reward_versions.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reward_period_id", "version"),
    )
    with op.batch_alter_table("reward_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reward_versions_reward_period_id"), ["reward_period_id"], unique=False
        )

    op.create_table(
        "survey_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        sa.Column(
            "source",
            sa.Enum("repair", "dorm", "canteen", name="surveysource", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("repair_id", sa.Integer(), nullable=True),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
        sa.Column("subject_en", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("subject_zh", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("opens_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("opened_at", backend.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("answered_at", backend.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["survey_campaigns.id"],
        ),
        sa.ForeignKeyConstraint(
            ["student_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
        ),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["survey_templates.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("campaign_id", "student_id"),
        sa.UniqueConstraint("repair_id"),
    )
    with op.batch_alter_table("survey_invitations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_survey_invitations_campaign_id"), ["campaign_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_survey_invitations_expires_at"), ["expires_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_survey_invitations_period"), ["period"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_survey_invitations_student_id"), ["student_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_survey_invitations_team_id"), ["team_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_survey_invitations_template_id"), ["template_id"], unique=False
        )

    op.create_table(
        "reward_statements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum(
                "rewarded",
                "capped",
                "at_baseline",
                "below_baseline",
                "too_few_responses",
                name="statementoutcome",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("explanation", sa.JSON(), nullable=False),
        sa.Column("inputs_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["reward_versions.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("version_id", "team_id"),
    )
    with op.batch_alter_table("reward_statements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reward_statements_team_id"), ["team_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_reward_statements_version_id"), ["version_id"], unique=False
        )

    op.create_table(
        "survey_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invitation_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
        sa.Column(
            "source",
            sa.Enum("repair", "dorm", "canteen", name="surveysource", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("overall", sa.Integer(), nullable=False),
        sa.Column("tangibles", sa.Integer(), nullable=True),
        sa.Column("reliability", sa.Integer(), nullable=True),
        sa.Column("responsiveness", sa.Integer(), nullable=True),
        sa.Column("assurance", sa.Integer(), nullable=True),
        sa.Column("empathy", sa.Integer(), nullable=True),
        sa.Column("recommend", sa.Integer(), nullable=True),
        sa.Column("comment", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.Column("opened_at", backend.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("submitted_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("seconds_to_answer", sa.Integer(), nullable=True),
        sa.Column("via_bot", sa.Boolean(), nullable=False),
        sa.Column("ip_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("device_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("counted", sa.Boolean(), nullable=False),
        sa.Column("cleared_by", sa.Integer(), nullable=True),
        sa.Column("cleared_at", backend.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("clear_note", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.CheckConstraint("overall BETWEEN 1 AND 5", name="overall_range"),
        sa.CheckConstraint("recommend IS NULL OR recommend BETWEEN 0 AND 10", name="nps_range"),
        sa.ForeignKeyConstraint(
            ["cleared_by"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["invitation_id"],
            ["survey_invitations.id"],
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("invitation_id"),
    )
    with op.batch_alter_table("survey_responses", schema=None) as batch_op:
        batch_op.create_index(
            "ix_survey_responses_device_hash_submitted",
            ["device_hash", "submitted_at"],
            unique=False,
        )
        batch_op.create_index(
            "ix_survey_responses_ip_hash_submitted", ["ip_hash", "submitted_at"], unique=False
        )
        batch_op.create_index(
            "ix_survey_responses_period_counted_team",
            ["period", "counted", "team_id"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_survey_responses_team_id"), ["team_id"], unique=False)

    op.create_table(
        "reward_appeals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("lodged_by", sa.Integer(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open", "upheld", "rejected", name="appealstatus", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column("created_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("resolved_by", sa.Integer(), nullable=True),
        sa.Column("resolved_at", backend.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("resolution_note", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("correction_version_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["correction_version_id"],
            ["reward_versions.id"],
        ),
        sa.ForeignKeyConstraint(
            ["lodged_by"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["reward_statements.id"],
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("reward_appeals", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reward_appeals_statement_id"), ["statement_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_reward_appeals_team_id"), ["team_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("reward_appeals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reward_appeals_team_id"))
        batch_op.drop_index(batch_op.f("ix_reward_appeals_statement_id"))

    op.drop_table("reward_appeals")
    with op.batch_alter_table("survey_responses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_responses_team_id"))
        batch_op.drop_index("ix_survey_responses_period_counted_team")
        batch_op.drop_index("ix_survey_responses_ip_hash_submitted")
        batch_op.drop_index("ix_survey_responses_device_hash_submitted")

    op.drop_table("survey_responses")
    with op.batch_alter_table("reward_statements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reward_statements_version_id"))
        batch_op.drop_index(batch_op.f("ix_reward_statements_team_id"))

    op.drop_table("reward_statements")
    with op.batch_alter_table("survey_invitations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_invitations_template_id"))
        batch_op.drop_index(batch_op.f("ix_survey_invitations_team_id"))
        batch_op.drop_index(batch_op.f("ix_survey_invitations_student_id"))
        batch_op.drop_index(batch_op.f("ix_survey_invitations_period"))
        batch_op.drop_index(batch_op.f("ix_survey_invitations_expires_at"))
        batch_op.drop_index(batch_op.f("ix_survey_invitations_campaign_id"))

    op.drop_table("survey_invitations")
    with op.batch_alter_table("reward_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reward_versions_reward_period_id"))

    op.drop_table("reward_versions")
    with op.batch_alter_table("survey_campaigns", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_campaigns_template_id"))
        batch_op.drop_index(batch_op.f("ix_survey_campaigns_period"))

    op.drop_table("survey_campaigns")
    with op.batch_alter_table("reward_periods", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reward_periods_period"))

    op.drop_table("reward_periods")
    with op.batch_alter_table("survey_repair_completions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_repair_completions_team_id"))
        batch_op.drop_index("ix_survey_repair_completions_period_team")

    op.drop_table("survey_repair_completions")
    with op.batch_alter_table("survey_templates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_templates_slug"))
        batch_op.drop_index(batch_op.f("ix_survey_templates_is_current"))

    op.drop_table("survey_templates")
