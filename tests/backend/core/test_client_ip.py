"""Per-address limits count the real client (issue 17, finding 2).

X-Forwarded-For is believed only from a configured proxy (``HOUQIN_TRUSTED_PROXIES``,
empty by default), and then only the part our proxy appended.
"""

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from ipaddress import ip_network

import httpx
import pytest

from backend.core.config import Settings
from backend.identity.router import LOGIN_PER_IP
from backend.main import create_app
from tests.backend.conftest import TEST_SECRETS

PROXY = "127.0.0.1"  # the ASGI test client's peer address


@asynccontextmanager
async def client_for(settings: Settings, proxies: str) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(
        settings.model_copy(
            update={
                "cache_prefix": f"test:{uuid.uuid4().hex}:",
                "trusted_proxies": Settings(
                    env="development", trusted_proxies=proxies, **TEST_SECRETS
                ).trusted_proxies,
            }
        )
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=(PROXY, 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


async def login(client: httpx.AsyncClient, forwarded_for: str | None) -> int:
    """One failed sign-in (a new name each time: only the per-address limit applies)."""
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    response = await client.post(
        "/api/v1/auth/token",
        data={"username": f"guess-{uuid.uuid4().hex[:8]}", "password": "x"},
        headers=headers,
    )
    if response.status_code == 429:
        assert response.json()["error"] == "RateLimited"
    return response.status_code


async def test_by_default_the_header_is_ignored(settings: Settings) -> None:
    """The tester's bypass: 31 logins as 10.77.0.1, then 10.77.0.2 — still 429."""
    async with client_for(settings, "") as client:
        codes = [await login(client, "10.77.0.1") for _ in range(LOGIN_PER_IP.requests)]
        assert 429 not in codes
        assert await login(client, "10.77.0.1") == 429
        for other in ("10.77.0.2", "10.77.0.3, 10.77.0.4", None):
            assert await login(client, other) == 429


async def test_behind_a_trusted_proxy_each_client_has_its_own_bucket(settings: Settings) -> None:
    async with client_for(settings, f"{PROXY}, 10.0.0.0/8") as client:
        for _ in range(LOGIN_PER_IP.requests):
            await login(client, "203.0.113.7")
        assert await login(client, "203.0.113.7") == 429
        # The client prepends a made-up address; our proxy appended the real one.
        assert await login(client, "198.51.100.1, 203.0.113.7") == 429
        # Hops through our own proxies (10/8) are skipped to the client.
        assert await login(client, "203.0.113.7, 10.1.2.3") == 429
        # Someone else behind the proxy is not limited by that client.
        assert await login(client, "203.0.113.8") == 401


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", []),
        ("127.0.0.1", ["127.0.0.1/32"]),
        (" 10.0.0.0/8 , ::1 ", ["10.0.0.0/8", "::1/128"]),
    ],
)
def test_the_setting_is_a_comma_separated_list(value: str, expected: list[str]) -> None:
    parsed = Settings(env="development", trusted_proxies=value, **TEST_SECRETS).trusted_proxies
    assert parsed == [ip_network(network) for network in expected]


def test_a_bad_proxy_address_refuses_to_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOUQIN_TRUSTED_PROXIES", "10.0.0.0/8,not-an-address")
    with pytest.raises(ValueError, match="not-an-address"):
        Settings(env="development", **TEST_SECRETS)


def test_the_default_trusts_no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HOUQIN_TRUSTED_PROXIES", raising=False)
    assert Settings(env="development", **TEST_SECRETS).trusted_proxies == []
