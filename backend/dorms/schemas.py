from datetime import date, datetime, time
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from backend.dorms.models import MoveKind

# "23:00-07:00": from-to in campus time; the end may be after midnight.
HOURS_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$"
Hours = Annotated[
    str,
    Field(pattern=HOURS_PATTERN, description="From-to in campus time, 'HH:MM-HH:MM'."),
]


def format_hours(start: time, end: time) -> str:
    return f"{start:%H:%M}-{end:%H:%M}"


def parse_hours(hours: str) -> tuple[time, time]:
    start, end = hours.split("-")
    return time.fromisoformat(start), time.fromisoformat(end)


class ManagerContact(BaseModel):
    name: str
    phone: str
    email: str
    office_en: str
    office_zh: str


class BuildingPublic(BaseModel):
    code: str
    name_en: str
    name_zh: str
    quiet_hours: str = Field(description="Quiet hours, 'HH:MM-HH:MM' (campus time).")
    door_lock: str = Field(description="When the front door is locked, 'HH:MM-HH:MM'.")
    visitor_rules_en: str
    visitor_rules_zh: str
    laundry_en: str
    laundry_zh: str
    top_up_en: str = Field(description="Electricity and water top-up.")
    top_up_zh: str
    manager: ManagerContact

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "code": "B7",
                    "name_en": "Building 7 (Bamboo)",
                    "name_zh": "7号楼（竹园）",
                    "quiet_hours": "22:30-07:00",
                    "door_lock": "23:00-06:00",
                    "visitor_rules_en": "Visitors sign in at the front desk, 08:00-22:00.",
                    "visitor_rules_zh": "访客须在一楼值班室登记，开放时间08:00-22:00。",
                    "laundry_en": "Basement B1, 8 washers and 4 dryers, pay in the app.",
                    "laundry_zh": "地下一层洗衣房，8台洗衣机、4台烘干机，扫码支付。",
                    "top_up_en": "Electricity and water: campus app → Dorm → Utilities.",
                    "top_up_zh": "电费、水费：校园App → 宿舍 → 水电缴费。",
                    "manager": {
                        "name": "Zhou Min 周敏",
                        "phone": "021-5566-0701",
                        "email": "b7@dorms.example.edu",
                        "office_en": "Room 101, ground floor",
                        "office_zh": "一楼101室",
                    },
                }
            ]
        }
    )


class BuildingsPublic(BaseModel):
    data: list[BuildingPublic]
    count: int


class RoomBrief(BaseModel):
    number: str
    floor: int


class DormPublic(BaseModel):
    building: BuildingPublic
    room: RoomBrief

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "building": BuildingPublic.model_config["json_schema_extra"]["examples"][0],  # type: ignore[index]
                    "room": {"number": "312", "floor": 3},
                }
            ]
        }
    )


def _no_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value.strip()


Text = Annotated[str, Field(min_length=1, max_length=2000), AfterValidator(_no_blank)]
Short = Annotated[str, Field(min_length=1, max_length=100), AfterValidator(_no_blank)]


class _Partial(BaseModel):
    @model_validator(mode="after")
    def _omit_rather_than_null(self) -> "_Partial":
        if nulls := sorted(name for name in self.model_fields_set if getattr(self, name) is None):
            raise ValueError(f"{', '.join(nulls)}: omit a field to leave it unchanged, not null")
        return self


class ManagerUpdate(_Partial):
    name: Short | None = None
    phone: Annotated[str, Field(pattern=r"^[0-9+\-() ]{3,32}$")] | None = None
    email: Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=100)] | None = (
        None
    )
    office_en: Short | None = None
    office_zh: Short | None = None

    model_config = ConfigDict(extra="forbid")


class BuildingUpdate(_Partial):
    """What dorm managers may change about their building; omitted fields stay."""

    quiet_hours: Hours | None = None
    door_lock: Hours | None = None
    visitor_rules_en: Text | None = None
    visitor_rules_zh: Text | None = None
    laundry_en: Text | None = None
    laundry_zh: Text | None = None
    top_up_en: Text | None = None
    top_up_zh: Text | None = None
    manager: ManagerUpdate | None = None

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"quiet_hours": "22:30-07:00", "manager": {"phone": "021-5566-0701"}}]
        },
    )


class TermBrief(BaseModel):
    code: str
    name_en: str
    name_zh: str
    starts_on: date
    ends_on: date

    model_config = ConfigDict(from_attributes=True)


class ChecklistItemPublic(BaseModel):
    id: int
    text_en: str
    text_zh: str
    due_on: date | None = Field(description="The day this step is due, if it has one.")


class ChecklistPublic(BaseModel):
    kind: MoveKind
    title_en: str
    title_zh: str
    opens_on: date
    closes_on: date
    note_en: str
    note_zh: str
    items: list[ChecklistItemPublic]


class ChecklistsPublic(BaseModel):
    building_code: str
    term: TermBrief
    data: list[ChecklistPublic]
    count: int

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "building_code": "B7",
                    "term": {
                        "code": "2026-autumn",
                        "name_en": "Autumn 2026",
                        "name_zh": "2026年秋季学期",
                        "starts_on": "2026-09-07",
                        "ends_on": "2027-01-15",
                    },
                    "data": [
                        {
                            "kind": "move_in",
                            "title_en": "Move-in",
                            "title_zh": "入住",
                            "opens_on": "2026-09-04",
                            "closes_on": "2026-09-06",
                            "note_en": "Front desk open 08:00-20:00.",
                            "note_zh": "值班室08:00-20:00办理。",
                            "items": [
                                {
                                    "id": 1,
                                    "text_en": "Collect your key and door card at the front desk.",
                                    "text_zh": "到一楼值班室领取钥匙和门禁卡。",
                                    "due_on": "2026-09-06",
                                }
                            ],
                        }
                    ],
                    "count": 1,
                }
            ]
        }
    )


# --- guidance -------------------------------------------------------------------------


class GuidanceHit(BaseModel):
    id: int
    title_en: str
    title_zh: str
    summary_en: str
    summary_zh: str
    tags: list[str]
    building_code: str | None
    score: float = Field(description="Ranking score (higher is better); only relevant hits.")


class GuidanceHits(BaseModel):
    data: list[GuidanceHit]
    count: int

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "data": [
                        {
                            "id": 12,
                            "title_en": "Door-lock hours in Building 12",
                            "title_zh": "12号楼门禁时间",
                            "summary_en": "The front door locks at 00:00 and opens at 06:00.",
                            "summary_zh": "大门00:00关闭，06:00开启。",
                            "tags": ["door-lock", "rules"],
                            "building_code": "B12",
                            "score": 9.731,
                        }
                    ],
                    "count": 1,
                }
            ]
        }
    )


class GuidanceArticlePublic(BaseModel):
    id: int
    title_en: str
    title_zh: str
    body_en: str
    body_zh: str
    tags: list[str]
    building_code: str | None

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 17,
                    "title_en": "Lost your room key?",
                    "title_zh": "钥匙丢了怎么办",
                    "body_en": "Go to your building's front desk with your student ID…",
                    "body_zh": "请携带学生证到本楼值班室……",
                    "tags": ["key", "lost"],
                    "building_code": None,
                }
            ]
        }
    )


class GuidanceArticleStaff(GuidanceArticlePublic):
    """What staff see after a write: everything that is indexed."""

    slug: str
    topic: str
    summary_en: str
    summary_zh: str
    aliases: list[str]
    published: bool = Field(description="False: a draft, found by no search yet.")
    updated_at: datetime


class GuidanceArticlesStaff(BaseModel):
    building_code: str | None = Field(description="The building listed (null: general rules).")
    data: list[GuidanceArticleStaff]
    count: int


Tag = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9\-]{0,31}$")]
Alias = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(_no_blank)]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9\-]{1,47}$")]
Title = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_no_blank)]
Body = Annotated[str, Field(min_length=1, max_length=20000), AfterValidator(_no_blank)]


class GuidanceCreate(BaseModel):
    """A new article. ``building_code`` null makes a general rule (logistics office only);
    with the same ``topic`` as a general rule it is that building's version of it."""

    slug: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9\-]{1,63}$")]
    topic: Slug
    building_code: str | None = None
    title_en: Title
    title_zh: Title
    summary_en: Text
    summary_zh: Text
    body_en: Body
    body_zh: Body
    tags: Annotated[list[Tag], Field(max_length=12)] = []
    aliases: Annotated[list[Alias], Field(max_length=40)] = []

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "slug": "quiet-hours-b7",
                    "topic": "quiet-hours",
                    "building_code": "B7",
                    "title_en": "Quiet hours in Building 7",
                    "title_zh": "7号楼安静时间",
                    "summary_en": "Quiet hours in Building 7 are 22:30-07:00.",
                    "summary_zh": "7号楼安静时间为22:30至次日07:00。",
                    "body_en": "Building 7 is next to the library, so quiet hours start earlier…",
                    "body_zh": "7号楼紧邻图书馆，安静时间提前开始……",
                    "tags": ["quiet-hours", "noise"],
                    "aliases": ["quiet time", "安静时间", "熄灯"],
                }
            ]
        },
    )


class GuidanceUpdate(_Partial):
    """Change an article; omitted fields stay. Its building and topic cannot change."""

    title_en: Title | None = None
    title_zh: Title | None = None
    summary_en: Text | None = None
    summary_zh: Text | None = None
    body_en: Body | None = None
    body_zh: Body | None = None
    tags: Annotated[list[Tag], Field(max_length=12)] | None = None
    aliases: Annotated[list[Alias], Field(max_length=40)] | None = None
    published: bool | None = Field(
        default=None, description="true publishes a draft; false takes an article back."
    )

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"summary_en": "Quiet hours are now 22:00-07:00."}]},
    )


class ExplainedHit(BaseModel):
    id: int
    slug: str
    building_code: str | None
    relevant: bool
    score: float
    bm25: float
    coverage: float
    matched: list[str]
    why: list[str]


class SearchExplanation(BaseModel):
    query: str
    perspective_building_code: str | None
    terms: list[str] = Field(description="Query terms with weights: 'term×weight (how)'.")
    data: list[ExplainedHit]
    count: int
