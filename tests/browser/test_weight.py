"""Where the bytes come from, and how many: nothing from any origin but the backend, and the
chat page's first load within 200 KB."""

from collections.abc import Callable
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Request, WebSocket, expect

from tests.browser.support import PHONE, Tab, open_tab
from tests.e2e.system import System

CHAT_FIRST_LOAD_LIMIT = 200 * 1024
PAGES = ["/chat", "/repairs", "/repairs/new", "/surveys", "/menus", "/dorm", "/settings"]


def transferred(requests: list[Request]) -> int:
    total = 0
    for request in requests:
        if request.url.startswith(("data:", "blob:")):
            continue
        sizes = request.sizes()
        total += sizes["requestHeadersSize"] + sizes["responseHeadersSize"]
        total += max(sizes["responseBodySize"], 0)
    return total


def settled(tab: Tab) -> None:
    tab.page.wait_for_load_state("networkidle")
    expect(tab.page.locator("main [aria-busy=true]")).to_have_count(0)


def test_every_request_goes_to_the_backend_and_the_chat_loads_light(
    browser: Browser, system: System, record_property: Callable[[str, object], None]
) -> None:
    tab = open_tab(browser, system, PHONE)
    page = tab.page
    sockets: list[WebSocket] = []
    page.on("websocket", lambda socket: sockets.append(socket))

    tab.sign_in("s20240002")
    expect(page.locator("#page-title")).to_have_text("Assistant")
    settled(tab)
    first_load = transferred(tab.requests)
    weights = {"/chat (first load, with sign-in)": first_load}
    for route in PAGES[1:]:
        seen = len(tab.requests)
        tab.go(route)
        settled(tab)
        weights[route] = transferred(tab.requests[seen:])
    page.context.close()

    for name, size in weights.items():
        record_property(f"bytes {name}", size)
        print(f"\n{name}: {size / 1024:.1f} KiB", end="")
    backend = urlsplit(system.base_url)
    origins = {
        urlsplit(r.url).netloc for r in tab.requests if urlsplit(r.url).scheme in ("http", "https")
    }
    assert origins == {backend.netloc}
    assert {urlsplit(r.url).scheme for r in tab.requests} <= {"http", "data", "blob"}
    assert all(urlsplit(s.url).netloc == backend.netloc for s in sockets)
    assert first_load <= CHAT_FIRST_LOAD_LIMIT
