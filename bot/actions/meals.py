from abc import ABC, abstractmethod
from datetime import date

from rasa_sdk.events import EventType

from actions.backend_client import Menu
from actions.base import BackendAction, Turn
from actions.conversation import (
    button_payload,
    campus_today,
    entity,
    weekday_name,
)
from actions.dates import resolve_day

MEALS = ("breakfast", "lunch", "dinner")
MEAL_LABELS = {
    "en": {"breakfast": "Breakfast", "lunch": "Lunch", "dinner": "Dinner"},
    "zh": {"breakfast": "早餐", "lunch": "午餐", "dinner": "晚餐"},
}
_RELATIVE_DAYS = {
    "en": {-1: "yesterday", 0: "today", 1: "tomorrow"},
    "zh": {-1: "昨天", 0: "今天", 1: "明天", 2: "后天"},
}


def day_label(day: date, today: date, lang: str) -> str:
    """ "today (Tue 24 Nov)" / "今天（11月24日 周二）"."""
    relative = _RELATIVE_DAYS[lang].get((day - today).days)
    if lang == "zh":
        weekday = weekday_name(day, lang)
        exact = f"{day.month}月{day.day}日"
        return f"{relative}（{exact} {weekday}）" if relative else f"{exact}（{weekday}）"
    exact = f"{weekday_name(day, lang)} {day.day} {day.strftime('%b')}"
    return f"{relative} ({exact})" if relative else f"on {exact}"


def dish_lines(menu: Menu, lang: str) -> str:
    unit = "千卡" if lang == "zh" else " kcal"
    return "\n".join(
        f"• {dish.name_zh if lang == 'zh' else dish.name_en} "
        f"¥{dish.price_fen / 100:.2f} · {dish.kcal}{unit}"
        for dish in menu.dishes
    )


def _meal_buttons(day: date, canteen: str | None, lang: str) -> list[dict[str, str]]:
    buttons = []
    for meal in MEALS:
        entities = {"meal": meal, "date": day.isoformat()}
        if canteen:
            entities["canteen"] = canteen
        payload = button_payload("meals_ask_menu", entities)
        buttons.append({"title": MEAL_LABELS[lang][meal], "payload": payload})
    return buttons


# The meals actions' answer to a canteen the backend does not know.
CANTEEN_ERRORS = {"CanteenNotFound": "utter_meals_unknown_canteen"}


def asked_day(turn: Turn, today: date) -> date | None:
    """The day asked about (today if none); None after saying that day is not understood."""
    day = resolve_day(entity(turn.tracker, "date"), today)
    if day is None:
        turn.say("utter_meals_unknown_date")
    return day


class MealsDayAction(BackendAction, ABC):
    """A question about the meals of one day (the date entity; today if none)."""

    errors = CANTEEN_ERRORS

    async def act(self, turn: Turn) -> list[EventType]:
        today = campus_today()
        day = asked_day(turn, today)
        return [] if day is None else await self.answer(turn, today, day)

    @abstractmethod
    async def answer(self, turn: Turn, today: date, day: date) -> list[EventType]: ...


class ActionMealsShowMenu(MealsDayAction):
    action_name = "action_meals_show_menu"

    async def answer(self, turn: Turn, today: date, day: date) -> list[EventType]:
        dispatcher, tracker, lang = turn.dispatcher, turn.tracker, turn.lang
        raw_day = entity(tracker, "date")
        canteen = entity(tracker, "canteen")
        meal = entity(tracker, "meal")
        if meal not in MEALS and raw_day in ("tonight", "今晚"):
            meal = "dinner"
        if meal not in MEALS:
            dispatcher.utter_message(
                response="utter_meals_which_meal",
                buttons=_meal_buttons(day, canteen, lang),
                date_label=day_label(day, today, lang),
            )
            return []
        menus = await turn.backend.menus(
            token=turn.token, served_on=day, canteen=canteen, meal=meal
        )
        labels = {
            "date_label": day_label(day, today, lang),
            "meal_label": MEAL_LABELS[lang][meal],
        }
        if not menus:
            dispatcher.utter_message(response="utter_meals_no_menu", **labels)
            return []
        for menu in menus:
            dispatcher.utter_message(
                response="utter_meals_menu",
                canteen_name=menu.canteen.name_zh if lang == "zh" else menu.canteen.name_en,
                dishes=dish_lines(menu, lang),
                **labels,
            )
        return []
