"""Screenshots of the console's dorm-manager and logistics-office pages at 1280×800, English
and Chinese, into docs/screenshots/ (console-<page>-<lang>-1280x800.png):
`.venv/bin/python scripts/screenshots_office.py`.

Starts the real system (as scripts/screenshots.py does) and first gives the pages something
to show through the API: questions the bot could not answer, a request for a person, a draft.
"""

import sys
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from screenshots import OUT, demo_browser, settle  # noqa: E402

from tests.browser.support import DESKTOP, Tab, open_tab  # noqa: E402
from tests.e2e.system import System  # noqa: E402

MANAGER_PAGES = ["unanswered", "guidance", "guidance-edit", "building", "handoffs"]
OFFICE_PAGES = ["scores", "surveys", "flagged", "rewards", "reward-period", "deliveries"]
UNANSWERED = [
    "where can I store my surfboard in the dorm?",
    "can I keep my surfboard in the dorm",
    "宿舍可以放冲浪板吗",
]


def call(system: System, username: str, method: str, path: str, **kwargs: object) -> object:
    response = httpx.request(
        method,
        f"{system.base_url}/api/v1{path}",
        headers=system.login(username),
        timeout=30,
        **kwargs,  # type: ignore[arg-type]
    )
    response.raise_for_status()
    return response.json() if response.content else None


def prepare(system: System) -> int:
    """Something on every page; returns the id of a drafted article."""
    for text in UNANSWERED:
        call(system, "s20240002", "POST", "/chat", json={"message": text})
    call(
        system,
        "s20240002",
        "POST",
        "/handoffs",
        json={"message": "My key card stopped working and the desk is closed.", "transcript": []},
    )
    groups = call(system, "d0003", "GET", "/admin/unanswered")
    group = groups["data"][0]  # type: ignore[index]
    draft = call(
        system,
        "d0003",
        "POST",
        "/admin/unanswered/draft",
        json={"id": group["id"], "week": group["week"]},
    )
    return int(draft["id"])  # type: ignore[index]


def shoot(tab: Tab, route: str, name: str, lang: str) -> None:
    tab.go(route)
    settle(tab.page)
    path = OUT / f"console-{name}-{lang}-{DESKTOP['width']}x{DESKTOP['height']}.png"
    tab.page.screenshot(path=str(path))
    print(f"  {path.relative_to(ROOT)}", flush=True)


def pages(system: System, tab: Tab, username: str, lang: str, routes: dict[str, str]) -> None:
    call(system, username, "PATCH", "/me", json={"locale": lang})
    tab.sign_in_to_console(username)
    for name, route in routes.items():
        shoot(tab, route, name, lang)


def main() -> int:
    with demo_browser() as (system, browser):
        draft = prepare(system)
        period = call(system, "admin", "GET", "/admin/rewards/periods")["data"][0]["id"]  # type: ignore[index]
        manager = dict(
            zip(
                MANAGER_PAGES,
                ["/unanswered", "/guidance", f"/guidance/{draft}", "/building", "/handoffs"],
                strict=True,
            )
        )
        office = dict(
            zip(
                OFFICE_PAGES,
                [
                    "/scores",
                    "/surveys",
                    "/flagged",
                    "/rewards",
                    f"/rewards/{period}",
                    "/deliveries",
                ],
                strict=True,
            )
        )
        for lang in ("en", "zh"):
            for username, routes in (("d0003", manager), ("admin", office)):
                tab = open_tab(browser, system, DESKTOP)
                pages(system, tab, username, lang, routes)
                tab.page.context.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
