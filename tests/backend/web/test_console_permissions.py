"""A student — signed in, or the bot acting for one — gets 403 on every staff route.

The routes come from the app's own OpenAPI document, and everything a student may use is
listed here (the campus app's routes and the public ones): a staff route added tomorrow
is checked without anyone adding it, and a student route has to be named to be let
through. The full who-may-what table is tests/backend/test_authorization_matrix.py.
"""

from datetime import date
from typing import Any

import httpx
import pytest

from backend.core.config import Settings
from backend.main import create_app
from tests.backend.conftest import TEST_SECRETS, UserFactory
from tests.backend.repairs.conftest import token_headers

STUDENT_ROUTES = {
    ("GET", "/api/v1/me"),
    ("PATCH", "/api/v1/me"),
    ("GET", "/api/v1/canteens"),
    ("GET", "/api/v1/canteens/{slug}"),
    ("GET", "/api/v1/menus"),
    ("GET", "/api/v1/dishes"),
    ("GET", "/api/v1/dishes/{dish_id}"),
    ("GET", "/api/v1/meal-plans"),
    ("PUT", "/api/v1/meal-plans/subscription"),
    ("DELETE", "/api/v1/meal-plans/subscription"),
    ("GET", "/api/v1/meal-plans/suggestion"),
    ("GET", "/api/v1/dorms/me"),
    ("GET", "/api/v1/dorms/me/checklists"),
    ("GET", "/api/v1/dorms/buildings"),
    ("GET", "/api/v1/dorms/buildings/{code}"),
    ("GET", "/api/v1/guidance"),
    ("GET", "/api/v1/guidance/{article_id}"),
    ("POST", "/api/v1/repairs"),
    ("GET", "/api/v1/repairs"),
    ("GET", "/api/v1/repairs/{repair_id}"),
    ("GET", "/api/v1/repairs/{repair_id}/transcript"),  # the reporter's own chat lines
    ("POST", "/api/v1/repairs/{repair_id}/transitions"),  # the reporter's cancel/confirm/reopen
    ("POST", "/api/v1/repairs/{repair_id}/followers"),
    ("POST", "/api/v1/repairs/{repair_id}/photos"),
    ("GET", "/api/v1/repairs/{repair_id}/photos/{photo_id}"),
    ("GET", "/api/v1/surveys/pending"),
    ("GET", "/api/v1/surveys/invitations/{invitation_id}"),
    ("POST", "/api/v1/surveys/invitations/{invitation_id}/response"),
    ("GET", "/api/v1/surveys/campaigns/open"),
    ("POST", "/api/v1/surveys/campaigns/{campaign_id}/choice"),
    ("POST", "/api/v1/chat"),
    ("GET", "/api/v1/chat/history"),
    ("DELETE", "/api/v1/chat/history"),
    ("POST", "/api/v1/handoffs"),
    ("GET", "/api/v1/handoffs"),  # their own requests
    ("POST", "/api/v1/handoffs/{handoff_id}/close"),
    ("GET", "/api/v1/notifications"),
    ("POST", "/api/v1/notifications/read-all"),
    ("POST", "/api/v1/notifications/{notification_id}/read"),
    ("GET", "/api/v1/notifications/preferences"),
    ("PUT", "/api/v1/notifications/preferences"),
    ("POST", "/api/v1/notifications/preferences/mute"),
    ("POST", "/api/v1/channels/link-codes"),
    ("GET", "/api/v1/channels/links"),
    ("DELETE", "/api/v1/channels/links/{platform}"),
}
# No token needed: signing in and out, the platforms' webhooks (their signatures), health.
PUBLIC_ROUTES = {
    ("POST", "/api/v1/auth/token"),
    ("POST", "/api/v1/auth/refresh"),
    ("POST", "/api/v1/auth/logout"),
    ("POST", "/api/v1/auth/session"),
    ("POST", "/api/v1/auth/session/refresh"),
    ("DELETE", "/api/v1/auth/session"),
    ("GET", "/api/v1/channels/wecom/callback"),
    ("POST", "/api/v1/channels/wecom/callback"),
    ("POST", "/api/v1/channels/telegram/webhook"),
    ("GET", "/healthz"),
}


def _operations() -> dict[tuple[str, str], dict[str, Any]]:
    app = create_app(
        Settings(env="development", database_url="sqlite+aiosqlite://", **TEST_SECRETS)
    )
    return {
        (method.upper(), path): operation
        for path, operations in app.openapi()["paths"].items()
        for method, operation in operations.items()
    }


OPERATIONS = _operations()
STAFF_ROUTES = sorted(set(OPERATIONS) - STUDENT_ROUTES - PUBLIC_ROUTES)


def _sample(schema: dict[str, Any]) -> str:
    """A value of the parameter's type, so the request reaches the permission check."""
    options = schema.get("anyOf", [schema])
    kinds = {option.get("type") for option in options}
    if "integer" in kinds:
        return "1"
    if any(option.get("format") == "date" for option in options):
        return date.today().isoformat()
    if "enum" in schema:
        return str(schema["enum"][0])
    return "x"


def _request(method: str, path: str) -> tuple[str, dict[str, str]]:
    operation = OPERATIONS[method, path]
    query = {}
    for parameter in operation.get("parameters", []):
        value = _sample(parameter.get("schema", {}))
        if parameter["in"] == "path":
            path = path.replace(f"{{{parameter['name']}}}", value)
        elif parameter["in"] == "query" and parameter.get("required"):
            query[parameter["name"]] = value
    return path, query


def test_the_lists_name_only_routes_that_exist() -> None:
    assert STUDENT_ROUTES - set(OPERATIONS) == set()
    assert PUBLIC_ROUTES - set(OPERATIONS) == set()
    assert len(STAFF_ROUTES) >= 40  # the console's routes: surveys, rewards, menus, guidance …


@pytest.mark.parametrize("via_bot", [False, True], ids=["student", "bot for a student"])
@pytest.mark.parametrize("route", STAFF_ROUTES, ids=" ".join)
async def test_a_student_gets_403_on_every_staff_route(
    client: httpx.AsyncClient,
    make_user: UserFactory,
    settings: Settings,
    route: tuple[str, str],
    via_bot: bool,
) -> None:
    method, template = route
    student = await make_user()
    path, query = _request(method, template)
    body = {} if method in ("POST", "PUT", "PATCH") else None
    response = await client.request(
        method,
        path,
        params=query,
        json=body,
        headers=token_headers(settings, student, via_bot=via_bot),
    )
    assert response.status_code == 403, response.text
    assert response.json()["error"] not in ("", None)
