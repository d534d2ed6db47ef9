import httpx
import respx
from actions.dorms import MAX_BODY, ActionDormsGuidance, ActionDormsManager
from rasa_sdk.executor import CollectingDispatcher
from support import TOKEN, make_tracker

HIT = {
    "id": 5,
    "title_en": "Quiet hours in D3",
    "title_zh": "D3 安静时间",
    "summary_en": "22:30–07:00.",
    "summary_zh": "22:30–07:00。",
    "tags": ["quiet-hours"],
    "building_code": "D3",
    "score": 7.5,
}
ARTICLE = {
    "id": 5,
    "title_en": "Quiet hours in D3",
    "title_zh": "D3 安静时间",
    "body_en": "Quiet hours are 22:30–07:00 in D3.",
    "body_zh": "D3 的安静时间是 22:30–07:00。",
    "tags": ["quiet-hours"],
    "building_code": "D3",
}
DORM = {
    "building": {
        "code": "D3",
        "name_en": "Dorm 3",
        "name_zh": "3号楼",
        "manager": {
            "name": "Ms Wang",
            "phone": "0571-1234",
            "email": "wang@campus.test",
            "office_en": "D3 room 101",
            "office_zh": "3号楼101室",
        },
    },
    "room": {"number": "305", "floor": 3},
}


async def guidance(dispatcher: CollectingDispatcher, tracker) -> list:
    return await ActionDormsGuidance().run(dispatcher, tracker, {})


async def manager(dispatcher: CollectingDispatcher, tracker) -> list:
    return await ActionDormsManager().run(dispatcher, tracker, {})


async def test_best_article_in_the_reply_language(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    other = {**HIT, "id": 6, "title_en": "Visitors", "title_zh": "访客规定"}
    search = backend_api.get("/api/v1/guidance").respond(json={"data": [HIT, other], "count": 2})
    backend_api.get("/api/v1/guidance/5").respond(json=ARTICLE)
    await guidance(
        dispatcher, make_tracker("几点要安静？", intent="dorms_ask_guidance", language="zh")
    )
    request = search.calls.last.request
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert dict(request.url.params) == {"q": "几点要安静？", "limit": "3"}
    article, related = dispatcher.messages
    assert article["response"] == "utter_dorms_guidance"
    assert (article["title"], article["body"]) == ("D3 安静时间", "D3 的安静时间是 22:30–07:00。")
    assert related["response"] == "utter_dorms_guidance_related"
    assert related["titles"] == "访客规定"


async def test_long_body_is_cut_and_missing_article_falls_back_to_summary(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    backend_api.get("/api/v1/guidance").respond(json={"data": [HIT], "count": 1})
    detail = backend_api.get("/api/v1/guidance/5")
    detail.respond(json={**ARTICLE, "body_en": "word " * 1000})
    await guidance(dispatcher, make_tracker("when are quiet hours", intent="dorms_ask_guidance"))
    body = dispatcher.messages[0]["body"]
    assert len(body) < MAX_BODY + 40
    assert body.endswith("(full text in the app)")
    dispatcher.messages.clear()
    detail.respond(404, json={"error": "GuidanceNotFound", "detail": "gone"})
    await guidance(dispatcher, make_tracker("when are quiet hours", intent="dorms_ask_guidance"))
    assert dispatcher.messages[0]["body"] == "22:30–07:00."


async def test_no_rule_gives_the_managers_contact(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    backend_api.get("/api/v1/guidance").respond(json={"data": [], "count": 0})
    backend_api.get("/api/v1/dorms/me").respond(json=DORM)
    await guidance(dispatcher, make_tracker("can I keep a cat", intent="dorms_ask_guidance"))
    [message] = dispatcher.messages
    assert message["response"] == "utter_dorms_no_rule_manager"
    assert message["manager_name"] == "Ms Wang"
    assert message["phone"] == "0571-1234"
    assert message["office"] == "D3 room 101"


async def test_no_rule_and_not_housed(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    backend_api.get("/api/v1/guidance").respond(json={"data": [], "count": 0})
    backend_api.get("/api/v1/dorms/me").respond(404, json={"error": "NotHoused", "detail": "no"})
    await guidance(dispatcher, make_tracker("能养猫吗", intent="dorms_ask_guidance", language="zh"))
    assert [m["response"] for m in dispatcher.messages] == ["utter_dorms_no_rule"]


async def test_a_button_payload_asks_for_the_topic(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    search = backend_api.get("/api/v1/guidance")
    await guidance(dispatcher, make_tracker("/dorms_ask_guidance", intent="dorms_ask_guidance"))
    assert not search.called
    assert dispatcher.messages[0]["response"] == "utter_dorms_ask_topic"


async def test_after_the_fallback_button_the_earlier_question_is_searched(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    search = backend_api.get("/api/v1/guidance").respond(json={"data": [], "count": 0})
    backend_api.get("/api/v1/dorms/me").respond(json=DORM)
    tracker = make_tracker("/dorms_ask_guidance", intent="dorms_ask_guidance")
    tracker.events = [
        {
            "event": "user",
            "text": "lost my kee",
            "parse_data": {"intent": {"name": "nlu_fallback"}},
        },
        {"event": "action", "name": "action_fallback_clarify"},
        {"event": "user", "text": "/dorms_ask_guidance", "parse_data": {"intent": {}}},
    ]
    await guidance(dispatcher, tracker)
    assert search.calls.last.request.url.params["q"] == "lost my kee"


async def test_guidance_backend_down(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    backend_api.get("/api/v1/guidance").mock(side_effect=httpx.ConnectTimeout("down"))
    await guidance(dispatcher, make_tracker("quiet hours", intent="dorms_ask_guidance"))
    assert [m["response"] for m in dispatcher.messages] == ["utter_backend_unavailable"]


async def test_manager_contact_in_both_languages(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    backend_api.get("/api/v1/dorms/me").respond(json=DORM)
    await manager(
        dispatcher, make_tracker("宿管电话多少", intent="dorms_ask_manager", language="zh")
    )
    await manager(dispatcher, make_tracker("who is my dorm manager", intent="dorms_ask_manager"))
    zh, en = dispatcher.messages
    assert zh["response"] == en["response"] == "utter_dorms_manager"
    assert (zh["building_name"], zh["office"]) == ("3号楼", "3号楼101室")
    assert (en["building_name"], en["office"]) == ("Dorm 3", "D3 room 101")
    assert en["email"] == "wang@campus.test"


async def test_manager_for_a_student_without_a_room(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    backend_api.get("/api/v1/dorms/me").respond(404, json={"error": "NotHoused", "detail": "no"})
    await manager(dispatcher, make_tracker(intent="dorms_ask_manager"))
    assert [m["response"] for m in dispatcher.messages] == ["utter_dorms_not_housed"]


async def test_manager_backend_down(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    backend_api.get("/api/v1/dorms/me").mock(side_effect=httpx.ConnectTimeout("down"))
    await manager(dispatcher, make_tracker(intent="dorms_ask_manager"))
    assert [m["response"] for m in dispatcher.messages] == ["utter_backend_unavailable"]
