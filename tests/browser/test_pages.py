"""Repairs, photos and surveys, as the student sees them."""

import re

from playwright.sync_api import expect

from tests.browser.support import Tab, api, png
from tests.e2e.system import System


def new_ticket(system: System, username: str, description: str) -> dict:
    return api(
        system,
        username,
        "POST",
        "/repairs",
        json={
            "category": "furniture",
            "description": description,
            "report_even_if_duplicate": True,
        },
    )


def test_a_photo_taken_on_the_phone_is_uploaded_and_shown(
    tab: Tab, system: System, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    ticket = new_ticket(system, "s20240002", "The wardrobe door came off its hinge")
    photo = tmp_path / "hinge.png"
    photo.write_bytes(png(24, 16))
    tab.sign_in("s20240002")
    expect(tab.page.locator("#page-title")).to_have_text("Assistant")
    tab.go(f"/repairs/{ticket['id']}")
    expect(tab.main()).to_contain_text("JPEG, PNG, WebP or HEIC, up to 5 MB each")
    expect(tab.main()).to_contain_text("No photos yet.")
    tab.page.get_by_text("Choose photos").locator("input").set_input_files(str(photo))

    thumbnail = tab.page.get_by_role("img", name="Photo 1 of the repair")
    expect(thumbnail).to_have_attribute("src", re.compile(r"^blob:"))
    tab.page.wait_for_function("() => document.querySelector('.thumbs img')?.naturalWidth === 24")
    expect(tab.main()).to_contain_text("1/6")
    [stored] = api(system, "s20240002", "GET", f"/repairs/{ticket['id']}")["photos"]
    assert stored["content_type"] == "image/png"


def test_a_file_that_is_not_a_photo_is_refused_with_the_reason(
    tab: Tab, system: System, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    ticket = new_ticket(system, "s20240002", "The desk drawer is stuck shut")
    fake = tmp_path / "notes.png"
    fake.write_text("this is text, not a picture")
    tab.sign_in("s20240002")
    expect(tab.page.locator("#page-title")).to_have_text("Assistant")
    tab.go(f"/repairs/{ticket['id']}")
    tab.page.get_by_text("Choose photos").locator("input").set_input_files(str(fake))
    expect(tab.page.locator(".field-error")).not_to_be_empty()
    assert api(system, "s20240002", "GET", f"/repairs/{ticket['id']}")["photos"] == []


def test_answering_a_survey_once_thanks_the_student(tab: Tab, system: System) -> None:
    [invitation, *_] = api(system, "s20240002", "GET", "/surveys/pending")["data"]
    tab.sign_in("s20240002")
    expect(tab.page.locator("#page-title")).to_have_text("Assistant")
    tab.go("/surveys")
    card = tab.page.locator("li.card", has_text=invitation["subject_en"])
    card.get_by_role("link", name="Answer").click()
    expect(tab.page.locator("#page-title")).to_have_text(invitation["subject_en"])

    form = tab.page.locator("form")
    form.locator("fieldset[data-key=overall]").get_by_role("radio", name="4", exact=True).check()
    form.locator("fieldset[data-key=reliability]").get_by_role("radio", name="5").check()
    form.locator("fieldset[data-key=recommend]").get_by_role("radio", name="9").check()
    form.locator("textarea").fill("Quiet and clean, thank you")
    form.get_by_role("button", name="Send my answers").click()
    expect(tab.page.get_by_role("heading", name="Thank you!")).to_be_visible()

    pending = {i["id"] for i in api(system, "s20240002", "GET", "/surveys/pending")["data"]}
    assert invitation["id"] not in pending
    tab.go("/surveys")
    expect(tab.main()).not_to_contain_text(invitation["subject_en"])


def test_a_survey_needs_the_overall_rating(tab: Tab, system: System) -> None:
    [invitation, *_] = api(system, "s20240001", "GET", "/surveys/pending")["data"]
    tab.sign_in("s20240001")
    expect(tab.page.locator("#page-title")).to_have_text("智能助手")
    tab.go(f"/surveys/{invitation['id']}")
    tab.page.get_by_role("button", name="提交问卷").click()
    assert tab.page.evaluate("() => document.querySelector('form').checkValidity()") is False
    expect(tab.page.get_by_role("heading", name="谢谢您！")).to_have_count(0)
