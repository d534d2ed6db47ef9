from datetime import datetime

from pydantic import BaseModel, ConfigDict

from backend.channels.models import Platform


class LinkCodePublic(BaseModel):
    """Send ``code`` (or "link <code>" / "绑定 <code>") from WeCom or Telegram once, before
    ``expires_at``."""

    code: str
    expires_at: datetime
    instructions: str

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "code": "482913",
                    "expires_at": "2026-12-03T18:10:00+08:00",
                    "instructions": "Send “link 482913” to Houqin in WeCom or Telegram …",
                }
            ]
        }
    )


class LinkPublic(BaseModel):
    platform: Platform
    external_id: str  # the WeCom UserID or Telegram user id that speaks for the student
    linked_at: datetime


class LinksPublic(BaseModel):
    data: list[LinkPublic]
    count: int
