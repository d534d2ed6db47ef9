from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from backend.handoff.models import HandoffStatus
from backend.identity.models import Locale

Message = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
TranscriptLine = Annotated[str, StringConstraints(max_length=1000)]

_HANDOFF_EXAMPLE: dict[str, Any] = {
    "id": 42,
    "status": "open",
    "message": "My deposit refund is wrong, I need to talk to someone. 押金退款不对，我想找人工。",
    "language": "zh",
    "transcript": ["押金什么时候退？", "宿舍押金在退宿检查后 10 个工作日内退回。"],
    "created_at": "2026-11-23T02:30:00Z",
    "reply_by": "2026-11-23T06:30:00Z",
    "contact": "后勤服务台 0571-8888-0000，8:00–20:00",
    "reply": None,
    "replied_at": None,
    "student": None,
}


class HandoffCreate(BaseModel):
    message: Message = Field(description="What the student wants a person to help with.")
    language: Locale | None = Field(
        default=None, description="Language to answer in; default: the student's locale."
    )
    transcript: list[TranscriptLine] = Field(
        default_factory=list,
        max_length=20,
        description="Recent messages of the conversation with the bot, oldest first.",
    )

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "message": _HANDOFF_EXAMPLE["message"],
                    "language": "zh",
                    "transcript": _HANDOFF_EXAMPLE["transcript"],
                }
            ]
        },
    )


class HandoffReply(BaseModel):
    reply: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"reply": "已为你核对，差额今天退回。We corrected it; refunded today."}]
        },
    )


class StudentRef(BaseModel):
    id: int
    username: str
    name: str


class HandoffPublic(BaseModel):
    id: int
    status: HandoffStatus
    message: str
    language: Locale
    transcript: list[str]
    created_at: datetime
    reply_by: datetime = Field(description="Staff reply by then (UTC): created_at + reply hours.")
    contact: str = Field(description="The service desk, in the request's language.")
    reply: str | None
    replied_at: datetime | None
    student: StudentRef | None = Field(
        description="Who asked: filled for staff, null in a student's own view."
    )

    model_config = ConfigDict(json_schema_extra={"examples": [_HANDOFF_EXAMPLE]})


class HandoffsPublic(BaseModel):
    data: list[HandoffPublic]
    count: int = Field(description="Requests on this page.")
    total: int = Field(description="Requests matching the filter, on every page.")

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"data": [_HANDOFF_EXAMPLE], "count": 1, "total": 1}]}
    )
