"""The dispatcher: the bot voices a notice (or the backend does when the bot cannot), the
student's transcript and open sockets get it once, and failures back off then fail."""

import json
from datetime import timedelta

import httpx
import pytest
import respx
from fastapi import FastAPI
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.chat.models import Channel, ChatMessage, Speaker
from backend.core.config import Settings
from backend.identity.models import Locale
from backend.notify.dispatcher import Dispatcher, backoff
from backend.notify.models import Category, Delivery, DeliveryState, Kind, Notification
from backend.notify.render import render
from backend.notify.senders import RetryLater
from backend.notify.service import notify
from tests.backend.helpers import StoppedClock, token_headers
from tests.backend.notify.conftest import TRIGGER
from tests.backend.repairs.conftest import Campus, TicketFactory

FIXED = [
    {
        "recipient_id": "x",
        "text": "报修单 #{id} 已修好了吗？",
        "buttons": [{"title": "修好了", "payload": '/repairs_confirm_done{"ticket":"{id}"}'}],
    }
]


async def transcript(session: AsyncSession, user_id: int) -> list[ChatMessage]:
    query = select(ChatMessage).where(col(ChatMessage.user_id) == user_id)
    return list((await session.exec(query.order_by(col(ChatMessage.id)))).all())


async def app_delivery(session: AsyncSession, user_id: int, ticket_id: int) -> Delivery:
    query = (
        select(Delivery)
        .join(Notification, col(Notification.id) == col(Delivery.notification_id))
        .where(col(Notification.user_id) == user_id, col(Notification.ticket_id) == ticket_id)
        .order_by(col(Delivery.id).desc())
    )
    delivery = (await session.exec(query)).first()
    assert delivery is not None
    await session.refresh(delivery)
    return delivery


async def test_the_bot_voices_a_completion_and_the_student_sees_it_once(
    app: FastAPI,
    session: AsyncSession,
    campus: Campus,
    ticket_in: TicketFactory,
    dispatcher: Dispatcher,
    rasa: respx.MockRouter,
) -> None:
    reporter = campus["reporter"]
    ticket = await ticket_in("completed")
    words = json.loads(json.dumps(FIXED).replace("{id}", str(ticket["id"])))
    trigger = rasa.post(TRIGGER.format(sender=reporter.id)).respond(json={"messages": words})
    rasa.post(url__regex=r".*/trigger_intent").respond(json={"messages": words})
    async with app.state.chat.hub.subscribe(reporter.id) as live:
        while await dispatcher.run_once():
            pass
        frames = [live.get_nowait() for _ in range(live.qsize())]
    sent = [json.loads(call.request.content) for call in trigger.calls]
    assert [body["name"] for body in sent] == [
        "EXTERNAL_repair_assigned",
        "EXTERNAL_repair_started",
        "EXTERNAL_repair_completed",
    ]
    assert sent[-1]["entities"]["ticket"] == str(ticket["id"])
    assert sent[-1]["entities"]["language"] == reporter.locale.value
    bot_said = [m for m in await transcript(session, reporter.id) if m.notification_id]
    assert len(bot_said) == 3
    assert bot_said[-1].role == Speaker.bot
    assert bot_said[-1].buttons == words[0]["buttons"]
    live_ids = [f["message"]["id"] for f in frames if f["type"] == "message"]
    assert live_ids == [m.id for m in bot_said]
    assert (await app_delivery(session, reporter.id, ticket["id"])).state == DeliveryState.sent
    # Nothing is due any more: a second round sends nothing again.
    assert await dispatcher.run_once() == 0
    assert len([m for m in await transcript(session, reporter.id) if m.notification_id]) == 3


async def test_a_follower_gets_plain_words_without_the_reporters_buttons(
    session: AsyncSession,
    campus: Campus,
    ticket_in: TicketFactory,
    dispatcher: Dispatcher,
    rasa: respx.MockRouter,
) -> None:
    rasa.post(url__regex=r".*/trigger_intent").respond(json={"messages": []})
    ticket = await ticket_in("completed")
    while await dispatcher.run_once():
        pass
    said = [m for m in await transcript(session, campus["follower"].id) if m.notification_id]
    assert said[-1].text == f"Repair #{ticket['id']}, which you also reported, is marked as done."
    assert said[-1].buttons == []


@pytest.mark.parametrize(
    "failure",
    [httpx.ConnectError("refused"), httpx.ReadTimeout("slow")],
    ids=["rasa-down", "rasa-slow"],
)
async def test_when_the_bot_cannot_speak_the_backend_words_go_out(
    session: AsyncSession,
    campus: Campus,
    ticket_in: TicketFactory,
    dispatcher: Dispatcher,
    rasa: respx.MockRouter,
    failure: Exception,
) -> None:
    rasa.post(url__regex=r".*/trigger_intent").mock(side_effect=failure)
    ticket = await ticket_in("completed")
    while await dispatcher.run_once():
        pass
    said = [m for m in await transcript(session, campus["reporter"].id) if m.notification_id]
    last = said[-1]
    assert last.text == f"Repair #{ticket['id']} is marked as done. Is it fixed?"
    assert [b["payload"] for b in last.buttons] == [
        f'/repairs_confirm_done{{"ticket": "{ticket["id"]}"}}',
        f'/repairs_not_fixed{{"ticket": "{ticket["id"]}"}}',
    ]
    notification = await session.get(Notification, last.notification_id)
    assert notification is not None
    assert notification.voiced_by == "backend"


async def test_the_words_are_in_the_students_language(
    session: AsyncSession,
    campus: Campus,
    ticket_in: TicketFactory,
    dispatcher: Dispatcher,
    rasa: respx.MockRouter,
) -> None:
    reporter = campus["reporter"]
    reporter.locale = Locale.zh
    session.add(reporter)
    await session.commit()
    rasa.post(url__regex=r".*/trigger_intent").mock(side_effect=httpx.ConnectError("down"))
    ticket = await ticket_in("on_hold")
    while await dispatcher.run_once():
        pass
    said = [m for m in await transcript(session, reporter.id) if m.notification_id]
    assert (
        said[-1].text == f"报修单 #{ticket['id']} 暂停维修：waiting for parts。恢复维修时会通知你。"
    )


class FlakySender:
    """A platform that is down: every send asks to be retried."""

    def __init__(self) -> None:
        self.channel = Channel.telegram
        self.calls = 0

    async def send(self, **_: object) -> None:
        self.calls += 1
        raise RetryLater("502 from the platform")


async def test_failures_back_off_then_fail_and_staff_can_retry(
    app: FastAPI,
    client: httpx.AsyncClient,
    session: AsyncSession,
    campus: Campus,
    clock: StoppedClock,
    rasa: respx.MockRouter,
    settings: Settings,
) -> None:
    rasa.post(url__regex=r".*/trigger_intent").respond(json={"messages": []})
    sender = FlakySender()
    dispatcher = Dispatcher(state=app.state.chat, senders=[sender], clock=clock)
    notification = await notify(
        session=session,
        user_id=campus["reporter"].id,
        kind=Kind.handoff_answered,
        dedupe_key="handoff:1:reply",
        now=clock.now(),
        params={"reply": "ok"},
    )
    assert notification is not None
    session.add(
        Delivery(
            notification_id=notification.id,
            user_id=notification.user_id,
            channel=Channel.telegram,
            next_attempt_at=clock.now(),
        )
    )
    await session.commit()
    waits = []
    for _ in range(settings.notify_max_attempts):
        await dispatcher.run_once()
        query = select(Delivery).where(
            col(Delivery.notification_id) == notification.id,
            col(Delivery.channel) == Channel.telegram,
        )
        delivery = (await session.exec(query)).one()
        await session.refresh(delivery)
        if delivery.state == DeliveryState.failed:
            break
        waits.append((delivery.next_attempt_at - clock.now()).total_seconds())
        clock.advance(seconds=waits[-1] + 0.001)
    assert delivery.state == DeliveryState.failed
    assert delivery.attempts == settings.notify_max_attempts
    assert delivery.last_error == "502 from the platform"
    assert sender.calls == settings.notify_max_attempts
    base = settings.notify_backoff_seconds
    for n, wait in enumerate(waits, start=1):
        assert 0.8 * base * 2 ** (n - 1) <= wait <= 1.2 * base * 2 ** (n - 1)
    admin = token_headers(settings, campus["admin"])
    failed = await client.get("/api/v1/admin/notifications?state=failed", headers=admin)
    assert failed.status_code == 200
    assert [d["id"] for d in failed.json()["data"]] == [delivery.id]
    assert failed.json()["data"][0]["last_error"] == "502 from the platform"
    retried = await client.post(
        f"/api/v1/admin/notifications/deliveries/{delivery.id}/retry", headers=admin
    )
    assert retried.status_code == 200
    assert retried.json()["state"] == "pending"
    again = await client.post(
        f"/api/v1/admin/notifications/deliveries/{delivery.id}/retry", headers=admin
    )
    assert again.status_code == 409
    assert again.json()["error"] == "DeliveryNotRetryable"
    student = token_headers(settings, campus["reporter"])
    assert (await client.get("/api/v1/admin/notifications", headers=student)).status_code == 403


@pytest.mark.database_free
@pytest.mark.parametrize(
    ("language", "text"),
    [
        (Locale.en, 'Repair #42 is marked as done. The technician noted: "New bulb". Is it fixed?'),
        (Locale.zh, "报修单 #42 已完工。师傅留言：New bulb。问题解决了吗？"),
    ],
)
def test_the_backend_words_carry_the_technicians_completion_note(
    language: Locale, text: str
) -> None:
    notice = Notification(
        user_id=1,
        kind=Kind.repair_completed,
        category=Category.repairs,
        dedupe_key="repair-event:1:1",
        ticket_id=42,
        params={"category": "electrical", "note": "New bulb"},
    )
    assert render(notice, language)[0]["text"] == text


def test_backoff_grows_exponentially_with_jitter() -> None:
    for attempt in range(1, 6):
        wait = backoff(5, attempt)
        assert 0.8 * 5 * 2 ** (attempt - 1) <= wait <= 1.2 * 5 * 2 ** (attempt - 1)
    assert timedelta(seconds=backoff(5, 1)) < timedelta(seconds=7)


async def test_a_marker_message_from_the_bot_is_not_voiced_as_an_empty_notice(
    app: FastAPI,
    session: AsyncSession,
    campus: Campus,
    ticket_in: TicketFactory,
    dispatcher: Dispatcher,
    rasa: respx.MockRouter,
) -> None:
    reporter = campus["reporter"]
    await ticket_in("assigned")
    words = [{"recipient_id": "x", "text": "On its way."}, {"custom": {"unanswered": True}}]
    rasa.post(url__regex=r".*/trigger_intent").respond(json={"messages": words})
    while await dispatcher.run_once():
        pass
    bot_said = [m for m in await transcript(session, reporter.id) if m.notification_id]
    assert [(m.text, m.buttons) for m in bot_said] == [("On its way.", [])]
    notice = (
        await session.exec(
            select(Notification).where(col(Notification.id) == bot_said[0].notification_id)
        )
    ).one()
    assert notice.messages == [{"text": "On its way.", "buttons": []}]
