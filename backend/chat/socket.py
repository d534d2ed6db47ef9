"""``WS /api/v1/chat/ws``: the campus app's live chat.

The first frame authenticates (no token in a URL that logs keep) and says the last
message the client has; the server sends what came after, then every message of the
student — answers and proactive notices, from every channel — as it is stored. Every open
socket of the student gets every frame. Frames are described in docs/notifications.md.
"""

import asyncio
import logging
import time
from contextlib import suppress
from typing import Annotated, Any

import jwt
from fastapi import WebSocket, WebSocketDisconnect
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from backend.chat import service
from backend.chat.models import Channel
from backend.chat.pipeline import ChatState, converse
from backend.core.errors import AppError
from backend.core.types import MAX_ID
from backend.identity import principals
from backend.identity.models import Role, User

logger = logging.getLogger(__name__)
AUTH_TIMEOUT_SECONDS = 10
CLOSE_UNAUTHENTICATED = 4401  # bad or expired token: refresh it and reconnect
CLOSE_NOT_A_STUDENT = 4403
CLOSE_NO_AUTH = 4408
# How often an idle socket checks that its sign-in still stands (a sign-out ends it).
SIGN_IN_CHECK_SECONDS = 10
_turns: set[asyncio.Future[Any]] = set()  # turns still running for a closed socket


class AuthFrame(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: str = Field(pattern="^auth$")
    token: str = Field(min_length=1, max_length=4096)
    after: int | None = Field(default=None, ge=0, le=MAX_ID)


class MessageFrame(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: str = Field(pattern="^message$")
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
    title: Annotated[str, StringConstraints(max_length=200)] | None = None


class Closed(Exception):
    def __init__(self, code: int, reason: str) -> None:
        self.code, self.reason = code, reason


async def authenticate(state: ChatState, token: str) -> tuple[User, str, float]:
    """The student, their sign-in and when the token expires (the socket closes then)."""
    settings = state.settings
    try:
        claims = principals.verified_claims(token, secret=settings.secret("jwt_secret"))
        user_id, sign_in = int(claims["sub"]), str(claims["sid"])
    except (jwt.InvalidTokenError, KeyError, ValueError) as exc:
        raise Closed(CLOSE_UNAUTHENTICATED, "sign in again") from exc
    if claims.get("typ") != "access":
        raise Closed(CLOSE_UNAUTHENTICATED, "an access token, please")
    async with state.sessions() as session:
        resolved = await principals.resolve(
            cache=state.cache, session=session, settings=settings, user_id=user_id, sid=sign_in
        )
    if resolved.user is None or not resolved.user.is_active:
        raise Closed(CLOSE_UNAUTHENTICATED, "sign in again")
    if resolved.user.role != Role.student:
        raise Closed(CLOSE_NOT_A_STUDENT, "students only")
    return resolved.user, sign_in, float(claims["exp"])


async def serve(websocket: WebSocket, state: ChatState) -> None:
    await websocket.accept()
    try:
        try:
            raw = await asyncio.wait_for(websocket.receive_json(), AUTH_TIMEOUT_SECONDS)
            auth = AuthFrame.model_validate(raw)
        except TimeoutError as exc:
            raise Closed(CLOSE_NO_AUTH, "send the auth frame first") from exc
        except (ValidationError, ValueError) as exc:
            raise Closed(CLOSE_UNAUTHENTICATED, "the first frame must be auth") from exc
        student, sign_in, expires = await authenticate(state, auth.token)
        async with state.hub.subscribe(student.id) as queue:
            await websocket.send_json({"type": "ready", "student_id": student.id})
            live = _Session(websocket, state, student, sign_in, last_id=auth.after or 0)
            await live.run(queue, auth.token, expires)
    except Closed as closed:
        with suppress(RuntimeError, WebSocketDisconnect):
            await websocket.close(code=closed.code, reason=closed.reason)
    except (WebSocketDisconnect, OSError):  # the client went away (a send found it closed)
        return


class _Session:
    def __init__(
        self, websocket: WebSocket, state: ChatState, student: User, sign_in: str, last_id: int
    ):
        self.websocket = websocket
        self.state = state
        self.student = student
        self.sign_in = sign_in
        self.last_id = last_id  # the newest transcript message this socket has

    async def resume(self) -> None:
        async with self.state.sessions() as session:
            missed = await service.after(
                session=session, user_id=self.student.id, after_id=self.last_id
            )
        for message in missed:
            await self._send_message(service.public(message).model_dump(mode="json"))

    async def _send_message(self, message: dict[str, Any]) -> None:
        if message["id"] <= self.last_id:
            return  # already sent (a resume and a live frame can overlap)
        self.last_id = message["id"]
        await self.websocket.send_json({"type": "message", "message": message})

    async def run(self, queue: "asyncio.Queue[dict[str, Any]]", token: str, expires: float) -> None:
        # Read first: a message sent while the missed ones are still being replayed is taken.
        reader = asyncio.create_task(self._read())
        try:
            await self.resume()
            while True:
                remaining = expires - time.time()
                if remaining <= 0:
                    raise Closed(CLOSE_UNAUTHENTICATED, "token expired")
                getter = asyncio.create_task(queue.get())
                done, _ = await asyncio.wait(
                    {getter, reader},
                    timeout=min(remaining, SIGN_IN_CHECK_SECONDS),
                    return_when=asyncio.FIRST_COMPLETED,
                )
                if reader in done:
                    getter.cancel()
                    reader.result()  # re-raises the disconnect
                    return
                if getter not in done:
                    getter.cancel()
                    await authenticate(self.state, token)  # Closed once signed out or disabled
                    continue
                frame = getter.result()
                if frame["type"] == "message":
                    await self._send_message(frame["message"])
                elif frame["type"] == "resync":
                    await self.resume()
                else:
                    await self.websocket.send_json(frame)
        finally:
            reader.cancel()
            with suppress(asyncio.CancelledError, WebSocketDisconnect):
                await reader

    async def _read(self) -> None:
        while True:
            raw = await self.websocket.receive_json()
            kind = raw.get("type") if isinstance(raw, dict) else None
            if kind == "ping":
                await self.websocket.send_json({"type": "pong"})
                continue
            try:
                frame = MessageFrame.model_validate(raw)
            except ValidationError as exc:
                await self._error("InvalidFrame", _frame_problem(exc))
                continue
            turn = asyncio.ensure_future(
                converse(
                    state=self.state,
                    student=self.student,
                    sign_in=self.sign_in,
                    text=frame.text,
                    title=frame.title,
                    channel=Channel.app,
                )
            )
            # A socket closed mid-turn must not cancel it: the answer is still stored and
            # reaches the student's other sockets (and this one when it reconnects).
            _turns.add(turn)
            turn.add_done_callback(_turns.discard)
            try:
                await asyncio.shield(turn)
            except AppError as error:  # RateLimited, BotUnavailable: the socket stays open
                await self._error(error.code, error.message)

    async def _error(self, code: str, detail: str) -> None:
        await self.websocket.send_json({"type": "error", "error": code, "detail": detail})


def _frame_problem(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "frame"
    return (
        f'{where}: {first["msg"]}. Send {{"type": "message", "text": "…"}} or {{"type": "ping"}}.'
    )
