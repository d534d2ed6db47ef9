import httpx

from tests.backend.conftest import UserFactory
from tests.backend.helpers import TEST_PASSWORD


async def sign_in(client: httpx.AsyncClient, username: str) -> dict:
    response = await client.post(
        "/api/v1/auth/token", data={"username": username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 200, response.text
    return response.json()


async def test_sign_in_returns_short_lived_access_and_a_refresh_token(
    client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    pair = await sign_in(client, (await make_user()).username)
    assert pair["token_type"] == "bearer"
    assert pair["expires_in"] == 15 * 60
    assert pair["refresh_token"]


async def test_refresh_rotates_and_each_token_works_once(
    client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    first = await sign_in(client, (await make_user()).username)
    rotated = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert rotated.status_code == 200
    second = rotated.json()
    assert second["refresh_token"] != first["refresh_token"]
    me = await client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {second['access_token']}"}
    )
    assert me.status_code == 200


async def test_reusing_a_refresh_token_signs_out_the_whole_family(
    client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    first = await sign_in(client, (await make_user()).username)
    second = (
        await client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    ).json()
    replay = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert replay.status_code == 401
    assert replay.json()["error"] == "RefreshTokenReused"
    # the legitimately rotated token died with it
    after = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]}
    )
    assert after.status_code == 401
    assert after.json()["error"] == "InvalidRefreshToken"


async def test_logout_revokes_the_refresh_token(
    client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    pair = await sign_in(client, (await make_user()).username)
    out = await client.post("/api/v1/auth/logout", json={"refresh_token": pair["refresh_token"]})
    assert out.status_code == 204
    again = await client.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert again.status_code == 401


async def test_unknown_refresh_token(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": "definitely-not-issued"}
    )
    assert response.status_code == 401
    assert response.json()["error"] == "InvalidRefreshToken"


async def test_sessions_are_independent(client: httpx.AsyncClient, make_user: UserFactory) -> None:
    """Signing out on one phone leaves the other signed in."""
    user = await make_user()
    phone = await sign_in(client, user.username)
    laptop = await sign_in(client, user.username)
    await client.post("/api/v1/auth/logout", json={"refresh_token": phone["refresh_token"]})
    still = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": laptop["refresh_token"]}
    )
    assert still.status_code == 200
