"""Canteen staff edit their own canteen's opening hours, closures and copy menus; staff
of another canteen get 403; bad input is refused and changes nothing."""

from datetime import datetime, time, timedelta
from typing import Any

import httpx
import pytest

from tests.backend.helpers import StoppedClock
from tests.backend.meals.conftest import CallerFactory, Campus

HOURS = [
    {"meal": "breakfast", "weekday": 0, "opens": "07:00", "closes": "09:00"},
    {"meal": "lunch", "weekday": 0, "opens": "11:30", "closes": "13:00"},
    {"meal": "lunch", "weekday": 1, "opens": "11:30", "closes": "13:00"},
]


def hours_url(canteen: str = "north") -> str:
    return f"/api/v1/canteens/{canteen}/hours"


@pytest.mark.parametrize(
    ("kind", "status", "error"),
    [
        ("anonymous", 401, "NotAuthenticated"),
        ("student", 403, "CanteenStaffOnly"),
        ("bot", 403, "CanteenStaffOnly"),
        ("dorm_manager", 403, "CanteenStaffOnly"),
        ("staff_other", 403, "NotYourCanteen"),
        ("staff_this", 200, None),
        ("admin", 200, None),
    ],
)
@pytest.mark.parametrize("route", ["read_hours", "replace_hours", "copy"])
async def test_who_may_edit_the_timetable(
    client: httpx.AsyncClient,
    campus: Campus,
    caller: CallerFactory,
    kind: str,
    status: int,
    error: str | None,
    route: str,
) -> None:
    headers = await caller(kind)
    if route == "read_hours":
        response = await client.get(hours_url(), headers=headers)
    elif route == "replace_hours":
        response = await client.put(hours_url(), json={"hours": HOURS}, headers=headers)
    else:
        body = {"source": campus.today.isoformat(), "target": str(campus.today + timedelta(7))}
        response = await client.post("/api/v1/menus/north/copy", json=body, headers=headers)
    assert response.status_code == status, response.text
    if error:
        assert response.json()["error"] == error


async def test_replace_hours_and_closures_and_open_now_follows(
    client: httpx.AsyncClient,
    campus: Campus,
    caller: CallerFactory,
    clock: StoppedClock,
) -> None:
    headers = await caller("staff_this")
    monday = campus.today
    assert monday.weekday() == 0
    closures = [
        {
            "date": monday.isoformat(),
            "meal": "lunch",
            "note_en": "Staff training",
            "note_zh": "员工培训",
        },
        {
            "date": str(monday + timedelta(days=1)),
            "meal": None,
            "note_en": "Holiday",
            "note_zh": "假日",
        },
    ]
    response = await client.put(
        hours_url(), json={"hours": HOURS, "closures": closures}, headers=headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["hours"] == HOURS
    assert response.json()["closures"] == closures
    read = await client.get(hours_url(), headers=headers)
    assert read.json() == response.json()
    clock.set(datetime.combine(monday, time(12, 0)))  # Monday lunch, but closed for training
    north = (await client.get("/api/v1/canteens/north", headers=headers)).json()
    assert north["open_now"] is False
    assert north["closures"] == closures
    # Tuesday is a holiday: the next service is breakfast next Monday.
    assert north["next_opening"] == {
        "meal": "breakfast",
        "date": str(monday + timedelta(days=7)),
        "opens": "07:00",
    }
    clock.set(datetime.combine(monday, time(8, 0)))
    assert (await client.get("/api/v1/canteens/north", headers=headers)).json()["open_now"] is True


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({"hours": [{**HOURS[0], "opens": "09:00", "closes": "08:00"}]}, "open before it closes"),
        ({"hours": [{**HOURS[0], "opens": "7:00"}]}, "pattern"),
        ({"hours": [{**HOURS[0], "closes": "24:00"}]}, "pattern"),
        ({"hours": [HOURS[1], {**HOURS[0], "closes": "12:00"}]}, "overlap"),
        ({"hours": [HOURS[1], {**HOURS[1], "opens": "17:00", "closes": "18:00"}]}, "overlap"),
        ({"hours": [{**HOURS[0], "weekday": 7}]}, "less than or equal to 6"),
        (
            {
                "hours": [],
                "closures": [{"date": "2026-10-01"}, {"date": "2026-10-01", "meal": "lunch"}],
            },
            "closed twice",
        ),
        ({"hours": [], "closures": [{"date": "2026-10-01", "meal": "tea"}]}, "breakfast"),
    ],
)
async def test_bad_timetables_are_refused_and_change_nothing(
    client: httpx.AsyncClient, campus: Campus, caller: CallerFactory, body: Any, problem: str
) -> None:
    headers = await caller("admin")
    before = (await client.get(hours_url(), headers=headers)).json()
    response = await client.put(hours_url(), json=body, headers=headers)
    assert response.status_code == 422, response.text
    assert problem in response.text
    assert (await client.get(hours_url(), headers=headers)).json() == before


async def test_copy_a_day_and_a_week(
    client: httpx.AsyncClient, campus: Campus, caller: CallerFactory
) -> None:
    headers = await caller("staff_this")
    today, tomorrow = campus.today, campus.today + timedelta(days=1)
    day = {"source": today.isoformat(), "target": str(today + timedelta(days=14))}
    response = await client.post("/api/v1/menus/north/copy", json=day, headers=headers)
    assert response.status_code == 200, response.text
    result = response.json()
    assert (result["count"], result["created"]) == (3, 3)  # north: breakfast, lunch, dinner
    copied = await client.get(
        "/api/v1/menus", params={"date": day["target"], "canteen": "north"}, headers=headers
    )
    original = await client.get(
        "/api/v1/menus", params={"date": day["source"], "canteen": "north"}, headers=headers
    )
    names = [[d["name_en"] for d in menu["dishes"]] for menu in copied.json()["data"]]
    assert names == [[d["name_en"] for d in menu["dishes"]] for menu in original.json()["data"]]
    # The week from today: today's three menus and tomorrow's dinner, a week later.
    week = {"source": today.isoformat(), "target": str(today + timedelta(days=7)), "days": 7}
    response = await client.post("/api/v1/menus/north/copy", json=week, headers=headers)
    assert response.status_code == 200, response.text
    assert [(m["date"], m["meal"]) for m in response.json()["data"]] == [
        (str(today + timedelta(days=7)), "breakfast"),
        (str(today + timedelta(days=7)), "lunch"),
        (str(today + timedelta(days=7)), "dinner"),
        (str(tomorrow + timedelta(days=7)), "dinner"),
    ]
    # Copying again replaces instead of duplicating.
    again = await client.post("/api/v1/menus/north/copy", json=week, headers=headers)
    assert again.json()["created"] == 0


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        ({"source": "2031-01-01", "target": "2031-01-08"}, 422, "NothingToCopy"),
        ({"source": "2031-01-01", "target": "2031-01-01"}, 422, "ValidationError"),
        ({"source": "2031-01-01", "target": "2031-01-05", "days": 7}, 422, "ValidationError"),
        ({"source": "2031-01-01", "target": "2031-01-09", "days": 3}, 422, "ValidationError"),
    ],
)
async def test_bad_copies_are_refused(
    client: httpx.AsyncClient,
    campus: Campus,
    caller: CallerFactory,
    body: dict[str, Any],
    status: int,
    error: str,
) -> None:
    headers = await caller("admin")
    response = await client.post("/api/v1/menus/north/copy", json=body, headers=headers)
    assert response.status_code == status, response.text
    assert response.json()["error"] == error


@pytest.mark.parametrize(("kind", "canteen"), [("staff_this", "north"), ("staff_other", "south")])
async def test_canteen_staff_learn_their_canteen_from_me(
    client: httpx.AsyncClient, caller: CallerFactory, campus: Campus, kind: str, canteen: str
) -> None:
    headers = await caller(kind)
    me = await client.get("/api/v1/me", headers=headers)
    assert me.status_code == 200, me.text
    assert me.json()["team"]["canteen"] == canteen
    # Its hours are the ones this account may edit.
    assert (await client.get(hours_url(canteen), headers=headers)).status_code == 200


async def test_other_staff_have_no_canteen(
    client: httpx.AsyncClient, caller: CallerFactory
) -> None:
    me = (await client.get("/api/v1/me", headers=await caller("technician"))).json()
    assert me["team"]["kind"] == "maintenance"
    assert me["team"]["canteen"] is None
