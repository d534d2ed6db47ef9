"""Dorm fixtures: the demo buildings, terms, checklists and guidance (seeded once per
worker and restored per test, see tests/backend/snapshot.py; without the 240 demo
residents, which only the seed tests need), and the people of the authorization matrix."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.config import Settings
from backend.dorms.models import Building, GuidanceArticle, Room, RoomAssignment
from backend.identity.models import Role, Team, TeamKind, User
from backend.seed import dorms as dorm_seed
from tests.backend.conftest import UserFactory
from tests.backend.helpers import login, token_headers
from tests.backend.snapshot import Snapshot


@dataclass
class Campus:
    buildings: dict[str, Building]
    articles: dict[str, GuidanceArticle]  # by slug

    def article_id(self, slug: str) -> int:
        return self.articles[slug].id


async def seed_campus(session: AsyncSession) -> None:
    await dorm_seed.ensure_buildings(session)
    buildings = {b.code: b for b in (await session.exec(select(Building))).all()}
    await dorm_seed.ensure_terms(session, buildings)
    await dorm_seed.ensure_checklist(session, buildings)
    await dorm_seed.ensure_guidance(session, buildings)


@pytest.fixture(scope="session")
async def campus_rows(engine: AsyncEngine) -> Snapshot:
    return await Snapshot.capture(engine, seed_campus)


@pytest.fixture
async def campus(session: AsyncSession, campus_rows: Snapshot) -> Campus:
    await campus_rows.restore(session)
    await session.commit()
    buildings = {b.code: b for b in (await session.exec(select(Building))).all()}
    articles = {a.slug: a for a in (await session.exec(select(GuidanceArticle))).all()}
    return Campus(buildings=buildings, articles=articles)


async def house(
    session: AsyncSession, student: User, building: Building, number: str, starts_on: date
) -> Room:
    room = (
        await session.exec(
            select(Room).where(Room.building_id == building.id, Room.number == number)
        )
    ).one()
    session.add(RoomAssignment(student_id=student.id, room_id=room.id, starts_on=starts_on))
    await session.commit()
    return room


@dataclass
class People:
    """Who is asking: each as request headers."""

    student: dict[str, str]  # lives in B7-312
    other_student: dict[str, str]  # lives in B3-204
    manager_b7: dict[str, str]
    manager_b3: dict[str, str]
    technician: dict[str, str]
    admin: dict[str, str]
    bot_for_student: dict[str, str]
    student_user: User
    other_user: User


@pytest.fixture
async def people(
    campus: Campus,
    session: AsyncSession,
    make_user: UserFactory,
    client: httpx.AsyncClient,
    settings: Settings,
) -> People:
    today = datetime.now(settings.tz).date()
    student = await make_user(name="李华 Li Hua")
    other = await make_user(name="Alex Chen")
    await house(session, student, campus.buildings["B7"], "312", today - timedelta(days=60))
    await house(session, other, campus.buildings["B3"], "204", today - timedelta(days=60))

    async def manager(code: str) -> User:
        team = (
            await session.exec(select(Team).where(Team.slug == f"test-dorm-{code.lower()}"))
        ).first() or Team(
            slug=f"test-dorm-{code.lower()}",
            name_en=f"{code} Management",
            name_zh=f"{code}宿管",
            kind=TeamKind.dorm,
            building_id=campus.buildings[code].id,
        )
        session.add(team)
        await session.commit()
        return await make_user(role=Role.dorm_manager, team_id=team.id)

    def bearer(user: User) -> dict[str, str]:
        """Signing in is tested elsewhere; argon2 per person would dominate these tests."""
        return token_headers(settings, user)

    return People(
        student=await login(client, student),
        other_student=bearer(other),
        manager_b7=bearer(await manager("B7")),
        manager_b3=bearer(await manager("B3")),
        technician=bearer(await make_user(role=Role.technician)),
        admin=bearer(await make_user(role=Role.logistics_admin)),
        bot_for_student=token_headers(settings, student, via_bot=True),
        student_user=student,
        other_user=other,
    )
