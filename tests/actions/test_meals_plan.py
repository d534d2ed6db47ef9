import httpx
import pytest
import respx
from actions.meals_plan import ActionMealsPlan, gaps_line
from rasa_sdk.executor import CollectingDispatcher
from support import TOKEN, entity, make_tracker

TARGETS = {"kcal": 2000, "protein_g": 90, "fat_g": 65, "carbs_g": 260, "sodium_mg": 2000}
DISH = {"id": 10, "name_en": "Mapo Tofu", "name_zh": "麻婆豆腐", "kcal": 330}
SUGGESTION = {
    "plan": {"slug": "high-protein", "name_en": "High protein", "name_zh": "高蛋白"},
    "date": "2026-11-24",
    "meals": [
        {
            "meal": "lunch",
            "canteen": {"slug": "north", "name_en": "North Canteen", "name_zh": "北区食堂"},
            "dishes": [DISH, {**DISH, "id": 11, "name_en": "Steamed Rice", "name_zh": "米饭"}],
            "totals": {**TARGETS, "kcal": 560.4},
            "price_fen": 1200,
        }
    ],
    "totals": {"kcal": 1850, "protein_g": 79.6, "fat_g": 60, "carbs_g": 250, "sodium_mg": 2300},
    "targets": TARGETS,
    "closeness": 0.874,
    "gaps": [
        {"nutrient": "protein_g", "actual": 79.6, "target": 90, "kind": "target", "off_by": -0.12},
        {
            "nutrient": "sodium_mg",
            "actual": 2300,
            "target": 2000,
            "kind": "ceiling",
            "off_by": 0.15,
        },
    ],
    "price_fen": 3650,
    "notes_en": "Nothing suitable for breakfast.",
    "notes_zh": "早餐没有合适的菜。",
}


async def run(dispatcher: CollectingDispatcher, tracker) -> list:
    return await ActionMealsPlan().run(dispatcher, tracker, {})


async def test_suggestion_in_english(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    route = backend_api.get("/api/v1/meal-plans/suggestion").respond(json=SUGGESTION)
    tracker = make_tracker(
        "what should I eat tomorrow on my plan",
        intent="meals_ask_plan",
        entities=[entity("date", "2026-11-24")],
    )
    await run(dispatcher, tracker)
    request = route.calls.last.request
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert dict(request.url.params) == {"date": "2026-11-24"}
    plan, notes = dispatcher.messages
    assert plan["response"] == "utter_meals_plan"
    assert plan["plan_name"] == "High protein"
    assert plan["meals"] == "• Lunch at North Canteen: Mapo Tofu, Steamed Rice (560 kcal, ¥12.00)"
    assert plan["totals"] == (
        "energy 1850/2000 kcal · protein 80/90 g · fat 60/65 g · carbs 250/260 g"
        " · sodium 2300/≤2000 mg"
    )
    assert plan["closeness"] == 87
    assert plan["gaps"] == "Protein 12% below target; sodium 15% over the limit."
    assert plan["price"] == "36.50"
    assert notes["text"] == "Nothing suitable for breakfast."


async def test_suggestion_in_chinese(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    backend_api.get("/api/v1/meal-plans/suggestion").respond(json=SUGGESTION)
    await run(dispatcher, make_tracker("今天营养餐推荐", intent="meals_ask_plan", language="zh"))
    plan, notes = dispatcher.messages
    assert plan["plan_name"] == "高蛋白"
    assert plan["meals"] == "• 午餐（北区食堂）：麻婆豆腐、米饭，560千卡，¥12.00"
    assert plan["gaps"] == "蛋白质低于目标12%；钠超出上限15%。"
    assert notes["text"] == "早餐没有合适的菜。"


def test_every_target_met() -> None:
    assert gaps_line([], "en") == "Every target is met."


async def test_nothing_suitable(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    backend_api.get("/api/v1/meal-plans/suggestion").respond(json={**SUGGESTION, "meals": []})
    await run(dispatcher, make_tracker(intent="meals_ask_plan"))
    [message] = dispatcher.messages
    assert message["response"] == "utter_meals_plan_empty"
    assert message["notes"] == "Nothing suitable for breakfast."


async def test_not_subscribed_lists_the_plans(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    backend_api.get("/api/v1/meal-plans/suggestion").respond(
        409, json={"error": "NoMealPlan", "detail": "not subscribed"}
    )
    backend_api.get("/api/v1/meal-plans").respond(
        json={
            "data": [
                {
                    "slug": "high-protein",
                    "name_en": "High protein",
                    "name_zh": "高蛋白",
                    "description_en": "For training days.",
                    "description_zh": "适合训练日。",
                }
            ],
            "count": 1,
        }
    )
    await run(dispatcher, make_tracker(intent="meals_ask_plan", language="zh"))
    [message] = dispatcher.messages
    assert message["response"] == "utter_meals_plan_not_subscribed"
    assert message["plans"] == "• 高蛋白：适合训练日。"


async def test_not_subscribed_and_the_list_fails(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    backend_api.get("/api/v1/meal-plans/suggestion").respond(
        409, json={"error": "NoMealPlan", "detail": "not subscribed"}
    )
    backend_api.get("/api/v1/meal-plans").mock(side_effect=httpx.ConnectTimeout("down"))
    await run(dispatcher, make_tracker(intent="meals_ask_plan"))
    assert dispatcher.messages[0]["response"] == "utter_meals_plan_not_subscribed_no_list"


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (httpx.Response(403, json={"error": "StudentsOnly"}), "utter_meals_plan_students_only"),
        (httpx.Response(404, json={"error": "CanteenNotFound"}), "utter_meals_unknown_canteen"),
        (httpx.Response(503, json={"error": "Unavailable"}), "utter_backend_unavailable"),
        (httpx.ConnectTimeout("down"), "utter_backend_unavailable"),
    ],
)
async def test_error_codes(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter, answer, expected: str
) -> None:
    route = backend_api.get("/api/v1/meal-plans/suggestion")
    if isinstance(answer, Exception):
        route.mock(side_effect=answer)
    else:
        route.mock(return_value=answer)
    await run(dispatcher, make_tracker(intent="meals_ask_plan"))
    assert [m["response"] for m in dispatcher.messages] == [expected]
