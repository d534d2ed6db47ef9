"""The Rasa-compatible socket.io endpoint, driven by python-socketio's client as a Rasa web
widget drives it (websocket transport), against the app served by uvicorn."""

import asyncio
import json
import queue
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import respx
import socketio
import uvicorn
from fastapi import FastAPI

from backend.channels.socketio import bot_uttered
from backend.chat.schemas import BotButton, BotMessage
from backend.identity.models import Role
from tests.backend.channels.conftest import WEBHOOK, rasa_reply
from tests.backend.conftest import UserFactory
from tests.backend.helpers import login
from tests.platform_fakes import free_port


@pytest.fixture
async def base_url(app: FastAPI) -> AsyncIterator[str]:
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="warning")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn offers no event to wait on
        await asyncio.sleep(0.01)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await task


class Widget:
    """A Rasa widget's side of the protocol, on python-socketio's (sync) client."""

    def __init__(self) -> None:
        self.client = socketio.Client(reconnection=False)
        self.frames: queue.Queue[tuple[str, Any]] = queue.Queue()
        for event in ("bot_uttered", "session_confirm"):
            self.client.on(event, lambda data, event=event: self.frames.put((event, data)))

    def connect(self, url: str, auth: dict[str, str] | None) -> None:
        self.client.connect(url, auth=auth, transports=["websocket"], wait_timeout=5)

    def next(self) -> tuple[str, Any]:
        return self.frames.get(timeout=10)


async def test_a_widget_without_a_valid_token_is_refused(
    base_url: str, client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    staff = await login(client, await make_user(role=Role.technician))
    for auth in (
        None,
        {"session_id": "mine"},
        {"token": "not-a-jwt"},
        {"token": staff["Authorization"][7:]},
    ):
        widget = Widget()
        with pytest.raises(socketio.exceptions.ConnectionError):
            await asyncio.to_thread(widget.connect, base_url, auth)


async def test_a_widget_chats_as_the_signed_in_student(
    base_url: str, client: httpx.AsyncClient, make_user: UserFactory, rasa: respx.MockRouter
) -> None:
    student = await make_user()
    token = (await login(client, student))["Authorization"].removeprefix("Bearer ")
    bot = rasa.post(WEBHOOK).respond(
        json=rasa_reply(
            {"text": "North Canteen\n\nLunch: Kung Pao Chicken"},
            {
                "text": "Anything else?",
                "buttons": [{"title": "Dinner", "payload": "/meals_dinner"}],
            },
        )
    )
    widget = Widget()
    await asyncio.to_thread(widget.connect, base_url, {"token": token})
    try:
        widget.client.emit("session_request", {"session_id": "widget-session-1"})
        assert await asyncio.to_thread(widget.next) == ("session_confirm", "widget-session-1")
        # A session id naming someone else changes nothing: the sender is the token's student.
        widget.client.emit(
            "user_uttered", {"message": "what's for lunch?", "session_id": "someone-else"}
        )
        frames = [await asyncio.to_thread(widget.next) for _ in range(3)]
    finally:
        await asyncio.to_thread(widget.client.disconnect)
    assert frames == [
        ("bot_uttered", {"text": "North Canteen"}),
        ("bot_uttered", {"text": "Lunch: Kung Pao Chicken"}),
        (
            "bot_uttered",
            {
                "text": "Anything else?",
                "quick_replies": [
                    {"content_type": "text", "title": "Dinner", "payload": "/meals_dinner"}
                ],
            },
        ),
    ]
    sent = json.loads(bot.calls.last.request.content)
    assert (sent["sender"], sent["message"]) == (str(student.id), "what's for lunch?")


async def test_a_proactive_notice_reaches_the_open_widget(
    base_url: str, app: FastAPI, client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    student = await make_user()
    token = (await login(client, student))["Authorization"].removeprefix("Bearer ")
    widget = Widget()
    await asyncio.to_thread(widget.connect, base_url, {"token": token})
    try:
        await asyncio.sleep(0.2)  # the socket subscribes to the student's live messages
        notice = {
            "id": 1,
            "role": "bot",
            "text": "Repair #7 is done. Is it fixed?",
            "buttons": [{"title": "Fixed ✓", "payload": '/repairs_confirm_done{"ticket":"7"}'}],
            "channel": "app",
            "language": "en",
            "created_at": "2026-12-03T10:00:00+08:00",
            "notification_id": 7,
        }
        chat_reply = {**notice, "id": 2, "text": "an answer in the app", "notification_id": None}
        for message in (chat_reply, notice):
            await app.state.chat.hub.publish(student.id, {"type": "message", "message": message})
        frame = await asyncio.to_thread(widget.next)
    finally:
        await asyncio.to_thread(widget.client.disconnect)
    assert frame == (
        "bot_uttered",
        {
            "text": "Repair #7 is done. Is it fixed?",
            "quick_replies": [
                {
                    "content_type": "text",
                    "title": "Fixed ✓",
                    "payload": '/repairs_confirm_done{"ticket":"7"}',
                }
            ],
        },
    )
    assert widget.frames.empty()  # the app's own chat stays in the app


def test_frames_follow_rasas_socketio_output() -> None:
    image = BotMessage(text=None, image="https://campus.example/menu.png")
    assert bot_uttered(image) == [
        {"attachment": {"type": "image", "payload": {"src": "https://campus.example/menu.png"}}}
    ]
    only_buttons = BotMessage(buttons=[BotButton(title="Yes", payload="/affirm")])
    assert bot_uttered(only_buttons) == [
        {
            "text": "",
            "quick_replies": [{"content_type": "text", "title": "Yes", "payload": "/affirm"}],
        }
    ]


def test_the_unanswered_marker_alone_makes_no_frame() -> None:
    assert bot_uttered(BotMessage(custom={"unanswered": True})) == []
