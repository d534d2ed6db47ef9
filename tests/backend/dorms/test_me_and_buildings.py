from datetime import datetime, timedelta

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.config import Settings
from backend.identity.models import Role
from tests.backend.conftest import UserFactory
from tests.backend.dorms.conftest import Campus, People, house
from tests.backend.helpers import login

B7_PUBLIC = {
    "code": "B7",
    "name_en": "Building 7 (Bamboo)",
    "name_zh": "7号楼（竹园）",
    "quiet_hours": "22:30-07:00",
    "door_lock": "23:00-06:00",
    "visitor_rules_en": (
        "Visitors 08:00-22:00: register at the front desk with a photo ID; no overnight guests."
    ),
    "visitor_rules_zh": "访客开放时间08:00-22:00，须持有效证件在值班室登记，不得留宿。",
    "laundry_en": "Basement B1: 8 washers, 4 dryers, open 24 hours; pay in the app.",
    "laundry_zh": "地下一层（B1）：8台洗衣机、4台烘干机，24小时开放，App扫码支付。",
}


async def test_my_dorm_has_the_contract_shape(client: httpx.AsyncClient, people: People) -> None:
    response = await client.get("/api/v1/dorms/me", headers=people.student)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"building", "room"}
    assert body["room"] == {"number": "312", "floor": 3}
    building = body["building"]
    assert {k: building[k] for k in B7_PUBLIC} == B7_PUBLIC
    assert set(building) == {*B7_PUBLIC, "top_up_en", "top_up_zh", "manager"}
    assert "campus app" in building["top_up_en"]
    assert "校园App" in building["top_up_zh"]
    assert building["manager"] == {
        "name": "周敏 Zhou Min",
        "phone": "021-6543-0701",
        "email": "b7.manager@dorms.houqin.edu.cn",
        "office_en": "Room 102, ground floor (weekdays 08:30-17:30)",
        "office_zh": "一楼102室（工作日08:30-17:30）",
    }


async def test_each_student_sees_their_own_building(
    client: httpx.AsyncClient, people: People
) -> None:
    other = (await client.get("/api/v1/dorms/me", headers=people.other_student)).json()
    assert (other["building"]["code"], other["room"]["number"]) == ("B3", "204")
    assert other["building"]["quiet_hours"] == "23:00-07:00"


async def test_the_bot_sees_exactly_the_student(client: httpx.AsyncClient, people: People) -> None:
    as_bot = await client.get("/api/v1/dorms/me", headers=people.bot_for_student)
    as_student = await client.get("/api/v1/dorms/me", headers=people.student)
    assert as_bot.status_code == 200
    assert as_bot.json() == as_student.json()


async def test_not_housed_is_404(
    client: httpx.AsyncClient, campus: Campus, make_user: UserFactory
) -> None:
    headers = await login(client, await make_user())
    response = await client.get("/api/v1/dorms/me", headers=headers)
    assert response.status_code == 404
    assert response.json()["error"] == "NotHoused"


async def test_a_finished_or_future_assignment_does_not_count(
    client: httpx.AsyncClient,
    campus: Campus,
    make_user: UserFactory,
    session: AsyncSession,
    settings: Settings,
) -> None:
    student = await make_user()
    today = datetime.now(settings.tz).date()
    await house(session, student, campus.buildings["B12"], "801", today + timedelta(days=3))
    headers = await login(client, student)
    assert (await client.get("/api/v1/dorms/me", headers=headers)).status_code == 404


@pytest.mark.parametrize("who", ["manager_b7", "technician", "admin"])
async def test_dorms_me_is_for_students(
    client: httpx.AsyncClient, people: People, who: str
) -> None:
    response = await client.get("/api/v1/dorms/me", headers=getattr(people, who))
    assert response.status_code == 403
    assert response.json()["error"] == "StudentsOnly"


async def test_needs_sign_in(client: httpx.AsyncClient, campus: Campus) -> None:
    for path in ("/api/v1/dorms/me", "/api/v1/dorms/buildings", "/api/v1/guidance?q=key"):
        assert (await client.get(path)).status_code == 401


async def test_buildings_list_and_one(client: httpx.AsyncClient, people: People) -> None:
    listed = (await client.get("/api/v1/dorms/buildings", headers=people.student)).json()
    assert listed["count"] == 3
    assert [b["code"] for b in listed["data"]] == ["B3", "B7", "B12"]
    one = await client.get("/api/v1/dorms/buildings/B12", headers=people.technician)
    assert one.json()["door_lock"] == "00:30-06:00"
    missing = await client.get("/api/v1/dorms/buildings/B99", headers=people.student)
    assert missing.status_code == 404
    assert missing.json()["error"] == "BuildingNotFound"


@pytest.mark.parametrize(
    ("who", "status", "error"),
    [
        ("student", 403, "DormStaffOnly"),
        ("other_student", 403, "DormStaffOnly"),
        ("bot_for_student", 403, "DormStaffOnly"),
        ("technician", 403, "DormStaffOnly"),
        ("manager_b3", 403, "NotYourBuilding"),
        ("manager_b7", 200, None),
        ("admin", 200, None),
    ],
)
async def test_who_may_change_building_info(
    client: httpx.AsyncClient, people: People, who: str, status: int, error: str | None
) -> None:
    change = {"quiet_hours": "22:00-07:00", "manager": {"phone": "021-6543-0799"}}
    response = await client.patch(
        "/api/v1/dorms/buildings/B7", json=change, headers=getattr(people, who)
    )
    assert response.status_code == status, response.text
    after = (await client.get("/api/v1/dorms/buildings/B7", headers=people.student)).json()
    if error:
        assert response.json()["error"] == error
        assert after["quiet_hours"] == "22:30-07:00"  # nothing changed
    else:
        assert response.json()["quiet_hours"] == "22:00-07:00"
        assert after["quiet_hours"] == "22:00-07:00"
        assert after["manager"]["phone"] == "021-6543-0799"
        assert after["manager"]["name"] == "周敏 Zhou Min"  # partial update


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quiet_hours": "22:00"}, "body.quiet_hours"),
        ({"door_lock": "25:00-06:00"}, "body.door_lock"),
        ({"laundry_en": "   "}, "body.laundry_en"),
        ({"manager": {"email": "not-an-email"}}, "body.manager.email"),
        ({"manager": {"desk": "1F"}}, "body.manager.desk"),
        ({"code": "B8"}, "body.code"),
        ({"laundry_zh": None}, "body"),
    ],
)
async def test_bad_building_changes_are_422_and_change_nothing(
    client: httpx.AsyncClient, people: People, change: dict, field: str
) -> None:
    response = await client.patch("/api/v1/dorms/buildings/B7", json=change, headers=people.admin)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field
    after = (await client.get("/api/v1/dorms/buildings/B7", headers=people.admin)).json()
    assert {k: after[k] for k in B7_PUBLIC} == B7_PUBLIC


async def test_manager_of_unknown_building_code_gets_404(
    client: httpx.AsyncClient, people: People
) -> None:
    response = await client.patch(
        "/api/v1/dorms/buildings/B99", json={"quiet_hours": "22:00-07:00"}, headers=people.admin
    )
    assert response.status_code == 404


async def test_staff_roles_without_a_dorm_team_cannot_edit(
    client: httpx.AsyncClient, people: People, make_user: UserFactory
) -> None:
    """A dorm_manager whose team is not a dorm team edits nothing."""
    odd = await make_user(role=Role.dorm_manager)  # gets a maintenance team
    response = await client.patch(
        "/api/v1/dorms/buildings/B7",
        json={"quiet_hours": "21:00-07:00"},
        headers=await login(client, odd),
    )
    assert response.status_code == 403
