"""The one typed client actions use to reach the backend.

Every call carries the bot's own credential (X-Bot-Key) and the student's delegation token
from the message metadata, so the backend applies that student's permissions, no more.
"""

from datetime import date
from functools import lru_cache
from typing import Any

import httpx
from pydantic import BaseModel

from actions.settings import ActionSettings, load_settings


class BackendError(Exception):
    """The backend answered with an error (``code`` is its ``error`` field)."""

    def __init__(self, code: str, status: int, body: dict[str, Any] | None = None) -> None:
        super().__init__(f"{status} {code}: {(body or {}).get('detail')}")
        self.code = code
        self.status = status
        self.body = body or {}  # the whole error answer (e.g. 409 PossibleDuplicate's duplicates)


class BackendUnavailable(BackendError):
    """No usable answer in time: down, slow, or not the backend at all."""

    def __init__(self, reason: str) -> None:
        super().__init__("BackendUnavailable", 503, {"detail": reason})


class Canteen(BaseModel):
    slug: str
    name_en: str
    name_zh: str


class Dish(BaseModel):
    id: int
    name_en: str
    name_zh: str
    price_fen: int
    kcal: int


class Menu(BaseModel):
    id: int
    date: date
    meal: str
    canteen: Canteen
    dishes: list[Dish]


class BackendClient:
    def __init__(self, settings: ActionSettings, transport: httpx.AsyncBaseTransport | None = None):
        self._settings = settings
        self._http = httpx.AsyncClient(
            base_url=settings.backend_url,
            timeout=settings.timeout_seconds,
            headers={"X-Bot-Key": settings.bot_secret},
            transport=transport,
        )

    async def menus(
        self, *, token: str, served_on: date, canteen: str | None, meal: str | None
    ) -> list[Menu]:
        params = {"date": served_on.isoformat(), "canteen": canteen, "meal": meal}
        body = await self.get("/api/v1/menus", token=token, params=params)
        return [Menu.parse_obj(item) for item in body["data"]]

    async def get(self, path: str, *, token: str, params: dict[str, Any] | None = None) -> Any:
        """GET as the student; ``None`` parameters are left out of the query."""
        query = {key: value for key, value in (params or {}).items() if value is not None}
        return await self._send("GET", path, token=token, params=query)

    async def post(
        self,
        path: str,
        *,
        token: str,
        json: Any = None,
        idempotency_key: str | None = None,
    ) -> Any:
        """POST as the student; the idempotency key makes a retried write count once."""
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        return await self._send("POST", path, token=token, json=json, headers=headers)

    async def _send(
        self,
        method: str,
        path: str,
        *,
        token: str,
        headers: dict[str, str] | None = None,
        **kw: Any,
    ) -> Any:
        try:
            response = await self._http.request(
                method,
                path,
                headers={"Authorization": f"Bearer {token}", **(headers or {})},
                **kw,
            )
        except httpx.HTTPError as exc:
            raise BackendUnavailable(type(exc).__name__) from exc
        try:
            body = response.json()
        except ValueError as exc:
            raise BackendUnavailable(f"non-JSON {response.status_code} answer") from exc
        if response.is_success:
            return body
        if response.status_code >= 500 or not isinstance(body, dict):
            raise BackendUnavailable(f"status {response.status_code}")
        raise BackendError(str(body.get("error")), response.status_code, body)

    async def aclose(self) -> None:
        await self._http.aclose()


@lru_cache(maxsize=1)
def backend() -> BackendClient:
    """The shared client (one connection pool for the action server's lifetime)."""
    return BackendClient(load_settings())
