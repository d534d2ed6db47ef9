"""Signing in and out, the language, and a draft that survives the end of a session."""

from playwright.sync_api import expect

from tests.browser.support import Tab, api
from tests.e2e.system import System


def test_sign_in_opens_the_chat_in_the_students_language(tab: Tab) -> None:
    tab.sign_in("s20240001")  # profile language: Chinese
    expect(tab.page.locator("#page-title")).to_have_text("智能助手")
    expect(tab.page.locator("html")).to_have_attribute("lang", "zh-CN")
    nav = tab.page.get_by_role("navigation")
    for label in ("聊天", "报修", "问卷", "菜单", "宿舍", "设置"):
        expect(nav.get_by_role("link", name=label)).to_be_visible()


def test_a_wrong_password_is_explained_and_nothing_opens(tab: Tab) -> None:
    tab.sign_in("s20240002", password="not-my-password")
    expect(tab.page.get_by_role("alert")).to_have_text("Wrong student number or password.")
    expect(tab.page.get_by_role("navigation")).to_have_count(0)


def test_staff_are_sent_to_the_console(tab: Tab) -> None:
    tab.sign_in("t0001")  # a technician
    expect(tab.main().locator("a[href='/console']")).to_be_visible()
    expect(tab.page.get_by_role("navigation")).to_have_count(0)


def test_switching_the_language_switches_the_whole_app_and_is_kept(
    tab: Tab, system: System
) -> None:
    api(system, "s20240003", "PATCH", "/me", json={"locale": "en"})
    tab.sign_in("s20240003")
    expect(tab.page.locator("#page-title")).to_have_text("Assistant")
    tab.go("/settings")
    tab.page.get_by_role("radio", name="中文").check()
    expect(tab.page.locator("#page-title")).to_have_text("设置")
    expect(tab.page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(tab.page.get_by_role("navigation").get_by_role("link", name="报修")).to_be_visible()
    expect(tab.main()).to_contain_text("饮食与过敏原")
    assert api(system, "s20240003", "GET", "/me")["locale"] == "zh"  # the bot follows too

    tab.page.reload()
    expect(tab.page.locator("#page-title")).to_have_text("设置")
    tab.page.get_by_role("radio", name="English").check()
    expect(tab.page.locator("#page-title")).to_have_text("Settings")
    expect(tab.page.locator("html")).to_have_attribute("lang", "en")


def test_sign_out_ends_the_session_for_good(tab: Tab) -> None:
    tab.sign_in("s20240002")
    expect(tab.page.locator("#page-title")).to_have_text("Assistant")
    tab.page.get_by_role("button", name="Sign out").click()
    expect(tab.page.get_by_role("heading", name="Campus services")).to_be_visible()
    assert not [c for c in tab.page.context.cookies() if c["name"] == "houqin_refresh"]
    tab.page.reload()
    expect(tab.page.get_by_role("button", name="Sign in")).to_be_visible()
    expect(tab.page.get_by_role("navigation")).to_have_count(0)


def test_a_reload_keeps_the_session_without_the_password(tab: Tab) -> None:
    tab.sign_in("s20240002")
    expect(tab.page.locator("#page-title")).to_have_text("Assistant")
    tab.page.reload()
    expect(tab.page.locator("#page-title")).to_have_text("Assistant")
    token_in_storage = tab.page.evaluate(
        "() => JSON.stringify({...localStorage, ...sessionStorage}).includes('eyJ')"
    )
    assert not token_in_storage


def test_what_was_typed_survives_an_ended_session(tab: Tab) -> None:
    tab.sign_in("s20240002")
    composer = tab.page.get_by_label("Message to the assistant")
    composer.fill("The window in the common room will not close")
    # The session ends (signed out elsewhere, or the refresh token expired) …
    tab.page.evaluate(
        "() => fetch('/api/v1/auth/session', {method: 'DELETE', headers: {'X-Houqin-CSRF': '1'}})"
    )
    tab.page.reload()
    # … so the next visit asks to sign in, and then the text is still there.
    expect(tab.page.get_by_role("button", name="Sign in")).to_be_visible()
    tab.page.locator("input[name=password]").fill("demo-pass")
    tab.page.get_by_role("button", name="Sign in").click()
    expect(tab.page.get_by_label("Message to the assistant")).to_have_value(
        "The window in the common room will not close"
    )
