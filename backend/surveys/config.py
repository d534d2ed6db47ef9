"""Survey settings (env prefix ``HOUQIN_SURVEYS_``): expiry, score prior, integrity limits."""

from decimal import Decimal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class SurveySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HOUQIN_SURVEYS_", env_file=".env", extra="ignore")

    # A completed repair's invitation can be answered for this many days.
    repair_invitation_days: int = Field(default=14, ge=1, le=365)
    # Bayesian prior weight C: how many "campus-average answers" every team starts with.
    prior_weight: Decimal = Field(default=Decimal(10), ge=0, le=10_000, decimal_places=2)
    # Integrity: an answer sent sooner than this after the question was shown is flagged.
    fast_answer_seconds: int = Field(default=5, ge=0, le=600)
    # Integrity: more than ``burst_max_responses`` answers from one device or address
    # within ``burst_window_seconds`` flags every answer of that burst.
    burst_window_seconds: int = Field(default=600, ge=1, le=86_400)
    burst_max_responses: int = Field(default=5, ge=1, le=1_000)
