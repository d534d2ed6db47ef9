import re
from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

ISO_WEEK = r"^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$"


def week_start(week: str) -> date:
    year, number = re.fullmatch(r"(\d{4})-W(\d{2})", week).groups()  # type: ignore[union-attr]
    return date.fromisocalendar(int(year), int(number), 1)


def _a_real_week(week: str) -> str:
    """2026-W53 or 0000-W01 match the pattern but are no week: 422, not a crash."""
    try:
        week_start(week)
    except ValueError as exc:
        raise ValueError(f"{week} is not an ISO week of years 1–9999") from exc
    return week


IsoWeek = Annotated[
    str, Field(pattern=ISO_WEEK, examples=["2026-W49"]), AfterValidator(_a_real_week)
]


class UnansweredGroup(BaseModel):
    """Student messages the bot could not serve that share their key terms. No student
    is named: only how many asked and a few of the texts (long numbers masked)."""

    id: int = Field(description="The group's first message: pass it to /draft.")
    building_code: str | None = Field(description="Where the askers lived then (null: nowhere).")
    week: str
    count: int
    terms: list[str] = Field(description="The normalised terms most of the group shares.")
    examples: list[str] = Field(description="Up to three distinct texts, most recent first.")


class UnansweredGroups(BaseModel):
    data: list[UnansweredGroup]
    count: int
    week: str

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "data": [
                        {
                            "id": 812,
                            "building_code": "B7",
                            "week": "2026-W49",
                            "count": 4,
                            "terms": ["bike", "park"],
                            "examples": ["where can I park my bike", "bike parking near B7?"],
                        }
                    ],
                    "count": 1,
                    "week": "2026-W49",
                }
            ]
        }
    )


class DraftRequest(BaseModel):
    """Draft a guidance article from one group (``id`` from the list, same week and
    building): unpublished, in the group's building; edit it and publish it with
    PATCH /guidance/{id} (``published: true``)."""

    id: int
    week: IsoWeek
    building: str | None = Field(
        default=None, max_length=16, description="Building code; a dorm manager's own if omitted."
    )

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"id": 812, "week": "2026-W49", "building": "B7"}]},
    )
