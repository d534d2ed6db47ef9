"""Browser sessions: the refresh token only ever in an httpOnly SameSite=Strict cookie."""

import httpx

from backend.identity.web_session import COOKIE, COOKIE_PATH
from tests.backend.conftest import UserFactory
from tests.backend.helpers import TEST_PASSWORD

CSRF = {"X-Houqin-CSRF": "1"}
SESSION = "/api/v1/auth/session"


async def browser_sign_in(client: httpx.AsyncClient, username: str) -> httpx.Response:
    return await client.post(
        SESSION, data={"username": username, "password": TEST_PASSWORD}, headers=CSRF
    )


async def test_sign_in_sets_a_locked_down_cookie_and_returns_only_the_access_token(
    client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    response = await browser_sign_in(client, (await make_user()).username)
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in"}
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    for attribute in ("HttpOnly", f"Path={COOKIE_PATH}", "SameSite=strict"):
        assert attribute in cookie
    assert response.headers["cache-control"] == "no-store"
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200


async def test_the_cookie_is_secure_over_https(
    client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    user = await make_user()
    response = await client.post(
        f"https://test{SESSION}",
        data={"username": user.username, "password": TEST_PASSWORD},
        headers=CSRF,
    )
    assert "Secure" in response.headers["set-cookie"]


async def test_every_session_route_refuses_a_request_without_the_browser_header(
    client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    user = await make_user()
    attempts = [
        client.post(SESSION, data={"username": user.username, "password": TEST_PASSWORD}),
        client.post(f"{SESSION}/refresh"),
        client.delete(SESSION),
    ]
    for attempt in attempts:
        response = await attempt
        assert response.status_code == 403
        assert response.json()["error"] == "BrowserHeaderRequired"
    assert COOKIE not in client.cookies


async def test_wrong_password_sets_no_cookie(
    client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    user = await make_user()
    response = await client.post(
        SESSION, data={"username": user.username, "password": "wrong-password"}, headers=CSRF
    )
    assert response.status_code == 401
    assert response.json()["error"] == "InvalidCredentials"
    assert "set-cookie" not in response.headers


async def test_refresh_rotates_the_cookie_and_the_old_one_is_then_useless(
    client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    await browser_sign_in(client, (await make_user()).username)
    first = client.cookies[COOKIE]
    refreshed = await client.post(f"{SESSION}/refresh", headers=CSRF)
    assert refreshed.status_code == 200, refreshed.text
    assert set(refreshed.json()) == {"access_token", "token_type", "expires_in"}
    assert client.cookies[COOKIE] != first
    # a stolen copy of the old cookie replayed: the whole sign-in is revoked
    client.cookies.set(COOKIE, first, path=COOKIE_PATH)
    replay = await client.post(f"{SESSION}/refresh", headers=CSRF)
    assert replay.json()["error"] == "RefreshTokenReused"


async def test_refresh_without_a_cookie_says_so(client: httpx.AsyncClient) -> None:
    response = await client.post(f"{SESSION}/refresh", headers=CSRF)
    assert response.status_code == 401
    assert response.json()["error"] == "NoSession"


async def test_sign_out_revokes_the_sign_in_and_drops_the_cookie(
    client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    await browser_sign_in(client, (await make_user()).username)
    cookie = client.cookies[COOKIE]
    response = await client.delete(SESSION, headers=CSRF)
    assert response.status_code == 204
    assert f"{COOKIE}=" in response.headers["set-cookie"]
    assert "Max-Age=0" in response.headers["set-cookie"]
    assert COOKIE not in client.cookies
    client.cookies.set(COOKIE, cookie, path=COOKIE_PATH)
    after = await client.post(f"{SESSION}/refresh", headers=CSRF)
    assert after.status_code == 401
    assert after.json()["error"] == "InvalidRefreshToken"
    # twice is fine
    assert (await client.delete(SESSION, headers=CSRF)).status_code == 204
