"""A Rasa-compatible socket.io endpoint at ``/socket.io/``, for existing Rasa web widgets.

It speaks what Rasa's own ``socketio`` channel speaks (rasa/core/channels/socketio.py):
``session_request`` → ``session_confirm`` (the session id), ``user_uttered``
``{"message": …}`` → one ``bot_uttered`` per text paragraph, ``{"text": …}``, buttons as
``quick_replies`` on the last paragraph, images as ``attachment``.

Unlike Rasa, who the user is never comes from the client's session id: the connect
``auth`` payload must carry the student's access token (``{"token": "…"}``, as Rasa's
``jwt_key`` option expects), else the connection is refused. The session id only names the
widget's conversation in the browser. Proactive notices reach every open socket of the
student through the live hub.
"""

import asyncio
import logging
import re
import time
import uuid
from contextlib import suppress
from typing import Any

import socketio
from fastapi import FastAPI

from backend.chat.models import Channel
from backend.chat.schemas import BotButton, BotMessage
from backend.chat.socket import Closed, authenticate
from backend.core.config import Settings
from backend.identity.models import User

logger = logging.getLogger(__name__)
MAX_MESSAGE_CHARS = 1000
_SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def bot_uttered(message: BotMessage) -> list[dict[str, Any]]:
    """The frames Rasa's SocketIOOutput emits for one bot message."""
    frames: list[dict[str, Any]] = []
    if message.buttons or message.text:
        parts = (message.text or "").strip().split("\n\n")
        if message.buttons:
            frames = [{"text": part, "quick_replies": []} for part in parts]
            frames[-1]["quick_replies"] = [_quick_reply(b) for b in message.buttons]
        else:
            frames = [{"text": part} for part in parts]
    if message.image:
        frames.append({"attachment": {"type": "image", "payload": {"src": message.image}}})
    return frames


def _quick_reply(button: BotButton) -> dict[str, str]:
    return {"content_type": "text", "title": button.title, "payload": button.payload}


def socketio_app(app: FastAPI, settings: Settings) -> socketio.ASGIApp:
    """The ASGI app to mount at ``/socket.io``; handlers use the app's lifespan state."""
    sio = socketio.AsyncServer(
        async_mode="asgi",
        cors_allowed_origins=settings.socketio_allowed_origins or None,  # None: same origin
        logger=False,
        engineio_logger=False,
    )
    forwarders: dict[str, asyncio.Task[None]] = {}

    async def emit(sid: str, messages: list[BotMessage]) -> None:
        for message in messages:
            for frame in bot_uttered(message):
                await sio.emit("bot_uttered", frame, to=sid)

    async def forward_notices(sid: str, user_id: int) -> None:
        """Proactive notices (transcript messages with a notification id) as bot_uttered.
        Replies to this socket's own messages are emitted by ``user_uttered`` itself."""
        async with app.state.chat.hub.subscribe(user_id) as queue:
            while True:
                frame = await queue.get()
                message = frame.get("message") if frame.get("type") == "message" else None
                if message and message.get("role") == "bot" and message.get("notification_id"):
                    await emit(sid, [BotMessage.model_validate(message)])

    @sio.event
    async def connect(sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        token = auth.get("token") if isinstance(auth, dict) else None
        if not isinstance(token, str) or not token:
            raise socketio.exceptions.ConnectionRefusedError("NotAuthenticated")
        try:  # the same check as the campus app's socket: an access token of a live sign-in
            student, sign_in, expires = await authenticate(app.state.chat, token)
        except Closed as exc:
            raise socketio.exceptions.ConnectionRefusedError(exc.reason) from exc
        await sio.save_session(sid, {"user_id": student.id, "sign_in": sign_in, "expires": expires})
        forwarders[sid] = asyncio.create_task(forward_notices(sid, student.id))

    @sio.event
    async def disconnect(sid: str, *_: Any) -> None:
        task = forwarders.pop(sid, None)
        if task is not None:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task

    @sio.event
    async def session_request(sid: str, data: Any = None) -> None:
        asked = data.get("session_id") if isinstance(data, dict) else None
        session_id = asked if isinstance(asked, str) and _SESSION_ID.match(asked) else None
        await sio.emit("session_confirm", session_id or uuid.uuid4().hex, to=sid)

    async def answer(sid: str, user_id: int, sign_in: str, text: str) -> None:
        async with app.state.chat.sessions() as session:
            student = await session.get(User, user_id)
        if student is None or not student.is_active:
            await sio.disconnect(sid)
            return
        reply = await app.state.channels.converse(
            student=student, sign_in=sign_in, text=text, channel=Channel.socketio
        )
        await emit(sid, reply.messages)

    @sio.event
    async def user_uttered(sid: str, data: Any = None) -> None:
        text = data.get("message") if isinstance(data, dict) else None
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_MESSAGE_CHARS:
            return  # Rasa ignores what it cannot read, too
        session = await sio.get_session(sid)
        if session["expires"] <= time.time():
            await sio.disconnect(sid)  # the token expired: the widget reconnects with a new one
            return
        app.state.channels.spawn(
            f"socketio:{sid}", answer(sid, session["user_id"], session["sign_in"], text.strip())
        )

    return socketio.ASGIApp(sio, socketio_path=None)
