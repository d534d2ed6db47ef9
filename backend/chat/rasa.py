"""The backend's client for Rasa: the REST channel for chat, the HTTP API for proactive
messages and health, over one or more replicas (backend/chat/replicas.py).

Each student's messages go to their first replica that is up. When that replica fails,
the replica is marked down (its students go to their next one until ``retry_seconds``
pass) and the message itself is sent on only if it certainly never reached Rasa: the
connection was refused or never opened, or a gateway status (502, 503, 504) came back.
After a read timeout, a dropped connection or a 500 the replica may have handled the
message (and an action may have filed a ticket), so it is not sent again: the student
gets BotUnavailable ("try again"), and their next message goes to the next replica.
"""

import asyncio
import time
from typing import Any

import httpx

from backend.chat.exceptions import BotUnavailable
from backend.chat.replicas import Replicas

# Opening a connection inside the compose network or on loopback takes milliseconds; a
# replica that does not accept within this is treated as down, leaving time for the next.
CONNECT_TIMEOUT_SECONDS = 1.0
NOT_DELIVERED = (httpx.ConnectError, httpx.ConnectTimeout)
GATEWAY_STATUSES = frozenset({502, 503, 504})


class RasaClient:
    def __init__(
        self,
        *,
        http: httpx.AsyncClient,
        urls: list[str],
        token: str,
        timeout: float,
        retry_seconds: float,
    ):
        self._http = http
        self.replicas = Replicas(tuple(url.rstrip("/") for url in urls), retry_seconds)
        self._token = token
        self._timeout = timeout

    async def send(
        self, *, sender: str, message: str, metadata: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Deliver one user message; return the bot's replies. Raise BotUnavailable."""
        replies = await self._post(
            sender,
            "/webhooks/rest/webhook",
            params={},
            body={"sender": sender, "message": message, "metadata": metadata},
            timeout=self._timeout,
        )
        if not isinstance(replies, list):
            raise BotUnavailable()
        return [reply for reply in replies if isinstance(reply, dict)]

    async def trigger(
        self, *, sender: str, intent: str, entities: dict[str, str], timeout: float
    ) -> list[dict[str, Any]]:
        """Make the bot speak first (an external event in the student's conversation, so
        the tracker keeps the context); return its messages. Raise BotUnavailable."""
        answer = await self._post(
            sender,
            f"/conversations/{sender}/trigger_intent",
            params={"token": self._token, "include_events": "NONE"},
            body={"name": intent, "entities": entities},
            timeout=timeout,
        )
        messages = answer.get("messages") if isinstance(answer, dict) else None
        if not isinstance(messages, list):
            raise BotUnavailable()
        return [message for message in messages if isinstance(message, dict)]

    async def _post(
        self, sender: str, path: str, *, params: dict[str, str], body: object, timeout: float
    ) -> Any:
        """POST to ``sender``'s replica, moving on to the next one only while the request
        certainly was not delivered; the whole call stays within ``timeout``."""
        deadline = time.monotonic() + timeout
        for url in self.replicas.order(sender):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                # httpx's timeout applies to each phase (connect, every read) separately, so
                # a Rasa that answers slowly could take several times it: bound the whole.
                async with asyncio.timeout(remaining):
                    response = await self._http.post(
                        f"{url}{path}",
                        params=params,
                        json=body,
                        timeout=httpx.Timeout(
                            remaining, connect=min(CONNECT_TIMEOUT_SECONDS, remaining)
                        ),
                    )
            except NOT_DELIVERED:
                self.replicas.mark_down(url)
                continue
            except (httpx.HTTPError, TimeoutError) as exc:  # maybe handled: not resent
                self.replicas.mark_down(url)
                raise BotUnavailable() from exc
            if response.status_code in GATEWAY_STATUSES:
                self.replicas.mark_down(url)
                continue
            if response.is_server_error:
                self.replicas.mark_down(url)
                raise BotUnavailable()
            if response.is_error:  # 4xx: our request is wrong; another replica agrees
                raise BotUnavailable()
            self.replicas.mark_up(url)
            try:
                return response.json()
            except ValueError as exc:
                raise BotUnavailable() from exc
        raise BotUnavailable()

    async def status(self, url: str) -> dict[str, Any]:
        """One replica's /status: raises httpx errors when down; names the loaded model."""
        response = await self._http.get(f"{url}/status", params={"token": self._token}, timeout=2.0)
        response.raise_for_status()
        body: dict[str, Any] = response.json()
        return body
