import httpx
import pytest
import respx
from fastapi import FastAPI

from backend.chat.rasa import RasaClient
from backend.core.cache import RedisCache

STATUS = "http://rasa.test/status"


@pytest.fixture
def rasa() -> respx.MockRouter:
    with respx.mock(assert_all_called=False) as router:
        yield router


async def test_healthy_when_database_cache_and_bot_answer(
    client: httpx.AsyncClient, rasa: respx.MockRouter
) -> None:
    route = rasa.get(STATUS).respond(json={"model_file": "houqin-abc.tar.gz"})
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "bot": "ok"},
    }
    assert route.calls.last.request.url.params["token"]  # Rasa's API is token-protected


async def test_bot_down_is_503_naming_the_bot(
    client: httpx.AsyncClient, rasa: respx.MockRouter
) -> None:
    rasa.get(STATUS).mock(side_effect=httpx.ConnectError("refused"))
    response = await client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["bot"].startswith("down: ConnectError")


async def test_bot_without_a_model_is_not_healthy(
    client: httpx.AsyncClient, rasa: respx.MockRouter
) -> None:
    rasa.get(STATUS).respond(json={"model_file": None})
    response = await client.get("/healthz")
    assert response.status_code == 503
    assert "no model" in response.json()["checks"]["bot"]


async def test_unreachable_cache_is_503_naming_the_cache(
    app: FastAPI, rasa: respx.MockRouter
) -> None:
    rasa.get(STATUS).respond(json={"model_file": "m.tar.gz"})
    app.state.cache = RedisCache("redis://127.0.0.1:1/0")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as client:
        response = await client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"].startswith("down:")
    assert response.json()["checks"]["bot"] == "ok"


async def test_one_replica_down_of_two_is_healthy_and_named(
    app: FastAPI, rasa: respx.MockRouter
) -> None:
    urls = ["http://rasa-1.test", "http://rasa-2.test"]
    rasa.get(f"{urls[0]}/status").respond(json={"model_file": "m.tar.gz"})
    rasa.get(f"{urls[1]}/status").mock(side_effect=httpx.ConnectError("refused"))
    app.state.rasa = RasaClient(
        http=app.state.http, urls=urls, token="t" * 32, timeout=4, retry_seconds=5
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as client:
        response = await client.get("/healthz")
        assert response.status_code == 200
        checks = response.json()["checks"]
        assert checks["bot"] == "ok"
        assert checks[f"bot {urls[0]}"] == "ok"
        assert checks[f"bot {urls[1]}"].startswith("down: ConnectError")

        rasa.get(f"{urls[0]}/status").mock(side_effect=httpx.ConnectError("refused"))
        response = await client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["bot"].startswith("down: none of the 2")
