"""The day's suggestion from the student's nutrition meal plan."""

from datetime import date
from typing import Any

from rasa_sdk.events import EventType

from actions.backend_client import BackendError
from actions.base import Turn
from actions.conversation import entity, localised
from actions.meals import CANTEEN_ERRORS, MEAL_LABELS, MealsDayAction, day_label
from actions.meals_nutrition import dish_name

NUTRIENTS = {
    "en": {
        "kcal": ("energy", "kcal"),
        "protein_g": ("protein", "g"),
        "fat_g": ("fat", "g"),
        "carbs_g": ("carbs", "g"),
        "sodium_mg": ("sodium", "mg"),
    },
    "zh": {
        "kcal": ("热量", "千卡"),
        "protein_g": ("蛋白质", "克"),
        "fat_g": ("脂肪", "克"),
        "carbs_g": ("碳水", "克"),
        "sodium_mg": ("钠", "毫克"),
    },
}


def totals_line(totals: dict[str, float], targets: dict[str, float], lang: str) -> str:
    """ "energy 1850/2000 kcal · … · sodium 1800/≤2000 mg"."""
    parts = []
    for key, (label, unit) in NUTRIENTS[lang].items():
        ceiling = "≤" if key == "sodium_mg" else ""
        sep = "" if lang == "zh" else " "
        parts.append(f"{label} {round(totals[key])}/{ceiling}{round(targets[key])}{sep}{unit}")
    return " · ".join(parts)


def gaps_line(gaps: list[dict[str, Any]], lang: str) -> str:
    parts = []
    for gap in gaps:
        label = NUTRIENTS[lang][gap["nutrient"]][0]
        percent = round(abs(gap["off_by"]) * 100)
        if percent == 0:
            continue
        if lang == "zh":
            word = (
                "超出上限"
                if gap["kind"] == "ceiling"
                else ("高于" if gap["off_by"] > 0 else "低于")
            )
            parts.append(f"{label}{word}{'' if gap['kind'] == 'ceiling' else '目标'}{percent}%")
        else:
            word = (
                "over the limit"
                if gap["kind"] == "ceiling"
                else ("above target" if gap["off_by"] > 0 else "below target")
            )
            parts.append(f"{label} {percent}% {word}")
    if not parts:
        return "每项都达到了目标。" if lang == "zh" else "Every target is met."
    return ("；".join(parts) + "。") if lang == "zh" else ("; ".join(parts) + ".").capitalize()


def meal_lines(meals: list[dict[str, Any]], lang: str) -> str:
    lines = []
    for item in meals:
        canteen = localised(item["canteen"], "name", lang)
        dishes = ("、" if lang == "zh" else ", ").join(dish_name(d, lang) for d in item["dishes"])
        label = MEAL_LABELS[lang][item["meal"]]
        kcal = round(item["totals"]["kcal"])
        price = item["price_fen"] / 100
        if lang == "zh":
            lines.append(f"• {label}（{canteen}）：{dishes}，{kcal}千卡，¥{price:.2f}")
        else:
            lines.append(f"• {label} at {canteen}: {dishes} ({kcal} kcal, ¥{price:.2f})")
    return "\n".join(lines)


class ActionMealsPlan(MealsDayAction):
    action_name = "action_meals_plan"
    errors = {
        **CANTEEN_ERRORS,
        "StudentsOnly": "utter_meals_plan_students_only",
    }

    async def answer(self, turn: Turn, today: date, day: date) -> list[EventType]:
        dispatcher, tracker, lang = turn.dispatcher, turn.tracker, turn.lang
        plan = await turn.backend.meal_plan_suggestion(
            token=turn.token, served_on=day, canteen=entity(tracker, "canteen")
        )
        date_label = day_label(date.fromisoformat(plan["date"]), today, lang)
        plan_name = localised(plan["plan"], "name", lang)
        notes = localised(plan, "notes", lang)
        if not plan["meals"]:
            dispatcher.utter_message(
                response="utter_meals_plan_empty",
                plan_name=plan_name,
                date_label=date_label,
                notes=notes,
            )
            return []
        dispatcher.utter_message(
            response="utter_meals_plan",
            plan_name=plan_name,
            date_label=date_label,
            meals=meal_lines(plan["meals"], lang),
            totals=totals_line(plan["totals"], plan["targets"], lang),
            closeness=round(plan["closeness"] * 100),
            gaps=gaps_line(plan["gaps"], lang),
            price=f"{plan['price_fen'] / 100:.2f}",
        )
        if notes:
            dispatcher.utter_message(text=notes)
        return []

    async def refused(self, turn: Turn, error: BackendError) -> None:
        if error.code != "NoMealPlan":
            await super().refused(turn, error)
            return
        try:
            plans = await turn.backend.meal_plans(token=turn.token)
        except BackendError:  # BackendUnavailable included: the list is a bonus
            plans = []
        lang = turn.lang
        lines = "\n".join(
            f"• {localised(p, 'name', lang)}: {localised(p, 'description', lang)}"
            if lang == "en"
            else f"• {localised(p, 'name', lang)}：{localised(p, 'description', lang)}"
            for p in plans
        )
        if lines:
            turn.say("utter_meals_plan_not_subscribed", plans=lines)
        else:
            turn.say("utter_meals_plan_not_subscribed_no_list")
