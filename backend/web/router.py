"""Serves the pages and their assets. No business rules here: every page calls the JSON
API under /api/v1, so every permission check is the API's.

Plain ES modules and CSS, no build step. Pages route on the URL fragment (``/#/repairs``),
so the server knows exactly two documents.
"""

import os
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.staticfiles import PathLike
from starlette.types import Scope

STATIC = Path(__file__).parent / "static"

# Nothing from another origin, no inline script or style: a script injected into a page
# could not run, nor send what it read anywhere but this backend.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' blob:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-cache",
}

router = APIRouter(include_in_schema=False)


def _page(name: str) -> FileResponse:
    return FileResponse(STATIC / name / "index.html", headers=PAGE_HEADERS)


@router.get("/")
async def campus_app() -> FileResponse:
    return _page("app")


@router.get("/console")
async def staff_console() -> FileResponse:
    return _page("console")


class Assets(StaticFiles):
    """Static files revalidated on every load (cheap 304s with the ETag), so a deploy is
    seen at once without hashed file names."""

    def file_response(
        self, full_path: PathLike, stat_result: os.stat_result, scope: Scope, status_code: int = 200
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["Cache-Control"] = "no-cache"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response


def install(app: FastAPI) -> None:
    app.include_router(router)
    app.mount("/static", Assets(directory=STATIC), name="static")
