"""The one typed client actions use to reach the backend: a method per resource.

No action builds an API path: a new resource gets its method here (``get``/``post`` stay for
a first draft: ``await backend().get("/api/v1/…", token=turn.token, params=…)``).

Every call carries the bot's own credential (X-Bot-Key) and the student's delegation token
from the message metadata, so the backend applies that student's permissions, no more.
"""

from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple, TypedDict

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


# The other resources are returned as the API's JSON, typed by what the actions read
# (TypedDict: the same dict at run time, checked names and types in the code).
class Team(TypedDict, total=False):
    name_en: str
    name_zh: str


class Ticket(TypedDict, total=False):
    id: int
    category: str
    status: str
    due_at: str
    is_overdue: bool
    reporter: str  # "me" or "follower"
    team: Team | None


class CanteenHours(TypedDict, total=False):
    slug: str
    name_en: str
    name_zh: str
    open_now: bool
    hours: list[dict[str, Any]]
    next_opening: dict[str, Any] | None


class DishDetail(TypedDict, total=False):
    id: int
    name_en: str
    name_zh: str
    kcal: int
    protein_g: float
    fat_g: float
    carbs_g: float
    sodium_mg: int
    allergens: list[str]


class Profile(TypedDict, total=False):
    diets: list[str]
    allergens: list[str]


class Dorm(TypedDict, total=False):
    building: dict[str, Any]
    room: dict[str, Any]


class Article(TypedDict, total=False):
    id: int
    title_en: str
    title_zh: str
    summary_en: str
    summary_zh: str
    body_en: str
    body_zh: str


class Invitation(TypedDict, total=False):
    id: int
    source: str
    source_id: int
    subject_en: str
    subject_zh: str
    team: Team | None


class Handoff(TypedDict, total=False):
    id: int
    reply_by: str
    contact: str


class HandoffRequest(NamedTuple):
    request: Handoff
    created: bool  # False: the student's open request, unchanged (200 instead of 201)


API = "/api/v1"


class BackendClient:
    def __init__(self, settings: ActionSettings, transport: httpx.AsyncBaseTransport | None = None):
        self._settings = settings
        self._http = httpx.AsyncClient(
            base_url=settings.backend_url,
            timeout=settings.timeout_seconds,
            headers={"X-Bot-Key": settings.bot_secret},
            transport=transport,
        )

    # --- meals -----------------------------------------------------------------------------

    async def menus(
        self, *, token: str, served_on: date, canteen: str | None, meal: str | None
    ) -> list[Menu]:
        return [
            Menu.parse_obj(item)
            for item in await self.menu_data(
                token=token, served_on=served_on, canteen=canteen, meal=meal
            )
        ]

    async def menu_data(
        self,
        *,
        token: str,
        served_on: date,
        canteen: str | None,
        meal: str | None,
        tags: list[str] | None = None,
        suitable_for_me: bool = False,
    ) -> list[dict[str, Any]]:
        """The menus as the API's JSON (dishes with allergens and tags)."""
        params = {
            "date": served_on.isoformat(),
            "canteen": canteen,
            "meal": meal,
            "tag": tags or None,
            "suitable_for_me": "true" if suitable_for_me else None,
        }
        body = await self.get(f"{API}/menus", token=token, params=params)
        return list(body["data"])

    async def canteens(self, *, token: str) -> list[CanteenHours]:
        return list((await self.get(f"{API}/canteens", token=token))["data"])

    async def canteen(self, *, token: str, slug: str) -> CanteenHours:
        result: CanteenHours = await self.get(f"{API}/canteens/{slug}", token=token)
        return result

    async def dish(self, *, token: str, dish_id: int) -> DishDetail:
        result: DishDetail = await self.get(f"{API}/dishes/{dish_id}", token=token)
        return result

    async def find_dishes(self, *, token: str, query: str, limit: int) -> list[DishDetail]:
        body = await self.get(f"{API}/dishes", token=token, params={"q": query, "limit": limit})
        return list(body["data"])

    async def me(self, *, token: str) -> Profile:
        result: Profile = await self.get(f"{API}/me", token=token)
        return result

    async def meal_plan_suggestion(
        self, *, token: str, served_on: date, canteen: str | None
    ) -> dict[str, Any]:
        params = {"date": served_on.isoformat(), "canteen": canteen}
        result: dict[str, Any] = await self.get(
            f"{API}/meal-plans/suggestion", token=token, params=params
        )
        return result

    async def meal_plans(self, *, token: str) -> list[dict[str, Any]]:
        return list((await self.get(f"{API}/meal-plans", token=token))["data"])

    # --- dorms -----------------------------------------------------------------------------

    async def my_dorm(self, *, token: str) -> Dorm:
        result: Dorm = await self.get(f"{API}/dorms/me", token=token)
        return result

    async def search_guidance(self, *, token: str, query: str, limit: int) -> list[Article]:
        params = {"q": query, "limit": limit}
        return list((await self.get(f"{API}/guidance", token=token, params=params))["data"])

    async def guidance(self, *, token: str, article_id: int) -> Article:
        result: Article = await self.get(f"{API}/guidance/{article_id}", token=token)
        return result

    # --- repairs ---------------------------------------------------------------------------

    async def open_repairs(self, *, token: str) -> list[Ticket]:
        body = await self.get(f"{API}/repairs", token=token, params={"open": "true"})
        return list(body.get("data") or [])

    async def repair(self, *, token: str, ticket: int) -> Ticket:
        result: Ticket = await self.get(f"{API}/repairs/{ticket}", token=token)
        return result

    async def report_repair(self, *, token: str, report: dict[str, Any], key: str) -> Ticket:
        result: Ticket = await self.post(
            f"{API}/repairs", token=token, json=report, idempotency_key=key
        )
        return result

    async def move_repair(self, *, token: str, ticket: int, move: dict[str, Any]) -> Ticket:
        """A transition (``{"action": "cancel" | "confirm" | "reopen", …}``)."""
        result: Ticket = await self.post(
            f"{API}/repairs/{ticket}/transitions", token=token, json=move
        )
        return result

    async def follow_repair(self, *, token: str, ticket: int) -> None:
        await self.post(f"{API}/repairs/{ticket}/followers", token=token)

    # --- surveys ---------------------------------------------------------------------------

    async def pending_surveys(self, *, token: str) -> list[Invitation]:
        return list((await self.get(f"{API}/surveys/pending", token=token)).get("data") or [])

    async def open_invitation(self, *, token: str, invitation: int | str) -> Invitation:
        """Viewing an invitation the first time starts its answer timer."""
        result: Invitation = await self.get(f"{API}/surveys/invitations/{invitation}", token=token)
        return result

    async def answer_survey(
        self, *, token: str, invitation: int | str, answer: dict[str, Any], key: str
    ) -> dict[str, Any]:
        result: dict[str, Any] = await self.post(
            f"{API}/surveys/invitations/{invitation}/response",
            token=token,
            json=answer,
            idempotency_key=key,
        )
        return result

    # --- notifications ---------------------------------------------------------------------

    async def mute_notifications(self, *, token: str, category: str) -> None:
        """Turn a notice category off on every channel ("stop reminding me")."""
        await self.post(
            f"{API}/notifications/preferences/mute",
            token=token,
            json={"category": category, "muted": True},
        )

    # --- handoff ---------------------------------------------------------------------------

    async def request_handoff(
        self, *, token: str, request: dict[str, Any], key: str
    ) -> HandoffRequest:
        """201 with a new request, or 200 with the student's open one (unchanged)."""
        status, body = await self._send(
            "POST",
            f"{API}/handoffs",
            token=token,
            json=request,
            headers={"Idempotency-Key": key},
        )
        return HandoffRequest(body, created=status != 200)

    # --- generic (for a resource without its own method yet) --------------------------------

    async def get(self, path: str, *, token: str, params: dict[str, Any] | None = None) -> Any:
        """GET as the student; ``None`` parameters are left out of the query."""
        query = {key: value for key, value in (params or {}).items() if value is not None}
        return (await self._send("GET", path, token=token, params=query))[1]

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
        return (await self._send("POST", path, token=token, json=json, headers=headers))[1]

    async def _send(
        self,
        method: str,
        path: str,
        *,
        token: str,
        headers: dict[str, str] | None = None,
        **kw: Any,
    ) -> tuple[int, Any]:
        """(status, JSON body) of a successful answer; raises BackendError otherwise."""
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
            return response.status_code, body
        if response.status_code >= 500 or not isinstance(body, dict):
            raise BackendUnavailable(f"status {response.status_code}")
        raise BackendError(str(body.get("error")), response.status_code, body)

    async def aclose(self) -> None:
        await self._http.aclose()


@lru_cache(maxsize=1)
def backend() -> BackendClient:
    """The shared client (one connection pool for the action server's lifetime)."""
    return BackendClient(load_settings())
