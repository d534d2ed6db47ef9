"""The whole chain: client → backend → Rasa → action server → backend API → database."""

import httpx
import pytest

from tests.e2e.system import System


def chat(system: System, headers: dict[str, str], message: str) -> dict:
    response = httpx.post(
        f"{system.base_url}/api/v1/chat", json={"message": message}, headers=headers, timeout=10
    )
    assert response.status_code == 200, response.text
    return response.json()


def north_lunch_today(system: System, headers: dict[str, str]) -> dict:
    response = httpx.get(
        f"{system.base_url}/api/v1/menus",
        params={"canteen": "north", "meal": "lunch"},
        headers=headers,
    )
    [menu] = response.json()["data"]
    return menu


def swap_dish(system: System, menu: dict, old_dish_id: int) -> tuple[str, str]:
    """Replace one dish of the menu through the staff API, as the logistics office (a write
    to the database behind the API's back would stay hidden by the menu cache); return the
    new dish's (name_en, name_zh)."""
    admin = system.login("admin")
    response = httpx.get(
        f"{system.base_url}/api/v1/dishes", params={"limit": 100}, headers=admin, timeout=10
    )
    assert response.status_code == 200, response.text
    on_menu = {dish["id"] for dish in menu["dishes"]}
    new = next(
        dish
        for dish in response.json()["data"]
        if dish["id"] not in on_menu and dish["owner_canteen"] in (None, menu["canteen"]["slug"])
    )
    dish_ids = [new["id"] if dish["id"] == old_dish_id else dish["id"] for dish in menu["dishes"]]
    response = httpx.put(
        f"{system.base_url}/api/v1/menus/{menu['canteen']['slug']}/{menu['date']}/{menu['meal']}",
        json={"dish_ids": dish_ids},
        headers=admin,
        timeout=10,
    )
    assert response.status_code == 200, response.text
    assert [dish["id"] for dish in response.json()["dishes"]] == dish_ids
    return new["name_en"], new["name_zh"]


def north_reply(reply: dict, canteen_name: str) -> str:
    [text] = [m["text"] for m in reply["messages"] if canteen_name in (m["text"] or "")]
    return text


@pytest.mark.parametrize(
    ("username", "question", "canteen_name", "name_key"),
    [
        ("s20240002", "what's for lunch today?", "North Canteen", "name_en"),
        ("s20240001", "今天午饭吃什么?", "北区食堂", "name_zh"),
    ],
)
def test_lunch_answer_comes_from_the_database(
    system: System, username: str, question: str, canteen_name: str, name_key: str
) -> None:
    headers = system.login(username)
    menu = north_lunch_today(system, headers)
    before = north_reply(chat(system, headers, question), canteen_name)
    for dish in menu["dishes"]:
        assert dish[name_key] in before

    removed = menu["dishes"][0]
    added_en, added_zh = swap_dish(system, menu, removed["id"])
    added = added_en if name_key == "name_en" else added_zh

    after = north_reply(chat(system, headers, question), canteen_name)
    assert added in after
    assert removed[name_key] not in after


def test_reply_language_follows_the_message(system: System) -> None:
    headers = system.login("s20240001")  # profile locale: zh
    english = chat(system, headers, "hello")
    assert english["language"] == "en"
    assert english["messages"][0]["text"].startswith("Hi")
    mixed = chat(system, headers, "明天lunch有什么")
    assert mixed["language"] == "zh"
    assert all("午餐" in m["text"] for m in mixed["messages"])


def test_menu_without_a_meal_offers_buttons_that_work(system: System) -> None:
    headers = system.login("s20240002")
    [question] = chat(system, headers, "what's on the menu tomorrow at south canteen")["messages"]
    assert [b["title"] for b in question["buttons"]] == ["Breakfast", "Lunch", "Dinner"]
    [answer] = chat(system, headers, question["buttons"][0]["payload"])["messages"]
    assert answer["text"].startswith("Breakfast tomorrow")
    assert "South Canteen" in answer["text"]


def test_out_of_scope_is_declined_politely(system: System) -> None:
    headers = system.login("s20240002")
    [reply] = chat(system, headers, "what's the weather like tomorrow")["messages"]
    assert "meals, dorm life and repairs" in reply["text"]


def test_health_reports_every_part(system: System) -> None:
    response = httpx.get(f"{system.base_url}/healthz")
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "bot": "ok"},
    }
