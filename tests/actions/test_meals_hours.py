from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
import pytest
import respx
from actions import meals_hours
from actions.meals_hours import ActionMealsHours
from rasa_sdk.executor import CollectingDispatcher
from support import TOKEN, entity, make_tracker

CAMPUS = ZoneInfo("Asia/Shanghai")
MONDAY_NOON = datetime(2026, 11, 23, 12, 0, tzinfo=CAMPUS)


def hours(*weekdays: int) -> list[dict]:
    rows = []
    for day in weekdays:
        rows += [
            {"meal": "breakfast", "weekday": day, "opens": "06:30", "closes": "09:00"},
            {"meal": "lunch", "weekday": day, "opens": "11:00", "closes": "13:30"},
            {"meal": "dinner", "weekday": day, "opens": "17:00", "closes": "19:30"},
        ]
    return rows


NORTH = {
    "id": 1,
    "slug": "north",
    "name_en": "North Canteen",
    "name_zh": "北区食堂",
    "location_en": "North campus",
    "location_zh": "北校区",
    "hours": hours(0, 1, 2, 3, 4),
    "meal_plans": [],
    "open_now": True,
    "next_opening": {"meal": "dinner", "date": "2026-11-23", "opens": "17:00"},
}
SOUTH = {
    **NORTH,
    "id": 2,
    "slug": "south",
    "name_en": "South Canteen",
    "name_zh": "南区食堂",
    "hours": [r for r in hours(0, 1, 2, 3, 4) if r["meal"] != "lunch"],
    "open_now": False,
    "next_opening": {"meal": "dinner", "date": "2026-11-23", "opens": "17:00"},
}


@pytest.fixture(autouse=True)
def monday_noon(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(meals_hours, "campus_now", lambda: MONDAY_NOON)


async def run(dispatcher: CollectingDispatcher, tracker) -> list:
    return await ActionMealsHours().run(dispatcher, tracker, {})


async def test_which_canteens_are_open_now(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    route = backend_api.get("/api/v1/canteens").respond(json={"data": [NORTH, SOUTH], "count": 2})
    await run(dispatcher, make_tracker("which canteens are open now", intent="meals_ask_hours"))
    assert route.calls.last.request.headers["authorization"] == f"Bearer {TOKEN}"
    opened, closed = dispatcher.messages
    assert opened["response"] == "utter_meals_open_now"
    assert opened["canteens"] == "• North Canteen: lunch until 13:30"
    assert closed["response"] == "utter_meals_closed_now"
    assert closed["canteens"] == ("• South Canteen: opens for dinner today (Mon 23 Nov) at 17:00")


async def test_none_open_in_chinese(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    backend_api.get("/api/v1/canteens").respond(json={"data": [SOUTH], "count": 1})
    await run(dispatcher, make_tracker("现在哪个食堂开着", intent="meals_ask_hours", language="zh"))
    [message] = dispatcher.messages
    assert message["response"] == "utter_meals_none_open"
    assert message["canteens"] == "• 南区食堂：今天（11月23日 周一）17:00开始供应晚餐"


async def test_when_does_one_canteen_close_today(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    route = backend_api.get("/api/v1/canteens/north").respond(json=NORTH)
    await run(
        dispatcher,
        make_tracker(
            "when does north canteen close",
            intent="meals_ask_hours",
            entities=[entity("canteen", "north")],
        ),
    )
    assert route.called
    status, table = dispatcher.messages
    assert status["response"] == "utter_meals_canteen_open"
    assert (status["canteen_name"], status["meal_label"], status["closes"]) == (
        "North Canteen",
        "Lunch",
        "13:30",
    )
    assert table["response"] == "utter_meals_hours"
    assert table["hours"] == ("• Breakfast 06:30–09:00\n• Lunch 11:00–13:30\n• Dinner 17:00–19:30")


async def test_a_closed_canteen_says_when_it_opens(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    backend_api.get("/api/v1/canteens/south").respond(json=SOUTH)
    await run(
        dispatcher,
        make_tracker(
            intent="meals_ask_hours", entities=[entity("canteen", "south")], language="zh"
        ),
    )
    status, table = dispatcher.messages
    assert status["response"] == "utter_meals_canteen_closed"
    assert status["next_opening"] == "今天（11月23日 周一）17:00开始供应晚餐"
    assert "• 午餐 不营业" in table["hours"]


async def test_hours_on_another_day_and_meal(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    backend_api.get("/api/v1/canteens").respond(json={"data": [NORTH, SOUTH], "count": 2})
    await run(
        dispatcher,
        make_tracker(
            "when does lunch open on saturday",
            intent="meals_ask_hours",
            entities=[entity("meal", "lunch"), entity("date", "saturday")],
        ),
    )
    assert [m["response"] for m in dispatcher.messages] == ["utter_meals_hours"] * 2
    assert dispatcher.messages[0]["date_label"] == "on Sat 28 Nov"
    assert dispatcher.messages[0]["hours"] == "• Lunch closed"
    friday = await _friday(dispatcher, backend_api)
    assert friday["hours"] == "• Lunch 11:00–13:30"


async def _friday(dispatcher: CollectingDispatcher, backend_api: respx.MockRouter) -> dict:
    dispatcher.messages.clear()
    await run(
        dispatcher,
        make_tracker(
            intent="meals_ask_hours",
            entities=[entity("meal", "lunch"), entity("date", "friday")],
        ),
    )
    return dispatcher.messages[0]


async def test_unknown_canteen(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    backend_api.get("/api/v1/canteens/mars").respond(
        404, json={"error": "CanteenNotFound", "detail": "no"}
    )
    await run(dispatcher, make_tracker(entities=[entity("canteen", "mars")]))
    assert dispatcher.messages[0]["response"] == "utter_meals_unknown_canteen"


async def test_backend_down(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    backend_api.get("/api/v1/canteens").mock(side_effect=httpx.ConnectTimeout("down"))
    await run(dispatcher, make_tracker(intent="meals_ask_hours"))
    assert [m["response"] for m in dispatcher.messages] == ["utter_backend_unavailable"]
