import json
from typing import Any

import httpx
import pytest
import respx
from actions.repairs_status import (
    ActionRepairsCancel,
    ActionRepairsConfirm,
    ActionRepairsReopen,
    ActionRepairsStatus,
    due_label,
)
from rasa_sdk.executor import CollectingDispatcher
from support import TOKEN, entity, make_tracker


def ticket(number: int, status: str = "assigned", **extra: Any) -> dict[str, Any]:
    return {
        "id": number,
        "category": "plumbing",
        "status": status,
        "priority": "normal",
        "description": "tap drips",
        "location": {"building_code": "B7", "room": "312", "note": None},
        "team": {"slug": "maint-plumbing", "name_en": "Plumbing Crew", "name_zh": "水暖班"},
        "due_at": "2026-11-24T10:00:00+00:00",
        "is_overdue": False,
        "created_at": "2026-11-23T10:00:00+00:00",
        "updated_at": "2026-11-23T10:00:00+00:00",
        "reporter": "me",
        "following": False,
        **extra,
    }


def listing(*tickets: dict[str, Any]) -> dict[str, Any]:
    return {"data": list(tickets), "count": len(tickets), "total": len(tickets)}


def responses(dispatcher: CollectingDispatcher) -> list[str]:
    return [message["response"] for message in dispatcher.messages]


def test_due_time_in_campus_time() -> None:
    assert due_label("2026-11-24T10:00:00+00:00", "en") == "Tue 24 Nov 18:00"
    assert due_label("2026-11-24T18:00:00+08:00", "zh") == "11月24日 周二 18:00"


async def test_open_tickets_listed_with_overdue_flag(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    route = backend_api.get("/api/v1/repairs").respond(
        json=listing(ticket(12, is_overdue=True), ticket(13, "completed"))
    )
    tracker = make_tracker("where is my repair?", intent="repairs_ask_status")
    await ActionRepairsStatus().run(dispatcher, tracker, {})
    assert route.calls.last.request.url.params["open"] == "true"
    assert route.calls.last.request.headers["authorization"] == f"Bearer {TOKEN}"
    [message] = dispatcher.messages
    assert message["response"] == "utter_repairs_status_list"
    assert message["count"] == 2
    first, second = message["tickets"].splitlines()
    assert first == (
        "• #12 plumbing: assigned, Plumbing Crew, expected by Tue 24 Nov 18:00 (overdue)"
    )
    assert second.startswith("• #13 plumbing: completed, waiting for your confirmation")


async def test_open_tickets_in_chinese(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    backend_api.get("/api/v1/repairs").respond(json=listing(ticket(12, "in_progress")))
    tracker = make_tracker("我的报修怎么样了", intent="repairs_ask_status", language="zh")
    await ActionRepairsStatus().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["tickets"] == (
        "• #12 水管卫浴：维修中，水暖班，预计11月24日 周二 18:00前完成"
    )


async def test_no_open_tickets_offers_the_report_button(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    backend_api.get("/api/v1/repairs").respond(json=listing())
    await ActionRepairsStatus().run(dispatcher, make_tracker(intent="repairs_ask_status"), {})
    [message] = dispatcher.messages
    assert message["response"] == "utter_repairs_none_open"
    assert message["buttons"] == [{"title": "Report a repair", "payload": "/repairs_report"}]


async def test_one_ticket_by_number(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    backend_api.get("/api/v1/repairs/42").respond(json=ticket(42, history=[], photos=[]))
    tracker = make_tracker(
        "status of ticket 42", intent="repairs_ask_status", entities=[entity("ticket", "42")]
    )
    await ActionRepairsStatus().run(dispatcher, tracker, {})
    [message] = dispatcher.messages
    assert message["response"] == "utter_repairs_status_one"
    assert message["ticket_line"].startswith("• #42 plumbing: assigned")


async def test_someone_elses_ticket_is_not_found(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    backend_api.get("/api/v1/repairs/42").respond(
        404, json={"error": "RepairNotFound", "detail": "No such repair ticket."}
    )
    tracker = make_tracker(intent="repairs_ask_status", entities=[entity("ticket", "42")])
    await ActionRepairsStatus().run(dispatcher, tracker, {})
    [message] = dispatcher.messages
    assert (message["response"], message["ticket"]) == ("utter_repairs_ticket_not_found", 42)


async def test_status_while_the_backend_is_down(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    backend_api.get("/api/v1/repairs").mock(side_effect=httpx.ReadTimeout("slow"))
    await ActionRepairsStatus().run(dispatcher, make_tracker(intent="repairs_ask_status"), {})
    assert responses(dispatcher) == ["utter_backend_unavailable"]


async def test_cancel_by_number(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    route = backend_api.post("/api/v1/repairs/12/transitions").respond(json=ticket(12, "cancelled"))
    tracker = make_tracker(
        "cancel repair 12", intent="repairs_cancel", entities=[entity("ticket", "12")]
    )
    await ActionRepairsCancel().run(dispatcher, tracker, {})
    assert json.loads(route.calls.last.request.content) == {"action": "cancel"}
    [message] = dispatcher.messages
    assert (message["response"], message["ticket"]) == ("utter_repairs_cancelled", 12)


async def test_cancel_uses_the_only_eligible_ticket(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    backend_api.get("/api/v1/repairs").respond(
        json=listing(
            ticket(12, "completed"),
            ticket(13, "submitted"),
            ticket(14, "assigned", reporter="other"),
        )
    )
    route = backend_api.post("/api/v1/repairs/13/transitions").respond(json=ticket(13, "cancelled"))
    await ActionRepairsCancel().run(
        dispatcher, make_tracker("取消报修", intent="repairs_cancel"), {}
    )
    assert route.called
    assert responses(dispatcher) == ["utter_repairs_cancelled"]


async def test_cancel_asks_which_when_several(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    backend_api.get("/api/v1/repairs").respond(
        json=listing(ticket(12, "submitted"), ticket(13, "on_hold"))
    )
    await ActionRepairsCancel().run(dispatcher, make_tracker(intent="repairs_cancel"), {})
    [message] = dispatcher.messages
    assert message["response"] == "utter_repairs_which_cancel"
    assert [b["payload"] for b in message["buttons"]] == [
        '/repairs_cancel{"ticket":"12"}',
        '/repairs_cancel{"ticket":"13"}',
    ]


async def test_cancel_with_nothing_to_cancel(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    backend_api.get("/api/v1/repairs").respond(json=listing(ticket(12, "completed")))
    await ActionRepairsCancel().run(dispatcher, make_tracker(intent="repairs_cancel"), {})
    assert responses(dispatcher) == ["utter_repairs_nothing_to_cancel"]


async def test_illegal_transition_is_explained_in_words(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    backend_api.post("/api/v1/repairs/12/transitions").respond(
        409, json={"error": "IllegalTransition", "detail": "closed → cancelled is not allowed"}
    )
    backend_api.get("/api/v1/repairs/12").respond(json=ticket(12, "closed"))
    tracker = make_tracker(intent="repairs_cancel", entities=[entity("ticket", "12")])
    await ActionRepairsCancel().run(dispatcher, tracker, {})
    [message] = dispatcher.messages
    assert message["response"] == "utter_repairs_cannot_cancel"
    assert (message["ticket"], message["status"]) == (12, "closed")
    assert "not allowed" not in json.dumps(dispatcher.messages)


async def test_reporter_only_move(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    backend_api.post("/api/v1/repairs/12/transitions").respond(
        403, json={"error": "ReporterActionOnly", "detail": "x"}
    )
    tracker = make_tracker(intent="repairs_confirm_done", entities=[entity("ticket", "12")])
    await ActionRepairsConfirm().run(dispatcher, tracker, {})
    assert responses(dispatcher) == ["utter_repairs_not_your_ticket"]


INVITATION = {
    "id": 41,
    "team": {"slug": "maint-plumbing", "name_en": "Plumbing Crew", "name_zh": "水暖班"},
    "subject_en": "Repair #12",
    "subject_zh": "报修单 #12",
    "source": "repair",
    "source_id": 12,
    "period": "2026-11",
    "expires_at": "2026-12-07T10:00:00+08:00",
    "questions": [],
}


async def test_confirm_offers_the_repairs_rating_right_away(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    backend_api.get("/api/v1/repairs").respond(json=listing(ticket(12, "completed")))
    route = backend_api.post("/api/v1/repairs/12/transitions").respond(json=ticket(12, "closed"))
    other = {**INVITATION, "id": 40, "source": "canteen", "source_id": 3}
    backend_api.get("/api/v1/surveys/pending").respond(
        json={"data": [other, INVITATION], "count": 2}
    )
    backend_api.get("/api/v1/surveys/invitations/41").respond(json=INVITATION)
    events = await ActionRepairsConfirm().run(
        dispatcher, make_tracker("修好了", intent="repairs_confirm_done", language="zh"), {}
    )
    assert json.loads(route.calls.last.request.content) == {"action": "confirm"}
    confirmed, offer = dispatcher.messages
    assert confirmed["response"] == "utter_repairs_confirmed"
    assert offer["response"] == "utter_surveys_offer"
    assert offer["subject"] == "报修单 #12"
    assert offer["buttons"][3] == {
        "title": "★★★★",
        "payload": '/surveys_rate{"invitation":"41","rating":"4"}',
    }
    assert {"event": "slot", "name": "survey_invitation", "value": "41", "timestamp": None} in (
        events
    )


async def test_confirm_without_an_invitation_says_nothing_more(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    backend_api.post("/api/v1/repairs/12/transitions").respond(json=ticket(12, "closed"))
    backend_api.get("/api/v1/surveys/pending").respond(json={"data": [], "count": 0})
    tracker = make_tracker(intent="repairs_confirm_done", entities=[entity("ticket", "12")])
    await ActionRepairsConfirm().run(dispatcher, tracker, {})
    assert responses(dispatcher) == ["utter_repairs_confirmed"]


async def test_reopen_sends_the_students_words(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    route = backend_api.post("/api/v1/repairs/12/transitions").respond(json=ticket(12, "reopened"))
    tracker = make_tracker(
        "#12 is still broken", intent="repairs_not_fixed", entities=[entity("ticket", "12")]
    )
    await ActionRepairsReopen().run(dispatcher, tracker, {})
    assert json.loads(route.calls.last.request.content) == {
        "action": "reopen",
        "note": "#12 is still broken",
    }
    assert responses(dispatcher) == ["utter_repairs_reopened"]


async def test_reopen_a_closed_ticket(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    backend_api.post("/api/v1/repairs/12/transitions").respond(
        409, json={"error": "IllegalTransition", "detail": "x"}
    )
    backend_api.get("/api/v1/repairs/12").respond(503, json={"error": "Unavailable", "detail": "x"})
    tracker = make_tracker(intent="repairs_not_fixed", entities=[entity("ticket", "12")])
    await ActionRepairsReopen().run(dispatcher, tracker, {})
    assert responses(dispatcher) == ["utter_repairs_cannot_move"]


@pytest.mark.parametrize("action", [ActionRepairsCancel, ActionRepairsConfirm, ActionRepairsReopen])
async def test_moves_while_the_backend_is_down(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter, action: type
) -> None:
    backend_api.get("/api/v1/repairs").mock(side_effect=httpx.ConnectError("down"))
    await action().run(dispatcher, make_tracker(intent="repairs_cancel"), {})
    assert responses(dispatcher) == ["utter_backend_unavailable"]


def test_the_action_server_registers_every_action() -> None:
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    for module in (
        "actions.repairs_status",
        "actions.repairs_form",
        "actions.repairs_submit",
        "actions.surveys",
    ):
        executor.register_package(module)
    assert {
        "action_repairs_status",
        "action_repairs_cancel",
        "action_repairs_confirm",
        "action_repairs_reopen",
        "validate_repairs_report_form",
        "action_ask_repair_location",
        "action_ask_repair_confirmed",
        "action_repairs_submit",
        "action_repairs_submit_anyway",
        "action_repairs_follow",
        "action_surveys_offer",
        "validate_surveys_rating_form",
        "action_surveys_submit",
    } <= set(executor.actions)
