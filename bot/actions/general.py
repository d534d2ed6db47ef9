"""Two-stage fallback: offer the likeliest intents as buttons; a second miss gets the help menu."""

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import language

MAX_SUGGESTIONS = 3
MIN_CONFIDENCE = 0.05  # below this an intent is noise, not a plausible reading

# What each intent offers, as a button title (intents without a title are never offered).
INTENT_TITLES = {
    "en": {
        "meals_ask_menu": "See a menu",
        "meals_ask_hours": "Canteen opening hours",
        "meals_ask_nutrition": "Calories and allergens of a dish",
        "meals_ask_diet": "Dishes for my diet or allergy",
        "meals_ask_plan": "My meal plan for today",
        "dorms_ask_guidance": "A dorm rule or how-to",
        "dorms_ask_manager": "Contact my dorm manager",
        "repairs_report": "Report a repair",
        "repairs_ask_status": "Check my repair",
        "repairs_cancel": "Cancel a repair",
        "repairs_confirm_done": "My repair is done",
        "repairs_not_fixed": "My repair is not fixed",
        "surveys_rate": "Rate a service",
        "human_handoff": "Talk to a person",
        "help": "What can you do?",
        "greet": "Just saying hi",
        "thank": "Just saying thanks",
        "goodbye": "Goodbye",
    },
    "zh": {
        "meals_ask_menu": "查看菜单",
        "meals_ask_hours": "食堂营业时间",
        "meals_ask_nutrition": "菜品热量和过敏原",
        "meals_ask_diet": "适合我饮食/过敏的菜",
        "meals_ask_plan": "今天的营养餐推荐",
        "dorms_ask_guidance": "宿舍规定和办事指南",
        "dorms_ask_manager": "联系宿管",
        "repairs_report": "报修",
        "repairs_ask_status": "查询报修进度",
        "repairs_cancel": "取消报修",
        "repairs_confirm_done": "报修已修好",
        "repairs_not_fixed": "还没修好",
        "surveys_rate": "评价服务",
        "human_handoff": "转人工",
        "help": "你能做什么？",
        "greet": "只是打个招呼",
        "thank": "只是道个谢",
        "goodbye": "再见",
    },
}
NOT_OFFERED = {"nlu_fallback", "out_of_scope", "affirm", "deny", "bot_challenge"}
SOMETHING_ELSE = {"en": "Something else", "zh": "都不是"}


def previous_turn_actions(tracker: Tracker) -> list[str]:
    """The actions the bot ran in answer to the student's previous message."""
    actions: list[str] = []
    users = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users += 1
            if users == 2:
                break
        elif users == 1 and event.get("event") == "action":
            name = event.get("name")
            if name and name != "action_listen":
                actions.append(str(name))
    return actions


def suggestions(tracker: Tracker, lang: str) -> list[dict[str, str]]:
    ranking = (tracker.latest_message or {}).get("intent_ranking") or []
    buttons = []
    for item in ranking:
        name = item.get("name")
        if name in NOT_OFFERED or name not in INTENT_TITLES[lang]:
            continue
        if float(item.get("confidence") or 0) < MIN_CONFIDENCE:
            continue
        buttons.append({"title": INTENT_TITLES[lang][name], "payload": f"/{name}"})
        if len(buttons) == MAX_SUGGESTIONS:
            break
    return buttons


class ActionFallbackClarify(Action):
    def name(self) -> str:
        return "action_fallback_clarify"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        lang = language(tracker)
        buttons = suggestions(tracker, lang)
        if self.name() in previous_turn_actions(tracker) or not buttons:
            dispatcher.utter_message(response="utter_default")
            return []
        buttons.append({"title": SOMETHING_ELSE[lang], "payload": "/out_of_scope"})
        dispatcher.utter_message(response="utter_fallback_clarify", buttons=buttons)
        return []
