"""The demo dorm campus: big enough, bilingual, deterministic, and it never double-books."""

from datetime import date

import httpx
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.dorms.models import Building, GuidanceArticle, Room, RoomAssignment
from backend.identity.models import Locale, Role, User
from backend.seed.demo import seed_demo_campus
from backend.seed.dorms import ARTICLES
from backend.seed.identity import DEMO_PASSWORD
from backend.seed.students import student_seeds

TODAY = date(2026, 11, 23)
REQUIRED_TOPICS = {
    "quiet-hours",
    "visitors",
    "laundry",
    "electricity-top-up",
    "water-top-up",
    "lost-key",
    "door-lock",
    "move-in",
    "move-out",
    "room-change",
    "repairs",
    "noise-complaint",
    "fire-safety",
    "hot-water",
    "internet",
    "parcels",
}


async def count(session: AsyncSession, model: type) -> int:
    return (await session.exec(select(func.count()).select_from(model))).one()


async def test_counts_and_coverage(session: AsyncSession) -> None:
    await seed_demo_campus(session=session, today=TODAY)
    assert await count(session, Building) >= 3
    assert await count(session, GuidanceArticle) >= 40
    students = (
        await session.exec(select(func.count()).select_from(User).where(User.role == Role.student))
    ).one()
    assert students >= 200
    topics = set((await session.exec(select(GuidanceArticle.topic))).all())
    assert topics >= REQUIRED_TOPICS
    versions = (
        await session.exec(
            select(GuidanceArticle.topic).where(col(GuidanceArticle.building_id).is_not(None))
        )
    ).all()
    assert len(versions) >= 6
    assert {"quiet-hours", "laundry"} <= set(versions)
    for article in (await session.exec(select(GuidanceArticle))).all():
        assert all((article.title_en, article.title_zh, article.body_en, article.body_zh))
        assert any("\u4e00" <= c <= "\u9fff" for c in article.body_zh)
        assert article.tags
        assert article.aliases
        assert article.indexed_length > 0


async def test_students_are_bilingual_and_varied(session: AsyncSession) -> None:
    seeds = student_seeds()
    assert len(seeds) >= 200
    assert len({s.username for s in seeds}) == len(seeds)
    assert {Locale.en, Locale.zh} <= {s.locale for s in seeds}
    assert all(any("\u4e00" <= c <= "\u9fff" for c in s.name) for s in seeds)
    assert all(any("a" <= c.lower() <= "z" for c in s.name) for s in seeds)
    assert sum(bool(s.diets) for s in seeds) >= 20
    assert sum(bool(s.allergens) for s in seeds) >= 20
    assert "s20240001" not in {s.username for s in seeds}


async def test_deterministic(session: AsyncSession) -> None:
    assert student_seeds() == student_seeds()
    await seed_demo_campus(session=session, today=TODAY)
    stored = {
        user.username: (user.name, user.locale, user.diets, user.allergens)
        for user in (await session.exec(select(User).where(User.role == Role.student))).all()
    }
    for seed in student_seeds():
        assert stored[seed.username] == (seed.name, seed.locale, seed.diets, seed.allergens)
    homes = dict(
        (
            await session.exec(
                select(User.username, Room.number)
                .join(RoomAssignment, col(RoomAssignment.student_id) == col(User.id))
                .join(Room, col(Room.id) == col(RoomAssignment.room_id))
            )
        ).all()
    )
    assert homes["s20240003"] == "201"  # first free bed of B3, floor 2


async def test_idempotent_and_never_over_capacity(session: AsyncSession) -> None:
    await seed_demo_campus(session=session, today=TODAY)
    before = [
        await count(session, model) for model in (User, RoomAssignment, GuidanceArticle, Building)
    ]
    await seed_demo_campus(session=session, today=TODAY)
    after = [
        await count(session, model) for model in (User, RoomAssignment, GuidanceArticle, Building)
    ]
    assert before == after
    crowded = (
        await session.exec(
            select(Room.id, func.count())
            .join(RoomAssignment, col(RoomAssignment.room_id) == col(Room.id))
            .group_by(col(Room.id), col(Room.capacity))
            .having(func.count() > Room.capacity)
        )
    ).all()
    assert crowded == []
    housed = (
        await session.exec(select(func.count(func.distinct(RoomAssignment.student_id))))
    ).one()
    assert housed == await count(session, RoomAssignment)  # one room each


async def test_demo_students_keep_their_rooms_and_managers_can_sign_in(
    session: AsyncSession, client: httpx.AsyncClient
) -> None:
    await seed_demo_campus(session=session, today=TODAY)
    for username, code, room in [("s20240001", "B7", "312"), ("s20240002", "B3", "204")]:
        token = await client.post(
            "/api/v1/auth/token", data={"username": username, "password": DEMO_PASSWORD}
        )
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        me = (await client.get("/api/v1/dorms/me", headers=headers)).json()
        assert (me["building"]["code"], me["room"]["number"]) == (code, room)
    token = await client.post(
        "/api/v1/auth/token", data={"username": "d0007", "password": DEMO_PASSWORD}
    )
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    response = await client.patch(
        "/api/v1/dorms/buildings/B7", json={"quiet_hours": "22:30-07:00"}, headers=headers
    )
    assert response.status_code == 200


def test_article_seeds_are_consistent() -> None:
    slugs = [a.slug for a in ARTICLES]
    assert len(slugs) == len(set(slugs))
    versions = [(a.topic, a.building) for a in ARTICLES]
    assert len(versions) == len(set(versions))  # one version per topic and building
    general = {a.topic for a in ARTICLES if a.building is None}
    assert all(a.topic in general for a in ARTICLES if a.building)  # each overrides a rule
