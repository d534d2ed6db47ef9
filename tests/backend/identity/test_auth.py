from datetime import timedelta

import httpx
import jwt

from backend.core.config import Settings
from backend.core.security import create_token
from backend.identity.models import Locale, Role
from tests.backend.conftest import UserFactory
from tests.backend.helpers import TEST_PASSWORD, login


async def test_login_returns_a_bearer_token_for_me(
    client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    student = await make_user(locale=Locale.zh, name="李华")
    headers = await login(client, student)
    response = await client.get("/api/v1/me", headers=headers)
    assert response.status_code == 200
    assert response.json() == {
        "id": student.id,
        "username": student.username,
        "name": "李华",
        "role": "student",
        "locale": "zh",
        "diets": [],
        "allergens": [],
        "team": None,
        "room": None,
    }


async def test_wrong_password_and_unknown_user_get_the_same_401(
    client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    student = await make_user()
    wrong = await client.post(
        "/api/v1/auth/token", data={"username": student.username, "password": "nope"}
    )
    unknown = await client.post(
        "/api/v1/auth/token", data={"username": "s00000000", "password": TEST_PASSWORD}
    )
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert response.json()["error"] == "InvalidCredentials"
        assert response.headers["www-authenticate"] == "Bearer"


async def test_disabled_account_cannot_sign_in(
    client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    student = await make_user(is_active=False)
    response = await client.post(
        "/api/v1/auth/token", data={"username": student.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 401
    assert "disabled" in response.json()["detail"]


async def test_login_form_fields_are_required(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/auth/token", data={"username": "x"})
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "ValidationError"
    assert any(problem["field"].endswith("password") for problem in body["errors"])


async def test_me_needs_a_token(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["error"] == "NotAuthenticated"


async def test_tampered_and_expired_tokens_are_rejected(
    client: httpx.AsyncClient, make_user: UserFactory, settings: Settings
) -> None:
    student = await make_user()
    expired = create_token(
        secret=settings.secret("jwt_secret"),
        subject=student.id,
        kind="access",
        lifetime=timedelta(seconds=-1),
    )
    forged = jwt.encode({"sub": str(student.id), "typ": "access", "exp": 9999999999}, "x" * 32)
    for token in (expired, forged, "not-a-jwt"):
        response = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401
        assert response.json()["error"] == "InvalidToken"


async def test_delegation_token_works_only_with_the_bot_key(
    client: httpx.AsyncClient, make_user: UserFactory, settings: Settings
) -> None:
    student = await make_user()
    token = create_token(
        secret=settings.secret("jwt_secret"),
        subject=student.id,
        kind="delegation",
        lifetime=timedelta(minutes=5),
    )
    bearer = {"Authorization": f"Bearer {token}"}
    alone = await client.get("/api/v1/me", headers=bearer)
    assert alone.status_code == 401
    assert alone.json()["error"] == "BotCredentialRequired"
    wrong_key = await client.get("/api/v1/me", headers={**bearer, "X-Bot-Key": "guess"})
    assert wrong_key.status_code == 401
    as_bot = await client.get(
        "/api/v1/me", headers={**bearer, "X-Bot-Key": settings.secret("bot_secret")}
    )
    assert as_bot.status_code == 200
    assert as_bot.json()["id"] == student.id  # the bot sees exactly this student


async def test_token_of_a_deactivated_user_stops_working(
    client: httpx.AsyncClient, make_user: UserFactory, session
) -> None:
    staff = await make_user(role=Role.technician)
    headers = await login(client, staff)
    staff.is_active = False
    session.add(staff)
    await session.commit()
    response = await client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401


async def test_the_bot_can_only_act_for_students(
    client: httpx.AsyncClient, make_user: UserFactory, settings: Settings
) -> None:
    admin = await make_user(role=Role.logistics_admin)
    token = create_token(
        secret=settings.secret("jwt_secret"),
        subject=admin.id,
        kind="delegation",
        lifetime=timedelta(minutes=5),
    )
    response = await client.get(
        "/api/v1/me",
        headers={"Authorization": f"Bearer {token}", "X-Bot-Key": settings.secret("bot_secret")},
    )
    assert response.status_code == 401
