"""Settings: pydantic-settings classes, env prefix ``HOUQIN_``.

Secrets are filled in only in development, from random values made once per installation
(``devsecrets``); any other environment refuses to start without real ones, so a
forgotten variable can never ship a known key.
"""

import re
from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, PrivateAttr, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from backend.core import devsecrets

# Development defaults of earlier versions: public, so refused everywhere.
PUBLISHED_SECRETS = frozenset(
    {
        "dev-only-jwt-secret-change-me-0123456789",
        "dev-only-bot-secret-change-me-0123456789",
        "dev-only-rasa-token-change-me-0123456789",
    }
)
API_PREFIX = "/api/v1"  # every API route's path starts with it
MIN_SECRET_LENGTH = 32
SecretName = Literal["jwt_secret", "bot_secret", "rasa_token"]
SECRET_NAMES: tuple[SecretName, ...] = ("jwt_secret", "bot_secret", "rasa_token")

# The demo messaging apps of issue 13: development only, refused anywhere else.
DEV_CHANNELS: dict[str, str | int] = {
    "wecom_corp_id": "wwhouqindemo0001",
    "wecom_token": "HouqinDemoToken2026",
    "wecom_aes_key": "houqinDemoAesKey0123456789abcdefghijklmnopq",
    "wecom_agent_id": 1000002,
    "wecom_secret": "dev-only-wecom-corp-secret-change-me-0123456",
    "telegram_bot_token": "1000000001:dev-only-telegram-bot-token-change-me",
    "telegram_secret_token": "houqin-demo-telegram-secret",
}
WECOM_SETTINGS = ("wecom_corp_id", "wecom_token", "wecom_aes_key", "wecom_agent_id", "wecom_secret")
TELEGRAM_SETTINGS = ("telegram_bot_token", "telegram_secret_token")
_AES_KEY = re.compile(r"^[A-Za-z0-9]{43}$")
_WECOM_TOKEN = re.compile(r"^[A-Za-z0-9]{16,32}$")
_TELEGRAM_BOT_TOKEN = re.compile(r"^[0-9]{5,}:[A-Za-z0-9_-]{30,}$")
_TELEGRAM_SECRET = re.compile(r"^[A-Za-z0-9_-]{32,256}$")
_HTTP_URL = re.compile(r"^https?://[^/\s,]+(/[^\s,]*)?$")


def split_urls(value: str) -> list[str]:
    """``"http://a:5005, http://b:5005/"`` → ``["http://a:5005", "http://b:5005"]``."""
    return [part.strip().rstrip("/") for part in value.split(",") if part.strip()]


Section = TypeVar("Section", bound=BaseSettings)


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
    # One Rasa URL, or several replicas separated by commas (backend/chat/replicas.py).
    rasa_url: str = "http://127.0.0.1:5005"
    # Backend → Rasa budget; the chat route answers 503 inside 5 s whatever Rasa does.
    rasa_timeout_seconds: float = 4.0
    # A replica that failed gets no first attempts this long, then its students back.
    rasa_retry_seconds: float = Field(default=5.0, gt=0)
    access_token_minutes: int = 15
    refresh_token_days: int = 14
    delegation_token_minutes: int = 5
    # How long a signed-in user and their sign-in stay cached between database checks: the
    # bound for changes made behind the API's back (API changes take effect at once).
    principal_cache_seconds: float = Field(default=10.0, gt=0, le=60)
    # Chat messages per minute: per student, and per client address (a campus NAT or a load
    # test puts many students behind one address).
    chat_per_student_per_minute: int = Field(default=30, ge=1)
    chat_per_address_per_minute: int = Field(default=300, ge=1)
    campus_timezone: str = "Asia/Shanghai"
    _sections: dict[type[BaseSettings], Any] = PrivateAttr(default_factory=dict)
    # The chat transcript is kept this long, then deleted (a student can delete it any time).
    transcript_retention_days: int = Field(default=180, ge=1)
    # Notifications (backend/notify): the dispatcher runs inside each backend process unless
    # turned off (then run `python -m backend.notify` workers, PostgreSQL only).
    notify_dispatcher: bool = True
    notify_poll_seconds: float = Field(default=0.5, gt=0)
    notify_batch_size: int = Field(default=50, ge=1)
    # A claimed delivery not finished within the lease (its worker died) is due again.
    notify_lease_seconds: float = Field(default=60, gt=0)
    notify_max_attempts: int = Field(default=6, ge=1)
    # Retry n waits base × 2^(n-1), ±20 % jitter (5 s, 10 s, 20 s … by default).
    notify_backoff_seconds: float = Field(default=5, gt=0)
    # Campus defaults for a student who changed nothing.
    notify_quiet_start: str | None = "23:00"
    notify_quiet_end: str | None = "07:00"
    notify_daily_cap: int = Field(default=10, ge=1)
    notify_survey_reminders: int = Field(default=2, ge=0)
    # Rasa's trigger_intent budget before the backend's own words are used instead.
    notify_voice_timeout_seconds: float = Field(default=3.0, gt=0)
    # Request bodies: JSON everywhere; repair photos may be larger.
    max_body_bytes: int = 64 * 1024
    max_upload_bytes: int = 6 * 1024 * 1024
    # Requests one worker serves at once; more get 503 Overloaded at once (0: no limit).
    # At ~25 ms of CPU per request, 64 waiting is ~1.6 s of work: beyond that a client is
    # better told to retry than left to time out.
    max_in_flight: int = Field(default=64, ge=0)
    # Messaging channels (docs/channels.md). A channel whose settings are unset is off.
    # WeCom (企业微信) self-built app: callback Token/EncodingAESKey, and the app's secret
    # for the message API.
    wecom_corp_id: str | None = None
    wecom_token: SecretStr | None = None
    wecom_aes_key: SecretStr | None = None
    wecom_agent_id: int | None = None
    wecom_secret: SecretStr | None = None
    wecom_api_url: str = "https://qyapi.weixin.qq.com/cgi-bin"
    # Telegram bot: the token from @BotFather and the webhook's secret_token.
    telegram_bot_token: SecretStr | None = None
    telegram_secret_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org"
    # Web pages on other origins allowed to open the Rasa-compatible socket.io endpoint.
    socketio_allowed_origins: list[str] = Field(default_factory=list)
    # Tests only: shortens the platforms' rate-limit windows (0.05: WeCom's minute is 3 s).
    channel_pace_scale: float = Field(default=1.0, gt=0, le=1)
    # /docs (Swagger UI) and /openapi.json; unset: on in development, off in production.
    api_docs: bool | None = None
    # Reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma
    # separated). Empty: the header is ignored and the peer address is the client.
    trusted_proxies: Annotated[list[IPv4Network | IPv6Network], NoDecode] = []
    # Where development keeps its generated secrets (never used in production).
    dev_secrets_file: Path = devsecrets.DEFAULT_FILE

    @field_validator("campus_timezone")
    @classmethod
    def _known_timezone(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {name!r}; use an IANA name") from exc
        return name

    @field_validator("rasa_url")
    @classmethod
    def _rasa_replicas(cls, value: str) -> str:
        urls = split_urls(value)
        if not urls:
            raise ValueError("name at least one Rasa URL (several: separated by commas)")
        for url in urls:
            if not _HTTP_URL.match(url):
                raise ValueError(f"not an http(s)://host[:port] URL: {url!r}")
        if len(set(urls)) < len(urls):
            raise ValueError("a Rasa URL is named twice")
        return value

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [
                ip_network(part.strip(), strict=False) for part in value.split(",") if part.strip()
            ]
        return value

    @model_validator(mode="after")
    def _secrets(self) -> "Settings":
        if self.env == "development" and any(getattr(self, n) is None for n in SECRET_NAMES):
            generated = devsecrets.load_or_create(
                self.dev_secrets_file, SECRET_NAMES, min_length=MIN_SECRET_LENGTH
            )
            for name in SECRET_NAMES:
                if getattr(self, name) is None:
                    setattr(self, name, SecretStr(generated[name]))
        for name in SECRET_NAMES:
            value: SecretStr | None = getattr(self, name)
            env_var = f"HOUQIN_{name.upper()}"
            if value is None:
                raise ValueError(f"{env_var} must be set outside development")
            secret = value.get_secret_value()
            if secret in PUBLISHED_SECRETS or len(secret) < MIN_SECRET_LENGTH:
                raise ValueError(
                    f"{env_var} must be a unique secret of at least {MIN_SECRET_LENGTH} characters"
                )
        self._channels()
        return self

    def _channels(self) -> None:
        """Demo apps in development; elsewhere all-or-nothing per channel, and no weak values."""
        if self.env == "development":
            for name, dev_value in DEV_CHANNELS.items():
                if getattr(self, name) is None:
                    plain = name in ("wecom_corp_id", "wecom_agent_id")
                    setattr(self, name, dev_value if plain else SecretStr(str(dev_value)))
            return
        if self.channel_pace_scale != 1:
            raise ValueError("HOUQIN_CHANNEL_PACE_SCALE is for tests (development) only")
        for group in (WECOM_SETTINGS, TELEGRAM_SETTINGS):
            unset = [f"HOUQIN_{name.upper()}" for name in group if getattr(self, name) is None]
            if unset and len(unset) < len(group):
                raise ValueError(f"set all of these or none (the channel is then off): {unset}")
        checks = {
            "wecom_token": (_WECOM_TOKEN, "16–32 letters and digits"),
            "wecom_aes_key": (_AES_KEY, "the 43-character EncodingAESKey"),
            "wecom_secret": (re.compile(r"^[A-Za-z0-9_-]{32,}$"), "the app's Secret"),
            "telegram_bot_token": (_TELEGRAM_BOT_TOKEN, "a token from @BotFather"),
            "telegram_secret_token": (_TELEGRAM_SECRET, "32–256 of A-Z a-z 0-9 _ -"),
        }
        for name, (pattern, what) in checks.items():
            value = getattr(self, name)
            if value is None:
                continue
            secret = value.get_secret_value()
            if secret == DEV_CHANNELS[name] or not pattern.match(secret):
                raise ValueError(f"HOUQIN_{name.upper()} must be {what}, not a demo value")
        if self.wecom_corp_id == DEV_CHANNELS["wecom_corp_id"]:
            raise ValueError("HOUQIN_WECOM_CORP_ID is the demo corp; set your own")

    def channel_secret(self, name: str) -> str:
        value: SecretStr | None = getattr(self, name)
        assert value is not None  # the caller checked the channel is configured
        return value.get_secret_value()

    @property
    def wecom_enabled(self) -> bool:
        return all(getattr(self, name) is not None for name in WECOM_SETTINGS)

    @property
    def telegram_enabled(self) -> bool:
        return all(getattr(self, name) is not None for name in TELEGRAM_SETTINGS)

    @property
    def docs_enabled(self) -> bool:
        return self.api_docs if self.api_docs is not None else self.env == "development"

    @property
    def rasa_urls(self) -> list[str]:
        return split_urls(self.rasa_url)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.campus_timezone)

    def secret(self, name: SecretName) -> str:
        value: SecretStr | None = getattr(self, name)
        assert value is not None  # filled or rejected by _secrets
        return value.get_secret_value()

    def section(self, kind: type[Section]) -> Section:
        """A domain's own settings (``RepairsSettings``: its own env prefix), read once per
        app settings: every domain reaches its settings through the app's ``Settings``."""
        found = self._sections.get(kind)
        if found is None:
            found = self._sections[kind] = kind()
        assert isinstance(found, kind)
        return found


@lru_cache
def get_settings() -> Settings:
    return Settings()
