"""What the browser tests share: launching Debian's Chromium, a recorded tab, the API."""

import itertools
import struct
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, Playwright, Request, expect

from tests.e2e.system import DEMO_PASSWORD, System

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
# The assistant's answers (not the greeting, the typing dots, or a notice that arrives meanwhile).
ANSWERS = ".chat-log .bubble.bot:not(.welcome):not(.typing):not(.proactive)"


def launch(playwright: Playwright) -> Browser:
    if not CHROMIUM.exists():
        pytest.fail(
            "Chromium is missing: run scripts/ensure-chromium.sh (apt-get install chromium)"
        )
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


@dataclass
class Tab:
    """A page on a fresh browser profile, and every request it made."""

    page: Page
    base_url: str
    requests: list[Request] = field(default_factory=list)

    def sign_in(self, username: str, password: str = DEMO_PASSWORD) -> None:
        self.page.goto(f"{self.base_url}/")
        form = self.page.locator("form.signin")
        form.locator("input[name=username]").fill(username)
        form.locator("input[name=password]").fill(password)
        form.locator("button[type=submit]").click()

    def sign_in_to_console(self, username: str) -> None:
        self.page.goto(f"{self.base_url}/console")
        form = self.page.locator("form.signin")
        form.locator("input[name=username]").fill(username)
        form.locator("input[name=password]").fill(DEMO_PASSWORD)
        form.locator("button[type=submit]").click()
        expect(self.page.get_by_role("navigation")).to_be_visible()

    def go(self, route: str) -> None:
        """Navigate inside the app, as a tap on a link does (no reload)."""
        self.page.evaluate("route => { location.hash = route; }", route)

    def main(self) -> Any:
        return self.page.locator("main")


_ADDRESSES = itertools.count(1)


def open_tab(browser: Browser, system: System, viewport: dict[str, int]) -> "Tab":
    """A fresh profile whose page records every request, from a client address of its own:
    each tab is another device behind the campus proxy (the test system trusts loopback as
    one), so the per-address sign-in limit counts tabs, not the whole suite. Close it with
    ``tab.page.context.close()``. The browser's clock is in UTC, eight hours behind the
    campus's, as a phone abroad or a badly set one is."""
    n = next(_ADDRESSES)
    context = browser.new_context(
        viewport=viewport,
        locale="en-US",
        timezone_id="UTC",
        extra_http_headers={"X-Forwarded-For": f"10.99.{n // 250}.{n % 250 + 1}"},
    )
    tab = Tab(context.new_page(), system.base_url)
    tab.page.on("request", lambda request: tab.requests.append(request))
    return tab


# Signed-in headers per backend and user, renewed well before the 15-minute token expires:
# sign-ins are limited to 30 a minute per address, and every tab signs in too.
_SIGNED_IN: dict[tuple[str, str], tuple[float, dict[str, str]]] = {}
TOKEN_REUSE_SECONDS = 600


def headers_for(system: System, username: str) -> dict[str, str]:
    key = (system.base_url, username)
    signed_in = _SIGNED_IN.get(key)
    if signed_in is None or time.monotonic() - signed_in[0] > TOKEN_REUSE_SECONDS:
        signed_in = _SIGNED_IN[key] = (time.monotonic(), system.login(username))
    return signed_in[1]


def api(system: System, username: str, method: str, path: str, **kwargs: Any) -> Any:
    """The JSON API as a user, outside the browser: what the page should show."""
    response = httpx.request(
        method,
        f"{system.base_url}/api/v1{path}",
        headers=headers_for(system, username),
        timeout=15,
        **kwargs,
    )
    assert response.is_success, response.text
    return response.json() if response.content else None


def png(width: int = 24, height: int = 16) -> bytes:
    """A real PNG image (one colour), made here: nothing is downloaded."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\x00" + b"\x2a\x7f\x5d" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def bot_bubbles(tab: Tab) -> Any:
    return tab.page.locator(ANSWERS)


def ask(tab: Tab, text: str) -> str:
    """Type a message, send it, wait until the assistant has answered; the answer's text."""
    tab.page.locator(".chat-log[data-loaded=true]").wait_for()  # the transcript is in
    before = bot_bubbles(tab).count()
    composer = tab.page.locator("#chat-input")  # labelled in the UI language
    composer.fill(text)
    composer.press("Enter")
    return wait_for_answer(tab, before)


def tap(tab: Tab, title: str) -> str:
    """Tap one of the latest answer's chips."""
    before = bot_bubbles(tab).count()
    tab.page.locator(".chat-log .chips").last.get_by_role("button", name=title, exact=True).click()
    return wait_for_answer(tab, before)


def wait_for_answer(tab: Tab, before: int) -> str:
    page = tab.page
    page.wait_for_function(
        "([selector, n]) => document.querySelectorAll(selector).length > n"
        " && !document.querySelector('.chat-log .typing')",
        arg=[ANSWERS, before],
        timeout=20_000,
    )
    page.wait_for_timeout(300)  # the socket delivers a reply's messages one frame each
    return "\n".join(bot_bubbles(tab).all_inner_texts()[before:])


def chips(tab: Tab) -> list[str]:
    last = tab.page.locator(".chat-log .bubble.bot .chips")
    if not last.count():
        return []
    return [title.strip() for title in last.last.get_by_role("button").all_inner_texts()]
