from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from backend.core.types import Id
from backend.identity.models import TeamKind, Trade
from backend.identity.schemas import TeamRef
from backend.surveys.models import FlagReason, SurveySource
from backend.surveys.periods import Period
from backend.surveys.questions import QuestionKey

Scale5 = Annotated[int, Field(ge=1, le=5)]
Text = Annotated[str, Field(min_length=1, max_length=300)]


class TeamRefKind(TeamRef):
    kind: TeamKind
    trade: Trade | None = None


# ---- templates ---------------------------------------------------------------------------


class QuestionIn(BaseModel):
    key: QuestionKey
    text_en: Text
    text_zh: Text

    model_config = ConfigDict(extra="forbid")


class QuestionPublic(BaseModel):
    key: QuestionKey
    kind: str = Field(description="scale or text")
    min: int | None
    max: int | None
    required: bool
    text_en: str
    text_zh: str


def _check_questions(questions: list[QuestionIn] | None) -> None:
    if questions is None:
        return
    keys = [q.key for q in questions]
    if len(set(keys)) != len(keys):
        raise ValueError("each question key may appear once")
    if not keys or keys[0] != QuestionKey.overall:
        raise ValueError("the first question must be 'overall' (required, 1–5)")


_QUESTIONS_EXAMPLE: Any = [
    {"key": "overall", "text_en": "Overall, how satisfied are you?", "text_zh": "总体满意度？"},
    {"key": "recommend", "text_en": "Would you recommend it? (0–10)", "text_zh": "推荐意愿？"},
    {"key": "comment", "text_en": "Anything else?", "text_zh": "其他意见？"},
]


class TemplateCreate(BaseModel):
    slug: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,47}$")]
    name_en: Annotated[str, Field(min_length=1, max_length=100)]
    name_zh: Annotated[str, Field(min_length=1, max_length=100)]
    questions: list[QuestionIn] = Field(min_length=1, max_length=8)
    is_current: bool = False

    @model_validator(mode="after")
    def _questions(self) -> "TemplateCreate":
        _check_questions(self.questions)
        return self

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "slug": "service-2027",
                    "name_en": "Service survey 2027",
                    "name_zh": "2027年服务满意度问卷",
                    "questions": _QUESTIONS_EXAMPLE,
                    "is_current": True,
                }
            ]
        },
    )


class TemplateUpdate(BaseModel):
    """Names and ``is_current`` can always change; questions only while unused."""

    name_en: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    name_zh: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    questions: list[QuestionIn] | None = Field(default=None, min_length=1, max_length=8)
    is_current: bool | None = None

    @model_validator(mode="after")
    def _valid(self) -> "TemplateUpdate":
        if nulls := sorted(n for n in self.model_fields_set if getattr(self, n) is None):
            raise ValueError(f"{', '.join(nulls)}: omit a field to leave it unchanged, not null")
        _check_questions(self.questions)
        return self

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"is_current": True}]}
    )


class TemplatePublic(BaseModel):
    id: int
    slug: str
    name_en: str
    name_zh: str
    questions: list[QuestionPublic]
    is_current: bool
    in_use: bool
    created_at: datetime


class TemplatesPublic(BaseModel):
    data: list[TemplatePublic]
    count: int


# ---- campaigns ---------------------------------------------------------------------------


class CampaignCreate(BaseModel):
    source: SurveySource = Field(description="dorm or canteen (repairs need no campaign)")
    period: Period
    template_id: Id | None = Field(default=None, description="Default: the current template.")
    name_en: Annotated[str, Field(min_length=1, max_length=100)]
    name_zh: Annotated[str, Field(min_length=1, max_length=100)]
    opens_at: AwareDatetime
    closes_at: AwareDatetime

    @model_validator(mode="after")
    def _valid(self) -> "CampaignCreate":
        if self.source == SurveySource.repair:
            raise ValueError("repair surveys come from completed tickets, not campaigns")
        if self.closes_at <= self.opens_at:
            raise ValueError("closes_at must be after opens_at")
        return self

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "source": "dorm",
                    "period": "2026-11",
                    "name_en": "Dorm service survey, November",
                    "name_zh": "11月宿舍服务满意度调查",
                    "opens_at": "2026-11-20T00:00:00+08:00",
                    "closes_at": "2026-12-05T00:00:00+08:00",
                }
            ]
        },
    )


class CampaignPublic(BaseModel):
    id: int
    source: SurveySource
    period: str
    template_id: int
    name_en: str
    name_zh: str
    opens_at: datetime
    closes_at: datetime
    invitations: int
    responses: int


class CampaignsPublic(BaseModel):
    data: list[CampaignPublic]
    count: int


class InvitationsIssued(BaseModel):
    campaign_id: int
    created: int = Field(description="Invitations created now (residents who had none).")
    total: int

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"campaign_id": 3, "created": 412, "total": 412}]}
    )


class CanteenOption(BaseModel):
    slug: str = Field(description="Canteen slug to send as `canteen`.")
    name_en: str
    name_zh: str
    team: TeamRef


class OpenCampaign(BaseModel):
    id: int
    source: SurveySource
    period: str
    name_en: str
    name_zh: str
    closes_at: datetime
    canteens: list[CanteenOption]
    invitation_id: int | None = Field(description="Yours, once you have chosen a canteen.")


class OpenCampaigns(BaseModel):
    data: list[OpenCampaign]
    count: int


class CanteenChoice(BaseModel):
    canteen: Annotated[str, Field(min_length=1, max_length=32, description="Canteen slug.")]

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"canteen": "north"}]}
    )


# ---- invitations and responses -----------------------------------------------------------


class InvitationPublic(BaseModel):
    id: int
    team: TeamRef
    subject_en: str
    subject_zh: str
    source: SurveySource
    source_id: int
    period: str
    expires_at: datetime
    questions: list[QuestionPublic]

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 41,
                    "team": {
                        "slug": "maint-plumbing",
                        "name_en": "Plumbing Crew",
                        "name_zh": "水暖班",
                    },
                    "subject_en": "Repair #1024",
                    "subject_zh": "报修单 #1024",
                    "source": "repair",
                    "source_id": 1024,
                    "period": "2026-11",
                    "expires_at": "2026-12-07T10:00:00+08:00",
                    "questions": [
                        {
                            "key": "overall",
                            "kind": "scale",
                            "min": 1,
                            "max": 5,
                            "required": True,
                            "text_en": "Overall, how satisfied are you with the service?",
                            "text_zh": "总体而言，您对这次服务满意吗？",
                        }
                    ],
                }
            ]
        }
    )


class InvitationsPublic(BaseModel):
    data: list[InvitationPublic]
    count: int


class Dimensions(BaseModel):
    tangibles: Scale5 | None = None
    reliability: Scale5 | None = None
    responsiveness: Scale5 | None = None
    assurance: Scale5 | None = None
    empathy: Scale5 | None = None

    model_config = ConfigDict(extra="forbid")


class ResponseCreate(BaseModel):
    overall: Scale5
    dimensions: Dimensions | None = None
    recommend: Annotated[int, Field(ge=0, le=10)] | None = None
    comment: Annotated[str, Field(max_length=1000)] | None = None
    opened_at: AwareDatetime | None = Field(
        default=None,
        deprecated=True,
        description=(
            "Ignored: the answer timer starts when the server first sends the invitation "
            "(GET /surveys/invitations/{id}); accepted so that older clients keep working."
        ),
    )

    def answered_keys(self) -> set[str]:
        keys = {"overall"}
        if self.dimensions is not None:
            keys |= set(self.dimensions.model_dump(exclude_none=True))
        if self.recommend is not None:
            keys.add("recommend")
        if self.comment is not None and self.comment.strip():
            keys.add("comment")
        return keys

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "overall": 4,
                    "dimensions": {"reliability": 5, "responsiveness": 4},
                    "recommend": 9,
                    "comment": "Fixed quickly, thank you! 修得很快，谢谢！",
                },
                {"overall": 5},
            ]
        },
    )


class ResponsePublic(BaseModel):
    id: int
    invitation_id: int
    overall: int
    dimensions: Dimensions
    recommend: int | None
    comment: str | None
    submitted_at: datetime


# ---- scores, results, comments -----------------------------------------------------------


class OnTimePublic(BaseModel):
    completed: int
    measured: int = Field(description="Completions that had an SLA due time.")
    on_time: int
    rate: Decimal | None


class TeamScorePublic(BaseModel):
    team: TeamRefKind
    period: str
    responses: int = Field(description="Counted answers (flagged ones excluded).")
    flagged: int
    mean: Decimal | None
    satisfaction_rate: Decimal | None = Field(description="Share of 4–5 answers, 0–1.")
    nps: Decimal | None = Field(description="% promoters (9–10) − % detractors (0–6).")
    dimensions: dict[str, Decimal | None]
    adjusted_score: Decimal | None = Field(description="(C·campus mean + Σ) / (C + n).")
    wilson_lower: Decimal | None = Field(description="Wilson 95% lower bound of the rate.")
    wilson_upper: Decimal | None = Field(description="Wilson 95% upper bound of the rate.")
    on_time: OnTimePublic | None = Field(description="Maintenance crews only.")


class ScoresPublic(BaseModel):
    period: str
    prior_weight: Decimal
    campus_responses: int
    campus_mean: Decimal | None
    data: list[TeamScorePublic]
    count: int

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "period": "2026-10",
                    "prior_weight": "10",
                    "campus_responses": 1240,
                    "campus_mean": "4.0621",
                    "data": [
                        {
                            "team": {
                                "slug": "maint-plumbing",
                                "name_en": "Plumbing Crew",
                                "name_zh": "水暖班",
                                "kind": "maintenance",
                                "trade": "plumbing",
                            },
                            "period": "2026-10",
                            "responses": 84,
                            "flagged": 3,
                            "mean": "4.2143",
                            "satisfaction_rate": "0.8095",
                            "nps": "38.5",
                            "dimensions": {"tangibles": "4.1000", "reliability": "4.3000"},
                            "adjusted_score": "4.1988",
                            "wilson_lower": "0.7118",
                            "wilson_upper": "0.8792",
                            "on_time": {
                                "completed": 90,
                                "measured": 90,
                                "on_time": 81,
                                "rate": "0.9000",
                            },
                        }
                    ],
                    "count": 1,
                }
            ]
        }
    )


class CommentPublic(BaseModel):
    """An anonymous comment: no name, ticket, room or time."""

    overall: int
    comment: str
    period: str
    source: SurveySource


class CommentsPublic(BaseModel):
    data: list[CommentPublic]
    count: int


class TeamResults(BaseModel):
    score: TeamScorePublic
    distributions: dict[str, dict[str, int]] = Field(
        description="Per question: answer value → counted answers."
    )
    comments: list[CommentPublic]


class ResponseReview(BaseModel):
    """An answer as the logistics office sees it when reviewing flags."""

    id: int
    invitation_id: int
    student_id: int
    team: TeamRef
    period: str
    source: SurveySource
    overall: int
    dimensions: Dimensions
    recommend: int | None
    comment: str | None
    opened_at: datetime | None
    submitted_at: datetime
    seconds_to_answer: int | None
    via_bot: bool
    flags: list[FlagReason]
    counted: bool
    cleared_by: int | None
    cleared_at: datetime | None
    clear_note: str | None


class ResponseReviews(BaseModel):
    data: list[ResponseReview]
    count: int
    total: int


class FlagClear(BaseModel):
    note: Annotated[str, Field(min_length=3, max_length=500)]

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"note": "Checked: a study group answered together."}]},
    )


class LeaderboardEntry(BaseModel):
    rank: int
    team: TeamRef
    adjusted_score: Decimal


class LeaderboardPublic(BaseModel):
    period: str
    data: list[LeaderboardEntry]
    count: int


def dimensions_of(row: Any) -> Dimensions:
    return Dimensions(
        tangibles=row.tangibles,
        reliability=row.reliability,
        responsiveness=row.responsiveness,
        assurance=row.assurance,
        empathy=row.empathy,
    )
