"""What the bot knows it cannot do, and the gaps issue 15 closed, through POST /api/v1/chat."""

from tests.e2e.system import System
from tests.e2e.test_bot_flows import api, chat, text


def test_library_hours_are_out_of_scope_with_what_the_bot_can_do(system: System) -> None:
    student = system.login("s20240001")
    question = "图书馆几点开门"
    # The guidance search matches the library in an article ("Building 7 is next to the
    # library"): only NLU keeps this question away from a dorm answer.
    hits = api(system, student, "GET", "/guidance", params={"q": question})["data"]
    reply = text(chat(system, student, question))
    assert "帮不上忙" in reply
    assert "食堂用餐、宿舍生活和报修" in reply
    assert not any(hit["title_zh"] in reply for hit in hits)


def test_a_forecast_for_a_weekday_is_no_menu_question(system: System) -> None:
    student = system.login("s20240002")
    reply = text(chat(system, student, "what's the forecast for friday"))
    assert "meals, dorm life and repairs" in reply


def test_cancelling_a_ticket_while_reporting_stops_the_form_and_cancels_it(
    system: System,
) -> None:
    student = system.login("s20240001")
    report = {"category": "furniture", "description": "书桌抽屉卡住拉不开", "priority": "low"}
    ticket = api(system, student, "POST", "/repairs", json=report)
    asked = text(chat(system, student, "宿舍的灯不亮了，要报修"))
    assert asked  # the report form asks its next question
    reply = text(chat(system, student, f"取消报修单{ticket['id']}"))
    assert "这次报修已取消" in reply
    assert f"#{ticket['id']}" in reply
    assert api(system, student, "GET", f"/repairs/{ticket['id']}")["status"] == "cancelled"
    # The form is gone: the next message is a fresh question, not an answer to it.
    assert "帮不上忙" in text(chat(system, student, "图书馆几点开门"))


def test_asking_again_for_a_person_is_already_on_it(system: System) -> None:
    student = system.login("s20240001")
    first = text(chat(system, student, "我想找人工客服"))
    [request] = api(system, student, "GET", "/handoffs", params={"status": "open"})["data"]
    assert f"#{request['id']}" in first
    again = text(chat(system, student, "转人工"))
    assert "我们已经在处理你的请求" in again
    assert f"#{request['id']}" in again
    assert len(api(system, student, "GET", "/handoffs", params={"status": "open"})["data"]) == 1
