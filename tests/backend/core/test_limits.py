from collections.abc import AsyncIterator

import httpx

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
