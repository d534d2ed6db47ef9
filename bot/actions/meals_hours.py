"""Canteen opening hours: which canteens are open now, when one opens or closes on a day."""

from datetime import date, datetime
from typing import Any

from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.base import BackendAction, Turn
from actions.conversation import campus_now, entity
from actions.meals import CANTEEN_ERRORS, MEAL_LABELS, MEALS, asked_day, day_label

_CLOSED = {"en": "closed", "zh": "不营业"}


def canteen_name(canteen: dict[str, Any], lang: str) -> str:
    return str(canteen["name_zh"] if lang == "zh" else canteen["name_en"])


def serving_now(canteen: dict[str, Any], now: datetime) -> dict[str, Any] | None:
    """The opening-hours row being served at ``now`` (campus time), if any."""
    clock = now.strftime("%H:%M")
    for row in canteen.get("hours", []):
        if row["weekday"] == now.weekday() and row["opens"] <= clock < row["closes"]:
            return dict(row)
    return None


def hours_lines(canteen: dict[str, Any], day: date, meal: str | None, lang: str) -> str:
    """One line per meal served that day ("• Lunch 11:00–13:30"); closed meals say so."""
    rows = {r["meal"]: r for r in canteen.get("hours", []) if r["weekday"] == day.weekday()}
    lines = []
    for name in [meal] if meal else MEALS:
        row = rows.get(name)
        span = f"{row['opens']}–{row['closes']}" if row else _CLOSED[lang]
        lines.append(f"• {MEAL_LABELS[lang][name]} {span}")
    return "\n".join(lines)


def next_opening_label(canteen: dict[str, Any], today: date, lang: str) -> str:
    nxt = canteen.get("next_opening")
    if not nxt:
        return "本周内没有营业安排" if lang == "zh" else "has no service in the coming week"
    when = day_label(date.fromisoformat(nxt["date"]), today, lang)
    meal = MEAL_LABELS[lang][nxt["meal"]]
    if lang == "zh":
        return f"{when}{nxt['opens']}开始供应{meal}"
    return f"opens for {meal.lower()} {when} at {nxt['opens']}"


class ActionMealsHours(BackendAction):
    action_name = "action_meals_hours"
    errors = CANTEEN_ERRORS

    async def act(self, turn: Turn) -> list[EventType]:
        dispatcher, tracker, lang = turn.dispatcher, turn.tracker, turn.lang
        now = campus_now()
        today = now.date()
        day = asked_day(turn, today)
        if day is None:
            return []
        slug = entity(tracker, "canteen")
        meal = entity(tracker, "meal")
        meal = meal if meal in MEALS else None
        if slug:
            canteens = [await turn.backend.canteen(token=turn.token, slug=slug)]
        else:
            canteens = await turn.backend.canteens(token=turn.token)

        if not slug and day == today and meal is None:
            self._open_now(dispatcher, canteens, now, lang)
            return []
        for canteen in canteens:
            name = canteen_name(canteen, lang)
            if day == today and slug:
                row = serving_now(canteen, now) if canteen.get("open_now") else None
                if row:
                    dispatcher.utter_message(
                        response="utter_meals_canteen_open",
                        canteen_name=name,
                        meal_label=MEAL_LABELS[lang][row["meal"]],
                        closes=row["closes"],
                    )
                else:
                    dispatcher.utter_message(
                        response="utter_meals_canteen_closed",
                        canteen_name=name,
                        next_opening=next_opening_label(canteen, today, lang),
                    )
            dispatcher.utter_message(
                response="utter_meals_hours",
                canteen_name=name,
                date_label=day_label(day, today, lang),
                hours=hours_lines(canteen, day, meal, lang),
            )
        return []

    @staticmethod
    def _open_now(
        dispatcher: CollectingDispatcher, canteens: list[dict[str, Any]], now: datetime, lang: str
    ) -> None:
        open_lines, closed_lines = [], []
        for canteen in canteens:
            name = canteen_name(canteen, lang)
            row = serving_now(canteen, now) if canteen.get("open_now") else None
            if row:
                meal = MEAL_LABELS[lang][row["meal"]]
                open_lines.append(
                    f"• {name}：{meal}，营业到{row['closes']}"
                    if lang == "zh"
                    else f"• {name}: {meal.lower()} until {row['closes']}"
                )
            else:
                label = next_opening_label(canteen, now.date(), lang)
                closed_lines.append(f"• {name}：{label}" if lang == "zh" else f"• {name}: {label}")
        if open_lines:
            dispatcher.utter_message(
                response="utter_meals_open_now", canteens="\n".join(open_lines)
            )
            if closed_lines:
                dispatcher.utter_message(
                    response="utter_meals_closed_now", canteens="\n".join(closed_lines)
                )
        else:
            dispatcher.utter_message(
                response="utter_meals_none_open", canteens="\n".join(closed_lines)
            )
