from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from backend.chat.models import Channel
from backend.chat.schemas import BotButton
from backend.notify.models import Category, DeliveryState, Kind, SuppressReason

OUTBOUND = (Channel.app, Channel.wecom, Channel.telegram)  # where a notice can go
HHMM = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", examples=["23:00"])]


class NoticeMessage(BaseModel):
    text: str | None = None
    buttons: list[BotButton] = Field(default_factory=list)


class NotificationPublic(BaseModel):
    id: int
    kind: Kind
    category: Category
    ticket_id: int | None
    invitation_id: int | None
    handoff_id: int | None
    statement_id: int | None
    # The bot's words for this notice (empty until it has been voiced, seconds later).
    messages: list[NoticeMessage] = Field(default_factory=list)
    created_at: AwareDatetime
    read_at: AwareDatetime | None


class NotificationsPage(BaseModel):
    data: list[NotificationPublic]  # newest first
    count: int
    unread: int


class QuietHours(BaseModel):
    model_config = ConfigDict(extra="forbid")
    start: HHMM
    end: HHMM

    @model_validator(mode="after")
    def _differ(self) -> "QuietHours":
        if self.start == self.end:
            raise ValueError("start and end must differ / 开始和结束时间不能相同")
        return self


class PreferencesPublic(BaseModel):
    """Per category and channel on or off; quiet hours (campus time, may span midnight;
    null: none); at most ``daily_cap`` notices a day; at most ``survey_reminders``
    reminders per survey."""

    model_config = ConfigDict(extra="forbid")
    categories: dict[Category, dict[Channel, bool]]
    quiet_hours: QuietHours | None
    daily_cap: int = Field(ge=1, le=100)
    survey_reminders: int = Field(ge=0, le=5)

    @model_validator(mode="after")
    def _outbound_only(self) -> "PreferencesPublic":
        for channels in self.categories.values():
            wrong = [c.value for c in channels if c not in OUTBOUND]
            if wrong:
                raise ValueError(f"notices go to app, wecom or telegram, not {', '.join(wrong)}")
        return self


class MuteRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    category: Category
    muted: bool = True


class ReadAll(BaseModel):
    unread: int


class DeliveryPublic(BaseModel):
    id: int
    notification_id: int
    user_id: int
    kind: Kind
    channel: Channel
    state: DeliveryState
    reason: SuppressReason | None
    attempts: int
    next_attempt_at: AwareDatetime
    last_error: str | None
    sent_at: AwareDatetime | None
    created_at: AwareDatetime


class DeliveriesPage(BaseModel):
    data: list[DeliveryPublic]
    count: int
