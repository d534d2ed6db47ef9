"""Screenshots of every campus-app page, phone (360×740) and desktop (1280×800), English and
Chinese, into docs/screenshots/: `.venv/bin/python scripts/screenshots.py`.

Starts the real system on free ports (as the browser tests do) and drives Debian's Chromium.
Chinese pages need a CJK font on the machine (Debian: fonts-wqy-microhei or fonts-noto-cjk).
"""

import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.support import DESKTOP, PHONE, Tab, ask, launch, open_tab  # noqa: E402
from tests.e2e.system import System, running_system  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
STUDENTS = {"en": ("s20240002", "what's for lunch today?"), "zh": ("s20240001", "今天午饭吃什么?")}


def settle(page: Page) -> None:
    page.wait_for_load_state("networkidle")
    expect(page.locator("main [aria-busy=true]")).to_have_count(0)
    page.wait_for_timeout(300)


def shoot(page: Page, name: str, lang: str, size: dict[str, int]) -> None:
    settle(page)
    path = OUT / f"{name}-{lang}-{size['width']}x{size['height']}.png"
    page.screenshot(path=str(path))
    print(f"  {path.relative_to(ROOT)}", flush=True)


def pages(system: System, tab: Tab, lang: str, size: dict[str, int]) -> None:
    username, question = STUDENTS[lang]
    page = tab.page
    page.goto(f"{system.base_url}/")
    page.locator("form.signin input[name=username]").fill("")
    if lang == "zh":
        page.get_by_role("button", name="中文").click()
    shoot(page, "signin", lang, size)
    tab.sign_in(username)
    expect(page.get_by_role("navigation")).to_be_visible()
    ask(tab, question)
    shoot(page, "chat", lang, size)
    for route, name in [
        ("/repairs", "repairs"),
        ("/repairs/new", "repair-new"),
        ("/surveys", "surveys"),
        ("/menus", "menus"),
        ("/dorm", "dorm"),
        ("/settings", "settings"),
    ]:
        tab.go(route)
        shoot(page, name, lang, size)
    tab.go("/repairs")
    settle(page)
    page.locator("main li.card a").first.click()
    shoot(page, "repair", lang, size)
    tab.go("/surveys")
    settle(page)
    page.locator("main li.card a.button").first.click()
    shoot(page, "survey", lang, size)


@contextmanager
def demo_browser() -> Iterator[tuple[System, Browser]]:
    """The real system on a throwaway database, seeded, and Debian's Chromium: what every
    screenshot script shoots with."""
    OUT.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory() as tmp,
        running_system(Path(tmp) / "houqin.db") as system,
        sync_playwright() as playwright,
    ):
        browser = launch(playwright)
        try:
            yield system, browser
        finally:
            browser.close()


def main() -> int:
    with demo_browser() as (system, browser):
        for size in (PHONE, DESKTOP):
            for lang in ("en", "zh"):
                tab = open_tab(browser, system, size)
                pages(system, tab, lang, size)
                tab.page.context.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
