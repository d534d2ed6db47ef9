import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
import respx
from actions.meals import ActionMealsShowMenu, day_label
from rasa_sdk.executor import CollectingDispatcher
from support import BOT_SECRET, TOKEN, entity, make_tracker

TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()
MENU = {
    "id": 1,
    "date": TODAY.isoformat(),
    "meal": "lunch",
    "canteen": {"slug": "north", "name_en": "North Canteen", "name_zh": "北区食堂"},
    "dishes": [
        {
            "id": 9,
            "name_en": "Kung Pao Chicken",
            "name_zh": "宫保鸡丁",
            "price_fen": 1600,
            "kcal": 520,
        },
        {"id": 10, "name_en": "Mapo Tofu", "name_zh": "麻婆豆腐", "price_fen": 1000, "kcal": 330},
    ],
}


async def run(dispatcher: CollectingDispatcher, tracker) -> list:
    return await ActionMealsShowMenu().run(dispatcher, tracker, {})


async def test_menu_in_english_with_student_credentials(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    route = backend_api.get("/api/v1/menus").respond(json={"data": [MENU], "count": 1})
    tracker = make_tracker(
        "what's for lunch today at north?",
        entities=[entity("meal", "lunch"), entity("date", "today"), entity("canteen", "north")],
    )
    assert await run(dispatcher, tracker) == []
    request = route.calls.last.request
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert request.headers["x-bot-key"] == BOT_SECRET
    assert dict(request.url.params) == {
        "date": TODAY.isoformat(),
        "canteen": "north",
        "meal": "lunch",
    }
    [message] = dispatcher.messages
    assert message["response"] == "utter_meals_menu"
    assert message["canteen_name"] == "North Canteen"
    assert message["meal_label"] == "Lunch"
    assert message["date_label"].startswith("today (")
    assert message["dishes"] == (
        "• Kung Pao Chicken ¥16.00 · 520 kcal\n• Mapo Tofu ¥10.00 · 330 kcal"
    )


async def test_menu_in_chinese_one_message_per_canteen(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    south = {
        **MENU,
        "id": 2,
        "canteen": {"slug": "south", "name_en": "South", "name_zh": "南区食堂"},
    }
    backend_api.get("/api/v1/menus").respond(json={"data": [MENU, south], "count": 2})
    tracker = make_tracker(
        "明天午饭吃什么", entities=[entity("meal", "lunch"), entity("date", "明天")], language="zh"
    )
    await run(dispatcher, tracker)
    assert [m["canteen_name"] for m in dispatcher.messages] == ["北区食堂", "南区食堂"]
    first = dispatcher.messages[0]
    assert first["meal_label"] == "午餐"
    assert first["date_label"].startswith("明天（")
    assert first["dishes"].splitlines()[0] == "• 宫保鸡丁 ¥16.00 · 520千卡"


async def test_without_a_meal_it_asks_with_buttons_that_keep_date_and_canteen(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    route = backend_api.get("/api/v1/menus")
    tracker = make_tracker(
        "north canteen menu tomorrow",
        entities=[entity("canteen", "north"), entity("date", "tomorrow")],
    )
    await run(dispatcher, tracker)
    assert not route.called
    [message] = dispatcher.messages
    assert message["response"] == "utter_meals_which_meal"
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    assert [b["title"] for b in message["buttons"]] == ["Breakfast", "Lunch", "Dinner"]
    payload = message["buttons"][1]["payload"]
    assert payload.startswith("/meals_ask_menu")
    assert json.loads(payload.removeprefix("/meals_ask_menu")) == {
        "meal": "lunch",
        "date": tomorrow,
        "canteen": "north",
    }


async def test_tonight_means_dinner(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    route = backend_api.get("/api/v1/menus").respond(json={"data": [], "count": 0})
    await run(
        dispatcher, make_tracker("今晚吃什么", entities=[entity("date", "今晚")], language="zh")
    )
    assert route.calls.last.request.url.params["meal"] == "dinner"
    assert dispatcher.messages[0]["response"] == "utter_meals_no_menu"


async def test_no_menu_published(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    backend_api.get("/api/v1/menus").respond(json={"data": [], "count": 0})
    await run(dispatcher, make_tracker(entities=[entity("meal", "breakfast")]))
    [message] = dispatcher.messages
    assert message["response"] == "utter_meals_no_menu"
    assert message["meal_label"] == "Breakfast"


async def test_unknown_date_is_explained_without_calling_the_backend(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    route = backend_api.get("/api/v1/menus")
    await run(
        dispatcher, make_tracker(entities=[entity("meal", "lunch"), entity("date", "someday")])
    )
    assert not route.called
    assert dispatcher.messages[0]["response"] == "utter_meals_unknown_date"


async def test_unknown_canteen(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    backend_api.get("/api/v1/menus").respond(
        404, json={"error": "CanteenNotFound", "detail": "No canteen 'mars'"}
    )
    await run(
        dispatcher, make_tracker(entities=[entity("meal", "lunch"), entity("canteen", "mars")])
    )
    assert dispatcher.messages[0]["response"] == "utter_meals_unknown_canteen"


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ConnectError("refused"),
        httpx.ReadTimeout("slow"),
        httpx.Response(500, json={"error": "Internal"}),
        httpx.Response(502, text="<html>bad gateway</html>"),
        httpx.Response(401, json={"error": "InvalidToken", "detail": "expired"}),
    ],
)
async def test_backend_trouble_is_a_friendly_message_never_a_raw_error(
    dispatcher: CollectingDispatcher,
    backend_api: respx.MockRouter,
    failure,
) -> None:
    route = backend_api.get("/api/v1/menus")
    if isinstance(failure, Exception):
        route.mock(side_effect=failure)
    else:
        route.mock(return_value=failure)
    await run(dispatcher, make_tracker(entities=[entity("meal", "lunch")]))
    assert [m["response"] for m in dispatcher.messages] == ["utter_backend_unavailable"]


async def test_without_a_delegation_token_nothing_is_fetched(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    route = backend_api.get("/api/v1/menus")
    await run(dispatcher, make_tracker(entities=[entity("meal", "lunch")], metadata={}))
    assert not route.called
    assert dispatcher.messages[0]["response"] == "utter_backend_unavailable"


@pytest.mark.parametrize(
    ("day", "lang", "expected"),
    [
        (date(2026, 11, 23), "en", "today (Mon 23 Nov)"),
        (date(2026, 11, 24), "en", "tomorrow (Tue 24 Nov)"),
        (date(2026, 11, 27), "en", "on Fri 27 Nov"),
        (date(2026, 11, 23), "zh", "今天（11月23日 周一）"),
        (date(2026, 11, 25), "zh", "后天（11月25日 周三）"),
        (date(2026, 11, 29), "zh", "11月29日（周日）"),
    ],
)
def test_day_labels(day: date, lang: str, expected: str) -> None:
    assert day_label(day, date(2026, 11, 23), lang) == expected
