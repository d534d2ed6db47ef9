"""The console's dorm-manager and logistics-office pages in real Chromium against the real
system: an unanswered question becomes a published article the bot then answers from; a
reward period is previewed, finalized and exported, and the CSV adds up to the pool."""

import csv
import io
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import httpx
from playwright.sync_api import expect

from tests.browser.support import Tab, api, headers_for
from tests.e2e.system import System

STRINGS = json.loads(
    (Path(__file__).parents[2] / "backend/web/static/console/strings.json").read_text()
)
QUESTION = "where can I store my surfboard in the dorm?"
ANSWER = "Surfboards go in the locked bike room behind Building 3"


def label(key: str, lang: str = "zh") -> str:
    """The console's own words (the demo staff accounts speak Chinese)."""
    return str(STRINGS[lang][key])


def chat(system: System, student: str, text: str) -> list[dict[str, object]]:
    """The real bot through POST /api/v1/chat, as the student."""
    response = httpx.post(
        f"{system.base_url}/api/v1/chat",
        json={"message": text},
        headers=headers_for(system, student),
        timeout=30,
    )
    assert response.status_code == 200, response.text
    messages: list[dict[str, object]] = response.json()["messages"]
    assert all(m["text"] or m["buttons"] for m in messages)  # never an empty message
    assert all(m["custom"] is None for m in messages)  # the marker is not the student's
    return messages


def test_a_manager_turns_an_unanswered_question_into_the_bots_answer(
    desk: Tab, system: System
) -> None:
    before = chat(system, "s20240002", QUESTION)  # lives in B3
    assert ANSWER not in " ".join(str(m["text"]) for m in before)

    desk.sign_in_to_console("d0003")  # B3's dorm manager
    desk.go("/unanswered")
    group = desk.main().locator("li.card", has_text=QUESTION)
    expect(group).to_be_visible()
    expect(group).to_contain_text("B3")
    expect(desk.main()).not_to_contain_text("s20240002")  # nobody is named
    group.get_by_role("button", name=label("console.unanswered.draft")).click()

    expect(desk.page).to_have_url(re.compile(r"#/guidance/\d+$"))
    form = desk.main().locator("form.card")
    expect(form.locator(".pill")).to_have_text(label("console.guidance.draft"))
    expect(form.locator("textarea[name=aliases]")).to_have_value(QUESTION)
    form.locator("input[name=title_en]").fill("Surfboard storage")
    form.locator("input[name=title_zh]").fill("冲浪板存放")
    body_en = f"{ANSWER}; ask the front desk for the key."
    form.locator("textarea[name=body_en]").fill(body_en)
    form.locator("textarea[name=body_zh]").fill(
        "冲浪板请存放在3号楼后面上锁的自行车房，钥匙向值班室借。"
    )
    form.get_by_role("button", name=label("console.guidance.publish")).click()
    expect(form.locator(".pill")).to_have_text(label("console.guidance.published"))

    # The preview now ranks the published article first, as the bot's search will.
    preview = desk.main().locator("input[name=q]")
    preview.fill(QUESTION + " ")
    first = desk.main().locator("table.grid tbody tr").first
    expect(first).to_contain_text(label("console.guidance.answers"))
    article_id = int(desk.page.url.rsplit("/", 1)[1])
    articles = api(system, "d0003", "GET", "/admin/guidance")["data"]
    expect(first).to_contain_text(next(a["slug"] for a in articles if a["id"] == article_id))

    after = chat(system, "s20240002", QUESTION)
    assert ANSWER in " ".join(str(m["text"]) for m in after)


def test_the_console_opens_on_the_campus_week_and_month(desk: Tab) -> None:
    """At 04:00 on Monday 1 February in Shanghai it is still Sunday 31 January in the
    browser's UTC: every default period is the campus's (the unanswered questions once
    opened on last week, showing none of this morning's)."""
    desk.page.clock.set_fixed_time(datetime(2027, 1, 31, 20, 0, tzinfo=UTC))
    desk.sign_in_to_console("admin")
    for route, name, value in (
        ("/unanswered", "week", "2027-W05"),
        ("/rewards", "period", "2027-02"),
        ("/surveys", "period", "2027-02"),
        ("/scores", "period", "2027-01"),  # the month just ended
    ):
        desk.go(route)
        expect(desk.main().locator(f"input[name={name}]")).to_have_value(value)


def test_the_office_previews_finalizes_and_exports_a_reward_period(
    desk: Tab, system: System
) -> None:
    desk.sign_in_to_console("admin")
    desk.go("/rewards")
    main = desk.main()
    main.locator("summary", has_text=label("console.office.newPeriod")).click()
    form = main.locator("details form")
    form.locator("input[name=period]").fill("2026-10")
    form.locator("input[name=name_en]").fill("October service rewards")
    form.locator("input[name=name_zh]").fill("10月服务奖励")
    form.locator("input[name=pool]").fill("12345.67")
    form.locator("input[name=baseline]").fill("1")
    form.locator("input[name=min_responses]").fill("1")
    form.get_by_role("button", name=label("console.office.create")).click()

    expect(desk.page).to_have_url(re.compile(r"#/rewards/\d+$"))
    period_id = int(desk.page.url.rsplit("/", 1)[1])
    expect(main.locator(".pill.warn")).to_have_text(label("console.office.previewOnly"))
    table = main.locator("table.grid")
    for factor in ("adjusted_score", "baseline", "weight", "sla_multiplier", "points"):
        expect(table.locator("thead")).to_contain_text(label(f"console.office.factor.{factor}"))
    preview = api(system, "admin", "GET", f"/admin/rewards/periods/{period_id}/preview")
    expect(table.locator("tbody tr")).to_have_count(len(preview["statements"]))
    expect(table.locator("tfoot")).to_contain_text("¥12345.67")

    main.get_by_role("button", name=label("console.office.finalize")).click()
    expect(main.locator(".pill", has_text="第 1 版")).to_be_visible()
    with desk.page.expect_download() as download:
        main.get_by_role("button", name=label("console.office.exportCsv")).click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text("utf-8"))))
    assert len(rows) == len(preview["statements"])
    period = api(system, "admin", "GET", f"/admin/rewards/periods/{period_id}")
    assert period["pool_fen"] == 1234567
    assert sum(int(row["amount_fen"]) for row in rows) == period["pool_fen"]
    assert {row["version"] for row in rows} == {"1"}
