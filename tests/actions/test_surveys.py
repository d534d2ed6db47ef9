import json
from datetime import datetime
from functools import partial
from typing import Any

import httpx
import pytest
import respx
import support
from actions.surveys import (
    ActionSurveysOffer,
    ActionSurveysSubmit,
    ValidateSurveysRatingForm,
    parse_rating,
)
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from support import TOKEN, entity, make_tracker, responses

FORM_STARTED = 1795000000.0
DOMAIN = {
    "forms": {
        "surveys_rating_form": {
            "required_slots": ["survey_invitation", "rating", "survey_comment"],
        }
    },
    "slots": {},
}
INVITATION = {
    "id": 41,
    "team": {"slug": "maint-plumbing", "name_en": "Plumbing Crew", "name_zh": "水暖班"},
    "subject_en": "Repair #1024",
    "subject_zh": "报修单 #1024",
    "source": "repair",
    "source_id": 1024,
    "period": "2026-11",
    "expires_at": "2026-12-07T10:00:00+08:00",
    "questions": [],
}


form_tracker = partial(
    support.form_tracker, "surveys_rating_form", started=FORM_STARTED, intent="surveys_rate"
)


async def validate(dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
    events = await ValidateSurveysRatingForm().run(dispatcher, tracker, DOMAIN)
    return {event["name"]: event["value"] for event in events if event["event"] == "slot"}


@pytest.mark.parametrize(
    ("value", "rating"),
    [("4", 4), ("5 stars", 5), ("★★★", 3), ("3分", 3), ("9", None), ("ok", None)],
)
def test_parse_rating(value: str, rating: int | None) -> None:
    assert parse_rating(value) == rating


async def test_offer_lists_the_first_pending_invitation(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    backend_api.get("/api/v1/surveys/pending").respond(json={"data": [INVITATION], "count": 1})
    viewed = backend_api.get("/api/v1/surveys/invitations/41").respond(json=INVITATION)
    events = await ActionSurveysOffer().run(
        dispatcher, make_tracker("I want to rate my repair", intent="surveys_rate"), {}
    )
    assert viewed.called  # starts the answer timer
    [message] = dispatcher.messages
    assert message["response"] == "utter_surveys_offer"
    assert (message["subject"], message["team"]) == ("Repair #1024", "Plumbing Crew")
    assert [b["title"] for b in message["buttons"]] == ["★", "★★", "★★★", "★★★★", "★★★★★"]
    assert message["buttons"][0]["payload"] == '/surveys_rate{"invitation":"41","rating":"1"}'
    slots = {e["name"]: e["value"] for e in events}
    assert slots["survey_invitation"] == "41"
    assert datetime.fromisoformat(slots["survey_opened_at"]).utcoffset() is not None


async def test_nothing_to_rate(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    backend_api.get("/api/v1/surveys/pending").respond(json={"data": [], "count": 0})
    events = await ActionSurveysOffer().run(dispatcher, make_tracker(intent="surveys_rate"), {})
    assert responses(dispatcher) == ["utter_surveys_nothing_pending"]
    assert events == []


async def test_offer_while_the_backend_is_down(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    backend_api.get("/api/v1/surveys/pending").mock(side_effect=httpx.ConnectError("down"))
    await ActionSurveysOffer().run(dispatcher, make_tracker(intent="surveys_rate"), {})
    assert responses(dispatcher) == ["utter_backend_unavailable"]


async def test_button_fills_invitation_and_rating(dispatcher: CollectingDispatcher) -> None:
    tracker = form_tracker(
        '/surveys_rate{"invitation":"41","rating":"4"}',
        entities=[entity("invitation", "41"), entity("rating", "4")],
        candidates={"survey_invitation": "41", "rating": "4"},
    )
    slots = await validate(dispatcher, tracker)
    assert (slots["survey_invitation"], slots["rating"]) == ("41", "4")
    assert slots["survey_opened_at"]
    assert dispatcher.messages == []


async def test_typed_rating_takes_the_first_pending_invitation(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    backend_api.get("/api/v1/surveys/pending").respond(json={"data": [INVITATION], "count": 1})
    viewed = backend_api.get("/api/v1/surveys/invitations/41").respond(json=INVITATION)
    tracker = form_tracker("5 stars", entities=[entity("rating", "5")], candidates={"rating": "5"})
    slots = await validate(dispatcher, tracker)
    assert (slots["survey_invitation"], slots["rating"]) == ("41", "5")
    assert viewed.called  # the server's answer timer starts now


async def test_typed_rating_with_nothing_pending_stops(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    backend_api.get("/api/v1/surveys/pending").respond(json={"data": [], "count": 0})
    tracker = form_tracker("5 stars", entities=[entity("rating", "5")], candidates={"rating": "5"})
    slots = await validate(dispatcher, tracker)
    assert slots["requested_slot"] is None
    assert responses(dispatcher) == ["utter_surveys_nothing_pending"]


async def test_invalid_rating_explained_and_third_stops(dispatcher: CollectingDispatcher) -> None:
    first = form_tracker(
        "great", intent="thank", requested="rating", slots={"survey_invitation": "41"}
    )
    slots = await validate(dispatcher, first)
    assert (slots["rating"], slots["survey_invalid_count"]) == (None, 1)
    assert responses(dispatcher) == ["utter_surveys_bad_rating"]
    third = form_tracker(
        "great",
        intent="thank",
        requested="rating",
        slots={"survey_invitation": "41", "survey_invalid_count": 2.0},
    )
    stopped = CollectingDispatcher()
    slots = await validate(stopped, third)
    assert slots["requested_slot"] is None
    assert responses(stopped) == ["utter_surveys_form_stopped"]


@pytest.mark.parametrize(
    ("text", "intent", "comment"),
    [
        ("/deny", "deny", ""),
        ("skip", "out_of_scope", ""),
        ("跳过", "nlu_fallback", ""),
        ("Fast and friendly", "thank", "Fast and friendly"),
    ],
)
async def test_comment_or_skip(
    dispatcher: CollectingDispatcher, text: str, intent: str, comment: str
) -> None:
    tracker = form_tracker(
        text,
        intent=intent,
        requested="survey_comment",
        slots={"survey_invitation": "41", "rating": "4"},
    )
    assert (await validate(dispatcher, tracker))["survey_comment"] == comment


async def test_side_question_during_the_comment_is_not_swallowed(
    dispatcher: CollectingDispatcher,
) -> None:
    tracker = form_tracker(
        "what's for dinner?",
        intent="meals_ask_menu",
        requested="survey_comment",
        slots={"survey_invitation": "41", "rating": "4"},
    )
    assert await validate(dispatcher, tracker) == {}


def submit_tracker(language: str = "en", **slots: Any) -> Tracker:
    values = {
        "survey_invitation": "41",
        "rating": "4",
        "survey_comment": "Fixed quickly",
        "survey_opened_at": "2026-11-23T10:15:02+08:00",
        **slots,
    }
    return form_tracker(slots=values, language=language)


async def test_submit_posts_the_answer(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    route = backend_api.post("/api/v1/surveys/invitations/41/response").respond(
        201, json={"id": 1, "invitation_id": 41, "overall": 4}
    )
    events = await ActionSurveysSubmit().run(dispatcher, submit_tracker(), {})
    request = route.calls.last.request
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert request.headers["idempotency-key"] == "surveys-7-41"
    assert json.loads(request.content) == {
        "overall": 4,
        "comment": "Fixed quickly",
        "opened_at": "2026-11-23T10:15:02+08:00",
    }
    [message] = dispatcher.messages
    assert (message["response"], message["rating"]) == ("utter_surveys_thanks", "★★★★")
    assert {e["name"] for e in events if e["value"] is None} >= {"survey_invitation", "rating"}


async def test_skipped_comment_is_left_out(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    route = backend_api.post("/api/v1/surveys/invitations/41/response").respond(201, json={})
    await ActionSurveysSubmit().run(
        dispatcher, submit_tracker(survey_comment="", survey_opened_at=None), {}
    )
    body = json.loads(route.calls.last.request.content)
    assert "comment" not in body
    assert body["opened_at"] == "2026-11-18T11:06:40+00:00"  # the form's start (UTC)


@pytest.mark.parametrize(
    ("status", "code", "response"),
    [
        (409, "AlreadyAnswered", "utter_surveys_already_answered"),
        (410, "InvitationExpired", "utter_surveys_expired"),
        (404, "InvitationNotFound", "utter_surveys_not_found"),
        (503, "Unavailable", "utter_backend_unavailable"),
    ],
)
async def test_submit_errors_are_explained(
    dispatcher: CollectingDispatcher,
    backend_api: respx.MockRouter,
    status: int,
    code: str,
    response: str,
) -> None:
    backend_api.post("/api/v1/surveys/invitations/41/response").respond(
        status, json={"error": code, "detail": "raw detail"}
    )
    events = await ActionSurveysSubmit().run(dispatcher, submit_tracker("zh"), {})
    assert responses(dispatcher) == [response]
    assert "raw detail" not in json.dumps(dispatcher.messages)
    assert any(e["name"] == "rating" and e["value"] is None for e in events)


async def test_stopped_form_posts_nothing(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    route = backend_api.post("/api/v1/surveys/invitations/41/response").respond(201, json={})
    await ActionSurveysSubmit().run(dispatcher, submit_tracker(rating=None), {})
    assert not route.called
    assert dispatcher.messages == []
