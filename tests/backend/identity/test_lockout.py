"""Failed sign-ins slow the guessing address down and never lock the owner out
(issue 17, finding 5): counted per name AND address, exponential delay after five."""

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from backend.core.cache import Cache
from backend.identity.service import FREE_FAILURES, MAX_DELAY_SECONDS, delay_after, wait_key
from tests.backend.conftest import UserFactory
from tests.backend.helpers import TEST_PASSWORD

ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"


@pytest.fixture
async def from_address(app: FastAPI) -> AsyncIterator[dict[str, httpx.AsyncClient]]:
    """One client per source address, on the same app (and cache)."""
    clients = {}
    for address in (ATTACKER, OWNER):
        transport = httpx.ASGITransport(app=app, client=(address, 40000))
        clients[address] = httpx.AsyncClient(transport=transport, base_url="http://test")
    yield clients
    for client in clients.values():
        await client.aclose()


async def attempt(client: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    return await client.post(
        "/api/v1/auth/token", data={"username": username, "password": password}
    )


def cache_of(app: FastAPI) -> Cache:
    cache: Cache = app.state.cache
    return cache


async def test_the_owner_gets_in_from_another_address_while_the_attacker_waits(
    from_address: dict[str, httpx.AsyncClient], make_user: UserFactory
) -> None:
    """The tester's case: wrong passwords from one address no longer lock the account."""
    victim = await make_user()
    attacker, owner = from_address[ATTACKER], from_address[OWNER]
    codes = [
        (await attempt(attacker, victim.username, "wrong")).status_code
        for _ in range(FREE_FAILURES + 1)
    ]
    assert codes == [401] * (FREE_FAILURES + 1)
    throttled = await attempt(attacker, victim.username, "wrong")
    assert throttled.status_code == 429
    assert throttled.json()["error"] == "SignInThrottled"
    assert 1 <= int(throttled.headers["retry-after"]) <= delay_after(FREE_FAILURES + 1)
    # Even the right password waits at the guessing address …
    assert (await attempt(attacker, victim.username, TEST_PASSWORD)).status_code == 429
    # … but the owner, from their own address, signs in at once.
    assert (await attempt(owner, victim.username, TEST_PASSWORD)).status_code == 200


async def test_the_delay_doubles_with_each_failure(
    app: FastAPI, from_address: dict[str, httpx.AsyncClient], make_user: UserFactory
) -> None:
    user = await make_user()
    attacker = from_address[ATTACKER]
    name = user.username.lower()
    waits = []
    for _ in range(FREE_FAILURES + 4):
        assert (await attempt(attacker, user.username, "wrong")).status_code == 401
        waits.append(round(await cache_of(app).ttl(wait_key(name, ATTACKER)) or 0))
        await cache_of(app).delete(wait_key(name, ATTACKER))  # as if the wait had passed
    assert waits == [0] * FREE_FAILURES + [2, 4, 8, 16]
    assert delay_after(100) == MAX_DELAY_SECONDS


async def test_success_resets_the_count(
    from_address: dict[str, httpx.AsyncClient], make_user: UserFactory
) -> None:
    user = await make_user()
    client = from_address[OWNER]
    for _ in range(FREE_FAILURES):
        await attempt(client, user.username, "wrong")
    assert (await attempt(client, user.username, TEST_PASSWORD)).status_code == 200
    for _ in range(FREE_FAILURES + 1):
        assert (await attempt(client, user.username, "wrong")).status_code == 401


async def test_unknown_names_are_slowed_the_same_way(
    from_address: dict[str, httpx.AsyncClient],
) -> None:
    client = from_address[ATTACKER]
    codes = [(await attempt(client, "s00000000", "x")).status_code for _ in range(8)]
    assert codes == [401] * (FREE_FAILURES + 1) + [429, 429]


async def test_the_delay_is_per_name(
    from_address: dict[str, httpx.AsyncClient], make_user: UserFactory
) -> None:
    victim, other = await make_user(), await make_user()
    client = from_address[ATTACKER]
    for _ in range(FREE_FAILURES + 1):
        await attempt(client, victim.username, "wrong")
    assert (await attempt(client, victim.username, TEST_PASSWORD)).status_code == 429
    assert (await attempt(client, other.username, TEST_PASSWORD)).status_code == 200


@pytest.mark.parametrize("username", ["S20240001 ", "s20240001"])
async def test_name_variants_share_one_counter(
    from_address: dict[str, httpx.AsyncClient], username: str
) -> None:
    client = from_address[ATTACKER]
    for _ in range(FREE_FAILURES + 1):
        await attempt(client, "s20240001", "wrong")
    assert (await attempt(client, username, "wrong")).status_code == 429


async def test_one_address_is_limited_across_names(client: httpx.AsyncClient) -> None:
    codes = [(await attempt(client, f"guess{n}", "x")).status_code for n in range(31)]
    assert codes[:30] == [401] * 30
    assert codes[30] == 429
