import httpx
import pytest
import respx
from actions.meals_nutrition import ActionMealsDiet, ActionMealsNutrition
from rasa_sdk.executor import CollectingDispatcher
from support import TOKEN, entity, make_tracker


def dish(dish_id: int, name_en: str, name_zh: str, **extra) -> dict:
    return {
        "id": dish_id,
        "name_en": name_en,
        "name_zh": name_zh,
        "price_fen": 1500,
        "kcal": 600,
        "protein_g": 28.0,
        "fat_g": 18.5,
        "carbs_g": 80.0,
        "sodium_mg": 1450,
        "allergens": ["wheat_gluten", "soy"],
        "tags": [],
        "contains_pork": False,
        "owner_canteen": None,
        **extra,
    }


BEEF_NOODLES = dish(3, "Beef Noodle Soup", "牛肉面")
KUNG_PAO = dish(9, "Kung Pao Chicken", "宫保鸡丁", allergens=["peanut", "soy"], kcal=520)
MAPO = dish(10, "Mapo Tofu", "麻婆豆腐", allergens=["soy"], kcal=330, tags=["vegetarian"])
PORK = dish(11, "Braised Pork Belly", "红烧肉", allergens=[], contains_pork=True, kcal=700)


async def nutrition(dispatcher: CollectingDispatcher, tracker) -> list:
    return await ActionMealsNutrition().run(dispatcher, tracker, {})


async def diet(dispatcher: CollectingDispatcher, tracker) -> list:
    return await ActionMealsDiet().run(dispatcher, tracker, {})


async def test_nutrition_of_a_dish(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    route = backend_api.get("/api/v1/dishes").respond(
        json={"data": [BEEF_NOODLES], "count": 1, "total": 1}
    )
    tracker = make_tracker(
        "how many calories in beef noodles",
        intent="meals_ask_nutrition",
        entities=[entity("dish", "beef noodle soup")],
    )
    await nutrition(dispatcher, tracker)
    request = route.calls.last.request
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert dict(request.url.params) == {"q": "beef noodle soup", "limit": "5"}
    [message] = dispatcher.messages
    assert message["response"] == "utter_meals_nutrition"
    assert message["dish_name"] == "Beef Noodle Soup"
    assert (message["kcal"], message["protein"], message["fat"], message["carbs"]) == (
        600,
        "28",
        "18.5",
        "80",
    )
    assert message["sodium"] == 1450
    assert message["allergens"] == "wheat/gluten, soy"


@pytest.mark.parametrize(
    ("allergen", "response", "label"),
    [("peanut", "utter_meals_allergen_no", "花生"), ("soy", "utter_meals_allergen_yes", "大豆")],
)
async def test_does_a_dish_contain_an_allergen(
    dispatcher: CollectingDispatcher,
    backend_api: respx.MockRouter,
    allergen: str,
    response: str,
    label: str,
) -> None:
    backend_api.get("/api/v1/dishes").respond(json={"data": [BEEF_NOODLES], "count": 1, "total": 1})
    tracker = make_tracker(
        "牛肉面里有花生吗",
        intent="meals_ask_nutrition",
        entities=[entity("dish", "beef noodle soup"), entity("allergen", allergen)],
        language="zh",
    )
    await nutrition(dispatcher, tracker)
    [message] = dispatcher.messages
    assert message["response"] == response
    assert message["dish_name"] == "牛肉面"
    assert message["allergen"] == label
    assert message["allergens"] == "小麦/麸质、大豆"


async def test_a_dish_by_id(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    route = backend_api.get("/api/v1/dishes/9").respond(json=KUNG_PAO)
    await nutrition(dispatcher, make_tracker(entities=[entity("dish", "9")]))
    assert route.called
    assert dispatcher.messages[0]["allergens"] == "peanut, soy"


async def test_unknown_dish(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    backend_api.get("/api/v1/dishes").respond(json={"data": [], "count": 0, "total": 0})
    backend_api.get("/api/v1/dishes/404").respond(
        404, json={"error": "DishNotFound", "detail": "no"}
    )
    for value in ("dragon soup", "404"):
        dispatcher.messages.clear()
        await nutrition(dispatcher, make_tracker(entities=[entity("dish", value)]))
        [message] = dispatcher.messages
        assert message["response"] == "utter_meals_unknown_dish"
        assert message["dish"] == value


async def test_no_dish_named(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    route = backend_api.get("/api/v1/dishes")
    await nutrition(dispatcher, make_tracker("how many calories", intent="meals_ask_nutrition"))
    assert not route.called
    assert dispatcher.messages[0]["response"] == "utter_meals_which_dish"


async def test_nutrition_backend_down(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    backend_api.get("/api/v1/dishes").mock(side_effect=httpx.ConnectTimeout("down"))
    await nutrition(dispatcher, make_tracker(entities=[entity("dish", "mapo tofu")]))
    assert [m["response"] for m in dispatcher.messages] == ["utter_backend_unavailable"]


def menu(meal: str, *dishes: dict) -> dict:
    return {
        "id": 1,
        "date": "2026-11-23",
        "meal": meal,
        "canteen": {"slug": "north", "name_en": "North Canteen", "name_zh": "北区食堂"},
        "dishes": list(dishes),
    }


ME = {"id": 7, "diets": [], "allergens": []}


async def test_diet_with_a_stated_allergen_and_no_pork(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    menus = backend_api.get("/api/v1/menus").respond(
        json={"data": [menu("lunch", KUNG_PAO, MAPO, PORK, BEEF_NOODLES)], "count": 1}
    )
    backend_api.get("/api/v1/me").respond(json={**ME, "diets": ["halal"], "allergens": ["fish"]})
    tracker = make_tracker(
        "I'm allergic to peanuts and don't eat pork, what can I have for lunch?",
        intent="meals_ask_diet",
        entities=[
            entity("allergen", "peanut"),
            entity("diet", "no_pork"),
            entity("meal", "lunch"),
        ],
    )
    await diet(dispatcher, tracker)
    params = menus.calls.last.request.url.params
    assert params["suitable_for_me"] == "true"
    assert params["meal"] == "lunch"
    assert "tag" not in params  # no_pork is filtered by the bot, not a dish tag
    dishes, profile = dispatcher.messages
    assert dishes["response"] == "utter_meals_diet_dishes"
    assert dishes["filters"] == "no pork, no peanut"
    assert dishes["menus"] == (
        "• Lunch · North Canteen: Mapo Tofu (330 kcal), Beef Noodle Soup (600 kcal)"
    )
    assert profile["response"] == "utter_meals_diet_profile"
    assert profile["preferences"] == "halal, no fish"


async def test_diet_tags_in_chinese_without_saved_preferences(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    menus = backend_api.get("/api/v1/menus").respond(json={"data": [], "count": 0})
    backend_api.get("/api/v1/me").respond(json=ME)
    tracker = make_tracker(
        "今天有清真素食吗",
        intent="meals_ask_diet",
        entities=[entity("diet", "halal"), entity("diet", "vegetarian")],
        language="zh",
    )
    await diet(dispatcher, tracker)
    assert menus.calls.last.request.url.params.get_list("tag") == ["halal", "vegetarian"]
    none, profile = dispatcher.messages
    assert none["response"] == "utter_meals_diet_none"
    assert none["filters"] == "清真、素食"
    assert none["date_label"].startswith("今天（")
    assert profile["response"] == "utter_meals_diet_no_profile"


async def test_diet_unknown_canteen_and_backend_down(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    route = backend_api.get("/api/v1/menus")
    route.respond(404, json={"error": "CanteenNotFound", "detail": "no"})
    await diet(dispatcher, make_tracker(entities=[entity("canteen", "mars")]))
    assert dispatcher.messages[-1]["response"] == "utter_meals_unknown_canteen"
    route.mock(side_effect=httpx.ConnectTimeout("down"))
    await diet(dispatcher, make_tracker(intent="meals_ask_diet"))
    assert dispatcher.messages[-1]["response"] == "utter_backend_unavailable"
