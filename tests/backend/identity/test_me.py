from datetime import date

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.dorms.models import Building, Room, RoomAssignment
from backend.identity.models import Locale, Role
from tests.backend.conftest import TeamFactory, UserFactory
from tests.backend.helpers import login


async def test_student_sees_their_room(
    client: httpx.AsyncClient, make_user: UserFactory, session: AsyncSession
) -> None:
    student = await make_user()
    building = Building(code="B7", name_en="Building 7", name_zh="7号楼")
    session.add(building)
    await session.flush()
    old, new = (
        Room(building_id=building.id, number="101", floor=1),
        Room(building_id=building.id, number="312", floor=3),
    )
    session.add_all([old, new])
    await session.flush()
    session.add_all(
        [
            RoomAssignment(
                student_id=student.id,
                room_id=old.id,
                starts_on=date(2025, 9, 1),
                ends_on=date(2026, 6, 30),
            ),
            RoomAssignment(student_id=student.id, room_id=new.id, starts_on=date(2026, 9, 1)),
        ]
    )
    await session.commit()
    body = (await client.get("/api/v1/me", headers=await login(client, student))).json()
    assert body["room"] == {
        "building_code": "B7",
        "building_name_en": "Building 7",
        "building_name_zh": "7号楼",
        "room": "312",
    }
    assert body["team"] is None


async def test_staff_see_their_team(
    client: httpx.AsyncClient, make_user: UserFactory, make_team: TeamFactory
) -> None:
    team = await make_team(slug="maint-plumbing-test", name_en="Plumbing Crew")
    technician = await make_user(role=Role.technician, team_id=team.id)
    body = (await client.get("/api/v1/me", headers=await login(client, technician))).json()
    assert body["team"]["slug"] == "maint-plumbing-test"
    assert body["team"]["kind"] == "maintenance"
    assert body["room"] is None


async def test_update_locale_and_diet(client: httpx.AsyncClient, make_user: UserFactory) -> None:
    student = await make_user(locale=Locale.zh)
    headers = await login(client, student)
    response = await client.patch(
        "/api/v1/me",
        json={"locale": "en", "diets": ["halal", "halal"], "allergens": ["peanut", "sesame"]},
        headers=headers,
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["locale"], body["diets"], body["allergens"]) == (
        "en",
        ["halal"],
        ["peanut", "sesame"],
    )
    again = (await client.get("/api/v1/me", headers=headers)).json()
    assert again["diets"] == ["halal"]


async def test_partial_update_keeps_the_rest(
    client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    student = await make_user(diets=["vegan"])
    headers = await login(client, student)
    body = (await client.patch("/api/v1/me", json={"locale": "zh"}, headers=headers)).json()
    assert body["diets"] == ["vegan"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"role": "logistics_admin"}, "body.role"),
        ({"name": "Someone Else"}, "body.name"),
        ({"team_id": 1}, "body.team_id"),
        ({"diets": ["keto"]}, "body.diets.0"),
        ({"allergens": ["pollen"]}, "body.allergens.0"),
        ({"locale": "fr"}, "body.locale"),
        ({"locale": None}, "body"),
    ],
)
async def test_nothing_else_can_change(
    client: httpx.AsyncClient, make_user: UserFactory, change: dict, field: str
) -> None:
    student = await make_user()
    headers = await login(client, student)
    response = await client.patch("/api/v1/me", json=change, headers=headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field
    after = (await client.get("/api/v1/me", headers=headers)).json()
    assert (after["role"], after["name"], after["locale"]) == ("student", student.name, "en")
