"""The API document tells the truth (issue 17, findings 8 and 9)."""

import re
from typing import Any

import httpx
import pytest

from backend.core.config import Settings
from backend.main import create_app
from tests.backend.conftest import TEST_SECRETS


def document(**settings: Any) -> dict[str, Any]:
    app = create_app(Settings(database_url="sqlite+aiosqlite://", **TEST_SECRETS, **settings))
    return app.openapi()


def operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(m, p, op) for p, ops in doc["paths"].items() for m, op in ops.items()]


def test_every_422_is_our_validation_body() -> None:
    doc = document(env="development")
    schemas = doc["components"]["schemas"]
    assert "HTTPValidationError" not in schemas
    assert set(schemas["ValidationErrorBody"]["required"]) == {"error", "detail", "errors"}
    assert set(schemas["Problem"]["required"]) == {"field", "problem"}
    for method, path, op in operations(doc):
        if "422" not in op["responses"]:
            continue
        schema = op["responses"]["422"]["content"]["application/json"]["schema"]
        refs = [schema.get("$ref")] + [s["$ref"] for s in schema.get("anyOf", [])]
        assert "#/components/schemas/ValidationErrorBody" in refs, (method, path)


def test_bodies_document_the_400_for_what_cannot_be_parsed() -> None:
    for _method, path, op in operations(document(env="development")):
        if "requestBody" in op:
            assert op["responses"]["400"]["description"].startswith("MalformedBody"), path


@pytest.mark.parametrize(
    ("method", "path", "error"),
    [
        ("get", "/api/v1/repairs", "TeamNotFound"),
        ("get", "/api/v1/admin/rewards/appeals", "TeamNotFound"),
        ("get", "/api/v1/admin/surveys/responses", "TeamNotFound"),
        ("get", "/api/v1/guidance/explain", "BuildingNotFound"),
        ("get", "/api/v1/dorms/buildings/{code}", "BuildingNotFound"),
    ],
)
def test_not_found_errors_are_documented_where_raised(method: str, path: str, error: str) -> None:
    assert (
        error
        in document(env="development")["paths"][path][method]["responses"]["404"]["description"]
    )


async def test_a_broken_multipart_body_is_a_documented_400(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/token", content=b"x", headers={"Content-Type": "multipart/form-data"}
    )
    assert response.status_code == 400
    assert response.json()["error"] == "MalformedBody"
    documented = create_app(
        Settings(env="development", database_url="sqlite+aiosqlite://", **TEST_SECRETS)
    ).openapi()["paths"]["/api/v1/auth/token"]["post"]["responses"]
    assert "400" in documented


@pytest.mark.parametrize(
    ("env", "setting", "served"),
    [
        ("development", None, True),
        ("production", None, False),
        ("production", True, True),
        ("development", False, False),
    ],
)
async def test_docs_follow_the_setting(env: str, setting: bool | None, served: bool) -> None:
    app = create_app(
        Settings(env=env, api_docs=setting, database_url="sqlite+aiosqlite://", **TEST_SECRETS)
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        for path in ("/docs", "/openapi.json", "/docs/assets/swagger-ui-bundle.js"):
            response = await client.get(path)
            assert response.status_code == (200 if served else 404), path


async def test_swagger_ui_loads_nothing_from_another_origin() -> None:
    app = create_app(
        Settings(env="development", database_url="sqlite+aiosqlite://", **TEST_SECRETS)
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        page = (await client.get("/docs")).text
        assert not re.search(r"(src|href)=['\"](https?:)?//", page)
        for asset in re.findall(r"(?:src|href)=['\"](/[^'\"]+)['\"]", page):
            answer = await client.get(asset)
            assert answer.status_code == 200, asset
        script = (await client.get("/docs/assets/swagger-ui-bundle.js")).text
        assert len(script) > 100_000  # the real bundle, from the swagger-ui-bundle package
