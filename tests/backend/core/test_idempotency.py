"""Idempotency-Key on a creating POST, on a small route built for the test."""

import asyncio
import itertools
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.config import Settings
from backend.core.deps import SessionDep
from backend.core.errors import AppError
from backend.core.idempotency import run_once
from backend.core.models import IdempotencyRecord
from backend.identity.dependencies import CurrentUser
from backend.identity.models import RefreshToken, Role, User
from backend.main import create_app
from backend.meals.models import Dish
from tests.backend.conftest import UserFactory
from tests.backend.helpers import login


class DishIn(BaseModel):
    name: str
    price_fen: int


class DishOut(BaseModel):
    id: int
    name: str


router = APIRouter()


@router.post("/test/dishes", status_code=201)
async def create_dish(
    body: DishIn, request: Request, session: SessionDep, user: CurrentUser
) -> JSONResponse:
    async def create() -> DishOut:
        dish = Dish(name_en=body.name, name_zh=body.name, price_fen=body.price_fen, kcal=100)
        session.add(dish)
        await session.flush()
        return DishOut(id=dish.id, name=dish.name_en)

    return await run_once(
        request=request,
        session=session,
        user_id=user.id,
        payload=body.model_dump(mode="json"),
        create=create,
    )


class AlreadyOnTheMenu(AppError):
    status_code = 409


arrivals = itertools.count()


@router.post("/test/unique-dishes", status_code=201)
async def create_unique_dish(
    body: DishIn, request: Request, session: SessionDep, user: CurrentUser
) -> JSONResponse:
    """Refuses a name that exists, like a survey that was already answered. Each request
    looks 0.2 s after the one before it, so a retry looks after the first has committed."""

    async def create() -> DishOut:
        await asyncio.sleep(0.2 * next(arrivals))
        existing = select(Dish).where(Dish.name_en == body.name)
        if (await session.exec(existing)).first() is not None:
            raise AlreadyOnTheMenu()
        dish = Dish(name_en=body.name, name_zh=body.name, price_fen=body.price_fen, kcal=100)
        session.add(dish)
        await session.flush()
        return DishOut(id=dish.id, name=dish.name_en)

    return await run_once(
        request=request,
        session=session,
        user_id=user.id,
        payload=body.model_dump(mode="json"),
        create=create,
    )


@pytest.fixture
def routed(app):
    app.include_router(router)
    return app


async def count(session: AsyncSession, name: str) -> int:
    query = select(func.count()).select_from(Dish).where(Dish.name_en == name)
    return (await session.exec(query)).one()


async def test_same_key_same_body_creates_once_and_replays(
    routed: FastAPI,
    client: httpx.AsyncClient,
    make_user: UserFactory,
    session: AsyncSession,
) -> None:
    headers = {**await login(client, await make_user()), "Idempotency-Key": "k-1"}
    first = await client.post(
        "/test/dishes", json={"name": "Soup", "price_fen": 500}, headers=headers
    )
    second = await client.post(
        "/test/dishes", json={"price_fen": 500, "name": "Soup"}, headers=headers
    )
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert await count(session, "Soup") == 1


async def test_same_key_other_body_is_422_and_creates_nothing(
    routed: FastAPI,
    client: httpx.AsyncClient,
    make_user: UserFactory,
    session: AsyncSession,
) -> None:
    headers = {**await login(client, await make_user()), "Idempotency-Key": "k-2"}
    await client.post("/test/dishes", json={"name": "Rice", "price_fen": 100}, headers=headers)
    other = await client.post(
        "/test/dishes", json={"name": "Noodles", "price_fen": 100}, headers=headers
    )
    assert other.status_code == 422
    assert other.json()["error"] == "IdempotencyKeyReused"
    assert await count(session, "Noodles") == 0


async def test_keys_belong_to_one_user(
    routed: FastAPI,
    client: httpx.AsyncClient,
    make_user: UserFactory,
    session: AsyncSession,
) -> None:
    body = {"name": "Tofu", "price_fen": 800}
    for user in (await make_user(), await make_user()):
        headers = {**await login(client, user), "Idempotency-Key": "shared"}
        assert (await client.post("/test/dishes", json=body, headers=headers)).status_code == 201
    assert await count(session, "Tofu") == 2


async def test_without_a_key_every_post_creates(
    routed: FastAPI,
    client: httpx.AsyncClient,
    make_user: UserFactory,
    session: AsyncSession,
) -> None:
    headers = await login(client, await make_user())
    for _ in range(2):
        await client.post("/test/dishes", json={"name": "Bun", "price_fen": 300}, headers=headers)
    assert await count(session, "Bun") == 2


@pytest.mark.parametrize("key", ["", "a" * 101, "has space"])
async def test_malformed_keys_are_refused(
    routed: FastAPI, client: httpx.AsyncClient, make_user: UserFactory, key: str
) -> None:
    headers = {**await login(client, await make_user()), "Idempotency-Key": key}
    response = await client.post(
        "/test/dishes", json={"name": "Egg", "price_fen": 150}, headers=headers
    )
    assert response.status_code == 422
    assert response.json()["error"] == "InvalidIdempotencyKey"


@pytest.fixture
async def committed_app(settings: Settings, engine: AsyncEngine) -> AsyncIterator[FastAPI]:
    """An app on the real engine (no test transaction): concurrent requests really race."""
    app = create_app(settings)
    app.include_router(router)
    async with app.router.lifespan_context(app):
        yield app


@pytest.mark.parametrize(
    "path",
    [
        "/test/dishes",
        # Found by bench/faults.py: a retry sent while the first attempt was still running
        # got the route's own refusal (409 AlreadyAnswered) for a write that had succeeded.
        "/test/unique-dishes",
    ],
)
async def test_concurrent_retries_create_once_and_all_get_the_answer(
    committed_app: FastAPI, engine: AsyncEngine, password_hash: str, path: str
) -> None:
    async with AsyncSession(engine, expire_on_commit=False) as session:
        user = User(username="s_race", name="Race", role=Role.student, password_hash=password_hash)
        session.add(user)
        await session.commit()
    try:
        transport = httpx.ASGITransport(app=committed_app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            headers = {**await login(client, user), "Idempotency-Key": "race-1"}
            responses = await asyncio.gather(
                *(
                    client.post(path, json={"name": "Race Dish", "price_fen": 1}, headers=headers)
                    for _ in range(5)
                )
            )
        assert [r.status_code for r in responses] == [201] * 5, [r.text for r in responses]
        assert len({r.json()["id"] for r in responses}) == 1
        async with AsyncSession(engine) as session:
            assert await count(session, "Race Dish") == 1
    finally:
        async with AsyncSession(engine) as session:
            for model, column, value in (
                (IdempotencyRecord, IdempotencyRecord.user_id, user.id),
                (Dish, Dish.name_en, "Race Dish"),
            ):
                for row in await session.exec(select(model).where(column == value)):
                    await session.delete(row)
            for row in await session.exec(
                select(RefreshToken).where(RefreshToken.user_id == user.id)
            ):
                await session.delete(row)
            await session.delete(await session.get(User, user.id))
            await session.commit()
