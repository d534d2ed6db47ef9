import httpx
import pytest

from backend.identity.service import LOCKOUT_SECONDS, MAX_FAILED_LOGINS
from tests.backend.conftest import UserFactory
from tests.backend.helpers import TEST_PASSWORD


async def attempt(client: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    return await client.post(
        "/api/v1/auth/token", data={"username": username, "password": password}
    )


async def test_repeated_failures_lock_the_name_even_for_the_right_password(
    client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    user = await make_user()
    codes = [
        (await attempt(client, user.username, "wrong")).status_code
        for _ in range(MAX_FAILED_LOGINS)
    ]
    assert codes == [401] * (MAX_FAILED_LOGINS - 1) + [429]
    locked = await attempt(client, user.username, TEST_PASSWORD)
    assert locked.status_code == 429
    assert locked.json()["error"] == "AccountLocked"
    assert 0 < int(locked.headers["retry-after"]) <= LOCKOUT_SECONDS


async def test_unknown_names_lock_the_same_way(client: httpx.AsyncClient) -> None:
    codes = [(await attempt(client, "s00000000", "x")).status_code for _ in range(6)]
    assert codes == [401] * (MAX_FAILED_LOGINS - 1) + [429, 429]


async def test_success_resets_the_count(client: httpx.AsyncClient, make_user: UserFactory) -> None:
    user = await make_user()
    for _ in range(MAX_FAILED_LOGINS - 1):
        await attempt(client, user.username, "wrong")
    assert (await attempt(client, user.username, TEST_PASSWORD)).status_code == 200
    for _ in range(MAX_FAILED_LOGINS - 1):
        assert (await attempt(client, user.username, "wrong")).status_code == 401


async def test_lock_is_per_name(client: httpx.AsyncClient, make_user: UserFactory) -> None:
    victim, other = await make_user(), await make_user()
    for _ in range(MAX_FAILED_LOGINS):
        await attempt(client, victim.username, "wrong")
    assert (await attempt(client, other.username, TEST_PASSWORD)).status_code == 200


@pytest.mark.parametrize("username", ["S20240001 ", "s20240001"])
async def test_name_variants_share_one_counter(client: httpx.AsyncClient, username: str) -> None:
    for _ in range(MAX_FAILED_LOGINS):
        await attempt(client, "s20240001", "wrong")
    assert (await attempt(client, username, "wrong")).status_code == 429


async def test_one_address_is_limited_across_names(client: httpx.AsyncClient) -> None:
    codes = [(await attempt(client, f"guess{n}", "x")).status_code for n in range(31)]
    assert codes[:30] == [401] * 30
    assert codes[30] == 429
