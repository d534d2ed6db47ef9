"""Canteen opening hours: which canteens are open now, when one opens or closes on a day."""

from datetime import date, datetime
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.backend_client import BackendError, BackendUnavailable, backend
from actions.conversation import campus_now, entity, language, student_token
from actions.dates import resolve_day
from actions.meals import MEAL_LABELS, MEALS, day_label

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


class ActionMealsHours(Action):
    def name(self) -> str:
        return "action_meals_hours"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        lang = language(tracker)
        now = campus_now()
        today = now.date()
        raw_day = entity(tracker, "date")
        day = resolve_day(raw_day, today)
        if day is None:
            dispatcher.utter_message(response="utter_meals_unknown_date")
            return []
        slug = entity(tracker, "canteen")
        meal = entity(tracker, "meal")
        meal = meal if meal in MEALS else None
        token = student_token(tracker)
        if token is None:
            dispatcher.utter_message(response="utter_backend_unavailable")
            return []
        try:
            if slug:
                canteens = [await backend().get(f"/api/v1/canteens/{slug}", token=token)]
            else:
                canteens = (await backend().get("/api/v1/canteens", token=token))["data"]
        except BackendUnavailable:
            dispatcher.utter_message(response="utter_backend_unavailable")
            return []
        except BackendError as error:
            if error.code == "CanteenNotFound":
                dispatcher.utter_message(response="utter_meals_unknown_canteen")
            else:
                dispatcher.utter_message(response="utter_backend_unavailable")
            return []

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
