"""Every integer in a URL is bounded before it reaches the database (issue 17, finding 1).

The table is built from the app's own routes, so a new route with an unbounded id or page
fails here. Each case is sent by a student and by the logistics office (one of them passes
the route's role check); neither may get a 500, and one must get our 422 naming the field.
"""

import re
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from backend.core.config import Settings
from backend.core.types import MAX_ID
from backend.identity.models import Role
from backend.main import create_app
from tests.backend.conftest import TEST_SECRETS, UserFactory
from tests.backend.helpers import token_headers

TOO_BIG = [MAX_ID + 1, 2**63, 2**63 + 1, 10**30]


def _integer(schema: dict[str, Any]) -> dict[str, Any] | None:
    """The integer schema of a parameter (``int`` or ``int | None``), if it is one."""
    for option in [schema, *schema.get("anyOf", [])]:
        if option.get("type") == "integer":
            return option
    return None


def integer_parameters() -> list[tuple[str, str, str, str, int]]:
    """(method, path, where, name, minimum) for every int path or query parameter."""
    app = create_app(
        Settings(env="development", database_url="sqlite+aiosqlite://", **TEST_SECRETS)
    )
    cases = []
    for path, operations in app.openapi()["paths"].items():
        for method, operation in operations.items():
            for param in operation.get("parameters", []):
                if param["in"] in ("path", "query") and (ints := _integer(param["schema"])):
                    assert ints.get("maximum", MAX_ID + 1) <= MAX_ID, (path, param["name"])
                    cases.append(
                        (method.upper(), path, param["in"], param["name"], ints["minimum"])
                    )
    return cases


CASES = integer_parameters()


def test_the_table_covers_the_routes_of_the_finding() -> None:
    pairs = {(path, name) for _, path, _, name, _ in CASES}
    for expected in [
        ("/api/v1/repairs/{repair_id}", "repair_id"),
        ("/api/v1/repairs/{repair_id}/transitions", "repair_id"),
        ("/api/v1/repairs", "page"),
        ("/api/v1/handoffs/{handoff_id}/close", "handoff_id"),
        ("/api/v1/admin/surveys/responses", "page"),
        ("/api/v1/dishes/{dish_id}", "dish_id"),
        ("/api/v1/surveys/invitations/{invitation_id}", "invitation_id"),
        ("/api/v1/rewards/statements/{statement_id}", "statement_id"),
        ("/api/v1/admin/rewards/periods/{reward_period_id}", "reward_period_id"),
        ("/api/v1/admin/rewards/periods/{reward_period_id}/export.csv", "version"),
    ]:
        assert expected in pairs, expected
    assert len(CASES) >= 32


def url_for(path: str, where: str, name: str, value: int) -> str:
    filled = re.sub(r"\{(\w+)\}", lambda m: str(value if m[1] == name else 1), path)
    return f"{filled}?{name}={value}" if where == "query" else filled


@pytest.mark.parametrize(("method", "path", "where", "name", "minimum"), CASES)
async def test_out_of_range_integers_are_422_never_500(
    client: httpx.AsyncClient,
    make_user: UserFactory,
    settings: Settings,
    method: str,
    path: str,
    where: str,
    name: str,
    minimum: int,
) -> None:
    people = [await make_user(Role.student), await make_user(Role.logistics_admin)]
    for value in [*TOO_BIG, minimum - 1, -(2**63) - 1]:
        url = url_for(path, where, name, value)
        answers = [
            await client.request(method, url, headers=token_headers(settings, person))
            for person in people
        ]
        assert all(a.status_code < 500 for a in answers), (url, [a.text for a in answers])
        assert all(a.headers["content-type"] == "application/json" for a in answers)
        rejected = [a.json() for a in answers if a.status_code == 422]
        assert rejected, (url, [a.text for a in answers])
        assert rejected[0]["error"] == "ValidationError"
        assert f"{where}.{name}" in [e["field"] for e in rejected[0]["errors"]]


async def test_an_unhandled_error_is_our_json_body(settings: Settings) -> None:
    app: FastAPI = create_app(settings)

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("bug")

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.get("/boom")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/json"
    assert response.json()["error"] == "InternalError"
