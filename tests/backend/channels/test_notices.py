"""Notices out to the platforms, through the real notification dispatcher."""

import asyncio
import json
import time

import respx
from fastapi import FastAPI
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.channels.models import Platform
from backend.chat.models import Channel
from backend.core.types import utcnow
from backend.identity.models import Locale
from backend.notify.dispatcher import Dispatcher
from backend.notify.models import Delivery, DeliveryState, Kind, Preferences
from backend.notify.service import notify
from tests.backend.channels.conftest import link
from tests.backend.conftest import UserFactory
from tests.backend.helpers import StoppedClock
from tests.backend.repairs.conftest import Campus, TicketFactory
from tests.platform_fakes import FakeTelegram, FakeWeCom

TRIGGER = r".*/conversations/\d+/trigger_intent"


async def deliveries(session: AsyncSession, channel: Channel) -> list[Delivery]:
    query = select(Delivery).where(col(Delivery.channel) == channel)
    rows = list((await session.exec(query.order_by(col(Delivery.id)))).all())
    for row in rows:
        await session.refresh(row)
    return rows


async def test_a_completed_repair_reaches_the_linked_telegram_chat_with_buttons(
    app: FastAPI,
    session: AsyncSession,
    campus: Campus,
    ticket_in: TicketFactory,
    clock: StoppedClock,
    telegram: FakeTelegram,
    rasa: respx.MockRouter,
) -> None:
    reporter = campus["reporter"]
    await link(session, reporter, Platform.telegram, "6060")

    def voice(request: object) -> object:
        body = json.loads(request.content)  # type: ignore[attr-defined]
        ticket = body["entities"]["ticket"]
        if body["name"] != "EXTERNAL_repair_completed":
            return respx.MockResponse(json={"messages": [{"text": f"Update on #{ticket}"}]})
        words = {
            "text": f"Repair #{ticket} is done. Is it fixed?",
            "buttons": [
                {"title": "Fixed ✓", "payload": f'/repairs_confirm_done{{"ticket":"{ticket}"}}'},
                {"title": "Not yet", "payload": f'/repairs_not_fixed{{"ticket":"{ticket}"}}'},
            ],
        }
        return respx.MockResponse(json={"messages": [words]})

    rasa.post(url__regex=TRIGGER).mock(side_effect=voice)
    dispatcher = Dispatcher(state=app.state.chat, senders=app.state.channels.senders(), clock=clock)
    ticket = await ticket_in("completed")  # the technician assigns, starts and completes it
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        await dispatcher.run_once()
        sent = [d.state for d in await deliveries(session, Channel.telegram)]
        if sent and all(state == DeliveryState.sent for state in sent):
            break
        clock.advance(seconds=2)  # the dispatcher's clock; the per-chat pace is 1 a second
        await asyncio.sleep(0.05)
    messages = telegram.messages(6060)
    assert [m["text"] for m in messages][-1] == f"Repair #{ticket['id']} is done. Is it fixed?"
    keyboard = messages[-1]["reply_markup"]["inline_keyboard"]
    assert [[b["text"] for b in row] for row in keyboard] == [["Fixed ✓"], ["Not yet"]]
    assert keyboard[0][0]["callback_data"] == f'/repairs_confirm_done{{"ticket":"{ticket["id"]}"}}'
    assert [d.state for d in await deliveries(session, Channel.telegram)] == [
        DeliveryState.sent
    ] * 3
    assert len(messages) == 3  # assigned, started, completed: each once


async def test_a_burst_of_100_notices_to_one_member_is_paced_and_none_is_lost(
    app: FastAPI,
    session: AsyncSession,
    make_user: UserFactory,
    wecom: FakeWeCom,
    rasa: respx.MockRouter,
) -> None:
    """The limit windows are scaled by PACE_SCALE (a WeCom minute is 3 s here): every
    notice arrives, the fake (which refuses a 31st message inside its minute with 45009, as
    WeCom does) never refuses one, and no (scaled) minute holds more than 30."""
    student = await make_user(locale=Locale.zh)
    await link(session, student, Platform.wecom, "busy.member")
    session.add(Preferences(user_id=student.id, quiet_start=None, quiet_end=None, daily_cap=1000))
    for n in range(100):
        await notify(
            session=session,
            user_id=student.id,
            kind=Kind.repair_started,
            dedupe_key=f"burst:{n}",
            now=utcnow(),
            params={"ticket": str(n)},
            ticket_id=n,
        )
    await session.commit()
    rasa.post(url__regex=TRIGGER).mock(
        side_effect=lambda request: respx.MockResponse(
            json={
                "messages": [
                    {"text": f"维修进度 #{json.loads(request.content)['entities']['ticket']}"}
                ]
            }
        )
    )
    dispatcher = Dispatcher(state=app.state.chat, senders=app.state.channels.senders())
    started = time.monotonic()
    while time.monotonic() - started < 60:
        if not await dispatcher.run_once():
            await asyncio.sleep(0.02)
        states = {d.state for d in await deliveries(session, Channel.wecom)}
        if states == {DeliveryState.sent}:
            break
    elapsed = time.monotonic() - started
    texts = wecom.texts("busy.member")
    assert sorted(texts) == sorted(f"维修进度 #{n}" for n in range(100))  # each once
    assert wecom.errors == []
    assert {d.state for d in await deliveries(session, Channel.wecom)} == {DeliveryState.sent}
    times = [t for t, _ in wecom.sent]
    busiest = max(sum(1 for u in times if t <= u < t + wecom.window_seconds) for t in times)
    assert busiest <= 30
    assert elapsed > 3 * wecom.window_seconds  # 100 at ≤ 25 a minute take over 3 minutes
    minutes = elapsed / wecom.window_seconds
    print(f"100 notices: {elapsed:.1f} s = {minutes:.1f} scaled minutes; busiest minute {busiest}")
