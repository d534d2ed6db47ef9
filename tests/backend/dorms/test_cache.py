"""Guidance, articles and building info are cached and dropped on writes — with the
in-process cache and with Redis (TEST_REDIS_URL), whichever the run uses otherwise."""

import os
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.config import Settings
from backend.core.deps import get_session
from backend.dorms.guidance import reindex
from backend.dorms.models import Building, GuidanceArticle
from backend.main import create_app
from tests.backend.dorms.conftest import Campus, People


@pytest.fixture(params=["memory", "redis"])
async def cached_client(
    request: pytest.FixtureRequest, settings: Settings, session: AsyncSession
) -> AsyncIterator[httpx.AsyncClient]:
    redis_url = None
    if request.param == "redis":
        redis_url = os.environ.get("TEST_REDIS_URL")
        assert redis_url, "set TEST_REDIS_URL (make test does) to test the Redis cache"
    app: FastAPI = create_app(
        settings.model_copy(
            update={"redis_url": redis_url, "cache_prefix": f"test:{uuid.uuid4().hex}:"}
        )
    )

    async def test_session() -> AsyncIterator[AsyncSession]:
        yield session

    app.dependency_overrides[get_session] = test_session
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


async def behind_the_apis_back(
    session: AsyncSession, article: GuidanceArticle, **changes: str
) -> None:
    """Change the database without going through a route (so nothing invalidates)."""
    for field, value in changes.items():
        setattr(article, field, value)
    await reindex(session=session, article=article)
    await session.commit()


async def ids(client: httpx.AsyncClient, headers: dict[str, str], q: str) -> list[int]:
    response = await client.get("/api/v1/guidance", params={"q": q}, headers=headers)
    return [hit["id"] for hit in response.json()["data"]]


async def test_search_is_cached_until_a_write(
    cached_client: httpx.AsyncClient, campus: Campus, people: People, session: AsyncSession
) -> None:
    article = campus.articles["laundry-b7"]
    assert await ids(cached_client, people.student, "quokkamatic") == []
    await behind_the_apis_back(session, article, summary_en="A quokkamatic folder.")
    assert await ids(cached_client, people.student, "quokkamatic") == []  # cached answer
    response = await cached_client.patch(
        f"/api/v1/guidance/{article.id}", json={"title_en": "Laundry (B7)"}, headers=people.admin
    )
    assert response.status_code == 200
    assert await ids(cached_client, people.student, "quokkamatic") == [article.id]


async def test_cache_is_per_building_perspective(
    cached_client: httpx.AsyncClient, campus: Campus, people: People
) -> None:
    b7 = await ids(cached_client, people.student, "quiet hours")
    b3 = await ids(cached_client, people.other_student, "quiet hours")
    assert b7[0] == campus.article_id("quiet-hours-b7")
    assert b3[0] == campus.article_id("quiet-hours")


async def test_article_is_cached_until_a_write(
    cached_client: httpx.AsyncClient, campus: Campus, people: People, session: AsyncSession
) -> None:
    article = campus.articles["pets"]
    path = f"/api/v1/guidance/{article.id}"
    before = (await cached_client.get(path, headers=people.student)).json()
    await behind_the_apis_back(session, article, body_en="Changed behind the API's back.")
    assert (await cached_client.get(path, headers=people.student)).json() == before
    deleted = await cached_client.delete(
        f"/api/v1/guidance/{campus.article_id('smoking')}", headers=people.admin
    )
    assert deleted.status_code == 204
    after = (await cached_client.get(path, headers=people.student)).json()
    assert after["body_en"] == "Changed behind the API's back."


async def test_deleted_article_is_not_served_from_cache(
    cached_client: httpx.AsyncClient, campus: Campus, people: People
) -> None:
    article_id = campus.article_id("smoking")
    path = f"/api/v1/guidance/{article_id}"
    assert (await cached_client.get(path, headers=people.student)).status_code == 200
    assert article_id in await ids(cached_client, people.student, "vape")
    await cached_client.delete(path, headers=people.admin)
    assert (await cached_client.get(path, headers=people.student)).status_code == 404
    assert article_id not in await ids(cached_client, people.student, "vape")


async def test_building_info_is_cached_until_a_write(
    cached_client: httpx.AsyncClient, campus: Campus, people: People, session: AsyncSession
) -> None:
    me = (await cached_client.get("/api/v1/dorms/me", headers=people.student)).json()
    building: Building = campus.buildings["B7"]
    building.laundry_en = "Changed behind the API's back."
    session.add(building)
    await session.commit()
    again = (await cached_client.get("/api/v1/dorms/me", headers=people.student)).json()
    assert again == me
    response = await cached_client.patch(
        "/api/v1/dorms/buildings/B7", json={"quiet_hours": "22:00-07:00"}, headers=people.manager_b7
    )
    assert response.status_code == 200
    fresh = (await cached_client.get("/api/v1/dorms/me", headers=people.student)).json()
    assert fresh["building"]["quiet_hours"] == "22:00-07:00"
    assert fresh["building"]["laundry_en"] == "Changed behind the API's back."
