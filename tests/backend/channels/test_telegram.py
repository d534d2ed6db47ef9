"""Telegram: the webhook (secret-token header) in; the Bot API (a local fake) out."""

import json
from typing import Any

import httpx
import respx
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.channels.models import Platform
from backend.channels.runtime import Channels
from backend.channels.service import LINK_FIRST
from backend.channels.telegram import set_webhook
from backend.identity.models import Locale
from tests.backend.channels.conftest import TG_SECRET, WEBHOOK, link, rasa_reply
from tests.backend.conftest import UserFactory
from tests.platform_fakes import FakeTelegram, telegram_tap, telegram_text

HOOK = "/api/v1/channels/telegram/webhook"
SECRET = {"X-Telegram-Bot-Api-Secret-Token": TG_SECRET}


async def deliver(client: httpx.AsyncClient, update: dict[str, Any]) -> httpx.Response:
    return await client.post(HOOK, json=update, headers=SECRET)


async def test_the_secret_token_is_required(
    client: httpx.AsyncClient, telegram: FakeTelegram, channels: Channels
) -> None:
    update = telegram_text(update_id=1, user_id=5, text="hi")
    assert (await client.post(HOOK, json=update)).status_code == 401
    wrong = {"X-Telegram-Bot-Api-Secret-Token": TG_SECRET[:-1] + "x"}
    assert (await client.post(HOOK, json=update, headers=wrong)).status_code == 401
    await channels.drain()
    assert telegram.sent == []


async def test_an_unlinked_user_gets_only_the_linking_hint(
    client: httpx.AsyncClient, telegram: FakeTelegram, channels: Channels, rasa: respx.MockRouter
) -> None:
    bot = rasa.post(WEBHOOK).respond(json=rasa_reply({"text": "your tickets: #12"}))
    assert (
        await deliver(client, telegram_text(update_id=10, user_id=777, text="my repairs"))
    ).status_code == 204
    await deliver(client, telegram_text(update_id=11, user_id=777, text="hello?"))
    await channels.drain()
    assert not bot.called
    # The hint once a minute, not once per message; no buttons, nothing else.
    assert telegram.messages(777) == [{"chat_id": 777, "text": LINK_FIRST, "reply_markup": None}]


async def test_a_linked_user_chats_with_inline_keyboards_and_taps(
    client: httpx.AsyncClient,
    telegram: FakeTelegram,
    channels: Channels,
    rasa: respx.MockRouter,
    make_user: UserFactory,
    session: AsyncSession,
) -> None:
    student = await make_user(locale=Locale.en)
    await link(session, student, Platform.telegram, "4242")
    urgent = '/repairs_choose_urgency{"urgency":"high"}'
    long_payload = '/meals_ask_menu{"canteen":"north","meal":"lunch","date":"2026-12-04","x":"y"}'
    bot = rasa.post(WEBHOOK).respond(
        json=rasa_reply(
            {
                "text": "How urgent is it?",
                "buttons": [
                    {"title": "High", "payload": urgent},
                    {"title": "Menu", "payload": long_payload},
                ],
            }
        )
    )
    await deliver(client, telegram_text(update_id=20, user_id=4242, text="report a repair"))
    await channels.drain()
    sent = json.loads(bot.calls.last.request.content)
    assert (sent["sender"], sent["message"]) == (str(student.id), "report a repair")
    [question] = telegram.messages(4242)
    assert question["text"] == "How urgent is it?"
    keyboard = question["reply_markup"]["inline_keyboard"]
    assert [[button["text"] for button in row] for row in keyboard] == [["High"], ["Menu"]]
    assert keyboard[0][0]["callback_data"] == urgent
    assert len(keyboard[1][0]["callback_data"].encode()) <= 64  # a key to the long payload

    bot.respond(json=rasa_reply({"text": "Filed as #7."}))
    tap = telegram_tap(update_id=21, user_id=4242, sent=question, title="High")
    await deliver(client, tap)
    await deliver(client, tap)  # Telegram redelivers an update it got no 2xx for
    await channels.drain()
    assert json.loads(bot.calls.last.request.content)["message"] == urgent
    assert telegram.answered == [tap["callback_query"]["id"]]
    assert telegram.messages(4242)[-1]["text"] == "Filed as #7."

    await deliver(client, telegram_tap(update_id=22, user_id=4242, sent=question, title="Menu"))
    await channels.drain()
    assert json.loads(bot.calls.last.request.content)["message"] == long_payload
    assert bot.call_count == 3


async def test_group_chats_are_ignored(
    client: httpx.AsyncClient,
    telegram: FakeTelegram,
    channels: Channels,
    rasa: respx.MockRouter,
    make_user: UserFactory,
    session: AsyncSession,
) -> None:
    student = await make_user()
    await link(session, student, Platform.telegram, "5151")
    bot = rasa.post(WEBHOOK).respond(json=rasa_reply({"text": "your room: B7 312"}))
    update = telegram_text(update_id=30, user_id=5151, text="my room?", chat="supergroup")
    assert (await deliver(client, update)).status_code == 204
    await channels.drain()
    assert not bot.called
    assert telegram.sent == []


async def test_set_webhook_command_registers_url_and_secret(
    telegram: FakeTelegram, monkeypatch: Any
) -> None:
    monkeypatch.setenv("HOUQIN_ENV", "development")
    monkeypatch.setenv("HOUQIN_TELEGRAM_API_URL", telegram.url)  # type: ignore[attr-defined]
    await set_webhook("https://houqin.example.edu/api/v1/channels/telegram/webhook")
    assert telegram.webhook is not None
    assert telegram.webhook["url"] == "https://houqin.example.edu/api/v1/channels/telegram/webhook"
    assert telegram.webhook["secret_token"] == TG_SECRET
    assert json.loads(telegram.webhook["allowed_updates"]) == ["message", "callback_query"]


async def test_an_unanswered_reply_sends_its_words_and_no_empty_message(
    client: httpx.AsyncClient,
    telegram: FakeTelegram,
    channels: Channels,
    rasa: respx.MockRouter,
    make_user: UserFactory,
    session: AsyncSession,
) -> None:
    student = await make_user(locale=Locale.en)
    await link(session, student, Platform.telegram, "5151")
    rasa.post(WEBHOOK).respond(
        json=rasa_reply(
            {"text": "Sorry, I can't help with that."}, {"custom": {"unanswered": True}}
        )
    )
    await deliver(client, telegram_text(update_id=30, user_id=5151, text="stock tips?"))
    await channels.drain()
    assert [m["text"] for m in telegram.messages(5151)] == ["Sorry, I can't help with that."]
