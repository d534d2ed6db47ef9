import httpx
import pytest
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.dorms.models import GuidanceTerm
from tests.backend.dorms.conftest import Campus, People

NEW_B7_ARTICLE = {
    "slug": "bike-shed-b7",
    "topic": "bicycles",
    "building_code": "B7",
    "title_en": "Bike shed in Building 7",
    "title_zh": "7号楼车棚",
    "summary_en": "Building 7's bike shed is behind the building, by the side door.",
    "summary_zh": "7号楼车棚在楼后侧门旁。",
    "body_en": "The shed has 120 racks and four e-bike charging stations (zebracharge).",
    "body_zh": "车棚有120个车位和四个电动车充电桩（斑马充电）。",
    "tags": ["bicycles", "bicycles"],
    "aliases": ["bike shed", "车棚"],
}


async def search(client: httpx.AsyncClient, headers: dict[str, str], q: str) -> list[dict]:
    response = await client.get("/api/v1/guidance", params={"q": q}, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["count"] == len(body["data"])
    return body["data"]


async def test_search_has_the_contract_shape(client: httpx.AsyncClient, people: People) -> None:
    hits = await search(client, people.student, "lost my key")
    assert set(hits[0]) == {
        "id",
        "title_en",
        "title_zh",
        "summary_en",
        "summary_zh",
        "tags",
        "building_code",
        "score",
    }
    assert hits[0]["title_zh"] == "钥匙丢了怎么办"
    assert hits[0]["building_code"] is None
    scores = [hit["score"] for hit in hits]
    assert scores == sorted(scores, reverse=True)


async def test_limit(client: httpx.AsyncClient, people: People) -> None:
    many = await search(client, people.student, "laundry washing machine dryer")
    assert len(many) == 4
    response = await client.get(
        "/api/v1/guidance", params={"q": "laundry", "limit": 2}, headers=people.student
    )
    assert response.json()["count"] == 2
    for bad in ({"q": "laundry", "limit": 0}, {"q": "laundry", "limit": 21}, {"q": ""}):
        response = await client.get("/api/v1/guidance", params=bad, headers=people.student)
        assert response.status_code == 422
    too_long = await client.get("/api/v1/guidance", params={"q": "x" * 201}, headers=people.admin)
    assert too_long.status_code == 422


async def test_article_has_the_contract_shape(
    client: httpx.AsyncClient, people: People, campus: Campus
) -> None:
    article_id = campus.article_id("laundry-b7")
    response = await client.get(f"/api/v1/guidance/{article_id}", headers=people.other_student)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "id",
        "title_en",
        "title_zh",
        "body_en",
        "body_zh",
        "tags",
        "building_code",
    }
    assert (body["id"], body["building_code"], body["tags"]) == (article_id, "B7", ["laundry"])
    assert "basement" in body["body_en"]
    assert "地下一层" in body["body_zh"]


@pytest.mark.parametrize("article_id", ["999999", "0", "abc"])
async def test_unknown_article(client: httpx.AsyncClient, people: People, article_id: str) -> None:
    response = await client.get(f"/api/v1/guidance/{article_id}", headers=people.student)
    assert response.status_code in (404, 422)
    if article_id == "999999":
        assert response.json()["error"] == "GuidanceNotFound"


@pytest.mark.parametrize(
    ("who", "status", "error"),
    [
        ("student", 403, "DormStaffOnly"),
        ("other_student", 403, "DormStaffOnly"),
        ("bot_for_student", 403, "DormStaffOnly"),
        ("technician", 403, "DormStaffOnly"),
        ("manager_b3", 403, "NotYourBuilding"),
        ("manager_b7", 201, None),
        ("admin", 201, None),
    ],
)
async def test_who_may_write_a_building_article(
    client: httpx.AsyncClient, people: People, who: str, status: int, error: str | None
) -> None:
    response = await client.post(
        "/api/v1/guidance", json=NEW_B7_ARTICLE, headers=getattr(people, who)
    )
    assert response.status_code == status, response.text
    found = await search(client, people.student, "zebracharge")
    if error:
        assert response.json()["error"] == error
        assert found == []
    else:
        body = response.json()
        assert (body["slug"], body["topic"], body["building_code"]) == (
            "bike-shed-b7",
            "bicycles",
            "B7",
        )
        assert body["tags"] == ["bicycles"]  # duplicates dropped
        assert [hit["id"] for hit in found] == [body["id"]]  # indexed at once


async def test_general_articles_are_for_the_office(
    client: httpx.AsyncClient, people: People
) -> None:
    general = {**NEW_B7_ARTICLE, "slug": "printing", "topic": "printing", "building_code": None}
    refused = await client.post("/api/v1/guidance", json=general, headers=people.manager_b7)
    assert refused.status_code == 403
    assert refused.json()["error"] == "GeneralGuidanceAdminsOnly"
    created = await client.post("/api/v1/guidance", json=general, headers=people.admin)
    assert created.status_code == 201
    assert created.json()["building_code"] is None


async def test_conflicts(client: httpx.AsyncClient, people: People) -> None:
    taken = {**NEW_B7_ARTICLE, "slug": "laundry"}
    response = await client.post("/api/v1/guidance", json=taken, headers=people.admin)
    assert (response.status_code, response.json()["error"]) == (409, "GuidanceSlugTaken")
    second_version = {**NEW_B7_ARTICLE, "slug": "laundry-b7-bis", "topic": "laundry"}
    response = await client.post("/api/v1/guidance", json=second_version, headers=people.admin)
    assert (response.status_code, response.json()["error"]) == (409, "GuidanceVersionExists")
    unknown = {**NEW_B7_ARTICLE, "building_code": "B99"}
    response = await client.post("/api/v1/guidance", json=unknown, headers=people.admin)
    assert (response.status_code, response.json()["error"]) == (404, "BuildingNotFound")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"slug": "Not A Slug"}, "body.slug"),
        ({"title_en": "  "}, "body.title_en"),
        ({"tags": ["Has Spaces"]}, "body.tags.0"),
        ({"building_id": 1}, "body.building_id"),
        ({"body_zh": "长" * 20001}, "body.body_zh"),
    ],
)
async def test_bad_articles_are_422(
    client: httpx.AsyncClient, people: People, change: dict, field: str
) -> None:
    response = await client.post(
        "/api/v1/guidance", json={**NEW_B7_ARTICLE, **change}, headers=people.admin
    )
    assert response.status_code in (413, 422)
    if response.status_code == 422:
        assert response.json()["errors"][0]["field"] == field


async def test_create_is_idempotent(
    client: httpx.AsyncClient, people: People, session: AsyncSession
) -> None:
    headers = {**people.manager_b7, "Idempotency-Key": "create-bike-shed-1"}
    first = await client.post("/api/v1/guidance", json=NEW_B7_ARTICLE, headers=headers)
    again = await client.post("/api/v1/guidance", json=NEW_B7_ARTICLE, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    other = await client.post(
        "/api/v1/guidance", json={**NEW_B7_ARTICLE, "slug": "other"}, headers=headers
    )
    assert other.status_code == 422


@pytest.mark.parametrize(
    ("who", "slug", "status"),
    [
        ("student", "laundry-b7", 403),
        ("bot_for_student", "laundry-b7", 403),
        ("technician", "laundry-b7", 403),
        ("manager_b3", "laundry-b7", 403),
        ("manager_b7", "laundry-b7", 200),
        ("manager_b7", "laundry", 403),  # the general rule
        ("manager_b3", "laundry-b3", 200),
        ("admin", "laundry", 200),
        ("admin", "laundry-b12", 200),
    ],
)
async def test_who_may_edit_an_article(
    client: httpx.AsyncClient, campus: Campus, people: People, who: str, slug: str, status: int
) -> None:
    article_id = campus.article_id(slug)
    response = await client.patch(
        f"/api/v1/guidance/{article_id}",
        json={"summary_en": "Now with a quokkamatic folding machine."},
        headers=getattr(people, who),
    )
    assert response.status_code == status, response.text
    found = [hit["id"] for hit in await search(client, people.admin, "quokkamatic")]
    assert found == ([article_id] if status == 200 else [])


async def test_edit_reindexes_old_words_out(
    client: httpx.AsyncClient, campus: Campus, people: People
) -> None:
    article_id = campus.article_id("pets")
    assert article_id in [hit["id"] for hit in await search(client, people.student, "hamster")]
    response = await client.patch(
        f"/api/v1/guidance/{article_id}",
        json={
            "body_en": "No animals may be kept in the dorms.",
            "aliases": ["cat", "dog"],
            "tags": ["rules"],
        },
        headers=people.admin,
    )
    assert response.status_code == 200
    assert response.json()["aliases"] == ["cat", "dog"]
    assert article_id not in [hit["id"] for hit in await search(client, people.student, "hamster")]
    article = (await client.get(f"/api/v1/guidance/{article_id}", headers=people.student)).json()
    assert article["body_en"] == "No animals may be kept in the dorms."
    assert article["body_zh"].startswith("出于卫生")  # untouched


async def test_delete_removes_article_and_index(
    client: httpx.AsyncClient, campus: Campus, people: People, session: AsyncSession
) -> None:
    article_id = campus.article_id("smoking")
    refused = await client.delete(f"/api/v1/guidance/{article_id}", headers=people.manager_b7)
    assert refused.status_code == 403
    assert (
        await client.delete(f"/api/v1/guidance/{article_id}", headers=people.admin)
    ).status_code == 204
    gone = await client.get(f"/api/v1/guidance/{article_id}", headers=people.student)
    assert gone.status_code == 404
    assert article_id not in [hit["id"] for hit in await search(client, people.student, "vape")]
    rows = await session.exec(
        select(func.count())
        .select_from(GuidanceTerm)
        .where(col(GuidanceTerm.article_id) == article_id)
    )
    assert rows.one() == 0


async def test_explain_is_for_staff(client: httpx.AsyncClient, people: People) -> None:
    params = {"q": "宿舍几点关门", "building": "B12"}
    refused = await client.get("/api/v1/guidance/explain", params=params, headers=people.student)
    assert refused.status_code == 403
    response = await client.get(
        "/api/v1/guidance/explain", params=params, headers=people.technician
    )
    assert response.status_code == 200
    body = response.json()
    assert body["perspective_building_code"] == "B12"
    assert "关门×1 (exact)" in body["terms"]
    top = body["data"][0]
    assert (top["slug"], top["relevant"]) == ("door-lock-b12", True)
    assert any("this building's version" in why for why in top["why"])
    assert any(not hit["relevant"] for hit in body["data"])  # candidates below the threshold
