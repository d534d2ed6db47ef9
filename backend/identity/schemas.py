from pydantic import BaseModel, ConfigDict

from backend.identity.models import Locale, Role


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 - OAuth2 field name
    expires_in: int

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"access_token": "eyJhbGciOi…", "token_type": "bearer", "expires_in": 1800}
            ]
        }
    )


class UserPublic(BaseModel):
    id: int
    username: str
    name: str
    role: Role
    locale: Locale

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": 1,
                    "username": "s20240001",
                    "name": "李华",
                    "role": "student",
                    "locale": "zh",
                }
            ]
        },
    )
