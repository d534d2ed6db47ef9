import asyncio
import json
import time
from collections.abc import AsyncIterator

import httpx
import jwt
import pytest
import respx
from fastapi import FastAPI
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.chat.models import ChatMessage, Speaker
from backend.chat.pipeline import visible
from backend.chat.schemas import BotMessage
from backend.core.config import Settings
from backend.identity.models import Locale, Role
from backend.main import create_app
from tests.backend.conftest import UserFactory
from tests.backend.helpers import login, use_test_session

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
    student = await make_user()
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client,
    ):
        use_test_session(app, session)
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
    assert response.json()["errors"][0]["field"] == "body.message"
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


async def test_both_sides_are_kept_in_the_students_transcript(
    client: httpx.AsyncClient, make_user: UserFactory, rasa: respx.MockRouter
) -> None:
    student = await make_user(locale=Locale.zh)
    rasa.post(WEBHOOK).respond(
        json=[
            {"recipient_id": "1", "text": "Lunch today: noodles"},
            {"recipient_id": "1", "buttons": [{"title": "Dinner?", "payload": "/meals_ask_menu"}]},
        ]
    )
    headers = await login(client, student)
    sent = await client.post(
        "/api/v1/chat",
        json={"message": "lunch today?"},
        headers={**headers, "X-Houqin-Channel": "app"},
    )
    assert sent.status_code == 200
    history = (await client.get("/api/v1/chat/history", headers=headers)).json()
    assert history["count"] == 3
    assert history["has_more"] is False
    rows = [(m["role"], m["text"], m["channel"], m["language"]) for m in history["data"]]
    assert rows == [
        ("student", "lunch today?", "app", "en"),
        ("bot", "Lunch today: noodles", "app", "en"),
        ("bot", None, "app", "en"),
    ]
    assert history["data"][2]["buttons"] == [{"title": "Dinner?", "payload": "/meals_ask_menu"}]
    other = await login(client, await make_user())
    assert (await client.get("/api/v1/chat/history", headers=other)).json()["count"] == 0


async def test_history_pages_back_and_can_be_deleted(
    client: httpx.AsyncClient, make_user: UserFactory, rasa: respx.MockRouter
) -> None:
    rasa.post(WEBHOOK).respond(json=[{"recipient_id": "1", "text": "ok"}])
    student = await make_user()
    headers = await login(client, student)
    for n in range(3):
        assert (
            await client.post("/api/v1/chat", json={"message": f"m{n}"}, headers=headers)
        ).is_success
    newest = (await client.get("/api/v1/chat/history?limit=4", headers=headers)).json()
    assert [m["text"] for m in newest["data"]] == ["m1", "ok", "m2", "ok"]
    assert newest["has_more"] is True
    older = await client.get(
        f"/api/v1/chat/history?limit=4&before={newest['data'][0]['id']}", headers=headers
    )
    assert [m["text"] for m in older.json()["data"]] == ["m0", "ok"]
    assert older.json()["has_more"] is False
    assert (await client.delete("/api/v1/chat/history", headers=headers)).status_code == 204
    assert (await client.get("/api/v1/chat/history", headers=headers)).json()["count"] == 0
    bad = await client.get("/api/v1/chat/history?limit=1000", headers=headers)
    assert bad.status_code == 422


async def test_the_students_message_is_kept_when_the_bot_is_down(
    client: httpx.AsyncClient, make_user: UserFactory, rasa: respx.MockRouter
) -> None:
    rasa.post(WEBHOOK).mock(side_effect=httpx.ConnectError("refused"))
    headers = await login(client, await make_user())
    response = await client.post("/api/v1/chat", json={"message": "hello?"}, headers=headers)
    assert response.status_code == 503
    history = (await client.get("/api/v1/chat/history", headers=headers)).json()
    assert [(m["role"], m["text"]) for m in history["data"]] == [("student", "hello?")]


async def test_a_message_the_bot_could_not_serve_is_marked_for_the_console(
    client: httpx.AsyncClient,
    session: AsyncSession,
    make_user: UserFactory,
    rasa: respx.MockRouter,
) -> None:
    rasa.post(WEBHOOK).respond(
        json=[
            {"recipient_id": "1", "text": "I can help with meals, dorms and repairs."},
            {"recipient_id": "1", "custom": {"unanswered": True}},
        ]
    )
    student = await make_user()
    headers = await login(client, student)
    answer = await client.post("/api/v1/chat", json={"message": "stock tips?"}, headers=headers)
    assert answer.status_code == 200
    # The marker travels as a message of its own: no client gets it, nor an empty message.
    assert answer.json()["messages"] == [
        {
            "text": "I can help with meals, dorms and repairs.",
            "buttons": [],
            "image": None,
            "custom": None,
        }
    ]
    rasa.post(WEBHOOK).respond(json=[{"recipient_id": "1", "text": "Lunch: noodles"}])
    assert (
        await client.post("/api/v1/chat", json={"message": "lunch?"}, headers=headers)
    ).is_success
    rows = (
        await session.exec(
            select(ChatMessage)
            .where(ChatMessage.user_id == student.id, ChatMessage.role == Speaker.student)
            .order_by(col(ChatMessage.id))
        )
    ).all()
    assert [(m.text, bool(m.unanswered)) for m in rows] == [
        ("stock tips?", True),
        ("lunch?", False),
    ]
    history = (await client.get("/api/v1/chat/history", headers=headers)).json()["data"]
    assert [m["text"] for m in history if m["role"] == "bot"] == [
        "I can help with meals, dorms and repairs.",
        "Lunch: noodles",
    ]  # the marker itself is never shown


def test_only_the_marker_is_taken_out_of_what_clients_see() -> None:
    replies = [
        BotMessage(custom={"unanswered": True}),
        BotMessage(text="Pick one", custom={"unanswered": True, "hint": "menu"}),
        BotMessage(custom={"map": "B7"}),
        BotMessage(),
    ]
    assert visible(replies) == [
        BotMessage(text="Pick one", custom={"hint": "menu"}),
        BotMessage(custom={"map": "B7"}),
    ]
