"""Handoff settings (env prefix ``HOUQIN_HANDOFF_``): reply promise and service-desk contact."""

from datetime import timedelta

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from backend.identity.models import Locale


class HandoffSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HOUQIN_HANDOFF_", env_file=".env", extra="ignore")

    # Staff answer within this many hours of the request (HOUQIN_HANDOFF_REPLY_HOURS).
    reply_hours: float = Field(default=4, gt=0)
    # How to reach a person directly, per language (HOUQIN_HANDOFF_CONTACT_EN / _ZH).
    contact_en: str = "Logistics service desk 0571-8888-0000, 8:00–20:00"
    contact_zh: str = "后勤服务台 0571-8888-0000，8:00–20:00"

    @property
    def reply_within(self) -> timedelta:
        return timedelta(hours=self.reply_hours)

    def contact(self, language: Locale) -> str:
        return self.contact_zh if language == Locale.zh else self.contact_en
