"""Real headless Chromium (Debian's, through Playwright) against the real system: backend,
Rasa and the action server on free ports with the seeded demo campus (tests/e2e/system.py).
Every tab records every request it makes, so a test can assert where the bytes came from."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect, sync_playwright

from tests.browser.support import DESKTOP, PHONE, Tab, launch, open_tab
from tests.e2e.conftest import platforms, system  # noqa: F401 - the same running system
from tests.e2e.system import System

expect.set_options(timeout=20_000)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@pytest.fixture
def tab(browser: Browser, system: System) -> Iterator[Tab]:  # noqa: F811 - imported fixture
    """A phone."""
    opened = open_tab(browser, system, PHONE)
    yield opened
    opened.page.context.close()


@pytest.fixture
def desk(browser: Browser, system: System) -> Iterator[Tab]:  # noqa: F811 - imported fixture
    """A staff member's desktop."""
    opened = open_tab(browser, system, DESKTOP)
    yield opened
    opened.page.context.close()
