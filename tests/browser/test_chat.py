"""The chat in the browser: the real bot answers from the real database."""

import re
import time
from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from tests.browser.support import Tab, api, ask, chips, headers_for, tap
from tests.e2e.system import System


@pytest.mark.parametrize(
    ("question", "canteen_name", "name_key"),
    [
        ("what's for lunch today?", "North Canteen", "name_en"),
        ("今天午饭吃什么?", "北区食堂", "name_zh"),
    ],
)
def test_todays_lunch_shows_the_dishes_on_the_menu(
    tab: Tab,
    system: System,
    question: str,
    canteen_name: str,
    name_key: str,
    record_property: Callable[[str, object], None],
) -> None:
    [menu] = api(
        system, "s20240002", "GET", "/menus", params={"canteen": "north", "meal": "lunch"}
    )["data"]
    started = time.monotonic()
    tab.sign_in("s20240002")
    answer = ask(tab, question)
    seconds = time.monotonic() - started
    record_property("sign_in_to_first_answer_seconds", round(seconds, 2))
    print(f"\nsign-in to first chat answer ({question}): {seconds:.2f} s")
    assert canteen_name in answer
    for dish in menu["dishes"]:
        assert dish[name_key] in answer
    expect(tab.page.locator(".chat-log .bubble.me .text").last).to_have_text(question)
    tab.page.reload()  # the conversation comes back from the transcript
    expect(tab.page.locator(".chat-log .bubble.me .text").last).to_have_text(question)
    expect(tab.page.locator(".chat-log")).to_contain_text(canteen_name)


def test_going_offline_says_so_and_coming_back_reconnects(tab: Tab) -> None:
    tab.sign_in("s20240002")
    status = tab.page.locator(".chat-status")
    expect(status).to_be_empty()
    tab.page.context.set_offline(True)
    expect(status).to_contain_text("You are offline")
    expect(tab.page.get_by_role("button", name="Send")).to_be_disabled()
    tab.page.context.set_offline(False)
    expect(status).to_be_empty()
    assert "North Canteen" in ask(tab, "what's for lunch today?")


def test_without_the_socket_the_chat_still_answers_over_http(tab: Tab) -> None:
    # A proxy that passes no WebSocket: every socket to the chat is closed at once.
    tab.page.route_web_socket(re.compile(r"/api/v1/chat/ws$"), lambda socket: socket.close())
    tab.sign_in("s20240002")
    status = tab.page.locator(".chat-status")
    expect(status).to_have_text("Live updates are paused; your messages still get answers.")
    assert "North Canteen" in ask(tab, "what's for lunch today?")
    posted = [r for r in tab.requests if r.method == "POST" and r.url.endswith("/api/v1/chat")]
    assert len(posted) == 1


def test_a_repair_reported_in_the_chat_is_in_my_repairs(tab: Tab, system: System) -> None:
    before = {t["id"] for t in api(system, "s20240002", "GET", "/repairs")["data"]}
    tab.sign_in("s20240002")
    answer = ask(tab, "the power socket in my room is broken")
    for _ in range(6):  # where, what, how urgent, the summary: answer what is asked
        offered = chips(tab)
        if "Submit" in offered:
            answer = tap(tab, "Submit")
            break
        if "Yes, my room" in offered:
            answer = tap(tab, "Yes, my room")
        elif "Normal" in offered:
            answer = tap(tab, "Normal")
        else:
            answer = ask(tab, "the socket next to my desk sparks and has no power")
    [ticket] = [
        t for t in api(system, "s20240002", "GET", "/repairs")["data"] if t["id"] not in before
    ]
    assert f"#{ticket['id']}" in answer

    tab.page.get_by_role("navigation").get_by_role("link", name="Repairs").click()
    card = tab.page.locator("li.card", has_text=f"#{ticket['id']} Electrical")
    expect(card).to_contain_text("Submitted")
    card.get_by_role("link").click()
    expect(tab.page.locator("#page-title")).to_have_text(f"Repair #{ticket['id']}")
    expect(tab.main()).to_contain_text("socket")
    expect(tab.page.get_by_role("list", name="Timeline")).to_contain_text("Reported")


def test_a_finished_repair_is_announced_on_the_open_page(tab: Tab, system: System) -> None:
    """The technician completes the ticket through the API; the student's open page shows
    the assistant's message at once, without a reload, and counts it while unread."""
    student = "s20240002"
    system.push_at_any_hour(headers_for(system, student))
    ticket = api(
        system,
        student,
        "POST",
        "/repairs",
        json={
            "category": "electrical",
            "description": "The ceiling light in my room flickers all evening",
            "report_even_if_duplicate": True,
        },
    )
    tab.sign_in(student)
    expect(tab.page.locator(".chat-status")).to_be_empty()  # the socket is up
    tab.go("/repairs")  # off the chat page: the badge counts what arrives
    expect(tab.page.locator("#page-title")).to_have_text("My repairs")
    chat_link = tab.page.get_by_role("navigation").get_by_role("link", name="Chat")
    badge = chat_link.locator(".badge")
    unread_before = int(badge.text_content() or 0)
    for action in ("assign", "start", "complete"):
        api(
            system,
            "t0001",
            "POST",
            f"/repairs/{ticket['id']}/transitions",
            json={"action": action, "note": "New starter fitted" if action == "complete" else None},
        )
    # assigned, started, completed: one notice each
    expect(badge).to_have_text(str(unread_before + 3))
    chat_link.click()
    update = tab.page.locator(".chat-log .bubble.proactive").last
    expect(update).to_contain_text(f"#{ticket['id']}")
    expect(badge).to_be_hidden()
    deadline = time.monotonic() + 10  # seeing the chat reads the inbox
    while api(system, student, "GET", "/notifications", params={"unread": "true"})["unread"]:
        assert time.monotonic() < deadline, "the notices stayed unread"
        time.sleep(0.2)
    assert tab.page.evaluate("() => performance.getEntriesByType('navigation').length") == 1
