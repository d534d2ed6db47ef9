"""The OpenAPI document as the API really answers, and /docs served from our own origin.

FastAPI documents every 422 as its own ``HTTPValidationError``; our handler answers
``ValidationErrorBody`` instead, and a body that cannot be parsed (broken JSON or multipart)
is a 400 ``MalformedBody``. ``install_openapi`` rewrites the generated document once.

Swagger UI's files come from the ``swagger-ui-bundle`` package (installed with the backend),
served under ``/docs/assets``: the page loads nothing from another origin.
"""

from typing import Any

import swagger_ui_bundle
from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from backend.core.errors import ErrorBody, ValidationErrorBody

COMPONENT = "#/components/schemas/{model}"
DOCS_ASSETS = "/docs/assets"
BODY_METHODS = frozenset({"post", "put", "patch"})


def _schema(model: type[ErrorBody] | type[ValidationErrorBody]) -> dict[str, Any]:
    return model.model_json_schema(ref_template=COMPONENT)


def _json(model: str, description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": COMPONENT.format(model=model)}}},
    }


def _validation_response(declared: dict[str, Any]) -> dict[str, Any]:
    """Our 422; plus the route's own 422 errors (``error_responses``) if it declares any."""
    response = _json("ValidationErrorBody", "ValidationError: a field is missing or not valid.")
    schema = declared.get("content", {}).get("application/json", {}).get("schema", {})
    if schema.get("$ref", "").endswith("/ErrorBody"):
        response["description"] += f" / {declared['description']}"
        response["content"]["application/json"]["schema"] = {
            "anyOf": [
                {"$ref": COMPONENT.format(model=m)} for m in ("ValidationErrorBody", "ErrorBody")
            ]
        }
    return response


def correct(document: dict[str, Any]) -> dict[str, Any]:
    """Replace FastAPI's validation error schemas with ours; document the 400."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    body = _schema(ValidationErrorBody)
    schemas.update(body.pop("$defs", {}))
    schemas["ValidationErrorBody"] = body
    schemas.setdefault("ErrorBody", _schema(ErrorBody))
    for operations in document.get("paths", {}).values():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            if "422" in responses:
                responses["422"] = _validation_response(responses["422"])
            if method in BODY_METHODS and "requestBody" in operation:
                responses.setdefault(
                    "400", _json("ErrorBody", "MalformedBody: the body cannot be parsed.")
                )
    return document


def install_openapi(app: FastAPI, *, docs: bool) -> None:
    """The corrected document at /openapi.json and Swagger UI at /docs, if ``docs``."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = correct(
                get_openapi(
                    title=app.title,
                    version=app.version,
                    description=app.description,
                    routes=app.routes,
                )
            )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    if not docs:
        return
    app.mount(DOCS_ASSETS, StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), "docs-assets")

    @app.get("/openapi.json", include_in_schema=False)
    async def openapi_json() -> dict[str, Any]:
        return openapi()

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title=f"{app.title} — docs",
            oauth2_redirect_url="/docs/oauth2-redirect",
            swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{DOCS_ASSETS}/favicon-32x32.png",
        )

    @app.get("/docs/oauth2-redirect", include_in_schema=False)
    async def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()
