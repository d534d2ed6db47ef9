from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from backend.chat.models import Channel, Speaker
from backend.identity.models import Locale


class ChatRequest(BaseModel):
    message: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]

    model_config = ConfigDict(json_schema_extra={"examples": [{"message": "今天午饭吃什么?"}]})


class BotButton(BaseModel):
    title: str
    # Send this back as the next message to press the button.
    payload: str


class BotMessage(BaseModel):
    text: str | None = None
    buttons: list[BotButton] = Field(default_factory=list)
    image: str | None = None
    custom: dict[str, Any] | None = None


class ChatResponse(BaseModel):
    language: Locale
    messages: list[BotMessage]

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "language": "en",
                    "messages": [
                        {
                            "text": "Lunch today at North Canteen:\n• Kung Pao Chicken ¥16.00",
                            "buttons": [],
                        }
                    ],
                }
            ]
        }
    )


class TranscriptPublic(BaseModel):
    id: int
    role: Speaker
    text: str | None
    buttons: list[BotButton]
    channel: Channel
    language: Locale
    created_at: AwareDatetime
    notification_id: int | None


class TranscriptPage(BaseModel):
    data: list[TranscriptPublic]  # oldest first
    count: int
    has_more: bool
