"""WeCom (企业微信) self-built app: the encrypted callback in, the message API out.

Crypto is wechatpy's enterprise module (signature + AES-CBC of the callback XML). The two
API calls (``gettoken``, ``message/send``) go over the app's shared async HTTP client:
wechatpy's own API client is synchronous (requests) and keeps its token per process, while
ours lives in the app cache, shared by every worker.

Buttons become a ``button_interaction`` template card: native buttons that work in the
WeCom client, and a tap comes back as a ``template_card_event`` whose ``EventKey`` carries
the button, so no server state is needed (numbered choices would have to remember the
last choices per student and would clash with bare numbers like ticket ids).
"""

import hmac
import json
import logging
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import xmltodict
from fastapi import APIRouter, Query, Request
from fastapi.responses import PlainTextResponse
from wechatpy.enterprise.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidSignatureException
from wechatpy.utils import WeChatSigner

from backend.channels.exceptions import ChannelDisabled, InvalidSignature
from backend.channels.models import Platform
from backend.channels.pacing import Pace, Pacer
from backend.channels.service import TEXT_ONLY, Accounts
from backend.chat.models import Channel
from backend.chat.schemas import BotButton, BotMessage
from backend.core.cache import Cache
from backend.core.config import Settings
from backend.core.errors import error_responses
from backend.identity.models import Locale, User
from backend.notify.models import Notification
from backend.notify.senders import PermanentFailure, RetryLater

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/wecom", include_in_schema=True)

TEXT_BYTES = 2000  # message/send text content: at most 2048 bytes
CARD_TITLE_CHARS = 36  # main_title.title: "建议不超过36个字"
CARD_BUTTONS = 6  # button_list: at most 6
# A notice never waits for the rate limit: it tells the dispatcher when its reserved place
# comes (the dispatcher works through deliveries one by one: a wait would hold up the rest).
DISPATCH_MAX_WAIT = 0.0
SENT_MARK_SECONDS = 86400.0
TOKEN_EXPIRED = {40014, 42001, 40001}  # invalid / expired access_token, invalid credential
BUSY = {-1, 45009, 45033, 45047}  # system busy, API frequency / concurrency limits
# WeCom app messages: 30 a minute per member. Windows of 12 s with 4 each: a 60 s span
# sees sends started in at most 7 windows, so never more than 28 (see pacing.py).
MEMBER_PACE = Pace(limit=30, window_seconds=60, parts=5)


def _sign(token: str, timestamp: str, nonce: str, encrypted: str) -> str:
    signer = WeChatSigner()
    signer.add_data(token, timestamp, nonce, encrypted)
    return str(signer.signature)


class TokenExpired(Exception):
    """WeCom called the cached access token expired or invalid: fetch a new one."""


class WeComCallback:
    """Verifies and decrypts what WeCom posts to the callback URL."""

    def __init__(self, *, token: str, aes_key: str, corp_id: str) -> None:
        self._token = token
        self._crypto = WeChatCrypto(token, aes_key, corp_id)

    def _check(self, signature: str, timestamp: str, nonce: str, encrypted: str) -> None:
        expected = _sign(self._token, timestamp, nonce, encrypted)
        if not hmac.compare_digest(expected.encode(), signature.encode()):
            raise InvalidSignature()

    def verify_url(self, *, signature: str, timestamp: str, nonce: str, echostr: str) -> str:
        self._check(signature, timestamp, nonce, echostr)
        try:
            return str(self._crypto.check_signature(signature, timestamp, nonce, echostr))
        except (InvalidSignatureException, ValueError) as exc:
            raise InvalidSignature() from exc

    def decrypt(self, *, signature: str, timestamp: str, nonce: str, body: bytes) -> dict[str, Any]:
        try:
            outer = xmltodict.parse(body)["xml"]
            encrypted = str(outer["Encrypt"])
        except Exception as exc:  # malformed XML of any kind: not from WeCom
            raise InvalidSignature() from exc
        self._check(signature, timestamp, nonce, encrypted)
        try:
            plain = self._crypto.decrypt_message(outer, signature, timestamp, nonce)
            message: dict[str, Any] = xmltodict.parse(plain)["xml"]
        except Exception as exc:  # wrong key, wrong corp id, corrupt padding
            raise InvalidSignature() from exc
        return message


def inbound(message: dict[str, Any]) -> tuple[str, str, str | None, str] | None:
    """(dedupe key, text, button title, user id) of a message worth answering, else None.

    Messages have a MsgId; events do not, and WeCom's advice is FromUserName + CreateTime.
    """
    user = str(message.get("FromUserName") or "")
    kind = str(message.get("MsgType") or "").lower()
    if not user:
        return None
    if kind == "text":
        return f"msg:{message.get('MsgId')}", str(message.get("Content") or ""), None, user
    if kind != "event":
        return f"msg:{message.get('MsgId')}", "", None, user  # image, voice…: not read
    event = str(message.get("Event") or "").lower()
    key = str(message.get("EventKey") or "")
    dedupe = f"event:{user}:{message.get('CreateTime')}:{event}:{key}"
    if event == "click":  # a custom menu item: its key is what the student "says"
        return dedupe, key, None, user
    if event == "template_card_event":
        try:
            button = json.loads(key)
            return dedupe, str(button["p"]), str(button["t"]), user
        except (ValueError, KeyError, TypeError):
            return None
    return None  # subscribe, enter_agent, location…: nothing to answer


def _text_chunks(text: str) -> Iterator[str]:
    """Split at line ends so each piece fits WeCom's byte limit (a longer line is cut)."""
    piece = ""
    for line in text.splitlines(keepends=True):
        while len(line.encode()) > TEXT_BYTES:
            head = line.encode()[:TEXT_BYTES].decode(errors="ignore")
            if piece:
                yield piece
                piece = ""
            yield head
            line = line[len(head) :]
        if len((piece + line).encode()) > TEXT_BYTES:
            yield piece
            piece = ""
        piece += line
    if piece.strip():
        yield piece


def groups(messages: list[BotMessage]) -> Iterator[tuple[str, list[BotButton]]]:
    """Consecutive texts joined into one message; a message with buttons ends a group."""
    texts: list[str] = []
    for message in messages:
        if message.text:
            texts.append(message.text)
        if message.buttons:
            yield "\n\n".join(texts), message.buttons
            texts = []
    if texts:
        yield "\n\n".join(texts), []


def render(messages: list[BotMessage], language: Locale) -> list[dict[str, Any]]:
    """message/send bodies (without touser/agentid): text, and a card for the buttons."""
    bodies: list[dict[str, Any]] = []
    for text, buttons in groups(messages):
        title = text.strip()
        short = bool(buttons) and "\n" not in title and 0 < len(title) <= CARD_TITLE_CHARS
        if text.strip() and not short:
            bodies.extend(
                {"msgtype": "text", "text": {"content": chunk}} for chunk in _text_chunks(text)
            )
        if not short:
            title = "请选择" if language == Locale.zh else "Choose one"
        for start in range(0, len(buttons), CARD_BUTTONS):
            bodies.append(_card(title, buttons[start : start + CARD_BUTTONS]))
    return bodies


def _card(title: str, buttons: list[BotButton]) -> dict[str, Any]:
    seen: set[str] = set()
    button_list = []
    for button in buttons:
        key = json.dumps({"p": button.payload, "t": button.title}, ensure_ascii=False)
        if key not in seen and len(key.encode()) <= 1024:
            seen.add(key)
            button_list.append({"text": button.title, "style": 1, "key": key})
    return {
        "msgtype": "template_card",
        "template_card": {
            "card_type": "button_interaction",
            "main_title": {"title": title},
            "task_id": f"houqin-{uuid.uuid4().hex}",
            "button_list": button_list,
        },
    }


class WeComApi:
    """gettoken + message/send. The access token is cached (never logged) and fetched again
    when WeCom says it expired."""

    def __init__(
        self, *, http: httpx.AsyncClient, cache: Cache, settings: Settings, pacer: Pacer
    ) -> None:
        self._http = http
        self._cache = cache
        self._base = settings.wecom_api_url.rstrip("/")
        self._corp_id = str(settings.wecom_corp_id)
        self._secret = settings.channel_secret("wecom_secret")
        self._agent_id = int(settings.wecom_agent_id or 0)
        self._pacer = pacer
        self._token_key = f"channels:wecom:token:{self._agent_id}"

    async def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = await self._http.request(
                method, f"{self._base}/{path}", timeout=10.0, **kwargs
            )
            response.raise_for_status()
            body: dict[str, Any] = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise RetryLater(f"WeCom unreachable: {type(exc).__name__}", 30) from exc
        return body

    async def _token(self) -> str:
        cached = await self._cache.get(self._token_key)
        if cached:
            return cached
        body = await self._call(
            "GET", "gettoken", params={"corpid": self._corp_id, "corpsecret": self._secret}
        )
        if body.get("errcode", 0) != 0:
            raise PermanentFailure(f"WeCom gettoken {body.get('errcode')}: {body.get('errmsg')}")
        token = str(body["access_token"])
        lifetime = float(body.get("expires_in", 7200))
        await self._cache.set(self._token_key, token, ttl_seconds=max(60.0, lifetime - 300))
        return token

    async def _send_one(self, body: dict[str, Any]) -> None:
        token = await self._token()
        result = await self._call("POST", "message/send", params={"access_token": token}, json=body)
        code = int(result.get("errcode", 0))
        if code in TOKEN_EXPIRED:
            await self._cache.delete(self._token_key)
            raise TokenExpired()
        if code in BUSY:
            raise RetryLater(f"WeCom {code}: {result.get('errmsg')}", 60)
        if code != 0:
            raise PermanentFailure(f"WeCom {code}: {result.get('errmsg')}")
        if result.get("invaliduser"):
            raise PermanentFailure(f"WeCom: not a member of the app: {result['invaliduser']}")

    async def send(
        self, *, user: str, bodies: list[dict[str, Any]], max_wait: float, once: str | None = None
    ) -> None:
        """Every body to one member, paced; a token WeCom calls expired is fetched once more.

        ``once`` (a notice's dedupe key): bodies already sent are skipped when the
        dispatcher retries, and a queued place in the rate limit is kept for the retry.
        """
        for index, body in enumerate(bodies):
            mark = f"{once}:wecom:{index}" if once else None
            if mark and await self._cache.get(f"channels:sent:{mark}"):
                continue
            await self._pacer.acquire(
                f"wecom:{user}", MEMBER_PACE, max_wait=max_wait, reservation=mark
            )
            full = {**body, "touser": user, "agentid": self._agent_id}
            try:
                await self._send_one(full)
            except TokenExpired:
                try:
                    await self._send_one(full)
                except TokenExpired as exc:
                    raise RetryLater("WeCom rejected a fresh access token", 60) from exc
            if mark:
                await self._cache.set(f"channels:sent:{mark}", "1", ttl_seconds=SENT_MARK_SECONDS)


class WeComSender:
    """The notification dispatcher's way out to WeCom."""

    channel = Channel.wecom

    def __init__(self, *, api: WeComApi, accounts: Accounts) -> None:
        self._api = api
        self._accounts = accounts

    async def send(
        self, *, notification: Notification, messages: list[BotMessage], user: User
    ) -> None:
        member = await self._accounts(user.id, Platform.wecom)
        if member is None:
            raise PermanentFailure("no WeCom account is linked to this student")
        await self._api.send(
            user=member,
            bodies=render(messages, user.locale),
            max_wait=DISPATCH_MAX_WAIT,
            once=notification.dedupe_key,
        )


def _callback(request: Request) -> WeComCallback:
    callback: WeComCallback | None = request.app.state.channels.wecom_callback
    if callback is None:
        raise ChannelDisabled()
    return callback


# WeCom reads a plain-text answer; our errors are JSON like every other route's.
CALLBACK_RESPONSES = {
    200: {"description": "Plain text", "content": {"text/plain": {"schema": {"type": "string"}}}},
    **error_responses(ChannelDisabled, InvalidSignature),
}


@router.get("/callback", responses=CALLBACK_RESPONSES)
async def verify_url(
    request: Request,
    msg_signature: str = Query(max_length=64),
    timestamp: str = Query(max_length=20),
    nonce: str = Query(max_length=64),
    echostr: str = Query(max_length=2048),
) -> PlainTextResponse:
    """WeCom's URL check when the callback is saved: answer the decrypted ``echostr``."""
    return PlainTextResponse(
        _callback(request).verify_url(
            signature=msg_signature, timestamp=timestamp, nonce=nonce, echostr=echostr
        )
    )


@router.post("/callback", responses=CALLBACK_RESPONSES)
async def receive(
    request: Request,
    msg_signature: str = Query(max_length=64),
    timestamp: str = Query(max_length=20),
    nonce: str = Query(max_length=64),
) -> PlainTextResponse:
    """A message or event from a member: acknowledged at once (WeCom retries after 5 s);
    the answer follows through the message API."""
    message = _callback(request).decrypt(
        signature=msg_signature, timestamp=timestamp, nonce=nonce, body=await request.body()
    )
    taken = inbound(message)
    if taken is not None:
        dedupe, text, title, user = taken
        await request.app.state.channels.take(
            platform=Platform.wecom,
            message_key=dedupe,
            external_id=user,
            text=text,
            title=title,
            notice=None if text else TEXT_ONLY,
        )
    return PlainTextResponse("")
