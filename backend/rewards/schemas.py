from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from backend.core.types import Id
from backend.identity.schemas import TeamRef
from backend.rewards.models import AppealStatus, StatementOutcome
from backend.surveys.periods import Period

Weight = Annotated[Decimal, Field(gt=0, le=100)]


def _exact(value: Decimal, places: int, name: str) -> Decimal:
    quantum = Decimal(1).scaleb(-places)
    fixed = value.quantize(quantum)
    if fixed != value:
        raise ValueError(f"{name} takes at most {places} decimal places")
    return fixed


class RewardRules(BaseModel):
    """How a pool becomes rewards. Decimals are exact (send strings or short numbers)."""

    baseline: Decimal = Field(
        ge=1, le=5, description="Adjusted score a team must reach (谁达标、谁奖励)."
    )
    min_responses: int = Field(default=10, ge=1, le=1_000_000)
    prior_weight: Decimal = Field(
        default=Decimal("10.00"), ge=0, le=10_000, description="C: campus-mean answers added."
    )
    default_weight: Weight = Decimal("1.0000")
    weights: dict[str, Weight] = Field(default_factory=dict, description="Team slug → weight.")
    cap_fen: int | None = Field(default=None, ge=1, description="Most one team can get.")
    sla_multiplier: bool = Field(
        default=False, description="Maintenance crews: × (floor + (1 − floor) × on-time rate)."
    )
    sla_floor: Decimal = Field(default=Decimal("0.5000"), ge=0, le=1)

    @field_validator("baseline", "default_weight", "sla_floor")
    @classmethod
    def _four_places(cls, value: Decimal) -> Decimal:
        return _exact(value, 4, "this value")

    @field_validator("prior_weight")
    @classmethod
    def _two_places(cls, value: Decimal) -> Decimal:
        return _exact(value, 2, "prior_weight")

    @field_validator("weights")
    @classmethod
    def _weights(cls, weights: dict[str, Decimal]) -> dict[str, Decimal]:
        return {slug: _exact(w, 4, f"weight of {slug}") for slug, w in sorted(weights.items())}

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "baseline": "3.8",
                    "min_responses": 20,
                    "prior_weight": "10",
                    "default_weight": "1",
                    "weights": {"maint-electrical": "1.2", "canteen-north": "1.5"},
                    "cap_fen": 300000,
                    "sla_multiplier": True,
                    "sla_floor": "0.5",
                }
            ]
        },
    )


class RewardPeriodCreate(BaseModel):
    period: Period
    name_en: Annotated[str, Field(min_length=1, max_length=100)]
    name_zh: Annotated[str, Field(min_length=1, max_length=100)]
    pool_fen: int = Field(ge=0, le=10**12)
    rules: RewardRules

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "period": "2026-10",
                    "name_en": "October 2026 service rewards",
                    "name_zh": "2026年10月服务奖励",
                    "pool_fen": 2_000_000,
                    "rules": {"baseline": "3.8", "min_responses": 20, "cap_fen": 300000},
                }
            ]
        },
    )


class RewardPeriodUpdate(BaseModel):
    """Changes apply to previews and to the next correction, never to a finalized version."""

    name_en: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    name_zh: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    pool_fen: int | None = Field(default=None, ge=0, le=10**12)
    rules: RewardRules | None = None

    @model_validator(mode="after")
    def _no_nulls(self) -> "RewardPeriodUpdate":
        if nulls := sorted(n for n in self.model_fields_set if getattr(self, n) is None):
            raise ValueError(f"{', '.join(nulls)}: omit a field to leave it unchanged, not null")
        return self

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"pool_fen": 2500000}]}
    )


class RewardPeriodPublic(BaseModel):
    id: int
    period: str
    name_en: str
    name_zh: str
    pool_fen: int
    rules: RewardRules
    latest_version: int | None = Field(description="None until finalized.")
    finalized_at: datetime | None


class RewardPeriodsPublic(BaseModel):
    data: list[RewardPeriodPublic]
    count: int


class StatementPublic(BaseModel):
    id: int | None = Field(description="None in a preview (nothing stored yet).")
    period: str
    version: int | None
    superseded: bool
    team: TeamRef
    amount_fen: int
    outcome: StatementOutcome
    explanation: dict[str, Any]
    inputs_sha256: str


class CalculationPublic(BaseModel):
    """A preview (``version`` None) or a finalized version."""

    reward_period_id: int
    period: str
    version: int | None
    finalized_at: datetime | None
    finalized_by: int | None
    supersedes_version: int | None = None
    correction_reason: str | None = None
    inputs_sha256: str
    pool_fen: int
    distributed_fen: int
    returned_fen: int
    statements: list[StatementPublic]


class StatementsPublic(BaseModel):
    data: list[StatementPublic]
    count: int


class CorrectionCreate(BaseModel):
    reason: Annotated[str, Field(min_length=5, max_length=1000)]
    appeal_id: Id | None = Field(default=None, description="The appeal this correction upholds.")

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"reason": "Cleared 12 wrongly flagged answers (appeal #3).", "appeal_id": 3}
            ]
        },
    )


class AppealCreate(BaseModel):
    reason: Annotated[str, Field(min_length=10, max_length=2000)]

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"reason": "12 answers from our study-room event were flagged as a burst."}
            ]
        },
    )


class AppealResolve(BaseModel):
    decision: Literal["upheld", "rejected"]
    note: Annotated[str, Field(min_length=3, max_length=2000)]

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"decision": "rejected", "note": "Flags confirmed."}]},
    )


class AppealPublic(BaseModel):
    id: int
    statement_id: int
    team: TeamRef
    period: str
    version: int
    reason: str
    status: AppealStatus
    created_at: datetime
    resolved_at: datetime | None
    resolution_note: str | None
    correction_version: int | None


class AppealsPublic(BaseModel):
    data: list[AppealPublic]
    count: int
