"""Survey tables: templates, campaigns, invitations (from real service events), responses,
and the repair completions the maintenance on-time rate is measured on."""

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from backend.core.types import UTCDateTime, enum_type, utcnow


class SurveySource(StrEnum):
    repair = "repair"  # a completed repair ticket invites its requester
    dorm = "dorm"  # residents rate their building's team once per period
    canteen = "canteen"  # students rate one canteen they choose once per period


class FlagReason(StrEnum):
    too_fast = "too_fast"  # answered within a few seconds of the question being shown
    straight_lining = "straight_lining"  # the same answer to every question
    burst_device = "burst_device"  # one of many answers from one device in a short time
    burst_address = "burst_address"  # one of many answers from one address in a short time
    own_team = "own_team"  # the respondent belongs to the rated team


DIMENSIONS = ("tangibles", "reliability", "responsiveness", "assurance", "empathy")


class SurveyTemplate(SQLModel, table=True):
    """The questions asked, in both languages. Frozen once an invitation uses it."""

    __tablename__ = "survey_templates"

    id: int = Field(default=None, primary_key=True)
    slug: str = Field(max_length=48, unique=True, index=True)
    name_en: str = Field(max_length=100)
    name_zh: str = Field(max_length=100)
    # [{key, text_en, text_zh}], keys from the fixed set; "overall" always first and required.
    questions: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    # Exactly one template is current: the one new invitations use.
    is_current: bool = Field(default=False, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SurveyCampaign(SQLModel, table=True):
    """A dorm or canteen survey for one period (repairs need no campaign)."""

    __tablename__ = "survey_campaigns"
    __table_args__ = (sa.UniqueConstraint("source", "period"),)

    id: int = Field(default=None, primary_key=True)
    source: SurveySource = Field(sa_type=enum_type(SurveySource))
    period: str = Field(max_length=7, index=True)
    template_id: int = Field(foreign_key="survey_templates.id", index=True)
    name_en: str = Field(max_length=100)
    name_zh: str = Field(max_length=100)
    opens_at: datetime = Field(sa_type=UTCDateTime)
    closes_at: datetime = Field(sa_type=UTCDateTime)
    created_by: int = Field(foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SurveyInvitation(SQLModel, table=True):
    """One student may rate one team once, because of one service event."""

    __tablename__ = "survey_invitations"
    __table_args__ = (sa.UniqueConstraint("campaign_id", "student_id"),)

    id: int = Field(default=None, primary_key=True)
    template_id: int = Field(foreign_key="survey_templates.id", index=True)
    campaign_id: int | None = Field(default=None, foreign_key="survey_campaigns.id", index=True)
    source: SurveySource = Field(sa_type=enum_type(SurveySource))
    # The ticket (repair), building (dorm) or canteen (canteen) the service came from.
    source_id: int
    # Repairs: one invitation per ticket, whatever happens to the ticket later.
    repair_id: int | None = Field(default=None, unique=True)
    student_id: int = Field(foreign_key="users.id", index=True)
    team_id: int = Field(foreign_key="teams.id", index=True)
    period: str = Field(max_length=7, index=True)
    subject_en: str = Field(max_length=200)
    subject_zh: str = Field(max_length=200)
    opens_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime, index=True)
    # First time the survey was shown to the student (GET /surveys/invitations/{id}).
    opened_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class RepairCompletion(SQLModel, table=True):
    """A completed repair as repairs reported it: the on-time rate's evidence."""

    __tablename__ = "survey_repair_completions"
    __table_args__ = (sa.Index("ix_survey_repair_completions_period_team", "period", "team_id"),)

    id: int = Field(default=None, primary_key=True)
    repair_id: int = Field(unique=True)
    team_id: int = Field(foreign_key="teams.id", index=True)
    period: str = Field(max_length=7)
    completed_at: datetime = Field(sa_type=UTCDateTime)
    # The SLA due time; None: no SLA applied, so the ticket is left out of the rate.
    due_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class SurveyResponse(SQLModel, table=True):
    """One answer. ``counted`` is False while a flag stands: flagged answers never score."""

    __tablename__ = "survey_responses"
    __table_args__ = (
        sa.Index("ix_survey_responses_period_counted_team", "period", "counted", "team_id"),
        sa.Index("ix_survey_responses_ip_hash_submitted", "ip_hash", "submitted_at"),
        sa.Index("ix_survey_responses_device_hash_submitted", "device_hash", "submitted_at"),
        sa.CheckConstraint("overall BETWEEN 1 AND 5", name="overall_range"),
        sa.CheckConstraint("recommend IS NULL OR recommend BETWEEN 0 AND 10", name="nps_range"),
    )

    id: int = Field(default=None, primary_key=True)
    invitation_id: int = Field(foreign_key="survey_invitations.id", unique=True)
    team_id: int = Field(foreign_key="teams.id", index=True)
    period: str = Field(max_length=7)
    source: SurveySource = Field(sa_type=enum_type(SurveySource))
    overall: int
    tangibles: int | None = None
    reliability: int | None = None
    responsiveness: int | None = None
    assurance: int | None = None
    empathy: int | None = None
    recommend: int | None = None
    comment: str | None = Field(default=None, max_length=1000)
    opened_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    submitted_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    seconds_to_answer: int | None = None
    via_bot: bool = False
    # Keyed hashes (HMAC-SHA256), never the raw address or device id.
    ip_hash: str | None = Field(default=None, max_length=64)
    device_hash: str | None = Field(default=None, max_length=64)
    flags: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    counted: bool = True
    cleared_by: int | None = Field(default=None, foreign_key="users.id")
    cleared_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    clear_note: str | None = Field(default=None, max_length=500)
