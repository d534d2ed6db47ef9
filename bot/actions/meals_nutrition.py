"""What is in a dish (nutrition, allergens) and which dishes fit a diet or an allergy."""

from datetime import date
from typing import Any

from rasa_sdk.events import EventType

from actions.backend_client import BackendError, BackendUnavailable, DishDetail
from actions.base import BackendAction, Turn
from actions.conversation import entities, entity
from actions.meals import MEAL_LABELS, MEALS, MealsDayAction, day_label

ALLERGEN_LABELS = {
    "en": {
        "peanut": "peanut",
        "tree_nut": "tree nuts",
        "milk": "milk",
        "egg": "egg",
        "fish": "fish",
        "shellfish": "shellfish",
        "soy": "soy",
        "wheat_gluten": "wheat/gluten",
        "sesame": "sesame",
    },
    "zh": {
        "peanut": "花生",
        "tree_nut": "坚果",
        "milk": "奶制品",
        "egg": "鸡蛋",
        "fish": "鱼",
        "shellfish": "甲壳类海鲜",
        "soy": "大豆",
        "wheat_gluten": "小麦/麸质",
        "sesame": "芝麻",
    },
}
DIET_LABELS = {
    "en": {"vegetarian": "vegetarian", "vegan": "vegan", "halal": "halal", "no_pork": "no pork"},
    "zh": {"vegetarian": "素食", "vegan": "纯素", "halal": "清真", "no_pork": "不含猪肉"},
}
TAG_DIETS = ("vegetarian", "vegan", "halal")  # diets the menus API filters by tag
_MAX_DISHES_PER_MENU = 8


def dish_name(dish: dict[str, Any], lang: str) -> str:
    return str(dish["name_zh"] if lang == "zh" else dish["name_en"])


def allergen_list(allergens: list[str], lang: str) -> str:
    if not allergens:
        return "无" if lang == "zh" else "none listed"
    labels = [ALLERGEN_LABELS[lang].get(a, a) for a in allergens]
    return "、".join(labels) if lang == "zh" else ", ".join(labels)


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


class ActionMealsNutrition(BackendAction):
    action_name = "action_meals_nutrition"

    async def act(self, turn: Turn) -> list[EventType]:
        dispatcher, tracker, lang = turn.dispatcher, turn.tracker, turn.lang
        asked = entity(tracker, "dish")
        if not asked:
            dispatcher.utter_message(response="utter_meals_which_dish")
            return []
        dish: DishDetail | None
        try:
            if asked.isdigit():  # a button may carry the dish id
                dish = await turn.backend.dish(token=turn.token, dish_id=int(asked))
            else:
                found = await turn.backend.find_dishes(token=turn.token, query=asked[:100], limit=5)
                dish = found[0] if found else None
        except BackendUnavailable:
            raise
        except BackendError as error:
            if error.code != "DishNotFound":
                raise
            dish = None
        if dish is None:
            dispatcher.utter_message(response="utter_meals_unknown_dish", dish=asked)
            return []
        name = dish_name(dish, lang)
        allergens = list(dish.get("allergens", []))
        for allergen in entities(tracker, "allergen"):
            dispatcher.utter_message(
                response="utter_meals_allergen_yes"
                if allergen in allergens
                else "utter_meals_allergen_no",
                dish_name=name,
                allergen=ALLERGEN_LABELS[lang].get(allergen, allergen),
                allergens=allergen_list(allergens, lang),
            )
        if not entities(tracker, "allergen"):
            dispatcher.utter_message(
                response="utter_meals_nutrition",
                dish_name=name,
                kcal=dish["kcal"],
                protein=_number(dish["protein_g"]),
                fat=_number(dish["fat_g"]),
                carbs=_number(dish["carbs_g"]),
                sodium=dish["sodium_mg"],
                allergens=allergen_list(allergens, lang),
            )
        return []


class ActionMealsDiet(MealsDayAction):
    """Dishes on the menus that fit the student's saved profile and what they just said.

    ``suitable_for_me`` always applies the saved diets and allergens; diets said in the
    message become ``tag`` filters (``no_pork`` is filtered here), and allergens said in
    the message are filtered here (the menus API has no allergen parameter).
    """

    action_name = "action_meals_diet"

    async def answer(self, turn: Turn, today: date, day: date) -> list[EventType]:
        dispatcher, tracker, lang = turn.dispatcher, turn.tracker, turn.lang
        meal = entity(tracker, "meal")
        diets = [d for d in entities(tracker, "diet") if d in DIET_LABELS["en"]]
        avoid = [a for a in entities(tracker, "allergen") if a in ALLERGEN_LABELS["en"]]
        menus = await turn.backend.menu_data(
            token=turn.token,
            served_on=day,
            canteen=entity(tracker, "canteen"),
            meal=meal if meal in MEALS else None,
            tags=[d for d in diets if d in TAG_DIETS],
            suitable_for_me=True,
        )
        me = await turn.backend.me(token=turn.token)
        labels = {
            "date_label": day_label(day, today, lang),
            "filters": self._filters(diets, avoid, lang),
        }
        lines = []
        for menu in menus:
            dishes = [
                d
                for d in menu["dishes"]
                if not set(avoid) & set(d.get("allergens", []))
                and not ("no_pork" in diets and d.get("contains_pork"))
            ]
            if dishes:
                lines.append(self._menu_line(menu, dishes, lang))
        if lines:
            dispatcher.utter_message(
                response="utter_meals_diet_dishes", menus="\n".join(lines), **labels
            )
        else:
            dispatcher.utter_message(response="utter_meals_diet_none", **labels)
        saved = [DIET_LABELS[lang].get(d, d) for d in me.get("diets", [])]
        saved += [
            ("不含" if lang == "zh" else "no ") + ALLERGEN_LABELS[lang].get(a, a)
            for a in me.get("allergens", [])
        ]
        if saved:
            dispatcher.utter_message(
                response="utter_meals_diet_profile",
                preferences=("、" if lang == "zh" else ", ").join(saved),
            )
        else:
            dispatcher.utter_message(response="utter_meals_diet_no_profile")
        return []

    @staticmethod
    def _filters(diets: list[str], avoid: list[str], lang: str) -> str:
        parts = [DIET_LABELS[lang][d] for d in diets]
        parts += [("不含" if lang == "zh" else "no ") + ALLERGEN_LABELS[lang][a] for a in avoid]
        if not parts:
            return "符合你的饮食偏好" if lang == "zh" else "matching your saved preferences"
        return ("、" if lang == "zh" else ", ").join(parts)

    @staticmethod
    def _menu_line(menu: dict[str, Any], dishes: list[dict[str, Any]], lang: str) -> str:
        canteen = menu["canteen"]["name_zh" if lang == "zh" else "name_en"]
        unit = "千卡" if lang == "zh" else " kcal"
        shown = [f"{dish_name(d, lang)} ({d['kcal']}{unit})" for d in dishes]
        more = len(shown) - _MAX_DISHES_PER_MENU
        shown = shown[:_MAX_DISHES_PER_MENU]
        if more > 0:
            shown.append(f"还有{more}道" if lang == "zh" else f"+{more} more")
        sep = "、" if lang == "zh" else ", "
        meal = MEAL_LABELS[lang][menu["meal"]]
        colon = "：" if lang == "zh" else ": "
        return f"• {meal} · {canteen}{colon}{sep.join(shown)}"
