"""Repairs settings (env prefix ``HOUQIN_REPAIRS_``): SLA per priority, photo limits, storage."""

from datetime import timedelta
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from backend.repairs.models import RepairPriority


class RepairsSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HOUQIN_REPAIRS_", env_file=".env", extra="ignore")

    # Hours from report (or reopen) until the work is due, per priority.
    sla_emergency_hours: float = Field(default=4, gt=0)
    sla_high_hours: float = Field(default=24, gt=0)
    sla_normal_hours: float = Field(default=72, gt=0)
    sla_low_hours: float = Field(default=7 * 24, gt=0)
    # Photos: stored on local disk under this directory (relative to the working directory).
    photo_dir: Path = Path("var/uploads")
    max_photo_bytes: int = Field(default=5 * 1024 * 1024, gt=0)
    max_photos_per_ticket: int = Field(default=6, gt=0)

    def sla(self, priority: RepairPriority) -> timedelta:
        hours: float = getattr(self, f"sla_{priority.value}_hours")
        return timedelta(hours=hours)
