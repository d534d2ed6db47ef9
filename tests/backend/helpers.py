"""Small helpers shared by backend tests."""

import httpx

from backend.identity.models import User

TEST_PASSWORD = "correct horse battery staple"


async def login(client: httpx.AsyncClient, user: User) -> dict[str, str]:
    response = await client.post(
        "/api/v1/auth/token", data={"username": user.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}
