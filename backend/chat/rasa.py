"""The backend's client for Rasa: the REST channel for chat, the HTTP API for health."""

from typing import Any

import httpx

from backend.chat.exceptions import BotUnavailable


class RasaClient:
    def __init__(self, *, http: httpx.AsyncClient, base_url: str, token: str, timeout: float):
        self._http = http
        self._base_url = base_url.rstrip("/")
        self._token = token
        self._timeout = timeout

    async def send(
        self, *, sender: str, message: str, metadata: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Deliver one user message; return the bot's replies. Raise BotUnavailable."""
        try:
            response = await self._http.post(
                f"{self._base_url}/webhooks/rest/webhook",
                json={"sender": sender, "message": message, "metadata": metadata},
                timeout=self._timeout,
            )
            response.raise_for_status()
            replies = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise BotUnavailable() from exc
        if not isinstance(replies, list):
            raise BotUnavailable()
        return [reply for reply in replies if isinstance(reply, dict)]

    async def status(self) -> dict[str, Any]:
        """Rasa's /status: raises httpx errors when down; names the loaded model."""
        response = await self._http.get(
            f"{self._base_url}/status", params={"token": self._token}, timeout=2.0
        )
        response.raise_for_status()
        body: dict[str, Any] = response.json()
        return body
