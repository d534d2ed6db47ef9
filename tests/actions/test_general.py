from typing import Any

from actions.general import ActionFallbackClarify
from rasa_sdk.executor import CollectingDispatcher
from support import make_tracker

RANKING = [
    {"name": "nlu_fallback", "confidence": 0.4},
    {"name": "meals_ask_menu", "confidence": 0.31},
    {"name": "out_of_scope", "confidence": 0.2},
    {"name": "meals_ask_hours", "confidence": 0.18},
    {"name": "dorms_ask_guidance", "confidence": 0.1},
    {"name": "repairs_report", "confidence": 0.06},
    {"name": "greet", "confidence": 0.01},
]


def fallback_tracker(language: str = "en", events: list[dict[str, Any]] | None = None):
    tracker = make_tracker("food hrs??", intent="nlu_fallback", language=language)
    tracker.latest_message["intent_ranking"] = RANKING
    tracker.events = events or [{"event": "user", "text": "food hrs??"}]
    return tracker


async def run(dispatcher: CollectingDispatcher, tracker) -> list:
    return await ActionFallbackClarify().run(dispatcher, tracker, {})


async def test_offers_the_top_three_intents_and_a_way_out(
    dispatcher: CollectingDispatcher,
) -> None:
    await run(dispatcher, fallback_tracker())
    [message] = dispatcher.messages
    assert message["response"] == "utter_fallback_clarify"
    assert [(b["title"], b["payload"]) for b in message["buttons"]] == [
        ("See a menu", "/meals_ask_menu"),
        ("Canteen opening hours", "/meals_ask_hours"),
        ("A dorm rule or how-to", "/dorms_ask_guidance"),
        ("Something else", "/out_of_scope"),
    ]


async def test_titles_in_chinese(dispatcher: CollectingDispatcher) -> None:
    await run(dispatcher, fallback_tracker("zh"))
    titles = [b["title"] for b in dispatcher.messages[0]["buttons"]]
    assert titles == ["查看菜单", "食堂营业时间", "宿舍规定和办事指南", "都不是"]


async def test_a_second_miss_in_a_row_gets_the_help_menu(
    dispatcher: CollectingDispatcher,
) -> None:
    events = [
        {"event": "user", "text": "food hrs"},
        {"event": "action", "name": "action_fallback_clarify"},
        {"event": "bot", "text": "I'm not sure I understood."},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "food hrs??"},
    ]
    await run(dispatcher, fallback_tracker(events=events))
    assert [m["response"] for m in dispatcher.messages] == ["utter_default"]


async def test_a_miss_after_an_answered_turn_clarifies_again(
    dispatcher: CollectingDispatcher,
) -> None:
    events = [
        {"event": "user", "text": "hm"},
        {"event": "action", "name": "action_fallback_clarify"},
        {"event": "user", "text": "/meals_ask_menu"},
        {"event": "action", "name": "action_meals_show_menu"},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "food hrs??"},
    ]
    await run(dispatcher, fallback_tracker(events=events))
    assert dispatcher.messages[0]["response"] == "utter_fallback_clarify"


async def test_nothing_plausible_to_offer(dispatcher: CollectingDispatcher) -> None:
    tracker = fallback_tracker()
    tracker.latest_message["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.4},
        {"name": "out_of_scope", "confidence": 0.38},
        {"name": "meals_ask_menu", "confidence": 0.01},
    ]
    await run(dispatcher, tracker)
    assert [m["response"] for m in dispatcher.messages] == ["utter_default"]
