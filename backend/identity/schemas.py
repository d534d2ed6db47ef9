from typing import Annotated, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from backend.identity.models import Allergen, Diet, Locale, Role, TeamKind, Trade

T = TypeVar("T")


class Token(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"  # noqa: S105 - OAuth2 field name
    expires_in: int

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "access_token": "eyJhbGciOi…",
                    "refresh_token": "m2Vh3…",
                    "token_type": "bearer",
                    "expires_in": 900,
                }
            ]
        }
    )


class RefreshRequest(BaseModel):
    refresh_token: str = Field(min_length=10, max_length=200)


class TeamRef(BaseModel):
    """A team as other domains name it (a ticket's crew, a score's team)."""

    slug: str
    name_en: str
    name_zh: str

    model_config = ConfigDict(from_attributes=True)


class TeamBrief(BaseModel):
    id: int
    slug: str
    name_en: str
    name_zh: str
    kind: TeamKind
    trade: Trade | None = None
    canteen: str | None = Field(default=None, description="A canteen team's canteen (slug).")

    model_config = ConfigDict(from_attributes=True)


class RoomBrief(BaseModel):
    building_code: str
    building_name_en: str
    building_name_zh: str
    room: str


class UserPublic(BaseModel):
    id: int
    username: str
    name: str
    role: Role
    locale: Locale
    diets: list[Diet] = []
    allergens: list[Allergen] = []
    team: TeamBrief | None = None
    room: RoomBrief | None = None

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": 1,
                    "username": "s20240001",
                    "name": "李华 Li Hua",
                    "role": "student",
                    "locale": "zh",
                    "diets": ["halal"],
                    "allergens": ["peanut"],
                    "team": None,
                    "room": {
                        "building_code": "B7",
                        "building_name_en": "Building 7",
                        "building_name_zh": "7号楼",
                        "room": "312",
                    },
                }
            ]
        },
    )


def _unique(values: list[T]) -> list[T]:
    return list(dict.fromkeys(values))


class MeUpdate(BaseModel):
    """What a user may change about themselves; any other field is refused (422)."""

    locale: Locale | None = Field(default=None, description="Reply and notification language.")
    diets: Annotated[list[Diet], AfterValidator(_unique)] | None = None
    allergens: Annotated[list[Allergen], AfterValidator(_unique)] | None = None

    @model_validator(mode="after")
    def _omit_rather_than_null(self) -> "MeUpdate":
        if nulls := sorted(name for name in self.model_fields_set if getattr(self, name) is None):
            raise ValueError(f"{', '.join(nulls)}: omit a field to leave it unchanged, not null")
        return self

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"locale": "en", "diets": ["vegetarian"], "allergens": ["peanut"]}]
        },
    )
