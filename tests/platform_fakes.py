"""Local stand-ins for the WeCom and Telegram APIs, speaking their wire formats.

Each fake is a small ASGI app served by uvicorn on a free loopback port (in its own
thread, so sync e2e tests and async backend tests can both use it). Like the real
platforms, they check credentials (WeCom's corp secret and access token, Telegram's bot
token in the URL), reject malformed messages and enforce the send limits; and they record
what they were sent. The helpers at the end build what the platforms post to us: WeCom's
encrypted, signed callback and Telegram's updates.
"""

import asyncio
import json
import re
import secrets
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from wechatpy.enterprise.crypto import WeChatCrypto

T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(app: Starlette) -> Iterator[str]:
    """Serve ``app`` on a free loopback port in a thread; yield its base URL."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=lambda: asyncio.run(server.serve()), daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("fake platform server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


# --- WeCom -------------------------------------------------------------------------------

_TASK_ID = re.compile(r"^[A-Za-z0-9_\-@]{1,128}$")


@dataclass
class FakeWeCom:
    """gettoken and message/send of qyapi.weixin.qq.com/cgi-bin."""

    corp_id: str
    secret: str
    agent_id: int
    per_member_limit: int = 30
    window_seconds: float = 60.0
    sent: list[tuple[float, dict[str, Any]]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    tokens_issued: int = 0
    token: str | None = None
    seen_tokens: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def expire_token(self) -> None:
        """The current token stops working (WeCom then answers 42001)."""
        with self.lock:
            self.token = None

    def texts(self, user: str) -> list[str]:
        with self.lock:
            return [
                body["text"]["content"]
                for _, body in self.sent
                if body["touser"] == user and body["msgtype"] == "text"
            ]

    def cards(self, user: str) -> list[dict[str, Any]]:
        with self.lock:
            return [
                body["template_card"]
                for _, body in self.sent
                if body["touser"] == user and body["msgtype"] == "template_card"
            ]

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/cgi-bin/gettoken", self._gettoken),
                Route("/cgi-bin/message/send", self._send, methods=["POST"]),
            ]
        )

    def _error(self, code: int, message: str) -> JSONResponse:
        with self.lock:
            self.errors.append({"errcode": code, "errmsg": message})
        return JSONResponse({"errcode": code, "errmsg": message})

    async def _gettoken(self, request: Request) -> JSONResponse:
        if request.query_params.get("corpid") != self.corp_id:
            return self._error(40013, "invalid corpid")
        if request.query_params.get("corpsecret") != self.secret:
            return self._error(40001, "invalid credential")
        with self.lock:
            if self.token is None:
                self.token = secrets.token_urlsafe(32)
                self.seen_tokens.add(self.token)
                self.tokens_issued += 1
            token = self.token
        return JSONResponse(
            {"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200}
        )

    async def _send(self, request: Request) -> JSONResponse:
        token = request.query_params.get("access_token")
        if not token:
            return self._error(41001, "access_token missing")
        if token != self.token:
            code = 42001 if token in self.seen_tokens else 40014
            return self._error(code, "access_token expired" if code == 42001 else "invalid")
        body = await request.json()
        problem = self._check(body)
        if problem:
            return self._error(40008, problem)
        now = time.monotonic()
        with self.lock:
            recent = [
                t
                for t, b in self.sent
                if b["touser"] == body["touser"] and now - t < self.window_seconds
            ]
            if len(recent) >= self.per_member_limit:
                limited = True
            else:
                limited = False
                self.sent.append((now, body))
        if limited:
            return self._error(45009, "reach max api daily quota limit / freq out of limit")
        return JSONResponse({"errcode": 0, "errmsg": "ok", "msgid": secrets.token_hex(8)})

    def _check(self, body: dict[str, Any]) -> str | None:
        if body.get("agentid") != self.agent_id:
            return "invalid agentid"
        if not body.get("touser"):
            return "touser missing"
        if body.get("msgtype") == "text":
            content = body.get("text", {}).get("content", "")
            if not content or len(content.encode()) > 2048:
                return "text content empty or over 2048 bytes"
            return None
        if body.get("msgtype") == "template_card":
            card = body.get("template_card", {})
            buttons = card.get("button_list", [])
            keys = [button.get("key", "") for button in buttons]
            if card.get("card_type") != "button_interaction":
                return "card_type"
            if not card.get("main_title", {}).get("title"):
                return "main_title.title missing"
            if not _TASK_ID.match(card.get("task_id", "")):
                return "task_id"
            if not 1 <= len(buttons) <= 6 or len(set(keys)) != len(keys):
                return "button_list must have 1-6 buttons with distinct keys"
            if any(not key or len(key.encode()) > 1024 for key in keys):
                return "button key over 1024 bytes"
            return None
        return "unsupported msgtype"


def wecom_callback(
    *, token: str, aes_key: str, corp_id: str, agent_id: int, xml: str
) -> tuple[dict[str, str], bytes]:
    """Query parameters and body of WeCom's POST to the callback URL carrying ``xml``."""
    nonce, timestamp = secrets.token_hex(8), str(int(time.time()))
    envelope = WeChatCrypto(token, aes_key, corp_id).encrypt_message(xml, nonce, timestamp)
    encrypted = re.search(r"<Encrypt><!\[CDATA\[(.*?)\]\]></Encrypt>", envelope)
    signature = re.search(r"<MsgSignature><!\[CDATA\[(.*?)\]\]></MsgSignature>", envelope)
    assert encrypted
    assert signature
    body = (
        f"<xml><ToUserName><![CDATA[{corp_id}]]></ToUserName>"
        f"<AgentID><![CDATA[{agent_id}]]></AgentID>"
        f"<Encrypt><![CDATA[{encrypted.group(1)}]]></Encrypt></xml>"
    )
    params = {"msg_signature": signature.group(1), "timestamp": timestamp, "nonce": nonce}
    return params, body.encode()


def wecom_text(*, corp_id: str, user: str, content: str, msg_id: int, agent_id: int) -> str:
    return (
        f"<xml><ToUserName><![CDATA[{corp_id}]]></ToUserName>"
        f"<FromUserName><![CDATA[{user}]]></FromUserName>"
        f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        f"<Content><![CDATA[{content}]]></Content><MsgId>{msg_id}</MsgId>"
        f"<AgentID>{agent_id}</AgentID></xml>"
    )


def wecom_card_click(
    *, corp_id: str, user: str, key: str, task_id: str, agent_id: int, at: int
) -> str:
    """The template_card_event WeCom posts when a member taps a card button."""
    return (
        f"<xml><ToUserName><![CDATA[{corp_id}]]></ToUserName>"
        f"<FromUserName><![CDATA[{user}]]></FromUserName>"
        f"<CreateTime>{at}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
        f"<Event><![CDATA[template_card_event]]></Event><EventKey><![CDATA[{key}]]></EventKey>"
        f"<TaskId><![CDATA[{task_id}]]></TaskId><CardType><![CDATA[button_interaction]]>"
        f"</CardType><ResponseCode><![CDATA[{secrets.token_hex(16)}]]></ResponseCode>"
        f"<AgentID>{agent_id}</AgentID></xml>"
    )


# --- Telegram ----------------------------------------------------------------------------


@dataclass
class FakeTelegram:
    """The Bot API methods Houqin calls: sendMessage, answerCallbackQuery, setWebhook."""

    token: str
    sent: list[tuple[float, dict[str, Any]]] = field(default_factory=list)
    answered: list[str] = field(default_factory=list)
    webhook: dict[str, Any] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def messages(self, chat_id: int) -> list[dict[str, Any]]:
        with self.lock:
            return [m for _, m in self.sent if m["chat_id"] == chat_id]

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/bot{token}/{method}", self._call, methods=["POST"])])

    async def _call(self, request: Request) -> JSONResponse:
        if request.path_params["token"] != self.token:
            return JSONResponse(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status_code=401
            )
        form = dict(await request.form())
        method = request.path_params["method"]
        if method == "sendMessage":
            return self._send_message(form)
        if method == "answerCallbackQuery":
            with self.lock:
                self.answered.append(str(form["callback_query_id"]))
            return JSONResponse({"ok": True, "result": True})
        if method == "setWebhook":
            with self.lock:
                self.webhook = form
            return JSONResponse({"ok": True, "result": True, "description": "Webhook was set"})
        return JSONResponse(
            {"ok": False, "error_code": 404, "description": "Not Found"}, status_code=404
        )

    def _send_message(self, form: dict[str, Any]) -> JSONResponse:
        text = str(form.get("text", ""))
        if not text or len(text) > 4096:
            return JSONResponse(
                {"ok": False, "error_code": 400, "description": "Bad Request: message text"},
                status_code=400,
            )
        markup = json.loads(form["reply_markup"]) if "reply_markup" in form else None
        for row in (markup or {}).get("inline_keyboard", []):
            for button in row:
                if not 1 <= len(button.get("callback_data", "").encode()) <= 64:
                    return JSONResponse(
                        {"ok": False, "error_code": 400, "description": "BUTTON_DATA_INVALID"},
                        status_code=400,
                    )
        chat_id = int(form["chat_id"])
        message = {"chat_id": chat_id, "text": text, "reply_markup": markup}
        with self.lock:
            self.sent.append((time.monotonic(), message))
            message_id = len(self.sent)
        return JSONResponse(
            {
                "ok": True,
                "result": {
                    "message_id": message_id,
                    "date": int(time.time()),
                    "chat": {"id": chat_id, "type": "private"},
                    "text": text,
                },
            }
        )


def telegram_user(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": "Test"}


def telegram_text(*, update_id: int, user_id: int, text: str, chat: str = "private") -> dict:
    chat_id = user_id if chat == "private" else -100123
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": chat},
            "from": telegram_user(user_id),
            "text": text,
        },
    }


def telegram_tap(*, update_id: int, user_id: int, sent: dict[str, Any], title: str) -> dict:
    """The callback_query Telegram posts when the user taps ``title`` under ``sent``."""
    [data] = [
        button["callback_data"]
        for row in sent["reply_markup"]["inline_keyboard"]
        for button in row
        if button["text"] == title
    ]
    return {
        "update_id": update_id,
        "callback_query": {
            "id": secrets.token_hex(8),
            "from": telegram_user(user_id),
            "chat_instance": "1",
            "data": data,
            "message": {
                "message_id": 1,
                "date": int(time.time()),
                "chat": {"id": user_id, "type": "private"},
                "text": sent["text"],
                "reply_markup": sent["reply_markup"],
            },
        },
    }


def eventually(probe: Callable[[], T | None], timeout: float = 20) -> T:
    """What ``probe`` finds once it finds something (the platforms are answered in the
    background), or an AssertionError after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError("nothing arrived in time")
