"""WeCom: the signed, encrypted callback in; the message API (a local fake) out."""

import asyncio
import json
import logging
import time

import httpx
import pytest
import respx
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession
from wechatpy.enterprise.crypto import WeChatCrypto

from backend.channels.models import AccountLink, Platform
from backend.channels.runtime import Channels
from backend.channels.service import LINK_FIRST
from backend.channels.wecom import render
from backend.chat.schemas import BotMessage
from backend.identity.models import Locale
from tests.backend.channels.conftest import (
    AES_KEY,
    AGENT_ID,
    CORP_ID,
    WEBHOOK,
    WECOM_TOKEN,
    link,
    rasa_reply,
)
from tests.backend.conftest import UserFactory
from tests.backend.helpers import login
from tests.platform_fakes import FakeWeCom, wecom_callback, wecom_card_click, wecom_text

CALLBACK = "/api/v1/channels/wecom/callback"


async def post(client: httpx.AsyncClient, xml: str) -> httpx.Response:
    params, body = wecom_callback(
        token=WECOM_TOKEN, aes_key=AES_KEY, corp_id=CORP_ID, agent_id=AGENT_ID, xml=xml
    )
    return await client.post(CALLBACK, params=params, content=body)


async def say(client: httpx.AsyncClient, user: str, content: str, msg_id: int) -> httpx.Response:
    xml = wecom_text(corp_id=CORP_ID, user=user, content=content, msg_id=msg_id, agent_id=AGENT_ID)
    return await post(client, xml)


async def test_url_verification_answers_the_decrypted_echostr(client: httpx.AsyncClient) -> None:
    crypto = WeChatCrypto(WECOM_TOKEN, AES_KEY, CORP_ID)
    envelope = crypto.encrypt_message("echo-4711", "nonce1", "1733200000")
    encrypted = envelope.split("<Encrypt><![CDATA[")[1].split("]]>")[0]
    signature = envelope.split("<MsgSignature><![CDATA[")[1].split("]]>")[0]
    query = {"msg_signature": signature, "timestamp": "1733200000", "nonce": "nonce1"}

    response = await client.get(CALLBACK, params={**query, "echostr": encrypted})
    assert response.status_code == 200
    assert response.text == "echo-4711"

    forged = await client.get(
        CALLBACK, params={**query, "msg_signature": "0" * 40, "echostr": encrypted}
    )
    assert forged.status_code == 401
    assert "echo-4711" not in forged.text


async def test_a_bad_signature_is_refused_and_nothing_is_sent(
    client: httpx.AsyncClient, wecom: FakeWeCom, channels: Channels, rasa: respx.MockRouter
) -> None:
    xml = wecom_text(corp_id=CORP_ID, user="s1", content="hi", msg_id=1, agent_id=AGENT_ID)
    params, body = wecom_callback(
        token="SomeoneElsesToken123", aes_key=AES_KEY, corp_id=CORP_ID, agent_id=AGENT_ID, xml=xml
    )
    response = await client.post(CALLBACK, params=params, content=body)
    assert response.status_code == 401
    tampered = await client.post(CALLBACK, params=params | {"nonce": "other"}, content=body)
    assert tampered.status_code == 401
    await channels.drain()
    assert wecom.sent == []


async def test_an_unlinked_member_gets_only_the_linking_hint(
    client: httpx.AsyncClient, wecom: FakeWeCom, channels: Channels, rasa: respx.MockRouter
) -> None:
    bot = rasa.post(WEBHOOK).respond(json=rasa_reply({"text": "secret menu"}))
    response = await say(client, "stranger01", "今天午饭吃什么", msg_id=7001)
    assert response.status_code == 200
    assert response.text == ""
    await channels.drain()
    assert not bot.called
    assert [body for _, body in wecom.sent] == [
        {
            "msgtype": "text",
            "text": {"content": LINK_FIRST},
            "touser": "stranger01",
            "agentid": AGENT_ID,
        }
    ]


async def test_linking_with_a_code_then_talking_as_the_student(
    client: httpx.AsyncClient,
    wecom: FakeWeCom,
    channels: Channels,
    rasa: respx.MockRouter,
    make_user: UserFactory,
    session: AsyncSession,
) -> None:
    student = await make_user(locale=Locale.zh)
    headers = await login(client, student)
    code = (await client.post("/api/v1/channels/link-codes", headers=headers)).json()["code"]

    await say(client, "zhang.san", f"绑定 {code}", msg_id=8001)
    await channels.drain()
    assert f"以 {student.username} 的身份" in wecom.texts("zhang.san")[-1]
    links = (await client.get("/api/v1/channels/links", headers=headers)).json()
    assert [(item["platform"], item["external_id"]) for item in links["data"]] == [
        ("wecom", "zhang.san")
    ]

    bot = rasa.post(WEBHOOK).respond(json=rasa_reply({"text": "北区食堂午餐：宫保鸡丁"}))
    await say(client, "zhang.san", "今天午饭吃什么", msg_id=8002)
    await channels.drain()
    sent = json.loads(bot.calls.last.request.content)
    assert sent["sender"] == str(student.id)
    assert sent["message"] == "今天午饭吃什么"
    assert sent["metadata"]["language"] == "zh"
    assert wecom.texts("zhang.san")[-1] == "北区食堂午餐：宫保鸡丁"

    # The same code twice links nothing more.
    await say(client, "li.si", f"link {code}", msg_id=8003)
    await channels.drain()
    assert "已过期" in wecom.texts("li.si")[-1]
    rows = (await session.exec(select(AccountLink).where(AccountLink.user_id == student.id))).all()
    assert [(row.platform, row.external_id) for row in rows] == [(Platform.wecom, "zhang.san")]


async def test_a_retried_msgid_is_answered_once(
    client: httpx.AsyncClient,
    wecom: FakeWeCom,
    channels: Channels,
    rasa: respx.MockRouter,
    make_user: UserFactory,
    session: AsyncSession,
) -> None:
    student = await make_user()
    await link(session, student, Platform.wecom, "wang.wu")
    bot = rasa.post(WEBHOOK).respond(json=rasa_reply({"text": "Lunch: noodles"}))
    for _ in range(3):  # WeCom's retries after 5 s without an answer: same MsgId
        response = await say(client, "wang.wu", "lunch?", msg_id=9001)
        assert response.status_code == 200
    await channels.drain()
    assert bot.call_count == 1
    assert wecom.texts("wang.wu") == ["Lunch: noodles"]


async def test_the_callback_answers_before_the_bot_does(
    client: httpx.AsyncClient,
    wecom: FakeWeCom,
    channels: Channels,
    rasa: respx.MockRouter,
    make_user: UserFactory,
    session: AsyncSession,
) -> None:
    student = await make_user()
    await link(session, student, Platform.wecom, "slow.bot")

    async def slow(_: httpx.Request) -> httpx.Response:
        await asyncio.sleep(2)
        return httpx.Response(200, json=rasa_reply({"text": "finally"}))

    rasa.post(WEBHOOK).mock(side_effect=slow)
    warm_up = await client.post(
        CALLBACK, params={"msg_signature": "0", "timestamp": "1", "nonce": "n"}, content=b"<xml/>"
    )
    assert warm_up.status_code == 401  # a fresh app's first request is slower
    started = time.monotonic()
    response = await say(client, "slow.bot", "hello", msg_id=9100)
    assert response.status_code == 200
    assert time.monotonic() - started < 1.0
    await channels.drain()
    assert wecom.texts("slow.bot") == ["finally"]


async def test_a_card_button_tap_continues_the_conversation(
    client: httpx.AsyncClient,
    wecom: FakeWeCom,
    channels: Channels,
    rasa: respx.MockRouter,
    make_user: UserFactory,
    session: AsyncSession,
) -> None:
    student = await make_user(locale=Locale.zh)
    await link(session, student, Platform.wecom, "zhao.liu")
    payload = '/repairs_report{"repair_category":"electrical"}'
    bot = rasa.post(WEBHOOK).respond(
        json=rasa_reply(
            {
                "text": "好的，我来帮你报修。是哪一类问题？",
                "buttons": [
                    {"title": "电路照明", "payload": payload},
                    {
                        "title": "水管卫浴",
                        "payload": '/repairs_report{"repair_category":"plumbing"}',
                    },
                ],
            }
        )
    )
    await say(client, "zhao.liu", "我要报修", msg_id=9200)
    await channels.drain()
    [card] = wecom.cards("zhao.liu")
    assert card["card_type"] == "button_interaction"
    assert card["main_title"]["title"] == "好的，我来帮你报修。是哪一类问题？"
    assert [button["text"] for button in card["button_list"]] == ["电路照明", "水管卫浴"]
    assert wecom.texts("zhao.liu") == []  # the short question is the card's title

    bot.respond(json=rasa_reply({"text": "问题在你的宿舍吗？"}))
    tap = wecom_card_click(
        corp_id=CORP_ID,
        user="zhao.liu",
        key=card["button_list"][0]["key"],
        task_id=card["task_id"],
        agent_id=AGENT_ID,
        at=int(time.time()),
    )
    await post(client, tap)
    await post(client, tap)  # WeCom's retry of the same event
    await channels.drain()
    assert json.loads(bot.calls.last.request.content)["message"] == payload
    assert bot.call_count == 2
    assert wecom.texts("zhao.liu") == ["问题在你的宿舍吗？"]


async def test_an_expired_token_is_fetched_again_and_never_logged(
    wecom: FakeWeCom, channels: Channels, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    assert channels.wecom_api is not None
    body = {"msgtype": "text", "text": {"content": "one"}}
    await channels.wecom_api.send(user="m1", bodies=[body], max_wait=5)
    first = wecom.token
    wecom.expire_token()
    await channels.wecom_api.send(user="m1", bodies=[body], max_wait=5)
    assert wecom.tokens_issued == 2
    assert [error["errcode"] for error in wecom.errors] == [42001]
    assert len(wecom.texts("m1")) == 2
    assert first
    assert wecom.token
    for token in (first, wecom.token, str(channels.settings.wecom_secret.get_secret_value())):  # type: ignore[union-attr]
        assert token not in caplog.text
    assert "access_token=***" in caplog.text  # httpx logged the call, redacted


async def test_a_burst_of_100_notices_is_paced_under_the_member_limit(
    wecom: FakeWeCom, channels: Channels
) -> None:
    """100 notices at once to one member: all arrive, never more than 30 in any (scaled)
    minute — the fake would refuse the 31st with 45009, as WeCom does."""
    assert channels.wecom_api is not None
    api = channels.wecom_api
    started = time.monotonic()
    await asyncio.gather(
        *(
            api.send(
                user="busy",
                bodies=[{"msgtype": "text", "text": {"content": f"notice {n}"}}],
                max_wait=60,
            )
            for n in range(100)
        )
    )
    elapsed = time.monotonic() - started
    assert sorted(wecom.texts("busy"), key=lambda t: int(t.split()[1])) == [
        f"notice {n}" for n in range(100)
    ]
    assert wecom.errors == []
    times = [t for t, _ in wecom.sent]
    window = wecom.window_seconds
    assert max(sum(1 for u in times if t <= u < t + window) for t in times) <= 30
    # 4 per 1/5 of the window: 100 take 25 parts, i.e. ~5 scaled minutes.
    assert elapsed >= 4 * window


def test_render_joins_texts_and_splits_long_ones() -> None:
    long_text = "\n".join(f"第{n}行：宫保鸡丁 ¥16.00" for n in range(200))
    bodies = render([BotMessage(text="北区食堂"), BotMessage(text=long_text)], Locale.zh)
    assert all(body["msgtype"] == "text" for body in bodies)
    assert all(len(body["text"]["content"].encode()) <= 2048 for body in bodies)
    assert "".join(body["text"]["content"] for body in bodies) == "北区食堂\n\n" + long_text


async def test_an_unanswered_reply_sends_its_words_and_no_empty_message(
    client: httpx.AsyncClient,
    wecom: FakeWeCom,
    channels: Channels,
    rasa: respx.MockRouter,
    make_user: UserFactory,
    session: AsyncSession,
) -> None:
    student = await make_user(locale=Locale.zh)
    await link(session, student, Platform.wecom, "wang.wu")
    rasa.post(WEBHOOK).respond(
        json=rasa_reply({"text": "抱歉，这个我帮不上忙。"}, {"custom": {"unanswered": True}})
    )
    await say(client, "wang.wu", "股票怎么买", msg_id=8101)
    await channels.drain()
    assert wecom.texts("wang.wu") == ["抱歉，这个我帮不上忙。"]
    assert render([BotMessage(custom={"unanswered": True})], Locale.zh) == []
