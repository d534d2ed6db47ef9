import asyncio
import json
import time
from collections.abc import AsyncIterator

import httpx
import jwt
import pytest
import respx
from fastapi import FastAPI
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.config import Settings
from backend.core.deps import get_session
from backend.identity.models import Locale, Role
from backend.main import create_app
from tests.backend.conftest import UserFactory
from tests.backend.helpers import login

WEBHOOK = "http://rasa.test/webhooks/rest/webhook"


@pytest.fixture
def rasa() -> respx.MockRouter:
    with respx.mock(assert_all_mocked=True, assert_all_called=False) as router:
        yield router


async def test_forwards_as_the_student_with_language_and_delegation(
    client: httpx.AsyncClient, make_user: UserFactory, rasa: respx.MockRouter, settings: Settings
) -> None:
    student = await make_user(locale=Locale.en)
    route = rasa.post(WEBHOOK).respond(
        json=[
            {"recipient_id": str(student.id), "text": "午餐有：宫保鸡丁"},
            {
                "recipient_id": str(student.id),
                "text": "Which meal?",
                "buttons": [{"title": "Lunch", "payload": '/meals_ask_menu{"meal":"lunch"}'}],
            },
        ]
    )
    headers = await login(client, student)
    response = await client.post(
        "/api/v1/chat", json={"message": "明天lunch有什么"}, headers=headers
    )
    assert response.status_code == 200
    assert response.json() == {
        "language": "zh",
        "messages": [
            {"text": "午餐有：宫保鸡丁", "buttons": [], "image": None, "custom": None},
            {
                "text": "Which meal?",
                "buttons": [{"title": "Lunch", "payload": '/meals_ask_menu{"meal":"lunch"}'}],
                "image": None,
                "custom": None,
            },
        ],
    }
    sent = json.loads(route.calls.last.request.content)
    assert sent["sender"] == str(student.id)
    assert sent["message"] == "明天lunch有什么"
    assert sent["metadata"]["language"] == "zh"
    assert sent["metadata"]["locale"] == "en"
    claims = jwt.decode(
        sent["metadata"]["token"], settings.secret("jwt_secret"), algorithms=["HS256"]
    )
    assert claims["sub"] == str(student.id)
    assert claims["typ"] == "delegation"
    assert claims["act"] == {"sub": "houqin-bot"}
    assert claims["exp"] - claims["iat"] <= settings.delegation_token_minutes * 60


@pytest.mark.parametrize(
    ("message", "locale", "expected"),
    [
        ("what's for lunch today?", Locale.zh, "en"),
        ("今天午饭吃什么", Locale.en, "zh"),
        ("3", Locale.zh, "zh"),
        ('/meals_ask_menu{"meal":"lunch"}', Locale.zh, "zh"),
    ],
)
async def test_reply_language_follows_the_message_then_the_profile(
    client: httpx.AsyncClient,
    make_user: UserFactory,
    rasa: respx.MockRouter,
    message: str,
    locale: Locale,
    expected: str,
) -> None:
    route = rasa.post(WEBHOOK).respond(json=[])
    headers = await login(client, await make_user(locale=locale))
    response = await client.post("/api/v1/chat", json={"message": message}, headers=headers)
    assert response.json()["language"] == expected
    assert json.loads(route.calls.last.request.content)["metadata"]["language"] == expected


@pytest.mark.parametrize(
    "failure",
    [
        httpx.Response(500, text="boom"),
        httpx.Response(200, text="<html>not json"),
        httpx.Response(200, json={"not": "a list"}),
        httpx.ConnectError("refused"),
        httpx.ReadTimeout("slow"),
    ],
)
async def test_bot_failures_become_503_bot_unavailable(
    client: httpx.AsyncClient,
    make_user: UserFactory,
    rasa: respx.MockRouter,
    failure: httpx.Response | Exception,
) -> None:
    route = rasa.post(WEBHOOK)
    if isinstance(failure, Exception):
        route.mock(side_effect=failure)
    else:
        route.mock(return_value=failure)
    headers = await login(client, await make_user())
    response = await client.post("/api/v1/chat", json={"message": "hi"}, headers=headers)
    assert response.status_code == 503
    assert response.json()["error"] == "BotUnavailable"
    assert response.headers["retry-after"]


@pytest.fixture
async def hanging_bot() -> AsyncIterator[str]:
    """A real socket that accepts connections and never answers."""
    held: list[asyncio.StreamWriter] = []

    async def accept(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    for writer in held:
        writer.close()
    server.close()
    await server.wait_closed()


async def test_a_hanging_bot_answers_503_within_five_seconds(
    settings: Settings, session: AsyncSession, make_user: UserFactory, hanging_bot: str
) -> None:
    app: FastAPI = create_app(settings.model_copy(update={"rasa_url": hanging_bot}))

    async def test_session() -> AsyncIterator[AsyncSession]:
        yield session

    app.dependency_overrides[get_session] = test_session
    student = await make_user()
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client,
    ):
        headers = await login(client, student)
        started = time.monotonic()
        response = await client.post("/api/v1/chat", json={"message": "hi"}, headers=headers)
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert elapsed < 5


async def test_only_students_chat(
    client: httpx.AsyncClient, make_user: UserFactory, rasa: respx.MockRouter
) -> None:
    route = rasa.post(WEBHOOK).respond(json=[])
    headers = await login(client, await make_user(role=Role.technician))
    response = await client.post("/api/v1/chat", json={"message": "hi"}, headers=headers)
    assert response.status_code == 403
    assert response.json()["error"] == "StudentsOnly"
    assert not route.called


@pytest.mark.parametrize("message", ["", "   ", "x" * 1001])
async def test_empty_or_huge_messages_are_rejected_before_the_bot(
    client: httpx.AsyncClient, make_user: UserFactory, rasa: respx.MockRouter, message: str
) -> None:
    route = rasa.post(WEBHOOK).respond(json=[])
    headers = await login(client, await make_user())
    response = await client.post("/api/v1/chat", json={"message": message}, headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "body.message"
    assert not route.called


async def test_chat_needs_sign_in(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/chat", json={"message": "hi"})
    assert response.status_code == 401


async def test_chat_is_rate_limited_per_student(
    client: httpx.AsyncClient, make_user: UserFactory, rasa: respx.MockRouter
) -> None:
    route = rasa.post(WEBHOOK).respond(json=[])
    headers = await login(client, await make_user())
    codes = [
        (await client.post("/api/v1/chat", json={"message": "hi"}, headers=headers)).status_code
        for _ in range(31)
    ]
    assert codes == [200] * 30 + [429]
    assert route.call_count == 30
    limited = await client.post("/api/v1/chat", json={"message": "hi"}, headers=headers)
    assert limited.json()["error"] == "RateLimited"
    assert 0 < int(limited.headers["retry-after"]) <= 60
    other = await login(client, await make_user())
    assert (
        await client.post("/api/v1/chat", json={"message": "hi"}, headers=other)
    ).status_code == 200
