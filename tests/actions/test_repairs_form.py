import json
from functools import partial
from typing import Any

import httpx
import pytest
import respx
import support
from actions.repairs_form import (
    ActionAskRepairConfirmed,
    ActionAskRepairLocation,
    ValidateRepairsReportForm,
    describes_problem,
    parse_category,
    parse_place,
    parse_urgency,
)
from actions.repairs_submit import (
    ActionRepairsFollow,
    ActionRepairsSubmit,
    ActionRepairsSubmitAnyway,
)
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from support import TOKEN, entity, responses

FORM_STARTED = 1795000000.25
DOMAIN = {
    "forms": {
        "repairs_report_form": {
            "required_slots": [
                "repair_category",
                "repair_location",
                "repair_description",
                "repair_urgency",
                "repair_confirmed",
            ]
        }
    },
    "slots": {},
}
TICKET = {
    "id": 123,
    "category": "plumbing",
    "status": "submitted",
    "priority": "high",
    "description": "the tap is leaking",
    "location": {"building_code": "B7", "room": "312", "note": None},
    "team": {"slug": "maint-plumbing", "name_en": "Plumbing Crew", "name_zh": "水暖班"},
    "due_at": "2026-11-24T10:00:00+00:00",  # 18:00 in Shanghai
    "is_overdue": False,
    "created_at": "2026-11-23T10:00:00+00:00",
    "updated_at": "2026-11-23T10:00:00+00:00",
    "reporter": "me",
    "following": False,
}
FILLED = {
    "repair_category": "plumbing",
    "repair_location": "my_room",
    "repair_description": "the tap is leaking",
    "repair_urgency": "high",
    "repair_confirmed": True,
}


form_tracker = partial(
    support.form_tracker, "repairs_report_form", started=FORM_STARTED, intent="inform"
)


async def validate(dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
    events = await ValidateRepairsReportForm().run(dispatcher, tracker, DOMAIN)
    return {event["name"]: event["value"] for event in events if event["event"] == "slot"}


# --- parsing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("the tap", "plumbing"),
        ("Air conditioning", "air_conditioning"),
        ("空调", "air_conditioning"),
        ("水管卫浴", "plumbing"),
        ("water heater", "appliance"),
        ("门口的灯", "electrical"),
        ("wifi", "network"),
        ("banana", None),
    ],
)
def test_category_words_in_both_languages(text: str, category: str | None) -> None:
    assert parse_category(text) == category


@pytest.mark.parametrize(
    ("text", "urgency"),
    [
        ("not urgent", "low"),
        ("very urgent!", "high"),
        ("紧急", "high"),
        ("特别紧急", "emergency"),
        ("sparks everywhere", "emergency"),
        ("不急", "low"),
        ("normal", "normal"),
        ("purple", None),
    ],
)
def test_urgency_words(text: str, urgency: str | None) -> None:
    assert parse_urgency(text) == urgency


def test_places_and_descriptions() -> None:
    assert parse_place("room 305 of D3") == ("D3", "305")
    assert parse_place("b7-312") == ("B7", "312")
    assert parse_place("3F corridor") == (None, None)
    assert describes_problem("my tap in room 305 is leaking")
    assert describes_problem("空调坏了要报修")
    assert not describes_problem("I want to report a repair")
    assert not describes_problem("我要报修")
    assert not describes_problem("report plumbing")


# --- extraction and validation -------------------------------------------------------------


async def test_report_message_prefills_description_and_room(
    dispatcher: CollectingDispatcher,
) -> None:
    tracker = form_tracker(
        "my tap in room 305 is leaking, it's urgent",
        intent="repairs_report",
        entities=[entity("repair_category", "plumbing")],
        candidates={"repair_category": "plumbing"},
    )
    slots = await validate(dispatcher, tracker)
    assert slots["repair_category"] == "plumbing"
    assert slots["repair_description"] == "my tap in room 305 is leaking, it's urgent"
    assert slots["repair_location"] == "room 305"
    assert slots["repair_room"] == "305"
    assert slots["repair_urgency"] == "high"
    assert dispatcher.messages == []


async def test_plain_report_prefills_nothing_but_the_category(
    dispatcher: CollectingDispatcher,
) -> None:
    tracker = form_tracker("I want to report a repair", intent="repairs_report")
    assert await validate(dispatcher, tracker) == {}


async def test_typed_category_accepted_in_chinese(dispatcher: CollectingDispatcher) -> None:
    tracker = form_tracker("马桶", requested="repair_category", language="zh")
    slots = await validate(dispatcher, tracker)
    assert slots["repair_category"] == "plumbing"
    assert slots["repair_invalid_count"] is None


async def test_invalid_category_is_explained(dispatcher: CollectingDispatcher) -> None:
    tracker = form_tracker("banana", requested="repair_category")
    slots = await validate(dispatcher, tracker)
    assert slots["repair_category"] is None
    assert slots["repair_invalid_slot"] == "repair_category"
    assert slots["repair_invalid_count"] == 1
    assert responses(dispatcher) == ["utter_repairs_bad_category"]
    assert "requested_slot" not in slots  # the form asks again, with its buttons


async def test_third_invalid_answer_in_a_row_stops_the_form(
    dispatcher: CollectingDispatcher,
) -> None:
    tracker = form_tracker(
        "banana",
        requested="repair_category",
        slots={"repair_invalid_slot": "repair_category", "repair_invalid_count": 2.0},
    )
    slots = await validate(dispatcher, tracker)
    assert slots["requested_slot"] is None
    assert slots["repair_invalid_count"] is None
    assert responses(dispatcher) == ["utter_repairs_form_stopped"]  # its buttons: a way out


@pytest.mark.parametrize("requested", ["repair_category", "repair_description", "repair_urgency"])
async def test_another_button_is_an_invalid_answer(
    dispatcher: CollectingDispatcher, requested: str
) -> None:
    tracker = form_tracker("/affirm", intent="affirm", requested=requested)
    slots = await validate(dispatcher, tracker)
    assert slots[requested] is None
    assert slots["repair_invalid_count"] == 1


async def test_invalid_answers_for_another_slot_restart_the_count(
    dispatcher: CollectingDispatcher,
) -> None:
    tracker = form_tracker(
        "x",
        requested="repair_description",
        slots={"repair_invalid_slot": "repair_category", "repair_invalid_count": 2.0},
    )
    slots = await validate(dispatcher, tracker)
    assert slots["repair_invalid_count"] == 1
    assert responses(dispatcher) == ["utter_repairs_bad_description"]


@pytest.mark.parametrize("intent", ["meals_ask_menu", "dorms_ask_guidance", "help"])
async def test_side_questions_are_not_swallowed(
    dispatcher: CollectingDispatcher, intent: str
) -> None:
    """Nothing extracted → the form rejects and the lead's interruption rules answer."""
    tracker = form_tracker("what's for lunch?", intent=intent, requested="repair_description")
    assert await validate(dispatcher, tracker) == {}
    assert dispatcher.messages == []


async def test_out_of_scope_text_still_describes_the_problem(
    dispatcher: CollectingDispatcher,
) -> None:
    tracker = form_tracker(
        "weird smell from the vent", intent="nlu_fallback", requested="repair_description"
    )
    slots = await validate(dispatcher, tracker)
    assert slots["repair_description"] == "weird smell from the vent"


async def test_affirm_takes_the_own_room_and_text_names_another(
    dispatcher: CollectingDispatcher,
) -> None:
    mine = await validate(
        dispatcher, form_tracker("/affirm", intent="affirm", requested="repair_location")
    )
    assert mine["repair_location"] == "my_room"
    other = await validate(dispatcher, form_tracker("D3 305 bathroom", requested="repair_location"))
    assert other["repair_location"] == "D3 305 bathroom"
    assert (other["repair_building"], other["repair_room"]) == ("D3", "305")


async def test_no_to_own_room_asks_where_without_counting(
    dispatcher: CollectingDispatcher,
) -> None:
    tracker = form_tracker("no", intent="deny", requested="repair_location")
    assert await validate(dispatcher, tracker) == {"repair_location": None}
    assert dispatcher.messages == []
    await ActionAskRepairLocation().run(dispatcher, tracker, {})
    assert responses(dispatcher) == ["utter_repairs_location_where"]


async def test_urgency_button_and_words(dispatcher: CollectingDispatcher) -> None:
    button = form_tracker(
        '/repairs_choose_urgency{"urgency":"emergency"}',
        intent="repairs_choose_urgency",
        requested="repair_urgency",
        entities=[entity("urgency", "emergency")],
    )
    assert (await validate(dispatcher, button))["repair_urgency"] == "emergency"
    words = form_tracker("挺急的", requested="repair_urgency", language="zh")
    assert (await validate(dispatcher, words))["repair_urgency"] == "high"


async def test_cancel_inside_the_form_drops_the_report(dispatcher: CollectingDispatcher) -> None:
    tracker = form_tracker("cancel", intent="repairs_cancel", requested="repair_urgency")
    slots = await validate(dispatcher, tracker)
    assert slots["requested_slot"] is None
    assert responses(dispatcher) == ["utter_repairs_report_dropped"]


@pytest.mark.parametrize("requested", ["repair_category", "repair_description", "repair_confirmed"])
async def test_cancelling_a_ticket_inside_the_form_is_no_answer(
    dispatcher: CollectingDispatcher, requested: str
) -> None:
    # "cancel repair 42": the form rejects the turn, the rule stops it and cancels #42.
    tracker = form_tracker(
        "cancel repair 42",
        intent="repairs_cancel",
        requested=requested,
        entities=[entity("ticket", "42")],
    )
    slots = await validate(dispatcher, tracker)
    assert slots.get(requested) is None
    assert slots.get("requested_slot", requested) == requested
    assert responses(dispatcher) == []


@pytest.mark.parametrize(("intent", "value"), [("affirm", True), ("deny", False)])
async def test_confirmation(dispatcher: CollectingDispatcher, intent: str, value: bool) -> None:
    tracker = form_tracker(f"/{intent}", intent=intent, requested="repair_confirmed")
    assert (await validate(dispatcher, tracker))["repair_confirmed"] is value


async def test_unclear_confirmation_is_explained(dispatcher: CollectingDispatcher) -> None:
    tracker = form_tracker("hmm maybe", intent="greet", requested="repair_confirmed")
    slots = await validate(dispatcher, tracker)
    assert slots["repair_confirmed"] is None
    assert responses(dispatcher) == ["utter_repairs_bad_confirmation"]


# --- asking --------------------------------------------------------------------------------


async def test_location_question_proposes_the_students_room(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    backend_api.get("/api/v1/dorms/me").respond(
        json={"building": {"code": "B7"}, "room": {"floor": 3, "number": "312"}}
    )
    await ActionAskRepairLocation().run(dispatcher, form_tracker(language="zh"), {})
    [message] = dispatcher.messages
    assert message["response"] == "utter_repairs_location_room"
    assert (message["building"], message["room"]) == ("B7", "312")
    assert message["buttons"] == [{"title": "是我宿舍", "payload": "/affirm"}]


async def test_location_question_without_a_room_or_backend(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    backend_api.get("/api/v1/dorms/me").mock(side_effect=httpx.ConnectError("down"))
    await ActionAskRepairLocation().run(dispatcher, form_tracker(), {})
    assert responses(dispatcher) == ["utter_repairs_location_free"]


@pytest.mark.parametrize(
    ("language", "category", "urgency", "place", "submit"),
    [
        ("en", "plumbing", "high", "your room", "Submit"),
        ("zh", "水管卫浴", "较急", "你的宿舍", "提交"),
    ],
)
async def test_summary_in_the_reply_language(
    dispatcher: CollectingDispatcher,
    language: str,
    category: str,
    urgency: str,
    place: str,
    submit: str,
) -> None:
    tracker = form_tracker(requested="repair_confirmed", slots=FILLED, language=language)
    await ActionAskRepairConfirmed().run(dispatcher, tracker, {})
    [message] = dispatcher.messages
    assert message["response"] == "utter_repairs_summary"
    assert (message["category"], message["urgency"], message["location"]) == (
        category,
        urgency,
        place,
    )
    assert message["description"] == "the tap is leaking"
    assert [b["payload"] for b in message["buttons"]] == ["/affirm", "/deny"]
    assert message["buttons"][0]["title"] == submit


# --- submitting ----------------------------------------------------------------------------


def submit_tracker(language: str = "en", **slots: Any) -> Tracker:
    return form_tracker(slots={**FILLED, **slots}, language=language)


def reset_slots(events: list[dict[str, Any]]) -> set[str]:
    return {e["name"] for e in events if e["event"] == "slot" and e["value"] is None}


@pytest.mark.parametrize(
    ("language", "team", "due"),
    [("en", "Plumbing Crew", "Tue 24 Nov 18:00"), ("zh", "水暖班", "11月24日 周二 18:00")],
)
async def test_submit_files_the_ticket(
    dispatcher: CollectingDispatcher,
    backend_api: respx.MockRouter,
    language: str,
    team: str,
    due: str,
) -> None:
    route = backend_api.post("/api/v1/repairs").respond(201, json=TICKET)
    events = await ActionRepairsSubmit().run(dispatcher, submit_tracker(language), {})
    request = route.calls.last.request
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert request.headers["idempotency-key"] == f"repairs-7-{FORM_STARTED}"
    assert json.loads(request.content) == {
        "category": "plumbing",
        "description": "the tap is leaking",
        "priority": "high",
    }
    [message] = dispatcher.messages
    assert message["response"] == "utter_repairs_submitted"
    assert (message["ticket"], message["team"], message["due"]) == (123, team, due)
    assert {"repair_category", "repair_confirmed", "repair_location"} <= reset_slots(events)


async def test_typed_place_and_short_chinese_description(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    route = backend_api.post("/api/v1/repairs").respond(201, json=TICKET)
    tracker = submit_tracker(
        "zh",
        repair_location="D3 305 卫生间",
        repair_building="D3",
        repair_room="305",
        repair_description="漏水了",
    )
    await ActionRepairsSubmit().run(dispatcher, tracker, {})
    body = json.loads(route.calls.last.request.content)
    assert body["building_code"] == "D3"
    assert body["room"] == "305"
    assert body["location_note"] == "D3 305 卫生间"
    assert len(body["description"]) >= 5


async def test_a_retried_turn_sends_the_same_key(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    route = backend_api.post("/api/v1/repairs").respond(201, json=TICKET)
    await ActionRepairsSubmit().run(dispatcher, submit_tracker(), {})
    await ActionRepairsSubmit().run(CollectingDispatcher(), submit_tracker(), {})
    keys = [call.request.headers["idempotency-key"] for call in route.calls]
    assert len(keys) == 2
    assert keys[0] == keys[1]


async def test_declined_report_files_nothing(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    route = backend_api.post("/api/v1/repairs").respond(201, json=TICKET)
    events = await ActionRepairsSubmit().run(dispatcher, submit_tracker(repair_confirmed=False), {})
    assert not route.called
    assert responses(dispatcher) == ["utter_repairs_report_cancelled"]
    assert "repair_category" in reset_slots(events)


async def test_stopped_form_files_nothing_silently(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    route = backend_api.post("/api/v1/repairs").respond(201, json=TICKET)
    events = await ActionRepairsSubmit().run(dispatcher, submit_tracker(repair_confirmed=None), {})
    assert not route.called
    assert dispatcher.messages == []
    assert "repair_category" in reset_slots(events)


async def test_possible_duplicate_offers_me_too_then_report_anyway(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    duplicate = {**TICKET, "id": 17, "reporter": "other", "status": "assigned"}
    route = backend_api.post("/api/v1/repairs")
    route.side_effect = [
        httpx.Response(
            409,
            json={"error": "PossibleDuplicate", "detail": "…", "duplicates": [duplicate]},
        ),
        httpx.Response(201, json={**TICKET, "id": 124}),
    ]
    events = await ActionRepairsSubmit().run(dispatcher, submit_tracker(), {})
    [message] = dispatcher.messages
    assert message["response"] == "utter_repairs_possible_duplicate"
    assert "#17" in message["tickets"]
    assert message["buttons"] == [
        {"title": "Me too on #17", "payload": '/repairs_me_too{"ticket":"17"}'},
        {"title": "Report anyway", "payload": "/repairs_report_anyway"},
    ]
    [pending] = [e["value"] for e in events if e["name"] == "repair_pending" and e["value"]]

    anyway = CollectingDispatcher()
    tracker = form_tracker("/repairs_report_anyway", intent="repairs_report_anyway")
    tracker.slots["repair_pending"] = pending
    events = await ActionRepairsSubmitAnyway().run(anyway, tracker, {})
    request = route.calls.last.request
    assert json.loads(request.content)["report_even_if_duplicate"] is True
    assert request.headers["idempotency-key"] != route.calls[0].request.headers["idempotency-key"]
    assert anyway.messages[0]["ticket"] == 124
    assert SlotSet("repair_pending", None) in events


async def test_report_anyway_without_a_held_report(dispatcher: CollectingDispatcher) -> None:
    await ActionRepairsSubmitAnyway().run(dispatcher, form_tracker(), {})
    assert responses(dispatcher) == ["utter_repairs_nothing_pending"]


@pytest.mark.parametrize(
    ("code", "response"),
    [
        ("LocationRequired", "utter_repairs_location_required"),
        ("UnknownRoom", "utter_repairs_unknown_place"),
        ("ValidationError", "utter_repairs_invalid_report"),
    ],
)
async def test_unprocessable_report_is_explained(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter, code: str, response: str
) -> None:
    backend_api.post("/api/v1/repairs").respond(422, json={"error": code, "detail": "raw"})
    await ActionRepairsSubmit().run(dispatcher, submit_tracker(), {})
    assert responses(dispatcher) == [response]
    assert "raw" not in json.dumps(dispatcher.messages)


async def test_submit_while_the_backend_is_down(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    backend_api.post("/api/v1/repairs").respond(503, json={"error": "x", "detail": "y"})
    events = await ActionRepairsSubmit().run(dispatcher, submit_tracker(), {})
    assert responses(dispatcher) == ["utter_backend_unavailable"]
    assert "repair_category" in reset_slots(events)


# --- me too --------------------------------------------------------------------------------


async def test_me_too_follows_the_ticket(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    route = backend_api.post("/api/v1/repairs/17/followers").respond(json={**TICKET, "id": 17})
    tracker = form_tracker(
        '/repairs_me_too{"ticket":"17"}', intent="repairs_me_too", entities=[entity("ticket", "17")]
    )
    await ActionRepairsFollow().run(dispatcher, tracker, {})
    assert route.called
    [message] = dispatcher.messages
    assert (message["response"], message["ticket"]) == ("utter_repairs_following", 17)


async def test_me_too_on_a_closed_ticket(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    backend_api.post("/api/v1/repairs/17/followers").respond(
        404, json={"error": "RepairNotFound", "detail": "x"}
    )
    tracker = form_tracker(intent="repairs_me_too", entities=[entity("ticket", "17")])
    await ActionRepairsFollow().run(dispatcher, tracker, {})
    assert responses(dispatcher) == ["utter_repairs_cannot_follow"]
