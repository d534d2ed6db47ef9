from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.dorms.models import Building, Room, RoomAssignment
from backend.identity.models import Role, Team, TeamKind, User
from tests.backend.conftest import UserFactory

Headers = dict[str, str]


@dataclass
class Dorms:
    """Two buildings: H1, whose dorm team ``h1_team`` is managed by the dorm managers of
    these tests, and H2 with its own team."""

    rooms: dict[str, Room]
    teams: dict[str, Team]


@pytest.fixture
async def dorms(session: AsyncSession) -> Dorms:
    rooms, teams = {}, {}
    for code in ("H1", "H2"):
        building = Building(code=code, name_en=f"Hall {code}", name_zh=f"{code}楼")
        session.add(building)
        await session.flush()
        rooms[code] = Room(building_id=building.id, number="101", floor=1)
        teams[code] = Team(
            slug=f"dorm-{code.lower()}",
            name_en=f"Hall {code} Management",
            name_zh=f"{code}楼宿管",
            kind=TeamKind.dorm,
            building_id=building.id,
        )
        session.add_all([rooms[code], teams[code]])
    await session.commit()
    return Dorms(rooms=rooms, teams=teams)


@pytest.fixture
def make_user(make_user: UserFactory, session: AsyncSession, dorms: Dorms) -> UserFactory:
    """In the handoff tests a student lives in H1 (``home="H2"`` elsewhere, ``None``
    nowhere) and a dorm manager manages H1 (``team_id`` for another team)."""

    async def make(role: Role = Role.student, **fields: Any) -> User:
        home = fields.pop("home", "H1")
        if role == Role.dorm_manager and "team_id" not in fields:
            fields["team_id"] = dorms.teams["H1"].id
        user = await make_user(role, **fields)
        if role == Role.student and home is not None:
            session.add(
                RoomAssignment(
                    student_id=user.id, room_id=dorms.rooms[home].id, starts_on=date(2020, 1, 1)
                )
            )
            await session.commit()
        return user

    return make
