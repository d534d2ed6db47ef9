"""Settings: pydantic-settings classes, env prefix ``HOUQIN_``.

Secrets have working defaults only in development; any other environment refuses to start
without real ones, so a forgotten variable can never ship a known key.
"""

from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRETS = {
    "jwt_secret": "dev-only-jwt-secret-change-me-0123456789",
    "bot_secret": "dev-only-bot-secret-change-me-0123456789",
    "rasa_token": "dev-only-rasa-token-change-me-0123456789",
}
MIN_SECRET_LENGTH = 32
SecretName = Literal["jwt_secret", "bot_secret", "rasa_token"]


class DatabaseSettings(BaseSettings):
    """What migrations and the seed need: just the database."""

    model_config = SettingsConfigDict(env_prefix="HOUQIN_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default="sqlite+aiosqlite:///./var/houqin.db",
        validation_alias=AliasChoices("HOUQIN_DATABASE_URL", "DATABASE_URL"),
    )

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, url: str) -> str:
        """Accept plain ``postgresql://`` / ``sqlite://`` URLs and pick the async driver."""
        for plain, driver in (
            ("postgresql://", "postgresql+asyncpg://"),
            ("postgres://", "postgresql+asyncpg://"),
            ("sqlite://", "sqlite+aiosqlite://"),
        ):
            if url.startswith(plain):
                return driver + url.removeprefix(plain)
        return url


class Settings(DatabaseSettings):
    # Production unless told otherwise: `make run` and the tests set development.
    env: Literal["development", "production"] = "production"
    redis_url: str | None = Field(
        default=None, validation_alias=AliasChoices("HOUQIN_REDIS_URL", "REDIS_URL")
    )
    cache_prefix: str = "houqin:"
    # Signs access tokens and the short-lived delegation tokens handed to the bot.
    jwt_secret: SecretStr | None = None
    # Shared with the action server: proves a request really comes from the bot.
    bot_secret: SecretStr | None = None
    # Rasa's --auth-token, for its HTTP API (health/status).
    rasa_token: SecretStr | None = None
    rasa_url: str = "http://127.0.0.1:5005"
    # Backend → Rasa budget; the chat route answers 503 inside 5 s whatever Rasa does.
    rasa_timeout_seconds: float = 4.0
    access_token_minutes: int = 15
    refresh_token_days: int = 14
    delegation_token_minutes: int = 5
    # Chat messages per minute: per student, and per client address (a campus NAT or a load
    # test puts many students behind one address).
    chat_per_student_per_minute: int = Field(default=30, ge=1)
    chat_per_address_per_minute: int = Field(default=300, ge=1)
    campus_timezone: str = "Asia/Shanghai"
    # Request bodies: JSON everywhere; repair photos may be larger.
    max_body_bytes: int = 64 * 1024
    max_upload_bytes: int = 6 * 1024 * 1024

    @field_validator("campus_timezone")
    @classmethod
    def _known_timezone(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {name!r}; use an IANA name") from exc
        return name

    @model_validator(mode="after")
    def _secrets(self) -> "Settings":
        for name, dev_value in DEV_SECRETS.items():
            value: SecretStr | None = getattr(self, name)
            if self.env == "development":
                if value is None:
                    setattr(self, name, SecretStr(dev_value))
                continue
            env_var = f"HOUQIN_{name.upper()}"
            if value is None:
                raise ValueError(f"{env_var} must be set outside development")
            secret = value.get_secret_value()
            if secret in DEV_SECRETS.values() or len(secret) < MIN_SECRET_LENGTH:
                raise ValueError(
                    f"{env_var} must be a unique secret of at least {MIN_SECRET_LENGTH} characters"
                )
        return self

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.campus_timezone)

    def secret(self, name: SecretName) -> str:
        value: SecretStr | None = getattr(self, name)
        assert value is not None  # filled or rejected by _secrets
        return value.get_secret_value()


@lru_cache
def get_settings() -> Settings:
    return Settings()
