"""WeCom and Telegram against the real backend, Rasa and action server; the platforms' APIs
are local fakes (the backend's base URLs point at them), the demo links come from the seed."""

import json
import time
from typing import Any

import httpx

from backend.core.config import DEV_CHANNELS
from tests.e2e.conftest import Platforms
from tests.e2e.system import System
from tests.platform_fakes import (
    eventually,
    telegram_text,
    wecom_callback,
    wecom_card_click,
    wecom_text,
)

CORP_ID = str(DEV_CHANNELS["wecom_corp_id"])
AGENT_ID = int(DEV_CHANNELS["wecom_agent_id"])


def wecom_post(system: System, xml: str) -> None:
    params, body = wecom_callback(
        token=str(DEV_CHANNELS["wecom_token"]),
        aes_key=str(DEV_CHANNELS["wecom_aes_key"]),
        corp_id=CORP_ID,
        agent_id=AGENT_ID,
        xml=xml,
    )
    response = httpx.post(
        f"{system.base_url}/api/v1/channels/wecom/callback", params=params, content=body
    )
    assert response.status_code == 200, response.text
    assert response.text == ""


def wecom_say(system: System, user: str, content: str, msg_id: int) -> None:
    wecom_post(
        system,
        wecom_text(corp_id=CORP_ID, user=user, content=content, msg_id=msg_id, agent_id=AGENT_ID),
    )


def north_lunch_today(system: System, headers: dict[str, str]) -> dict[str, Any]:
    response = httpx.get(
        f"{system.base_url}/api/v1/menus",
        params={"canteen": "north", "meal": "lunch"},
        headers=headers,
    )
    [menu] = response.json()["data"]
    return menu


def test_wecom_url_verification_with_the_demo_settings(system: System) -> None:
    from wechatpy.enterprise.crypto import WeChatCrypto

    crypto = WeChatCrypto(
        str(DEV_CHANNELS["wecom_token"]), str(DEV_CHANNELS["wecom_aes_key"]), CORP_ID
    )
    envelope = crypto.encrypt_message("1234567890", "abc", "1733200000")
    echostr = envelope.split("<Encrypt><![CDATA[")[1].split("]]>")[0]
    signature = envelope.split("<MsgSignature><![CDATA[")[1].split("]]>")[0]
    response = httpx.get(
        f"{system.base_url}/api/v1/channels/wecom/callback",
        params={
            "msg_signature": signature,
            "timestamp": "1733200000",
            "nonce": "abc",
            "echostr": echostr,
        },
    )
    assert (response.status_code, response.text) == (200, "1234567890")


def test_a_linked_wecom_user_asks_for_lunch_and_gets_todays_dishes(
    system: System, platforms: Platforms
) -> None:
    headers = system.login("s20240001")
    menu = north_lunch_today(system, headers)
    wecom_say(system, "s20240001", "今天午饭吃什么", msg_id=700001)
    answer = eventually(
        lambda: next((t for t in platforms.wecom.texts("s20240001") if "北区食堂" in t), None)
    )
    for dish in menu["dishes"]:
        assert dish["name_zh"] in answer
    # The same conversation is in the student's transcript, marked as WeCom.
    history = httpx.get(f"{system.base_url}/api/v1/chat/history", headers=headers).json()["data"]
    wecom = [m for m in history if m["channel"] == "wecom"]
    assert wecom[0]["role"] == "student"
    assert wecom[0]["text"] == "今天午饭吃什么"
    assert any(m["role"] == "bot" and "北区食堂" in (m["text"] or "") for m in wecom)
    # The access token went out in a URL; the backend's log shows it redacted only.
    log = "".join(system.log)
    assert platforms.wecom.token
    assert platforms.wecom.token not in log
    assert str(DEV_CHANNELS["wecom_secret"]) not in log


def test_a_wecom_card_tap_continues_the_repair_form(system: System, platforms: Platforms) -> None:
    fake = platforms.wecom
    before = len(fake.cards("s20240001"))
    wecom_say(system, "s20240001", "宿舍的灯坏了，我要报修", msg_id=700002)
    cards = eventually(lambda: fake.cards("s20240001")[before:] or None)
    buttons = {b["text"]: b for card in cards for b in card["button_list"]}
    assert "是我宿舍" in buttons  # the category came from the words; now: where is it?
    key = buttons["是我宿舍"]["key"]
    assert json.loads(key) == {"p": "/affirm", "t": "是我宿舍"}

    texts_before = len(fake.texts("s20240001"))
    cards_before = len(fake.cards("s20240001"))
    wecom_post(
        system,
        wecom_card_click(
            corp_id=CORP_ID,
            user="s20240001",
            key=key,
            task_id=cards[0]["task_id"],
            agent_id=AGENT_ID,
            at=int(time.time()),
        ),
    )

    def next_question() -> str | None:
        said = fake.texts("s20240001")[texts_before:] + [
            card["main_title"]["title"] for card in fake.cards("s20240001")[cards_before:]
        ]
        return next((t for t in said if "描述" in t or "紧急" in t), None)

    assert eventually(next_question)  # the form moved on: the problem, or its urgency
    history = httpx.get(
        f"{system.base_url}/api/v1/chat/history", headers=system.login("s20240001")
    ).json()["data"]
    assert any(m["channel"] == "wecom" and m["text"] == "是我宿舍" for m in history)
    # Leave the form: the same student's conversation goes on in other tests.
    texts_before = len(fake.texts("s20240001"))
    wecom_say(system, "s20240001", "算了，取消报修", msg_id=700009)
    assert eventually(lambda: fake.texts("s20240001")[texts_before:] or None)
    answer = httpx.post(
        f"{system.base_url}/api/v1/chat",
        json={"message": "hello"},
        headers=system.login("s20240001"),
        timeout=10,
    ).json()
    assert "紧急" not in str(answer), answer  # the form is over: no urgency question
    assert "描述" not in str(answer), answer  # … nor the description


def test_an_unlinked_wecom_member_gets_only_the_hint(system: System, platforms: Platforms) -> None:
    wecom_say(system, "visitor007", "今天午饭吃什么", msg_id=700003)
    [hint] = eventually(lambda: platforms.wecom.texts("visitor007") or None)
    assert "请先绑定校园账号" in hint
    assert "Link your campus account first" in hint
    time.sleep(1)
    assert platforms.wecom.texts("visitor007") == [hint]
    assert platforms.wecom.cards("visitor007") == []


def test_a_linked_telegram_user_asks_for_lunch(system: System, platforms: Platforms) -> None:
    headers = system.login("s20240002")
    menu = north_lunch_today(system, headers)
    response = httpx.post(
        f"{system.base_url}/api/v1/channels/telegram/webhook",
        json=telegram_text(update_id=900001, user_id=20240002, text="what's for lunch today?"),
        headers={"X-Telegram-Bot-Api-Secret-Token": str(DEV_CHANNELS["telegram_secret_token"])},
    )
    assert response.status_code == 204
    answer = eventually(
        lambda: next(
            (
                m["text"]
                for m in platforms.telegram.messages(20240002)
                if "North Canteen" in m["text"]
            ),
            None,
        )
    )
    for dish in menu["dishes"]:
        assert dish["name_en"] in answer
    history = httpx.get(f"{system.base_url}/api/v1/chat/history", headers=headers).json()["data"]
    assert any(m["channel"] == "telegram" and m["role"] == "bot" for m in history)
    assert str(DEV_CHANNELS["telegram_bot_token"]) not in "".join(system.log)
