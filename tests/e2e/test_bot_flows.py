"""Whole conversations through POST /api/v1/chat, checked against the backend's own API."""

import re
from typing import Any

import httpx

from tests.e2e.system import System

Reply = dict[str, Any]


def chat(system: System, headers: dict[str, str], message: str) -> Reply:
    response = httpx.post(
        f"{system.base_url}/api/v1/chat", json={"message": message}, headers=headers, timeout=10
    )
    assert response.status_code == 200, response.text
    return response.json()


def text(reply: Reply) -> str:
    return "\n".join(m.get("text") or "" for m in reply["messages"])


def buttons(reply: Reply) -> dict[str, str]:
    """Button title → payload, over all the reply's messages."""
    return {b["title"]: b["payload"] for m in reply["messages"] for b in m.get("buttons") or []}


def api(system: System, headers: dict[str, str], method: str, path: str, **kw: Any) -> Any:
    response = httpx.request(
        method, f"{system.base_url}/api/v1{path}", headers=headers, timeout=10, **kw
    )
    assert response.is_success, response.text
    return response.json()


def open_tickets(system: System, headers: dict[str, str]) -> list[dict[str, Any]]:
    return api(system, headers, "GET", "/repairs", params={"open": "true"})["data"]


def file_report(system: System, headers: dict[str, str], first_message: str) -> Reply:
    """Report through the form: my room, normal urgency, submit; the bot's last reply."""
    reply = chat(system, headers, first_message)
    for _ in range(6):  # location, description?, urgency, summary: answer what is asked
        choices = buttons(reply)
        if "Submit" in choices:
            return chat(system, headers, choices["Submit"])
        if "Yes, my room" in choices:
            reply = chat(system, headers, choices["Yes, my room"])
        elif any("normal" in payload for payload in choices.values()):
            [normal] = [p for p in choices.values() if '"normal"' in p]
            reply = chat(system, headers, normal)
        else:
            reply = chat(system, headers, "the socket next to my desk sparks and has no power")
    raise AssertionError(f"the form never reached its summary: {text(reply)}")


def test_report_a_repair_then_see_and_cancel_it(system: System) -> None:
    student = system.login("s20240002")
    before = {t["id"] for t in open_tickets(system, student)}

    filed = file_report(system, student, "the power socket in my room is broken")
    [ticket] = [t for t in open_tickets(system, student) if t["id"] not in before]
    assert ticket["category"] == "electrical"
    assert f"#{ticket['id']}" in text(filed)

    status = chat(system, student, "where is my repair?")
    assert f"#{ticket['id']}" in text(status)

    chat(system, student, f"cancel ticket {ticket['id']}")
    assert api(system, student, "GET", f"/repairs/{ticket['id']}")["status"] == "cancelled"


def test_a_side_question_inside_the_form_is_answered_and_the_form_resumes(system: System) -> None:
    student = system.login("s20240001")  # profile in Chinese
    before = len(open_tickets(system, student))

    reply = chat(system, student, "宿舍空调坏了要报修")
    assert "是我宿舍" in buttons(reply)
    side = chat(system, student, "等一下，北区食堂几点关门？")
    assert "北区食堂" in text(side)
    assert "是我宿舍" in buttons(side)  # the form asks its question again

    reply = chat(system, student, buttons(side)["是我宿舍"])
    for _ in range(4):
        choices = buttons(reply)
        if "取消" in choices:
            break
        high = [p for p in choices.values() if '"high"' in p]
        reply = chat(system, student, high[0] if high else "空调完全不制冷，一直滴水")
    declined = chat(system, student, buttons(reply)["取消"])
    assert "没有提交" in text(declined)
    assert len(open_tickets(system, student)) == before


def test_dorm_answer_comes_from_the_guidance_articles(system: System) -> None:
    student = system.login("s20240001")
    question = "宿舍几点锁门"
    [best, *_] = api(system, student, "GET", "/guidance", params={"q": question})["data"]
    reply = chat(system, student, question)
    assert best["title_zh"] in text(reply)


def test_handoff_creates_a_request_staff_can_see(system: System) -> None:
    student = system.login("s20240002")
    reply = chat(system, student, "I want to talk to a real person please")
    [request] = api(system, student, "GET", "/handoffs", params={"status": "open"})["data"]
    assert f"#{request['id']}" in text(reply)
    queue = api(system, system.login("admin"), "GET", "/handoffs", params={"status": "open"})
    assert request["id"] in {item["id"] for item in queue["data"]}


def test_confirming_a_finished_repair_asks_for_a_rating(system: System) -> None:
    student = system.login("s20240002")
    before = {t["id"] for t in open_tickets(system, student)}
    file_report(system, student, "the ceiling light in my room flickers")
    [ticket] = [t for t in open_tickets(system, student) if t["id"] not in before]

    technician = system.login("t0001")  # the electrical crew
    for action in ("assign", "start", "complete"):
        path = f"/repairs/{ticket['id']}/transitions"
        api(system, technician, "POST", path, json={"action": action})

    reply = chat(system, student, f"ticket {ticket['id']} is fixed now, thanks")
    assert api(system, student, "GET", f"/repairs/{ticket['id']}")["status"] == "closed"
    stars = buttons(reply)
    assert "★★★★★" in stars
    comment_prompt = chat(system, student, stars["★★★★★"])
    thanks = chat(system, student, buttons(comment_prompt).get("Skip", "no comment"))
    assert re.search(r"thank", text(thanks), re.IGNORECASE)
    pending = api(system, student, "GET", "/surveys/pending")["data"]
    assert ticket["id"] not in {item["source_id"] for item in pending if item["source"] == "repair"}
