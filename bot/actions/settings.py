"""Action-server settings from the environment (same names as the backend's)."""

import os
from dataclasses import dataclass
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class ActionSettings:
    backend_url: str
    bot_secret: str
    timezone: ZoneInfo
    timeout_seconds: float


def load_settings() -> ActionSettings:
    secret = os.environ.get("HOUQIN_BOT_SECRET")
    if not secret:
        # No built-in default: `make run` passes the installation's generated secret.
        raise RuntimeError("HOUQIN_BOT_SECRET must be set (scripts/run.py sets it)")
    return ActionSettings(
        backend_url=os.environ.get("HOUQIN_BACKEND_URL", "http://127.0.0.1:8000"),
        bot_secret=secret,
        timezone=ZoneInfo(os.environ.get("HOUQIN_CAMPUS_TIMEZONE", "Asia/Shanghai")),
        # Under Rasa's own wait, so the student hears "try again" within 3 s.
        timeout_seconds=float(os.environ.get("HOUQIN_BACKEND_TIMEOUT_SECONDS", "2.5")),
    )
