import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.types import Message, Receive, Scope, Send

from backend.core.config import Settings
from backend.core.limits import OVERLOADED, InFlightLimit
from backend.main import create_app
from tests.backend.conftest import UserFactory
from tests.backend.helpers import login


async def test_oversized_json_is_413_before_the_route(
    client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    headers = await login(client, await make_user())
    response = await client.patch(
        "/api/v1/me", content=b'{"locale": "' + b"x" * 70_000 + b'"}', headers=headers
    )
    assert response.status_code == 413
    assert response.json()["error"] == "PayloadTooLarge"


async def test_streamed_body_without_length_is_counted(
    client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    headers = {**await login(client, await make_user()), "Content-Type": "application/json"}

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(20):
            yield b" " * 8192

    response = await client.patch("/api/v1/me", content=chunks(), headers=headers)
    assert response.status_code == 413


async def test_normal_bodies_pass(client: httpx.AsyncClient, make_user: UserFactory) -> None:
    headers = await login(client, await make_user())
    response = await client.patch("/api/v1/me", json={"locale": "zh"}, headers=headers)
    assert response.status_code == 200


@pytest.mark.database_free
async def test_a_worker_at_its_in_flight_limit_refuses_at_once_and_recovers() -> None:
    started, release = asyncio.Event(), asyncio.Event()

    async def slow(request: Request) -> PlainTextResponse:
        started.set()
        await release.wait()
        return PlainTextResponse("done")

    async def fast(request: Request) -> PlainTextResponse:
        return PlainTextResponse("ok")

    inner = Starlette(routes=[Route("/slow", slow), Route("/fast", fast), Route("/healthz", fast)])
    limited = InFlightLimit(inner, limit=1, exempt=("/healthz",))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=limited), base_url="http://test"
    ) as client:
        first = asyncio.create_task(client.get("/slow"))
        await started.wait()

        refused = await client.get("/fast")
        assert refused.status_code == 503
        assert refused.headers["retry-after"] == "1"
        assert refused.json() == {"error": "Overloaded", "detail": OVERLOADED}
        assert (await client.get("/healthz")).status_code == 200  # health checks still answer

        release.set()
        assert (await first).text == "done"
        assert limited.in_flight == 0
        assert (await client.get("/fast")).status_code == 200


@pytest.mark.database_free
async def test_a_request_stops_counting_once_its_response_is_sent() -> None:
    """Work after the response (a rollback, a background task) must not make a keep-alive
    client's next request look like a second one in flight."""
    answered, finish = asyncio.Event(), asyncio.Event()

    async def answers_then_works(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["path"] == "/next":
            await PlainTextResponse("next")(scope, receive, send)
            return
        await PlainTextResponse("answered")(scope, receive, send)
        answered.set()
        await finish.wait()  # still working after the client has its answer

    limited = InFlightLimit(answers_then_works, limit=1)
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    async def send(message: Message) -> None:
        sent.append(message)

    def request(path: str) -> Scope:
        return {"type": "http", "method": "GET", "path": path, "headers": [], "query_string": b""}

    tail = asyncio.create_task(limited(request("/"), receive, send))
    await answered.wait()
    assert limited.in_flight == 0
    await limited(request("/next"), receive, send)
    assert [m["status"] for m in sent if m["type"] == "http.response.start"] == [200, 200]
    finish.set()
    await tail
    assert limited.in_flight == 0


@pytest.mark.database_free
async def test_a_failing_request_frees_its_place() -> None:
    async def broken(request: Request) -> PlainTextResponse:
        raise RuntimeError("boom")

    limited = InFlightLimit(Starlette(routes=[Route("/", broken)]), limit=1)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=limited, raise_app_exceptions=False),
        base_url="http://test",
    ) as client:
        for _ in range(3):
            assert (await client.get("/")).status_code == 500
    assert limited.in_flight == 0


def test_the_app_limits_requests_in_flight_per_worker(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"max_in_flight": 7}))
    [limit] = [m for m in app.user_middleware if m.cls is InFlightLimit]
    assert limit.kwargs == {"limit": 7, "exempt": ("/healthz",)}
    assert app.user_middleware[0] is limit  # outermost: refuses before any other work
