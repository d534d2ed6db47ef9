"""Screenshots of the staff console, each page as the role that works on it, English and
Chinese, into docs/screenshots/console-<page>-<lang>-<width>x<height>.png:
`.venv/bin/python scripts/console_screenshots.py`.

Starts the real system on free ports (as the browser tests do) and first gives the pages
something to show through the API: questions the bot could not answer, a request for a
person, a drafted article. Every page at 1280×800; the technician's also at 360×740, as they
work on the move. Chinese needs a CJK font.
"""

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.screenshots import demo_browser, shoot  # noqa: E402
from tests.browser.support import DESKTOP, PHONE, Tab, open_tab  # noqa: E402
from tests.e2e.system import System  # noqa: E402

UNANSWERED = [
    "where can I store my surfboard in the dorm?",
    "can I keep my surfboard in the dorm",
    "宿舍可以放冲浪板吗",
]
# A page: its name and how to reach it from the page shot before (a route, or a click there).
Shot = tuple[str, Callable[[Tab], None]]


def route(path: str) -> Callable[[Tab], None]:
    return lambda tab: tab.go(path)


def click(selector: str) -> Callable[[Tab], None]:
    return lambda tab: tab.page.locator(selector).first.click()


def call(system: System, username: str, method: str, path: str, **kwargs: Any) -> Any:
    response = httpx.request(
        method,
        f"{system.base_url}/api/v1{path}",
        headers=system.login(username),
        timeout=30,
        **kwargs,
    )
    response.raise_for_status()
    return response.json() if response.content else None


def prepare(system: System) -> dict[str, int]:
    """Something on every page: the ids of a drafted article and of a reward period."""
    for text in UNANSWERED:
        call(system, "s20240002", "POST", "/chat", json={"message": text})
    handoff = {"message": "My key card stopped working and the desk is closed.", "transcript": []}
    call(system, "s20240002", "POST", "/handoffs", json=handoff)
    group = call(system, "d0003", "GET", "/admin/unanswered")["data"][0]
    draft = {"id": group["id"], "week": group["week"]}
    return {
        "draft": call(system, "d0003", "POST", "/admin/unanswered/draft", json=draft)["id"],
        "period": call(system, "admin", "GET", "/admin/rewards/periods")["data"][0]["id"],
    }


def roles(ids: dict[str, int]) -> list[tuple[str, list[Shot], list[dict[str, int]]]]:
    """(demo account, its pages, the sizes to shoot them at)."""
    return [
        (
            "t0001",
            [
                ("home-technician", route("/")),
                ("tickets", route("/tickets")),
                ("ticket", click("#queue tbody tr.overdue a")),  # the first overdue ticket
            ],
            [DESKTOP, PHONE],
        ),
        (
            "c0001",
            [
                ("home-canteen", route("/")),
                ("menus", route("/menus")),
                ("menu-edit", click("#week tbody tr:nth-child(2) td button >> nth=1")),
                ("dishes", route("/dishes")),
                ("dish-new", click("main .toolbar button.primary")),
                ("hours", route("/hours")),
            ],
            [DESKTOP],
        ),
        (
            "d0003",
            [
                ("unanswered", route("/unanswered")),
                ("guidance", route("/guidance")),
                ("guidance-edit", route(f"/guidance/{ids['draft']}")),
                ("building", route("/building")),
                ("handoffs", route("/handoffs")),
            ],
            [DESKTOP],
        ),
        (
            "admin",
            [
                ("scores", route("/scores")),
                ("surveys", route("/surveys")),
                ("flagged", route("/flagged")),
                ("rewards", route("/rewards")),
                ("reward-period", route(f"/rewards/{ids['period']}")),
                ("deliveries", route("/deliveries")),
            ],
            [DESKTOP],
        ),
    ]


def main() -> int:
    with demo_browser() as (system, browser):
        ids = prepare(system)
        for lang in ("en", "zh"):
            for username, shots, sizes in roles(ids):
                call(system, username, "PATCH", "/me", json={"locale": lang})  # the console's
                for size in sizes:
                    tab = open_tab(browser, system, size)
                    tab.sign_in_to_console(username)
                    for name, reach in shots:
                        reach(tab)
                        shoot(tab.page, f"console-{name}", lang, size)
                    tab.page.context.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
