"""The staff console in real Chromium against the real system: a technician works a ticket
from the queue to completed and the reporter hears each step; canteen staff publish
tomorrow's lunch and the assistant's answer for tomorrow's lunch changes."""

import time
import uuid
from datetime import date, timedelta

from playwright.sync_api import expect

from tests.browser.support import Tab, api, headers_for
from tests.e2e.system import System

REPORTER = "s20240002"
PENDING = ["submitted", "assigned", "in_progress", "on_hold", "reopened"]


def inbox_for(system: System, ticket_id: int, count: int) -> list[dict]:
    """The reporter's notices about the ticket, oldest first, once ``count`` are voiced."""
    deadline = time.monotonic() + 90  # each is voiced by the bot, seconds later
    while True:
        notices = api(system, REPORTER, "GET", "/notifications", params={"page_size": 100})
        mine = [n for n in reversed(notices["data"]) if n["ticket_id"] == ticket_id]
        if len(mine) >= count and all(n["messages"] for n in mine):
            return mine
        assert time.monotonic() < deadline, f"the reporter got {len(mine)} notices: {mine}"
        time.sleep(0.3)


def test_a_technician_takes_holds_resumes_and_completes_a_ticket(desk: Tab, system: System) -> None:
    # Every notice pushed at any hour, however many the other tests sent today.
    system.push_at_any_hour(headers_for(system, REPORTER), daily_cap=100)
    ticket = api(
        system,
        REPORTER,
        "POST",
        "/repairs",
        json={
            "category": "electrical",
            "description": "The socket by the window has no power",
            "priority": "high",
            "report_even_if_duplicate": True,
        },
    )
    tid = ticket["id"]
    desk.sign_in_to_console("t0001")
    page = desk.page
    nav = page.get_by_role("navigation")
    # t0001 works in Chinese (the profile's language).
    expect(nav.get_by_role("link", name="工单")).to_be_visible()
    expect(nav.get_by_role("link", name="菜单")).to_have_count(0)  # not a canteen's
    nav.get_by_role("link", name="工单").click()
    row = page.locator(f"#queue tr[data-ticket='{tid}']")
    expect(row).to_contain_text("已提交")
    expect(row.locator(".sla")).to_contain_text("剩余")
    # Soonest due first, as the API sorts it.
    shown = [
        int(x)
        for x in page.locator("#queue tbody tr").evaluate_all("rs => rs.map(r => r.dataset.ticket)")
    ]
    queue = api(
        system, "t0001", "GET", "/repairs", params={"status": PENDING, "order": "due", "size": 100}
    )
    assert shown == [t["id"] for t in queue["data"]]
    row.get_by_role("link", name=f"#{tid}").click()
    expect(page.locator("#page-title")).to_have_text(f"报修单 #{tid}")
    status = page.locator("#ticket-status")
    moves = page.locator("section.moves")

    expect(moves.locator("form")).to_have_count(1)  # submitted: only assign
    moves.locator("form[data-action=assign]").get_by_role("button", name="派单").click()
    expect(status).to_have_text("已派单")
    expect(page.locator("#ticket-assignee")).to_contain_text("Wang Wei")
    moves.get_by_role("button", name="开始维修").click()
    expect(status).to_have_text("维修中")
    hold = moves.locator("form[data-action=hold]")
    hold.get_by_role("button", name="暂停", exact=True).click()  # no reason: the form refuses
    expect(status).to_have_text("维修中")
    hold.get_by_label("暂停原因").fill("Waiting for a replacement socket")
    hold.get_by_role("button", name="暂停", exact=True).click()
    expect(status).to_have_text("暂停中")
    expect(page.locator(".facts .sla")).to_contain_text("计时暂停")
    expect(page.locator("#timeline")).to_contain_text("Waiting for a replacement socket")
    moves.get_by_role("button", name="恢复维修").click()
    expect(status).to_have_text("维修中")

    # A move the API refuses (the ticket changed meanwhile) shows the API's reason.
    api(
        system,
        "admin",
        "POST",
        f"/repairs/{tid}/transitions",
        json={"action": "hold", "reason": "Room locked"},
    )
    moves.get_by_role("button", name="完工", exact=True).click()
    expect(moves.get_by_role("alert")).to_contain_text("只有维修中的报修单可以完工")
    expect(status).to_have_text("维修中")  # the page as it was
    api(system, "admin", "POST", f"/repairs/{tid}/transitions", json={"action": "resume"})
    page.reload()
    expect(status).to_have_text("维修中")

    done = page.locator("section.moves form[data-action=complete]")
    done.get_by_label("备注（选填）").fill("New socket fitted")
    done.get_by_role("button", name="完工", exact=True).click()
    expect(status).to_have_text("已完工")
    expect(page.locator("section.moves")).to_contain_text("此工单目前无需您处理")

    # The reporter heard every step the technician (and the office) made, in order.
    notices = inbox_for(system, tid, 7)
    assert [n["kind"] for n in notices] == [
        "repair_assigned",
        "repair_started",
        "repair_on_hold",
        "repair_started",
        "repair_on_hold",
        "repair_started",
        "repair_completed",
    ]
    held_words = " ".join(m["text"] or "" for m in notices[2]["messages"])
    assert "Waiting for a replacement socket" in held_words
    history = api(system, REPORTER, "GET", "/chat/history", params={"limit": 50})
    said = " ".join(m.get("text") or "" for m in history["data"])
    assert f"#{tid}" in said
    final = api(system, REPORTER, "GET", f"/repairs/{tid}")
    assert final["status"] == "completed"
    assert final["allowed_actions"] == ["confirm", "reopen"]


def lunch_answer(system: System) -> str:
    reply = api(
        system, "s20240001", "POST", "/chat", json={"message": "what's for lunch tomorrow?"}
    )
    return " ".join(m.get("text") or "" for m in reply["messages"])


def test_canteen_staff_publish_tomorrows_lunch_and_the_assistant_answers_with_it(
    desk: Tab, system: System
) -> None:
    tag = uuid.uuid4().hex[:6]
    name_en, name_zh = f"Console Sesame Noodles {tag}", f"控制台麻酱面{tag}"
    dish = api(
        system,
        "c0001",
        "POST",
        "/dishes",
        json={
            "name_en": name_en,
            "name_zh": name_zh,
            "price_fen": 1200,
            "kcal": 520,
            "protein_g": 16,
            "fat_g": 18,
            "carbs_g": 72,
            "sodium_mg": 900,
            "allergens": ["sesame", "wheat_gluten"],
            "tags": ["vegan"],
        },
    )
    assert dish["owner_canteen"] == "north"
    before = lunch_answer(system)
    assert name_en not in before
    tomorrow = (
        date.fromisoformat(api(system, "c0001", "GET", "/menus")["data"][0]["date"])
        + timedelta(days=1)
    ).isoformat()

    desk.sign_in_to_console("c0001")
    page = desk.page
    expect(page.locator("main")).to_contain_text("北区食堂")  # c0001 works in Chinese
    page.get_by_role("navigation").get_by_role("link", name="菜单").click()
    cell = page.locator(f"#week td[data-date='{tomorrow}'][data-meal=lunch]")
    expect(page.locator("#week")).to_be_visible()
    if not cell.count():  # tomorrow is next week
        page.get_by_role("button", name="下一周 →").click()
    expect(cell).to_be_visible()
    cell.get_by_role("button").click()
    editor = page.locator("form.editor")
    editor.get_by_label("查找菜品").fill(tag)
    editor.get_by_role("button", name=f"添加 {name_zh}").click()
    expect(editor.locator("#picked")).to_contain_text(name_zh)
    editor.get_by_role("button", name="发布").click()
    expect(page.locator(".toast")).to_contain_text("已发布")
    expect(page.locator("form.editor")).to_have_count(0)  # the grid was drawn again
    cell.get_by_role("button").click()  # the cell names a few dishes; its editor lists all
    expect(page.locator("form.editor #picked")).to_contain_text(name_zh)

    [menu] = api(
        system,
        "s20240001",
        "GET",
        "/menus",
        params={"date": tomorrow, "canteen": "north", "meal": "lunch"},
    )["data"]
    assert name_en in [d["name_en"] for d in menu["dishes"]]
    after = lunch_answer(system)
    assert name_en in after
    assert after != before


def test_canteen_staff_cannot_change_another_canteens_menu(desk: Tab, system: System) -> None:
    """The page offers only the own canteen; the API refuses another's, whatever is sent."""
    desk.sign_in_to_console("c0002")
    desk.page.get_by_role("navigation").get_by_role("link", name="菜单").click()
    expect(desk.page.locator("#menus-canteen")).to_have_text("南区食堂")
    refused = desk.page.evaluate(
        """async () => {
          const { api } = await import('/static/shared/api.js');
          const put = { method: 'PUT', json: { dish_ids: [1] } };
          try { await api('/menus/north/2030-01-07/lunch', put); return 'accepted'; }
          catch (error) { return error.code; }
        }"""
    )
    assert refused == "NotYourCanteen"
