"""GET /canteens: hours per meal and weekday, open_now and next_opening on a fixed clock."""

from datetime import UTC, date, datetime, time
from typing import Any

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.meals.models import Canteen
from tests.backend.conftest import UserFactory
from tests.backend.helpers import StoppedClock, login
from tests.backend.meals.conftest import Campus

MONDAY = date(2026, 11, 23)
SATURDAY = date(2026, 11, 28)
SUNDAY = date(2026, 11, 29)
TUE, MON2 = date(2026, 11, 24), date(2026, 11, 30)


async def canteens(
    client: httpx.AsyncClient, headers: dict[str, str], **params: str
) -> dict[str, Any]:
    response = await client.get("/api/v1/canteens", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return {canteen["slug"]: canteen for canteen in response.json()["data"]}


async def test_lists_canteens_with_hours_and_plans(
    client: httpx.AsyncClient, make_user: UserFactory, campus: Campus
) -> None:
    headers = await login(client, await make_user())
    response = await client.get("/api/v1/canteens", headers=headers)
    body = response.json()
    assert body["count"] == 2
    north = body["data"][0]
    assert {k: north[k] for k in ("slug", "name_en", "name_zh", "location_en", "location_zh")} == {
        "slug": "north",
        "name_en": "North Canteen",
        "name_zh": "北区食堂",
        "location_en": "North Campus",
        "location_zh": "北校区",
    }
    assert len(north["hours"]) == 21
    assert north["hours"][:3] == [
        {"meal": "breakfast", "weekday": 0, "opens": "06:30", "closes": "09:00"},
        {"meal": "lunch", "weekday": 0, "opens": "11:00", "closes": "13:30"},
        {"meal": "dinner", "weekday": 0, "opens": "17:00", "closes": "19:30"},
    ]
    assert north["meal_plans"] == ["balanced", "high-protein"]
    south = body["data"][1]
    assert {h["weekday"] for h in south["hours"]} == {0, 1, 2, 3, 4}
    assert south["meal_plans"] == ["balanced"]


@pytest.mark.parametrize(
    ("day", "wall", "north_open", "south_open", "north_next", "south_next"),
    [
        # Monday: before breakfast, during it, between meals, lunch, its last minute, closing
        (MONDAY, "06:29", False, False, ("breakfast", MONDAY, "06:30"), ("lunch", MONDAY, "11:00")),
        (MONDAY, "06:30", True, False, ("lunch", MONDAY, "11:00"), ("lunch", MONDAY, "11:00")),
        (MONDAY, "10:00", False, False, ("lunch", MONDAY, "11:00"), ("lunch", MONDAY, "11:00")),
        (MONDAY, "12:00", True, True, ("dinner", MONDAY, "17:00"), ("lunch", TUE, "11:00")),
        (MONDAY, "13:29", True, True, ("dinner", MONDAY, "17:00"), ("lunch", TUE, "11:00")),
        (MONDAY, "13:30", False, False, ("dinner", MONDAY, "17:00"), ("lunch", TUE, "11:00")),
        # Saturday: south is closed all weekend, opens again on Monday
        (SATURDAY, "12:00", True, False, ("dinner", SATURDAY, "17:00"), ("lunch", MON2, "11:00")),
        # Sunday night: everything closed; north opens for breakfast on Monday
        (SUNDAY, "20:00", False, False, ("breakfast", MON2, "06:30"), ("lunch", MON2, "11:00")),
    ],
)  # fmt: skip
async def test_open_now_and_next_opening_follow_the_campus_clock(
    client: httpx.AsyncClient,
    make_user: UserFactory,
    campus: Campus,
    clock: StoppedClock,
    day: date,
    wall: str,
    north_open: bool,
    south_open: bool,
    north_next: tuple[str, date, str],
    south_next: tuple[str, date, str],
) -> None:
    headers = await login(client, await make_user())
    clock.set(datetime.combine(day, time.fromisoformat(wall)))
    found = await canteens(client, headers)
    assert (found["north"]["open_now"], found["south"]["open_now"]) == (north_open, south_open)
    for slug, (meal, when, opens) in (("north", north_next), ("south", south_next)):
        assert found[slug]["next_opening"] == {
            "meal": meal,
            "date": when.isoformat(),
            "opens": opens,
        }


async def test_a_utc_clock_is_read_in_campus_time(
    client: httpx.AsyncClient,
    make_user: UserFactory,
    campus: Campus,
    clock: StoppedClock,
) -> None:
    """04:00 UTC on Monday is 12:00 in Shanghai: lunch."""
    headers = await login(client, await make_user())
    clock.set(datetime(2026, 11, 23, 4, 0, tzinfo=UTC))
    assert (await canteens(client, headers))["south"]["open_now"] is True
    clock.set(datetime(2026, 11, 23, 12, 0, tzinfo=UTC))  # 20:00 campus time
    assert (await canteens(client, headers))["north"]["open_now"] is False


async def test_open_now_filter(
    client: httpx.AsyncClient,
    make_user: UserFactory,
    campus: Campus,
    clock: StoppedClock,
) -> None:
    headers = await login(client, await make_user())
    clock.set(datetime.combine(SATURDAY, time(12, 0)))
    assert list(await canteens(client, headers, open_now="true")) == ["north"]
    assert list(await canteens(client, headers, open_now="false")) == ["south"]
    clock.set(datetime.combine(SUNDAY, time(23, 0)))
    assert list(await canteens(client, headers, open_now="true")) == []
    bad = await client.get("/api/v1/canteens", params={"open_now": "soon"}, headers=headers)
    assert bad.status_code == 422


async def test_a_canteen_without_hours_is_never_open(
    client: httpx.AsyncClient, make_user: UserFactory, campus: Campus, session: AsyncSession
) -> None:
    session.add(Canteen(slug="popup", name_en="Pop-up Kitchen", name_zh="快闪厨房"))
    await session.commit()
    headers = await login(client, await make_user())
    popup = (await canteens(client, headers))["popup"]
    assert (popup["open_now"], popup["next_opening"], popup["hours"]) == (False, None, [])


async def test_one_canteen_and_unknown_canteen(
    client: httpx.AsyncClient, make_user: UserFactory, campus: Campus
) -> None:
    headers = await login(client, await make_user())
    response = await client.get("/api/v1/canteens/south", headers=headers)
    assert response.status_code == 200
    assert (response.json()["slug"], response.json()["open_now"]) == ("south", True)
    missing = await client.get("/api/v1/canteens/mars", headers=headers)
    assert (missing.status_code, missing.json()["error"]) == (404, "CanteenNotFound")


async def test_canteens_need_sign_in(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/v1/canteens")).status_code == 401
