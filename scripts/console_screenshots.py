"""Screenshots of the staff console's pages at 1280×800, English and Chinese, into
docs/screenshots/console-<page>-<lang>-1280x800.png: `.venv/bin/python
scripts/console_screenshots.py`. Starts the real system on free ports (as the browser tests
do); each page is shot as the role that works on it. Chinese needs a CJK font."""

import sys
from pathlib import Path

from playwright.sync_api import Page, expect

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.screenshots import OUT, demo_browser, settle  # noqa: E402
from tests.browser.support import DESKTOP, Tab, open_tab  # noqa: E402
from tests.e2e.system import System  # noqa: E402

# (account, [(route, page name)]): the demo accounts of each role. The first overdue ticket
# of the queue is shot as the ticket page.
ROLES = [
    ("t0001", [("/", "home-technician"), ("/tickets", "tickets")]),
    (
        "c0001",
        [("/", "home-canteen"), ("/menus", "menus"), ("/dishes", "dishes"), ("/hours", "hours")],
    ),
]


def sign_in(page: Page, base_url: str, username: str, lang: str) -> None:
    Tab(page, base_url).sign_in_to_console(username)
    # The console speaks the profile's language: switch it for this run.
    page.evaluate(
        """async (lang) => {
          const { api } = await import('/static/shared/api.js');
          await api('/me', { method: 'PATCH', json: { locale: lang } });
        }""",
        lang,
    )
    page.reload()
    expect(page.get_by_role("navigation")).to_be_visible()


def shoot(page: Page, name: str, lang: str) -> None:
    settle(page)
    path = OUT / f"console-{name}-{lang}-{DESKTOP['width']}x{DESKTOP['height']}.png"
    page.screenshot(path=str(path))
    print(f"  {path.relative_to(ROOT)}", flush=True)


def go(page: Page, route: str) -> None:
    page.evaluate("route => { location.hash = route; }", route)


def pages(system: System, page: Page, lang: str) -> None:
    for username, routes in ROLES:
        sign_in(page, system.base_url, username, lang)
        for route, name in routes:
            go(page, route)
            shoot(page, name, lang)
            if name == "tickets":
                page.locator("#queue tbody tr.overdue a").first.click()
                shoot(page, "ticket", lang)
            if name == "menus":
                page.locator("#week tbody tr:nth-child(2) td button").nth(1).click()
                shoot(page, "menu-edit", lang)
            if name == "dishes":
                page.locator("main .toolbar button.primary").click()
                shoot(page, "dish-new", lang)
        page.locator("header.top button").click()  # sign out


def main() -> int:
    with demo_browser() as (system, browser):
        for lang in ("en", "zh"):
            tab = open_tab(browser, system, DESKTOP)
            pages(system, tab.page, lang)
            tab.page.context.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
