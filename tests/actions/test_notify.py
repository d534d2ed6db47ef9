import json
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
import support
from actions.handoff import transcript
from actions.notify import KINDS, ActionNotifyStop, ActionNotifyVoice, named_category
from actions.repairs_form import ValidateRepairsReportForm
from actions.repairs_status import ActionRepairsCancel, ActionRepairsConfirm, ActionRepairsReopen
from actions.surveys import ValidateSurveysRatingForm
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from support import TOKEN, entity, make_tracker, responses

MUTE = "/api/v1/notifications/preferences/mute"
REPORT_FORM = {
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
STARS = [
    {"title": "★" * n, "payload": f'/surveys_rate{{"invitation":"7","rating":"{n}"}}'}
    for n in range(1, 6)
]


def notice(kind: str, slot_language: str | None = "en", **values: str) -> Tracker:
    """An EXTERNAL_<kind> message as trigger_intent logs it: entities, no text, no metadata."""
    return make_tracker(
        intent=f"EXTERNAL_{kind}",
        entities=[entity(name, value) for name, value in values.items()],
        language=slot_language,
        metadata={},
    )


async def voice(tracker: Tracker) -> dict[str, Any]:
    dispatcher = CollectingDispatcher()
    assert await ActionNotifyVoice().run(dispatcher, tracker, {}) == []
    [message] = dispatcher.messages
    return message


def test_every_contract_kind_has_a_response() -> None:
    text = (Path(__file__).parents[2] / "bot" / "domain" / "notify.yml").read_text("utf-8")
    for kind in KINDS:
        assert f"utter_notify_{kind}:" in text
        assert f"- EXTERNAL_{kind}\n" in text


@pytest.mark.parametrize(
    ("lang", "subject", "fixed", "not_yet"),
    [
        ("en", "your plumbing repair #42", "Fixed ✓", "Not yet"),
        ("zh", "你的报修单 #42（水管卫浴）", "修好了 ✓", "还没修好"),
    ],
)
async def test_completed_asks_whether_it_is_fixed(
    lang: str, subject: str, fixed: str, not_yet: str
) -> None:
    message = await voice(
        notice("repair_completed", None, language=lang, ticket="42", category="plumbing")
    )
    assert message["response"] == "utter_notify_repair_completed"
    assert message["subject"] == subject
    assert message["buttons"] == [
        {"title": fixed, "payload": '/repairs_confirm_done{"ticket":"42"}'},
        {"title": not_yet, "payload": '/repairs_not_fixed{"ticket":"42"}'},
    ]


@pytest.mark.parametrize(
    ("lang", "said"),
    [("en", ' The technician noted: "New bulb".'), ("zh", "师傅留言：New bulb。")],
)
async def test_completed_carries_the_technicians_note(lang: str, said: str) -> None:
    completed = notice("repair_completed", None, language=lang, ticket="42", note="New bulb")
    assert (await voice(completed))["crew_note"] == said
    without = await voice(notice("repair_completed", None, language=lang, ticket="42"))
    assert without["crew_note"] == ""
    on_hold = notice("repair_on_hold", None, language=lang, ticket="42", note="New bulb")
    assert (await voice(on_hold))["crew_note"] == ""


@pytest.mark.parametrize(
    ("kind", "lang", "title"),
    [
        ("repair_assigned", "en", "Check my repair"),
        ("repair_started", "zh", "查看报修进度"),
        ("repair_reopened", "en", "Check my repair"),
    ],
)
async def test_progress_notices_offer_the_status(kind: str, lang: str, title: str) -> None:
    message = await voice(notice(kind, language=lang, ticket="42"))
    assert message["response"] == f"utter_notify_{kind}"
    assert message["buttons"] == [{"title": title, "payload": '/repairs_ask_status{"ticket":"42"}'}]


@pytest.mark.parametrize(
    ("kind", "lang", "reason", "shown"),
    [
        ("repair_on_hold", "en", "waiting for a spare part", "waiting for a spare part"),
        ("repair_on_hold", "zh", "等待配件", "等待配件"),
        ("repair_cancelled", "en", "", "not given"),
        ("repair_cancelled", "zh", "", "未说明"),
    ],
)
async def test_on_hold_and_cancelled_say_why(kind: str, lang: str, reason: str, shown: str) -> None:
    values = {"language": lang, "ticket": "42", **({"reason": reason} if reason else {})}
    message = await voice(notice(kind, **values))
    assert (message["response"], message["reason"]) == (f"utter_notify_{kind}", shown)
    if kind == "repair_cancelled":
        [button] = message["buttons"]
        assert button["payload"] == "/repairs_report"


@pytest.mark.parametrize(
    ("lang", "subject", "until"),
    [
        ("en", "your repair #42", " (open until Dec 5 18:00)"),
        ("zh", "你的报修单 #42", "（Dec 5 18:00前有效）"),
    ],
)
async def test_survey_invitation_shows_the_rating_buttons(
    lang: str, subject: str, until: str
) -> None:
    message = await voice(
        notice("survey_invited", language=lang, invitation="7", ticket="42", deadline="Dec 5 18:00")
    )
    assert message["response"] == "utter_notify_survey_invited"
    assert (message["subject"], message["until"]) == (subject, until)
    assert message["buttons"] == STARS


@pytest.mark.parametrize(
    ("lang", "subject", "deadline"),
    [("en", "the service you received", "soon"), ("zh", "这次服务", "近期")],
)
async def test_expiring_survey_without_ticket_or_deadline(
    lang: str, subject: str, deadline: str
) -> None:
    message = await voice(notice("survey_expiring", language=lang, invitation="7"))
    assert (message["subject"], message["deadline"]) == (subject, deadline)
    assert message["buttons"] == STARS


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_handoff_answer_carries_the_staff_reply(lang: str) -> None:
    reply = "The laundry room opens at 7:00." if lang == "en" else "洗衣房早上7点开门。"
    message = await voice(notice("handoff_answered", language=lang, reply=reply))
    assert (message["response"], message["reply"]) == ("utter_notify_handoff_answered", reply)
    assert message["buttons"] == []


@pytest.mark.parametrize(("lang", "outcome"), [("en", "upheld"), ("zh", "通过")])
async def test_appeal_resolved(lang: str, outcome: str) -> None:
    message = await voice(
        notice(
            "appeal_resolved", language=lang, statement="3", outcome="upheld", note="Score fixed."
        )
    )
    assert message["response"] == "utter_notify_appeal_resolved"
    assert (message["statement"], message["outcome"], message["note"]) == (
        "3",
        outcome,
        "Score fixed.",
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_survey_is_named_by_its_own_subject(lang: str) -> None:
    subject = "Repair #1024" if lang == "en" else "报修单 #1024"
    message = await voice(notice("survey_invited", language=lang, invitation="7", subject=subject))
    assert message["subject"] == subject


async def test_the_entity_language_wins_over_the_slot() -> None:
    message = await voice(notice("repair_started", "en", language="zh", ticket="9"))
    assert message["subject"] == "你的报修单 #9"


async def test_without_a_language_entity_the_slot_decides() -> None:
    message = await voice(notice("repair_started", "zh", ticket="9"))
    assert message["buttons"][0]["title"] == "查看报修进度"


async def test_an_unknown_external_intent_says_nothing() -> None:
    dispatcher = CollectingDispatcher()
    await ActionNotifyVoice().run(dispatcher, notice("lottery_won", language="en"), {})
    assert dispatcher.messages == []


# "Stop reminding me"


def stop(text: str, *, language: str = "en", category: str | None = None) -> Tracker:
    tracker = make_tracker(text, intent="notify_stop", language=language)
    tracker.slots["notified_category"] = category
    return tracker


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("don't send me survey reminders", "surveys"),
        ("不要再发报修通知", "repairs"),
        ("别再让我评价了", "surveys"),
        ("stop the staff reply notifications", "handoff"),
        ("别发服务资讯了", "news"),
        ("stop reminding me", None),
        ("别再提醒我了", None),
    ],
)
def test_named_category(text: str, category: str | None) -> None:
    assert named_category(text) == category


@pytest.mark.parametrize(
    ("text", "lang", "slot", "category", "said"),
    [
        ("stop reminding me", "en", "repairs", "repairs", "repair"),
        ("别再提醒我了", "zh", "handoff", "handoff", "人工回复"),
        ("stop reminding me", "en", None, "surveys", "survey"),
        ("不要再发报修通知", "zh", "surveys", "repairs", "报修"),
    ],
)
async def test_stop_mutes_the_category(
    backend_api: respx.MockRouter,
    dispatcher: CollectingDispatcher,
    text: str,
    lang: str,
    slot: str | None,
    category: str,
    said: str,
) -> None:
    route = backend_api.post(MUTE).respond(json={"category": category, "muted": True})
    events = await ActionNotifyStop().run(dispatcher, stop(text, language=lang, category=slot), {})
    assert events == []
    request = route.calls.last.request
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert json.loads(request.content) == {"category": category, "muted": True}
    [message] = dispatcher.messages
    assert (message["response"], message["category"]) == ("utter_notify_stopped", said)


async def test_stop_while_the_backend_is_down(
    backend_api: respx.MockRouter, dispatcher: CollectingDispatcher
) -> None:
    backend_api.post(MUTE).mock(side_effect=httpx.ConnectError("down"))
    await ActionNotifyStop().run(dispatcher, stop("stop reminding me"), {})
    assert responses(dispatcher) == ["utter_backend_unavailable"]


@pytest.mark.parametrize("status", [400, 422, 429])
async def test_stop_refused(
    backend_api: respx.MockRouter, dispatcher: CollectingDispatcher, status: int
) -> None:
    backend_api.post(MUTE).respond(status, json={"error": "Refused", "detail": "no"})
    await ActionNotifyStop().run(dispatcher, stop("stop reminding me"), {})
    assert responses(dispatcher) == ["utter_notify_stop_failed"]


async def test_stop_without_a_delegation_token(
    backend_api: respx.MockRouter, dispatcher: CollectingDispatcher
) -> None:
    route = backend_api.post(MUTE).respond(json={})
    tracker = make_tracker("stop reminding me", intent="notify_stop", metadata={})
    await ActionNotifyStop().run(dispatcher, tracker, {})
    assert responses(dispatcher) == ["utter_backend_unavailable"]
    assert not route.called


# The reply right after a notice acts on the notified ticket


def after_notice(text: str, intent: str, notified: str | None = "42", **values: str) -> Tracker:
    tracker = make_tracker(
        text, intent=intent, entities=[entity(name, value) for name, value in values.items()]
    )
    tracker.slots["notified_ticket"] = notified
    return tracker


def transition(number: int, status: str) -> dict[str, Any]:
    return {"id": number, "status": status, "category": "plumbing"}


@pytest.mark.parametrize(
    ("action", "text", "intent", "move", "said"),
    [
        (
            ActionRepairsConfirm,
            "修好了",
            "repairs_confirm_done",
            "confirm",
            "utter_repairs_confirmed",
        ),
        (
            ActionRepairsReopen,
            "still broken",
            "repairs_not_fixed",
            "reopen",
            "utter_repairs_reopened",
        ),
    ],
)
async def test_a_reply_after_a_notice_acts_on_the_notified_ticket(
    backend_api: respx.MockRouter,
    dispatcher: CollectingDispatcher,
    action: type,
    text: str,
    intent: str,
    move: str,
    said: str,
) -> None:
    listing = backend_api.get("/api/v1/repairs")
    moved = backend_api.post("/api/v1/repairs/42/transitions").respond(
        json=transition(42, "closed")
    )
    backend_api.get("/api/v1/surveys/pending").respond(json={"data": [], "count": 0})
    events = await action().run(dispatcher, after_notice(text, intent), {})
    assert not listing.called  # no "which one?": the notice said which
    assert json.loads(moved.calls.last.request.content)["action"] == move
    assert responses(dispatcher)[0] == said
    assert {"event": "slot", "name": "notified_ticket", "value": None} in [
        {key: event.get(key) for key in ("event", "name", "value")} for event in events
    ]


async def test_a_named_ticket_wins_over_the_notified_one(
    backend_api: respx.MockRouter, dispatcher: CollectingDispatcher
) -> None:
    backend_api.get("/api/v1/surveys/pending").respond(json={"data": [], "count": 0})
    named = backend_api.post("/api/v1/repairs/17/transitions").respond(
        json=transition(17, "closed")
    )
    tracker = after_notice("ticket 17 is fixed", "repairs_confirm_done", ticket="17")
    await ActionRepairsConfirm().run(dispatcher, tracker, {})
    assert named.called


async def test_the_notified_ticket_is_used_once(
    backend_api: respx.MockRouter, dispatcher: CollectingDispatcher
) -> None:
    backend_api.post("/api/v1/repairs/42/transitions").respond(
        409, json={"error": "InvalidTransition", "detail": "closed"}
    )
    backend_api.get("/api/v1/repairs/42").respond(json=transition(42, "closed"))
    events = await ActionRepairsReopen().run(
        dispatcher, after_notice("not fixed", "repairs_not_fixed"), {}
    )
    assert responses(dispatcher) == ["utter_repairs_cannot_reopen"]
    assert [(e["name"], e["value"]) for e in events] == [("notified_ticket", None)]


async def test_cancel_does_not_follow_notices(
    backend_api: respx.MockRouter, dispatcher: CollectingDispatcher
) -> None:
    listing = backend_api.get("/api/v1/repairs").respond(json={"data": [], "count": 0})
    events = await ActionRepairsCancel().run(
        dispatcher, after_notice("cancel my repair", "repairs_cancel"), {}
    )
    assert listing.called
    assert responses(dispatcher) == ["utter_repairs_nothing_to_cancel"]
    assert events == []


# A notice is no answer: Rasa logs it as a user message "EXTERNAL: <intent>"


@pytest.mark.parametrize("requested", ["repair_location", "repair_description", "repair_urgency"])
async def test_the_report_form_does_not_take_a_notice_as_an_answer(requested: str) -> None:
    tracker = support.form_tracker(
        "repairs_report_form",
        "EXTERNAL: EXTERNAL_repair_started",
        started=1795000000.0,
        intent="EXTERNAL_repair_started",
        requested=requested,
        slots={"repair_category": "plumbing"},
        entities=[entity("ticket", "17"), entity("language", "en")],
    )
    dispatcher = CollectingDispatcher()
    events = await ValidateRepairsReportForm().run(dispatcher, tracker, REPORT_FORM)
    assert requested not in [event["name"] for event in events if event["event"] == "slot"]
    assert dispatcher.messages == []


async def test_the_rating_form_does_not_take_a_notice_as_a_comment() -> None:
    tracker = support.form_tracker(
        "surveys_rating_form",
        "EXTERNAL: EXTERNAL_survey_expiring",
        started=1795000000.0,
        intent="EXTERNAL_survey_expiring",
        requested="survey_comment",
        slots={"survey_invitation": "12", "rating": "4"},
    )
    extracted = await ValidateSurveysRatingForm().extract_survey_comment(
        CollectingDispatcher(), tracker, {}
    )
    assert extracted == {}


def test_a_handoff_transcript_leaves_notices_out() -> None:
    tracker = make_tracker("talk to a person", intent="human_handoff")
    tracker.events = [
        {"event": "user", "text": "the heater is cold", "parse_data": {"intent": {}}},
        {
            "event": "user",
            "text": "EXTERNAL: EXTERNAL_repair_completed",
            "parse_data": {"intent": {"name": "EXTERNAL_repair_completed"}},
        },
        {"event": "user", "text": "talk to a person", "parse_data": {"intent": {}}},
    ]
    assert transcript(tracker) == ["the heater is cold", "talk to a person"]
