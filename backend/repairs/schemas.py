from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from backend.core.errors import ErrorBody
from backend.core.types import Id
from backend.identity.models import Role
from backend.identity.schemas import TeamRef
from backend.repairs.models import (
    RepairAction,
    RepairCategory,
    RepairPriority,
    RepairStatus,
)


def _strip(value: str) -> str:
    return value.strip()


def _strip_or_none(value: str | None) -> str | None:
    value = value.strip() if value is not None else None
    return value or None


Text = Annotated[str, AfterValidator(_strip)]
OptionalText = Annotated[str | None, AfterValidator(_strip_or_none)]

_REPAIR_EXAMPLE: dict[str, Any] = {
    "id": 1024,
    "category": "plumbing",
    "status": "assigned",
    "priority": "high",
    "description": "卫生间水龙头一直滴水 / The bathroom tap keeps dripping.",
    "location": {"building_code": "B7", "room": "312", "note": "bathroom"},
    "team": {"slug": "maint-plumbing", "name_en": "Plumbing Crew", "name_zh": "水暖班"},
    "due_at": "2026-11-24T09:30:00+08:00",
    "is_overdue": False,
    "sla_paused_since": None,
    "created_at": "2026-11-23T09:30:00+08:00",
    "updated_at": "2026-11-23T10:05:00+08:00",
    "reporter": "me",
    "following": False,
}


class RepairCreate(BaseModel):
    """A new report. Without building_code and room, the place is the student's own room."""

    category: RepairCategory
    description: Text = Field(min_length=5, max_length=2000)
    priority: RepairPriority = RepairPriority.normal
    building_code: OptionalText = Field(default=None, max_length=16)
    room: OptionalText = Field(
        default=None, max_length=16, description="Room number; in your own building if no code."
    )
    location_note: OptionalText = Field(
        default=None, max_length=200, description="Where exactly (e.g. 'bathroom', '3F corridor')."
    )
    report_even_if_duplicate: bool = Field(
        default=False, description="Create it even if an open ticket matches (409 otherwise)."
    )

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "category": "plumbing",
                    "description": "卫生间水龙头一直滴水 / The bathroom tap keeps dripping.",
                    "priority": "high",
                    "location_note": "bathroom",
                }
            ]
        },
    )


class RepairFiledForStudent(RepairCreate):
    """A report staff take for a student (on the phone, at the front desk): the ticket is
    the student's (they follow it, confirm it, rate it); the first history entry records
    who filed it and how."""

    student: Text = Field(min_length=1, max_length=32, description="The student's username.")
    note: OptionalText = Field(
        default=None, max_length=1000, description="How it came in, e.g. 'by phone'."
    )

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "student": "s0001",
                    "category": "plumbing",
                    "description": "卫生间水龙头一直滴水 / The bathroom tap keeps dripping.",
                    "note": "by phone / 电话报修",
                }
            ]
        },
    )


TransitionActionName = Literal[
    "assign", "start", "hold", "resume", "complete", "cancel", "confirm", "reopen"
]


class RepairTransition(BaseModel):
    """One move of the ticket: staff `assign, start, hold, resume, complete`; the reporter
    `cancel, confirm, reopen`. `hold` needs a `reason`; `assign` may name `assignee_id`
    (a technician of the responsible crew; default: yourself)."""

    action: TransitionActionName
    note: OptionalText = Field(default=None, max_length=1000)
    reason: OptionalText = Field(default=None, max_length=500)
    assignee_id: Id | None = None

    @model_validator(mode="after")
    def _fields_fit_the_action(self) -> "RepairTransition":
        if self.action == "hold" and not self.reason:
            raise ValueError("hold needs a reason (why the work is paused)")
        if self.action != "hold" and self.reason is not None:
            raise ValueError("reason is only for hold; use note")
        if self.action != "assign" and self.assignee_id is not None:
            raise ValueError("assignee_id is only for assign")
        return self

    @property
    def repair_action(self) -> RepairAction:
        return RepairAction(self.action)

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"action": "hold", "reason": "Waiting for a replacement valve / 等待配件"},
                {"action": "confirm", "note": "Fixed, thanks! 已修好，谢谢！"},
            ]
        },
    )


class LocationPublic(BaseModel):
    building_code: str | None
    room: str | None
    note: str | None


class RepairPublic(BaseModel):
    id: int
    category: RepairCategory
    status: RepairStatus
    priority: RepairPriority
    description: str
    location: LocationPublic
    team: TeamRef | None
    due_at: datetime = Field(
        description="When the work should be done; moves later by each hold's length on resume."
    )
    is_overdue: bool
    sla_paused_since: datetime | None = Field(
        description="On hold since then: the SLA clock is stopped (None when running)."
    )
    created_at: datetime
    updated_at: datetime
    reporter: Literal["me", "other"]
    following: bool

    model_config = ConfigDict(json_schema_extra={"examples": [_REPAIR_EXAMPLE]})


class HistoryEntry(BaseModel):
    at: datetime
    actor_role: Role
    from_status: RepairStatus | None
    to_status: RepairStatus
    action: RepairAction
    note: str | None
    reason: str | None = Field(description="Why the work is paused (hold only).")


class PhotoPublic(BaseModel):
    id: int
    url: str
    content_type: str


class AssigneePublic(BaseModel):
    id: int
    name: str


class RepairDetail(RepairPublic):
    history: list[HistoryEntry]
    photos: list[PhotoPublic]
    assignee: AssigneePublic | None = Field(description="The technician working on it.")
    followers: int = Field(description='Students following it ("me too"); 0 for a follower.')
    allowed_actions: list[RepairAction] = Field(
        description="The moves you may make now (POST /repairs/{id}/transitions)."
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **_REPAIR_EXAMPLE,
                    "history": [
                        {
                            "at": "2026-11-23T09:30:00+08:00",
                            "actor_role": "student",
                            "from_status": None,
                            "to_status": "submitted",
                            "action": "submit",
                            "note": None,
                            "reason": None,
                        },
                        {
                            "at": "2026-11-23T10:05:00+08:00",
                            "actor_role": "technician",
                            "from_status": "submitted",
                            "to_status": "assigned",
                            "action": "assign",
                            "note": "Coming this afternoon / 今天下午上门",
                            "reason": None,
                        },
                    ],
                    "photos": [
                        {
                            "id": 7,
                            "url": "/api/v1/repairs/1024/photos/7",
                            "content_type": "image/jpeg",
                        }
                    ],
                    "assignee": {"id": 31, "name": "王师傅 Wang Wei"},
                    "followers": 2,
                    "allowed_actions": ["cancel"],
                }
            ]
        }
    )


class RepairsPublic(BaseModel):
    data: list[RepairPublic]
    count: int = Field(description="Tickets on this page.")
    total: int = Field(description="Tickets matching the filters, on every page.")

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"data": [_REPAIR_EXAMPLE], "count": 1, "total": 1}]}
    )


class PossibleDuplicateBody(ErrorBody):
    duplicates: list[RepairPublic]


class AssigneeOption(BaseModel):
    id: int
    name: str
    team: TeamRef
    is_me: bool


class AssigneeOptions(BaseModel):
    """The technicians you may assign the ticket to: its crew (the logistics office: every
    maintenance crew's, which moves the ticket to that crew)."""

    data: list[AssigneeOption]
    count: int


class TranscriptLine(BaseModel):
    at: datetime
    speaker: Literal["student", "bot"]
    text: str


class TicketTranscript(BaseModel):
    """What the reporter and the assistant said just before a ticket reported in the chat
    (the reporter's messages from TRANSCRIPT_WINDOW before it until a minute after)."""

    from_chat: bool = Field(description="Reported through the assistant.")
    data: list[TranscriptLine]
    count: int
