"""Signing in and out, the language, a draft that survives the end of a session, and
linking a messaging account."""

import re

import httpx
from playwright.sync_api import expect

from backend.core.config import DEV_CHANNELS
from tests.browser.support import Tab, api
from tests.e2e.conftest import Platforms
from tests.e2e.system import System
from tests.platform_fakes import eventually, telegram_text


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


def test_a_telegram_account_is_linked_with_a_code_from_settings_and_unlinked_again(
    tab: Tab, system: System, platforms: Platforms
) -> None:
    telegram_user = 77020010  # a Telegram account nobody has linked yet
    api(system, "s20240010", "PATCH", "/me", json={"locale": "en"})
    tab.sign_in("s20240010")
    expect(tab.page.locator("#page-title")).to_have_text("Assistant")
    tab.go("/settings")
    linked = tab.main().get_by_role("region", name="Linked accounts")
    telegram_row = linked.locator("li[data-platform=telegram]")
    expect(telegram_row).to_contain_text("Not linked")

    linked.get_by_role("button", name="Get a link code").click()
    code = linked.get_by_label("Link code").inner_text()
    assert re.fullmatch(r"\d{6}", code)
    expect(linked).to_contain_text(f"Send “link {code}”")

    # The student sends the code from Telegram; the open page shows the link by itself.
    response = httpx.post(
        f"{system.base_url}/api/v1/channels/telegram/webhook",
        json=telegram_text(update_id=910010, user_id=telegram_user, text=f"link {code}"),
        headers={"X-Telegram-Bot-Api-Secret-Token": str(DEV_CHANNELS["telegram_secret_token"])},
    )
    assert response.status_code == 204, response.text
    expect(telegram_row).to_contain_text(f"Account {telegram_user}, linked on")
    expect(linked).to_contain_text("Linked. Houqin now answers you there as yourself.")
    expect(linked.locator("li[data-platform=wecom]")).to_contain_text("Not linked")
    [answer] = eventually(lambda: platforms.telegram.messages(telegram_user) or None)
    assert "s20240010" in answer["text"]  # the account was told whom it speaks for

    tab.page.once("dialog", lambda dialog: dialog.accept())
    telegram_row.get_by_role("button", name="Unlink").click()
    expect(telegram_row).to_contain_text("Not linked")
    assert api(system, "s20240010", "GET", "/channels/links")["count"] == 0
