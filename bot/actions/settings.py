"""Action-server settings from the environment (same names as the backend's)."""

import os
from dataclasses import dataclass
from zoneinfo import ZoneInfo

# Matches the backend's development default; refused outside development.
_DEV_BOT_SECRET = "dev-only-bot-secret-change-me-0123456789"  # noqa: S105


@dataclass(frozen=True)
class ActionSettings:
    backend_url: str
    bot_secret: str
    timezone: ZoneInfo
    timeout_seconds: float


def load_settings() -> ActionSettings:
    env = os.environ.get("HOUQIN_ENV", "production")
    secret = os.environ.get("HOUQIN_BOT_SECRET")
    if not secret:
        if env != "development":
            raise RuntimeError("HOUQIN_BOT_SECRET must be set outside development")
        secret = _DEV_BOT_SECRET
    return ActionSettings(
        backend_url=os.environ.get("HOUQIN_BACKEND_URL", "http://127.0.0.1:8000"),
        bot_secret=secret,
        timezone=ZoneInfo(os.environ.get("HOUQIN_CAMPUS_TIMEZONE", "Asia/Shanghai")),
        # Under Rasa's own wait, so the student hears "try again" within 3 s.
        timeout_seconds=float(os.environ.get("HOUQIN_BACKEND_TIMEOUT_SECONDS", "2.5")),
    )
