"""Reward periods, their finalized versions and statements (immutable), and appeals."""

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlmodel import Field, SQLModel

from backend.core.types import UTCDateTime, enum_type, utcnow


class StatementOutcome(StrEnum):
    rewarded = "rewarded"
    capped = "capped"  # rewarded, at the per-team cap
    at_baseline = "at_baseline"  # exactly at the baseline: qualifies, but a zero margin
    below_baseline = "below_baseline"
    too_few_responses = "too_few_responses"


class AppealStatus(StrEnum):
    open = "open"
    upheld = "upheld"
    rejected = "rejected"


class RewardPeriod(SQLModel, table=True):
    """A pool and its rules for one score period. Editable; what was finalized is not."""

    __tablename__ = "reward_periods"

    id: int = Field(default=None, primary_key=True)
    period: str = Field(max_length=7, unique=True, index=True)
    name_en: str = Field(max_length=100)
    name_zh: str = Field(max_length=100)
    pool_fen: int = Field(ge=0)
    # RewardRules as JSON, decimals as strings (exact on every database).
    rules: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    created_by: int = Field(foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class RewardVersion(SQLModel, table=True):
    """A finalized calculation: its full inputs, their SHA-256, who and when. Never changes;
    a correction is a new version that supersedes this one."""

    __tablename__ = "reward_versions"
    __table_args__ = (sa.UniqueConstraint("reward_period_id", "version"),)

    id: int = Field(default=None, primary_key=True)
    reward_period_id: int = Field(foreign_key="reward_periods.id", index=True)
    version: int = Field(ge=1)
    inputs: dict[str, Any] = Field(sa_type=sa.JSON)
    inputs_sha256: str = Field(max_length=64)
    distributed_fen: int
    returned_fen: int
    finalized_by: int = Field(foreign_key="users.id")
    finalized_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    supersedes_id: int | None = Field(default=None, foreign_key="reward_versions.id")
    correction_reason: str | None = Field(default=None, max_length=1000)


class RewardStatement(SQLModel, table=True):
    """One team's share in one version, with everything needed to explain it."""

    __tablename__ = "reward_statements"
    __table_args__ = (sa.UniqueConstraint("version_id", "team_id"),)

    id: int = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="reward_versions.id", index=True)
    team_id: int = Field(foreign_key="teams.id", index=True)
    amount_fen: int = Field(ge=0)
    outcome: StatementOutcome = Field(sa_type=enum_type(StatementOutcome))
    # {inputs, factors, formula_en, formula_zh, summary_en, summary_zh}
    explanation: dict[str, Any] = Field(sa_type=sa.JSON)
    # SHA-256 of the statement's own inputs (canonical JSON).
    inputs_sha256: str = Field(max_length=64)


class RewardAppeal(SQLModel, table=True):
    __tablename__ = "reward_appeals"

    id: int = Field(default=None, primary_key=True)
    statement_id: int = Field(foreign_key="reward_statements.id", index=True)
    team_id: int = Field(foreign_key="teams.id", index=True)
    lodged_by: int = Field(foreign_key="users.id")
    reason: str = Field(max_length=2000)
    status: AppealStatus = Field(default=AppealStatus.open, sa_type=enum_type(AppealStatus))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    resolved_by: int | None = Field(default=None, foreign_key="users.id")
    resolved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    resolution_note: str | None = Field(default=None, max_length=2000)
    correction_version_id: int | None = Field(default=None, foreign_key="reward_versions.id")


class ImmutableRecordError(RuntimeError):
    """A finalized version or statement was about to be changed or deleted."""


def _refuse(_mapper: Any, _connection: Any, target: Any) -> None:
    raise ImmutableRecordError(
        f"{type(target).__name__} {target.id} is finalized and can never change; "
        "make a correction (a new version) instead"
    )


for _model in (RewardVersion, RewardStatement):
    event.listen(_model, "before_update", _refuse)
    event.listen(_model, "before_delete", _refuse)
