"""What the console shows a building's editors: its articles with the drafts, and the
checklists its residents see; a manager sees only their own building."""

import httpx

from tests.backend.dorms.conftest import Campus, People

AUTUMN = {"term": "2026-autumn"}


async def test_a_manager_lists_their_buildings_articles_drafts_first(
    client: httpx.AsyncClient, campus: Campus, people: People
) -> None:
    own = [a for a in campus.articles.values() if a.building_id == campus.buildings["B7"].id]
    assert own  # the demo guidance has B7 versions
    draft = await client.post(
        "/api/v1/guidance",
        json={
            "slug": "b7-bike-parking",
            "topic": "bike-parking",
            "building_code": "B7",
            "title_en": "Bike parking",
            "title_zh": "自行车停放",
            "summary_en": "Where bikes go.",
            "summary_zh": "自行车停哪里。",
            "body_en": "Behind the building.",
            "body_zh": "楼后。",
        },
        headers=people.manager_b7,
    )
    assert draft.status_code == 201, draft.text
    taken_back = await client.patch(
        f"/api/v1/guidance/{draft.json()['id']}",
        json={"published": False},
        headers=people.manager_b7,
    )
    assert taken_back.status_code == 200
    listed = (await client.get("/api/v1/admin/guidance", headers=people.manager_b7)).json()
    assert (listed["building_code"], listed["count"]) == ("B7", len(own) + 1)
    first = listed["data"][0]
    assert (first["slug"], first["published"], first["aliases"]) == ("b7-bike-parking", False, [])
    assert {a["building_code"] for a in listed["data"]} == {"B7"}
    assert all(a["published"] for a in listed["data"][1:])

    elsewhere = await client.get(
        "/api/v1/admin/guidance", params={"building": "B3"}, headers=people.manager_b7
    )
    assert (elsewhere.status_code, elsewhere.json()["error"]) == (403, "NotYourBuilding")
    general = (await client.get("/api/v1/admin/guidance", headers=people.admin)).json()
    assert general["count"] == sum(1 for a in campus.articles.values() if a.building_id is None)
    assert {a["building_code"] for a in general["data"]} == {None}
    refused = await client.get("/api/v1/admin/guidance", headers=people.technician)
    assert (refused.status_code, refused.json()["error"]) == (403, "DormStaffOnly")


async def test_a_manager_sees_the_checklists_their_residents_see(
    client: httpx.AsyncClient, people: People
) -> None:
    resident = await client.get(
        "/api/v1/dorms/me/checklists", params=AUTUMN, headers=people.student
    )
    staff = await client.get(
        "/api/v1/dorms/buildings/B7/checklists", params=AUTUMN, headers=people.manager_b7
    )
    assert staff.status_code == 200
    assert staff.json() == resident.json()
    other = await client.get(
        "/api/v1/dorms/buildings/B7/checklists", params=AUTUMN, headers=people.manager_b3
    )
    assert (other.status_code, other.json()["error"]) == (403, "NotYourBuilding")
    unknown = await client.get(
        "/api/v1/dorms/buildings/B7/checklists", params={"term": "1999-x"}, headers=people.admin
    )
    assert (unknown.status_code, unknown.json()["error"]) == (404, "TermNotFound")
